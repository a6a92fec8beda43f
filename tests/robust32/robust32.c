/* SPDX-License-Identifier: MIT */
/*
 * Robustness (hostile guest) test for the 32-bit Book3S models (750, 7447A;
 * docs/book3s32.md). Each case gives a vCPU switched to the model (PVR):
 *  - random instruction words biased toward the models' real opcodes
 *    (mtsr/mtsrin/mfsr/mfsrin, tlbie/tlbia, rfi, mtmsr, mtspr/mfspr to BAT,
 *    SDR1, HID0, DEC..., loads/stores, dcbz, lmw/stmw, string ops, FP,
 *    AltiVec) in a code area,
 *  - random GPRs, CR, XER, CTR, LR, DEC, random BATs (ONE_REG or mtspr),
 *    SRs (mtsr in a real-mode prologue), SDR1 (page table inside RAM,
 *    outside RAM, in the read-only ROM slot) and PTEG contents (random words
 *    and valid PTEs for random EAs), HID0, random MSR (IR/DR/PR/LE/SE/BE/IP/
 *    EE/FP/VEC/POW/ILE/ME), sometimes the external interrupt line or the KVM
 *    PV interface,
 *  - interrupt vectors (at 0 and, for MSR[IP], in a read-only slot at
 *    0xfff00000) that ask the host through an MMIO load where to go on: the
 *    host answers SRR0 + 4 (skip), SRR0 (retry) or a random address and MSR.
 * A case ends after a bounded number of exits or a kick after --ms
 * milliseconds. It fails on a crash or sanitizer report (the case is
 * named), a hang (run() does not return 2 s after the kick), an
 * internal-error exit, an MMIO exit for an address RAM serves, or an error
 * from the API.
 *
 *   robust32 --pvr 750|7447a --seed S --count N [--ms MS] [--name NAME] [-v]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ppcvm/ppcvm.h"

#define RAM_SIZE  0x400000u   /* 4 MB at 0 */
#define ROM_BASE  0xfff00000u /* read-only slot: MSR[IP] = 1 vectors */
#define ROM_SIZE  0x10000u
#define CODE_BASE 0x10000u /* random words */
#define CODE_SIZE 0x10000u
#define COMMON	  0x3000u     /* vector common part */
#define PROLOGUE  0x3100u     /* sets the SRs (and BATs), rfi to the case */
#define ASK_BASE  0xf0000000u /* handler MMIO: vector offset (+4) */
#define MAX_EXITS 160

/* 32-bit MSR bits (PowerPC OEA 2.3.1) */
#define M_VEC 0x02000000u
#define M_POW 0x00040000u
#define M_ILE 0x00010000u
#define M_EE  0x00008000u
#define M_PR  0x00004000u
#define M_FP  0x00002000u
#define M_ME  0x00001000u
#define M_FE0 0x00000800u
#define M_SE  0x00000400u
#define M_BE  0x00000200u
#define M_FE1 0x00000100u
#define M_IP  0x00000040u
#define M_IR  0x00000020u
#define M_DR  0x00000010u
#define M_RI  0x00000002u
#define M_LE  0x00000001u

static const char *name = "robust32";
static uint32_t pvr = PPCVM_PVR_750;
static uint64_t seed = 1;
static unsigned count = 1000, case_ms = 15;
static bool verbose;

static uint64_t rstate;

static uint64_t rr(void)
{
	uint64_t z = (rstate += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rr() % n);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static volatile unsigned cur_case;
static volatile bool in_case;

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s (case %u: ", name, (unsigned)cur_case);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
	exit(1);
}

/* ---- Crash / sanitizer / hang reporting --------------------------------- */

static void report_case(void)
{
	char msg[160];
	int n;

	if (!in_case)
		return;
	n = snprintf(msg, sizeof(msg), "FAIL %s (ppcvm died in case %u, seed %" PRIu64 ")\n", name,
		     (unsigned)cur_case, seed);
	if (write(1, msg, (size_t)n) < 0)
		_exit(1);
}

static void on_crash(int sig)
{
	report_case();
	signal(sig, SIG_DFL);
	raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
void __sanitizer_set_death_callback(void (*callback)(void));
#endif

static struct ppcvm_vcpu *watch_vcpu;
static volatile int watch_stage;

static void set_timer(unsigned ms)
{
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* First alarm: kick the vCPU (the case's time bound); second: it hangs */
static void on_alarm(int sig)
{
	char msg[160];
	int n;

	(void)sig;
	if (watch_stage == 1 && watch_vcpu) {
		watch_stage = 2;
		ppcvm_vcpu_kick(watch_vcpu);
		set_timer(2000);
		return;
	}
	if (watch_stage == 2) {
		n = snprintf(msg, sizeof(msg),
			     "FAIL %s (hang: run() did not return 2 s after a kick, case %u, "
			     "seed %" PRIu64 ")\n",
			     name, (unsigned)cur_case, seed);
		if (write(1, msg, (size_t)n) < 0)
			_exit(1);
		_exit(1);
	}
}

/* ---- Instruction encoders ---------------------------------------------- */

static uint32_t d_form(unsigned op, unsigned rt, unsigned ra, unsigned imm)
{
	return op << 26 | (rt & 31) << 21 | (ra & 31) << 16 | (imm & 0xffff);
}

static uint32_t x_form(unsigned op, unsigned rt, unsigned ra, unsigned rb, unsigned xo)
{
	return op << 26 | (rt & 31) << 21 | (ra & 31) << 16 | (rb & 31) << 11 | (xo & 1023) << 1;
}

static uint32_t spr_field(unsigned spr)
{
	return ((spr & 0x1f) << 5 | (spr >> 5 & 0x1f)) << 11;
}

static uint32_t mtspr(unsigned spr, unsigned rs)
{
	return x_form(31, rs, 0, 0, 467) | spr_field(spr);
}

static uint32_t mfspr(unsigned rt, unsigned spr)
{
	return x_form(31, rt, 0, 0, 339) | spr_field(spr);
}

#define RFI 0x4c000064u

/* SPRs the 32-bit models implement, and some they do not */
static const uint16_t sprs[] = {
	1,   8,	  9,	18,   19,   22,	  25,	26,   27,   272,  273,	274,  275,  276,  277,
	278, 279, 282,	284,  285,  287,  528,	529,  530,  531,  532,	533,  534,  535,  536,
	537, 538, 539,	540,  541,  542,  543,	560,  561,  562,  563,	564,  565,  566,  567,
	568, 569, 570,	571,  572,  573,  574,	575,  256,  936,  937,	938,  939,  940,  941,
	942, 944, 945,	946,  947,  948,  949,	950,  951,  952,  953,	954,  955,  956,  957,
	958, 959, 1008, 1009, 1010, 1013, 1014, 1015, 1016, 1017, 1019, 1020, 1021, 1022, 1023,
	268, 269, 17,	20,   21,   29,	  48,	318,  1012,
};

/* Extended opcodes of primary 31 the 32-bit models decode (and some 64-bit ones) */
static const uint16_t xo31[] = {
	0,   4,	  8,   10,  11,	 19,  20,  23,	 24,  26,  28,	32,  40,  54,  55,  60,	 75,
	83,  86,  87,  104, 119, 124, 136, 138,	 144, 146, 150, 151, 183, 200, 202, 210, 215,
	232, 234, 235, 242, 246, 247, 266, 278,	 279, 284, 306, 310, 311, 316, 339, 343, 370,
	371, 375, 407, 412, 438, 439, 444, 459,	 467, 470, 476, 491, 512, 533, 534, 535, 536,
	566, 567, 595, 597, 598, 599, 631, 659,	 661, 662, 663, 695, 725, 727, 759, 790, 792,
	824, 854, 918, 922, 954, 982, 983, 1014, 6,   38,  7,	39,  71,  103, 359, 135, 167,
	199, 231, 487, 342, 374, 822, 21,  27,	 53,  84,  149, 181, 214, 498, 402, 434, 9,
	73,  233, 457, 489, 58,	 539, 794, 826,	 986, 178, 18,	114,
};

static const uint16_t xo19[] = { 0, 16, 33, 50, 129, 150, 193, 225, 257, 289, 417, 449, 528, 18 };

static const uint16_t xo63x[] = { 0,  12,  14,	15,  32,  38,  40,  64,	 70,
				  72, 134, 136, 264, 583, 711, 814, 815, 846 };

/* A random instruction word, mostly of the models' own opcodes */
static uint32_t rand_insn(void)
{
	uint32_t w = (uint32_t)rr();
	unsigned k = rn(100);

	if (k < 10)
		return w; /* anything */
	if (k < 18) {	  /* mtspr / mfspr to an interesting SPR */
		unsigned s = sprs[rn(sizeof(sprs) / sizeof(sprs[0]))];

		return rn(2) ? mtspr(s, w) : mfspr(w, s);
	}
	if (k < 24) { /* segment registers, TLB, MSR */
		static const uint16_t sys[] = { 210, 242, 595, 659, 306, 370, 566, 146, 83, 1014 };

		return x_form(31, w >> 21, w >> 16, w >> 11, sys[rn(10)]) | (w & 1);
	}
	if (k < 27)
		return rn(4) ? RFI : 0x44000002u | (w & 0xfe0); /* rfi / sc (LEV) */
	if (k < 50) /* X-form of primary 31, random Rc and OE */
		return x_form(31, w >> 21, w >> 16, w >> 11, xo31[rn(sizeof(xo31) / 2)]) | (w & 1) |
		       (rn(4) ? 0 : 0x400);
	if (k < 54)
		return x_form(19, w >> 21, w >> 16, w >> 11, xo19[rn(sizeof(xo19) / 2)]) | (w & 1);
	if (k < 74) { /* D-form loads / stores (lwz..stmw, FP) */
		unsigned op = 32 + rn(24);

		return op << 26 | (w & 0x03ffffff);
	}
	if (k < 82) { /* FP arithmetic (A- and X-form) */
		if (rn(2))
			return (rn(2) ? 63u : 59u) << 26 | (w & 0x03ffffc1) | (18 + rn(14)) << 1;
		return x_form(63, w >> 21, w >> 16, w >> 11, xo63x[rn(sizeof(xo63x) / 2)]) |
		       (w & 1);
	}
	if (k < 88)
		return 4u << 26 | (w & 0x03ffffff); /* AltiVec */
	if (k < 93) {				    /* branches: short, forward/backward */
		if (rn(2))
			return 18u << 26 | (w & 0xfc) | (rn(2) ? 0x03ffff00 : 0) | (w >> 31 & 3);
		return 16u << 26 | (w & 0x03ff00ff) | (rn(2) ? 0xff00 : 0);
	}
	{ /* integer immediate / rotate / logical */
		static const uint8_t ops[] = { 3,  7,  8,  10, 11, 12, 13, 14, 15, 20, 21,
					       23, 24, 25, 26, 27, 28, 29, 2,  30, 58, 62 };

		return (uint32_t)ops[rn(sizeof(ops))] << 26 | (w & 0x03ffffff);
	}
}

/* ---- Guest state -------------------------------------------------------- */

struct mmu_cfg {
	uint32_t sr[16];
	uint32_t ibat[8][2], dbat[8][2];
	uint32_t sdr1, hid0;
	uint32_t ea[16]; /* EAs that valid PTEs or BATs map (entry points) */
	unsigned n_ea;
};

static uint8_t *ram, *rom;
static bool is_7447a, pv_on;

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static struct ppcvm_vm *vm;
static uint8_t scratch[CODE_SIZE];

/*
 * Host writes go through ppcvm_write_phys (as a VMM's must, so that pages
 * the vCPU holds decoded are dropped); the ROM's PTEs are written through
 * the host mapping (data only, never executed by the vectors).
 */
static void wr_phys(uint32_t pa, const void *buf, size_t len)
{
	int r = ppcvm_write_phys(vm, pa, buf, len);

	if (r)
		fail("write_phys(0x%x, %zu) = %d", pa, len, r);
}

static void wr32(uint32_t pa, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	if (pa >= ROM_BASE)
		memcpy(rom + (pa - ROM_BASE), b, 4);
	else
		wr_phys(pa, b, 4);
}

/* A guest physical address: in RAM, in the ROM, just outside, anywhere */
static uint32_t rand_pa(void)
{
	switch (rn(8)) {
	case 0:
		return ROM_BASE + rn(ROM_SIZE);
	case 1:
		return RAM_SIZE + rn(0x10000);
	case 2:
		return (uint32_t)rr();
	case 3:
		return CODE_BASE + rn(CODE_SIZE);
	default:
		return rn(RAM_SIZE);
	}
}

static uint32_t rand_msr(void)
{
	uint32_t m = 0;

	if (rn(32)) /* ME = 0: a fetch from no memory checkstops */
		m |= M_ME;
	if (rn(2))
		m |= M_IR;
	if (rn(2))
		m |= M_DR;
	if (rn(3) == 0)
		m |= M_PR;
	if (rn(2))
		m |= M_EE;
	if (rn(3))
		m |= M_FP;
	if (rn(2))
		m |= M_VEC;
	if (rn(8) == 0)
		m |= M_LE;
	if (rn(10) == 0)
		m |= M_SE;
	if (rn(10) == 0)
		m |= M_BE;
	if (rn(6) == 0)
		m |= M_IP;
	if (rn(8) == 0)
		m |= M_FE0 | M_FE1;
	if (rn(24) == 0)
		m |= M_POW;
	if (rn(24) == 0)
		m |= M_ILE;
	if (rn(2))
		m |= M_RI;
	if (rn(16) == 0)
		m |= (uint32_t)rr(); /* reserved bits too */
	return m;
}

/* An address to resume at: the code area, a mapped EA, anywhere */
static uint32_t rand_pc(const struct mmu_cfg *c)
{
	switch (rn(6)) {
	case 0:
		return (uint32_t)rr() & ~3u;
	case 1:
	case 2:
		if (c->n_ea)
			return c->ea[rn(c->n_ea)] + (rn(1024) << 2);
		/* fall through */
	default:
		return CODE_BASE + (rn(CODE_SIZE / 4) << 2);
	}
}

static void rand_bat(uint32_t b[2])
{
	static const uint16_t bl[] = {
		0, 1, 3, 7, 0xf, 0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff
	};

	if (rn(4) == 0) {
		b[0] = rn(2) ? (uint32_t)rr() : 0;
		b[1] = (uint32_t)rr();
		return;
	}
	if (rn(3) == 0) { /* identity map of the low 4 MB */
		b[0] = 0x1f << 2 | (rn(4) ? 3 : rn(4));
		b[1] = (rn(4) << 3 & 0x30) | rn(4);
		return;
	}
	b[0] = ((uint32_t)rr() & 0xfffe0000) | (uint32_t)bl[rn(12)] << 2 | rn(4);
	b[1] = (rand_pa() & 0xfffe0000) | (uint32_t)rn(16) << 3 | rn(4);
}

static uint32_t pteg_addr(uint32_t sdr1, uint32_t hash)
{
	uint32_t org = sdr1 & 0xffff0000, mask = sdr1 & 0x1ff;

	return (org & 0xfe000000) | ((org >> 16 & 0x1ff) | ((hash >> 10) & mask)) << 16 |
	       (hash & 0x3ff) << 6;
}

static void make_mmu(struct mmu_cfg *c)
{
	unsigned nb = is_7447a ? 8 : 4;
	uint32_t vsids[4];

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 4; i++)
		vsids[i] = (uint32_t)rr() & 0xffffff;
	for (int i = 0; i < 16; i++) {
		uint32_t v = rn(8) ? vsids[rn(4)] : (uint32_t)rr() & 0xffffff;

		c->sr[i] = (uint32_t)rn(8) << 28 | v; /* Ks, Kp, N */
		if (rn(16) == 0)
			c->sr[i] = 0x80000000u | (uint32_t)rr() >> 1; /* T = 1 */
	}
	for (unsigned i = 0; i < 8; i++) {
		if (i < nb || rn(4) == 0) {
			rand_bat(c->ibat[i]);
			rand_bat(c->dbat[i]);
			if (rn(4) == 0)
				memset(c->ibat[i], 0, 8);
			if (rn(4) == 0)
				memset(c->dbat[i], 0, 8);
		}
		if ((c->ibat[i][0] & 3) && c->n_ea < 4 && rn(2))
			c->ea[c->n_ea++] = c->ibat[i][0] & 0xfffe0000;
	}
	/* HTAB: inside RAM (64 KB .. 512 KB), in the ROM, outside RAM, random */
	switch (rn(8)) {
	case 0:
		c->sdr1 = ROM_BASE; /* HTAB in the read-only slot */
		break;
	case 1:
		c->sdr1 = (RAM_SIZE + rn(64) * 0x10000) & 0xffff0000;
		break;
	case 2:
		c->sdr1 = (uint32_t)rr();
		break;
	default: {
		uint32_t mask = rn(4) ? 0 : (1u << rn(4)) - 1;
		uint32_t size = (mask + 1) << 16;

		c->sdr1 = (rn(RAM_SIZE / size) * size) | mask;
		break;
	}
	}
	c->hid0 = rn(4) ? (rn(2) ? 0x00800000u : 0) | (uint32_t)rr() % 2 << 20 : (uint32_t)rr();
}

/* Fill the page table: random words in some PTEGs, valid PTEs for random EAs */
static void fill_htab(struct mmu_cfg *c)
{
	uint32_t org = c->sdr1 & 0xffff0000, size = ((c->sdr1 & 0x1ff) + 1) << 16;

	if (org < RAM_SIZE && size <= RAM_SIZE - org) {
		unsigned n = rn(64);

		for (unsigned i = 0; i < n; i++)
			wr32(org + (rn(size / 4) << 2), (uint32_t)rr());
	}
	for (unsigned i = 0, n = 1 + rn(12); i < n; i++) {
		uint32_t ea = rn(4) ? (uint32_t)rn(16) << 28 | rn(0x10000000) : (uint32_t)rr();
		uint32_t sr = c->sr[ea >> 28], vsid = sr & 0xffffff;
		uint32_t hash = (vsid & 0x7ffff) ^ (ea >> 12 & 0xffff);
		unsigned h = rn(3) == 0, slot = rn(8);
		uint32_t pa = rn(3) ? CODE_BASE + (rn(CODE_SIZE >> 12) << 12) : rand_pa();
		uint32_t pteg, w0, w1;

		ea &= 0xfffff000;
		if (h)
			hash = ~hash & 0x7ffff;
		pteg = pteg_addr(c->sdr1, hash) + slot * 8;
		w0 = 0x80000000u | vsid << 7 | h << 6 | (ea >> 22 & 0x3f);
		w1 = (pa & 0xfffff000) | (uint32_t)rn(4) << 7 | (uint32_t)rn(16) << 3 | rn(4);
		if (rn(10) == 0)
			w0 ^= 1u << rn(32);
		/* (a PTE in the read-only slot: R/C cannot be written back) */
		if ((pteg < RAM_SIZE && pteg + 8 <= RAM_SIZE) ||
		    (pteg >= ROM_BASE + 0x3100 && pteg + 8 <= ROM_BASE + ROM_SIZE)) {
			wr32(pteg, w0);
			wr32(pteg + 4, w1);
		} else {
			continue;
		}
		if (c->n_ea < 16)
			c->ea[c->n_ea++] = ea;
	}
}

/*
 * Vectors: each "mtsprg1 r3; li r3, OFF; b common". common: r4 saved in
 * SPRG2, lwz r3, OFF(0xf0000000) -> SRR0, lwz r3, OFF+4 -> SRR1, restore
 * r3/r4, rfi. Both loads are MMIO exits the host answers.
 */
static void write_vectors(uint8_t *base)
{
	static const uint32_t common[] = {
		0, /* mtsprg2 r4 */
		0, /* oris r4, r3, 0xf000 */
		0, /* lwz r3, 0(r4) */
		0, /* mtsrr0 r3 */
		0, /* lwz r3, 4(r4) */
		0, /* mtsrr1 r3 */
		0, /* mfsprg2 r4 */
		0, /* mfsprg1 r3 */
		RFI,
	};
	uint32_t c[9];

	memcpy(c, common, sizeof(c));
	c[0] = mtspr(274, 4);
	c[1] = d_form(25, 3, 4, 0xf000);
	c[2] = d_form(32, 3, 4, 0);
	c[3] = mtspr(26, 3);
	c[4] = d_form(32, 3, 4, 4);
	c[5] = mtspr(27, 3);
	c[6] = mfspr(4, 274);
	c[7] = mfspr(3, 273);
	for (unsigned o = 0; o < COMMON; o += 4)
		put_be32(base + o, 0); /* illegal: program interrupt */
	for (unsigned v = 0x100; v < 0x3000; v += 0x100) {
		for (unsigned off = v; off <= v + 0x20 && off < 0x3000; off += 0x20) {
			put_be32(base + off, mtspr(273, 3));
			put_be32(base + off + 4, d_form(14, 3, 0, off));
			put_be32(base + off + 8, 18u << 26 | ((COMMON - (off + 8)) & 0x03fffffc));
		}
	}
	for (unsigned i = 0; i < 9; i++)
		put_be32(base + COMMON + 4 * i, c[i]);
}

/* Real-mode prologue: SRs (and BATs / SDR1 / HID0 with mtspr), rfi */
static void write_prologue(const struct mmu_cfg *c, bool bats_by_guest, uint32_t pc, uint32_t msr,
			   uint32_t r3)
{
	uint8_t *p = scratch;
	unsigned n = 0;

#define EMIT(w) put_be32(p + 4 * n++, (w))
#define LOAD_R3(v)                                  \
	do {                                        \
		EMIT(d_form(15, 3, 0, (v) >> 16));  \
		EMIT(d_form(24, 3, 3, (v)&0xffff)); \
	} while (0)
	for (unsigned i = 0; i < 16; i++) {
		LOAD_R3(c->sr[i]);
		if (rn(2)) {
			EMIT(x_form(31, 3, i, 0, 210)); /* mtsr i, r3 */
		} else {
			EMIT(d_form(15, 4, 0, i << 12)); /* lis r4, i << 12 */
			EMIT(x_form(31, 3, 0, 4, 242));	 /* mtsrin r3, r4 */
		}
	}
	if (bats_by_guest) {
		for (unsigned i = 0; i < 8; i++) {
			unsigned base = i < 4 ? 528 + 2 * i : 560 + 2 * (i - 4);

			for (unsigned k = 0; k < 2; k++) {
				LOAD_R3(c->ibat[i][k]);
				EMIT(mtspr(base + k, 3));
				LOAD_R3(c->dbat[i][k]);
				EMIT(mtspr(base + 8 + k, 3));
			}
		}
		LOAD_R3(c->sdr1);
		EMIT(mtspr(25, 3));
		LOAD_R3(c->hid0);
		EMIT(mtspr(1008, 3));
	}
	if (pv_on && rn(4) == 0) {
		/* KVM_HC_PPC_MAP_MAGIC_PAGE: r3 = real address, r4 = EA | flags */
		uint32_t pa = rn(4) ? rn(RAM_SIZE) & ~0xfffu : (uint32_t)rr();
		uint32_t ea = rn(2) ? 0xfffff000u | rn(2) : (uint32_t)rr();

		LOAD_R3(pa);
		EMIT(d_form(24, 3, 31, 0)); /* mr r31, r3 (via ori) */
		LOAD_R3(ea);
		EMIT(d_form(24, 3, 4, 0));	/* mr r4, r3 */
		EMIT(d_form(24, 31, 3, 0));	/* mr r3, r31 */
		EMIT(d_form(15, 0, 0, 0x4b56)); /* lis r0, "KV" */
		EMIT(d_form(24, 0, 0, 0x4d21)); /* ori r0, r0, "M!" */
		EMIT(d_form(15, 11, 0, 0x2a));	/* lis r11, 42 (KVM vendor) */
		EMIT(d_form(24, 11, 11, 4));	/* ori r11, r11, 4 */
		EMIT(0x44000002u);		/* sc */
	}
	if (rn(2))
		EMIT(x_form(31, 0, 0, 0, 370)); /* tlbia (illegal on some models) */
	LOAD_R3(pc);
	EMIT(mtspr(26, 3));
	LOAD_R3(msr);
	EMIT(mtspr(27, 3));
	LOAD_R3(r3);
	EMIT(RFI);
	wr_phys(PROLOGUE, p, 4 * n);
#undef EMIT
#undef LOAD_R3
}

/* ---- The run ------------------------------------------------------------- */

static struct ppcvm_vcpu *vcpu;
static struct ppcvm_run *run;
static unsigned long st_vec[0x31], st_exit[32], st_intr_taken, st_mmio_guest, st_timeouts;
static unsigned long st_cases_exits;

static void set_spr(unsigned spr, uint32_t val)
{
	uint64_t v = val;
	int r = ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_SPR(spr), &v);

	/* BATs 4-7 do not exist on the 750 */
	if (r && !(r == -ENOENT && !is_7447a && spr >= 560))
		fail("set_one_reg(SPR %u) = %d", spr, r);
}

static bool overlaps(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return a < base + size && base < a + len;
}

static void one_case(unsigned idx)
{
	struct mmu_cfg c;
	struct ppcvm_regs regs;
	struct ppcvm_sregs sregs;
	bool bats_by_guest = rn(2), irq = rn(8) == 0;
	uint32_t pc, msr;
	unsigned exits;
	int r;

	cur_case = idx;
	make_mmu(&c);
	for (unsigned o = 0; o < CODE_SIZE; o += 4)
		put_be32(scratch + o, rand_insn());
	wr_phys(CODE_BASE, scratch, CODE_SIZE);
	write_vectors(scratch);
	wr_phys(0, scratch, COMMON + 0x40);
	/* random words over part of the rest of RAM (data, stray PTEs) */
	for (unsigned i = 0, n = rn(256); i < n; i++)
		wr32(0x20000 + (rn(RAM_SIZE - 0x20000) & ~3u), (uint32_t)rr());
	fill_htab(&c);
	pc = rand_pc(&c);
	msr = rand_msr();
	write_prologue(&c, bats_by_guest, pc, msr, (uint32_t)rr());

	/* Sometimes: the model switched away and back (cpu_set_model) */
	if (rn(32) == 0) {
		uint64_t p8 = PPCVM_PVR_POWER8, p = pvr;

		if (ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_PVR, &p8) ||
		    ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_PVR, &p))
			fail("ONE_REG PVR failed");
	}
	if ((r = ppcvm_vcpu_get_sregs(vcpu, &sregs)))
		fail("get_sregs = %d", r);
	if (sregs.pvr != pvr)
		fail("PVR is 0x%08x, not 0x%08x", sregs.pvr, pvr);
	sregs.dec = rn(2) ? rn(20000) : (uint32_t)rr();
	sregs.dar = (uint32_t)rr();
	sregs.dsisr = (uint32_t)rr();
	if ((r = ppcvm_vcpu_set_sregs(vcpu, &sregs)))
		fail("set_sregs = %d", r);
	if (!bats_by_guest) {
		for (unsigned i = 0; i < 8; i++) {
			unsigned base = i < 4 ? 528 + 2 * i : 560 + 2 * (i - 4);

			for (unsigned k = 0; k < 2; k++) {
				set_spr(base + k, c.ibat[i][k]);
				set_spr(base + 8 + k, c.dbat[i][k]);
			}
		}
		set_spr(25, c.sdr1);
		set_spr(1008, c.hid0);
	}
	memset(&regs, 0, sizeof(regs));
	for (unsigned g = 0; g < 32; g++) {
		uint64_t v = rr();

		switch (v % 5) {
		case 0:
		case 1:
			regs.gpr[g] = (v >> 8) % RAM_SIZE;
			break;
		case 2:
			regs.gpr[g] = v >> 2 & 0xff;
			break;
		case 3:
			regs.gpr[g] = c.n_ea ? c.ea[rn(c.n_ea)] + rn(4096) : (uint32_t)v;
			break;
		default:
			regs.gpr[g] = rn(2) ? (uint32_t)(v >> 8) : v;
			break;
		}
	}
	if (rn(8) == 0) { /* a KVM PV hypercall (sc with r0 = "KVM!") */
		static const uint32_t tok[] = { 0x2a0003, 0x2a0004, 0x10001, 0x10002,
						0x10003,  0x1000b,  0x10010 };

		regs.gpr[0] = 0x4b564d21;
		regs.gpr[11] = rn(4) ? tok[rn(7)] : (uint32_t)rr();
	}
	regs.pc = PROLOGUE;
	regs.msr = M_ME;
	regs.ctr = rn(3) ? rr() : 1 + rn(8);
	regs.lr = rand_pc(&c);
	regs.cr = (uint32_t)rr();
	regs.xer = rr() & 0xe000007f;
	regs.srr0 = rr();
	regs.srr1 = rr();
	regs.sprg0 = rr();
	if ((r = ppcvm_vcpu_set_regs(vcpu, &regs)))
		fail("set_regs = %d", r);
	if (irq)
		ppcvm_vcpu_set_irq(vcpu, 1);

	in_case = true;
	watch_vcpu = vcpu;
	watch_stage = 1;
	set_timer(case_ms);
	for (exits = 0; exits < MAX_EXITS; exits++) {
		r = ppcvm_vcpu_run(vcpu);
		if (r)
			fail("ppcvm_vcpu_run = %d", r);
		st_exit[run->exit_reason & 31]++;
		if (run->exit_reason == PPCVM_EXIT_MMIO) {
			uint64_t a = run->mmio.phys_addr;
			uint32_t len = run->mmio.len;

			if (!len || len > 8 || overlaps(a, len, 0, RAM_SIZE) ||
			    (!run->mmio.is_write && overlaps(a, len, ROM_BASE, ROM_SIZE)))
				fail("MMIO exit at 0x%" PRIx64 " len %u %s: RAM serves it", a, len,
				     run->mmio.is_write ? "write" : "read");
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
			if (!run->mmio.is_write && len == 4 && a >= ASK_BASE &&
			    a < ASK_BASE + 0x3000 + 8) {
				/* the vector handler asks where to go on */
				static uint32_t nsrr0, nsrr1;

				if (!(a & 4)) {
					st_intr_taken++;
					st_vec[(a - ASK_BASE) >> 8 & 0x3f]++;
					if ((r = ppcvm_vcpu_get_regs(vcpu, &regs)))
						fail("get_regs = %d", r);
					nsrr0 = (uint32_t)regs.srr0;
					nsrr1 = (uint32_t)regs.srr1;
					switch (rn(20)) {
					case 0:
					case 1:
					case 2:
						break; /* retry */
					case 3:
					case 4:
					case 5:
					case 6:
					case 7:
					case 8:
					case 9:
					case 10:
					case 11:
						nsrr0 += 4; /* skip */
						break;
					default:
						nsrr0 = rand_pc(&c);
						nsrr1 = rand_msr();
						break;
					}
					put_be32(run->mmio.data, nsrr0);
				} else {
					put_be32(run->mmio.data, nsrr1);
				}
			} else {
				st_mmio_guest++;
				for (unsigned i = 0; i < 8; i++)
					run->mmio.data[i] = (uint8_t)rr();
			}
			continue;
		}
		if (run->exit_reason == PPCVM_EXIT_PAPR_HCALL) {
			run->papr_hcall.ret = (uint64_t)-2;
			continue;
		}
		if (run->exit_reason == PPCVM_EXIT_EPAPR_HCALL) {
			run->epapr_hcall.ret = rn(2) ? 0 : 8;
			for (int i = 1; i < 8; i++)
				run->epapr_hcall.args[i] = rr();
			continue;
		}
		if (run->exit_reason == PPCVM_EXIT_OSI)
			continue;
		if (run->exit_reason == PPCVM_EXIT_INTERNAL_ERROR)
			fail("internal error exit (suberror %u, pc 0x%" PRIx64 ", insn 0x%08" PRIx64
			     ")",
			     run->internal.suberror, run->internal.data[0], run->internal.data[1]);
		if (run->exit_reason == PPCVM_EXIT_INTR) {
			if (watch_stage == 2)
				st_timeouts++;
			break;
		}
		if (run->exit_reason == PPCVM_EXIT_HLT || run->exit_reason == PPCVM_EXIT_SHUTDOWN)
			break;
		fail("unexpected exit reason %u", run->exit_reason);
	}
	set_timer(0);
	watch_stage = 0;
	st_cases_exits += exits;
	in_case = false;
	if (irq)
		ppcvm_vcpu_set_irq(vcpu, 0);
	if (verbose)
		printf("case %u: pc 0x%08x msr 0x%08x sdr1 0x%08x exits %u reason %u\n", idx, pc,
		       msr, c.sdr1, exits, run->exit_reason);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	uint64_t p;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-v")) {
			verbose = true;
			continue;
		}
		if (!v)
			goto usage;
		i++;
		if (!strcmp(a, "--pvr")) {
			if (!strcmp(v, "750"))
				pvr = PPCVM_PVR_750;
			else if (!strcmp(v, "7447a"))
				pvr = PPCVM_PVR_7447A;
			else
				pvr = (uint32_t)strtoul(v, NULL, 0);
		} else if (!strcmp(a, "--seed"))
			seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--count"))
			count = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--ms"))
			case_ms = (unsigned)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--name"))
			name = v;
		else
			goto usage;
	}
	is_7447a = pvr >> 16 == 0x8003;
	rstate = seed * 0x100000001b3ull ^ pvr;
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGALRM, on_alarm);
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_set_death_callback(report_case);
#endif
	ram = aligned_alloc(4096, RAM_SIZE);
	rom = aligned_alloc(4096, ROM_SIZE);
	if (!ram || !rom)
		fail("out of memory");
	memset(ram, 0, RAM_SIZE);
	memset(rom, 0, ROM_SIZE);
	write_vectors(rom);
	if ((r = ppcvm_vm_create(&vm)) || (r = ppcvm_set_memslot(vm, 0, 0, RAM_SIZE, ram, 0)) ||
	    (r = ppcvm_set_memslot(vm, 1, ROM_BASE, ROM_SIZE, rom, PPCVM_MEM_READONLY)) ||
	    (r = ppcvm_vcpu_create(vm, 0, &vcpu)))
		fail("ppcvm setup: %s", strerror(-r));
	run = ppcvm_vcpu_run_data(vcpu);
	/* the PV interface on in half the runs (magic page, ePAPR hcalls) */
	pv_on = seed & 1;
	if (pv_on) {
		const uint64_t on[4] = { 1 };

		if (ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, on) ||
		    ppcvm_enable_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, on))
			fail("enable_cap failed");
	}
	p = pvr;
	if ((r = ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_PVR, &p)))
		fail("ONE_REG PVR = %d", r);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < count; i++) {
		one_case(i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (verbose) {
		struct ppcvm_vcpu_stats st;

		if (!ppcvm_vcpu_get_stats(vcpu, &st))
			printf("hcalls %" PRIu64 ", magic page mapped %u (ea 0x%" PRIx64 ")\n",
			       st.hcalls, st.magic_page_mapped, st.magic_page_ea);
	}
	if (verbose)
		for (unsigned v = 0; v < 0x31; v++)
			if (st_vec[v])
				printf("vector 0x%03x: %lu\n", v << 8, st_vec[v]);
	ppcvm_vm_destroy(vm);
	free(ram);
	free(rom);
	printf("PASS %s (%u cases in %.1f s, seed %" PRIu64 "; %lu exits: mmio %lu (guest %lu, "
	       "interrupts %lu), hlt %lu, shutdown %lu, epapr %lu, kicked %lu)\n",
	       name, count, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, seed,
	       st_cases_exits, st_exit[PPCVM_EXIT_MMIO], st_mmio_guest, st_intr_taken,
	       st_exit[PPCVM_EXIT_HLT], st_exit[PPCVM_EXIT_SHUTDOWN],
	       st_exit[PPCVM_EXIT_EPAPR_HCALL & 31], st_timeouts);
	return 0;
usage:
	fprintf(stderr, "usage: robust32 --pvr 750|7447a --seed S --count N [--ms MS] "
			"[--name NAME] [-v]\n");
	return 2;
}
