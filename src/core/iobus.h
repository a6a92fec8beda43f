/* SPDX-License-Identifier: MIT */
/*
 * The IO bus (KVM_MMIO_BUS): in-process devices and ioeventfds that serve
 * guest accesses to addresses no RAM slot covers without leaving run().
 * See ppcvm.h for the public contract and iobus.c for the locking.
 */
#ifndef PPCVM_IOBUS_H
#define PPCVM_IOBUS_H

#include <stdbool.h>
#include <stdint.h>

struct ppcvm_vm;
struct physmap;

int iobus_init(struct ppcvm_vm *vm);
void iobus_fini(struct ppcvm_vm *vm);

/*
 * Offer an access of len bytes at pa to the bus; data is in bus order (in
 * for a write, out for a read). True if an ioeventfd or a device took it.
 * An access that is not wholly inside one device is never taken (callers
 * split with iobus_piece first).
 */
bool iobus_access(struct ppcvm_vm *vm, uint64_t pa, uint32_t len, bool write, uint8_t *data);

/*
 * A vCPU stopped for MMIO (cpu->mmio): serve it from the bus and log the
 * answer for the replay, as complete_pending does for the VMM's. True if
 * served (the next cpu_exec re-executes the instruction), false to exit.
 */
struct ppcvm_vcpu;
bool iobus_serve_mmio(struct ppcvm_vcpu *v);

/*
 * physmap->mmio_piece: the length of the first part of [pa, pa + len) that
 * lies inside one device, or outside every device (1..len).
 */
unsigned iobus_piece(struct physmap *pm, uint64_t pa, unsigned len);

#endif
