/* SPDX-License-Identifier: MIT */
/*
 * The KVM paravirtual interface (Documentation/virt/kvm/ppc-pv.rst; seeds/
 * 001): KVM_PPC_GET_PVINFO, and the ePAPR hypercalls a supervisor-state
 * "sc" with r0 = "KVM!" makes when the PV capability is on: r11 = token
 * (vendor << 16 | number), arguments r3.., status to r3, one value to r4
 * (KVM's kvmppc_kvm_pv). The magic page itself is src/cpu/magic.c.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "cpu/magic.h"

/* arch/powerpc/include/uapi/asm/kvm_para.h, epapr_hcalls.h (inventory A.1) */
#define KVM_SC_MAGIC_R0		      0x4b564d21ull
#define EV_VENDOR_EPAPR		      1
#define EV_VENDOR_KVM		      42
#define HC_TOKEN(vendor, nr)	      (((uint64_t)(vendor) << 16) | (nr))
#define KVM_HC_FEATURES		      3
#define KVM_HC_PPC_MAP_MAGIC_PAGE     4
#define EV_IDLE			      16
#define EV_SUCCESS		      0
#define EV_EINVAL		      8
#define EV_UNIMPLEMENTED	      12
#define KVM_FEATURE_MAGIC_PAGE	      1
#define KVM_MAGIC_FEAT_SR	      (1ull << 0)
#define MAGIC_PAGE_FLAG_NOT_MAPPED_NX (1ull << 0)

/* lis r0,0x4b56; ori r0,r0,0x4d21; sc; nop (Book3S PR, inventory A.4) */
static const uint32_t pv_hcall_insns[4] = {
	0x3c004b56,
	0x60004d21,
	0x44000002,
	0x60000000,
};

int ppcvm_get_pvinfo(struct ppcvm_vm *vm, struct ppcvm_pvinfo *info)
{
	(void)vm; /* the same for every VM (vm may be NULL) */
	if (!info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	info->flags = PPCVM_PVINFO_FLAGS_EV_IDLE;
	memcpy(info->hcall, pv_hcall_insns, sizeof(info->hcall));
	return 0;
}

/*
 * EV_IDLE: block with no host CPU spent until an interrupt is pending,
 * whatever MSR[EE] (KVM's kvm_vcpu_block wakes on a pending exception), or
 * a kick. The decrementer is the only source the core times itself.
 */
static void pv_idle(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	STAT_INC(v->n_halts);
	for (;;) {
		uint32_t seq = __atomic_load_n(&v->wake_seq, __ATOMIC_ACQUIRE);
		uint64_t ns;
		struct timespec ts;

		cpu_check_timers(cpu);
		if (__atomic_load_n(&cpu->pending, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE))
			return;
		/* DEC not negative: cpu_dec_ns_left() > 0, no busy loop */
		ns = cpu_dec_ns_left(cpu);
		if (!ns)
			ns = 1000;
		ts.tv_sec = (time_t)(ns / 1000000000ull);
		ts.tv_nsec = (long)(ns % 1000000000ull);
		syscall(SYS_futex, &v->wake_seq, FUTEX_WAIT_PRIVATE, seq, &ts, NULL, 0);
	}
}

/*
 * KVM_HC_PPC_MAP_MAGIC_PAGE: r3 = real address, r4 = effective address with
 * the flags in its low 12 bits. KVM takes any value; we refuse a real
 * address that is not 4 KB aligned, or whose bits 0:3 (beyond the 60-bit
 * real address) are neither all 0 nor all 1 (-4096, what Linux passes,
 * is the sign-extended top page).
 */
static uint64_t pv_map_magic_page(struct ppc_cpu *cpu, uint64_t pa, uint64_t ea_flags, uint64_t *r4)
{
	uint64_t top = pa >> 60;
	bool le;

	*r4 = 0;
	if ((pa & 0xfff) || (top != 0 && top != 0xf))
		return EV_EINVAL;
	/*
	 * shared_big_endian = the endianness interrupts run in: LPCR[ILE], or
	 * MSR[ILE] (bit 15, 1 << 16) on the 32-bit models, which have no LPCR
	 */
	if (cpu->book3s32)
		le = (cpu->msr & (1ull << 16)) != 0;
	else
		le = (cpu->spr[SPR_LPCR] & LPCR_ILE) != 0;
	magic_map(cpu, pa, ea_flags, le, !(ea_flags & MAGIC_PAGE_FLAG_NOT_MAPPED_NX));
	/*
	 * Magic page features: KVM_MAGIC_FEAT_SR only where segment registers
	 * exist (32-bit Book3S: the page's sr[] is a view of them, magic.c),
	 * FEAT_MAS0_TO_SPRG7 only on BookE: none on a POWER8.
	 */
	if (cpu->book3s32)
		*r4 = KVM_MAGIC_FEAT_SR;
	return EV_SUCCESS;
}

bool pv_hcall(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	/* In 32-bit mode registers count in their low word (as KVM's params) */
	uint64_t mask = (cpu->msr & MSR_SF) ? ~0ull : 0xffffffffull;
	uint64_t token, ret, r4 = 0;

	if (!__atomic_load_n(&v->vm->pv, __ATOMIC_RELAXED) || cpu->pr ||
	    (cpu->gpr[0] & mask) != KVM_SC_MAGIC_R0)
		return false;
	STAT_INC(cpu->n_hcalls);
	token = cpu->gpr[11] & mask;
	switch (token) {
	case HC_TOKEN(EV_VENDOR_KVM, KVM_HC_FEATURES):
		ret = EV_SUCCESS;
		r4 = 1ull << KVM_FEATURE_MAGIC_PAGE;
		break;
	case HC_TOKEN(EV_VENDOR_KVM, KVM_HC_PPC_MAP_MAGIC_PAGE):
		ret = pv_map_magic_page(cpu, cpu->gpr[3] & mask, cpu->gpr[4] & mask, &r4);
		break;
	case HC_TOKEN(EV_VENDOR_EPAPR, EV_IDLE):
		pv_idle(v);
		ret = EV_SUCCESS;
		break;
	default:
		/* Other ePAPR services (byte channels...) are the VMM's if it asked */
		if ((token >> 16) == EV_VENDOR_EPAPR && vcpu_exit_epapr_hcall(v, token, mask))
			return true;
		ret = EV_UNIMPLEMENTED;
		break;
	}
	cpu->gpr[3] = ret;
	cpu->gpr[4] = r4;
	return true;
}
