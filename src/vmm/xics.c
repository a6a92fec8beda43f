// SPDX-License-Identifier: MIT
/*
 * XICS (see xics.h): the presentation and source state machines of PAPR 2.7
 * chapter 6, with the ordering rules of Linux KVM's book3s_xics.c and
 * QEMU's hw/intc/xics.c: an interrupt the ICP cannot take (priority not
 * more favoured than CPPR, or a more favoured one already pending) is
 * rejected back to its source and resent when the CPPR becomes less
 * favoured or at EOI. One lock covers the whole controller.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/machine.h"
#include "vmm/smp.h"
#include "vmm/xics.h"

#define XISR_MASK 0x00ffffffu
#define CPPR(icp) ((uint8_t)((icp)->xirr >> 24))
#define XISR(icp) ((icp)->xirr & XISR_MASK)

/* Source status bits */
#define XICS_ST_ASSERTED       0x1 /* level source: line high */
#define XICS_ST_SENT	       0x2 /* level source: presented, not yet EOIed */
#define XICS_ST_REJECTED       0x4 /* edge source: bounced by an ICP, resend */
#define XICS_ST_MASKED_PENDING 0x8 /* edge source fired while masked */

/* RTAS tokens: QEMU's numbers (include/hw/ppc/spapr.h) */
#define RTAS_IBM_SET_XIVE 0x200a
#define RTAS_IBM_GET_XIVE 0x200b
#define RTAS_IBM_INT_OFF  0x200c
#define RTAS_IBM_INT_ON	  0x200d

static struct xics_src *src_of(struct xics *x, uint32_t irq)
{
	if (irq < XICS_IRQ_BASE || irq - XICS_IRQ_BASE >= XICS_NR_IRQS)
		return NULL;
	return &x->src[irq - XICS_IRQ_BASE];
}

static void line(struct xics *x, uint32_t server, int level)
{
	if (x->set_line)
		x->set_line(x->opaque, server, level);
}

/* The ICP would not take irq: the source keeps it for a later resend */
static void ics_reject(struct xics *x, uint32_t irq)
{
	struct xics_src *s = src_of(x, irq);

	if (!s)
		return; /* the IPI lives in the MFRR, nothing to keep */
	if (s->lsi)
		s->status &= ~XICS_ST_SENT;
	else
		s->status |= XICS_ST_REJECTED;
}

/* Present irq at priority to a server's ICP (PAPR 6.4.2) */
static void icp_irq(struct xics *x, uint32_t server, uint32_t irq, uint8_t priority)
{
	struct xics_icp *icp;

	if (server >= x->nservers) {
		ics_reject(x, irq);
		return;
	}
	icp = &x->icp[server];
	if (priority >= CPPR(icp) || (XISR(icp) && icp->pending_priority <= priority)) {
		ics_reject(x, irq);
		return;
	}
	if (XISR(icp))
		ics_reject(x, XISR(icp));
	icp->xirr = (icp->xirr & ~XISR_MASK) | irq;
	icp->pending_priority = priority;
	line(x, server, 1);
}

static void ics_resend_lsi(struct xics *x, uint32_t n)
{
	struct xics_src *s = &x->src[n];

	if (s->priority != XICS_MASKED && (s->status & XICS_ST_ASSERTED) &&
	    !(s->status & XICS_ST_SENT)) {
		s->status |= XICS_ST_SENT;
		icp_irq(x, s->server, XICS_IRQ_BASE + n, s->priority);
	}
}

static void ics_resend_msi(struct xics *x, uint32_t n)
{
	struct xics_src *s = &x->src[n];

	if (s->status & XICS_ST_REJECTED) {
		s->status &= ~XICS_ST_REJECTED;
		if (s->priority != XICS_MASKED)
			icp_irq(x, s->server, XICS_IRQ_BASE + n, s->priority);
	}
}

static void ics_resend(struct xics *x)
{
	for (uint32_t n = 0; n < XICS_NR_IRQS; n++) {
		if (!x->src[n].status)
			continue;
		if (x->src[n].lsi)
			ics_resend_lsi(x, n);
		else
			ics_resend_msi(x, n);
	}
}

/* Present the IPI if it beats what is pending (mfrr < CPPR checked by callers) */
static void icp_check_ipi(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];

	if (XISR(icp) && icp->pending_priority <= icp->mfrr)
		return;
	if (XISR(icp))
		ics_reject(x, XISR(icp));
	icp->xirr = (icp->xirr & ~XISR_MASK) | XICS_IPI;
	icp->pending_priority = icp->mfrr;
	line(x, server, 1);
}

static void icp_resend(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];

	if (icp->mfrr < CPPR(icp))
		icp_check_ipi(x, server);
	ics_resend(x);
}

struct xics *xics_new(uint32_t nservers, xics_line_fn fn, void *opaque)
{
	struct xics *x;

	if (!nservers || nservers > PPCVM_MAX_VCPUS)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	pthread_mutex_init(&x->lock, NULL);
	x->nservers = nservers;
	x->set_line = fn;
	x->opaque = opaque;
	xics_reset(x);
	return x;
}

void xics_free(struct xics *x)
{
	if (!x)
		return;
	pthread_mutex_destroy(&x->lock);
	free(x);
}

void xics_reset(struct xics *x)
{
	pthread_mutex_lock(&x->lock);
	for (uint32_t i = 0; i < PPCVM_MAX_VCPUS; i++) {
		/* CPPR 0: everything masked until the OS lowers it */
		x->icp[i].xirr = 0;
		x->icp[i].pending_priority = 0xff;
		x->icp[i].mfrr = 0xff;
	}
	for (uint32_t n = 0; n < XICS_NR_IRQS; n++) {
		x->src[n].server = 0;
		x->src[n].priority = XICS_MASKED;
		x->src[n].saved_priority = XICS_MASKED;
		x->src[n].status = 0;
	}
	pthread_mutex_unlock(&x->lock);
}

int xics_alloc(struct xics *x, bool lsi)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&x->lock);
	for (uint32_t n = 0; n < XICS_NR_IRQS; n++) {
		if (!x->src[n].used) {
			x->src[n].used = true;
			x->src[n].lsi = lsi;
			ret = (int)(XICS_IRQ_BASE + n);
			break;
		}
	}
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/* n contiguous free sources (an MSI block, as QEMU's spapr_irq_msi_alloc) */
int xics_alloc_block(struct xics *x, uint32_t n, bool lsi)
{
	int ret = -ENOSPC;
	uint32_t first, k;

	if (!n || n > XICS_NR_IRQS)
		return -EINVAL;
	pthread_mutex_lock(&x->lock);
	for (first = 0; first + n <= XICS_NR_IRQS && ret < 0; first++) {
		for (k = 0; k < n && !x->src[first + k].used; k++)
			;
		if (k < n) {
			first += k; /* skip past the used one */
			continue;
		}
		for (k = 0; k < n; k++) {
			x->src[first + k].used = true;
			x->src[first + k].lsi = lsi;
		}
		ret = (int)(XICS_IRQ_BASE + first);
	}
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/* Give back n sources from irq: masked and idle again */
void xics_free_block(struct xics *x, uint32_t irq, uint32_t n)
{
	uint32_t k;

	pthread_mutex_lock(&x->lock);
	for (k = 0; k < n; k++) {
		struct xics_src *s = src_of(x, irq + k);

		if (!s)
			break;
		memset(s, 0, sizeof(*s));
		s->priority = s->saved_priority = XICS_MASKED;
	}
	pthread_mutex_unlock(&x->lock);
}

void xics_source(struct xics *x, uint32_t irq, int level)
{
	struct xics_src *s;

	pthread_mutex_lock(&x->lock);
	s = src_of(x, irq);
	if (s && s->lsi) {
		if (level)
			s->status |= XICS_ST_ASSERTED;
		else
			s->status &= ~XICS_ST_ASSERTED;
		ics_resend_lsi(x, irq - XICS_IRQ_BASE);
	} else if (s && level) {
		if (s->priority == XICS_MASKED)
			s->status |= XICS_ST_MASKED_PENDING;
		else
			icp_irq(x, s->server, irq, s->priority);
	}
	pthread_mutex_unlock(&x->lock);
}

/*
 * H_XIRR: take the pending interrupt, CPPR becomes its priority. With
 * nothing pending XISR reads 0 and the CPPR stays (as KVM's kvmppc_h_xirr).
 */
uint32_t xics_accept(struct xics *x, uint32_t server)
{
	struct xics_icp *icp = &x->icp[server];
	uint32_t xirr;

	pthread_mutex_lock(&x->lock);
	xirr = icp->xirr;
	if (XISR(icp)) {
		line(x, server, 0);
		icp->xirr = (uint32_t)icp->pending_priority << 24;
		icp->pending_priority = 0xff;
	}
	pthread_mutex_unlock(&x->lock);
	return xirr;
}

void xics_set_cppr(struct xics *x, uint32_t server, uint8_t cppr)
{
	struct xics_icp *icp = &x->icp[server];
	uint8_t old;

	pthread_mutex_lock(&x->lock);
	old = CPPR(icp);
	icp->xirr = (icp->xirr & XISR_MASK) | (uint32_t)cppr << 24;
	if (cppr < old) {
		/* More favoured: a pending interrupt that no longer beats it goes back */
		if (XISR(icp) && cppr <= icp->pending_priority) {
			uint32_t irq = XISR(icp);

			icp->xirr &= ~XISR_MASK;
			icp->pending_priority = 0xff;
			line(x, server, 0);
			ics_reject(x, irq);
		}
	} else if (!XISR(icp)) {
		icp_resend(x, server);
	}
	pthread_mutex_unlock(&x->lock);
}

void xics_eoi(struct xics *x, uint32_t server, uint32_t xirr)
{
	struct xics_icp *icp = &x->icp[server];
	struct xics_src *s;

	pthread_mutex_lock(&x->lock);
	icp->xirr = (icp->xirr & XISR_MASK) | (xirr & ~XISR_MASK);
	s = src_of(x, xirr & XISR_MASK);
	if (s && s->lsi)
		s->status &= ~XICS_ST_SENT;
	if (!XISR(icp))
		icp_resend(x, server);
	pthread_mutex_unlock(&x->lock);
}

void xics_set_mfrr(struct xics *x, uint32_t server, uint8_t mfrr)
{
	struct xics_icp *icp = &x->icp[server];

	pthread_mutex_lock(&x->lock);
	icp->mfrr = mfrr;
	if (mfrr < CPPR(icp))
		icp_check_ipi(x, server);
	pthread_mutex_unlock(&x->lock);
}

void xics_poll(struct xics *x, uint32_t server, uint32_t *xirr, uint8_t *mfrr)
{
	pthread_mutex_lock(&x->lock);
	*xirr = x->icp[server].xirr;
	*mfrr = x->icp[server].mfrr;
	pthread_mutex_unlock(&x->lock);
}

static void set_xive_locked(struct xics *x, struct xics_src *s, uint32_t irq, uint32_t server,
			    uint32_t prio)
{
	s->server = server;
	s->priority = (uint8_t)prio;
	s->saved_priority = (uint8_t)prio;
	if (s->lsi) {
		ics_resend_lsi(x, irq - XICS_IRQ_BASE);
	} else if ((s->status & XICS_ST_MASKED_PENDING) && prio != XICS_MASKED) {
		s->status &= ~XICS_ST_MASKED_PENDING;
		icp_irq(x, server, irq, (uint8_t)prio);
	}
}

int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t prio)
{
	struct xics_src *s = src_of(x, irq);

	if (!s || server >= x->nservers || prio > 0xff)
		return RTAS_OUT_PARAM_ERROR;
	pthread_mutex_lock(&x->lock);
	set_xive_locked(x, s, irq, server, prio);
	pthread_mutex_unlock(&x->lock);
	return RTAS_OUT_SUCCESS;
}

int xics_get_xive(struct xics *x, uint32_t irq, uint32_t *server, uint32_t *prio)
{
	struct xics_src *s = src_of(x, irq);

	if (!s)
		return RTAS_OUT_PARAM_ERROR;
	pthread_mutex_lock(&x->lock);
	*server = s->server;
	*prio = s->priority;
	pthread_mutex_unlock(&x->lock);
	return RTAS_OUT_SUCCESS;
}

/* PAPR 7.3.10.3/4: int-off masks and remembers the priority, int-on restores it */
int xics_int_off(struct xics *x, uint32_t irq)
{
	struct xics_src *s = src_of(x, irq);

	if (!s)
		return RTAS_OUT_PARAM_ERROR;
	pthread_mutex_lock(&x->lock);
	if (s->priority != XICS_MASKED)
		s->saved_priority = s->priority;
	s->priority = XICS_MASKED;
	pthread_mutex_unlock(&x->lock);
	return RTAS_OUT_SUCCESS;
}

int xics_int_on(struct xics *x, uint32_t irq)
{
	struct xics_src *s = src_of(x, irq);

	if (!s)
		return RTAS_OUT_PARAM_ERROR;
	pthread_mutex_lock(&x->lock);
	set_xive_locked(x, s, irq, s->server, s->saved_priority);
	pthread_mutex_unlock(&x->lock);
	return RTAS_OUT_SUCCESS;
}

/* ---- The machine glue: hcalls, RTAS, device tree ---------------------- */

static void machine_line(void *opaque, uint32_t server, int level)
{
	struct machine *m = opaque;
	struct ppcvm_vcpu *v = server < PPCVM_MAX_VCPUS
				       ? __atomic_load_n(&m->vcpus[server], __ATOMIC_ACQUIRE)
				       : NULL;

	if (v)
		ppcvm_vcpu_set_irq(v, level);
}

/* The caller's server number, or -1 (never: every vCPU has one) */
static int64_t my_server(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t *server)
{
	int id = machine_vcpu_index(m, vcpu);

	if (id < 0 || (uint32_t)id >= m->xics->nservers)
		return H_HARDWARE;
	*server = (uint32_t)id;
	return H_SUCCESS;
}

static int64_t h_xirr(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint32_t server;
	int64_t ret = my_server(m, vcpu, &server);

	if (ret)
		return ret;
	args[0] = xics_accept(m->xics, server);
	if (opcode == H_XIRR_X) {
		struct ppcvm_sregs sr;

		args[1] = ppcvm_vcpu_get_sregs(vcpu, &sr) ? 0 : sr.tb;
	}
	return H_SUCCESS;
}

static int64_t h_cppr(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint32_t server;
	int64_t ret = my_server(m, vcpu, &server);

	if (ret)
		return ret;
	xics_set_cppr(m->xics, server, (uint8_t)args[0]);
	return H_SUCCESS;
}

static int64_t h_eoi(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint32_t server;
	int64_t ret = my_server(m, vcpu, &server);

	if (ret)
		return ret;
	xics_eoi(m->xics, server, (uint32_t)args[0]);
	return H_SUCCESS;
}

static int64_t h_ipi(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	if (args[0] >= m->xics->nservers)
		return H_PARAMETER;
	xics_set_mfrr(m->xics, (uint32_t)args[0], (uint8_t)args[1]);
	return H_SUCCESS;
}

static int64_t h_ipoll(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint32_t xirr;
	uint8_t mfrr;

	if (args[0] >= m->xics->nservers)
		return H_PARAMETER;
	xics_poll(m->xics, (uint32_t)args[0], &xirr, &mfrr);
	args[0] = xirr;
	args[1] = mfrr;
	return H_SUCCESS;
}

static void rtas_set_xive(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			  uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	if (nargs != 3 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = (uint32_t)xics_set_xive(m->xics, args[0], args[1], args[2]);
}

static void rtas_get_xive(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			  uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	uint32_t server, prio;

	if (nargs != 1 || nret != 3) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = (uint32_t)xics_get_xive(m->xics, args[0], &server, &prio);
	if (!rets[0]) {
		rets[1] = server;
		rets[2] = prio;
	}
}

static void rtas_int_off(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token, uint32_t nargs,
			 const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	if (nargs != 1 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = (uint32_t)xics_int_off(m->xics, args[0]);
}

static void rtas_int_on(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token, uint32_t nargs,
			const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	if (nargs != 1 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = (uint32_t)xics_int_on(m->xics, args[0]);
}

/* /interrupt-controller: the ICP node Linux's icp-hv looks for (as QEMU's) */
static int xics_fdt(struct machine *m, void *fdt)
{
	fdt32_t ranges[2] = { cpu_to_fdt32(0), cpu_to_fdt32(m->ncpus) };
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "interrupt-controller");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type",
				      "PowerPC-External-Interrupt-Presentation")) ||
	    (ret = fdt_setprop_string(fdt, node, "compatible", "IBM,ppc-xicp")) ||
	    (ret = fdt_setprop_empty(fdt, node, "interrupt-controller")) ||
	    (ret = fdt_setprop(fdt, node, "ibm,interrupt-server-ranges", ranges, sizeof(ranges))) ||
	    (ret = fdt_setprop_u32(fdt, node, "#interrupt-cells", 2)) ||
	    (ret = fdt_setprop_u32(fdt, node, "linux,phandle", XICS_PHANDLE)) ||
	    (ret = fdt_setprop_u32(fdt, node, "phandle", XICS_PHANDLE)) ||
	    /* devices under the root inherit the controller */
	    (ret = fdt_setprop_u32(fdt, 0, "interrupt-parent", XICS_PHANDLE)))
		return ret;
	return 0;
}

/* Registration only: the state is allocated at the first boot */
int xics_init(struct machine *m)
{
	int ret;

	if ((ret = hcall_register(m, H_XIRR, h_xirr)) ||
	    (ret = hcall_register(m, H_XIRR_X, h_xirr)) ||
	    (ret = hcall_register(m, H_CPPR, h_cppr)) || (ret = hcall_register(m, H_EOI, h_eoi)) ||
	    (ret = hcall_register(m, H_IPI, h_ipi)) ||
	    (ret = hcall_register(m, H_IPOLL, h_ipoll)) ||
	    (ret = rtas_register(m, RTAS_IBM_SET_XIVE, "ibm,set-xive", rtas_set_xive)) ||
	    (ret = rtas_register(m, RTAS_IBM_GET_XIVE, "ibm,get-xive", rtas_get_xive)) ||
	    (ret = rtas_register(m, RTAS_IBM_INT_OFF, "ibm,int-off", rtas_int_off)) ||
	    (ret = rtas_register(m, RTAS_IBM_INT_ON, "ibm,int-on", rtas_int_on)) ||
	    (ret = machine_add_fdt_fn(m, xics_fdt)))
		return ret;
	/* PAPR: hcall-interrupt is the H_EOI/H_CPPR/H_IPI/H_XIRR set */
	machine_add_hypertas(m, "hcall-interrupt");
	return 0;
}

void xics_machine_free(struct machine *m)
{
	xics_free(m->xics);
	m->xics = NULL;
}

int xics_machine_reset(struct machine *m)
{
	if (!m->xics)
		m->xics = xics_new(m->ncpus, machine_line, m);
	else
		xics_reset(m->xics);
	return m->xics ? 0 : -ENOMEM;
}

int xics_alloc_irq(struct machine *m, bool lsi)
{
	return m->xics ? xics_alloc(m->xics, lsi) : -ENODEV;
}

int xics_alloc_irqs(struct machine *m, uint32_t n, bool lsi)
{
	return m->xics ? xics_alloc_block(m->xics, n, lsi) : -ENODEV;
}

void xics_free_irqs(struct machine *m, uint32_t irq, uint32_t n)
{
	if (m->xics)
		xics_free_block(m->xics, irq, n);
}

void xics_set_irq(struct machine *m, uint32_t irq, int level)
{
	if (m->xics)
		xics_source(m->xics, irq, level);
}
