/*
 * Split real mode on the 64-bit CPU (ISA 2.07 Book III 4.2.1, 5.7.3): MSR[IR] governs
 * instruction fetch and MSR[DR] data accesses, independently. One EA, X, means two things:
 * real page X and, through the HPT, page PA_T; each holds its own code and its own data, so
 * every access tells which translation it went through. All four IR/DR combinations, entered
 * with rfid and with mtmsrd (also in the middle of a page), interrupts taken from and returned
 * to split mode, and thousands of mode switches over the same EA (no soft TLB or decoded page
 * made under one mode may be used under another).
 */
#include "split.h"

#define X     0x800000UL /* the EA under test (real page X, or PA_T translated) */
#define PA_T  0x900000UL
#define UNMAP 0x8f0000UL /* RAM, but no HPTE: real access only */

#define VAL_R 0x5245414c00000000UL /* "REAL" at X + 0x800 */
#define VAL_T 0x584c415400000000UL /* "XLAT" at PA_T + 0x800 */

#define OFF_PROBE 0x000
#define OFF_POKE  0x100
#define OFF_TRAP  0x200
#define OFF_SW	  0x300

static const u64 modes[4] = { MODE_RR, MODE_IR, MODE_DR, MODE_TT };
static const char *const mname[4] = { "rr", "ir", "dr", "tt" };

/* what the probe returns under mode m: data by DR, code (tag) by IR */
static u64 probe_exp(u64 m)
{
	return ((m & MSR_DR) ? VAL_T : VAL_R) + ((m & MSR_IR) ? 2 : 1);
}

/* name + "." + mode name (+ "." + mode name) */
static const char *nm(char *b, const char *name, int m1, int m2)
{
	unsigned long n = strlen(name);

	memcpy(b, name, n);
	b[n] = '.';
	memcpy(b + n + 1, mname[m1], 2);
	n += 3;
	if (m2 >= 0) {
		b[n] = '.';
		memcpy(b + n + 1, mname[m2], 2);
		n += 3;
	}
	b[n] = 0;
	return b;
}

/* bctrl to ea with r3 = a0 in the current mode; returns r3 */
static u64 call_arg(u64 ea, u64 a0)
{
	register u64 r3 asm("r3") = a0;

	asm volatile("mtctr %1\n\tbctrl"
		     : "+r"(r3)
		     : "r"(ea)
		     : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr",
		       "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return r3;
}

static void setup_pages(void)
{
	memset((void *)X, 0, 0x1000);
	memset((void *)PA_T, 0, 0x1000);
	copy_snip(X + OFF_PROBE, SNIP(probe1));
	copy_snip(PA_T + OFF_PROBE, SNIP(probe2));
	copy_snip(X + OFF_POKE, SNIP(poke));
	copy_snip(PA_T + OFF_POKE, SNIP(poke));
	/* real X + OFF_TRAP: li r3,99; blr; translated: li r3,5; trap; addi r3,r3,1; blr */
	phys_st(X + OFF_TRAP, 0);
	*(volatile u32 *)(X + OFF_TRAP) = 0x38600063;
	*(volatile u32 *)(X + OFF_TRAP + 4) = 0x4e800020;
	flush_icache((void *)(X + OFF_TRAP), 8);
	copy_snip(PA_T + OFF_TRAP, SNIP(trap_then));
	copy_snip(X + OFF_SW, SNIP(sw1));
	copy_snip(PA_T + OFF_SW, SNIP(sw2));
	phys_st(X + 0x800, VAL_R);
	phys_st(PA_T + 0x800, VAL_T);
	/* real code at UNMAP: li r3,0x77; blr */
	*(volatile u32 *)UNMAP = 0x38600077;
	*(volatile u32 *)(UNMAP + 4) = 0x4e800020;
	phys_st(UNMAP + 8, 0x0123456789abcdefUL);
	flush_icache((void *)UNMAP, 8);
}

/* The four combinations entered with rfid (run_at) */
static void test_rfid(void)
{
	char b[64];
	int i;

	for (i = 0; i < 4; i++) {
		check_eq(run_at(X + OFF_PROBE, modes[i], X, 0, 0), probe_exp(modes[i]),
			 nm(b, "rfid.probe", i, -1));
		run_at(X + OFF_POKE, modes[i], X, 0x1000 + i, 0);
		check_eq((modes[i] & MSR_DR) ? phys_ld(PA_T + 0x810) : phys_ld(X + 0x810),
			 0x1000 + i, nm(b, "rfid.store", i, -1));
	}
	/* each page holds the last value stored through its own mode */
	check_eq(phys_ld(X + 0x810), 0x1000 + 1, "rfid.store.real-page-last");
	check_eq(phys_ld(PA_T + 0x810), 0x1000 + 3, "rfid.store.xlat-page-last");
	check_eq(exc_count, 0, "rfid.no-fault");
}

/* The four combinations entered with mtmsrd; isync, from C code in the 1:1 image */
static void test_mtmsrd(void)
{
	char b[64];
	u64 msr, r, d;
	int i;

	for (i = 0; i < 4; i++) {
		set_mode(modes[i]);
		msr = mfmsr();
		r = call_arg(X + OFF_PROBE, X);
		d = ld64(X + 0x800);
		st64(X + 0x818, 0x2000 + i);
		set_mode(MODE_RR);
		check_eq(msr & (MSR_IR | MSR_DR), modes[i], nm(b, "mtmsrd.msr", i, -1));
		check_eq(r, probe_exp(modes[i]), nm(b, "mtmsrd.probe", i, -1));
		check_eq(d, (modes[i] & MSR_DR) ? VAL_T : VAL_R, nm(b, "mtmsrd.load", i, -1));
		check_eq((modes[i] & MSR_DR) ? phys_ld(PA_T + 0x818) : phys_ld(X + 0x818),
			 0x2000 + i, nm(b, "mtmsrd.store", i, -1));
	}
	check_eq(phys_ld(X + 0x818), 0x2000 + 1, "mtmsrd.store.real-page-last");
	check_eq(phys_ld(PA_T + 0x818), 0x2000 + 3, "mtmsrd.store.xlat-page-last");
	check_eq(exc_count, 0, "mtmsrd.no-fault");
}

/*
 * mtmsrd; isync in the middle of a page: the instruction after isync is fetched (and its
 * load done) in the new mode, from the other copy of the page if IR changed.
 */
static void test_in_page_switch(void)
{
	char b[64];
	int i, j;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			check_eq(run_at(X + OFF_SW, modes[i], 0, msr_mode(modes[j]), X),
				 probe_exp(modes[j]), nm(b, "inpage", i, j));
	check_eq(exc_count, 0, "inpage.no-fault");
}

/* Interrupts taken in split mode save IR/DR in SRR1, run real, and rfid returns to it */
static void test_interrupts(void)
{
	u64 v, msr;

	/* IR=0 DR=1: data at UNMAP faults (no HPTE), its code runs from real memory */
	mexc_reset();
	set_mode(MODE_DR);
	v = ld64(UNMAP + 8);
	msr = mfmsr();
	set_mode(MODE_RR);
	check_eq(exc_count, 1, "dr.dsi.count");
	check_eq(exc_last.vec, 0x300, "dr.dsi.vec");
	check_eq(exc_last.dar, UNMAP + 8, "dr.dsi.dar");
	check_eq(exc_last.dsisr & 0xffffffffUL, DSISR_NOPTE, "dr.dsi.dsisr");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_DR, "dr.dsi.srr1-split");
	check_eq(exc_last.msr_handler & (MSR_IR | MSR_DR), 0, "dr.dsi.handler-real");
	check_eq(msr & (MSR_IR | MSR_DR), MSR_DR, "dr.dsi.back-in-split");
	(void)v;
	mexc_reset();
	set_mode(MODE_DR);
	v = call_at(UNMAP);
	set_mode(MODE_RR);
	check_eq(v, 0x77, "dr.fetch-real");
	check_eq(exc_count, 0, "dr.fetch-real.no-fault");

	/* IR=1 DR=0: fetch at UNMAP faults (ISI), its data is read from real memory */
	mexc_reset();
	set_mode(MODE_IR);
	v = call_at(UNMAP);
	msr = mfmsr();
	set_mode(MODE_RR);
	check_eq(v, -1UL, "ir.isi.returned");
	check_eq(exc_count, 1, "ir.isi.count");
	check_eq(exc_last.vec, 0x400, "ir.isi.vec");
	check_eq(exc_last.srr0, UNMAP, "ir.isi.srr0");
	check_eq(exc_last.srr1 & SRR1_ISI_NOPTE, SRR1_ISI_NOPTE, "ir.isi.srr1-nopte");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_IR, "ir.isi.srr1-split");
	check_eq(exc_last.msr_handler & (MSR_IR | MSR_DR), 0, "ir.isi.handler-real");
	check_eq(msr & (MSR_IR | MSR_DR), MSR_IR, "ir.isi.back-in-split");
	mexc_reset();
	set_mode(MODE_IR);
	v = ld64(UNMAP + 8);
	set_mode(MODE_RR);
	check_eq(v, 0x0123456789abcdefUL, "ir.load-real");
	check_eq(exc_count, 0, "ir.load-real.no-fault");

	/* a program interrupt in translated code under IR=1 DR=0 returns there */
	mexc_reset();
	v = run_at(X + OFF_TRAP, MODE_IR, 0, 0, 0);
	check_eq(v, 6, "ir.trap.resumed");
	check_eq(exc_count, 1, "ir.trap.count");
	check_eq(exc_last.vec, 0x700, "ir.trap.vec");
	check_eq(exc_last.srr0, X + OFF_TRAP + 4, "ir.trap.srr0");
	check_eq(exc_last.srr1 & SRR1_PROG_TRAP, SRR1_PROG_TRAP, "ir.trap.srr1-trap");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_IR, "ir.trap.srr1-split");
	mexc_reset();
	check_eq(run_at(X + OFF_TRAP, MODE_DR, 0, 0, 0), 99, "dr.trap-page-is-real-code");
	check_eq(exc_count, 0, "dr.trap-page.no-fault");
}

/* Deterministic pseudo-random mode sequence */
static u64 lcg = 12345;
static int next_mode(void)
{
	lcg = lcg * 6364136223846793005UL + 1442695040888963407UL;
	return (int)(lcg >> 61) & 3;
}

/*
 * Thousands of switches over the same EA, every result checked: rfid entries (probe and
 * store), mtmsrd switches with a fetch, a load and a store from C, and in-page switches.
 */
#define NITER 3000
static void test_stress(void)
{
	int i, m, m2, bad_probe = 0, bad_load = 0, bad_store = 0, bad_inpage = 0, bad_mt = 0;
	u64 last_r = phys_ld(X + 0x820), last_t = phys_ld(PA_T + 0x820), r, d;

	mexc_reset();
	for (i = 0; i < NITER; i++) {
		m = next_mode();
		m2 = next_mode();
		/* rfid into m: fetch + load */
		if (run_at(X + OFF_PROBE, modes[m], X, 0, 0) != probe_exp(modes[m]))
			bad_probe++;
		/* mtmsrd into m2 from C: fetch, load, store */
		set_mode(modes[m2]);
		if ((mfmsr() & (MSR_IR | MSR_DR)) != modes[m2])
			bad_mt++;
		r = call_arg(X + OFF_PROBE, X);
		d = ld64(X + 0x800);
		st64(X + 0x820, (u64)i << 8 | (u64)m2);
		if (modes[m2] & MSR_DR)
			last_t = (u64)i << 8 | (u64)m2;
		else
			last_r = (u64)i << 8 | (u64)m2;
		/* and read back at once through the other data mode */
		set_mode(modes[m2] ^ MSR_DR);
		if (ld64(X + 0x820) != ((modes[m2] & MSR_DR) ? last_r : last_t))
			bad_store++;
		set_mode(MODE_RR);
		if (r != probe_exp(modes[m2]))
			bad_probe++;
		if (d != ((modes[m2] & MSR_DR) ? VAL_T : VAL_R))
			bad_load++;
		if (phys_ld(X + 0x820) != last_r || phys_ld(PA_T + 0x820) != last_t)
			bad_store++;
		/* switch from m to m2 inside the page */
		if (run_at(X + OFF_SW, modes[m], 0, msr_mode(modes[m2]), X) != probe_exp(modes[m2]))
			bad_inpage++;
	}
	check_eq(bad_probe, 0, "stress.probe-mismatches");
	check_eq(bad_load, 0, "stress.load-mismatches");
	check_eq(bad_store, 0, "stress.store-mismatches");
	check_eq(bad_inpage, 0, "stress.inpage-mismatches");
	check_eq(bad_mt, 0, "stress.msr-mismatches");
	check_eq(exc_count, 0, "stress.no-fault");
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
	setup_pages();
	/* EA X (one page) -> PA_T; UNMAP has no HPTE */
	check(map_page(X, PA_T, PS_4K, PP_RW) >= 0, "map.x");

	test_rfid();
	test_mtmsrd();
	test_in_page_switch();
	test_interrupts();
	test_stress();

	mmu_teardown();
	exc_expected = 0;
	return 0;
}
