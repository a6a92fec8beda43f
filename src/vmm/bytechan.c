// SPDX-License-Identifier: MIT
/*
 * The ePAPR byte channel (ePAPR 1.1 section 6.3; Linux's
 * arch/powerpc/include/asm/epapr_hcalls.h and drivers/tty/ehv_bytechan.c)
 * on the machine's console, for the epapr machine. The core hands these
 * hypercalls to us as PPCVM_EXIT_EPAPR_HCALL (args[i] = r(3 + i)):
 *   EV_BYTE_CHANNEL_SEND (1): r3 handle, r4 count <= 16, the bytes in
 *     r5..r8, four per register, first byte in the most significant;
 *     returns r3 status, r4 bytes sent.
 *   EV_BYTE_CHANNEL_RECEIVE (2): r3 handle, r4 most bytes wanted; returns
 *     r3, r4 bytes received (at most 16), the bytes in r5..r8 as for send.
 *   EV_BYTE_CHANNEL_POLL (3): r3 handle; returns r3, r4 bytes waiting to be
 *     received, r5 bytes that can be sent.
 * A handle other than the channel's hv-handle gets EV_EINVAL.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "vmm/console.h"
#include "vmm/epapr.h"

/* arch/powerpc/include/uapi/asm/epapr_hcalls.h */
#define EV_EPAPR_VENDOR_ID	  1
#define EV_TOKEN(nr)		  (((uint64_t)EV_EPAPR_VENDOR_ID << 16) | (nr))
#define EV_BYTE_CHANNEL_SEND	  1
#define EV_BYTE_CHANNEL_RECEIVE	  2
#define EV_BYTE_CHANNEL_POLL	  3
#define EV_BYTE_CHANNEL_MAX_BYTES 16
#define EV_SUCCESS		  0
#define EV_EINVAL		  8
#define EV_UNIMPLEMENTED	  12

/* Output is written synchronously: the channel always takes a full send */
#define BC_TX_SPACE 4096

/* Move pending console input into the channel's own buffer */
static void bc_fill(struct machine *m)
{
	struct epapr *e = m->epapr;

	if (e->rx_count < sizeof(e->rx))
		e->rx_count +=
			console_read(m->con, e->rx + e->rx_count, sizeof(e->rx) - e->rx_count);
}

static uint64_t bc_send(struct machine *m, uint64_t *a)
{
	uint8_t buf[EV_BYTE_CHANNEL_MAX_BYTES];
	uint64_t count = a[1];
	unsigned int i;

	a[1] = 0;
	if (a[0] != EPAPR_BC_HANDLE || count > EV_BYTE_CHANNEL_MAX_BYTES)
		return EV_EINVAL;
	for (i = 0; i < count; i++)
		buf[i] = (uint8_t)(a[2 + i / 4] >> (24 - 8 * (i % 4)));
	console_write(m->con, buf, count);
	a[1] = count;
	return EV_SUCCESS;
}

static uint64_t bc_receive(struct machine *m, uint64_t *a)
{
	struct epapr *e = m->epapr;
	uint64_t max = a[1];
	size_t n, i;

	memset(&a[1], 0, 5 * sizeof(a[0]));
	if (a[0] != EPAPR_BC_HANDLE)
		return EV_EINVAL;
	bc_fill(m);
	n = max < EV_BYTE_CHANNEL_MAX_BYTES ? max : EV_BYTE_CHANNEL_MAX_BYTES;
	if (n > e->rx_count)
		n = e->rx_count;
	for (i = 0; i < n; i++)
		a[2 + i / 4] |= (uint64_t)e->rx[i] << (24 - 8 * (i % 4));
	memmove(e->rx, e->rx + n, e->rx_count - n);
	e->rx_count -= n;
	a[1] = n;
	return EV_SUCCESS;
}

static uint64_t bc_poll(struct machine *m, uint64_t *a)
{
	a[1] = a[2] = 0;
	if (a[0] != EPAPR_BC_HANDLE)
		return EV_EINVAL;
	bc_fill(m);
	a[1] = m->epapr->rx_count;
	a[2] = BC_TX_SPACE;
	return EV_SUCCESS;
}

/* One line per unimplemented token (at most 8), so a looping guest cannot flood */
static void hcall_log_unknown(struct machine *m, uint64_t token)
{
	struct epapr *e = m->epapr;
	unsigned int i;

	for (i = 0; i < e->nr_hcall_logged; i++)
		if (e->hcall_logged[i] == token)
			return;
	if (e->nr_hcall_logged == sizeof(e->hcall_logged) / sizeof(e->hcall_logged[0]))
		return;
	e->hcall_logged[e->nr_hcall_logged++] = (uint32_t)token;
	fprintf(stderr, "ppcvm: unimplemented ePAPR hypercall %" PRIu64 " (token 0x%" PRIx64 ")\n",
		token & 0xffff, token);
}

void epapr_hcall(struct machine *m, struct ppcvm_vcpu *vcpu, struct ppcvm_run *run)
{
	uint64_t *a = run->epapr_hcall.args;

	(void)vcpu;
	if (!m->epapr) {
		run->epapr_hcall.ret = EV_UNIMPLEMENTED;
		return;
	}
	switch (run->epapr_hcall.nr) {
	case EV_TOKEN(EV_BYTE_CHANNEL_SEND):
		run->epapr_hcall.ret = bc_send(m, a);
		break;
	case EV_TOKEN(EV_BYTE_CHANNEL_RECEIVE):
		run->epapr_hcall.ret = bc_receive(m, a);
		break;
	case EV_TOKEN(EV_BYTE_CHANNEL_POLL):
		run->epapr_hcall.ret = bc_poll(m, a);
		break;
	default:
		hcall_log_unknown(m, run->epapr_hcall.nr);
		run->epapr_hcall.ret = EV_UNIMPLEMENTED;
		break;
	}
}

/*
 * The channel's node: Linux's ehv_bytechan finds it by compatible and
 * reads hv-handle (it also wants "interrupts", which this machine, with no
 * interrupt controller, cannot give: see the README).
 */
int epapr_bytechan_fdt(struct machine *m, void *fdt, int hypervisor)
{
	int handles, node, ret;

	(void)m;
	handles = fdt_add_subnode(fdt, hypervisor, "handles");
	if (handles < 0)
		return handles;
	node = fdt_add_subnode(fdt, handles, "console");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "compatible", "epapr,hv-byte-channel")) ||
	    (ret = fdt_setprop_u32(fdt, node, "hv-handle", EPAPR_BC_HANDLE)))
		return ret;
	return 0;
}
