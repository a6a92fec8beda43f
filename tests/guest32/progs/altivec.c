/*
 * AltiVec on the 7447A (guest32-cpus: 7447a): MSR[VEC] = 0 -> AltiVec unavailable (0xf20),
 * a few vector ops (vaddubm, vadduws saturation + VSCR[SAT], vperm, vand, vcmpequw.), VSCR
 * read/write, lvx/stvx alignment (EA & ~15), mfvrsave/mtvrsave.
 */
#include "guest32.h"

static u32 va[4] __attribute__((aligned(16))) = { 0x01020304, 0x05060708, 0xfffffff0, 0x80000000 };
static u32 vb[4] __attribute__((aligned(16))) = { 0x10101010, 0xff000000, 0x00000020, 0x80000000 };
static u32 vr[4] __attribute__((aligned(16)));
static u32 vs[4] __attribute__((aligned(16)));

#define VOP(insn)                                                          \
	asm volatile("lvx 1,0,%0\n\tlvx 2,0,%1\n\t" insn "\n\tstvx 3,0,%2" \
		     :                                                     \
		     : "b"(va), "b"(vb), "b"(vr)                           \
		     : "v1", "v2", "v3", "memory")

static void vscr_get(void)
{
	asm volatile("mfvscr 4\n\tstvx 4,0,%0" : : "b"(vs) : "v4", "memory");
}

int main(void)
{
	u32 m = mfmsr(), cr;

	if (!is_7447a()) {
		check(0, "altivec.needs-7447a");
		return 0;
	}
	/* VEC = 0: AltiVec unavailable */
	mtmsr(m & ~MSR_VEC);
	exc_expected = 1;
	exc_reset();
	asm volatile("vor 0,0,0");
	exc_expected = 0;
	check_eq(exc_last.vec, 0xf20, "altivec.unavailable.vec");
	check_eq(exc_last.srr1 & MSR_VEC, 0, "altivec.unavailable.srr1");
	mtmsr(m | MSR_VEC);
	check_eq(mfmsr() & MSR_VEC, MSR_VEC, "altivec.msr-vec");
	/* VSCR: NJ, SAT */
	asm volatile("vspltisw 4,0\n\tmtvscr 4" : : : "v4");
	vscr_get();
	check_eq(vs[3], 0, "altivec.vscr-clear");
	VOP("vaddubm 3,1,2");
	check_eq(vr[0], 0x11121314, "altivec.vaddubm[0]");
	check_eq(vr[1], 0x04060708, "altivec.vaddubm[1]");
	VOP("vadduws 3,1,2");
	check_eq(vr[2], 0xffffffff, "altivec.vadduws-saturates");
	check_eq(vr[3], 0xffffffff, "altivec.vadduws-saturates[3]");
	vscr_get();
	check_eq(vs[3] & 1, 1, "altivec.vscr-sat");
	VOP("vand 3,1,2");
	check_eq(vr[1], 0x05000000, "altivec.vand");
	VOP("vsubuwm 3,1,2");
	check_eq(vr[2], 0xffffffd0, "altivec.vsubuwm");
	/* vperm: bytes 0..31 of va||vb; reverse the first word */
	{
		static u8 pm[16] __attribute__((aligned(16))) = { 3,  2,  1,  0,  16, 17, 18, 19,
								  31, 30, 29, 28, 0,  0,  0,  0 };

		asm volatile("lvx 1,0,%0\n\tlvx 2,0,%1\n\tlvx 5,0,%2\n\tvperm 3,1,2,5\n\t"
			     "stvx 3,0,%3"
			     :
			     : "b"(va), "b"(vb), "b"(pm), "b"(vr)
			     : "v1", "v2", "v3", "v5", "memory");
		check_eq(vr[0], 0x04030201, "altivec.vperm[0]");
		check_eq(vr[1], 0x10101010, "altivec.vperm[1]");
		check_eq(vr[2], 0x00000080, "altivec.vperm[2]");
		check_eq(vr[3], 0x01010101, "altivec.vperm[3]");
	}
	/* vcmpequw.: CR6 all-equal / none-equal */
	asm volatile("lvx 1,0,%1\n\tvcmpequw. 3,1,1\n\tmfcr %0"
		     : "=r"(cr)
		     : "b"(va)
		     : "v1", "v3", "cr6");
	check_eq((cr >> 4) & 0xf, 0x8, "altivec.vcmpequw.-all");
	/* lvx ignores the low 4 EA bits */
	asm volatile("li 9,7\n\tlvx 1,%0,9\n\tstvx 1,0,%1"
		     :
		     : "b"(va), "b"(vr)
		     : "r9", "v1", "memory");
	check_eq(vr[0], va[0], "altivec.lvx-aligns");
	/* VRSAVE (SPR 256) */
	mtspr(256, 0xf00f1234);
	check_eq(mfspr(256), 0xf00f1234, "altivec.vrsave");
	mtmsr(m);
	return 0;
}
