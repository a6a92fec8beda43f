/*
 * The seed's failure cases of split real mode (MSR[IR] != MSR[DR]) on the 32-bit models
 * (tests/guest/progs/split_seed.c has the 64-bit versions). OEA 2.3.1 / 7.2: instruction
 * fetch is translated iff IR = 1, data accesses iff DR = 1, independently. KVM PR's split
 * real mode hack moves real fetches in the low 16 MB to 0xfb000000 + address and shares one
 * context between fetch and data; these tests fail wherever fetch and data share a mapping:
 *  (a) a copy loop running split whose instruction addresses are the EAs of the data it
 *      copies (IR=0 DR=1 and IR=1 DR=0);
 *  (b) a program interrupt in split mode whose handler reads the instruction at SRR0, with
 *      the reader in that same page;
 *  (c) code running real from the low 16 MB with its data at 0xfb000000 | its address
 *      (mapped by the page table and by a DBAT).
 */
#include "mmu32.h"

#define MODE_RR 0u
#define MODE_IR MSR_IR
#define MODE_DR MSR_DR

#define K      0x810000u /* (a) DR: loop real at K; EAs K.. -> PA_K.. */
#define PA_K   0x910000u
#define K2     0x820000u /* (a) IR: loop at EA K2 (PA_K2); data real at K2.. */
#define PA_K2  0x920000u
#define R      0x830000u /* (b) */
#define PA_R   0x930000u
#define R2     0x834000u
#define PA_R2  0x934000u
#define FB     0xfb000000u /* (c) */
#define C      0x840000u
#define PA_C   0x940000u
#define FBBAT  0xfb800000u /* (c) DBAT2: 128 KB at 0xfb800000 -> PA_BAT */
#define PA_BAT 0xa00000u

/*
 * Snippets (position independent, r3..r7 / ctr / cr0 only):
 *   probe:     r3 = *(u32 *)(r3 + 0x800) + 1
 *   poke:      *(u32 *)(r3 + 0x810) = r4
 *   copy:      copy r5 words from r4 to r3 (lwzu/stwu loop); r3 = r5
 *   lwz_at:    r3 = *(u32 *)r3
 *   where_lr:  r3 = address of its own third instruction (bl .+4; mflr)
 *   trap_then: r3 = 5; trap; r3 += 1 (6 if the handler skips the trap)
 */
extern const char snip_probe[], snip_probe_end[], snip_poke[], snip_poke_end[];
extern const char snip_copy[], snip_copy_end[], snip_lwz_at[], snip_lwz_at_end[];
extern const char snip_where_lr[], snip_where_lr_end[], snip_trap_then[], snip_trap_then_end[];
#define SNIP(n) snip_##n, snip_##n##_end
asm(".text\n\t.balign 4\n"
    "snip_probe:\n\tlwz 3,0x800(3)\n\taddi 3,3,1\n\tblr\nsnip_probe_end:\n"
    "snip_poke:\n\tstw 4,0x810(3)\n\tblr\nsnip_poke_end:\n"
    "snip_copy:\n\tmtctr 5\n\taddi 3,3,-4\n\taddi 4,4,-4\n"
    "1:\tlwzu 6,4(4)\n\tstwu 6,4(3)\n\tbdnz 1b\n\tmr 3,5\n\tblr\nsnip_copy_end:\n"
    "snip_lwz_at:\n\tlwz 3,0(3)\n\tblr\nsnip_lwz_at_end:\n"
    "snip_where_lr:\n\tmflr 7\n\tbl 1f\n1:\tmflr 3\n\tmtlr 7\n\tblr\nsnip_where_lr_end:\n"
    "snip_trap_then:\n\tli 3,5\n\ttrap\n\taddi 3,3,1\n\tblr\nsnip_trap_then_end:\n");
#define INSN_TRAP 0x7fe00008u

static void copy_snip(u32 pa, const char *s, const char *e)
{
	memcpy((void *)pa, s, e - s);
	flush_icache((void *)pa, e - s);
}

static int same_code(u32 pa, const char *s, const char *e)
{
	return !memcmp((const void *)pa, s, e - s);
}

static void fill_page(u32 pa, u32 tag)
{
	for (u32 i = 0; i < 1024; i++)
		st32(pa + 4 * i, tag << 16 | i);
}

static int page_mismatch(u32 pa, u32 tag)
{
	int bad = 0;

	for (u32 i = 0; i < 1024; i++)
		bad += ld32(pa + 4 * i) != (tag << 16 | i);
	return bad;
}

static u32 run(u32 ea, u32 mode, u32 a0, u32 a1, u32 a2)
{
	return run_at(ea, msr_mode(mode), a0, a1, a2);
}

static void test_copy_dr(void)
{
	fill_page(PA_K, 0xa0);
	fill_page(PA_K + 0x1000, 0xa1);
	fill_page(PA_K + 0x2000, 0xa0);
	fill_page(K + 0x1000, 0xbad1);
	fill_page(K + 0x2000, 0xbad2);
	memset((void *)K, 0, 0x1000);
	copy_snip(K, SNIP(copy));
	check(map_page(K, PA_K, PP_RW) != 0, "copy-dr.map0");
	check(map_page(K + 0x1000, PA_K + 0x1000, PP_RW) != 0, "copy-dr.map1");
	check(map_page(K + 0x2000, PA_K + 0x2000, PP_RW) != 0, "copy-dr.map2");
	exc_reset();
	/* copy_to_user over the EA page of the running loop */
	check_eq(run(K, MODE_DR, K, K + 0x1000, 1024), 1024, "copy-dr.to-code-ea.ran");
	check_eq(page_mismatch(PA_K, 0xa1), 0, "copy-dr.to-code-ea.user-page");
	check(same_code(K, SNIP(copy)), "copy-dr.to-code-ea.code-intact");
	check_eq(page_mismatch(K + 0x1000, 0xbad1), 0, "copy-dr.to-code-ea.real-src-untouched");
	/* copy_from_user out of the EA page of the running loop */
	check_eq(run(K, MODE_DR, K + 0x2000, K, 1024), 1024, "copy-dr.from-code-ea.ran");
	check_eq(page_mismatch(PA_K + 0x2000, 0xa1), 0, "copy-dr.from-code-ea.data-not-code");
	check_eq(page_mismatch(K + 0x2000, 0xbad2), 0, "copy-dr.from-code-ea.real-dst-untouched");
	check_eq(exc_count, 0, "copy-dr.no-fault");
}

static void test_copy_ir(void)
{
	fill_page(K2, 0xa2);
	memset((void *)(K2 + 0x1000), 0, 0x1000);
	fill_page(K2 + 0x2000, 0xa3);
	memset((void *)PA_K2, 0, 0x1000);
	copy_snip(PA_K2, SNIP(copy));
	check(map_page(K2, PA_K2, PP_RW) != 0, "copy-ir.map");
	exc_reset();
	check_eq(run(K2, MODE_IR, K2 + 0x1000, K2, 1024), 1024, "copy-ir.from-code-ea.ran");
	check_eq(page_mismatch(K2 + 0x1000, 0xa2), 0, "copy-ir.from-code-ea.data-not-code");
	check_eq(run(K2, MODE_IR, K2, K2 + 0x2000, 1024), 1024, "copy-ir.to-code-ea.ran");
	check_eq(page_mismatch(K2, 0xa3), 0, "copy-ir.to-code-ea.real-page");
	check(same_code(PA_K2, SNIP(copy)), "copy-ir.to-code-ea.code-intact");
	/* the loop still runs from its own page after its EA was overwritten as data */
	check_eq(run(K2, MODE_IR, K2 + 0x1000, K2, 1024), 1024, "copy-ir.again.ran");
	check_eq(page_mismatch(K2 + 0x1000, 0xa3), 0, "copy-ir.again.data");
	check_eq(exc_count, 0, "copy-ir.no-fault");
}

static volatile u32 nest_last_snip, nest_last_c, nest_last_real, nest_srr0, nest_srr1;
static volatile int nest_mode;

static void nest_hook(struct exc_frame *f)
{
	if (f->vec == 0x700) {
		nest_srr0 = f->srr0;
		nest_srr1 = f->srr1;
		if (nest_mode == 1) {
			/* the reader at real R runs IR=0 DR=1: the EA it reads is the guest's */
			nest_last_snip = run(R, MODE_DR, f->srr0, 0, 0);
			set_mode(MODE_DR);
			nest_last_c = *(volatile u32 *)f->srr0;
			set_mode(MODE_RR);
		} else {
			nest_last_real = *(volatile u32 *)f->srr0;
			set_mode(MODE_DR);
			nest_last_c = *(volatile u32 *)f->srr0;
			set_mode(MODE_RR);
		}
	}
	f->srr0 += 4;
}

static void test_nested(void)
{
	u32 v;

	memset((void *)R, 0, 0x1000);
	memset((void *)PA_R, 0, 0x1000);
	copy_snip(R, SNIP(lwz_at));
	copy_snip(PA_R, SNIP(trap_then));
	check(map_page(R, PA_R, PP_RW) != 0, "nested.map");
	check_eq(ld32(PA_R + 4), INSN_TRAP, "nested.setup-trap");
	check(ld32(R + 4) != INSN_TRAP, "nested.setup-reader-differs");
	/* the guest (IR=1 DR=0) traps at EA R + 4, fetched from PA_R + 4 */
	exc_reset();
	exc_hook = nest_hook;
	nest_mode = 1;
	nest_last_snip = nest_last_c = 0;
	v = run(R, MODE_IR, 0, 0, 0);
	exc_hook = NULL;
	check_eq(v, 6, "nested.ir.resumed");
	check_eq(exc_count, 1, "nested.ir.count");
	check_eq(exc_last.vec, 0x700, "nested.ir.vec");
	check_eq(nest_srr0, R + 4, "nested.ir.srr0");
	check_eq(nest_srr1 & (MSR_IR | MSR_DR), MSR_IR, "nested.ir.srr1-split");
	check_eq(nest_srr1 & SRR1_PROG_TRAP, SRR1_PROG_TRAP, "nested.ir.srr1-trap");
	check_eq(nest_last_snip, INSN_TRAP, "nested.ir.last-inst-same-page-reader");
	check_eq(nest_last_c, INSN_TRAP, "nested.ir.last-inst-c-reader");
	check_eq(run(R, MODE_DR, R + 4, 0, 0), INSN_TRAP, "nested.reader-again");
	check_eq(run(R, MODE_RR, R + 4, 0, 0), ((const u32 *)snip_lwz_at)[1],
		 "nested.reader-real-sees-itself");
	/* IR=0 DR=1 traps in real code: SRR0 real, the instruction in real memory */
	memset((void *)R2, 0, 0x1000);
	fill_page(PA_R2, 0x6000);
	copy_snip(R2, SNIP(trap_then));
	check(map_page(R2, PA_R2, PP_RW) != 0, "nested.dr.map");
	exc_reset();
	exc_hook = nest_hook;
	nest_mode = 2;
	nest_last_real = nest_last_c = 0;
	v = run(R2, MODE_DR, 0, 0, 0);
	exc_hook = NULL;
	check_eq(v, 6, "nested.dr.resumed");
	check_eq(exc_count, 1, "nested.dr.count");
	check_eq(nest_srr0, R2 + 4, "nested.dr.srr0-real");
	check_eq(nest_srr1 & (MSR_IR | MSR_DR), MSR_DR, "nested.dr.srr1-split");
	check_eq(nest_last_real, INSN_TRAP, "nested.dr.last-inst-real");
	check_eq(nest_last_c, ld32(PA_R2 + 4), "nested.dr.dr-read-is-data");
}

static volatile u32 cvar[2] = { 0x11112222, 0x33334444 };

static void test_fb(void)
{
	u32 v, img = (u32)&cvar[0], fbimg = FB | img;

	memset((void *)C, 0, 0x4000);
	memset((void *)PA_C, 0, 0x4000);
	copy_snip(C, SNIP(probe));
	copy_snip(C + 0x100, SNIP(poke));
	copy_snip(C + 0x200, SNIP(where_lr));
	copy_snip(C + 0x300, SNIP(trap_then));
	st32(C + 0x800, 0x5245414c); /* "REAL" */
	st32(C + 0x810, 0x1234);
	st32(PA_C + 0x800, 0x46424642); /* "FBFB" */
	fill_page(PA_C + 0x2000, 0xc1);
	fill_page(C + 0x3000, 0xbad3);
	copy_snip(C + 0x2000, SNIP(copy));
	memset((void *)PA_BAT, 0, 0x20000);
	st32(PA_BAT + (img & 0xfff), 0xfbfb0001);
	mtsrin(SR_KP | 0x1f0, FB);
	check(map_page(FB | C, PA_C, PP_RW) != 0, "fb.map-c");
	check(map_page(FB | (C + 0x2000), PA_C + 0x2000, PP_RW) != 0, "fb.map-src");
	check(map_page(FB | (C + 0x3000), PA_C + 0x3000, PP_RW) != 0, "fb.map-dst");
	check(map_page(fbimg & ~0xfffu, PA_BAT, PP_RW) != 0, "fb.map-image-alias");
	exc_reset();
	check_eq(run(C, MODE_DR, FB | C, 0, 0), 0x46424643, "fb.probe");
	run(C + 0x100, MODE_DR, FB | C, 0xfeed, 0);
	check_eq(ld32(PA_C + 0x810), 0xfeed, "fb.store-reaches-data");
	check_eq(ld32(C + 0x810), 0x1234, "fb.store-not-code-page");
	check_eq(run(C + 0x200, MODE_DR, 0, 0, 0), C + 0x200 + 8, "fb.lr-is-real-address");
	v = run(C + 0x2000, MODE_DR, FB | (C + 0x3000), FB | (C + 0x2000), 1024);
	check_eq(v, 1024, "fb.copy.ran");
	check_eq(page_mismatch(PA_C + 0x3000, 0xc1), 0, "fb.copy.data-not-code");
	check_eq(page_mismatch(C + 0x3000, 0xbad3), 0, "fb.copy.real-untouched");
	check(same_code(C + 0x2000, SNIP(copy)), "fb.copy.code-intact");
	check_eq(exc_count, 0, "fb.no-fault");
	/* a trap at real C + 0x304 in split mode: SRR0 is the real address */
	exc_reset();
	check_eq(run(C + 0x300, MODE_DR, 0, 0, 0), 6, "fb.trap.resumed");
	check_eq(exc_last.vec, 0x700, "fb.trap.vec");
	check_eq(exc_last.srr0, C + 0x304, "fb.trap.srr0-real");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_DR, "fb.trap.srr1-split");
	/* the program's own image at 0xfb000000 | its address (PTE) and a DBAT at 0xfb800000 */
	exc_reset();
	check_eq(probe_ld(fbimg, msr_mode(MODE_DR)), 0xfbfb0001, "fb.image-alias.load");
	probe_st(fbimg + 4, 0xabcdef, msr_mode(MODE_DR));
	check_eq(ld32(PA_BAT + ((img + 4) & 0xfff)), 0xabcdef, "fb.image-alias.store");
	check_eq(cvar[0], 0x11112222, "fb.image-alias.image-untouched0");
	check_eq(cvar[1], 0x33334444, "fb.image-alias.image-untouched1");
	bat_set(1, 2, FBBAT | BAT_BL(0x20000) | BAT_VS, PA_BAT | BAT_PP_RW);
	st32(PA_BAT + 0x1f000, 0xba7ba7);
	copy_snip(C + 0x400, SNIP(lwz_at));
	check_eq(run(C + 0x400, MODE_DR, FBBAT + 0x1f000, 0, 0), 0xba7ba7, "fb.dbat.load");
	check_eq(run(C + 0x400, MODE_DR, FB | C, 0, 0), ld32(PA_C), "fb.dbat.pte-beside");
	check_eq(exc_count, 0, "fb.alias.no-fault");
	bat_set(1, 2, 0, 0);
}

int main(void)
{
	exc_expected = 1;
	mmu_setup();
	test_copy_dr();
	test_copy_ir();
	test_nested();
	test_fb();
	exc_expected = 0;
	return 0;
}
