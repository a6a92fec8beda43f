/*
 * The KVM paravirtual interface as a CONFIG_KVM_GUEST Linux uses it (arch/powerpc/kernel/kvm.c,
 * epapr_paravirt.c; Documentation/virt/kvm/ppc-pv.rst): find /hypervisor, patch the hypercall
 * stub from "hcall-instructions", KVM_HC_FEATURES, KVM_HC_PPC_MAP_MAGIC_PAGE at -4096, then
 * patch our own privileged instructions (mfmsr, mtmsr, mtmsrd L=0/L=1 through templates that
 * check int_pending, mfsprg/mtsprg 0-3, mfsrr0/1, mtsrr0/1, mfdar/mtdar, mfdsisr/mtdsisr,
 * tlbsync) into loads and stores on the magic page, and run a workload that depends on
 * decrementer and external interrupts (an IPI to ourselves through the VMM's XICS) and on
 * those registers: the patched run and the unpatched run must give
 * identical results, in 64-bit mode (ld/std) and in 32-bit mode (lwz/stw on the low word).
 * ppcvm only: QEMU TCG has no /hypervisor (the program says SKIP-PROGRAM there).
 */
#include "guest.h"

#define MAGIC	   (-4096L)
#define M_SCRATCH1 0
#define M_SCRATCH2 8
#define M_SCRATCH3 16
#define M_CRITICAL 24
#define M_SPRG0	   32
#define M_SRR0	   64
#define M_SRR1	   72
#define M_DAR	   80
#define M_MSR	   88
#define M_DSISR	   96
#define M_INT	   100

#define H_EOI  0x64
#define H_CPPR 0x68
#define H_IPI  0x6c
#define H_XIRR 0x74

#define TOK_FEATURES  0x2a0003UL
#define TOK_MAP	      0x2a0004UL
#define TOK_IDLE      0x10010UL
#define NOT_MAPPED_NX 1UL

/* Instruction patterns (kvm.c): the RT/RS field masked out */
#define MASK_RT	   0x03e00000u
#define I_MFMSR	   0x7c0000a6u
#define I_MTMSR	   0x7c000124u
#define I_MTMSRD0  0x7c000164u
#define I_MTMSRD1  0x7c010164u
#define I_TLBSYNC  0x7c00046cu
#define I_MFSPR(n) (0x7c0002a6u | ((n)&0x1f) << 16 | ((n)&0x3e0) << 6)
#define I_MTSPR(n) (0x7c0003a6u | ((n)&0x1f) << 16 | ((n)&0x3e0) << 6)
#define I_NOP	   0x60000000u
#define I_B	   0x48000000u

/* Encoders */
#define D(op, rt, ra, d) ((op) | (u32)(rt) << 21 | (u32)(ra) << 16 | ((u32)(d)&0xffff))
#define X(xo, rs, ra, rb) \
	(0x7c000000u | (u32)(rs) << 21 | (u32)(ra) << 16 | (u32)(rb) << 11 | (xo) << 1)
#define LWZ(rt, d)	 D(0x80000000u, rt, 0, d)
#define STW(rs, d)	 D(0x90000000u, rs, 0, d)
#define ORI(ra, rs, v)	 D(0x60000000u, rs, ra, v)
#define ANDI_(ra, rs, v) D(0x70000000u, rs, ra, v)
#define LIS(rt, v)	 D(0x3c000000u, rt, 0, v)
#define CMPWI0(ra)	 (0x2c000000u | (u32)(ra) << 16)
#define BEQ(disp)	 (0x41820000u | ((u32)(disp)&0xfffc))
#define BNE(disp)	 (0x40820000u | ((u32)(disp)&0xfffc))
#define AND(ra, rs, rb)	 X(28u, rs, ra, rb)
#define AND_(ra, rs, rb) (X(28u, rs, ra, rb) | 1)
#define OR(ra, rs, rb)	 X(444u, rs, ra, rb)
#define XOR(ra, rs, rb)	 X(316u, rs, ra, rb)
#define MFCR(rt)	 (0x7c000026u | (u32)(rt) << 21)
#define MTCR(rs)	 (0x7c0ff120u | (u32)(rs) << 21)

static int mode32; /* patch for 32-bit mode: lwz/stw on the low word */
static u32 lo_word(void)
{
#ifdef __LITTLE_ENDIAN__
	return 0;
#else
	return 4;
#endif
}

/* load/store a 64-bit field of the magic page as this mode's patched code does */
static u32 ld_field(unsigned rt, int off)
{
	if (mode32)
		return LWZ(rt, MAGIC + off + lo_word());
	return D(0xe8000000u, rt, 0, (MAGIC + off) & 0xfffc);
}

static u32 st_field(unsigned rs, int off)
{
	if (mode32)
		return STW(rs, MAGIC + off + lo_word());
	return D(0xf8000000u, rs, 0, (MAGIC + off) & 0xfffc);
}

/* ---- the hypercall stub (epapr_hcalls.S: fails until patched) ---------------------------- */
asm(".text\n\t.balign 4\n\t.globl pv_hcall_stub\npv_hcall_stub:\n"
    "\tli 3,-1\n\tnop\n\tnop\n\tnop\n\tblr\n");
extern u32 pv_hcall_stub[];

static long kvm_hcall(u64 tok, u64 a0, u64 a1, u64 *r4out)
{
	register u64 r3 asm("r3") = a0;
	register u64 r4 asm("r4") = a1;
	register u64 r11 asm("r11") = tok;

	asm volatile("bl pv_hcall_stub"
		     : "+r"(r3), "+r"(r4), "+r"(r11)
		     :
		     : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r12", "lr", "ctr", "xer", "cr0",
		       "cr1", "cr5", "cr6", "cr7", "memory");
	if (r4out)
		*r4out = r4;
	return (long)r3;
}

/* ---- the workload: every instruction kvm.c patches, in section "pvwork" ------------------ */
struct result {
	u32 sum;
	u32 ticks; /* decrementer and external interrupts taken */
	u32 ext;   /* external ones (an IPI to ourselves through XICS) */
	u32 late;  /* an interrupt that came later than the EE=1 instruction */
	u32 early; /* an interrupt while EE=0 */
};

static volatile u32 dec_ticks, ext_ticks;
static volatile u32 tlbsync_traps;

#define PV __attribute__((noinline, section("pvwork")))

static inline u32 rot(u32 s, u32 v)
{
	return ((s << 5) | (s >> 27)) ^ v;
}

PV static void workload(struct result *r, int n)
{
	u32 s = 0x12345678;
	int i;

	for (i = 0; i < n; i++) {
		u32 v = 0x1000u * (u32)i + 0x35, t;
		u64 msr, x;

		asm volatile("tlbsync" : : : "memory");
		/* EE off (mtmsrd L=1), then the SPRs */
		asm volatile("mtmsrd %0,1" : : "r"((u64)MSR_RI) : "memory");
		asm volatile("mtsprg 0,%0" : : "r"((u64)v));
		asm volatile("mtsprg 1,%0" : : "r"((u64)(v ^ 1)));
		asm volatile("mtsprg 2,%0" : : "r"((u64)(v + 2)));
		asm volatile("mtsprg 3,%0" : : "r"((u64)(v * 3)));
		asm volatile("mtsrr0 %0" : : "r"((u64)(v + 4)));
		asm volatile("mtsrr1 %0" : : "r"((u64)(v + 5)));
		asm volatile("mtdar %0" : : "r"((u64)(v + 6)));
		asm volatile("mtdsisr %0" : : "r"((u64)(v + 7)));
		asm volatile("mfsprg %0,0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsprg %0,1" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsprg %0,2" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsprg %0,3" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsrr0 %0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsrr1 %0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfdar %0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfdsisr %0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfmsr %0" : "=r"(msr));
		s = rot(s, (u32)msr & (u32)(MSR_EE | MSR_RI | MSR_LE | MSR_ME));
		/* a decrementer or (odd i) external interrupt becomes pending while EE=0 */
		if (i & 1) {
			hcall(H_IPI, NULL, 0, 5, 0, 0, 0, 0); /* server 0, MFRR 5 */
		} else {
			mtspr(22, 200);
			for (t = 0; t < 1000000 && !((mfspr(22) >> 31) & 1); t++)
				;
		}
		t = dec_ticks;
		r->early += t != (u32)r->ticks;
		/* EE on: mtmsrd L=1, mtmsr, mtmsrd L=0 in turn; the interrupt comes at once */
		if (i % 3 == 0)
			asm volatile("mtmsrd %0,1" : : "r"((u64)(MSR_EE | MSR_RI)) : "memory");
		else if (i % 3 == 1)
			asm volatile("mtmsr %0" : : "r"(msr | MSR_EE) : "memory");
		else
			asm volatile("mtmsrd %0" : : "r"(msr | MSR_EE) : "memory");
		r->late += dec_ticks != t + 1;
		r->ticks = dec_ticks;
		r->ext = ext_ticks;
		/* after the interrupt: SRR1 holds the MSR it was taken with, SPRG0/3 survive */
		asm volatile("mfsrr1 %0" : "=r"(x));
		s = rot(s, (u32)x & (u32)(MSR_EE | MSR_RI | MSR_LE | MSR_ME));
		asm volatile("mfsprg %0,0" : "=r"(x));
		s = rot(s, (u32)x);
		asm volatile("mfsprg %0,3" : "=r"(x));
		s = rot(s, (u32)x);
		/* EE off again through mtmsr L=0 (only a safe bit changes: stays in the page) */
		asm volatile("mfmsr %0" : "=r"(msr));
		asm volatile("mtmsr %0" : : "r"(msr & ~MSR_EE) : "memory");
		asm volatile("mfmsr %0" : "=r"(msr));
		s = rot(s, (u32)msr & (u32)(MSR_EE | MSR_RI));
	}
	r->sum = s;
}

extern u32 __start_pvwork[], __stop_pvwork[];

/* ---- the patcher (kvm.c kvm_check_ins and the templates of kvm_emul.S) ------------------- */
static u32 tmpl_area[4096] __attribute__((aligned(64)));
static int tmpl_pos;
static int n_patched[8]; /* ld, st, lwz, stw, nop, mtmsrd1, mtmsr, other */
static u32 saved_code[4096];

static u32 branch(u32 *from, u32 *to)
{
	long d = (long)to - (long)from;

	return I_B | ((u32)d & 0x03fffffc);
}

static void scratch_save(u32 *p, int *k)
{
	p[(*k)++] = st_field(1, M_CRITICAL); /* critical when == r1 */
	p[(*k)++] = st_field(31, M_SCRATCH1);
	p[(*k)++] = st_field(30, M_SCRATCH2);
	p[(*k)++] = MFCR(31);
	p[(*k)++] = STW(31, MAGIC + M_SCRATCH3);
}

static void scratch_restore(u32 *p, int *k)
{
	p[(*k)++] = ld_field(31, M_SCRATCH1);
	p[(*k)++] = LWZ(30, MAGIC + M_SCRATCH3);
	p[(*k)++] = MTCR(30);
	p[(*k)++] = ld_field(30, M_SCRATCH2);
	p[(*k)++] = st_field(2, M_CRITICAL); /* r2 != r1: not critical */
}

/* r30 = the source register of the original instruction (r30/r31 from their scratch) */
static u32 get_rs(unsigned rs)
{
	if (rs == 30)
		return ld_field(30, M_SCRATCH2);
	if (rs == 31)
		return ld_field(30, M_SCRATCH1);
	return ORI(30, rs, 0);
}

/* mtmsrd rS,1: only EE/RI change; if EE becomes 1 and int_pending, do the real one */
static int tmpl_mtmsrd1(u32 *site)
{
	u32 *p = &tmpl_area[tmpl_pos], orig = *site;
	unsigned rs = (orig & MASK_RT) >> 21;
	int k = 0, bq1, bq2, nocheck;

	if (tmpl_pos + 40 > 4096)
		return 0;
	scratch_save(p, &k);
	p[k++] = ld_field(31, M_MSR);
	p[k++] = LIS(30, 0xffff);
	p[k++] = ORI(30, 30, 0x7ffd); /* ~(MSR_EE | MSR_RI) */
	p[k++] = AND(31, 31, 30);
	p[k++] = get_rs(rs);
	p[k++] = ANDI_(30, 30, 0x8002);
	p[k++] = OR(31, 31, 30);
	p[k++] = st_field(31, M_MSR);
	p[k++] = LWZ(31, MAGIC + M_INT);
	p[k++] = CMPWI0(31);
	bq1 = k++;
	p[k++] = ANDI_(30, 30, 0x8000);
	bq2 = k++;
	scratch_restore(p, &k);
	p[k++] = orig; /* nag the hypervisor: the real mtmsrd */
	p[k] = branch(&p[k], site + 1);
	k++;
	nocheck = k;
	scratch_restore(p, &k);
	p[k] = branch(&p[k], site + 1);
	k++;
	p[bq1] = BEQ((nocheck - bq1) * 4);
	p[bq2] = BEQ((nocheck - bq2) * 4);
	flush_icache(p, k * 4);
	*site = branch(site, p);
	tmpl_pos += (k + 15) & ~15;
	return 1;
}

/* mtmsr rS / mtmsrd rS,0: stay in the guest if only EE/RI change (and no interrupt waits) */
static int tmpl_mtmsr(u32 *site)
{
	u32 *p = &tmpl_area[tmpl_pos], orig = *site;
	unsigned rs = (orig & MASK_RT) >> 21;
	int k = 0, do_mtmsr, bq_stay, bq_no, bn_do, stay, no;

	if (tmpl_pos + 48 > 4096)
		return 0;
	scratch_save(p, &k);
	p[k++] = ld_field(31, M_MSR);
	p[k++] = get_rs(rs);
	p[k++] = XOR(31, 30, 31);
	p[k++] = LIS(30, 0xffff);
	p[k++] = ORI(30, 30, 0x7ffd); /* MSR_CRITICAL_BITS */
	p[k++] = AND_(31, 31, 30);
	bq_stay = k++;
	do_mtmsr = k;
	scratch_restore(p, &k);
	p[k++] = orig;
	p[k] = branch(&p[k], site + 1);
	k++;
	stay = k;
	p[k++] = get_rs(rs);
	p[k++] = st_field(30, M_MSR);
	p[k++] = LWZ(31, MAGIC + M_INT);
	p[k++] = CMPWI0(31);
	bq_no = k++;
	p[k++] = ANDI_(31, 30, 0x8000);
	bn_do = k++;
	no = k;
	scratch_restore(p, &k);
	p[k] = branch(&p[k], site + 1);
	k++;
	p[bq_stay] = BEQ((stay - bq_stay) * 4);
	p[bq_no] = BEQ((no - bq_no) * 4);
	p[bn_do] = BNE((do_mtmsr - bn_do) * 4);
	flush_icache(p, k * 4);
	*site = branch(site, p);
	tmpl_pos += (k + 15) & ~15;
	return 1;
}

static void patch_one(u32 *site)
{
	u32 inst = *site, rt = inst & MASK_RT, rtn = rt >> 21;
	static const struct {
		u32 spr;
		int off;
	} sprs[] = {
		{ 272, M_SPRG0 },      { 273, M_SPRG0 + 8 }, { 274, M_SPRG0 + 16 },
		{ 275, M_SPRG0 + 24 }, { 26, M_SRR0 },	     { 27, M_SRR1 },
		{ 19, M_DAR },
	};
	unsigned i;

	switch (inst & ~MASK_RT) {
	case I_MFMSR:
		*site = ld_field(rtn, M_MSR);
		n_patched[mode32 ? 2 : 0]++;
		return;
	case I_TLBSYNC:
		*site = I_NOP;
		n_patched[4]++;
		return;
	case I_MTMSRD1:
		n_patched[5] += tmpl_mtmsrd1(site);
		return;
	case I_MTMSR:
	case I_MTMSRD0:
		n_patched[6] += tmpl_mtmsr(site);
		return;
	case I_MFSPR(18):
		*site = LWZ(rtn, MAGIC + M_DSISR);
		n_patched[2]++;
		return;
	case I_MTSPR(18):
		*site = STW(rtn, MAGIC + M_DSISR);
		n_patched[3]++;
		return;
	}
	for (i = 0; i < sizeof(sprs) / sizeof(sprs[0]); i++) {
		if ((inst & ~MASK_RT) == I_MFSPR(sprs[i].spr)) {
			*site = ld_field(rtn, sprs[i].off);
			n_patched[mode32 ? 2 : 0]++;
			return;
		}
		if ((inst & ~MASK_RT) == I_MTSPR(sprs[i].spr)) {
			*site = st_field(rtn, sprs[i].off);
			n_patched[mode32 ? 3 : 1]++;
			return;
		}
	}
}

static void patch_section(void)
{
	u32 *p;

	memset(n_patched, 0, sizeof(n_patched));
	tmpl_pos = 0;
	for (p = __start_pvwork; p < __stop_pvwork; p++)
		patch_one(p);
	flush_icache(__start_pvwork, (u64)__stop_pvwork - (u64)__start_pvwork);
}

static void restore_section(void)
{
	memcpy(__start_pvwork, saved_code, (u64)__stop_pvwork - (u64)__start_pvwork);
	flush_icache(__start_pvwork, (u64)__stop_pvwork - (u64)__start_pvwork);
}

/* ---- running it ---------------------------------------------------------------------------- */
static void hook(struct exc_frame *f)
{
	u64 out[8];

	if (f->vec == 0x900) {
		dec_ticks++;
		return;
	}
	if (f->vec == 0x500) {
		/* XICS: accept, clear our IPI (MFRR back to 0xff), end of interrupt */
		hcall(H_XIRR, out, 0, 0, 0, 0, 0, 0);
		hcall(H_IPI, NULL, 0, 0xff, 0, 0, 0, 0);
		hcall(H_EOI, NULL, out[0], 0, 0, 0, 0, 0);
		ext_ticks++;
		dec_ticks++;
		return;
	}
	if (f->vec == 0x700 && *(u32 *)f->srr0 == I_TLBSYNC) {
		tlbsync_traps++; /* tlbsync is the hypervisor's on POWER8 (unpatched) */
		f->srr0 += 4;
		return;
	}
	printf("FAIL unexpected vec=0x%lx srr0=0x%lx srr1=0x%lx\n", f->vec, f->srr0, f->srr1);
	n_fail++;
	f->srr0 += 4;
}

#define NITER 30

static void run(struct result *r, int in32)
{
	u64 msr = mfmsr();

	memset(r, 0, sizeof(*r));
	dec_ticks = 0;
	ext_ticks = 0;
	tlbsync_traps = 0;
	hcall(H_CPPR, NULL, 0xff, 0, 0, 0, 0, 0); /* accept every priority */
	exc_expected = 1;
	exc_hook = hook;
	mtmsrd(msr & ~MSR_EE);
	if (in32) {
		/* code, data and stack are below 4 GiB: 32-bit addresses reach them */
		mtmsrd(msr & ~(MSR_EE | MSR_SF));
		workload(r, NITER);
		mtmsrd(msr & ~MSR_EE);
	} else {
		workload(r, NITER);
	}
	mtmsrd(msr & ~MSR_EE);
	mtspr(22, 0x7fffffff);
	hcall(H_CPPR, NULL, 0, 0, 0, 0, 0, 0);
	exc_hook = NULL;
	exc_expected = 0;
}

static void compare(const char *what, const struct result *a, const struct result *b)
{
	char name[64];
	int n = 0;

	while (what[n] && n < 40) {
		name[n] = what[n];
		n++;
	}
	memcpy(name + n, ".sum", 5);
	check_eq(b->sum, a->sum, name);
	memcpy(name + n, ".ticks", 7);
	check_eq(b->ticks, a->ticks, name);
	check_eq(a->ticks, NITER, "workload.ticks-unpatched");
	check_eq(a->ext, NITER / 2, "workload.external-unpatched");
	memcpy(name + n, ".ext", 5);
	check_eq(b->ext, a->ext, name);
	memcpy(name + n, ".late", 6);
	check_eq(b->late, 0, name);
	memcpy(name + n, ".early", 7);
	check_eq(b->early, 0, name);
}

static u64 magic_ld(int off)
{
	return *(volatile u64 *)(MAGIC + off);
}

static u32 magic_lwz(int off)
{
	return *(volatile u32 *)(MAGIC + off);
}

int main(void)
{
	struct result ref64, ref32, pv64, pv32;
	const u32 *insns;
	const char *compat;
	int len, i;
	long rc;
	u64 r4;
	u32 code_words = (u32)(__stop_pvwork - __start_pvwork);

	compat = fdt_getprop("/hypervisor", "compatible", &len);
	if (!compat) {
		if (qemu_bad_skip) {
			puts("SKIP-PROGRAM: no /hypervisor (not ppcvm with --pv)\n");
			return 0;
		}
		check(0, "hypervisor.node");
		return 0;
	}
	check(!strcmp(compat, "linux,kvm"), "hypervisor.compatible");
	check(fdt_getprop("/hypervisor", "has-idle", &len) != NULL && len == 0,
	      "hypervisor.has-idle");
	insns = fdt_getprop("/hypervisor", "hcall-instructions", &len);
	check(insns && len == 16, "hypervisor.hcall-instructions");
	if (!insns || len != 16 || code_words > 4096)
		return 0;

	/* unpatched: the hcall stub fails, every privileged instruction runs as such */
	check_eq(kvm_hcall(TOK_FEATURES, 0, 0, NULL), (u64)-1, "stub.unpatched");
	memcpy(saved_code, __start_pvwork, code_words * 4);
	run(&ref64, 0);
	check_eq(tlbsync_traps, NITER, "unpatched.tlbsync-traps");
	run(&ref32, 1);
	check_eq(ref32.ticks, NITER, "unpatched32.ticks");

	/* epapr_paravirt.c: patch the stub with the device tree's words */
	for (i = 0; i < 4; i++)
		pv_hcall_stub[i] = fdt_be32(insns + i);
	flush_icache(pv_hcall_stub, 16);
	rc = kvm_hcall(TOK_FEATURES, 0, 0, &r4);
	check_eq(rc, 0, "features.rc");
	check_eq(r4, 1UL << 1, "features.magic-page");
	check_eq(kvm_hcall(0x2a0063, 0, 0, NULL), 12, "unknown.unimplemented");
	rc = kvm_hcall(TOK_MAP, (u64)MAGIC, (u64)MAGIC | NOT_MAPPED_NX, &r4);
	check_eq(rc, 0, "map.rc");
	check_eq(r4, 0, "map.features"); /* no segment registers on POWER8 */
	/* the self-test kvm.c does, and the page is the MSR */
	check_eq(magic_ld(M_MSR), mfmsr(), "page.msr");
	mtspr(272, 0xabcdef);
	check_eq(magic_ld(M_SPRG0), 0xabcdef, "page.sprg0");
	/* int_pending: a decrementer waits while EE=0 */
	check_eq(magic_lwz(M_INT), 0, "page.int-pending.0");
	mtspr(22, 100);
	for (i = 0; i < 1000000 && !((mfspr(22) >> 31) & 1); i++)
		;
	check_eq(magic_lwz(M_INT), 1, "page.int-pending.1");
	mtspr(22, 0x7fffffff);
	check_eq(magic_lwz(M_INT), 0, "page.int-pending.cleared");
	/* EV_IDLE returns once an interrupt is pending (EE=0 here: not taken) */
	mtspr(22, 100000);
	rc = kvm_hcall(TOK_IDLE, 0, 0, NULL);
	check_eq(rc, 0, "ev-idle.rc");
	check_eq((mfspr(22) >> 31) & 1, 1, "ev-idle.woke-on-dec");
	mtspr(22, 0x7fffffff);

	/* 64-bit: ld/std */
	mode32 = 0;
	patch_section();
	/* 13 loads (6 mfsprg, 3 mfsrr, mfdar, 3 mfmsr), 7 stores, mfdsisr/mtdsisr: lwz/stw */
	check_eq(n_patched[0], 13, "patch64.ld");
	check_eq(n_patched[1], 7, "patch64.std");
	check_eq(n_patched[2], 1, "patch64.lwz-dsisr");
	check_eq(n_patched[3], 1, "patch64.stw-dsisr");
	check_eq(n_patched[4], 1, "patch64.tlbsync");
	check_eq(n_patched[5], 2, "patch64.mtmsrd-l1");
	check_eq(n_patched[6], 3, "patch64.mtmsr");
	run(&pv64, 0);
	compare("pv64", &ref64, &pv64);
	check_eq(tlbsync_traps, 0, "patched.no-tlbsync-trap");
	restore_section();

	/* 32-bit mode: lwz/stw on the low word (+4 big-endian, +0 little-endian) */
	mode32 = 1;
	patch_section();
	check_eq(n_patched[2], 14, "patch32.lwz");
	check_eq(n_patched[3], 8, "patch32.stw");
	check_eq(n_patched[0] + n_patched[1], 0, "patch32.no-ld-std");
	run(&pv32, 1);
	compare("pv32", &ref32, &pv32);
	restore_section();
	check_eq(ref32.sum, ref64.sum, "mode32.same-sum");
	return 0;
}
