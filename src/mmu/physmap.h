/* SPDX-License-Identifier: MIT */
/*
 * Guest physical memory map: the memory slots of the VM as the CPU sees
 * them. Anything no slot covers is MMIO. Owned by src/core (vm.c), read by
 * the MMU slow path on every TLB miss, so a slot change is seen at the next
 * guest access once the TLBs are flushed.
 */
#ifndef PPCVM_PHYSMAP_H
#define PPCVM_PHYSMAP_H

#include <stdbool.h>
#include <stdint.h>

#define PHYSMAP_SLOTS 32

#define SLOT_READONLY  (1u << 1)
#define SLOT_LOG_DIRTY (1u << 0)

struct memslot {
	bool used;
	uint32_t flags;
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
	uint8_t *code;	 /* per 4 KB page: nonzero if decoded as code */
	uint64_t *dirty; /* per 4 KB page bitmap, with LOG_DIRTY */
};

/*
 * Guest physical pages written while decoded as code, for the other vCPUs
 * (exec.c): each vCPU drops its decode of every page published here before
 * its next block, so a store on one vCPU is seen by another after its isync.
 * Entry i holds sequence number s + 1 once written (0 while being written);
 * a vCPU that fell more than CODE_RING behind drops all its decoded pages.
 */
#define CODE_RING 64

struct code_ring {
	uint64_t seq; /* next sequence number */
	struct {
		uint64_t seq, pa;
	} e[CODE_RING];
};

struct physmap {
	struct memslot slot[PHYSMAP_SLOTS];
	struct code_ring code_ring;
	/* Real mode area: real-mode accesses at or above it fault; 0 = flat */
	uint64_t rma_size;
	/*
	 * IO bus device edges (core/iobus.c): the length of the first part of
	 * an MMIO access [pa, pa + len) that one device (or no device) covers,
	 * so an access straddling a device's edge is split there. NULL: none.
	 */
	unsigned (*mmio_piece)(struct physmap *pm, uint64_t pa, unsigned len);
};

static inline struct memslot *physmap_find(struct physmap *pm, uint64_t pa)
{
	for (int i = 0; i < PHYSMAP_SLOTS; i++) {
		struct memslot *s = &pm->slot[i];

		/* acquire: pairs with set_memslot publishing gpa/size/host */
		if (__atomic_load_n(&s->used, __ATOMIC_ACQUIRE) && pa - s->gpa < s->size)
			return s;
	}
	return 0;
}

#endif
