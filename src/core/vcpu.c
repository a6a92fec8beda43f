/* SPDX-License-Identifier: MIT */
/*
 * vCPU: creation, register access and the run loop. run() first completes
 * what the previous exit left pending (the MMIO instruction, the hypercall's
 * return values, the OSI registers: Linux's mmio_needed / hcall_needed),
 * then executes until the guest needs the host.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

/* OSI (Mac-on-Linux) magic in r3/r4 (book3s_pr.c) */
#define OSI_SC_MAGIC_R3 0x113724FAull
#define OSI_SC_MAGIC_R4 0x77810F9Bull

int ppcvm_vcpu_create(struct ppcvm_vm *vm, uint32_t id, struct ppcvm_vcpu **vcpup)
{
	struct ppcvm_vcpu *v;
	int ret = 0;

	if (!vm || !vcpup || id >= PPCVM_MAX_VCPUS)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	if (vm->vcpu[id]) {
		ret = -EEXIST;
		goto out;
	}
	/* A VM without ppcvm_vm_allocate_htab gets the default table now */
	ret = vm_hpt_ensure_locked(vm);
	if (ret)
		goto out;
	v = aligned_alloc(64, (sizeof(*v) + 63) & ~(size_t)63);
	if (!v) {
		ret = -ENOMEM;
		goto out;
	}
	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	cpu_init(&v->cpu, &vm->pm, PPCVM_PVR_POWER8, id);
	if (!v->cpu.replay_page) {
		free(v);
		ret = -ENOMEM;
		goto out;
	}
	/* vm->lock held: a re-allocation cannot slip between these two */
	v->cpu.hpt = vm->hpt;
	v->cpu.code_page_new = vm_code_page_new; /* SMP code coherence */
	/* the same handshake: other vCPUs drop their soft TLBs (tlbie broadcast) */
	v->cpu.tlb_flush_others = vm_code_page_new;
	__atomic_store_n(&vm->vcpu[id], v, __ATOMIC_RELEASE);
	*vcpup = v;
out:
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

struct ppcvm_run *ppcvm_vcpu_run_data(struct ppcvm_vcpu *vcpu)
{
	return vcpu ? &vcpu->run : NULL;
}

void vcpu_wake(struct ppcvm_vcpu *vcpu)
{
	__atomic_add_fetch(&vcpu->wake_seq, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &vcpu->wake_seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void ppcvm_vcpu_kick(struct ppcvm_vcpu *vcpu)
{
	if (!vcpu)
		return;
	__atomic_store_n(&vcpu->cpu.exit_request, 1, __ATOMIC_RELEASE);
	vcpu_wake(vcpu);
}

int ppcvm_vcpu_set_irq(struct ppcvm_vcpu *vcpu, int level)
{
	if (!vcpu)
		return -EINVAL;
	if (level)
		__atomic_fetch_or(&vcpu->cpu.pending, PEND_EXT, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&vcpu->cpu.pending, ~PEND_EXT, __ATOMIC_RELEASE);
	vcpu_wake(vcpu);
	return 0;
}

static bool interrupt_deliverable(struct ppc_cpu *cpu)
{
	cpu_check_timers(cpu);
	return (cpu->msr & MSR_EE) && cpu->pending;
}

/* Block with no host CPU spent until an interrupt is deliverable or a kick */
void vcpu_wait_interrupt(struct ppcvm_vcpu *vcpu)
{
	struct ppc_cpu *cpu = &vcpu->cpu;

	STAT_INC(vcpu->n_halts);

	for (;;) {
		uint32_t seq = __atomic_load_n(&vcpu->wake_seq, __ATOMIC_ACQUIRE);
		struct timespec ts, *tp = NULL;
		uint64_t ns;

		if (interrupt_deliverable(cpu) || cpu->exit_request)
			return;
		ns = cpu_dec_ns_left(cpu);
		if (cpu->msr & MSR_EE) {
			ts.tv_sec = (time_t)(ns / 1000000000ull);
			ts.tv_nsec = (long)(ns % 1000000000ull);
			tp = &ts;
		}
		syscall(SYS_futex, &vcpu->wake_seq, FUTEX_WAIT_PRIVATE, seq, tp, NULL, 0);
	}
}

/* Apply the host's answer to the previous exit */
static void complete_pending(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	struct ppcvm_run *run = &v->run;

	switch (v->pending) {
	case VP_MMIO:
		if (!cpu->mmio.is_write)
			memcpy(cpu->mmio.data, run->mmio.data, cpu->mmio.len);
		cpu->mmio_log[cpu->mmio_log_count++] = cpu->mmio;
		break;
	case VP_HCALL:
		cpu->gpr[3] = run->papr_hcall.ret;
		for (int i = 0; i < 9; i++)
			cpu->gpr[4 + i] = run->papr_hcall.args[i];
		break;
	case VP_OSI:
		memcpy(cpu->gpr, run->osi.gprs, sizeof(cpu->gpr));
		break;
	case VP_EPAPR_HCALL:
		cpu->gpr[3] = run->epapr_hcall.ret;
		for (int i = 1; i < 8; i++)
			cpu->gpr[3 + i] = run->epapr_hcall.args[i];
		break;
	case VP_NONE:
		break;
	}
	v->pending = VP_NONE;
}

/* sc 0 from supervisor state: OSI or PV if enabled, else a system call */
static bool handle_sc_magic(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	if (v->vm->osi && (cpu->gpr[3] & 0xffffffffull) == OSI_SC_MAGIC_R3 &&
	    (cpu->gpr[4] & 0xffffffffull) == OSI_SC_MAGIC_R4) {
		memcpy(v->run.osi.gprs, cpu->gpr, sizeof(cpu->gpr));
		v->run.exit_reason = PPCVM_EXIT_OSI;
		v->pending = VP_OSI;
		return true;
	}
	/* Then the KVM/ePAPR hypercall, as KVM PR's order (pv.c) */
	if (pv_hcall(v))
		return v->pending == VP_EPAPR_HCALL; /* the VMM's to answer */
	cpu_interrupt(cpu, VEC_SC, cpu->pc, 0);
	return false;
}

static void exit_hcall(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	v->run.exit_reason = PPCVM_EXIT_PAPR_HCALL;
	v->run.papr_hcall.nr = cpu->gpr[3];
	v->run.papr_hcall.ret = 0;
	for (int i = 0; i < 9; i++)
		v->run.papr_hcall.args[i] = cpu->gpr[4 + i];
	v->pending = VP_HCALL;
}

bool vcpu_exit_epapr_hcall(struct ppcvm_vcpu *v, uint64_t token, uint64_t mask)
{
	struct ppc_cpu *cpu = &v->cpu;

	if (!__atomic_load_n(&v->vm->epapr_exit, __ATOMIC_RELAXED))
		return false;
	v->run.exit_reason = PPCVM_EXIT_EPAPR_HCALL;
	v->run.epapr_hcall.nr = token;
	v->run.epapr_hcall.ret = 0;
	for (int i = 0; i < 8; i++)
		v->run.epapr_hcall.args[i] = cpu->gpr[3 + i] & mask;
	v->pending = VP_EPAPR_HCALL;
	return true;
}

static void exit_mmio(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	v->run.exit_reason = PPCVM_EXIT_MMIO;
	v->run.mmio.phys_addr = cpu->mmio.pa;
	v->run.mmio.len = cpu->mmio.len;
	v->run.mmio.is_write = cpu->mmio.is_write;
	memcpy(v->run.mmio.data, cpu->mmio.data, sizeof(v->run.mmio.data));
	v->pending = VP_MMIO;
}

static void exit_internal(struct ppcvm_vcpu *v)
{
	v->run.exit_reason = PPCVM_EXIT_INTERNAL_ERROR;
	v->run.internal.suberror = PPCVM_INTERNAL_ERROR_EMULATION;
	v->run.internal.ndata = 2;
	v->run.internal.data[0] = v->cpu.pc;
	v->run.internal.data[1] = v->cpu.pending_insn;
	v->cpu.mmio_log_count = 0;
}

/* Take a kick: returns true (and sets EXIT_INTR) if one was pending */
static bool take_kick(struct ppcvm_vcpu *v)
{
	if (!__atomic_exchange_n(&v->cpu.exit_request, 0, __ATOMIC_ACQ_REL))
		return false;
	v->run.exit_reason = PPCVM_EXIT_INTR;
	return true;
}

static int vcpu_run(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;

	complete_pending(v);
	if (v->run.immediate_exit) {
		v->run.exit_reason = PPCVM_EXIT_INTR;
		return 0;
	}
	for (;;) {
		/* seq_cst: a flusher sees in_exec, or we see its new gen */
		__atomic_store_n(&v->in_exec, 1, __ATOMIC_SEQ_CST);
		cpu_exec(cpu);
		__atomic_store_n(&v->in_exec, 0, __ATOMIC_RELEASE);
		switch (cpu->stop) {
		case STOP_NONE:
		case STOP_BUDGET:
			break;
		case STOP_HCALL:
			STAT_INC(cpu->n_hcalls);
			if (!v->vm->papr) {
				cpu_interrupt(cpu, VEC_SC, cpu->pc, 0);
				break;
			}
			if (core_hcall(v))
				break;
			exit_hcall(v);
			return 0;
		case STOP_SC_MAGIC:
			if (handle_sc_magic(v))
				return 0;
			break;
		case STOP_MMIO:
			/* An IO bus device or ioeventfd takes it: no exit */
			if (iobus_serve_mmio(v)) {
				STAT_INC(v->n_iobus_mmio);
				break;
			}
			exit_mmio(v);
			return 0;
		case STOP_HALT:
			vcpu_wait_interrupt(v);
			break;
		case STOP_CHECKSTOP:
			v->run.exit_reason = PPCVM_EXIT_SHUTDOWN;
			return 0;
		case STOP_INTERNAL:
			exit_internal(v);
			return 0;
		}
		if (take_kick(v))
			return 0;
	}
}

int ppcvm_vcpu_run(struct ppcvm_vcpu *v)
{
	int ret;

	if (!v)
		return -EINVAL;
	ret = vcpu_run(v);
	STAT_INC(v->n_exits);
	if (v->run.exit_reason == PPCVM_EXIT_MMIO)
		STAT_INC(v->n_mmio_exits);
	return ret;
}

int ppcvm_vcpu_get_stats(struct ppcvm_vcpu *v, struct ppcvm_vcpu_stats *st)
{
	const struct ppc_cpu *cpu;

	if (!v || !st)
		return -EINVAL;
	cpu = &v->cpu;
	memset(st, 0, sizeof(*st));
	/* Relaxed reads: exact once the vCPU is not running, else a snapshot */
	st->hcalls = __atomic_load_n(&cpu->n_hcalls, __ATOMIC_RELAXED);
	st->exits = __atomic_load_n(&v->n_exits, __ATOMIC_RELAXED);
	st->mmio_exits = __atomic_load_n(&v->n_mmio_exits, __ATOMIC_RELAXED);
	st->iobus_mmio = __atomic_load_n(&v->n_iobus_mmio, __ATOMIC_RELAXED);
	st->halts = __atomic_load_n(&v->n_halts, __ATOMIC_RELAXED);
	if (__atomic_load_n(&cpu->magic.mapped, __ATOMIC_RELAXED)) {
		st->magic_page_mapped = 1;
		st->magic_page_ea = cpu->magic.ea;
		st->magic_page_pa = cpu->magic.pa;
	}
	return 0;
}

/* ---- Registers ------------------------------------------------------ */

int ppcvm_vcpu_get_regs(struct ppcvm_vcpu *v, struct ppcvm_regs *r)
{
	struct ppc_cpu *cpu;

	if (!v || !r)
		return -EINVAL;
	cpu = &v->cpu;
	memset(r, 0, sizeof(*r));
	r->pc = cpu->pc;
	r->cr = cpu->cr;
	r->ctr = cpu->ctr;
	r->lr = cpu->lr;
	r->xer = cpu_get_xer(cpu);
	r->msr = cpu->msr;
	r->srr0 = cpu->spr[SPR_SRR0];
	r->srr1 = cpu->spr[SPR_SRR1];
	r->pid = cpu->spr[SPR_PIDR];
	r->sprg0 = cpu->spr[SPR_SPRG0];
	r->sprg1 = cpu->spr[SPR_SPRG1];
	r->sprg2 = cpu->spr[SPR_SPRG2];
	r->sprg3 = cpu->spr[SPR_SPRG3];
	memcpy(r->gpr, cpu->gpr, sizeof(r->gpr));
	return 0;
}

int ppcvm_vcpu_set_regs(struct ppcvm_vcpu *v, const struct ppcvm_regs *r)
{
	struct ppc_cpu *cpu;

	if (!v || !r)
		return -EINVAL;
	cpu = &v->cpu;
	/* A new register state cancels whatever the last exit left pending */
	v->pending = VP_NONE;
	cpu->mmio_log_count = 0;
	cpu->cr = (uint32_t)r->cr;
	cpu->ctr = r->ctr;
	cpu->lr = r->lr;
	cpu_set_xer(cpu, r->xer);
	cpu_set_msr(cpu, r->msr);
	cpu->pc = r->pc & cpu->ea_mask;
	cpu->spr[SPR_SRR0] = r->srr0;
	cpu->spr[SPR_SRR1] = r->srr1;
	cpu->spr[SPR_PIDR] = r->pid;
	cpu->spr[SPR_SPRG0] = r->sprg0;
	cpu->spr[SPR_SPRG1] = r->sprg1;
	cpu->spr[SPR_SPRG2] = r->sprg2;
	cpu->spr[SPR_SPRG3] = r->sprg3;
	memcpy(cpu->gpr, r->gpr, sizeof(r->gpr));
	cpu->resv_valid = false;
	return 0;
}

int ppcvm_vcpu_get_sregs(struct ppcvm_vcpu *v, struct ppcvm_sregs *s)
{
	if (!v || !s)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->pvr = v->cpu.pvr;
	s->lpcr = v->cpu.spr[SPR_LPCR];
	s->dar = v->cpu.spr[SPR_DAR];
	s->dsisr = v->cpu.spr[SPR_DSISR];
	s->dec = cpu_get_dec(&v->cpu);
	s->tb = cpu_get_tb(&v->cpu);
	if (v->cpu.book3s32) {
		s->sdr1 = (uint32_t)v->cpu.spr[SPR_SDR1];
		for (int i = 0; i < 16; i++)
			s->sr[i] = v->cpu.sr[i];
		for (int i = 0; i < 8; i++) {
			s->ibat[i] = (uint64_t)v->cpu.ibat[i][0] << 32 | v->cpu.ibat[i][1];
			s->dbat[i] = (uint64_t)v->cpu.dbat[i][0] << 32 | v->cpu.dbat[i][1];
		}
	}
	return 0;
}

/* LPCR bits a partition's state may hold (the rest is the hypervisor's) */
#define LPCR_PARTITION_BITS (LPCR_ILE | LPCR_AIL_MASK)

int ppcvm_vcpu_set_sregs(struct ppcvm_vcpu *v, const struct ppcvm_sregs *s)
{
	if (!v || !s)
		return -EINVAL;
	if (s->lpcr & ~LPCR_PARTITION_BITS)
		return -EINVAL;
	/* The PVR selects the CPU model, as KVM PR's kvmppc_set_pvr_pr */
	cpu_set_model(&v->cpu, s->pvr);
	v->cpu.spr[SPR_LPCR] = s->lpcr;
	v->cpu.spr[SPR_DAR] = s->dar;
	v->cpu.spr[SPR_DSISR] = (uint32_t)s->dsisr;
	cpu_set_tb(&v->cpu, s->tb);
	cpu_set_dec(&v->cpu, (uint32_t)s->dec);
	if (v->cpu.book3s32) {
		v->cpu.spr[SPR_SDR1] = (uint32_t)s->sdr1;
		for (int i = 0; i < 16; i++)
			v->cpu.sr[i] = s->sr[i];
		for (int i = 0; i < 8; i++) {
			v->cpu.ibat[i][0] = (uint32_t)(s->ibat[i] >> 32);
			v->cpu.ibat[i][1] = (uint32_t)s->ibat[i];
			v->cpu.dbat[i][0] = (uint32_t)(s->dbat[i] >> 32);
			v->cpu.dbat[i][1] = (uint32_t)s->dbat[i];
		}
		cpu_tlb_flush(&v->cpu);
	}
	return 0;
}

int ppcvm_vcpu_get_one_reg(struct ppcvm_vcpu *v, uint64_t id, void *value)
{
	struct ppc_cpu *cpu;
	uint64_t val, idx = id & 0xffff;

	if (!v || !value)
		return -EINVAL;
	cpu = &v->cpu;
	if ((id & ~0xffffull) != (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64))
		return -ENOENT;
	if (idx >= 0x8000 && idx < 0x8020)
		val = cpu->gpr[idx - 0x8000];
	else if (idx >= 0x8080 && idx < 0x80a0)
		val = cpu->vsr[idx - 0x8080].d[0];
	else if (idx >= 0x9000 && idx < 0x9400) {
		if (!cpu_spr_get(cpu, (unsigned)(idx - 0x9000), &val))
			return -ENOENT;
	} else if (id == PPCVM_REG_PC)
		val = cpu->pc;
	else if (id == PPCVM_REG_MSR)
		val = cpu->msr;
	else if (id == PPCVM_REG_CR)
		val = cpu->cr;
	else if (id == PPCVM_REG_XER)
		val = cpu_get_xer(cpu);
	else if (id == PPCVM_REG_FPSCR)
		val = cpu->fpscr;
	else if (id == PPCVM_REG_PVR)
		val = cpu->pvr;
	else if (id == PPCVM_REG_LPCR)
		val = cpu->spr[SPR_LPCR];
	else if (id == PPCVM_REG_HIOR)
		val = 0;
	else
		return -ENOENT;
	memcpy(value, &val, 8);
	return 0;
}

int ppcvm_vcpu_set_one_reg(struct ppcvm_vcpu *v, uint64_t id, const void *value)
{
	struct ppc_cpu *cpu;
	uint64_t val, idx = id & 0xffff;

	if (!v || !value)
		return -EINVAL;
	cpu = &v->cpu;
	if ((id & ~0xffffull) != (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64))
		return -ENOENT;
	memcpy(&val, value, 8);
	if (idx >= 0x8000 && idx < 0x8020)
		cpu->gpr[idx - 0x8000] = val;
	else if (idx >= 0x8080 && idx < 0x80a0)
		cpu->vsr[idx - 0x8080].d[0] = val;
	else if (idx >= 0x9000 && idx < 0x9400) {
		if (!cpu_spr_set(cpu, (unsigned)(idx - 0x9000), val))
			return -ENOENT;
	} else if (id == PPCVM_REG_PC)
		cpu->pc = val & cpu->ea_mask;
	else if (id == PPCVM_REG_MSR)
		cpu_set_msr(cpu, val);
	else if (id == PPCVM_REG_CR)
		cpu->cr = (uint32_t)val;
	else if (id == PPCVM_REG_XER)
		cpu_set_xer(cpu, val);
	else if (id == PPCVM_REG_FPSCR)
		cpu->fpscr = (uint32_t)val;
	else if (id == PPCVM_REG_PVR)
		cpu_set_model(cpu, (uint32_t)val);
	else if (id == PPCVM_REG_LPCR) {
		if (val & ~LPCR_PARTITION_BITS)
			return -EINVAL;
		cpu->spr[SPR_LPCR] = val;
	} else if (id == PPCVM_REG_HIOR) {
		if (val)
			return -EINVAL; /* a PAPR partition has HIOR 0 */
	} else
		return -ENOENT;
	return 0;
}
