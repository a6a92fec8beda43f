/*
 * The KVM magic page with translation on and in problem state (ppc-pv.rst; KVM PR's
 * kvmppc_xlate / kvmppc_ld): in supervisor state the effective page -4096 is the magic page
 * ahead of the page table; in problem state it is the user's own memory (the HPTE's page), and
 * sc with r0 = "KVM!" is an ordinary system call. MAGIC_PAGE_FLAG_NOT_MAPPED_NX: with it a
 * supervisor fetch from an N=1 page gets the ISI; mapped without it (old guests) kernel NX is
 * relaxed as KVM does; problem state keeps NX either way.
 * ppcvm only: QEMU TCG has no /hypervisor (the program says SKIP-PROGRAM there).
 */
#include "mmu.h"

#define TOP	     0xfffffffffffff000UL
#define TOP_SEG	     0xfffffffff0000000UL
#define VSID_TOP     0x7e7e7UL
#define PA_USER	     0x2000000UL
#define PA_NX	     0x2001000UL
#define NX_EA	     0x10000000UL
#define KVM_R0	     0x4b564d21UL
#define TOK_FEATURES 0x2a0003UL
#define TOK_MAP	     0x2a0004UL

static long kvm_sc(u64 tok, u64 a0, u64 a1, u64 *r4out)
{
	register u64 r0 asm("r0") = KVM_R0;
	register u64 r3 asm("r3") = a0;
	register u64 r4 asm("r4") = a1;
	register u64 r11 asm("r11") = tok;

	asm volatile("sc"
		     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r11)
		     :
		     : "r5", "r6", "r7", "r8", "r9", "r10", "r12", "ctr", "xer", "cr0", "memory");
	if (r4out)
		*r4out = r4;
	return (long)r3;
}

int main(void)
{
	struct mapping m;
	u64 u_read = 0, u_rc = 0, v, msr;
	long rc;
	int len;

	if (!fdt_getprop("/hypervisor", "compatible", &len)) {
		if (qemu_bad_skip) {
			puts("SKIP-PROGRAM: no /hypervisor (not ppcvm with --pv)\n");
			return 0;
		}
		check(0, "hypervisor.node");
		return 0;
	}
	if (mmu_setup()) {
		check(0, "mmu.setup");
		return 0;
	}
	mexc_reset();
	exc_expected = 1;
	phys_st(PA_USER, 0x1111111111111111UL);
	phys_st(PA_USER + 32, 0);
	/* the top segment, with an ordinary user page at EA -4096 */
	slb_set(30, TOP_SEG, VSID_TOP, 0);
	check(map_page_in(&m, TOP, PA_USER, VSID_TOP, PS_4K, 0, PP_RW, 0) >= 0, "map.top");
	/* code in an N=1 page */
	*(volatile u32 *)PA_NX = 0x38600077;	   /* li r3,0x77 */
	*(volatile u32 *)(PA_NX + 4) = 0x4e800020; /* blr */
	flush_icache((void *)PA_NX, 8);
	slb_set(1, NX_EA, vsid_of(NX_EA), 0);
	check(map_page(NX_EA, PA_NX, PS_4K, PP_RW | HPTE_R_N) >= 0, "map.nx");

	rc = kvm_sc(TOK_MAP, (u64)-4096L, (u64)-4096L | 1, &v);
	check_eq(rc, 0, "map-magic.rc");
	mmu_on();
	/* supervisor, translated: the magic page, not the HPTE's page */
	msr = mfmsr();
	check_eq(ld64(TOP + 88), msr, "sv.page-is-msr");
	check_eq(ld64(TOP + 88) & (MSR_IR | MSR_DR), MSR_IR | MSR_DR, "sv.msr-ir-dr");
	mtspr(272, 0x5050);
	check_eq(ld64(TOP + 32), 0x5050, "sv.sprg0");
	st64(TOP + 0, 0xabab); /* scratch1: the page's storage */
	check_eq(ld64(TOP), 0xabab, "sv.scratch1");
	/* NX honoured (mapped with NOT_MAPPED_NX) */
	mexc_reset();
	exc_expected = 1;
	check_eq(call_at(NX_EA), (u64)-1, "nx.honoured");
	check_eq(exc_last.vec, 0x400, "nx.honoured.isi");
	check_eq(exc_last.srr1 & SRR1_ISI_NOEXEC, SRR1_ISI_NOEXEC, "nx.honoured.noexec");

	/* problem state: -4096 is the user's page; sc "KVM!" is a system call */
	exc_reset();
	mexc_reset();
	exc_expected = 1;
	enter_user();
	u_read = ld64(TOP);
	st64(TOP + 32, 0x2222);
	u_rc = (u64)kvm_sc(TOK_FEATURES, 55, 0, NULL);
	leave_user();
	check_eq(u_read, 0x1111111111111111UL, "user.reads-own-page");
	check_eq(u_rc, 55, "user.sc-not-hcall");
	check_eq(exc_last.vec, 0xc00, "user.sc-vector");
	check_eq(exc_last.srr1 & MSR_PR, MSR_PR, "user.sc-pr");
	check_eq(mfspr(272), 0x5050, "user.sprg0-untouched");
	check_eq(ld64(TOP + 32), 0x5050, "sv.still-magic");

	/* mapped again without the flag: kernel NX relaxed, user NX kept */
	mmu_off();
	rc = kvm_sc(TOK_MAP, (u64)-4096L, (u64)-4096L, &v);
	check_eq(rc, 0, "remap-magic.rc");
	mmu_on();
	mexc_reset();
	exc_expected = 1;
	check_eq(call_at(NX_EA), 0x77, "nx.relaxed-supervisor");
	enter_user();
	u_rc = call_at(NX_EA);
	leave_user();
	check_eq(u_rc, (u64)-1, "nx.kept-for-user");
	mmu_off();
	check_eq(phys_ld(PA_USER + 32), 0x2222, "user.store-in-ram");
	check_eq(phys_ld(PA_USER), 0x1111111111111111UL, "ram.not-written-by-sv");
	/* restore NX for the rest of the run */
	kvm_sc(TOK_MAP, (u64)-4096L, (u64)-4096L | 1, NULL);
	mmu_teardown();
	exc_expected = 0;
	return 0;
}
