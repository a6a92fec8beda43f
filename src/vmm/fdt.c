// SPDX-License-Identifier: MIT
/*
 * The pseries device tree (PAPR appendix C; what Linux's pseries platform
 * reads on the r5 = 0 FDT boot path). The machine adds the root, /cpus,
 * /memory, /chosen and the /vdevice bus; each device module adds its own
 * node through the functions it registered, so the tree follows the devices.
 */
#include <libfdt.h>
#include <stdio.h>

#include "vmm/machine.h"

#define CPU_CLOCK_HZ 1000000000u
#define CACHE_LINE   128
#define SLB_SIZE     32

/* The HPT order machine.c allocates (belongs in machine.h) */

/*
 * {base shift, SLB L||LP, n, {page shift, HPTE LP} x n} (ISA 2.07 5.7.7.1),
 * exactly the sizes the MMU and H_ENTER implement: 4K; 64K (SLB L=1 LP=01,
 * HPTE LP 0x1); 16M (SLB L=1 LP=00, HPTE LP 0x0). No mixed sizes.
 */
static const uint32_t segment_page_sizes[] = {
	12, 0x0, 1, 12, 0x0, 16, 0x110, 1, 16, 0x1, 24, 0x100, 1, 24, 0x0,
};

/*
 * Storage keys for data and instruction accesses (PAPR; Linux's pkeys.c
 * reads two cells and uses the first). Key 31 is the hypervisor's and
 * H_ENTER/H_PROTECT refuse it, so the guest is offered keys 0..30.
 */
static const uint32_t storage_keys[] = { 31, 31 };

/* 256M and 1T segments (ISA 5.7.7.1); -1 ends the list */
static const uint32_t segment_sizes[] = { 28, 40, 0xffffffff, 0xffffffff };

/*
 * ISA 2.07 value QEMU gives a POWER8 without transactional memory: MMU, FPU,
 * SLB, RUN, DABR, NX, true little-endian (byte 5 bit 0), ...
 */
static const uint8_t pa_features[] = {
	24,   0,    0xf6, 0x1f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00,
};

static int fdt_setprop_cells(void *fdt, int node, const char *name, const uint32_t *v,
			     unsigned int n)
{
	fdt32_t cells[16];
	unsigned int i;

	for (i = 0; i < n && i < 16; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	return fdt_setprop(fdt, node, name, cells, i * sizeof(cells[0]));
}

static int fdt_cpu_node(struct machine *m, void *fdt, int cpus, uint32_t id)
{
	char name[32];
	uint32_t pft[2] = { 0, machine_hpt_order(m->ram_size) };
	int node, ret;

	snprintf(name, sizeof(name), "PowerPC,POWER8@%x", id);
	node = fdt_add_subnode(fdt, cpus, name);
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "cpu")) ||
	    (ret = fdt_setprop_u32(fdt, node, "reg", id)) ||
	    (ret = fdt_setprop_u32(fdt, node, "cpu-version", PPCVM_PVR_POWER8)) ||
	    (ret = fdt_setprop_string(fdt, node, "status", "okay")) ||
	    (ret = fdt_setprop_empty(fdt, node, "64-bit")) ||
	    (ret = fdt_setprop_u32(fdt, node, "timebase-frequency", PPCVM_TB_FREQ)) ||
	    (ret = fdt_setprop_u32(fdt, node, "clock-frequency", CPU_CLOCK_HZ)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-block-size", CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-block-size", CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-line-size", CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-line-size", CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-size", 0x10000)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-size", 0x8000)) ||
	    /* one thread per core node: its XICS server number is its id */
	    (ret = fdt_setprop_u32(fdt, node, "ibm,ppc-interrupt-server#s", id)) ||
	    (ret = fdt_setprop_u32(fdt, node, "ibm,slb-size", SLB_SIZE)) ||
	    /* 2: VMX and VSX (Linux takes CPU_FTR_ALTIVEC/VSX from this) */
	    (ret = fdt_setprop_u32(fdt, node, "ibm,vmx", 2)) ||
	    (ret = fdt_setprop_cells(fdt, node, "ibm,pft-size", pft, 2)) ||
	    (ret = fdt_setprop_cells(fdt, node, "ibm,segment-page-sizes", segment_page_sizes,
				     sizeof(segment_page_sizes) / 4)) ||
	    (ret = fdt_setprop_cells(fdt, node, "ibm,processor-segment-sizes", segment_sizes,
				     sizeof(segment_sizes) / 4)) ||
	    (ret = fdt_setprop_cells(fdt, node, "ibm,processor-storage-keys", storage_keys, 2)) ||
	    (ret = fdt_setprop(fdt, node, "ibm,pa-features", pa_features, sizeof(pa_features))))
		return ret;
	return 0;
}

static int fdt_cpus(struct machine *m, void *fdt)
{
	int cpus, ret;
	uint32_t i;

	cpus = fdt_add_subnode(fdt, 0, "cpus");
	if (cpus < 0)
		return cpus;
	if ((ret = fdt_setprop_u32(fdt, cpus, "#address-cells", 1)) ||
	    (ret = fdt_setprop_u32(fdt, cpus, "#size-cells", 0)))
		return ret;
	/* fdt_add_subnode puts a node first: add in reverse for 0, 1, 2... */
	for (i = m->ncpus; i-- > 0;) {
		ret = fdt_cpu_node(m, fdt, cpus, i);
		if (ret)
			return ret;
	}
	return 0;
}

static int fdt_memory(struct machine *m, void *fdt)
{
	fdt64_t reg[2] = { cpu_to_fdt64(0), cpu_to_fdt64(m->ram_size) };
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "memory@0");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "memory")) ||
	    (ret = fdt_setprop(fdt, node, "reg", reg, sizeof(reg))))
		return ret;
	return 0;
}

static int fdt_chosen(struct machine *m, void *fdt)
{
	const char *cmdline = m->cfg.cmdline ? m->cfg.cmdline : "";
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "bootargs", cmdline)) ||
	    (ret = fdt_setprop_string(fdt, node, "stdout-path", VTY_PATH)) ||
	    (ret = fdt_setprop_string(fdt, node, "linux,stdout-path", VTY_PATH)))
		return ret;
	if (m->initrd_end > m->initrd_start &&
	    ((ret = fdt_setprop_u64(fdt, node, "linux,initrd-start", m->initrd_start)) ||
	     (ret = fdt_setprop_u64(fdt, node, "linux,initrd-end", m->initrd_end))))
		return ret;
	return 0;
}

/* The VIO bus that hvterm (and later vscsi/vnet) sit on (PAPR C.6.2) */
static int fdt_vdevice(struct machine *m, void *fdt)
{
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "vdevice");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "vdevice")) ||
	    (ret = fdt_setprop_string(fdt, node, "compatible", "IBM,vdevice")) ||
	    (ret = fdt_setprop_u32(fdt, node, "#address-cells", 1)) ||
	    (ret = fdt_setprop_u32(fdt, node, "#size-cells", 0)))
		return ret;
	return 0;
}

/*
 * /hypervisor (Documentation/virt/kvm/ppc-pv.rst, QEMU's spapr and e500):
 * how a guest finds the KVM PV interface and the words of its hypercall
 * (read by Linux's epapr_paravirt.c as "hcall-instructions").
 */
static int fdt_hypervisor(struct machine *m, void *fdt)
{
	static const char compat[] = "linux,kvm\0epapr,hypervisor-1";
	struct ppcvm_pvinfo pv;
	int node, ret, i;

	if (m->cfg.no_pv)
		return 0;
	ret = ppcvm_get_pvinfo(m->vm, &pv);
	if (ret < 0)
		return -FDT_ERR_INTERNAL;
	node = fdt_add_subnode(fdt, 0, "hypervisor");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat))) ||
	    (ret = fdt_setprop(fdt, node, "hcall-instructions", NULL, 0)))
		return ret;
	for (i = 0; i < 4; i++)
		if ((ret = fdt_appendprop_u32(fdt, node, "hcall-instructions", pv.hcall[i])))
			return ret;
	if ((pv.flags & PPCVM_PVINFO_FLAGS_EV_IDLE) &&
	    (ret = fdt_setprop(fdt, node, "has-idle", NULL, 0)))
		return ret;
	return 0;
}

int machine_fdt_base(struct machine *m, void *fdt)
{
	int ret;

	/* device_type "chrp" is what pseries_probe() looks for */
	if ((ret = fdt_setprop_string(fdt, 0, "device_type", "chrp")) ||
	    (ret = fdt_setprop_string(fdt, 0, "model", "IBM pSeries (emulated by ppcvm)")) ||
	    (ret = fdt_setprop_string(fdt, 0, "compatible", "qemu,pseries")) ||
	    (ret = fdt_setprop_u32(fdt, 0, "#address-cells", 2)) ||
	    (ret = fdt_setprop_u32(fdt, 0, "#size-cells", 2)))
		return ret;
	/* Nodes are added in front of their siblings: last one first */
	if ((ret = fdt_hypervisor(m, fdt)) || (ret = fdt_vdevice(m, fdt)) ||
	    (ret = fdt_chosen(m, fdt)) || (ret = fdt_memory(m, fdt)) || (ret = fdt_cpus(m, fdt)))
		return ret;
	return 0;
}

int machine_build_fdt(struct machine *m, void *buf, size_t size)
{
	unsigned int i;
	int ret;

	if (size > FDT_MAX_SIZE)
		size = FDT_MAX_SIZE;
	ret = fdt_create_empty_tree(buf, size);
	if (ret)
		return ret;
	/* Keep Linux's early allocator off the firmware area: RTAS stub + FDT */
	ret = fdt_add_mem_rsv(buf, m->rtas_addr, m->fdt_addr + FDT_MAX_SIZE - m->rtas_addr);
	if (ret)
		return ret;
	if (m->initrd_end > m->initrd_start) {
		ret = fdt_add_mem_rsv(buf, m->initrd_start, m->initrd_end - m->initrd_start);
		if (ret)
			return ret;
	}
	ret = machine_fdt_base(m, buf);
	if (ret)
		return ret;
	for (i = 0; i < m->nr_fdt_fns; i++) {
		ret = m->fdt_fns[i](m, buf);
		if (ret)
			return ret;
	}
	return fdt_pack(buf);
}
