/* SPDX-License-Identifier: MIT */
/*
 * The core ("the kernel" of DESIGN.md): VM and vCPU objects behind the
 * public API, the run loop with its exits and the in-core hypercalls.
 */
#ifndef PPCVM_CORE_H
#define PPCVM_CORE_H

#include <pthread.h>

#include <ppcvm/ppcvm.h>
#include <ppcvm/papr.h>

#include "cpu/cpu.h"
#include "core/iobus.h"

#define HCALL_BITMAP_WORDS ((MAX_HCALL_OPCODE / 4 + 1 + 63) / 64)

struct ppcvm_vm {
	struct physmap pm;
	pthread_mutex_t lock; /* slots, vcpus array */
	struct ppcvm_vcpu *vcpu[PPCVM_MAX_VCPUS];
	uint64_t hcall_enabled[HCALL_BITMAP_WORDS];
	bool papr;
	bool osi;
	bool pv;	 /* PPCVM_CAP_PPC_PV (pv.c) */
	bool epapr_exit; /* PPCVM_CAP_PPC_EPAPR_HCALL_EXIT */
	/*
	 * The partition's hashed page table (NULL until allocated; the first
	 * vcpu_create allocates HPT_DEFAULT_ORDER). hpt_lock serialises the
	 * HPTE hypercalls with each other and with re-allocation; the MMU
	 * reads entries without it (see hcall_mmu.c for the publication order).
	 */
	struct hpt *hpt;
	pthread_mutex_t hpt_lock;
	struct iobus *iobus; /* devices and ioeventfds (iobus.c) */
};

/* KVM_DEFAULT_HPT_ORDER: 16 MB; the range ppcvm_vm_allocate_htab takes */
#define HPT_DEFAULT_ORDER 24
#define HPT_MIN_ORDER	  18
#define HPT_MAX_ORDER	  34

/* What the next run() must complete before executing anything */
enum vcpu_pending {
	VP_NONE,
	VP_MMIO,
	VP_HCALL,
	VP_OSI,
	VP_EPAPR_HCALL,
};

struct ppcvm_vcpu {
	struct ppc_cpu cpu; /* first: hot, cache-line aligned */
	struct ppcvm_run run;
	struct ppcvm_vm *vm;
	uint32_t id;
	enum vcpu_pending pending;
	volatile int in_exec; /* inside cpu_exec: may touch guest memory */
	uint32_t wake_seq;    /* futex word: bumped by kick/irq */
	/* PAPR SPLPAR state (hcall_smp.c) */
	volatile uint32_t prodded;     /* H_PROD seen: the next H_CEDE returns */
	uint64_t vpa, slb_shadow, dtl; /* registered areas (0 = none) */
	/*
	 * Counters for ppcvm_vcpu_get_stats: written by the vCPU thread only
	 * (STAT_INC), read from any thread with relaxed atomic loads
	 */
	uint64_t n_exits, n_mmio_exits, n_iobus_mmio, n_halts;
};

/* Make every vCPU drop its soft TLB before returning (vm.c) */
void vm_flush_tlbs(struct ppcvm_vm *vm);

/* Allocate the default HPT if the VM has none yet; vm->lock held (vm.c) */
int vm_hpt_ensure_locked(struct ppcvm_vm *vm);
/* Zero guest RAM as the guest would see it (decoded code dropped) (vm.c) */
int vm_zero_phys(struct ppcvm_vm *vm, uint64_t gpa, uint64_t len);

/* In-core hypercalls (hcall.c): true if handled (r3 set), false to exit */
bool core_hcall(struct ppcvm_vcpu *vcpu);
bool core_hcall_implemented(uint64_t nr);
void core_hcall_defaults(struct ppcvm_vm *vm);

/* The PAPR page-table hypercalls (hcall_mmu.c), in-core, on by default */
int64_t h_enter(struct ppcvm_vcpu *v);
int64_t h_remove(struct ppcvm_vcpu *v);
int64_t h_read(struct ppcvm_vcpu *v);
int64_t h_protect(struct ppcvm_vcpu *v);
int64_t h_bulk_remove(struct ppcvm_vcpu *v);
int64_t h_clear_ref(struct ppcvm_vcpu *v);
int64_t h_clear_mod(struct ppcvm_vcpu *v);

/* H_LOGICAL_CI_LOAD/STORE (hcall_ci.c): in-core on the IO bus, off by default */
int64_t h_logical_ci_load(struct ppcvm_vcpu *v);
int64_t h_logical_ci_store(struct ppcvm_vcpu *v);

/* SMP and SPLPAR hypercalls (hcall_smp.c), in-core as in KVM HV */
int64_t h_cede(struct ppcvm_vcpu *v);
int64_t h_prod(struct ppcvm_vcpu *v);
int64_t h_confer(struct ppcvm_vcpu *v);
int64_t h_set_sprg0(struct ppcvm_vcpu *v);
int64_t h_register_vpa(struct ppcvm_vcpu *v);
int64_t h_page_init(struct ppcvm_vcpu *v);
/* A vCPU decoded a page no vCPU had as code: shoot down write TLBs (vm.c) */
void vm_code_page_new(struct ppc_cpu *cpu);

/*
 * sc 0 from supervisor state with r0 = KVM_SC_MAGIC_R0 and PV on: run the
 * ePAPR hypercall (pv.c), r3/r4 set; false if it is not one.
 */
bool pv_hcall(struct ppcvm_vcpu *vcpu);
/*
 * An ePAPR hypercall the core does not serve: if the VM enabled
 * PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, fill run->epapr_hcall from r3..r10 (each
 * & mask), set the pending completion and return true (vcpu.c).
 */
bool vcpu_exit_epapr_hcall(struct ppcvm_vcpu *vcpu, uint64_t token, uint64_t mask);

/* Sleep until an interrupt can be delivered or a kick arrives */
void vcpu_wait_interrupt(struct ppcvm_vcpu *vcpu);
void vcpu_wake(struct ppcvm_vcpu *vcpu);

/* Bump a counter that another thread may read (single writer: no RMW) */
#define STAT_INC(x) __atomic_store_n(&(x), (x) + 1, __ATOMIC_RELAXED)

#endif
