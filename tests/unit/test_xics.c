/* SPDX-License-Identifier: MIT */
/*
 * The XICS state machine (src/vmm/xics.c) without a guest: source routing
 * to a server, priorities against CPPR, reject and resend, level sources
 * re-presented after EOI while asserted, edge sources latched while masked,
 * IPIs, and the output line each ICP drives.
 */
#include "harness.h"
#include "vmm/machine.h"
#include "vmm/xics.h"

static int lines[4];

static void set_line(void *opaque, uint32_t server, int level)
{
	(void)opaque;
	lines[server] = level;
}

static struct xics *mk(void)
{
	for (int i = 0; i < 4; i++)
		lines[i] = 0;
	return xics_new(4, set_line, NULL);
}

TEST(xics_lsi_routed_to_server)
{
	struct xics *x = mk();
	int irq = xics_alloc(x, true);
	uint32_t xirr, srv, prio;

	CHECK_EQ(irq, (int)XICS_IRQ_BASE);
	xics_set_cppr(x, 2, 0xff);
	CHECK_EQ(xics_set_xive(x, irq, 2, 5), 0);
	CHECK_EQ(xics_get_xive(x, irq, &srv, &prio), 0);
	CHECK_EQ(srv, 2);
	CHECK_EQ(prio, 5);
	xics_source(x, irq, 1);
	CHECK_EQ(lines[2], 1);
	CHECK_EQ(lines[0], 0);
	xirr = xics_accept(x, 2);
	CHECK_EQ(xirr, 0xff000000u | irq);
	CHECK_EQ(lines[2], 0);
	/* still asserted at EOI: presented again */
	xics_eoi(x, 2, xirr);
	CHECK_EQ(lines[2], 1);
	xirr = xics_accept(x, 2);
	CHECK_EQ(xirr & 0xffffff, (uint32_t)irq);
	xics_source(x, irq, 0);
	xics_eoi(x, 2, xirr);
	CHECK_EQ(lines[2], 0);
	xirr = xics_accept(x, 2);
	CHECK_EQ(xirr, 0xff000000u); /* nothing pending: XISR 0, CPPR kept */
	xics_free(x);
}

TEST(xics_masked_and_cppr)
{
	struct xics *x = mk();
	int irq = xics_alloc(x, true);
	uint32_t xirr;
	uint8_t mfrr;

	/* masked source (reset state): nothing presented */
	xics_set_cppr(x, 0, 0xff);
	xics_source(x, irq, 1);
	CHECK_EQ(lines[0], 0);
	/* priority 5 against CPPR 5: not more favoured, held */
	xics_set_cppr(x, 0, 5);
	xics_set_xive(x, irq, 0, 5);
	CHECK_EQ(lines[0], 0);
	/* CPPR opens: resent */
	xics_set_cppr(x, 0, 6);
	CHECK_EQ(lines[0], 1);
	xics_poll(x, 0, &xirr, &mfrr);
	CHECK_EQ(xirr, 0x06000000u | irq);
	/* CPPR closes over it: taken back, line down */
	xics_set_cppr(x, 0, 2);
	CHECK_EQ(lines[0], 0);
	xics_poll(x, 0, &xirr, &mfrr);
	CHECK_EQ(xirr, 0x02000000u);
	/* int-off keeps it back even with CPPR open; int-on restores priority */
	CHECK_EQ(xics_int_off(x, irq), 0);
	xics_set_cppr(x, 0, 0xff);
	CHECK_EQ(lines[0], 0);
	CHECK_EQ(xics_int_on(x, irq), 0);
	CHECK_EQ(lines[0], 1);
	xics_free(x);
}

TEST(xics_msi_latched_while_masked)
{
	struct xics *x = mk();
	int irq = xics_alloc(x, false);
	uint32_t xirr;

	xics_set_cppr(x, 1, 0xff);
	xics_source(x, irq, 1); /* masked: remembered */
	CHECK_EQ(lines[1], 0);
	xics_set_xive(x, irq, 1, 4);
	CHECK_EQ(lines[1], 1);
	xirr = xics_accept(x, 1);
	CHECK_EQ(xirr, 0xff000000u | irq);
	xics_eoi(x, 1, xirr);
	CHECK_EQ(lines[1], 0); /* edge: not presented again */
	xics_free(x);
}

TEST(xics_priority_order_and_ipi)
{
	struct xics *x = mk();
	int a = xics_alloc(x, false), b = xics_alloc(x, false);
	uint32_t xirr;
	uint8_t mfrr;

	xics_set_cppr(x, 0, 0xff);
	xics_set_xive(x, a, 0, 6);
	xics_set_xive(x, b, 0, 3);
	xics_source(x, a, 1);
	xics_source(x, b, 1); /* more favoured: a is rejected */
	xirr = xics_accept(x, 0);
	CHECK_EQ(xirr, 0xff000000u | b);
	/* CPPR is 3 now: the IPI at 4 waits */
	xics_set_mfrr(x, 0, 4);
	xics_poll(x, 0, &xirr, &mfrr);
	CHECK_EQ(xirr, 0x03000000u);
	CHECK_EQ(mfrr, 4);
	/* EOI back to 0xff: the IPI (4) beats the rejected a (6) */
	xics_eoi(x, 0, 0xff000000u | b);
	xirr = xics_accept(x, 0);
	CHECK_EQ(xirr, 0xff000000u | XICS_IPI);
	xics_set_mfrr(x, 0, 0xff);
	xics_eoi(x, 0, xirr);
	xirr = xics_accept(x, 0);
	CHECK_EQ(xirr, 0xff000000u | a);
	xics_free(x);
}

TEST(xics_bad_arguments)
{
	struct xics *x = mk();
	uint32_t s, p;

	CHECK_EQ(xics_set_xive(x, 0x10, 0, 5), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(xics_set_xive(x, XICS_IRQ_BASE, 4, 5), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(xics_set_xive(x, XICS_IRQ_BASE, 0, 0x100), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(xics_get_xive(x, XICS_IRQ_BASE + XICS_NR_IRQS, &s, &p), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(xics_int_on(x, 3), RTAS_OUT_PARAM_ERROR);
	xics_source(x, 0xffffffffu, 1); /* ignored */
	CHECK(xics_new(0, set_line, NULL) == NULL);
	CHECK(xics_new(PPCVM_MAX_VCPUS + 1, set_line, NULL) == NULL);
	xics_free(x);
}
