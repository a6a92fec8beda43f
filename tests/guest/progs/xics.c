/*
 * XICS (PAPR 2.7 chapter 6): the presentation layer of this CPU through
 * H_IPI / H_IPOLL / H_XIRR / H_CPPR / H_EOI (CPPR masking, IPI presented
 * when CPPR opens, XIRR layout, an external interrupt taken at 0x500), and
 * the source layer's RTAS calls ibm,set-xive / get-xive / int-off / int-on.
 */
#include "guest.h"
#include "smp.h"

#define SRC (0x1000 + 5) /* a source of the ICS (QEMU's numbering too) */

static void ipoll(u64 *xirr, u64 *mfrr)
{
	check_eq(h_ipoll(0, xirr, mfrr), H_SUCCESS, "h-ipoll");
}

int main(void)
{
	u64 xirr, mfrr, out[4];
	u32 r[3];

	smp_self_init();
	smp_ext_install();
	check(fdt_find_prop("ibm,interrupt-server-ranges", NULL) != NULL, "fdt-icp");

	/* after reset CPPR is 0: an IPI at priority 5 waits in MFRR */
	check_eq(h_ipi(0, 5), H_SUCCESS, "ipi-masked");
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0, "ipoll-cppr0-nothing");
	check_eq(mfrr, 5, "ipoll-mfrr");
	/* CPPR 3: 5 is still not more favoured */
	check_eq(h_cppr(3), H_SUCCESS, "cppr-3");
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0x03000000, "ipoll-cppr3");
	/* CPPR 0xff: the IPI is presented (EE off: nothing taken yet) */
	h_cppr(0xff);
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0xff000000UL | XICS_IPI, "ipoll-ipi-presented");
	/* take it with EE on: one external interrupt */
	ee_on();
	delay_ms(1);
	ee_off();
	check_eq(percpu[0].ext_count, 1, "ext-interrupt-taken");
	/* accept: old CPPR and XISR 2; CPPR becomes 5 */
	check_eq(h_xirr(&xirr), H_SUCCESS, "h-xirr");
	check_eq(xirr, 0xff000000UL | XICS_IPI, "xirr-ipi");
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0x05000000, "cppr-after-accept");
	/* clear the IPI, EOI restores CPPR 0xff */
	h_ipi(0, 0xff);
	check_eq(h_eoi(0xff000000UL | XICS_IPI), H_SUCCESS, "h-eoi");
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0xff000000UL, "after-eoi");
	check_eq(mfrr, 0xff, "mfrr-cleared");
	ee_on();
	delay_ms(1);
	ee_off();
	check_eq(percpu[0].ext_count, 1, "no-second-interrupt");
	/* a more favoured CPPR takes back a presented IPI, a less favoured resends it */
	h_ipi(0, 6);
	h_cppr(4);
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0x04000000, "cppr-rejects-pending");
	h_cppr(0xff);
	ipoll(&xirr, &mfrr);
	check_eq(xirr, 0xff000000UL | XICS_IPI, "cppr-resends");
	h_ipi(0, 0xff);
	h_xirr(&xirr);
	h_eoi(xirr);
	/* H_XIRR_X: as H_XIRR plus the timebase */
	h_ipi(0, 7);
	check_eq(hcall(H_XIRR_X, out, 0, 0, 0, 0, 0, 0), H_SUCCESS, "h-xirr-x");
	check_eq(out[0], 0xff000000UL | XICS_IPI, "xirr-x-ipi");
	if (!qemu_bad("xirr-x-timebase", "QEMU returns the host's tick counter"))
		check(out[1] != 0 && out[1] <= mftb(), "xirr-x-timebase");
	h_ipi(0, 0xff);
	h_eoi(out[0]);
	/* bad servers */
	check_eq(h_ipi(4096, 5), H_PARAMETER, "ipi-bad-server");
	check_eq(h_ipoll(4096, &xirr, &mfrr), H_PARAMETER, "ipoll-bad-server");

	/* the source layer */
	check_eq(rtas_call("ibm,set-xive", 3, 1, r, SRC, 0, 5), 0, "set-xive");
	check_eq(rtas_call("ibm,get-xive", 1, 3, r, SRC), 0, "get-xive");
	check_eq(r[1], 0, "get-xive-server");
	check_eq(r[2], 5, "get-xive-priority");
	check_eq(rtas_call("ibm,int-off", 1, 1, r, SRC), 0, "int-off");
	rtas_call("ibm,get-xive", 1, 3, r, SRC);
	check_eq(r[2], 0xff, "int-off-masks");
	check_eq(rtas_call("ibm,int-on", 1, 1, r, SRC), 0, "int-on");
	rtas_call("ibm,get-xive", 1, 3, r, SRC);
	check_eq(r[2], 5, "int-on-restores");
	rtas_call("ibm,set-xive", 3, 1, r, SRC, 0, 0xff);
	check_eq((u32)rtas_call("ibm,get-xive", 1, 3, r, 0x10), (u32)-3, "get-xive-bad-irq");
	check_eq((u32)rtas_call("ibm,set-xive", 3, 1, r, SRC, 4096, 5), (u32)-3,
		 "set-xive-bad-server");
	return 0;
}
