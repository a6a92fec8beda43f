/* 32-bit Book3S MMU helpers (see mmu32.h). */
#include "mmu32.h"

u32 htab_base, htab_mask;

#define BATCASE(n, u, l)                 \
	case n:                          \
		if (get) {               \
			*up = mfspr(u);  \
			*lo = mfspr(l);  \
		} else {                 \
			mtspr(u, upper); \
			mtspr(l, lower); \
		}                        \
		break;

static void bat_access(int data, int n, u32 upper, u32 lower, int get, u32 *up, u32 *lo)
{
	/* IBATnU/L 528 + 2n, DBATnU/L 536 + 2n; 4-7 (7447A) at 560 / 568 (7450 RM 2.1.1) */
	switch (data * 8 + n) {
		BATCASE(0, 528, 529)
		BATCASE(1, 530, 531)
		BATCASE(2, 532, 533)
		BATCASE(3, 534, 535)
		BATCASE(4, 560, 561) BATCASE(5, 562, 563) BATCASE(6, 564, 565) BATCASE(7, 566, 567)
			BATCASE(8, 536, 537) BATCASE(9, 538, 539) BATCASE(10, 540, 541)
				BATCASE(11, 542, 543) BATCASE(12, 568, 569) BATCASE(13, 570, 571)
					BATCASE(14, 572, 573) BATCASE(15, 574, 575)
	}
	asm volatile("isync" : : : "memory");
}

void bat_set(int data, int n, u32 upper, u32 lower)
{
	/* invalidate the upper word first so no half-written BAT ever matches */
	bat_access(data, n, 0, 0, 0, NULL, NULL);
	bat_access(data, n, upper, lower, 0, NULL, NULL);
}

void bat_get(int data, int n, u32 *upper, u32 *lower)
{
	bat_access(data, n, 0, 0, 1, upper, lower);
}

void bat_clear_all(void)
{
	int n, nb = is_7447a() ? 8 : 4;

	for (n = 0; n < nb; n++) {
		bat_set(0, n, 0, 0);
		bat_set(1, n, 0, 0);
	}
}

void mmu_flush(void)
{
	u32 ea;

	for (ea = 0; ea < 0x40000; ea += 0x1000)
		asm volatile("tlbie %0" : : "r"(ea) : "memory");
	asm volatile("sync; isync" : : : "memory");
}

void htab_set(u32 base, u32 mask)
{
	htab_base = base;
	htab_mask = mask;
	if (base < 0x10000000u)
		memset((void *)base, 0, (mask + 1) << 16);
	mtspr(25, base | mask);
	asm volatile("sync; isync" : : : "memory");
	mmu_flush();
}

void mmu_setup(void)
{
	int i;

	set_mode(0);
	bat_clear_all();
	bat_set(0, 0, 0 | BAT_BL(0x800000) | BAT_VS, 0 | BAT_PP_RW);
	bat_set(1, 0, 0 | BAT_BL(0x800000) | BAT_VS, 0 | BAT_PP_RW);
	for (i = 0; i < 16; i++)
		mtsrin(SR_KP | (0x100 + i), (u32)i << 28);
	htab_set(HTAB_ADDR, 0);
}

/* OEA 7.6.1.1: primary hash = VSID[5:23] ^ page index (EA[4:19]) on 19 bits */
u32 hash_primary(u32 vsid, u32 ea)
{
	return ((vsid & 0x7ffff) ^ ((ea >> 12) & 0xffff)) & 0x7ffff;
}

/* OEA 7.6.1.3: HTABORG | (hash[0:8] & HTABMASK) << 16 | hash[9:18] << 6 */
u32 pteg_addr(u32 hash)
{
	u32 hi = (hash >> 10) & 0x1ff, lo = hash & 0x3ff;

	return htab_base | ((hi & htab_mask) << 16) | (lo << 6);
}

u32 map_page_at(u32 ea, u32 pa, u32 pp, u32 wimg, int sec, int slot)
{
	u32 vsid = mfsrin(ea) & 0xffffff, hash = hash_primary(vsid, ea), g, i;
	volatile u32 *pte;

	if (sec)
		hash = ~hash & 0x7ffff;
	g = pteg_addr(hash);
	for (i = 0; i < 8; i++) {
		pte = (volatile u32 *)(g + 8 * i);
		if (slot >= 0 ? (int)i != slot : (pte[0] & PTE0_V))
			continue;
		pte[0] = 0;
		asm volatile("sync" : : : "memory");
		pte[1] = (pa & 0xfffff000) | (wimg << 3) | pp;
		asm volatile("eieio" : : : "memory");
		pte[0] = PTE0_V | vsid << 7 | (sec ? PTE0_H : 0) | ((ea >> 22) & 0x3f);
		asm volatile("sync" : : : "memory");
		tlbie(ea);
		return (u32)pte;
	}
	return 0;
}

u32 find_pte(u32 ea)
{
	u32 vsid = mfsrin(ea) & 0xffffff, hash = hash_primary(vsid, ea), h, i;

	for (h = 0; h < 2; h++) {
		u32 g = pteg_addr(h ? ~hash & 0x7ffff : hash);
		u32 want = PTE0_V | vsid << 7 | (h ? PTE0_H : 0) | ((ea >> 22) & 0x3f);

		for (i = 0; i < 8; i++)
			if (ld32(g + 8 * i) == want)
				return g + 8 * i;
	}
	return 0;
}

void unmap_page(u32 ea)
{
	u32 p;

	while ((p = find_pte(ea)) != 0)
		st32(p, 0);
	tlbie(ea);
}

asm(".text\n"
    "\t.globl probe_ld\n"
    "probe_ld:\n"
    "\tmfmsr 7\n"
    "\tlis 5,0xdead\n"
    "\tori 5,5,0xbeef\n"
    "\tmtmsr 4\n"
    "\tisync\n"
    "\tlwz 5,0(3)\n"
    "\tmtmsr 7\n"
    "\tisync\n"
    "\tmr 3,5\n"
    "\tblr\n"
    "\t.globl probe_st\n"
    "probe_st:\n"
    "\tmfmsr 7\n"
    "\tmtmsr 5\n"
    "\tisync\n"
    "\tstw 4,0(3)\n"
    "\tmtmsr 7\n"
    "\tisync\n"
    "\tblr\n"
    "\t.globl run_at\n"
    "run_at:\n"
    "\tmflr 0\n"
    "\tstw 0,4(1)\n"
    "\tstwu 1,-32(1)\n"
    "\tmfmsr 9\n"
    "\tstw 9,8(1)\n"
    "\tmtsrr0 3\n"
    "\tmtsrr1 4\n"
    "\tmr 3,5\n"
    "\tmr 4,6\n"
    "\tmr 5,7\n"
    "\tbl 1f\n"
    "1:\tmflr 9\n"
    "\taddi 9,9,2f-1b\n"
    "\tmtlr 9\n"
    "\trfi\n"
    "2:\tlwz 9,8(1)\n"
    "\tmtmsr 9\n"
    "\tisync\n"
    "\taddi 1,1,32\n"
    "\tlwz 0,4(1)\n"
    "\tmtlr 0\n"
    "\tblr\n");
