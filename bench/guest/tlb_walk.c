/*
 * Benchmark guest: data accesses with translation on over more 4K pages than the soft TLB
 * holds (4096 pages, 16 MB, touched round robin, one load per page), so nearly every access
 * misses the TLB and walks the hashed page table. Prints
 * "BENCH tlb_walk n=<accesses> ticks=<timebase ticks>".
 * bootargs: tlbpages=N (default 4096), tlbrounds=N (default 100).
 */
#include "mmu.h"

#define EA_BASE 0x10000000UL
#define PA_BASE 0x1000000UL

int main(void)
{
	u64 pages = bootarg("tlbpages", 4096), rounds = bootarg("tlbrounds", 100);
	u64 i, r, t0, t1, sum = 0;

	if (pages > 4096)
		pages = 4096;
	if (mmu_setup()) {
		puts("BENCH tlb_walk error=setup\n");
		return 0;
	}
	slb_set(1, EA_BASE, vsid_of(EA_BASE), SLB_VSID_KP);
	for (i = 0; i < pages; i++) {
		if (map_page(EA_BASE + i * 0x1000, PA_BASE + i * 0x1000, PS_4K, PP_RW) < 0) {
			printf("BENCH tlb_walk error=h_enter page=%lu\n", i);
			mmu_teardown();
			return 0;
		}
	}
	mmu_on();
	for (i = 0; i < pages; i++) /* first touch sets R in every HPTE */
		sum += *(volatile u64 *)(EA_BASE + i * 0x1000);
	t0 = mftb();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < pages; i++)
			sum += *(volatile u64 *)(EA_BASE + i * 0x1000 + (r & 0x1f) * 8);
	t1 = mftb();
	mmu_off();
	mmu_teardown();
	printf("BENCH tlb_walk n=%lu ticks=%lu sum=%lu\n", pages * rounds, t1 - t0, sum & 0xff);
	return 0;
}
