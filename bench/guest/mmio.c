/*
 * Benchmark guest: H_LOGICAL_CI_STORE and H_LOGICAL_CI_LOAD round trips to
 * an address no device claims (the VMM's exit path in ppcvm: the core finds
 * nothing on its IO bus and exits as PAPR_HCALL; QEMU's h_logical_store /
 * h_logical_load dispatch to its unassigned-memory region). Real mode, as
 * SLOF uses them. bootargs: ciops=N.
 */
#include "guest.h"

#define H_LOGICAL_CI_LOAD  0x3c
#define H_LOGICAL_CI_STORE 0x40
/* Above RAM and away from every device of both machines */
#define CI_ADDR 0x3e0000000000ul

int main(void)
{
	u64 n = bootarg("ciops", 100000), out[8], t0, t1;
	long rc = 0;

	t0 = mftb();
	for (u64 i = 0; i < n; i++)
		rc |= hcall(H_LOGICAL_CI_STORE, out, 4, CI_ADDR, i, 0, 0, 0);
	t1 = mftb();
	printf("BENCH ci_store n=%lu ticks=%lu rc=%ld\n", n, t1 - t0, rc);
	t0 = mftb();
	for (u64 i = 0; i < n; i++)
		rc |= hcall(H_LOGICAL_CI_LOAD, out, 4, CI_ADDR, 0, 0, 0, 0);
	t1 = mftb();
	printf("BENCH ci_load n=%lu ticks=%lu rc=%ld\n", n, t1 - t0, rc);
	return 0;
}
