// SPDX-License-Identifier: MIT
/*
 * The epapr machine: a non-PAPR machine for 32-bit Book3S guests (PowerPC
 * 750 "G3", 7447A "G4"; docs/book3s32.md), booted as the ePAPR 1.1 boot
 * program interface says (section 5.4.1: r3 = device tree, r4 = r5 = 0,
 * r6 = "EPAP", r7 = size of the initial mapped area, here all of RAM, in
 * real mode, MSR = ME). One vCPU, RAM at 0, the ELF's segments at their
 * physical addresses, the byte channel as console (bytechan.c), a syscon
 * power register (power.c). Memory map: epapr.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "vmm/epapr.h"

#define EPAPR_MAGIC	 0x45504150u /* "EPAP" (ePAPR 5.4.1) */
#define EPAPR_BOOT_MSR	 0x1000ull   /* ME only: 32-bit, big-endian, real mode */
#define EPAPR_RAM_ALIGN	 0x10000ull
#define EPAPR_HPT_ORDER	 18	/* unused by 32-bit guests: the smallest */
#define EPAPR_CACHE_LINE 32	/* 750 and 7447A L1 line (user manuals) */
#define EPAPR_L1_SIZE	 0x8000 /* 32 KiB I and D on both */

static const char *epapr_cpu_name(uint32_t pvr)
{
	return pvr == PPCVM_PVR_7447A ? "7447A" : "750";
}

/* The layout elf_load_phys checks the image against */
static void epapr_layout(struct machine *m, struct elf_phys_layout *lay, bool load)
{
	memset(lay, 0, sizeof(*lay));
	lay->ram = load ? m->ram : NULL;
	lay->ram_size = m->ram_size;
	lay->rom = load ? m->epapr->rom : NULL;
	lay->rom_base = EPAPR_ROM_BASE;
	lay->rom_size = EPAPR_ROM_SIZE;
	lay->fw_start = m->epapr->fdt_addr;
	lay->fw_end = m->epapr->fdt_addr + FDT_MAX_SIZE;
}

static void epapr_teardown_vm(struct machine *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->vm)
		ppcvm_vm_destroy(m->vm);
	m->vm = NULL;
	memset(m->vcpus, 0, sizeof(m->vcpus));
	pthread_mutex_unlock(&m->lock);
}

/* A fresh VM for every boot, as the pseries machine does */
int epapr_setup_vm(struct machine *m, char *err, size_t errlen)
{
	static const uint64_t on[4] = { 1 };
	struct ppcvm_sregs sregs;
	struct ppcvm_vm *vm;
	int ret;

	ret = ppcvm_vm_create(&vm);
	if (ret < 0)
		return machine_errf(err, errlen, ret, "cannot create the VM: %s", strerror(-ret));
	pthread_mutex_lock(&m->lock);
	m->vm = vm;
	/* The PV hypercall carries the ePAPR ones; those the core lacks come here */
	ret = ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, on);
	if (ret >= 0)
		ret = ppcvm_enable_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, on);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot enable the ePAPR hypercalls: %s",
				   strerror(-ret));
		goto out;
	}
	ret = ppcvm_vm_allocate_htab(vm, EPAPR_HPT_ORDER);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot allocate the hash page table: %s",
				   strerror(-ret));
		goto out;
	}
	ret = ppcvm_set_memslot(vm, 0, 0, m->ram_size, m->ram, 0);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot map %" PRIu64 " MiB of guest RAM: %s",
				   m->ram_size >> 20, strerror(-ret));
		goto out;
	}
	if (m->epapr->rom) {
		ret = ppcvm_set_memslot(vm, 1, EPAPR_ROM_BASE, EPAPR_ROM_SIZE, m->epapr->rom,
					PPCVM_MEM_READONLY);
		if (ret < 0) {
			ret = machine_errf(err, errlen, ret, "cannot map the boot ROM: %s",
					   strerror(-ret));
			goto out;
		}
		/* Stores to the ROM reach the IO bus: a device that drops them */
		ret = ppcvm_iobus_register(vm, EPAPR_ROM_BASE, EPAPR_ROM_SIZE,
					   &(struct ppcvm_iobus_ops){ 0 }, NULL);
		if (ret < 0) {
			ret = machine_errf(err, errlen, ret, "cannot map the boot ROM: %s",
					   strerror(-ret));
			goto out;
		}
	}
	ret = epapr_power_register(m);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot add the power register: %s",
				   strerror(-ret));
		goto out;
	}
	ret = ppcvm_vcpu_create(vm, 0, &m->vcpus[0]);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot create vCPU 0: %s", strerror(-ret));
		goto out;
	}
	/* The PVR selects the CPU model, as KVM PR's kvmppc_set_pvr_pr */
	ret = ppcvm_vcpu_get_sregs(m->vcpus[0], &sregs);
	if (ret >= 0) {
		sregs.pvr = m->cfg.pvr;
		ret = ppcvm_vcpu_set_sregs(m->vcpus[0], &sregs);
	}
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot set the PVR to 0x%08x: %s", m->cfg.pvr,
				   strerror(-ret));
		goto out;
	}
	ret = 0;
out:
	pthread_mutex_unlock(&m->lock);
	if (ret)
		epapr_teardown_vm(m);
	return ret;
}

static int epapr_fdt_cpus(struct machine *m, void *fdt)
{
	char compat[32];
	int cpus, node, ret;

	cpus = fdt_add_subnode(fdt, 0, "cpus");
	if (cpus < 0)
		return cpus;
	if ((ret = fdt_setprop_u32(fdt, cpus, "#address-cells", 1)) ||
	    (ret = fdt_setprop_u32(fdt, cpus, "#size-cells", 0)))
		return ret;
	node = fdt_add_subnode(fdt, cpus, "cpu@0");
	if (node < 0)
		return node;
	snprintf(compat, sizeof(compat), "PowerPC,%s", epapr_cpu_name(m->cfg.pvr));
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "cpu")) ||
	    (ret = fdt_setprop_string(fdt, node, "compatible", compat)) ||
	    (ret = fdt_setprop_u32(fdt, node, "reg", 0)) ||
	    (ret = fdt_setprop_u32(fdt, node, "cpu-version", m->cfg.pvr)) ||
	    (ret = fdt_setprop_string(fdt, node, "status", "okay")) ||
	    (ret = fdt_setprop_u32(fdt, node, "timebase-frequency", PPCVM_TB_FREQ)) ||
	    (ret = fdt_setprop_u32(fdt, node, "clock-frequency", PPCVM_TB_FREQ)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-line-size", EPAPR_CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-line-size", EPAPR_CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-block-size", EPAPR_CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-block-size", EPAPR_CACHE_LINE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "d-cache-size", EPAPR_L1_SIZE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "i-cache-size", EPAPR_L1_SIZE)))
		return ret;
	return 0;
}

static int epapr_fdt_memory(struct machine *m, void *fdt)
{
	fdt32_t reg[2] = { cpu_to_fdt32(0), cpu_to_fdt32((uint32_t)m->ram_size) };
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "memory@0");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "memory")) ||
	    (ret = fdt_setprop(fdt, node, "reg", reg, sizeof(reg))))
		return ret;
	return 0;
}

static int epapr_fdt_chosen(struct machine *m, void *fdt)
{
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "bootargs",
				      m->cfg.cmdline ? m->cfg.cmdline : "")) ||
	    (ret = fdt_setprop_string(fdt, node, "stdout-path", EPAPR_BC_PATH)) ||
	    (ret = fdt_setprop_string(fdt, node, "linux,stdout-path", EPAPR_BC_PATH)))
		return ret;
	return 0;
}

/*
 * /hypervisor (ePAPR 1.1 6.1.1, Linux's epapr_paravirt.c and kvm.c): the
 * hypercall instructions, EV_IDLE, and the byte channel under handles.
 */
static int epapr_fdt_hypervisor(struct machine *m, void *fdt)
{
	static const char compat[] = "linux,kvm\0epapr,hypervisor-1";
	struct ppcvm_pvinfo pv;
	fdt32_t insns[4];
	int node, ret, i;

	ret = ppcvm_get_pvinfo(m->vm, &pv);
	if (ret < 0)
		return -FDT_ERR_INTERNAL;
	for (i = 0; i < 4; i++)
		insns[i] = cpu_to_fdt32(pv.hcall[i]);
	node = fdt_add_subnode(fdt, 0, "hypervisor");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat))) ||
	    (ret = fdt_setprop(fdt, node, "hcall-instructions", insns, sizeof(insns))))
		return ret;
	if ((pv.flags & PPCVM_PVINFO_FLAGS_EV_IDLE) &&
	    (ret = fdt_setprop_empty(fdt, node, "has-idle")))
		return ret;
	return epapr_bytechan_fdt(m, fdt, node);
}

static int epapr_build_fdt(struct machine *m, void *buf, size_t size)
{
	char model[64];
	int ret;

	ret = fdt_create_empty_tree(buf, size);
	if (ret)
		return ret;
	/* The tree's own pages stay the client's to read, not to allocate */
	ret = fdt_add_mem_rsv(buf, m->epapr->fdt_addr, FDT_MAX_SIZE);
	if (ret)
		return ret;
	snprintf(model, sizeof(model), "ppcvm ePAPR machine (PowerPC %s)",
		 epapr_cpu_name(m->cfg.pvr));
	if ((ret = fdt_setprop_string(buf, 0, "model", model)) ||
	    (ret = fdt_setprop_string(buf, 0, "compatible", "ppcvm,epapr")) ||
	    (ret = fdt_setprop_u32(buf, 0, "#address-cells", 1)) ||
	    (ret = fdt_setprop_u32(buf, 0, "#size-cells", 1)))
		return ret;
	/* Nodes are added in front of their siblings: last one first */
	if ((ret = epapr_power_fdt(m, buf)) || (ret = epapr_fdt_hypervisor(m, buf)) ||
	    (ret = epapr_fdt_chosen(m, buf)) || (ret = epapr_fdt_memory(m, buf)) ||
	    (ret = epapr_fdt_cpus(m, buf)))
		return ret;
	return fdt_pack(buf);
}

/* Load the image, build the device tree, set the ePAPR entry state */
int epapr_boot(struct machine *m, char *err, size_t errlen)
{
	struct elf_phys_layout lay;
	struct ppcvm_regs regs;
	int ret;

	if (m->reboots) {
		/* Anonymous private memory reads back as zeroes after this */
		if (madvise(m->ram, m->ram_size, MADV_DONTNEED) < 0)
			memset(m->ram, 0, m->ram_size);
		if (m->epapr->rom)
			memset(m->epapr->rom, 0, EPAPR_ROM_SIZE);
	}
	epapr_layout(m, &lay, true);
	ret = elf_load_phys(m->kernel_data, m->kernel_size, &lay, &m->kernel, err, errlen);
	if (ret)
		return ret;
	ret = epapr_build_fdt(m, m->ram + m->epapr->fdt_addr, FDT_MAX_SIZE);
	if (ret)
		return machine_errf(err, errlen, -EINVAL, "cannot build the device tree: %s",
				    fdt_strerror(ret));
	memset(&regs, 0, sizeof(regs));
	regs.pc = m->kernel.entry;
	regs.msr = EPAPR_BOOT_MSR;
	regs.gpr[3] = m->epapr->fdt_addr;
	regs.gpr[6] = EPAPR_MAGIC;
	regs.gpr[7] = m->ram_size;
	ret = ppcvm_vcpu_set_regs(m->vcpus[0], &regs);
	if (ret < 0)
		return machine_errf(err, errlen, ret, "cannot set the boot registers: %s",
				    strerror(-ret));
	return 0;
}

/* What this machine does not have (the CLI refuses these first) */
static int epapr_check_config(const struct machine_config *cfg, char *err, size_t errlen)
{
	if (cfg->pvr != PPCVM_PVR_750 && cfg->pvr != PPCVM_PVR_7447A)
		return machine_errf(err, errlen, -EINVAL,
				    "the epapr machine takes a 750 or 7447A CPU (PVR 0x%08x)",
				    cfg->pvr);
	if (cfg->ncpus != 1)
		return machine_errf(err, errlen, -EINVAL, "the epapr machine has one vCPU");
	if (cfg->ram_size < MACHINE_RAM_MIN || cfg->ram_size > EPAPR_RAM_MAX)
		return machine_errf(err, errlen, -EINVAL,
				    "the epapr machine's RAM must be %llu MiB to %llu MiB",
				    MACHINE_RAM_MIN >> 20, EPAPR_RAM_MAX >> 20);
	if (cfg->ram_size % EPAPR_RAM_ALIGN)
		return machine_errf(err, errlen, -EINVAL,
				    "guest RAM size must be a multiple of 64 KiB");
	if (cfg->initrd || cfg->disk || cfg->vcon_input || cfg->virtio_mmio || cfg->no_pv)
		return machine_errf(err, errlen, -EINVAL,
				    "the epapr machine has no initrd, virtio devices or --no-pv");
	if (!cfg->kernel)
		return machine_errf(err, errlen, -EINVAL, "no kernel given");
	return 0;
}

int epapr_create(const struct machine_config *cfg, struct machine **mp, char *err, size_t errlen)
{
	struct elf_phys_layout lay;
	struct machine *m;
	uint64_t fdt_top;
	char elf_err[200];
	int ret;

	ret = epapr_check_config(cfg, err, errlen);
	if (ret)
		return ret;
	m = calloc(1, sizeof(*m));
	if (!m)
		return machine_errf(err, errlen, -ENOMEM, "out of memory");
	pthread_mutex_init(&m->lock, NULL);
	m->ram = MAP_FAILED;
	m->cfg = *cfg;
	m->ram_size = cfg->ram_size;
	m->ncpus = 1;
	m->epapr = calloc(1, sizeof(*m->epapr));
	if (!m->epapr) {
		ret = machine_errf(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	/* Low enough for a 32-bit kernel's early mapping (pseries keeps the RMA) */
	fdt_top = m->ram_size < EPAPR_FDT_TOP_MAX ? m->ram_size : EPAPR_FDT_TOP_MAX;
	m->epapr->fdt_addr = fdt_top - FDT_MAX_SIZE;
	ret = machine_check_host_ram(m->ram_size, err, errlen);
	if (ret)
		goto fail;
	ret = machine_read_file("kernel", cfg->kernel, &m->kernel_data, &m->kernel_size, err,
				errlen);
	if (ret)
		goto fail;
	/* Check the ELF before anything big is allocated */
	epapr_layout(m, &lay, false);
	ret = elf_load_phys(m->kernel_data, m->kernel_size, &lay, &m->kernel, elf_err,
			    sizeof(elf_err));
	if (ret) {
		machine_errf(err, errlen, ret, "kernel '%s': %s", cfg->kernel, elf_err);
		goto fail;
	}
	if (m->kernel.nr_rom_segments) {
		m->epapr->rom = mmap(NULL, EPAPR_ROM_SIZE, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m->epapr->rom == MAP_FAILED) {
			m->epapr->rom = NULL;
			ret = machine_errf(err, errlen, -ENOMEM, "cannot allocate the boot ROM");
			goto fail;
		}
	}
	/* RAM, VM, load, console: machine.c dispatches setup and boot here */
	ret = machine_start(m, err, errlen);
	if (ret)
		goto fail;
	*mp = m;
	return 0;
fail:
	machine_destroy(m);
	return ret;
}

void epapr_free(struct machine *m)
{
	if (!m->epapr)
		return;
	if (m->epapr->rom)
		munmap(m->epapr->rom, EPAPR_ROM_SIZE);
	free(m->epapr);
	m->epapr = NULL;
}
