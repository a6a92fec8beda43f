// SPDX-License-Identifier: MIT
/*
 * The PAPR PCI host bridge: config space over RTAS, the MMIO window, INTx
 * routing and the device-tree node Linux's pseries needs (see pci.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/xics.h"

/* Open Firmware PCI binding: phys.hi = npt000ss bbbbbbbb dddddfff rrrrrrrr */
#define OF_PCI_SS_MEM64 0x03000000u

static void put_le(uint8_t *p, uint32_t v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = v >> (8 * i);
}

void pci_dev_init(struct pci_dev *p, uint16_t vendor, uint16_t device, uint32_t class_code,
		  uint8_t revision, uint16_t sub_vendor, uint16_t sub_id)
{
	memset(p->cfg, 0, sizeof(p->cfg));
	memset(p->wmask, 0, sizeof(p->wmask));
	memset(p->bar_size, 0, sizeof(p->bar_size));
	put_le(p->cfg + PCI_VENDOR_ID, vendor, 2);
	put_le(p->cfg + PCI_DEVICE_ID, device, 2);
	p->cfg[PCI_REVISION_ID] = revision;
	put_le(p->cfg + PCI_CLASS_PROG, class_code, 3);
	p->cfg[PCI_HEADER_TYPE] = 0;
	put_le(p->cfg + PCI_SUBSYSTEM_VENDOR_ID, sub_vendor, 2);
	put_le(p->cfg + PCI_SUBSYSTEM_ID, sub_id, 2);
	p->cfg[PCI_INTERRUPT_PIN] = 1; /* INTA */
	/* Memory space, bus master and INTx disable are all a function decodes */
	put_le(p->wmask + PCI_COMMAND,
	       PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE, 2);
	p->wmask[PCI_INTERRUPT_LINE] = 0xff;
}

void pci_dev_add_bar64(struct pci_dev *p, unsigned int bar, uint64_t size)
{
	uint64_t mask = ~(size - 1);

	if (bar > 4 || !size || (size & (size - 1)))
		return;
	if (size < 16)
		size = 16, mask = ~15ull;
	p->bar_size[bar] = size;
	p->cfg[PCI_BAR0 + 4 * bar] = PCI_BAR_MEM_TYPE_64;
	/* The low 4 bits are read-only type bits; sizing reads back ~(size - 1) */
	put_le(p->wmask + PCI_BAR0 + 4 * bar, (uint32_t)mask & ~15u, 4);
	put_le(p->wmask + PCI_BAR0 + 4 * (bar + 1), mask >> 32, 4);
}

void pci_dev_add_msix(struct pci_dev *p, unsigned int pos, unsigned int next, unsigned int nvec,
		      unsigned int bar, uint32_t table_off, uint32_t pba_off)
{
	unsigned int v;

	if (!nvec || nvec > PCI_MSIX_MAX || bar > 5 || pos < 0x40 || pos + 12 > PCI_CFG_SIZE)
		return;
	p->msix_cap = pos;
	p->msix_nvec = nvec;
	p->msix_bar = bar;
	p->msix_table_off = table_off;
	p->msix_pba_off = pba_off;
	memset(p->msix_table, 0, sizeof(p->msix_table));
	p->msix_pba = 0;
	/* 6.8.2.9: every vector comes out of reset masked */
	for (v = 0; v < nvec; v++)
		p->msix_table[v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_CTRL] =
			PCI_MSIX_ENTRY_MASKED;
	p->cfg[pos] = PCI_CAP_ID_MSIX;
	p->cfg[pos + 1] = next;
	/* Message control: table size - 1; only enable and function mask are writable */
	put_le(p->cfg + pos + PCI_MSIX_FLAGS, nvec - 1, 2);
	put_le(p->wmask + pos + PCI_MSIX_FLAGS, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 2);
	put_le(p->cfg + pos + 4, table_off | bar, 4);
	put_le(p->cfg + pos + 8, pba_off | bar, 4);
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Host lock held: the message control of p's MSI-X capability */
static uint16_t msix_ctrl(const struct pci_dev *p)
{
	if (!p->msix_cap)
		return 0;
	return p->cfg[p->msix_cap + PCI_MSIX_FLAGS] | p->cfg[p->msix_cap + PCI_MSIX_FLAGS + 1] << 8;
}

bool pci_msix_enabled(struct pci_host *h, struct pci_dev *p)
{
	bool on;

	pthread_mutex_lock(&h->lock);
	on = msix_ctrl(p) & PCI_MSIX_FLAGS_ENABLE;
	pthread_mutex_unlock(&h->lock);
	return on;
}

/* Host lock held */
static void msi_write_locked(struct pci_host *h, struct pci_dev *owner, uint64_t addr,
			     uint32_t data)
{
	/*
	 * Only the PHB's window takes messages, and only those naming a source
	 * of the sender's block: a guest that scribbles on the table cannot
	 * raise another function's (or a level) source. A message elsewhere
	 * would be a DMA write; our devices have none to make, so it is dropped.
	 */
	if (addr != PCI_MSI_WINDOW || !owner->msi_num || data < owner->msi_first ||
	    data - owner->msi_first >= owner->msi_num)
		return;
	xics_set_irq(h->m, data, 1);
}

void pci_msi_write(struct pci_host *h, struct pci_dev *owner, uint64_t addr, uint32_t data)
{
	pthread_mutex_lock(&h->lock);
	msi_write_locked(h, owner, addr, data);
	pthread_mutex_unlock(&h->lock);
}

/* Host lock held: send vector vec's message now */
static void msix_send_locked(struct pci_host *h, struct pci_dev *p, unsigned int vec)
{
	const uint8_t *e = p->msix_table + vec * PCI_MSIX_ENTRY_SIZE;
	uint64_t addr = (uint64_t)get_le32(e + 4) << 32 | get_le32(e);

	msi_write_locked(h, p, addr, get_le32(e + 8));
}

static bool msix_masked(const struct pci_dev *p, unsigned int vec)
{
	return (msix_ctrl(p) & PCI_MSIX_FLAGS_MASKALL) ||
	       (p->msix_table[vec * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_CTRL] &
		PCI_MSIX_ENTRY_MASKED);
}

/* Host lock held: 6.8.3.4, a pending vector that is no longer masked is sent */
static void msix_flush_pending(struct pci_host *h, struct pci_dev *p)
{
	unsigned int v;

	if (!(msix_ctrl(p) & PCI_MSIX_FLAGS_ENABLE))
		return;
	for (v = 0; v < p->msix_nvec; v++) {
		if (!(p->msix_pba & (1u << v)) || msix_masked(p, v))
			continue;
		p->msix_pba &= ~(1u << v);
		msix_send_locked(h, p, v);
	}
}

bool pci_msix_notify(struct pci_host *h, struct pci_dev *p, unsigned int vec)
{
	pthread_mutex_lock(&h->lock);
	if (!(msix_ctrl(p) & PCI_MSIX_FLAGS_ENABLE)) {
		pthread_mutex_unlock(&h->lock);
		return false;
	}
	if (vec < p->msix_nvec) {
		if (msix_masked(p, vec))
			p->msix_pba |= 1u << vec;
		else
			msix_send_locked(h, p, vec);
	}
	pthread_mutex_unlock(&h->lock);
	return true;
}

/*
 * Host lock held: an access to the table or PBA of p (6.8.2: DWORD or QWORD,
 * naturally aligned; anything else reads 0 and writes nothing). True if
 * [off, off + len) of BAR bar is one of them.
 */
static bool msix_access_locked(struct pci_host *h, struct pci_dev *p, unsigned int bar,
			       uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	uint64_t tlen = (uint64_t)p->msix_nvec * PCI_MSIX_ENTRY_SIZE;
	bool ok = (len == 4 || len == 8) && !(off & (len - 1));
	uint32_t i;

	if (!p->msix_cap || bar != p->msix_bar)
		return false;
	if (off >= p->msix_table_off && off - p->msix_table_off < tlen) {
		uint64_t t = off - p->msix_table_off;

		if (!ok || t + len > tlen)
			return true;
		if (!is_write) {
			memcpy(data, p->msix_table + t, len);
			return true;
		}
		for (i = 0; i < len; i++) {
			uint64_t b = t + i;

			/* Vector control: only the mask bit is writable */
			if (b % PCI_MSIX_ENTRY_SIZE == PCI_MSIX_ENTRY_CTRL)
				p->msix_table[b] = data[i] & PCI_MSIX_ENTRY_MASKED;
			else if (b % PCI_MSIX_ENTRY_SIZE < PCI_MSIX_ENTRY_CTRL)
				p->msix_table[b] = data[i];
		}
		msix_flush_pending(h, p);
		return true;
	}
	if (off >= p->msix_pba_off && off - p->msix_pba_off < 8) {
		/* The PBA is read-only */
		if (ok && !is_write && off - p->msix_pba_off + len <= 8)
			for (i = 0; i < len; i++)
				data[i] =
					(uint64_t)p->msix_pba >> (8 * (off - p->msix_pba_off + i));
		return true;
	}
	return false;
}

/* Host lock held: the address the guest programmed into a 64-bit BAR */
static uint64_t bar_addr(const struct pci_dev *p, unsigned int bar)
{
	const uint8_t *c = p->cfg + PCI_BAR0 + 4 * bar;
	uint64_t lo = c[0] | c[1] << 8 | c[2] << 16 | (uint32_t)c[3] << 24;
	uint64_t hi = c[4] | c[5] << 8 | c[6] << 16 | (uint32_t)c[7] << 24;

	return (hi << 32 | lo) & ~15ull;
}

uint32_t pci_cfg_read(struct pci_host *h, struct pci_dev *p, uint32_t off, uint32_t len)
{
	uint32_t v = 0, i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < len && off + i < PCI_CFG_SIZE; i++)
		v |= (uint32_t)p->cfg[off + i] << (8 * i);
	pthread_mutex_unlock(&h->lock);
	return v;
}

void pci_cfg_write(struct pci_host *h, struct pci_dev *p, uint32_t off, uint32_t len, uint32_t val)
{
	uint32_t i;

	pthread_mutex_lock(&h->lock);
	for (i = 0; i < len && off + i < PCI_CFG_SIZE; i++) {
		uint8_t b = val >> (8 * i), w = p->wmask[off + i];

		p->cfg[off + i] = (p->cfg[off + i] & ~w) | (b & w);
	}
	/* Enabling or unmasking the function may release pending vectors */
	if (p->msix_cap)
		msix_flush_pending(h, p);
	pthread_mutex_unlock(&h->lock);
	if (h->cfg_written)
		h->cfg_written(h->m);
}

int pci_rtas_config(struct machine *m, uint32_t addr, uint32_t size, uint32_t *val, bool is_write)
{
	struct pci_host *h = m->pci;
	/* Linux rtas_config_addr(): reg[11:8] in bits 31:28, bus, devfn, reg[7:0] */
	uint32_t reg = (addr & 0xff) | ((addr >> 20) & 0xf00);
	uint32_t bus = (addr >> 16) & 0xff, devfn = (addr >> 8) & 0xff;
	unsigned int i;

	if (!is_write)
		*val = ~0u;
	if ((size != 1 && size != 2 && size != 4) || (reg & (size - 1)))
		return RTAS_OUT_PARAM_ERROR;
	if (!h || bus != 0 || (devfn & 7) || reg >= PCI_CFG_SIZE)
		return RTAS_OUT_HW_ERROR;
	for (i = 0; i < h->ndevs; i++) {
		struct pci_dev *p = h->devs[i];

		if (p->slot != devfn >> 3)
			continue;
		if (is_write)
			pci_cfg_write(h, p, reg, size, *val);
		else
			*val = pci_cfg_read(h, p, reg, size);
		return RTAS_OUT_SUCCESS;
	}
	/* No function there (QEMU answers the same) */
	return RTAS_OUT_HW_ERROR;
}

/*
 * read-pci-config (addr, size) and ibm,read-pci-config (addr, buid hi, buid
 * lo, size) -> (status, value); the write forms add the value (PAPR 7.3.5.x)
 */
static void rtas_pci_config(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			    uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	bool ibm = token == RTAS_IBM_READ_PCI_CONFIG || token == RTAS_IBM_WRITE_PCI_CONFIG;
	bool wr = token == RTAS_WRITE_PCI_CONFIG || token == RTAS_IBM_WRITE_PCI_CONFIG;
	uint32_t want_args = (ibm ? 4 : 2) + wr, val;
	const uint32_t *a = args;

	if (nargs != want_args || nret != (wr ? 1u : 2u)) {
		if (nret > 0)
			rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	if (ibm) {
		uint64_t buid = (uint64_t)args[1] << 32 | args[2];

		if (buid != PCI_PHB_BUID) {
			rets[0] = RTAS_OUT_PARAM_ERROR;
			if (!wr)
				rets[1] = ~0u;
			return;
		}
		/* (addr, size[, value]) after the BUID */
		val = wr ? args[4] : 0;
		rets[0] = pci_rtas_config(m, args[0], args[3], &val, wr);
	} else {
		val = wr ? a[2] : 0;
		rets[0] = pci_rtas_config(m, a[0], a[1], &val, wr);
	}
	if (!wr)
		rets[1] = val;
}

/* The function a config address names (its register bits ignored), or NULL */
static struct pci_dev *dev_at(struct pci_host *h, uint32_t addr)
{
	uint32_t bus = (addr >> 16) & 0xff, devfn = (addr >> 8) & 0xff;
	unsigned int i;

	if (!h || bus != 0 || (devfn & 7))
		return NULL;
	for (i = 0; i < h->ndevs; i++)
		if (h->devs[i]->slot == devfn >> 3)
			return h->devs[i];
	return NULL;
}

/* Host lock held: give back p's sources and clear the messages that named them */
static void msi_release_locked(struct pci_host *h, struct pci_dev *p)
{
	unsigned int v;

	for (v = 0; v < p->msix_nvec; v++)
		memset(p->msix_table + v * PCI_MSIX_ENTRY_SIZE, 0, PCI_MSIX_ENTRY_CTRL);
	p->msix_pba = 0;
	if (p->msi_num)
		xics_free_irqs(h->m, p->msi_first, p->msi_num);
	p->msi_first = p->msi_num = 0;
}

/*
 * ibm,change-msi (config addr, BUID hi, BUID lo, function, requested, seq)
 * -> (status, allocated, seq[, type]), PAPR 7.3.10.5.1, with QEMU's
 * spapr_pci answers: a request past the table answers with the table size
 * and allocates nothing (Linux then asks again for that many); 0 releases.
 * The functions have MSI-X only: the MSI forms are parameter errors.
 */
static void rtas_change_msi(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			    uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	struct pci_host *h = m->pci;
	struct pci_dev *p;
	uint32_t func, req, seq;
	int irq;
	unsigned int v;

	if (nargs != 6 || (nret != 3 && nret != 4)) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	func = args[3], req = args[4], seq = args[5];
	p = ((uint64_t)args[1] << 32 | args[2]) == PCI_PHB_BUID ? dev_at(h, args[0]) : NULL;
	if (!p || !p->msix_cap || (func != RTAS_CHANGE_FN && func != RTAS_CHANGE_MSIX_FN)) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	pthread_mutex_lock(&h->lock);
	if (!req) {
		/* Nothing to release is a hardware error (as QEMU) */
		if (!p->msi_num) {
			pthread_mutex_unlock(&h->lock);
			rets[0] = RTAS_OUT_HW_ERROR;
			return;
		}
		msi_release_locked(h, p);
		pthread_mutex_unlock(&h->lock);
		rets[0] = RTAS_OUT_SUCCESS;
		rets[1] = 0;
		rets[2] = seq + 1;
		if (nret > 3)
			rets[3] = RTAS_TYPE_MSIX;
		return;
	}
	if (req > p->msix_nvec) {
		req = p->msix_nvec;
	} else {
		irq = xics_alloc_irqs(m, req, false);
		if (irq < 0) {
			pthread_mutex_unlock(&h->lock);
			rets[0] = RTAS_OUT_HW_ERROR;
			return;
		}
		msi_release_locked(h, p);
		p->msi_first = irq;
		p->msi_num = req;
		/* Vector v sends source first + v through the PHB's window */
		for (v = 0; v < req; v++) {
			uint8_t *e = p->msix_table + v * PCI_MSIX_ENTRY_SIZE;

			put_le(e, (uint32_t)PCI_MSI_WINDOW, 4);
			put_le(e + 4, PCI_MSI_WINDOW >> 32, 4);
			put_le(e + 8, irq + v, 4);
		}
	}
	pthread_mutex_unlock(&h->lock);
	rets[0] = RTAS_OUT_SUCCESS;
	rets[1] = req;
	rets[2] = seq + 1;
	if (nret > 3)
		rets[3] = RTAS_TYPE_MSIX;
}

/*
 * ibm,query-interrupt-source-number (config addr, BUID hi, BUID lo, vector)
 * -> (status, source, 1 = edge): PAPR 7.3.10.5.2
 */
static void rtas_query_intr_source(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
				   uint32_t nargs, const uint32_t *args, uint32_t nret,
				   uint32_t *rets)
{
	struct pci_host *h = m->pci;
	struct pci_dev *p;

	if (nargs != 4 || nret != 3) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	p = ((uint64_t)args[1] << 32 | args[2]) == PCI_PHB_BUID ? dev_at(h, args[0]) : NULL;
	if (!p) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	pthread_mutex_lock(&h->lock);
	if (args[3] >= p->msi_num) {
		/* No such vector allocated (QEMU: hardware error) */
		rets[0] = RTAS_OUT_HW_ERROR;
	} else {
		rets[0] = RTAS_OUT_SUCCESS;
		rets[1] = p->msi_first + args[3];
		rets[2] = 1;
	}
	pthread_mutex_unlock(&h->lock);
}

/* H_PUT_TCE (liobn, ioba, tce): PAPR 14.5.4.2.2 */
static int64_t h_put_tce(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			 uint64_t *args)
{
	struct pci_host *h = m->pci;
	uint64_t ioba = args[1], tce = args[2];

	if (!h || args[0] != PCI_PHB_LIOBN || ioba >= PCI_DMA_SIZE)
		return H_PARAMETER;
	/* A valid TCE (read or write permission) must name a page of RAM */
	if ((tce & 3) && (tce & ~0xfffull) >= m->ram_size)
		return H_PARAMETER;
	pthread_mutex_lock(&h->lock);
	h->tce[ioba >> PCI_TCE_SHIFT] = tce;
	pthread_mutex_unlock(&h->lock);
	return H_SUCCESS;
}

/* H_GET_TCE (liobn, ioba) -> tce */
static int64_t h_get_tce(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			 uint64_t *args)
{
	struct pci_host *h = m->pci;
	uint64_t ioba = args[1];

	if (!h || args[0] != PCI_PHB_LIOBN || ioba >= PCI_DMA_SIZE)
		return H_PARAMETER;
	pthread_mutex_lock(&h->lock);
	args[0] = h->tce[ioba >> PCI_TCE_SHIFT];
	pthread_mutex_unlock(&h->lock);
	return H_SUCCESS;
}

bool pci_mmio_access(struct machine *m, uint64_t gpa, uint8_t *data, uint32_t len, bool is_write)
{
	struct pci_host *h = m->pci;
	struct pci_dev *hit = NULL;
	unsigned int i, b, bar = 0;
	uint64_t off = 0;

	if (!h || gpa < PCI_MEM_BASE || gpa - PCI_MEM_BASE >= PCI_MEM_SIZE || !len || len > 8)
		return false;
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->ndevs && !hit; i++) {
		struct pci_dev *p = h->devs[i];

		/* A function decodes its BARs only with memory space enabled */
		if (!(p->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
			continue;
		for (b = 0; b < 6; b++) {
			uint64_t base = bar_addr(p, b);

			if (!p->bar_size[b] || gpa < base || gpa - base >= p->bar_size[b] ||
			    len > p->bar_size[b] - (gpa - base))
				continue;
			hit = p;
			bar = b;
			off = gpa - base;
			break;
		}
	}
	if (hit && !is_write)
		memset(data, 0, len);
	if (hit && msix_access_locked(h, hit, bar, off, data, len, is_write)) {
		pthread_mutex_unlock(&h->lock);
		return true;
	}
	pthread_mutex_unlock(&h->lock);
	if (!hit)
		return false;
	hit->ops->bar_access(hit, bar, off, data, len, is_write);
	return true;
}

static int fdt_cells(void *fdt, int node, const char *name, const uint32_t *v, unsigned int n)
{
	fdt32_t buf[40];
	unsigned int i;

	if (n > 40)
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < n; i++)
		buf[i] = cpu_to_fdt32(v[i]);
	return fdt_setprop(fdt, node, name, buf, n * sizeof(buf[0]));
}

/* One function's node: what Linux's of_create_pci_dev() reads */
static int pci_dev_fdt(void *fdt, int phb, struct pci_dev *p)
{
	uint32_t hi = p->slot << 11;
	uint32_t reg[5 * 7], assigned[5 * 6];
	unsigned int nreg = 5, nassigned = 0, b;
	char name[48];
	int node, ret;

	memset(reg, 0, sizeof(reg));
	reg[0] = hi; /* config space: size 0 */
	for (b = 0; b < 6; b++) {
		uint64_t size = p->bar_size[b], addr = p->bar_addr[b];
		uint32_t *r = reg + nreg, *a = assigned + nassigned;

		if (!size)
			continue;
		r[0] = OF_PCI_SS_MEM64 | hi | (PCI_BAR0 + 4 * b);
		r[1] = r[2] = 0;
		r[3] = size >> 32;
		r[4] = size;
		memcpy(a, r, sizeof(uint32_t) * 5);
		/* Where the BAR already points (Linux pseries only probes) */
		a[1] = addr >> 32;
		a[2] = addr;
		nreg += 5;
		nassigned += 5;
	}
	snprintf(name, sizeof(name), "%s@%x", p->ops->name ? p->ops->name : "pci", p->slot);
	node = fdt_add_subnode(fdt, phb, name);
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_u32(fdt, node, "vendor-id", p->cfg[0] | p->cfg[1] << 8)) ||
	    (ret = fdt_setprop_u32(fdt, node, "device-id", p->cfg[2] | p->cfg[3] << 8)) ||
	    (ret = fdt_setprop_u32(fdt, node, "revision-id", p->cfg[PCI_REVISION_ID])) ||
	    (ret = fdt_setprop_u32(fdt, node, "class-code",
				   p->cfg[9] | p->cfg[10] << 8 | p->cfg[11] << 16)) ||
	    (ret = fdt_setprop_u32(fdt, node, "subsystem-vendor-id",
				   p->cfg[0x2c] | p->cfg[0x2d] << 8)) ||
	    (ret = fdt_setprop_u32(fdt, node, "subsystem-id", p->cfg[0x2e] | p->cfg[0x2f] << 8)) ||
	    (ret = fdt_setprop_u32(fdt, node, "interrupts", p->cfg[PCI_INTERRUPT_PIN])) ||
	    (ret = fdt_cells(fdt, node, "reg", reg, nreg)))
		return ret;
	/* Linux's pseries check_req(): no property, no MSI-X for the function */
	if (p->msix_cap && (ret = fdt_setprop_u32(fdt, node, "ibm,req#msi-x", p->msix_nvec)))
		return ret;
	if (nassigned && (ret = fdt_cells(fdt, node, "assigned-addresses", assigned, nassigned)))
		return ret;
	return 0;
}

/* /pci@<buid>: the PHB node as QEMU's spapr_dt_phb() shapes it */
static int pci_fdt(struct machine *m, void *fdt)
{
	struct pci_host *h = m->pci;
	const uint32_t ranges[7] = { OF_PCI_SS_MEM64,	     PCI_MEM_BASE >> 32,
				     (uint32_t)PCI_MEM_BASE, PCI_MEM_BASE >> 32,
				     (uint32_t)PCI_MEM_BASE, PCI_MEM_SIZE >> 32,
				     (uint32_t)PCI_MEM_SIZE };
	const uint32_t reg[4] = { PCI_PHB_BUID >> 32, (uint32_t)PCI_PHB_BUID, 0, 0x1000 };
	const uint32_t bus_range[2] = { 0, 0 };
	/* INTx by slot and pin: phys.hi devfn bits, pin */
	const uint32_t map_mask[4] = { 0xf800, 0, 0, 7 };
	const uint32_t dma[5] = { PCI_PHB_LIOBN, 0, 0, PCI_DMA_SIZE >> 32, (uint32_t)PCI_DMA_SIZE };
	char name[40];
	unsigned int i;
	int node, ret;

	if (!h || !h->ndevs)
		return 0;
	snprintf(name, sizeof(name), "pci@%" PRIx64, (uint64_t)PCI_PHB_BUID);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "pci")) ||
	    (ret = fdt_setprop_string(fdt, node, "compatible", "IBM,Logical_PHB")) ||
	    (ret = fdt_setprop_u32(fdt, node, "#address-cells", 3)) ||
	    (ret = fdt_setprop_u32(fdt, node, "#size-cells", 2)) ||
	    (ret = fdt_setprop_u32(fdt, node, "#interrupt-cells", 1)) ||
	    (ret = fdt_cells(fdt, node, "reg", reg, 4)) ||
	    (ret = fdt_cells(fdt, node, "ranges", ranges, 7)) ||
	    (ret = fdt_cells(fdt, node, "bus-range", bus_range, 2)) ||
	    (ret = fdt_cells(fdt, node, "interrupt-map-mask", map_mask, 4)) ||
	    (ret = fdt_setprop(fdt, node, "interrupt-map", NULL, 0)) ||
	    (ret = fdt_setprop_u32(fdt, node, "ibm,#dma-address-cells", 2)) ||
	    (ret = fdt_setprop_u32(fdt, node, "ibm,#dma-size-cells", 2)) ||
	    (ret = fdt_cells(fdt, node, "ibm,dma-window", dma, 5)) ||
	    (ret = fdt_setprop_u32(fdt, node, "ibm,pci-config-space-type", 0)) ||
	    /* The MSI sources the PE may have (Linux __find_pe_total_msi; QEMU's value) */
	    (ret = fdt_setprop_u32(fdt, node, "ibm,pe-total-#msi", XICS_NR_IRQS)))
		return ret;
	for (i = 0; i < h->ndevs; i++) {
		struct pci_dev *p = h->devs[i];
		uint32_t irq, e;
		uint32_t entry[7];

		if (!p->ops->intx_irq || !p->ops->intx_irq(p, &irq))
			continue;
		/* child (phys.hi, mid, lo, pin) -> XICS (source, 0 = level) */
		entry[0] = p->slot << 11;
		entry[1] = entry[2] = 0;
		entry[3] = 1;
		entry[4] = XICS_PHANDLE;
		entry[5] = irq;
		entry[6] = 0;
		for (e = 0; e < 7; e++)
			if ((ret = fdt_appendprop_u32(fdt, node, "interrupt-map", entry[e])))
				return ret;
	}
	/* Children go in front of their siblings: last one first */
	for (i = h->ndevs; i-- > 0;) {
		ret = pci_dev_fdt(fdt, node, h->devs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static struct pci_host *host_get(struct machine *m)
{
	struct pci_host *h = m->pci;

	if (h)
		return h;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->tce = calloc(PCI_DMA_SIZE >> PCI_TCE_SHIFT, sizeof(*h->tce));
	if (!h->tce || rtas_register(m, RTAS_READ_PCI_CONFIG, "read-pci-config", rtas_pci_config) ||
	    rtas_register(m, RTAS_WRITE_PCI_CONFIG, "write-pci-config", rtas_pci_config) ||
	    rtas_register(m, RTAS_IBM_READ_PCI_CONFIG, "ibm,read-pci-config", rtas_pci_config) ||
	    rtas_register(m, RTAS_IBM_WRITE_PCI_CONFIG, "ibm,write-pci-config", rtas_pci_config) ||
	    rtas_register(m, RTAS_IBM_CHANGE_MSI, "ibm,change-msi", rtas_change_msi) ||
	    rtas_register(m, RTAS_IBM_QUERY_INTR_SOURCE, "ibm,query-interrupt-source-number",
			  rtas_query_intr_source) ||
	    hcall_register(m, H_PUT_TCE, h_put_tce) || hcall_register(m, H_GET_TCE, h_get_tce) ||
	    machine_add_fdt_fn(m, pci_fdt)) {
		free(h->tce);
		free(h);
		return NULL;
	}
	h->m = m;
	pthread_mutex_init(&h->lock, NULL);
	m->pci = h;
	return h;
}

int pci_dev_add(struct machine *m, struct pci_dev *p)
{
	struct pci_host *h = host_get(m);
	uint64_t next;
	unsigned int b;

	if (!h)
		return -ENOMEM;
	if (h->ndevs == PCI_MAX_DEVS)
		return -ENOSPC;
	p->slot = h->ndevs;
	/* Preassign the BARs, naturally aligned, in the function's slice */
	next = PCI_MEM_BASE + p->slot * PCI_SLOT_MEM;
	for (b = 0; b < 6; b++) {
		uint64_t size = p->bar_size[b];

		if (!size)
			continue;
		if (size > PCI_SLOT_MEM)
			return -E2BIG;
		next = (next + size - 1) & ~(size - 1);
		p->bar_addr[b] = next;
		put_le(p->cfg + PCI_BAR0 + 4 * b, (uint32_t)next | PCI_BAR_MEM_TYPE_64, 4);
		put_le(p->cfg + PCI_BAR0 + 4 * (b + 1), next >> 32, 4);
		next += size;
	}
	pthread_mutex_lock(&h->lock);
	h->devs[h->ndevs++] = p;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

/*
 * Machine reset (RTAS system-reboot): each function's MSI-X state as at
 * power-on (PCI 3.0 6.8.2: enable and function mask 0, every vector masked)
 * and its interrupt sources given back, so the next boot starts clean.
 */
void pci_reset_msi(struct machine *m)
{
	struct pci_host *h = m->pci;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	for (unsigned int i = 0; i < h->ndevs; i++) {
		struct pci_dev *p = h->devs[i];

		if (!p->msix_cap)
			continue;
		msi_release_locked(h, p);
		for (unsigned int v = 0; v < p->msix_nvec; v++)
			p->msix_table[v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_CTRL] =
				PCI_MSIX_ENTRY_MASKED;
		p->cfg[p->msix_cap + PCI_MSIX_FLAGS + 1] &=
			(uint8_t) ~((PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8);
	}
	pthread_mutex_unlock(&h->lock);
}

void pci_destroy(struct machine *m)
{
	struct pci_host *h = m->pci;

	if (!h)
		return;
	pthread_mutex_destroy(&h->lock);
	free(h->tce);
	free(h);
	m->pci = NULL;
}
