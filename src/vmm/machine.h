/* SPDX-License-Identifier: MIT */
/*
 * The minimal pseries machine: RAM, vCPUs, the hcall and RTAS tables, the
 * device tree, the hvterm console. This is the VMM's own API, used by cli/.
 * It is built on <ppcvm/ppcvm.h> only, as kvmtool is built on KVM.
 */
#ifndef PPCVM_VMM_MACHINE_H
#define PPCVM_VMM_MACHINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#include "vmm/elf.h"

#define MACHINE_RAM_DEFAULT (512ull << 20)
#define MACHINE_RAM_MIN	    (16ull << 20)
/* The FDT and RTAS live in the real-mode area the guest reaches with MMU off */
#define MACHINE_RMA_MAX (256ull << 20)
#define FDT_MAX_SIZE	0x40000ull
#define RTAS_MAX_SIZE	0x10000ull
#define VTY_REG		0x71000000u
#define VTY_PATH	"/vdevice/vty@71000000"
/* MSR at entry: SF (64-bit) | ME, big-endian, MMU off (as kvmtool) */
#define MACHINE_BOOT_MSR 0x8000000000001000ull

#define HCALL_PRIV_NR	     (KVMPPC_HCALL_MAX - H_RTAS + 1)
#define HCALL_LOG_OTHER	     16
#define RTAS_MAX_SERVICES    32
#define RTAS_MAX_ARGS	     16
#define MACHINE_MAX_FDT_FNS  16
#define MACHINE_MAX_HYPERTAS 24

struct machine;
struct console;
struct virtio_bus;
struct xics;
struct smp;
struct pci_host;

/*
 * A hypercall handler: args[0..8] are r4..r12 on entry and are copied back
 * to r4..r12 as outputs; the return value goes to r3 (H_SUCCESS, H_*).
 */
typedef int64_t (*hcall_fn)(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			    uint64_t *args);
/* An RTAS service: args/rets in host order; rets[0] is the status. */
typedef void (*rtas_fn)(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token, uint32_t nargs,
			const uint32_t *args, uint32_t nret, uint32_t *rets);
/* Adds a module's own nodes to the (read-write) device tree; 0 or -FDT_ERR */
typedef int (*machine_fdt_fn)(struct machine *m, void *fdt);

/* Which machine (cli --machine); pseries is the default */
enum machine_kind {
	MACHINE_KIND_PSERIES = 0,
	MACHINE_KIND_EPAPR, /* epapr.c: 32-bit Book3S, ePAPR boot, byte channel */
};

struct machine_config {
	enum machine_kind kind;
	uint32_t pvr;	     /* epapr: the vCPU's PVR (PPCVM_PVR_750...) */
	const char *kernel;  /* ELF64 path (epapr: ELF32 or ELF64) */
	const char *initrd;  /* optional */
	const char *cmdline; /* optional, /chosen/bootargs */
	uint64_t ram_size;
	uint32_t ncpus;
	bool console;	  /* bind hvterm to stdin/stdout */
	bool no_pv;	  /* --no-pv: no KVM PV interface, no /hypervisor */
	const char *disk; /* virtio-blk raw image (optional) */
	bool disk_ro;	  /* open it read-only, offer VIRTIO_BLK_F_RO */
	bool vcon_input;  /* the virtio console takes the terminal's input */
	bool virtio_mmio; /* virtio-mmio nodes instead of virtio-pci (pci.c) */
};

/* Why the run loop stopped (or must do something before running again). */
enum machine_stop {
	MACHINE_RUNNING = 0,
	MACHINE_RESET,	   /* RTAS system-reboot: boot again */
	MACHINE_POWER_OFF, /* RTAS power-off: exit status 0 */
	MACHINE_QUIT,	   /* Ctrl-A x on the console */
	MACHINE_TIMEOUT,   /* machine_request_stop() by the CLI's timer */
	MACHINE_SIGNAL,	   /* SIGINT/SIGTERM/SIGHUP */
	MACHINE_ERROR,	   /* guest or host error; message in m->err */
};

struct rtas_service {
	uint32_t token;
	const char *name;
	rtas_fn fn;
};

struct machine {
	struct machine_config cfg;
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpus[PPCVM_MAX_VCPUS];
	uint32_t ncpus;

	uint8_t *ram;
	uint64_t ram_size;
	uint64_t rma_size;  /* min(RAM, MACHINE_RMA_MAX) */
	uint64_t fdt_addr;  /* FDT_MAX_SIZE below the RMA top */
	uint64_t rtas_addr; /* RTAS_MAX_SIZE below the FDT */

	void *kernel_data; /* the ELF file, kept for system-reboot */
	size_t kernel_size;
	struct elf_image kernel;
	void *initrd_data;
	size_t initrd_size;
	uint64_t initrd_start, initrd_end; /* 0, 0: none */

	hcall_fn hcalls[MAX_HCALL_OPCODE / 4 + 1];
	hcall_fn hcalls_priv[HCALL_PRIV_NR];
	uint8_t hcall_logged[MAX_HCALL_OPCODE / 4 + 1];
	uint8_t hcall_priv_logged[HCALL_PRIV_NR];
	uint64_t hcall_other_logged[HCALL_LOG_OTHER];
	unsigned int nr_hcall_other_logged;

	struct rtas_service rtas[RTAS_MAX_SERVICES];
	unsigned int nr_rtas;
	int64_t rtc_offset; /* set-time-of-day minus host UTC, seconds */

	machine_fdt_fn fdt_fns[MACHINE_MAX_FDT_FNS];
	unsigned int nr_fdt_fns;
	const char *hypertas[MACHINE_MAX_HYPERTAS];
	unsigned int nr_hypertas;

	struct console *con;
	struct virtio_bus *virtio; /* virtio.c: the virtio-mmio devices */
	struct xics *xics;	   /* xics.c: the interrupt controller */
	struct pci_host *pci;	   /* pci.c: the PCI host bridge, if any */
	uint8_t *nvram;		   /* nvram.c: the partition's NVRAM */
	struct smp *smp;	   /* smp.c: vCPU threads and their states */
	bool mmio_logged;
	unsigned long reboots;
	struct epapr *epapr; /* epapr.c: that machine's state */

	pthread_mutex_t lock; /* vm/vcpus against machine_request_stop() */
	int stop;	      /* enum machine_stop, atomic */
	char err[256];
};

/*
 * Create the machine: RAM, VM, vCPUs, devices, then load the kernel and set
 * the boot state. Returns 0 or -errno with a one-line reason in err.
 */
int machine_create(const struct machine_config *cfg, struct machine **mp, char *err, size_t errlen);
/* Run vCPU 0 until the machine stops; returns why (enum machine_stop). */
enum machine_stop machine_run(struct machine *m);
/* Answer the exit of vcpu (index idx) that ppcvm_vcpu_run() returned (ret). */
void machine_handle_exit(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t idx, int ret);
/* Ask the run loop to stop (any thread, not a signal handler). */
void machine_request_stop(struct machine *m, enum machine_stop why);
void machine_destroy(struct machine *m);
/* log2 of the hashed page table size for this much RAM (as QEMU, min 2^24) */
uint32_t machine_hpt_order(uint64_t ram_size);

/*
 * Layout and device registration without a VM (for machine_create and the
 * unit tests): fills ram_size, rma_size, fdt_addr, rtas_addr, the hcall, RTAS
 * and FDT tables. Returns 0 or -errno with err set.
 */
int machine_init_tables(struct machine *m, const struct machine_config *cfg, char *err,
			size_t errlen);
/* Build the device tree into buf (packed). Returns 0 or -FDT_ERR_*. */
int machine_build_fdt(struct machine *m, void *buf, size_t size);
/* Record a string for /rtas/ibm,hypertas-functions. */
void machine_add_hypertas(struct machine *m, const char *name);
/* Register a function that adds nodes to the device tree. */
int machine_add_fdt_fn(struct machine *m, machine_fdt_fn fn);
/* Record an error message (first one wins) and stop the machine. */
void machine_error(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* hcall.c */
void hcall_init(struct machine *m);
int hcall_register(struct machine *m, uint64_t opcode, hcall_fn fn);
/* Answer an OSI exit in run->osi.gprs (osi.c) */
void machine_osi(struct machine *m, struct ppcvm_run *run);
int64_t hcall_dispatch(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args);

/* rtas.c */
#define RTAS_BLOB_SIZE 20
int rtas_init(struct machine *m);
int rtas_register(struct machine *m, uint32_t token, const char *name, rtas_fn fn);
/* The 5-instruction H_RTAS stub, big-endian, as the guest sees it */
void rtas_blob(uint8_t out[RTAS_BLOB_SIZE]);

/* hcall_misc.c: H_RANDOM, H_GET_CPU_CHARACTERISTICS, DABR, event-scan... */
int hcall_misc_init(struct machine *m);

/* vty.c */
int vty_init(struct machine *m);
/* NVRAM: /nvram node, RTAS nvram-fetch / nvram-store (nvram.c) */
int nvram_init(struct machine *m);

/*
 * The machine's MMIO device model: answer an MMIO access described in
 * run->mmio (a load fills run->mmio.data). Used for MMIO exits and by ci.c.
 */
void machine_mmio(struct machine *m, struct ppcvm_run *run);

/* ci.c: H_LOGICAL_CI_LOAD/STORE the core hands to the VMM */
int ci_init(struct machine *m);
void ci_enable_in_core(struct machine *m);

/* fdt.c: the machine's own nodes (root, cpus, memory, chosen, vdevice) */
int machine_fdt_base(struct machine *m, void *fdt);

/* Format a message into err (errlen bytes) and return ret: "return machine_errf(...)" */
int machine_errf(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* -ENOMEM + err if ram_size is more than the host's physical memory */
int machine_check_host_ram(uint64_t ram_size, char *err, size_t errlen);
/*
 * The end of creating any machine kind: map ram_size bytes of RAM, set up the
 * VM, load the guest, open the console when cfg.console. 0 or -errno + err
 * (the caller destroys m).
 */
int machine_start(struct machine *m, char *err, size_t errlen);
/* Read a whole file (at most 1 GiB) into malloc'd memory; 0 or -errno + err */
int machine_read_file(const char *what, const char *path, void **datap, size_t *sizep, char *err,
		      size_t errlen);

/*
 * epapr.c: the non-PAPR machine for 32-bit Book3S guests (docs/book3s32.md,
 * README "The epapr machine"). machine_create/reset/destroy and the run loop
 * call these when cfg.kind is MACHINE_KIND_EPAPR.
 */
int epapr_create(const struct machine_config *cfg, struct machine **mp, char *err, size_t errlen);
int epapr_setup_vm(struct machine *m, char *err, size_t errlen);
int epapr_boot(struct machine *m, char *err, size_t errlen);
void epapr_free(struct machine *m);
/* Answer an EPAPR_HCALL exit in run->epapr_hcall (bytechan.c) */
void epapr_hcall(struct machine *m, struct ppcvm_vcpu *vcpu, struct ppcvm_run *run);

#endif
