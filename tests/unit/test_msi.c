// SPDX-License-Identifier: MIT
/*
 * MSI-X on the PAPR PHB (src/vmm/pci.c) and virtio-pci (virtio_pci.c):
 * ibm,change-msi / ibm,query-interrupt-source-number with good and bad
 * arguments, the table the PHB programs, and the rng's used-buffer
 * notification going out as its queue's vector: masked -> PBA pending ->
 * sent on unmask, the function mask, NO_VECTOR, and INTx once MSI-X is off.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/virtio.h"
#include "vmm/xics.h"

#define MT_RAM	 (1u << 20)
#define MT_DESC	 0x1000
#define MT_AVAIL 0x2000
#define MT_USED	 0x3000
#define MT_DATA	 0x10000
/* virtio_pci.c's layout of BAR 4 and its MSI-X capability */
#define MT_ISR	  0x1000
#define MT_TABLE  0x1800
#define MT_PBA	  0x1c00
#define MT_NOTIFY 0x3000
#define MT_CAP	  0x84
/* The rng is in slot 1 (console in slot 0) */
#define MT_SLOT 1
#define MT_BASE (PCI_MEM_BASE + PCI_SLOT_MEM)

static int mt_line;

static void mt_set_line(void *opaque, uint32_t server, int level)
{
	(void)opaque;
	if (server == 0)
		mt_line = level;
}

static struct machine *mt_machine(bool with_xics)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	char err[200];

	CHECK_EQ(machine_init_tables(m, &cfg, err, sizeof(err)), 0);
	m->ram = aligned_alloc(4096, MT_RAM);
	memset(m->ram, 0, MT_RAM);
	m->ram_size = MT_RAM;
	CHECK_EQ(virtio_machine_init(m, err, sizeof(err)), 0);
	mt_line = 0;
	if (with_xics) {
		m->xics = xics_new(1, mt_set_line, NULL);
		xics_set_cppr(m->xics, 0, 0xff);
	}
	return m;
}

static void mt_free(struct machine *m)
{
	virtio_destroy_all(m);
	pci_destroy(m);
	xics_free(m->xics);
	free(m->ram);
	free(m);
}

static uint32_t mt_cfg_addr(unsigned int slot)
{
	return slot << 11;
}

static uint32_t cfg_rd(struct machine *m, uint32_t reg, uint32_t size)
{
	uint32_t v = 0;

	CHECK_EQ(pci_rtas_config(m, mt_cfg_addr(MT_SLOT) | reg, size, &v, false), RTAS_OUT_SUCCESS);
	return v;
}

static void cfg_wr(struct machine *m, uint32_t reg, uint32_t size, uint32_t v)
{
	CHECK_EQ(pci_rtas_config(m, mt_cfg_addr(MT_SLOT) | reg, size, &v, true), RTAS_OUT_SUCCESS);
}

static uint64_t bar_rd(struct machine *m, uint64_t off, uint32_t len)
{
	uint8_t b[8];
	uint64_t v = 0;
	uint32_t i;

	CHECK(pci_mmio_access(m, MT_BASE + off, b, len, false));
	for (i = 0; i < len; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void bar_wr(struct machine *m, uint64_t off, uint32_t len, uint64_t v)
{
	uint8_t b[8];
	uint32_t i;

	for (i = 0; i < len; i++)
		b[i] = v >> (8 * i);
	CHECK(pci_mmio_access(m, MT_BASE + off, b, len, true));
}

static void put16(struct machine *m, uint64_t a, uint16_t v)
{
	m->ram[a] = v;
	m->ram[a + 1] = v >> 8;
}

/* Call an RTAS service directly, as h_rtas would */
static uint32_t mt_rtas(struct machine *m, uint32_t token, uint32_t nargs, const uint32_t *args,
			uint32_t nret, uint32_t *rets)
{
	unsigned int i;

	rets[0] = RTAS_OUT_PARAM_ERROR;
	for (i = 0; i < m->nr_rtas; i++)
		if (m->rtas[i].token == token)
			m->rtas[i].fn(m, NULL, token, nargs, args, nret, rets);
	return rets[0];
}

static uint32_t change_msi(struct machine *m, unsigned int slot, uint32_t func, uint32_t n,
			   uint32_t *rets)
{
	uint32_t a[6] = {
		mt_cfg_addr(slot), PCI_PHB_BUID >> 32, (uint32_t)PCI_PHB_BUID, func, n, 7
	};

	return mt_rtas(m, RTAS_IBM_CHANGE_MSI, 6, a, 4, rets);
}

static uint32_t query_src(struct machine *m, unsigned int slot, uint32_t vec, uint32_t *rets)
{
	uint32_t a[4] = { mt_cfg_addr(slot), PCI_PHB_BUID >> 32, (uint32_t)PCI_PHB_BUID, vec };

	return mt_rtas(m, RTAS_IBM_QUERY_INTR_SOURCE, 4, a, 3, rets);
}

TEST(msi_rtas_bad_args)
{
	struct machine *m = mt_machine(true);
	uint32_t r[4], a[6] = { mt_cfg_addr(MT_SLOT),
				PCI_PHB_BUID >> 32,
				(uint32_t)PCI_PHB_BUID,
				RTAS_CHANGE_MSIX_FN,
				1,
				0 };

	/* Wrong argument / result counts */
	CHECK_EQ(mt_rtas(m, RTAS_IBM_CHANGE_MSI, 5, a, 4, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(mt_rtas(m, RTAS_IBM_CHANGE_MSI, 6, a, 2, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(mt_rtas(m, RTAS_IBM_QUERY_INTR_SOURCE, 3, a, 3, r),
		 (uint32_t)RTAS_OUT_PARAM_ERROR);
	/* Another BUID; no function in slot 5 */
	a[2] ^= 1;
	CHECK_EQ(mt_rtas(m, RTAS_IBM_CHANGE_MSI, 6, a, 4, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(mt_rtas(m, RTAS_IBM_QUERY_INTR_SOURCE, 4, a, 3, r),
		 (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(change_msi(m, 5, RTAS_CHANGE_MSIX_FN, 1, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	/* No MSI capability (MSI-X only); unknown functions */
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSI_FN, 1, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_32MSI_FN, 1, r),
		 (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(change_msi(m, MT_SLOT, 0, 1, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(change_msi(m, MT_SLOT, 77, 1, r), (uint32_t)RTAS_OUT_PARAM_ERROR);
	/* Releasing what was never given; querying a vector that has no source */
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_FN, 0, r), (uint32_t)RTAS_OUT_HW_ERROR);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), (uint32_t)RTAS_OUT_HW_ERROR);
	/* More than the table (rng: 1 queue + config = 2): the size comes back */
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 8, r), 0u);
	CHECK_EQ(r[1], 2u);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), (uint32_t)RTAS_OUT_HW_ERROR);
	mt_free(m);

	/* No interrupt controller: nothing to allocate from */
	m = mt_machine(false);
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 1, r), (uint32_t)RTAS_OUT_HW_ERROR);
	mt_free(m);
}

TEST(msi_rtas_change_and_query)
{
	struct machine *m = mt_machine(true);
	uint32_t r[4], first;

	/* The table size in the capability (N - 1) */
	CHECK_EQ(cfg_rd(m, MT_CAP, 1), (uint32_t)PCI_CAP_ID_MSIX);
	CHECK_EQ(cfg_rd(m, MT_CAP + 2, 2), 1u);
	CHECK_EQ(cfg_rd(m, MT_CAP + 4, 4), (uint32_t)MT_TABLE | 4);
	CHECK_EQ(cfg_rd(m, MT_CAP + 8, 4), (uint32_t)MT_PBA | 4);
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 2, r), 0u);
	CHECK_EQ(r[1], 2u);
	CHECK_EQ(r[2], 8u); /* seq + 1 */
	CHECK_EQ(r[3], (uint32_t)RTAS_TYPE_MSIX);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), 0u);
	first = r[1];
	CHECK_EQ(r[2], 1u); /* edge */
	CHECK(first >= XICS_IRQ_BASE && first < XICS_IRQ_BASE + XICS_NR_IRQS);
	CHECK_EQ(query_src(m, MT_SLOT, 1, r), 0u);
	CHECK_EQ(r[1], first + 1);
	CHECK_EQ(query_src(m, MT_SLOT, 2, r), (uint32_t)RTAS_OUT_HW_ERROR);
	/* The PHB wrote the messages: its window, data = source */
	cfg_wr(m, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(bar_rd(m, MT_TABLE + 16, 8), PCI_MSI_WINDOW);
	CHECK_EQ(bar_rd(m, MT_TABLE + 16 + 8, 4), (uint64_t)first + 1);
	CHECK_EQ(bar_rd(m, MT_TABLE + 16 + 12, 4), 1u); /* still masked */
	/* Another function's block does not overlap */
	CHECK_EQ(change_msi(m, 0, RTAS_CHANGE_FN, 1, r), 0u);
	CHECK_EQ(query_src(m, 0, 0, r), 0u);
	CHECK(r[1] != first && r[1] != first + 1);
	/* Release: the sources go, the messages are cleared */
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 0, r), 0u);
	CHECK_EQ(r[1], 0u);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), (uint32_t)RTAS_OUT_HW_ERROR);
	CHECK_EQ(bar_rd(m, MT_TABLE + 16, 8), 0u);
	/* ... and can be had again */
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 1, r), 0u);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), 0u);
	CHECK_EQ(r[1], first);
	mt_free(m);
}

/* Driver setup of the rng's queue 0 (8 entries) through the common config */
static void rng_setup(struct machine *m)
{
	bar_wr(m, 0x14, 1, 0);
	bar_wr(m, 0x14, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	bar_wr(m, 0x08, 4, 1);
	bar_wr(m, 0x0c, 4, 1);
	bar_wr(m, 0x14, 1, 0x0b);
	bar_wr(m, 0x16, 2, 0);
	bar_wr(m, 0x18, 2, 8);
	bar_wr(m, 0x20, 8, MT_DESC);
	bar_wr(m, 0x28, 8, MT_AVAIL);
	bar_wr(m, 0x30, 8, MT_USED);
	bar_wr(m, 0x1c, 2, 1);
	bar_wr(m, 0x14, 1, 0x0f);
	/* Descriptor 0: one 16-byte writable buffer */
	m->ram[MT_DESC] = MT_DATA & 0xff;
	m->ram[MT_DESC + 1] = (MT_DATA >> 8) & 0xff;
	m->ram[MT_DESC + 2] = MT_DATA >> 16;
	m->ram[MT_DESC + 8] = 16;
	put16(m, MT_DESC + 12, VIRTQ_DESC_F_WRITE);
}

/* Offer descriptor 0 again and notify: one used buffer, one notification */
static void rng_kick(struct machine *m, uint16_t *avail_idx)
{
	put16(m, MT_AVAIL + 4 + 2 * (*avail_idx % 8), 0);
	(*avail_idx)++;
	put16(m, MT_AVAIL + 2, *avail_idx);
	bar_wr(m, MT_NOTIFY, 2, 0);
	CHECK_EQ(m->ram[MT_USED + 2], *avail_idx & 0xff);
}

/* The source the ICP presents to server 0 (and EOI it), 0 if none */
static uint32_t take_irq(struct machine *m)
{
	uint32_t xirr;

	if (!mt_line)
		return 0;
	xirr = xics_accept(m->xics, 0);
	xics_eoi(m->xics, 0, 0xff000000u | (xirr & 0xffffff));
	return xirr & 0xffffff;
}

TEST(msix_virtio_vector_delivery_and_masking)
{
	struct machine *m = mt_machine(true);
	uint32_t r[4], first;
	uint16_t avail = 0;

	cfg_wr(m, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(change_msi(m, MT_SLOT, RTAS_CHANGE_MSIX_FN, 2, r), 0u);
	CHECK_EQ(query_src(m, MT_SLOT, 0, r), 0u);
	first = r[1];
	CHECK_EQ(xics_set_xive(m->xics, first, 0, 5), 0);
	CHECK_EQ(xics_set_xive(m->xics, first + 1, 0, 5), 0);
	/* Enable MSI-X with the function masked, as Linux's msix_capability_init */
	cfg_wr(m, MT_CAP + 2, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	CHECK_EQ(cfg_rd(m, MT_CAP + 2, 2), 0xc001u); /* table size is read-only */
	rng_setup(m);
	/* Vectors: config 0, queue 1; a vector past the table reads NO_VECTOR */
	bar_wr(m, 0x10, 2, 0);
	CHECK_EQ(bar_rd(m, 0x10, 2), 0u);
	bar_wr(m, 0x1a, 2, 2);
	CHECK_EQ(bar_rd(m, 0x1a, 2), 0xffffu);
	bar_wr(m, 0x1a, 2, 1);
	CHECK_EQ(bar_rd(m, 0x1a, 2), 1u);
	/* Function masked: the vector is pending, nothing is sent, no INTx */
	rng_kick(m, &avail);
	CHECK_EQ(mt_line, 0);
	CHECK_EQ(bar_rd(m, MT_PBA, 8), 2u);
	CHECK_EQ(bar_rd(m, MT_ISR, 1), 0u);
	/* Function unmasked, the vector still masked: still pending */
	cfg_wr(m, MT_CAP + 2, 2, PCI_MSIX_FLAGS_ENABLE);
	CHECK_EQ(mt_line, 0);
	CHECK_EQ(bar_rd(m, MT_PBA, 4), 2u);
	/* The PBA is read-only; the vector control has only the mask bit */
	bar_wr(m, MT_PBA, 4, 0);
	CHECK_EQ(bar_rd(m, MT_PBA, 4), 2u);
	/* Unmasking the vector sends the pending message */
	bar_wr(m, MT_TABLE + 16 + 12, 4, 0xfffffffe);
	CHECK_EQ(bar_rd(m, MT_TABLE + 16 + 12, 4), 0u);
	CHECK_EQ(bar_rd(m, MT_PBA, 4), 0u);
	CHECK_EQ(take_irq(m), first + 1);
	CHECK_EQ(take_irq(m), 0u);
	/* Unmasked: each used buffer sends at once */
	rng_kick(m, &avail);
	CHECK_EQ(take_irq(m), first + 1);
	CHECK_EQ(bar_rd(m, MT_ISR, 1), 0u);
	/* Masked again: pending until the mask goes */
	bar_wr(m, MT_TABLE + 16 + 12, 4, 1);
	rng_kick(m, &avail);
	CHECK_EQ(take_irq(m), 0u);
	CHECK_EQ(bar_rd(m, MT_PBA, 4), 2u);
	bar_wr(m, MT_TABLE + 16 + 12, 4, 0);
	CHECK_EQ(take_irq(m), first + 1);
	/* A message the guest rewrote to another source is not delivered */
	bar_wr(m, MT_TABLE + 16 + 8, 4, first + 7);
	rng_kick(m, &avail);
	CHECK_EQ(take_irq(m), 0u);
	bar_wr(m, MT_TABLE + 16 + 8, 4, first + 1);
	/* NO_VECTOR: the driver wants no interrupt for the queue */
	bar_wr(m, 0x1a, 2, 0xffff);
	rng_kick(m, &avail);
	CHECK_EQ(take_irq(m), 0u);
	CHECK_EQ(bar_rd(m, MT_PBA, 4), 0u);
	CHECK_EQ(bar_rd(m, MT_ISR, 1), 0u);
	/* MSI-X off: the ISR and INTx again (no XICS LSI here: the ISR says it) */
	cfg_wr(m, MT_CAP + 2, 2, 0);
	rng_kick(m, &avail);
	CHECK_EQ(take_irq(m), 0u);
	CHECK_EQ(bar_rd(m, MT_ISR, 1), (uint64_t)VIRTIO_INT_USED);
	/* A device reset forgets the vectors */
	bar_wr(m, 0x14, 1, 0);
	CHECK_EQ(bar_rd(m, 0x10, 2), 0xffffu);
	CHECK_EQ(bar_rd(m, 0x1a, 2), 0xffffu);
	mt_free(m);
}

TEST(msix_table_bad_accesses)
{
	struct machine *m = mt_machine(true);

	cfg_wr(m, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	/* Misaligned or odd-sized: reads 0, writes nothing, still claimed */
	bar_wr(m, MT_TABLE, 4, 0x12345678);
	bar_wr(m, MT_TABLE + 2, 4, 0xffffffff);
	bar_wr(m, MT_TABLE, 2, 0xffff);
	CHECK_EQ(bar_rd(m, MT_TABLE, 4), 0x12345678u);
	CHECK_EQ(bar_rd(m, MT_TABLE + 2, 4), 0u);
	CHECK_EQ(bar_rd(m, MT_TABLE, 1), 0u);
	/* Past the 2-entry table: not the table (the ISR page's spare room) */
	bar_wr(m, MT_TABLE + 32, 4, 0xffffffff);
	CHECK_EQ(bar_rd(m, MT_TABLE + 32, 4), 0u);
	/* An 8-byte access across the table's end */
	CHECK_EQ(bar_rd(m, MT_TABLE + 28, 8), 0u);
	mt_free(m);
}

TEST(msi_fdt_properties)
{
	struct machine *m = mt_machine(false);
	static uint8_t fdt[FDT_MAX_SIZE];
	const fdt32_t *p;
	int phb, node, len;

	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	phb = fdt_path_offset(fdt, "/pci@800000020000000");
	CHECK(phb >= 0);
	p = fdt_getprop(fdt, phb, "ibm,pe-total-#msi", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(p[0]) == XICS_NR_IRQS);
	node = fdt_subnode_offset(fdt, phb, "virtio@1");
	CHECK(node >= 0);
	p = fdt_getprop(fdt, node, "ibm,req#msi-x", &len);
	CHECK(p && len == 4 && fdt32_to_cpu(p[0]) == 2u);
	CHECK(!fdt_getprop(fdt, node, "ibm,req#msi", NULL));
	node = fdt_path_offset(fdt, "/rtas");
	CHECK(node >= 0 && fdt_getprop(fdt, node, "ibm,change-msi", NULL));
	CHECK(fdt_getprop(fdt, node, "ibm,query-interrupt-source-number", NULL));
	mt_free(m);
}
