/* SPDX-License-Identifier: MIT */
/*
 * Guest data accesses from instruction handlers. The fast path is a soft-TLB
 * hit (one compare, one add); everything else (TLB miss, page crossing, MMIO,
 * a store to a page that holds decoded code) goes to mem.c.
 *
 * Values are numbers as the guest sees them with its current byte order
 * (MSR[LE]); byte-reversed instructions swap themselves.
 *
 * Return value: 0 when the access was done. Nonzero when it was not: an
 * interrupt was delivered or the loop must exit for MMIO; cpu->pc is set and
 * the handler must return NULL without changing any register.
 */
#ifndef PPCVM_MEM_H
#define PPCVM_MEM_H

#include "cpu/cpu.h"

static inline uint16_t bswap16(uint16_t v)
{
	return __builtin_bswap16(v);
}

static inline uint32_t bswap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static inline uint64_t bswap64(uint64_t v)
{
	return __builtin_bswap64(v);
}

/* Read/write n bytes of host memory as a guest value of byte order le */
static inline uint64_t host_ld(const void *p, unsigned n, bool le)
{
	uint64_t v = 0;

	switch (n) {
	case 1:
		return *(const uint8_t *)p;
	case 2: {
		uint16_t x;

		memcpy(&x, p, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		return le ? x : bswap16(x);
#else
		return le ? bswap16(x) : x;
#endif
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		return le ? x : bswap32(x);
#else
		return le ? bswap32(x) : x;
#endif
	}
	case 8:
		memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		return le ? v : bswap64(v);
#else
		return le ? bswap64(v) : v;
#endif
	}
	return 0;
}

static inline void host_st(void *p, unsigned n, uint64_t v, bool le)
{
	switch (n) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2: {
		uint16_t x = (uint16_t)v;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		x = le ? x : bswap16(x);
#else
		x = le ? bswap16(x) : x;
#endif
		memcpy(p, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		x = le ? x : bswap32(x);
#else
		x = le ? bswap32(x) : x;
#endif
		memcpy(p, &x, 4);
		break;
	}
	case 8:
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		v = le ? v : bswap64(v);
#else
		v = le ? bswap64(v) : v;
#endif
		memcpy(p, &v, 8);
		break;
	}
}

int mem_load_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		  uint64_t *val);
int mem_store_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		   uint64_t val);

/*
 * Host address of a soft-TLB hit for size bytes at ea, or NULL (miss). The
 * tag compare includes the low address bits of the access size, so only a
 * naturally aligned access hits (it cannot cross the page); unaligned ones
 * take the slow path, which handles them.
 */
static inline void *tlb_hit_read(const struct ppc_cpu *cpu, uint64_t ea, unsigned size)
{
	const struct tlb_entry *e = &cpu->tlb_read[(ea >> 12) & (TLB_SIZE - 1)];

	if (likely(e->tag == (ea & (~0xfffull | (size - 1)))))
		return (void *)(uintptr_t)(ea + e->addend);
	return NULL;
}

static inline void *tlb_hit_write(const struct ppc_cpu *cpu, uint64_t ea, unsigned size)
{
	const struct tlb_entry *e = &cpu->tlb_write[(ea >> 12) & (TLB_SIZE - 1)];

	if (likely(e->tag == (ea & (~0xfffull | (size - 1)))))
		return (void *)(uintptr_t)(ea + e->addend);
	return NULL;
}

/* Load size (1, 2, 4, 8) bytes at ea (already masked for 32-bit mode) */
static inline int mem_load(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
			   uint64_t *val)
{
	const struct tlb_entry *e = &cpu->tlb_read[(ea >> 12) & (TLB_SIZE - 1)];

	if (likely(e->tag == (ea & (~0xfffull | (size - 1))))) {
		*val = host_ld((const void *)(uintptr_t)(ea + e->addend), size, cpu->le);
		return 0;
	}
	return mem_load_slow(cpu, d, ea, size, val);
}

static inline int mem_store(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
			    uint64_t val)
{
	const struct tlb_entry *e = &cpu->tlb_write[(ea >> 12) & (TLB_SIZE - 1)];

	if (likely(e->tag == (ea & (~0xfffull | (size - 1))))) {
		host_st((void *)(uintptr_t)(ea + e->addend), size, val, cpu->le);
		return 0;
	}
	return mem_store_slow(cpu, d, ea, size, val);
}

/*
 * Host pointer for an atomic access (larx/stcx.) of size bytes at ea, which
 * must be naturally aligned; NULL with the interrupt or MMIO stop done (the
 * handler returns NULL). write asks for a writable page.
 */
void *mem_host_ptr(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		   bool write);

/*
 * Translate an effective address for the access kind: real mode, or the
 * hash MMU (SLB + HPT, hash.c) when MSR[IR]/MSR[DR] is on. Returns 0 and the
 * physical address, or nonzero after delivering the interrupt.
 */
enum mem_access { ACC_READ, ACC_WRITE, ACC_FETCH };
int mmu_translate(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, enum mem_access acc,
		  uint64_t *pa);
/* The same, also giving the WIMG bits of the translation (0 in real mode) */
int mmu_translate_wimg(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, enum mem_access acc,
		       uint64_t *pa, uint64_t *wimg);

#endif
