/*
 * Benchmark guest: H_REMOVE then H_ENTER of the same 4K page in a loop, with translation on
 * and one load through the page after each H_ENTER (so a stale translation would be caught
 * and the refill is part of the cost, as when Linux re-maps a page). Prints
 * "BENCH remap n=<pairs> ticks=<timebase ticks>".
 * bootargs: remaps=N (default 100000).
 */
#include "mmu.h"

#define EA_PAGE 0x10000000UL
#define PA_A	0x1000000UL
#define PA_B	0x1001000UL

int main(void)
{
	u64 n = bootarg("remaps", 100000), i, t0, t1, slot, v, r[2], group, bad = 0;
	u64 vsid = vsid_of(EA_PAGE);
	struct mapping m;

	*(volatile u64 *)PA_A = 0xa;
	*(volatile u64 *)PA_B = 0xb;
	if (mmu_setup()) {
		puts("BENCH remap error=setup\n");
		return 0;
	}
	slb_set(1, EA_PAGE, vsid, SLB_VSID_KP);
	if (map_page_in(&m, EA_PAGE, PA_A, vsid, PS_4K, 0, PP_RW, 0) < 0) {
		puts("BENCH remap error=h_enter\n");
		mmu_teardown();
		return 0;
	}
	v = m.v;
	r[0] = m.r;
	r[1] = hpte_r(PA_B, PS_4K, PP_RW | HPTE_R_M);
	group = hpt_group(vsid, EA_PAGE, PS_4K, 0, 0);
	slot = m.ptex;
	mmu_on();
	t0 = mftb();
	for (i = 0; i < n; i++) {
		if (h_remove(H_AVPN, slot, v & ~0x7fUL, NULL, NULL) != H_SUCCESS ||
		    h_enter(0, group * 8, v, r[(i + 1) & 1], &slot) != H_SUCCESS) {
			bad++;
			break;
		}
		/* alternate pages: the load must see the one just entered */
		if (*(volatile u64 *)EA_PAGE != (((i + 1) & 1) ? 0xb : 0xa))
			bad++;
	}
	t1 = mftb();
	mmu_off();
	h_remove(0, slot, 0, NULL, NULL);
	mmu_teardown();
	if (bad)
		printf("BENCH remap error=stale-or-hcall at=%lu\n", i);
	else
		printf("BENCH remap n=%lu ticks=%lu\n", n, t1 - t0);
	return 0;
}
