/* SPDX-License-Identifier: MIT */
/*
 * XICS, the PAPR interrupt controller (PAPR 2.7 chapter 6; Linux
 * arch/powerpc/sysdev/xics: icp-hv.c and ics-rtas.c drive it), kept in the
 * VMM as kvmtool does:
 *  - one presentation controller (ICP) per vCPU, its server number = the vCPU
 *    id, driven by the hcalls H_XIRR, H_XIRR_X, H_CPPR, H_EOI, H_IPI, H_IPOLL;
 *    XIRR = CPPR << 24 | XISR; XISR 2 is the inter-processor interrupt;
 *  - one source controller (ICS): XICS_NR_IRQS sources numbered from
 *    XICS_IRQ_BASE, configured with RTAS ibm,set-xive / ibm,get-xive /
 *    ibm,int-on / ibm,int-off (priority 0xff = masked);
 *  - the ICP raises a vCPU's external interrupt line with
 *    ppcvm_vcpu_set_irq(), which wakes the vCPU if it sleeps in H_CEDE.
 *
 * For devices (any thread):
 *   int irq = xics_alloc_irq(m, true);     a level (LSI) source, or -errno
 *   xics_set_irq(m, irq, 1) / (m, irq, 0)  assert / deassert the line
 * A message-signalled (edge) source from xics_alloc_irq(m, false) fires on
 * xics_set_irq(m, irq, 1); level 0 is ignored. In the device's node put
 *   interrupts = <irq 0> (0 = level, 1 = edge... Linux ignores the sense)
 *   interrupt-parent = <XICS_PHANDLE>  (the root node has it too).
 */
#ifndef PPCVM_VMM_XICS_H
#define PPCVM_VMM_XICS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <ppcvm/ppcvm.h>

#define XICS_IRQ_BASE 0x1000u /* QEMU's pseries numbering */
#define XICS_NR_IRQS  1024u
#define XICS_IPI      2u
#define XICS_PHANDLE  0x1111u /* as QEMU */
#define XICS_MASKED   0xffu

struct machine;

struct xics_icp {
	uint32_t xirr;		  /* CPPR << 24 | XISR */
	uint8_t pending_priority; /* of the interrupt in XISR (0xff: none) */
	uint8_t mfrr;		  /* IPI priority, 0xff: no IPI */
};

struct xics_src {
	uint32_t server;
	uint8_t priority;	/* 0xff: masked */
	uint8_t saved_priority; /* restored by ibm,int-on */
	uint8_t status;		/* XICS_ST_* */
	bool lsi;		/* level-triggered */
	bool used;		/* allocated by a device */
};

/* Called with the state lock held; must not call back into xics */
typedef void (*xics_line_fn)(void *opaque, uint32_t server, int level);

struct xics {
	pthread_mutex_t lock;
	uint32_t nservers;
	struct xics_icp icp[PPCVM_MAX_VCPUS];
	struct xics_src src[XICS_NR_IRQS];
	xics_line_fn set_line;
	void *opaque;
};

/* The state machine alone (unit tests; the machine glue uses it too) */
struct xics *xics_new(uint32_t nservers, xics_line_fn fn, void *opaque);
void xics_free(struct xics *x);
/* Every ICP idle (CPPR 0, no IPI), every source masked and idle; allocations stay */
void xics_reset(struct xics *x);
int xics_alloc(struct xics *x, bool lsi);
/* n contiguous sources, first number or -errno; and giving them back */
int xics_alloc_block(struct xics *x, uint32_t n, bool lsi);
void xics_free_block(struct xics *x, uint32_t irq, uint32_t n);
void xics_source(struct xics *x, uint32_t irq, int level);
/* ICP operations: server must be < nservers (the hcall layer checks) */
uint32_t xics_accept(struct xics *x, uint32_t server); /* H_XIRR */
void xics_set_cppr(struct xics *x, uint32_t server, uint8_t cppr);
void xics_eoi(struct xics *x, uint32_t server, uint32_t xirr);
void xics_set_mfrr(struct xics *x, uint32_t server, uint8_t mfrr); /* H_IPI */
void xics_poll(struct xics *x, uint32_t server, uint32_t *xirr, uint8_t *mfrr);
/* ICS operations: RTAS status (0 or -3 for a bad irq, server or priority) */
int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t prio);
int xics_get_xive(struct xics *x, uint32_t irq, uint32_t *server, uint32_t *prio);
int xics_int_off(struct xics *x, uint32_t irq);
int xics_int_on(struct xics *x, uint32_t irq);

/* The machine's XICS: hcalls, RTAS services, device-tree node */
int xics_init(struct machine *m);
void xics_machine_free(struct machine *m);
/* Allocate (first boot) or reset the state; 0 or -ENOMEM */
int xics_machine_reset(struct machine *m);
/* For devices: see the top of this file */
int xics_alloc_irq(struct machine *m, bool lsi);
int xics_alloc_irqs(struct machine *m, uint32_t n, bool lsi); /* a block (MSI) */
void xics_free_irqs(struct machine *m, uint32_t irq, uint32_t n);
void xics_set_irq(struct machine *m, uint32_t irq, int level);

#endif
