/* SPDX-License-Identifier: MIT */
/*
 * libppcvm: a user-space PowerPC hypervisor with the shape of Linux KVM-PPC.
 *
 * A host program creates a VM, gives it memory slots, creates vCPUs and calls
 * ppcvm_vcpu_run() in a loop. run() returns when the guest needs the host: an
 * MMIO access nobody in the core serves, a PAPR hypercall the core does not
 * handle, OSI, or a kick. The host fills in the answer in struct ppcvm_run and
 * calls run() again; the core completes the pending instruction or hypercall
 * before it executes anything else (as KVM's mmio_needed / hcall_needed).
 *
 * Every function returns 0 (or a positive value where documented) on success
 * and a negative errno on error. Nothing a guest does makes the library exit,
 * abort or crash the host process.
 */
#ifndef PPCVM_PPCVM_H
#define PPCVM_PPCVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PPCVM_API_VERSION 1

/* Exported from libppcvm.so; everything else in the library is hidden */
#define PPCVM_API __attribute__((visibility("default")))

struct ppcvm_vm;
struct ppcvm_vcpu;

/* ---- VM ------------------------------------------------------------- */

/* Create an empty VM (no memory, no vCPUs). */
PPCVM_API int ppcvm_vm_create(struct ppcvm_vm **vmp);
/* Destroy a VM and its vCPUs. No vCPU of it may be inside run(). */
PPCVM_API void ppcvm_vm_destroy(struct ppcvm_vm *vm);

/*
 * Capabilities: numbers are those of Linux KVM (include/uapi/linux/kvm.h) so
 * code written for KVM reads the same.
 */
enum ppcvm_cap {
	PPCVM_CAP_PPC_OSI = 52,		  /* sc with the OSI magic exits as OSI */
	PPCVM_CAP_PPC_GET_PVINFO = 57,	  /* ppcvm_get_pvinfo() (issue: PV) */
	PPCVM_CAP_PPC_PAPR = 68,	  /* sc 1 is a PAPR hypercall (default on) */
	PPCVM_CAP_ONE_REG = 70,		  /* ppcvm_vcpu_get/set_one_reg() */
	PPCVM_CAP_PPC_ENABLE_HCALL = 104, /* per-hcall in-core enable bitmap */
	PPCVM_CAP_NR_VCPUS = 9,		  /* check: maximum vCPUs */
	/*
	 * ppcvm's own capabilities are numbered from 0x10000, outside KVM's
	 * range. PPC_PV: the KVM paravirtual interface (ePAPR hypercalls with
	 * r0 = "KVM!", the magic page); enable with args[0] = 1, disable with
	 * 0. Off in a new VM (the ppcvm VMM turns it on unless --no-pv).
	 */
	PPCVM_CAP_PPC_PV = 0x10000,
	/*
	 * PPC_EPAPR_HCALL_EXIT: ePAPR-vendor hypercalls (token vendor 1, made
	 * through the PV interface) that the core does not serve itself (all
	 * but EV_IDLE: byte channels, interrupt controller...) return from
	 * run() as PPCVM_EXIT_EPAPR_HCALL; without it they get
	 * EV_UNIMPLEMENTED as under KVM. Enable with args[0] = 1, disable 0.
	 * Off in a new VM.
	 */
	PPCVM_CAP_PPC_EPAPR_HCALL_EXIT = 0x10001,
};

/*
 * Returns > 0 if supported (for NR_VCPUS: the number), 0 if not.
 * enable_cap: args as KVM_ENABLE_CAP; for ENABLE_HCALL args[0] = hcall
 * number, args[1] = 1 enable / 0 disable. -EINVAL for an unknown cap or
 * argument.
 */
PPCVM_API int ppcvm_check_cap(struct ppcvm_vm *vm, int cap);
PPCVM_API int ppcvm_enable_cap(struct ppcvm_vm *vm, int cap, const uint64_t args[4]);

/*
 * KVM_PPC_GET_PVINFO: how a guest calls the hypervisor (the words the VMM
 * puts in /hypervisor "hcall-instructions", as instruction values: the
 * device tree stores them big-endian) and what it offers.
 */
#define PPCVM_PVINFO_FLAGS_EV_IDLE (1u << 0) /* EV_IDLE is implemented */

struct ppcvm_pvinfo {
	uint32_t flags;
	uint32_t hcall[4];
	uint8_t pad[108];
};

/* Fill *info (check_cap(PPC_GET_PVINFO) is 1; the same for every VM) */
PPCVM_API int ppcvm_get_pvinfo(struct ppcvm_vm *vm, struct ppcvm_pvinfo *info);

/* ---- Memory slots --------------------------------------------------- */

#define PPCVM_MEM_READONLY  (1u << 1) /* writes exit as MMIO (is_write=1) */
#define PPCVM_MEM_LOG_DIRTY (1u << 0) /* track writes, see get_dirty_log */

#define PPCVM_MAX_MEMSLOTS 32

/*
 * Map [guest_phys, guest_phys + size) to host memory at host_ptr (owned by
 * the caller, must stay valid while the slot exists). guest_phys, size and
 * host_ptr must be 4 KB aligned. size 0 deletes the slot; calling again with
 * another address or size moves or resizes it. A slot that overlaps another
 * is refused with -EEXIST.
 */
PPCVM_API int ppcvm_set_memslot(struct ppcvm_vm *vm, uint32_t slot, uint64_t guest_phys,
				uint64_t size, void *host_ptr, uint32_t flags);

/*
 * The partition's hashed page table, owned by the core (as
 * KVM_PPC_ALLOCATE_HTAB): allocate it, or clear and resize it, with 2^order
 * bytes, order 18 to 34. The VMM advertises the same order in the device
 * tree's ibm,pft-size. A VM without one gets 2^24 (16 MB) when its first
 * vCPU is created.
 */
PPCVM_API int ppcvm_vm_allocate_htab(struct ppcvm_vm *vm, uint32_t order);

/*
 * Real mode area (the first memory node a pseries guest is told about): with
 * MSR[IR]=0 or MSR[DR]=0 the guest reaches guest physical addresses below
 * size; an access at or above it gets the data or instruction storage
 * interrupt "no translation", as on a partition with a VRMA (KVM HV). size 0
 * (the default) is flat real mode as QEMU's pseries has it: every address,
 * and one no memory slot covers exits as MMIO. size must be 4 KB aligned.
 */
PPCVM_API int ppcvm_vm_set_rma(struct ppcvm_vm *vm, uint64_t size);

/*
 * Dirty log of a LOG_DIRTY slot (KVM_GET_DIRTY_LOG): one bit per 4 KB page
 * (bit i of 64-bit word i / 64 is page i of the slot), set by every guest
 * store, dcbz and successful or attempted stcx. to the page, and by the
 * in-core H_ENTER H_ZERO_PAGE. Writes the host makes itself (through its
 * own mapping or ppcvm_write_phys) are not logged, as with KVM. The bitmap
 * is copied to bitmap ((pages + 63) / 64 words) and cleared atomically, so
 * no store is lost between two calls. -ENOENT: the slot is not in use;
 * -EINVAL: it does not have LOG_DIRTY.
 */
PPCVM_API int ppcvm_get_dirty_log(struct ppcvm_vm *vm, uint32_t slot, uint64_t *bitmap);

/*
 * ---- The IO bus: in-process devices and ioeventfd (KVM_MMIO_BUS) -------
 *
 * A guest access to a guest physical address no RAM slot serves (or a
 * write to a READONLY slot) is first offered to the IO bus; only if nothing
 * on the bus takes it does run() return an MMIO exit. The bus is reached
 * from translated and real-mode loads and stores of every form and from the
 * in-core H_LOGICAL_CI_LOAD/STORE, all without leaving run(). An access
 * that straddles a device's edge is split there: each device only ever sees
 * the part inside it (so a device can see any len from 1 to 8).
 *
 * Devices and ioeventfds may be added and removed at any time, from any
 * thread, also while vCPUs run. Once unregister returns, no callback of
 * that device runs or will run (the caller may free opaque). Callbacks run
 * on the vCPU thread; they may call anything in this API except
 * ppcvm_iobus_* / ppcvm_ioeventfd (deadlock) and must not block for long.
 */
struct ppcvm_iobus_ops {
	/* offset is from the device's base; data holds len bytes in bus order */
	void (*read)(void *opaque, uint64_t offset, uint8_t *data, uint32_t len);
	void (*write)(void *opaque, uint64_t offset, const uint8_t *data, uint32_t len);
};

#define PPCVM_IOBUS_MAX_DEVICES 64

/*
 * Put a device on [addr, addr + len). ops is copied; a NULL read returns
 * all-ones, a NULL write drops the data. -EEXIST if it overlaps another
 * device, -ENOSPC when the bus is full, -EINVAL for len 0 or a wrap.
 */
PPCVM_API int ppcvm_iobus_register(struct ppcvm_vm *vm, uint64_t addr, uint64_t len,
				   const struct ppcvm_iobus_ops *ops, void *opaque);
/* Remove the device registered at addr. -ENOENT if there is none. */
PPCVM_API int ppcvm_iobus_unregister(struct ppcvm_vm *vm, uint64_t addr);

/* Flags of ppcvm_ioeventfd (the KVM_IOEVENTFD_FLAG_* values where they exist) */
#define PPCVM_IOEVENTFD_DATAMATCH     (1u << 0) /* only writes of this value */
#define PPCVM_IOEVENTFD_DEASSIGN      (1u << 2) /* remove the binding */
#define PPCVM_IOEVENTFD_LITTLE_ENDIAN (1u << 8) /* datamatch on LE bytes */

#define PPCVM_IOEVENTFD_MAX 256

/*
 * ioeventfd (KVM_IOEVENTFD): a guest write of len bytes (1, 2, 4 or 8; 0 =
 * any length) to exactly addr adds 1 to the eventfd(2) counter of fd and
 * completes with no exit; reads are never taken. With DATAMATCH only a write
 * whose value equals datamatch is taken (others go on to the bus's devices,
 * then to an MMIO exit); the value is the written bytes read big-endian (as
 * the bus and H_LOGICAL_CI_STORE carry them), or little-endian with
 * LITTLE_ENDIAN (virtio-mmio registers). ioeventfds are checked before the
 * devices. The fd stays the caller's (it is not closed). DEASSIGN removes
 * the binding with the same addr, len, fd and datamatch (-ENOENT if none).
 * -EEXIST for a duplicate, -ENOSPC when full, -EINVAL for a bad len or
 * flag, or DATAMATCH with len 0.
 */
PPCVM_API int ppcvm_ioeventfd(struct ppcvm_vm *vm, uint64_t addr, uint32_t len, int fd,
			      uint64_t datamatch, uint32_t flags);

/* Copy guest physical memory to/from the host (RAM slots only). */
PPCVM_API int ppcvm_read_phys(struct ppcvm_vm *vm, uint64_t gpa, void *buf, size_t len);
PPCVM_API int ppcvm_write_phys(struct ppcvm_vm *vm, uint64_t gpa, const void *buf, size_t len);

/* ---- vCPUs ---------------------------------------------------------- */

#define PPCVM_MAX_VCPUS 64

/* CPU models (PVR values). */
#define PPCVM_PVR_POWER8 0x004d0200u
/* 32-bit Book3S models (docs/book3s32.md): setting one of these PVRs (sregs or
 * ONE_REG) makes the vCPU that CPU, as KVM PR does */
#define PPCVM_PVR_750	0x00080301u /* PowerPC 750 "G3" (v3.1) */
#define PPCVM_PVR_7447A 0x80030102u /* PowerPC 7447A "G4" (v1.2), AltiVec */

PPCVM_API int ppcvm_vcpu_create(struct ppcvm_vm *vm, uint32_t id, struct ppcvm_vcpu **vcpup);

/* Exit reasons: the numbers of KVM_EXIT_* */
enum ppcvm_exit_reason {
	PPCVM_EXIT_UNKNOWN = 0,
	PPCVM_EXIT_DEBUG = 4,
	PPCVM_EXIT_HLT = 5, /* vCPU stopped and nothing can wake it */
	PPCVM_EXIT_MMIO = 6,
	PPCVM_EXIT_SHUTDOWN = 8, /* checkstop (e.g. machine check, ME=0) */
	PPCVM_EXIT_INTR = 10,	 /* ppcvm_vcpu_kick() or immediate_exit */
	PPCVM_EXIT_INTERNAL_ERROR = 17,
	PPCVM_EXIT_OSI = 18,
	PPCVM_EXIT_PAPR_HCALL = 19,
	/* ppcvm's own exits, outside KVM's range */
	PPCVM_EXIT_EPAPR_HCALL = 0x100, /* see PPCVM_CAP_PPC_EPAPR_HCALL_EXIT */
};

#define PPCVM_INTERNAL_ERROR_EMULATION 1

/*
 * Shared between the core and the host, one per vCPU (ppcvm_vcpu_run_data).
 * Completion: for an MMIO load, fill mmio.data[0..len) with the bytes as the
 * guest bus carries them (memory order in the guest's byte order); for
 * PAPR_HCALL set papr_hcall.ret (goes to r3) and papr_hcall.args[0..8] (go to
 * r4..r12); for EPAPR_HCALL epapr_hcall.ret (r3) and args[1..7] (r4..r10);
 * for OSI edit osi.gprs (copied back to r0..r31). Then call run() again.
 */
struct ppcvm_run {
	uint8_t immediate_exit; /* in: return INTR before running */
	uint8_t pad[3];
	uint32_t exit_reason; /* out: enum ppcvm_exit_reason */
	union {
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		struct {
			uint64_t nr;
			uint64_t ret;
			uint64_t args[9];
		} papr_hcall;
		/*
		 * EPAPR_HCALL: nr = the token from r11 (vendor << 16 | number),
		 * args[i] = r(3 + i) (r3..r10), the low 32 bits in 32-bit mode.
		 * Completion: ret goes to r3, args[1..7] to r4..r10 (args[0] is
		 * not copied back); a register the host leaves alone keeps its
		 * argument value.
		 */
		struct {
			uint64_t nr;
			uint64_t ret;
			uint64_t args[8];
		} epapr_hcall;
		struct {
			uint64_t gprs[32];
		} osi;
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		struct {
			uint64_t address;
			uint32_t status;
		} debug;
		uint8_t padding[256];
	};
};

/* The vCPU's run structure (valid for the vCPU's lifetime). */
PPCVM_API struct ppcvm_run *ppcvm_vcpu_run_data(struct ppcvm_vcpu *vcpu);

/*
 * Run the guest until an exit. Returns 0 with run->exit_reason set, or a
 * negative errno for host-side misuse. Only one thread may run a vCPU.
 */
PPCVM_API int ppcvm_vcpu_run(struct ppcvm_vcpu *vcpu);

/*
 * Make a running (or sleeping) vCPU return from run() with EXIT_INTR soon.
 * Callable from any thread, including signal handlers.
 */
PPCVM_API void ppcvm_vcpu_kick(struct ppcvm_vcpu *vcpu);

/* External interrupt line (level): 1 asserted, 0 deasserted. Any thread. */
PPCVM_API int ppcvm_vcpu_set_irq(struct ppcvm_vcpu *vcpu, int level);

/* ---- Registers ------------------------------------------------------ */

/* struct kvm_regs of arch/powerpc/include/uapi/asm/kvm.h */
struct ppcvm_regs {
	uint64_t pc;
	uint64_t cr;
	uint64_t ctr;
	uint64_t lr;
	uint64_t xer;
	uint64_t msr;
	uint64_t srr0;
	uint64_t srr1;
	uint64_t pid;
	uint64_t sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
	uint64_t gpr[32];
};

/* Supervisor state that is not in ppcvm_regs. */
struct ppcvm_sregs {
	uint32_t pvr;
	uint32_t pad;
	uint64_t lpcr; /* partition: ILE, AIL as set by H_SET_MODE */
	uint64_t dar;
	uint64_t dsisr;
	uint64_t dec; /* current decrementer value */
	uint64_t tb;  /* current timebase */
	/*
	 * 32-bit Book3S models only (ignored on POWER8, whose SDR1 belongs to
	 * the hypervisor): the MMU state, as KVM's kvm_sregs u.s.ppc32. A BAT
	 * is upper << 32 | lower; setting any of them drops the soft TLB.
	 */
	uint64_t sdr1;
	uint32_t sr[16];
	uint64_t ibat[8];
	uint64_t dbat[8];
};

PPCVM_API int ppcvm_vcpu_get_regs(struct ppcvm_vcpu *vcpu, struct ppcvm_regs *regs);
PPCVM_API int ppcvm_vcpu_set_regs(struct ppcvm_vcpu *vcpu, const struct ppcvm_regs *regs);
/*
 * Per-vCPU counters since the vCPU was created (KVM offers binary stats;
 * this is the small fixed set a VMM or a test wants). Exact once the vCPU
 * is not in run(), else a snapshot.
 */
struct ppcvm_vcpu_stats {
	uint64_t hcalls;	/* PAPR and PV hypercalls made */
	uint64_t exits;		/* returns of ppcvm_vcpu_run() */
	uint64_t mmio_exits;	/* of them PPCVM_EXIT_MMIO */
	uint64_t iobus_mmio;	/* MMIO served in-process (IO bus, ioeventfd) */
	uint64_t halts;		/* waits for an interrupt (H_CEDE, EV_IDLE, POW) */
	uint64_t magic_page_ea; /* the PV magic page, if magic_page_mapped */
	uint64_t magic_page_pa;
	uint32_t magic_page_mapped; /* 1 once the guest mapped the magic page */
	uint32_t pad;
};

PPCVM_API int ppcvm_vcpu_get_stats(struct ppcvm_vcpu *vcpu, struct ppcvm_vcpu_stats *st);

PPCVM_API int ppcvm_vcpu_get_sregs(struct ppcvm_vcpu *vcpu, struct ppcvm_sregs *sregs);
PPCVM_API int ppcvm_vcpu_set_sregs(struct ppcvm_vcpu *vcpu, const struct ppcvm_sregs *sregs);

/*
 * ONE_REG ids. As KVM: KVM_REG_PPC | size | index. We add direct access to
 * any SPR by number, and to GPR/FPR/VSR.
 */
#define PPCVM_REG_PPC	    0x1000000000000000ull
#define PPCVM_REG_SIZE_U64  0x0030000000000000ull
#define PPCVM_REG_SIZE_U128 0x0040000000000000ull
#define PPCVM_REG_GPR(n)    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8000u | (n))
#define PPCVM_REG_SPR(n)    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x9000u | (n))
#define PPCVM_REG_FPR(n)    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8080u | (n))
#define PPCVM_REG_PC	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8100u)
#define PPCVM_REG_MSR	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8101u)
#define PPCVM_REG_CR	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8102u)
#define PPCVM_REG_XER	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8103u)
#define PPCVM_REG_FPSCR	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8104u)
#define PPCVM_REG_PVR	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8105u)
#define PPCVM_REG_LPCR	    (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x8106u)
/* KVM_REG_PPC_HIOR compatible id (always 0 for a PAPR partition). */
#define PPCVM_REG_HIOR (PPCVM_REG_PPC | PPCVM_REG_SIZE_U64 | 0x1u)

/* value points to 8 bytes (U64) or 16 bytes (U128). -ENOENT: unknown id. */
PPCVM_API int ppcvm_vcpu_get_one_reg(struct ppcvm_vcpu *vcpu, uint64_t id, void *value);
PPCVM_API int ppcvm_vcpu_set_one_reg(struct ppcvm_vcpu *vcpu, uint64_t id, const void *value);

/* ---- Misc ----------------------------------------------------------- */

/* Library version string, e.g. "0.1.0". */
PPCVM_API const char *ppcvm_version(void);

/* Timebase frequency the guest sees (Hz). */
#define PPCVM_TB_FREQ 512000000u

#ifdef __cplusplus
}
#endif

#endif
