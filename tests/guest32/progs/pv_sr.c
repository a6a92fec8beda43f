/*
 * The KVM magic page with KVM_MAGIC_FEAT_SR on the 32-bit models (ppcvm only: SKIP-PROGRAM
 * under QEMU, which has no hypervisor). KVM_HC_PPC_MAP_MAGIC_PAGE (r11 = (42 << 16) | 4,
 * r3 = real address, r4 = effective address, both -4096 as Linux's kvm_map_magic_page does)
 * returns r3 = 0 and the features in r4; the page's sr[16] (struct kvm_vcpu_arch_shared,
 * offset 104, u32 each) is a view of the segment registers: mtsr shows there, a store there
 * shows in mfsr (Linux patches mtsrin into such stores, arch/powerpc/kernel/kvm.c).
 */
#include "mmu32.h"

#define MAGIC		  0xfffff000u
#define SHARED_SR	  104
#define SHARED_MSR	  88
#define KVM_MAGIC_FEAT_SR 1u

static u32 sr_in_page(int n)
{
	return ld32(MAGIC + SHARED_SR + 4 * n);
}

int main(void)
{
	u32 r[6] = { MAGIC, MAGIC, 0, 0, 0, 0 }, rc, v;

	if (!on_ppcvm)
		skip_program("needs the KVM PV interface (ppcvm --machine epapr)");
	rc = kvm_hcall(KVM_HCALL_TOKEN(4), r);
	check_eq(rc, 0, "map-magic-page.rc");
	check_eq(r[1] & KVM_MAGIC_FEAT_SR, KVM_MAGIC_FEAT_SR, "map-magic-page.feat-sr");
	if (rc)
		return 0;
	/* mtsr -> the page */
	asm volatile("mtsr 3,%0\n\tisync" : : "r"(SR_KP | 0x345678u) : "memory");
	check_eq(sr_in_page(3), SR_KP | 0x345678u, "mtsr-shows-in-page");
	mtsrin(SR_KS | SR_N | 0xabcdeu, 0xe0000000);
	check_eq(sr_in_page(14), SR_KS | SR_N | 0xabcdeu, "mtsrin-shows-in-page");
	/* the page -> mfsr */
	st32(MAGIC + SHARED_SR + 4 * 5, SR_KP | 0x55555u);
	asm volatile("mfsr %0,5" : "=r"(v));
	check_eq(v, SR_KP | 0x55555u, "page-store-shows-in-mfsr");
	check_eq(mfsrin(0x5fff0000), SR_KP | 0x55555u, "page-store-shows-in-mfsrin");
	/* a translation uses the SR written through the page */
	mmu_setup();
	st32(0x900000, 0x600d600d);
	mtsrin(SR_KP | 0x222, 0x70000000);
	map_page(0x70001000, 0x900000, PP_RW);
	st32(MAGIC + SHARED_SR + 4 * 7, SR_KP | 0x333);
	exc_expected = 1;
	exc_reset();
	v = probe_ld(0x70001000, msr_mode(MSR_DR));
	check_eq(v, PROBE_FAIL, "page-sr-used-by-translation.other-vsid");
	st32(MAGIC + SHARED_SR + 4 * 7, SR_KP | 0x222);
	v = probe_ld(0x70001000, msr_mode(MSR_DR));
	exc_expected = 0;
	check_eq(v, 0x600d600d, "page-sr-used-by-translation.back");
	/* the other fields are there too: msr (low word at +4) */
	check_eq(ld32(MAGIC + SHARED_MSR + 4) & MSR_ME, MSR_ME, "page-msr-me");
	return 0;
}
