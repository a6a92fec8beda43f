/* SPDX-License-Identifier: MIT */
/*
 * The epapr machine (epapr.c): a non-PAPR machine for 32-bit Book3S guests
 * (750, 7447A) booted as the ePAPR 1.1 client program interface says, with
 * the ePAPR byte channel as console (bytechan.c) and a syscon power register
 * (power.c). Memory map (guest physical):
 *   0 .. RAM size                 RAM (at most EPAPR_RAM_MAX)
 *   min(RAM, 256M) - 256K         flattened device tree
 *   0xf0000000 (4 KiB)            power-control register (IO bus)
 *   0xfff00000 (1 MiB)            boot ROM, read-only, if the ELF has segments there
 */
#ifndef PPCVM_VMM_EPAPR_H
#define PPCVM_VMM_EPAPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/machine.h"

#define EPAPR_POWER_BASE  0xf0000000ull
#define EPAPR_POWER_SIZE  0x1000ull
#define EPAPR_RAM_MAX	  EPAPR_POWER_BASE /* RAM stops below the MMIO area */
#define EPAPR_ROM_BASE	  0xfff00000ull
#define EPAPR_ROM_SIZE	  0x100000ull
#define EPAPR_FDT_TOP_MAX (256ull << 20)
/* The syscon-poweroff / syscon-reboot values (offset 0, 32-bit, big-endian) */
#define EPAPR_POWER_OFF_VALUE	 0x5555u
#define EPAPR_POWER_REBOOT_VALUE 0x7777u
/* The byte channel's hv-handle */
#define EPAPR_BC_HANDLE 1u
#define EPAPR_BC_PATH	"/hypervisor/handles/console"
#define EPAPR_BC_RX_BUF 64

struct epapr {
	uint8_t *rom; /* EPAPR_ROM_SIZE bytes, or NULL */
	uint64_t fdt_addr;
	/* Input taken from the console by POLL, handed out by RECEIVE */
	uint8_t rx[EPAPR_BC_RX_BUF];
	size_t rx_count;
	bool power_logged;
	uint32_t hcall_logged[8]; /* unimplemented tokens already logged */
	unsigned int nr_hcall_logged;
};

/* power.c: the syscon register on the VM's IO bus */
int epapr_power_register(struct machine *m);
int epapr_power_fdt(struct machine *m, void *fdt);
/* bytechan.c: the byte channel node under /hypervisor */
int epapr_bytechan_fdt(struct machine *m, void *fdt, int hypervisor);

#endif
