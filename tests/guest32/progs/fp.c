/*
 * Floating point on the 750 / 7447A: MSR[FP] = 0 -> FP unavailable (0x800), arithmetic and
 * conversions, FPSCR flags, an enabled exception (FE0 = FE1 = 1, ZE) -> program interrupt
 * with SRR1[11] (FP), fsqrt absent on both (illegal), fres / fsel present.
 */
#include "guest32.h"

static double d(u64 bits)
{
	union {
		u64 u;
		double d;
	} x = { .u = bits };

	return x.d;
}

static u64 bits(double v)
{
	union {
		u64 u;
		double d;
	} x = { .d = v };

	return x.u;
}

static void fp_on(void)
{
	mtmsr(mfmsr() | MSR_FP);
}

static u32 mffs(void)
{
	double f;

	asm volatile("mffs %0" : "=f"(f));
	return (u32)bits(f);
}

static void clear_fpscr(void)
{
	asm volatile("mtfsf 0xff,%0" : : "f"(d(0)));
}

static __attribute__((noinline)) void test_unavailable(void)
{
	double a = 1.5, r;
	u32 m = mfmsr(), pc;

	mtmsr(m & ~MSR_FP);
	exc_expected = 1;
	exc_reset();
	asm volatile("bl 1f\n1:\tmflr %1\n\tfadd %0,%2,%2" : "=f"(r), "=r"(pc) : "f"(a) : "lr");
	exc_expected = 0;
	check_eq(exc_last.vec, 0x800, "fpu.unavailable.vec");
	check_eq(exc_last.srr0, pc + 4, "fpu.unavailable.srr0");
	check_eq(exc_last.srr1 & MSR_FP, 0, "fpu.unavailable.srr1-fp0");
	mtmsr(m);
}

static __attribute__((noinline)) void test_arith(void)
{
	double r;
	union {
		float f;
		u32 u;
	} f;
	volatile float fm;
	volatile double dm;

	fp_on();
	clear_fpscr();
	asm volatile("fadd %0,%1,%2" : "=f"(r) : "f"(1.25), "f"(2.5));
	check(bits(r) == bits(3.75), "fpu.fadd");
	asm volatile("fmul %0,%1,%2" : "=f"(r) : "f"(3.0), "f"(-0.5));
	check(bits(r) == bits(-1.5), "fpu.fmul");
	asm volatile("fdiv %0,%1,%2" : "=f"(r) : "f"(1.0), "f"(4.0));
	check(bits(r) == bits(0.25), "fpu.fdiv");
	asm volatile("fmadd %0,%1,%2,%3" : "=f"(r) : "f"(2.0), "f"(3.0), "f"(0.5));
	check(bits(r) == bits(6.5), "fpu.fmadd");
	asm volatile("fnmsub %0,%1,%2,%3" : "=f"(r) : "f"(2.0), "f"(3.0), "f"(0.5));
	check(bits(r) == bits(-5.5), "fpu.fnmsub");
	/* single precision rounding: 1 + 2^-30 rounds to 1.0f */
	asm volatile("fadds %0,%1,%2" : "=f"(r) : "f"(1.0), "f"(d(0x3e10000000000000ULL)));
	check(bits(r) == bits(1.0), "fpu.fadds-rounds");
	asm volatile("frsp %0,%1" : "=f"(r) : "f"(d(0x3ff0000010000000ULL)));
	check(bits(r) == bits(1.0), "fpu.frsp");
	/* fctiwz: truncate to a 32-bit integer in the low word */
	asm volatile("fctiwz %0,%1" : "=f"(r) : "f"(-7.9));
	check_eq((u32)bits(r), (u32)-7, "fpu.fctiwz");
	asm volatile("fctiw %0,%1" : "=f"(r) : "f"(1e12));
	check_eq((u32)bits(r), 0x7fffffff, "fpu.fctiw-saturates");
	check_eq(mffs() & 0x100, 0x100, "fpu.fctiw-vxcvi"); /* FPSCR[VXCVI] (bit 23) */
	clear_fpscr();
	/* lfs / stfs convert between single and double */
	fm = 0.1f;
	asm volatile("lfs %0,0(%1)" : "=f"(r) : "b"(&fm) : "memory");
	check(bits(r) == 0x3fb99999a0000000ULL, "fpu.lfs-widens");
	asm volatile("stfs %1,0(%0)" : : "b"(&fm), "f"(2.5) : "memory");
	f.f = fm;
	check(f.u == 0x40200000, "fpu.stfs");
	dm = 0;
	asm volatile("stfd %1,0(%0)" : : "b"(&dm), "f"(-2.0) : "memory");
	check(bits(dm) == 0xc000000000000000ULL, "fpu.stfd");
	/* fsel, fcmpu */
	asm volatile("fsel %0,%1,%2,%3" : "=f"(r) : "f"(-1.0), "f"(10.0), "f"(20.0));
	check(bits(r) == bits(20.0), "fpu.fsel");
	{
		u32 cr;

		asm volatile("fcmpu 1,%1,%2\n\tmfcr %0" : "=r"(cr) : "f"(1.0), "f"(2.0) : "cr1");
		check_eq((cr >> 24) & 0xf, 0x8, "fpu.fcmpu-lt");
		asm volatile("fcmpu 1,%1,%2\n\tmfcr %0"
			     : "=r"(cr)
			     : "f"(d(0x7ff8000000000000ULL)), "f"(2.0)
			     : "cr1");
		check_eq((cr >> 24) & 0xf, 0x1, "fpu.fcmpu-unordered");
	}
	/* fres: a reciprocal estimate (within 1/256 for 1/4) */
	asm volatile("fres %0,%1" : "=f"(r) : "f"(4.0));
	check(bits(r) >> 44 == bits(0.25) >> 44 || (bits(r) >> 44) + 1 == bits(0.25) >> 44,
	      "fpu.fres");
}

static __attribute__((noinline)) void test_fpscr(void)
{
	double r;
	u32 fs, m = mfmsr();

	fp_on();
	clear_fpscr();
	asm volatile("fdiv %0,%1,%2" : "=f"(r) : "f"(1.0), "f"(0.0));
	fs = mffs();
	check(bits(r) == 0x7ff0000000000000ULL, "fpscr.div0-inf");
	check_eq(fs & 0x84000000, 0x84000000, "fpscr.fx-zx"); /* FX, ZX */
	clear_fpscr();
	/* ZE enabled, FE0 = FE1 = 1 (precise): a program interrupt with SRR1 FP */
	asm volatile("mtfsb1 27"); /* ZE */
	mtmsr(mfmsr() | MSR_FE0 | MSR_FE1);
	exc_expected = 1;
	exc_reset();
	asm volatile("fdiv %0,%1,%2" : "=f"(r) : "f"(1.0), "f"(0.0));
	exc_expected = 0;
	mtmsr(m | MSR_FP);
	check_eq(exc_last.vec, 0x700, "fpscr.enabled-exc.vec");
	check_eq(exc_last.srr1 & (SRR1_PROG_FP | SRR1_PROG_ILL | SRR1_PROG_PRIV), SRR1_PROG_FP,
		 "fpscr.enabled-exc.srr1");
	clear_fpscr();
	/* ZE enabled with FE0 = FE1 = 0: no interrupt */
	asm volatile("mtfsb1 27");
	exc_expected = 1;
	exc_reset();
	asm volatile("fdiv %0,%1,%2" : "=f"(r) : "f"(1.0), "f"(0.0));
	exc_expected = 0;
	check_eq(exc_count, 0, "fpscr.ignored-mode");
	clear_fpscr();
}

static __attribute__((noinline)) void test_absent(void)
{
	double r = 5.0;

	fp_on();
	/*
	 * fsqrt is optional and absent on the 750 (750 UM appendix A) and the 7447A (MPC7450
	 * RM 2.3.4.3: fsqrt/fsqrts not implemented). QEMU 7.2's 7447A model executes it.
	 */
	if (is_7447a() && qemu_bad("fpu.fsqrt-illegal", "QEMU's 7447A implements fsqrt"))
		return;
	exc_expected = 1;
	exc_reset();
	asm volatile(".long 0xfc20002c\n\tfmr %0,1" : "=f"(r) : : "fr1"); /* fsqrt f1,f0 */
	exc_expected = 0;
	check_eq(exc_last.vec, 0x700, "fpu.fsqrt-illegal.vec");
	check_eq(exc_last.srr1 & SRR1_PROG_ILL, SRR1_PROG_ILL, "fpu.fsqrt-illegal.srr1");
	(void)r;
}

int main(void)
{
	/* on before any FP code: the compiler may load FP constants in any prologue */
	mtmsr(mfmsr() | MSR_FP);
	test_unavailable();
	test_arith();
	test_fpscr();
	test_absent();
	return 0;
}
