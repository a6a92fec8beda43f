/* SPDX-License-Identifier: MIT */
/*
 * The shared-processor (SPLPAR) and SMP hypercalls served in the core, as
 * KVM HV does: they are cheap and only touch vCPU state and guest memory.
 * H_CEDE, H_PROD, H_CONFER, H_SET_SPRG0, H_REGISTER_VPA, H_PAGE_INIT
 * (PAPR 14.5.4; numbers and checks: reference inventory A.7).
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

/* H_REGISTER_VPA subfunction: r4 bits 16-18 (IBM numbering) */
#define H_VPA_FUNC_SHIFT 45
#define H_VPA_FUNC_MASK	 7ull
#define H_VPA_REG_VPA	 1
#define H_VPA_REG_DTL	 2
#define H_VPA_REG_SLB	 3
#define H_VPA_DEREG_VPA	 5
#define H_VPA_DEREG_DTL	 6
#define H_VPA_DEREG_SLB	 7

#define VPA_MIN_SIZE	       640
#define VPA_SIZE_OFFSET	       0x4
#define VPA_SHARED_PROC_OFFSET 0x9
#define VPA_SHARED_PROC_VAL    0x2
#define DTL_MIN_SIZE	       48
#define CACHE_LINE	       128

/* H_PAGE_INIT flags (IBM bit numbers 40, 41, 48, 49) */
#define H_ICACHE_INVALIDATE  (1ull << (63 - 40))
#define H_ICACHE_SYNCHRONIZE (1ull << (63 - 41))
#define H_ZERO_PAGE	     (1ull << (63 - 48))
#define H_COPY_PAGE	     (1ull << (63 - 49))

static struct ppcvm_vcpu *vcpu_by_server(struct ppcvm_vm *vm, uint64_t id)
{
	if (id >= PPCVM_MAX_VCPUS)
		return NULL;
	return __atomic_load_n(&vm->vcpu[id], __ATOMIC_ACQUIRE);
}

/*
 * H_CEDE: MSR[EE] set, the vCPU sleeps (futex, no host CPU) until an
 * interrupt is deliverable, an H_PROD arrives or the host kicks it. A prod
 * sent before the cede makes it return at once (PAPR 14.5.4.3.2).
 */
int64_t h_cede(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	cpu_set_msr(cpu, cpu->msr | MSR_EE);
	STAT_INC(v->n_halts);
	for (;;) {
		uint32_t seq = __atomic_load_n(&v->wake_seq, __ATOMIC_ACQUIRE);
		struct timespec ts;
		uint64_t ns;

		if (__atomic_exchange_n(&v->prodded, 0, __ATOMIC_ACQ_REL))
			break;
		cpu_check_timers(cpu);
		if (cpu->pending || __atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE))
			break;
		ns = cpu_dec_ns_left(cpu);
		ts.tv_sec = (time_t)(ns / 1000000000ull);
		ts.tv_nsec = (long)(ns % 1000000000ull);
		syscall(SYS_futex, &v->wake_seq, FUTEX_WAIT_PRIVATE, seq, &ts, NULL, 0);
	}
	return H_SUCCESS;
}

/* H_PROD(r4 = processor): wake it from H_CEDE, or make its next cede return */
int64_t h_prod(struct ppcvm_vcpu *v)
{
	struct ppcvm_vcpu *t = vcpu_by_server(v->vm, v->cpu.gpr[4]);

	if (!t)
		return H_PARAMETER;
	__atomic_store_n(&t->prodded, 1, __ATOMIC_RELEASE);
	vcpu_wake(t);
	return H_SUCCESS;
}

/*
 * H_CONFER(r4 = processor or -1 for all, r5 = dispatch count): give the
 * rest of our time slice away. Each vCPU is a host thread, so yielding the
 * host CPU is all a confer can do.
 */
int64_t h_confer(struct ppcvm_vcpu *v)
{
	int64_t target = (int64_t)v->cpu.gpr[4];

	if (target != -1 && !vcpu_by_server(v->vm, (uint64_t)target))
		return H_PARAMETER;
	if (target != (int64_t)v->id)
		sched_yield();
	return H_SUCCESS;
}

/* H_SET_SPRG0(r4): PAPR lets the OS set SPRG0 through the hypervisor */
int64_t h_set_sprg0(struct ppcvm_vcpu *v)
{
	v->cpu.spr[SPR_SPRG0] = v->cpu.gpr[4];
	return H_SUCCESS;
}

static int read_be(struct ppcvm_vm *vm, uint64_t gpa, unsigned n, uint32_t *out)
{
	uint8_t b[4];
	int ret = ppcvm_read_phys(vm, gpa, b, n);

	if (ret)
		return ret;
	*out = n == 2 ? (uint32_t)b[0] << 8 | b[1]
		      : (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

/* The VPA (PAPR 14.11.3.2): cache-line aligned, within one 4K page, >= 640 */
static int64_t register_vpa(struct ppcvm_vcpu *t, uint64_t addr)
{
	struct ppcvm_vm *vm = t->vm;
	uint32_t size;
	uint8_t shared;

	if (addr & (CACHE_LINE - 1))
		return H_PARAMETER;
	if (read_be(vm, addr + VPA_SIZE_OFFSET, 2, &size))
		return H_PARAMETER;
	if (size < VPA_MIN_SIZE)
		return H_PARAMETER;
	if ((addr >> 12) != ((addr + size - 1) >> 12))
		return H_PARAMETER;
	/* As QEMU: tell the OS it runs on shared processors (it cedes when idle) */
	if (ppcvm_read_phys(vm, addr + VPA_SHARED_PROC_OFFSET, &shared, 1))
		return H_PARAMETER;
	shared |= VPA_SHARED_PROC_VAL;
	if (ppcvm_write_phys(vm, addr + VPA_SHARED_PROC_OFFSET, &shared, 1))
		return H_PARAMETER;
	t->vpa = addr;
	return H_SUCCESS;
}

/* SLB shadow buffer and dispatch trace log: u32 size at offset 4, VPA first */
static int64_t register_area(struct ppcvm_vcpu *t, uint64_t addr, uint64_t *slot, uint32_t min)
{
	uint32_t size;

	if (!t->vpa)
		return H_RESOURCE;
	if (addr & 7)
		return H_PARAMETER;
	if (read_be(t->vm, addr + VPA_SIZE_OFFSET, 4, &size))
		return H_PARAMETER;
	if (size < min || addr + size < addr)
		return H_PARAMETER;
	/* the whole area must be RAM */
	{
		uint8_t b;

		if (ppcvm_read_phys(t->vm, addr + size - 1, &b, 1))
			return H_PARAMETER;
	}
	*slot = addr;
	return H_SUCCESS;
}

int64_t h_register_vpa(struct ppcvm_vcpu *v)
{
	uint64_t flags = v->cpu.gpr[4], addr = v->cpu.gpr[6];
	struct ppcvm_vcpu *t = vcpu_by_server(v->vm, v->cpu.gpr[5]);

	if (!t)
		return H_PARAMETER;
	switch ((flags >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK) {
	case H_VPA_REG_VPA:
		return register_vpa(t, addr);
	case H_VPA_REG_DTL:
		return register_area(t, addr, &t->dtl, DTL_MIN_SIZE);
	case H_VPA_REG_SLB:
		return register_area(t, addr, &t->slb_shadow, 8);
	case H_VPA_DEREG_VPA:
		/* the other areas depend on the VPA: they go first */
		if (t->slb_shadow || t->dtl)
			return H_RESOURCE;
		t->vpa = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_DTL:
		t->dtl = 0;
		return H_SUCCESS;
	case H_VPA_DEREG_SLB:
		t->slb_shadow = 0;
		return H_SUCCESS;
	default:
		return H_PARAMETER;
	}
}

/*
 * H_PAGE_INIT(r4 flags, r5 destination, r6 source): zero or copy one 4K
 * page of the partition's memory. Both must be 4K aligned RAM. The cache
 * flags need nothing: decoded code is dropped by the writes themselves.
 */
int64_t h_page_init(struct ppcvm_vcpu *v)
{
	uint64_t flags = v->cpu.gpr[4], dst = v->cpu.gpr[5], src = v->cpu.gpr[6];
	static const uint64_t known =
		H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE;
	uint8_t buf[4096];

	if (flags & ~known)
		return H_PARAMETER;
	if ((dst & 0xfff) || !physmap_find(&v->vm->pm, dst))
		return H_PARAMETER;
	if (flags & H_COPY_PAGE) {
		if ((src & 0xfff) || !physmap_find(&v->vm->pm, src))
			return H_PARAMETER;
		if (ppcvm_read_phys(v->vm, src, buf, sizeof(buf)) ||
		    ppcvm_write_phys(v->vm, dst, buf, sizeof(buf)))
			return H_PARAMETER;
	} else if (flags & H_ZERO_PAGE) {
		if (vm_zero_phys(v->vm, dst, 4096))
			return H_PARAMETER;
	}
	return H_SUCCESS;
}
