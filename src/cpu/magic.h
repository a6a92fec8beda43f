/* SPDX-License-Identifier: MIT */
/*
 * The KVM magic page (struct kvm_vcpu_arch_shared of Linux's
 * arch/powerpc/include/uapi/asm/kvm_para.h) as the CPU sees it: which
 * supervisor data accesses land on it, and the accesses themselves.
 *
 * The register fields (sprg0-3, srr0/1, dar, msr, dsisr, int_pending) are
 * a view of the CPU's registers in the page's byte order (shared_big_endian),
 * so a patched "ld rX,-4096+off(0)" and the trapping mfspr/mfmsr always
 * agree; the other fields (scratch1-3, critical, sr[], the BookE fields and
 * the rest of the 4 KB) are plain storage in struct ppc_magic.
 */
#ifndef PPCVM_CPU_MAGIC_H
#define PPCVM_CPU_MAGIC_H

#include "cpu/cpu.h"

/* Field offsets of struct kvm_vcpu_arch_shared (inventory A.3) */
#define MAGIC_SCRATCH1	  0
#define MAGIC_SCRATCH2	  8
#define MAGIC_SCRATCH3	  16
#define MAGIC_CRITICAL	  24
#define MAGIC_SPRG0	  32
#define MAGIC_SPRG1	  40
#define MAGIC_SPRG2	  48
#define MAGIC_SPRG3	  56
#define MAGIC_SRR0	  64
#define MAGIC_SRR1	  72
#define MAGIC_DAR	  80
#define MAGIC_MSR	  88
#define MAGIC_DSISR	  96
#define MAGIC_INT_PENDING 100
#define MAGIC_SR	  104
#define MAGIC_SHARED_SIZE 240

/* MSR bits a guest may change by storing to the page (ppc-pv.rst) */
#define MAGIC_MSR_SAFE (MSR_EE | MSR_RI)

/* Real page number compare: KVM truncates the magic real page in 32-bit mode */
static inline bool magic_pa_hit(const struct ppc_cpu *cpu, uint64_t pa)
{
	uint64_t target = (cpu->msr & MSR_SF) ? cpu->magic.pa : (uint32_t)cpu->magic.pa;

	return (pa & ~0xfffull) == target;
}

/*
 * Does a data access at ea (already masked for the mode) land on the magic
 * page before any translation? Only in supervisor state: in problem state
 * the address is ordinary memory. With MSR[DR]=1 the effective page (its
 * low 32 bits in 32-bit mode); in real mode the real page.
 */
static inline bool magic_ea_hit(const struct ppc_cpu *cpu, uint64_t ea)
{
	if (likely(!cpu->magic.mapped) || cpu->pr)
		return false;
	if (cpu->msr & MSR_DR)
		return (ea & ~0xfffull) == (cpu->magic.ea & cpu->ea_mask);
	return magic_pa_hit(cpu, ea & 0x0fffffffffffffffull);
}

/* After translation: a supervisor access whose real page is the magic page */
static inline bool magic_pa_hit_sv(const struct ppc_cpu *cpu, uint64_t pa)
{
	return unlikely(cpu->magic.mapped) && !cpu->pr && magic_pa_hit(cpu, pa);
}

/*
 * Kernel no-execute relaxed (MAP_MAGIC_PAGE without
 * MAGIC_PAGE_FLAG_NOT_MAPPED_NX, as KVM's disable_kernel_nx): supervisor
 * fetches ignore the SLB and HPTE N bits (G still forbids execution).
 */
static inline bool pv_nx_relaxed(const struct ppc_cpu *cpu)
{
	return unlikely(cpu->magic.nx_relaxed) && !cpu->pr;
}

/*
 * Read or write len bytes (within the page) at offset off, as raw bytes in
 * memory order. A write to the msr field changes only MSR[EE] and MSR[RI];
 * int_pending is read-only. Always succeeds (returns 0).
 */
int magic_access(struct ppc_cpu *cpu, unsigned off, unsigned len, bool write, uint8_t *bytes);

/*
 * True while the guest is inside a patched template: the page's critical
 * field equals r1 in supervisor state (KVM's kvmppc_critical_section):
 * external and decrementer interrupts wait.
 */
bool magic_critical(const struct ppc_cpu *cpu);

/*
 * Map the page (KVM_HC_PPC_MAP_MAGIC_PAGE) at real page pa and effective
 * page ea; le = !shared_big_endian from then on.
 */
void magic_map(struct ppc_cpu *cpu, uint64_t pa, uint64_t ea, bool le, bool nx_relaxed);

#endif
