/*
 * The failure cases of seeds/000 (KVM PR's split real mode hack, inventory A.6), 64-bit:
 * Book3S PR moves real-mode instruction addresses in the low 16 MB to 0xfb000000 + address
 * while MSR[DR]=1, MSR[IR]=0, and maps fetch and data through one context. The architecture
 * (ISA 2.07 Book III 4.2.1, 5.7.3) keeps them apart; these tests fail wherever fetch and data
 * share a translation:
 *  (a) 4G/4G split: a copy loop running in split mode whose instruction addresses are the EAs
 *      of the data it copies (both directions of the split);
 *  (b) the nested case: a program interrupt in split mode whose handler reads the faulting
 *      instruction with a data access at SRR0, from code in that same page;
 *  (c) code running real from the low 16 MB with its data at 0xfb000000 | its address.
 */
#include "split.h"

/* (a) IR=0 DR=1: copy loop at real K; EAs K, K+1000, K+2000 translated to PA_K.. */
#define K    0x810000UL
#define PA_K 0x910000UL
/* (a) IR=1 DR=0: copy loop at EA K2 (PA_K2), data real at K2.. */
#define K2    0x820000UL
#define PA_K2 0x920000UL
/* (b) reader at real R, guest code at EA R (PA_R); R2 real guest code, EA R2 -> PA_R2 */
#define R     0x830000UL
#define PA_R  0x930000UL
#define R2    0x834000UL
#define PA_R2 0x934000UL
/* (c) code at real C, data at EA 0xfb000000 | C -> PA_C; vectors alias -> PA_V */
#define FB     0xfb000000UL
#define C      0x840000UL
#define PA_C   0x940000UL
#define PA_V   0x950000UL
#define PA_IMG 0x960000UL

#define VAL_R  0x5245414c00000000UL /* real data at C + 0x800 */
#define VAL_FB 0x4642464200000000UL /* data at 0xfb000000 | (C + 0x800) */

static volatile u64 cvar[2] = { 0x1111222233334444UL, 0x5555666677778888UL };

static int same_code(u64 pa, const char *start, const char *end)
{
	return !memcmp((const void *)pa, start, (unsigned long)(end - start));
}

/* (a) Mac OS X style copy: instruction addresses equal the data EAs */
static void test_copy_dr(void)
{
	u64 n;

	/* user pages: EA K (where the loop's instructions are, as real addresses), K+1000 */
	fill_page(PA_K, 0xa0);
	fill_page(PA_K + 0x1000, 0xa1);
	fill_page(PA_K + 0x2000, 0xa0);
	fill_page(K + 0x1000, 0xbad1);
	fill_page(K + 0x2000, 0xbad2);
	memset((void *)K, 0, 0x1000);
	copy_snip(K, SNIP(copy));
	check(map_page(K, PA_K, PS_4K, PP_RW) >= 0, "copy-dr.map0");
	check(map_page(K + 0x1000, PA_K + 0x1000, PS_4K, PP_RW) >= 0, "copy-dr.map1");
	check(map_page(K + 0x2000, PA_K + 0x2000, PS_4K, PP_RW) >= 0, "copy-dr.map2");

	/* copy_to_user over the EA page of the running loop */
	mexc_reset();
	n = run_at(K, MODE_DR, K, K + 0x1000, 512);
	check_eq(n, 512, "copy-dr.to-code-ea.ran");
	check_eq(page_mismatch(PA_K, 0xa1), 0, "copy-dr.to-code-ea.user-page");
	check(same_code(K, SNIP(copy)), "copy-dr.to-code-ea.code-intact");
	check_eq(page_mismatch(K + 0x1000, 0xbad1), 0, "copy-dr.to-code-ea.real-src-untouched");
	/* copy_from_user out of the EA page of the running loop */
	n = run_at(K, MODE_DR, K + 0x2000, K, 512);
	check_eq(n, 512, "copy-dr.from-code-ea.ran");
	check_eq(page_mismatch(PA_K + 0x2000, 0xa1), 0, "copy-dr.from-code-ea.data-not-code");
	check_eq(page_mismatch(K + 0x2000, 0xbad2), 0, "copy-dr.from-code-ea.real-dst-untouched");
	check_eq(exc_count, 0, "copy-dr.no-fault");
}

/* (a) the reverse split: loop fetched translated, data real at the loop's EAs */
static void test_copy_ir(void)
{
	u64 n;

	fill_page(K2, 0xa2);
	memset((void *)(K2 + 0x1000), 0, 0x1000);
	fill_page(K2 + 0x2000, 0xa3);
	memset((void *)PA_K2, 0, 0x1000);
	copy_snip(PA_K2, SNIP(copy));
	check(map_page(K2, PA_K2, PS_4K, PP_RW) >= 0, "copy-ir.map");

	mexc_reset();
	n = run_at(K2, MODE_IR, K2 + 0x1000, K2, 512);
	check_eq(n, 512, "copy-ir.from-code-ea.ran");
	check_eq(page_mismatch(K2 + 0x1000, 0xa2), 0, "copy-ir.from-code-ea.data-not-code");
	n = run_at(K2, MODE_IR, K2, K2 + 0x2000, 512);
	check_eq(n, 512, "copy-ir.to-code-ea.ran");
	check_eq(page_mismatch(K2, 0xa3), 0, "copy-ir.to-code-ea.real-page");
	check(same_code(PA_K2, SNIP(copy)), "copy-ir.to-code-ea.code-intact");
	/* the loop still runs from its own page after its EA was overwritten as data */
	n = run_at(K2, MODE_IR, K2 + 0x1000, K2, 512);
	check_eq(n, 512, "copy-ir.again.ran");
	check_eq(page_mismatch(K2 + 0x1000, 0xa3), 0, "copy-ir.again.data");
	check_eq(exc_count, 0, "copy-ir.no-fault");
}

/* (b) nested KVM: the last-instruction reader shares a page (EA) with the guest's trap */
static volatile u64 nest_last_snip, nest_last_c, nest_last_real, nest_srr0, nest_srr1;
static volatile int nest_mode; /* 1: read at SRR0 with DR=1; 2: real (DR=0) */

static void nest_hook(struct exc_frame *f)
{
	if (f->vec == 0x700) {
		nest_srr0 = f->srr0;
		nest_srr1 = f->srr1;
		if (nest_mode == 1) {
			/* the reader at real R runs with IR=0 DR=1: the EA it reads is the guest's
			 */
			nest_last_snip = run_at(R, MODE_DR, f->srr0, 0, 0);
			set_mode(MODE_DR);
			nest_last_c = *(volatile u32 *)f->srr0;
			set_mode(MODE_RR);
		} else {
			nest_last_real = *(volatile u32 *)f->srr0;
			set_mode(MODE_DR);
			nest_last_c = *(volatile u32 *)f->srr0;
			set_mode(MODE_RR);
		}
		f->srr0 += 4;
		return;
	}
	f->srr0 += 4;
}

static void test_nested(void)
{
	u64 v;

	memset((void *)R, 0, 0x1000);
	memset((void *)PA_R, 0, 0x1000);
	copy_snip(R, SNIP(lwz_at));
	copy_snip(PA_R, SNIP(trap_then));
	check(map_page(R, PA_R, PS_4K, PP_RW) >= 0, "nested.map");
	check_eq(*(volatile u32 *)(PA_R + 4), INSN_TRAP, "nested.setup-trap");
	check(*(volatile u32 *)(R + 4) != INSN_TRAP, "nested.setup-reader-differs");

	/* the guest (IR=1 DR=0, split) traps at EA R + 4, fetched from PA_R + 4 */
	mexc_reset();
	exc_hook = nest_hook;
	nest_mode = 1;
	nest_last_snip = nest_last_c = 0;
	v = run_at(R, MODE_IR, 0, 0, 0);
	check_eq(v, 6, "nested.ir.resumed");
	check_eq(exc_count, 1, "nested.ir.count");
	check_eq(exc_last.vec, 0x700, "nested.ir.vec");
	check_eq(nest_srr0, R + 4, "nested.ir.srr0");
	check_eq(nest_srr1 & (MSR_IR | MSR_DR), MSR_IR, "nested.ir.srr1-split");
	check_eq(nest_srr1 & SRR1_PROG_TRAP, SRR1_PROG_TRAP, "nested.ir.srr1-trap");
	check_eq(nest_last_snip, INSN_TRAP, "nested.ir.last-inst-same-page-reader");
	check_eq(nest_last_c, INSN_TRAP, "nested.ir.last-inst-c-reader");
	/* the reader still works after the trap (its page was not replaced by the guest's) */
	check_eq(run_at(R, MODE_DR, R + 4, 0, 0), INSN_TRAP, "nested.reader-again");
	check_eq(run_at(R, MODE_RR, R + 4, 0, 0), snip_word(snip_lwz_at, 1),
		 "nested.reader-real-sees-itself");

	/*
	 * The split guest of KVM PR's hack (IR=0 DR=1) traps in real code: SRR0 is the real
	 * address (never 0xfb000000 + it), and the instruction is in real memory, not at PA_R2
	 */
	memset((void *)R2, 0, 0x1000);
	fill_page(PA_R2, 0x60000000); /* data, no trap word */
	copy_snip(R2, SNIP(trap_then));
	check(map_page(R2, PA_R2, PS_4K, PP_RW) >= 0, "nested.dr.map");
	mexc_reset();
	exc_hook = nest_hook;
	nest_mode = 2;
	nest_last_real = nest_last_c = 0;
	v = run_at(R2, MODE_DR, 0, 0, 0);
	check_eq(v, 6, "nested.dr.resumed");
	check_eq(exc_count, 1, "nested.dr.count");
	check_eq(nest_srr0, R2 + 4, "nested.dr.srr0-real");
	check_eq(nest_srr1 & (MSR_IR | MSR_DR), MSR_DR, "nested.dr.srr1-split");
	check_eq(nest_last_real, INSN_TRAP, "nested.dr.last-inst-real");
	check_eq(nest_last_c, *(volatile u32 *)(PA_R2 + 4), "nested.dr.dr-read-is-data");
	mexc_reset();
}

/* (c) data at 0xfb000000 | code address while the code runs real from the low 16 MB */
static void test_fb(void)
{
	u64 v, img = (u64)&cvar[0], lr_exp, fbimg = FB | img;

	memset((void *)C, 0, 0x1000);
	memset((void *)PA_C, 0, 0x1000);
	copy_snip(C, SNIP(probe1));
	copy_snip(C + 0x100, SNIP(poke));
	copy_snip(C + 0x200, SNIP(where_lr));
	copy_snip(C + 0x300, SNIP(trap_then));
	phys_st(C + 0x800, VAL_R);
	phys_st(C + 0x810, 0x1234);
	phys_st(PA_C + 0x800, VAL_FB);
	fill_page(PA_V, 0x0fb0);
	fill_page(PA_C + 0x2000, 0xc1);
	memset((void *)(PA_C + 0x3000), 0, 0x1000);
	fill_page(C + 0x3000, 0xbad3);
	memset((void *)(C + 0x2000), 0, 0x1000);
	copy_snip(C + 0x2000, SNIP(copy));
	memset((void *)PA_IMG, 0, 0x1000);
	phys_st(PA_IMG + (img & 0xfff), 0xfbfbfbfb00000001UL);

	slb_set(1, FB, vsid_of(FB), SLB_VSID_KP);
	check(map_page(FB | C, PA_C, PS_4K, PP_RW) >= 0, "fb.map-c");
	check(map_page(FB, PA_V, PS_4K, PP_RW) >= 0, "fb.map-vectors-alias");
	check(map_page(fbimg & ~0xfffUL, PA_IMG, PS_4K, PP_RW) >= 0, "fb.map-image-alias");
	check(map_page(FB | (C + 0x2000), PA_C + 0x2000, PS_4K, PP_RW) >= 0, "fb.map-src");
	check(map_page(FB | (C + 0x3000), PA_C + 0x3000, PS_4K, PP_RW) >= 0, "fb.map-dst");

	mexc_reset();
	check_eq(run_at(C, MODE_DR, FB | C, 0, 0), VAL_FB + 1, "fb.probe");
	run_at(C + 0x100, MODE_DR, FB | C, 0xfeed, 0);
	check_eq(phys_ld(PA_C + 0x810), 0xfeed, "fb.store-reaches-data");
	check_eq(phys_ld(C + 0x810), 0x1234, "fb.store-not-code-page");
	lr_exp = C + 0x200 + 8;
	check_eq(run_at(C + 0x200, MODE_DR, 0, 0, 0), lr_exp, "fb.lr-is-real-address");
	/* the copy loop at real C + 0x2000 reads 0xfb000000 | C + 0x2000: the same page alias */
	v = run_at(C + 0x2000, MODE_DR, FB | (C + 0x3000), FB | (C + 0x2000), 512);
	check_eq(v, 512, "fb.copy.ran");
	check_eq(page_mismatch(PA_C + 0x3000, 0xc1), 0, "fb.copy.data-not-code");
	check_eq(page_mismatch(C + 0x3000, 0xbad3), 0, "fb.copy.real-untouched");
	check(same_code(C + 0x2000, SNIP(copy)), "fb.copy.code-intact");
	check_eq(exc_count, 0, "fb.no-fault");

	/* a trap at real C + 0x304 in split mode: SRR0 is the real address */
	mexc_reset();
	v = run_at(C + 0x300, MODE_DR, 0, 0, 0);
	check_eq(v, 6, "fb.trap.resumed");
	check_eq(exc_last.vec, 0x700, "fb.trap.vec");
	check_eq(exc_last.srr0, C + 0x304, "fb.trap.srr0-real");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_DR, "fb.trap.srr1-split");

	/* the program itself (real fetch at 0x4xxxxx) and the vectors' alias */
	mexc_reset();
	set_mode(MODE_DR);
	v = ld64(fbimg);
	st64(fbimg + 8, 0xabcdef);
	set_mode(MODE_RR);
	check_eq(v, 0xfbfbfbfb00000001UL, "fb.image-alias.load");
	check_eq(phys_ld(PA_IMG + ((img + 8) & 0xfff)), 0xabcdef, "fb.image-alias.store");
	check_eq(cvar[1], 0x5555666677778888UL, "fb.image-alias.image-untouched");
	check_eq(cvar[0], 0x1111222233334444UL, "fb.image-alias.image-untouched0");
	set_mode(MODE_DR);
	v = ld64(FB + 0x700);
	set_mode(MODE_RR);
	check_eq(v, 0x0fb0UL << 32 | 0xe0, "fb.vector-alias.load");
	check_eq(exc_count, 0, "fb.alias.no-fault");
}

int main(void)
{
	int rc;

	exc_expected = 1;
	mexc_reset();
	rc = mmu_setup();
	check_eq(rc, 0, "setup");
	if (rc)
		return 0;
	test_copy_dr();
	test_copy_ir();
	test_nested();
	test_fb();
	mmu_teardown();
	exc_expected = 0;
	return 0;
}
