/*
 * MMU fuzz (32-bit): for each seed, rounds of random BATs (IBAT1-3, DBAT0-3, and 4-7 with
 * HID0[HIGH_BAT_EN] on the 7447A), segment
 * registers (VSIDs from a small set, Ks/Kp/N), SDR1 (HTABMASK 0-3, or a table outside RAM)
 * and PTEG contents (valid or not, right or wrong H/API, PP, R/C, WIMG without G), then
 * random word loads, stores and fetches through them. Every outcome (the value, or vector,
 * DAR, DSISR / SRR0, SRR1 bits) is hashed (FNV-1a) per round ("F<seed> r<round> ..." lines)
 * and per seed with the final R/C bits and the sandbox contents ("FUZZ seed=N ..."). The
 * runner compares the FUZZ lines of ppcvm and QEMU. Deterministic: no timebase anywhere.
 *
 * Only fetches that QEMU and the OEA agree on are made: IBATs and PTEs never have G = 1, and
 * no fetch goes through a segment with Ks = 1 (QEMU lets PP = 00 pages execute; see the mmu
 * program's qemu_bad checks). Every access is preceded by a tlbie of its EA (no effect on
 * the architected result): QEMU 7.2 keeps fetch and data translations of one MSR state in the
 * same soft TLB, so without it a data access could reuse an IBAT translation and a fetch a
 * DBAT one (the mmu program's "bat.i-d-separate" checks show that bug).
 */
#include "mmu32.h"

#define SANDBOX	     0x01000000u /* 1 MB of "li r3,X; blr" pairs, all physical targets */
#define SANDBOX_SIZE 0x00100000u
#define FUZZ_HTAB    0x00c00000u /* up to 256 KB (HTABMASK 3) */
#define OUTSIDE_HTAB 0x40000000u /* beyond the 256 MB of RAM: reads as no PTE */
#define ROUNDS	     8
#define ACCESSES     40

static u32 rng;

static u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static u32 rndn(u32 n)
{
	return rnd() % n;
}

static u32 hash;

static void mix(u32 v)
{
	for (int i = 0; i < 4; i++) {
		hash ^= (v >> (24 - 8 * i)) & 0xff;
		hash *= 16777619u;
	}
}

static u32 eas[64];
static int neas;

static void add_ea(u32 ea)
{
	if (neas < 64)
		eas[neas++] = ea & ~3u;
}

static void fill_sandbox(void)
{
	for (u32 pa = SANDBOX; pa < SANDBOX + SANDBOX_SIZE; pa += 8) {
		st32(pa, 0x38600000 | ((pa >> 3) & 0xffff)); /* li r3,X */
		st32(pa + 4, 0x4e800020);		     /* blr */
	}
}

static void sync_icache(void)
{
	for (u32 a = SANDBOX; a < SANDBOX + SANDBOX_SIZE; a += 32)
		asm volatile("dcbst 0,%0" : : "r"(a) : "memory");
	asm volatile("sync" : : : "memory");
	for (u32 a = SANDBOX; a < SANDBOX + SANDBOX_SIZE; a += 32)
		asm volatile("icbi 0,%0" : : "r"(a) : "memory");
	asm volatile("sync; isync" : : : "memory");
}

static u32 sr_val[16];

static void random_srs(void)
{
	for (int n = 1; n < 16; n++) {
		u32 v = 0x100 + rndn(6);

		if (rndn(4) == 0)
			v |= SR_KS;
		if (rndn(2))
			v |= SR_KP;
		if (rndn(6) == 0)
			v |= SR_N;
		sr_val[n] = v;
		mtsrin(v, (u32)n << 28);
	}
}

/* a BAT pair: EA >= 0x10000000, 128 KB .. 1 MB, physical in the sandbox */
static void random_bat(int data, int n)
{
	u32 sz = 0x20000u << rndn(4), ea, pa, up, lo;

	ea = (0x10000000u + (rnd() & 0xeffe0000u)) & ~(sz - 1);
	pa = (SANDBOX + (rnd() % SANDBOX_SIZE)) & ~(sz - 1);
	up = ea | BAT_BL(sz) | (rndn(8) ? BAT_VS : 0) | (rndn(2) ? BAT_VP : 0);
	lo = pa | rndn(4);
	if (data)
		lo |= (rndn(2) ? WIMG_M : 0) << 3 | (rndn(4) == 0 ? WIMG_G : 0) << 3;
	if (rndn(5) == 0)
		up = 0; /* invalid */
	bat_set(data, n, up, lo);
	if (up)
		add_ea(ea + (rnd() & (sz - 1)));
}

/* a PTE for a random EA of a random segment, mostly right, sometimes subtly wrong */
static void random_pte(void)
{
	u32 seg = 1 + rndn(15), ea = seg << 28 | (rnd() & 0x0ffff000u), vsid, h, g, slot, w0, w1;
	u32 pa = SANDBOX + (rnd() % SANDBOX_SIZE & ~0xfffu);

	vsid = sr_val[seg] & 0xffffff;
	h = rndn(3) == 0;
	g = pteg_addr(h ? ~hash_primary(vsid, ea) & 0x7ffff : hash_primary(vsid, ea));
	if (htab_base >= 0x10000000u)
		return;
	slot = rndn(8);
	w0 = (rndn(8) ? PTE0_V : 0) | vsid << 7 | (h ? PTE0_H : 0) | ((ea >> 22) & 0x3f);
	switch (rndn(10)) {
	case 0:
		w0 ^= PTE0_H; /* H does not match the PTEG */
		break;
	case 1:
		w0 ^= 1u << rndn(6); /* wrong API */
		break;
	case 2:
		w0 ^= 1u << 7; /* another VSID */
		break;
	}
	w1 = pa | rndn(4) | (rndn(2) ? PTE1_R : 0) | (rndn(2) ? PTE1_C : 0) |
	     (rndn(2) ? WIMG_M : 0) << 3;
	/* never two valid PTEs with the same tag in one PTEG (the result is undefined) */
	for (u32 i = 0; i < 8; i++)
		if (i != slot && ld32(g + 8 * i) == w0 && (w0 & PTE0_V))
			return;
	st32(g + 8 * slot, w0);
	st32(g + 8 * slot + 4, w1);
	add_ea(ea + (rnd() & 0xffc));
}

static u32 random_ea(void)
{
	if (neas && rndn(5))
		return eas[rndn(neas)] + 8 * (rndn(5) - 2);
	return (0x10000000u + rnd()) & ~3u;
}

/* problem-state load: lwz with PR = 1, DR = 1 (fetch real), back through sc */
extern const char fuzz_user_ld[];
asm(".text\n"
    "fuzz_user_ld:\n"
    "\tlis 4,0xdead\n\tori 4,4,0xbeef\n\tlwz 4,0(3)\n\tmr 3,4\n\tsc\n");
static volatile u32 sup_msr;
static struct exc_record user_fault;

static void user_hook(struct exc_frame *f)
{
	if (f->vec == 0xc00) {
		f->srr0 = f->lr;
		f->srr1 = sup_msr;
		exc_count--; /* the sc is not an outcome */
	} else {
		user_fault.vec = f->vec;
		user_fault.dar = f->dar;
		user_fault.dsisr = f->dsisr;
		user_fault.srr0 = f->srr0;
		user_fault.srr1 = f->srr1;
		f->srr0 += 4;
	}
}

static u32 user_ld(u32 ea)
{
	u32 r;

	sup_msr = msr_mode(0);
	exc_hook = user_hook;
	r = run_at((u32)fuzz_user_ld, msr_mode(MSR_DR) | MSR_PR, ea, 0, 0);
	exc_hook = NULL;
	if (exc_count) {
		exc_last.vec = user_fault.vec;
		exc_last.dar = user_fault.dar;
		exc_last.dsisr = user_fault.dsisr;
		exc_last.srr0 = user_fault.srr0;
		exc_last.srr1 = user_fault.srr1;
	}
	return r;
}

static void outcome(u32 kind, u32 ea, u32 v)
{
#ifdef FUZZ_VERBOSE
	printf("A%u %x %x %x %x %x %x\n", kind, ea, v, exc_count ? exc_last.vec : 0, exc_last.dar,
	       exc_last.dsisr, exc_last.srr1 & 0x58000000);
#endif
	mix(kind);
	mix(ea);
	mix(v);
	if (exc_count) {
		mix(exc_last.vec);
		if (exc_last.vec == 0x300) {
			mix(exc_last.dar);
			mix(exc_last.dsisr);
		} else {
			mix(exc_last.srr0);
			mix(exc_last.srr1 & 0x58000000);
		}
	}
}

static void one_round(u32 seed, int round)
{
	u32 rc;

	neas = 0;
	random_srs();
	/* SDR1 */
	if (rndn(6) == 0) {
		htab_base = OUTSIDE_HTAB;
		htab_mask = rndn(4);
		mtspr(25, OUTSIDE_HTAB | htab_mask);
	} else {
		htab_set(FUZZ_HTAB, rndn(4));
		for (int i = 0; i < 48; i++)
			random_pte();
	}
	/* the 7447A runs with HID0[HIGH_BAT_EN] = 1: BATs 4-7 take part too */
	for (int n = 1; n < (is_7447a() ? 8 : 4); n++)
		random_bat(0, n);
	for (int n = 0; n < (is_7447a() ? 8 : 4); n++)
		random_bat(1, n);
	mmu_flush();
	sync_icache();
#ifdef FUZZ_VERBOSE
	for (int n = 0; n < (is_7447a() ? 8 : 4); n++) {
		u32 iu, il, du, dl;

		bat_get(0, n, &iu, &il);
		bat_get(1, n, &du, &dl);
		printf("BAT%d i %x %x d %x %x\n", n, iu, il, du, dl);
	}
	for (int n = 0; n < 16; n++)
		printf("SR%d %x\n", n, mfsrin((u32)n << 28));
	printf("SDR1 %x\n", mfspr(25));
#endif
	hash = 2166136261u;
	for (int i = 0; i < ACCESSES; i++) {
		u32 ea = random_ea(), k = rndn(10), v;

		exc_reset();
		tlbie(ea);
		if (k < 5) {
			v = probe_ld(ea, msr_mode(MSR_DR));
			outcome(1, ea, v);
		} else if (k < 7) {
			v = 0x38600000 | (rnd() & 0xffff);
			probe_st(ea, v, msr_mode(MSR_DR));
			outcome(2, ea, v);
		} else if (k < 8) {
			v = user_ld(ea);
			outcome(4, ea, v);
		} else if (!(sr_val[ea >> 28] & SR_KS)) {
			sync_icache();
			v = run_at(ea, msr_mode(MSR_IR), 0x5a5a5a5a, 0, 0);
			outcome(3, ea, v);
		}
	}
	rc = 2166136261u;
	if (htab_base < 0x10000000u)
		for (u32 a = htab_base; a < htab_base + ((htab_mask + 1) << 16); a += 4) {
			rc ^= ld32(a);
			rc *= 16777619u;
		}
	printf("F%u r%d acc=%x htab=%x\n", seed, round, hash, rc);
	mix(rc);
}

static const u32 seeds[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

int main(void)
{
	u32 total, sb;

	exc_expected = 1;
	mmu_setup();
	if (is_7447a()) {
		mtspr(1008, mfspr(1008) | 0x00800000); /* HID0[HIGH_BAT_EN] */
		asm volatile("isync");
	}
	for (u32 s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		u32 seed = seeds[s];

		rng = seed * 2654435761u ^ 0x9e3779b9u;
		if (!rng)
			rng = 1;
		fill_sandbox();
		total = 2166136261u;
		for (int r = 0; r < ROUNDS; r++) {
			one_round(seed, r);
			total = (total ^ hash) * 16777619u;
		}
		sb = 2166136261u;
		for (u32 a = SANDBOX; a < SANDBOX + SANDBOX_SIZE; a += 4)
			sb = (sb ^ ld32(a)) * 16777619u;
		printf("FUZZ seed=%u acc=%x sandbox=%x\n", seed, total, sb);
		/* the run itself must not have broken the program's own state */
		{
			u32 vec = 0xc04;

			asm("" : "+r"(vec)); /* not a constant: no array-bounds warning */
			check_eq(ld32(vec), 0x39a00c00, "fuzz.vectors-intact");
		}
	}
	bat_clear_all();
	mmu_setup();
	if (is_7447a()) {
		mtspr(1008, mfspr(1008) & ~0x00800000);
		asm volatile("isync");
	}
	exc_expected = 0;
	return 0;
}
