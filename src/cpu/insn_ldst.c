/* SPDX-License-Identifier: MIT */
/*
 * Storage access instructions (Power ISA 2.07 Book I 3.3, Book II 1.7 and
 * 4.3): integer loads and stores in every form, byte-reversed, multiple and
 * string, quadword, load-and-reserve / store-conditional, and the cache
 * management instructions a partition may execute.
 *
 * Every handler follows the MMIO replay rule of mem.c: all accesses of the
 * instruction are done first, and registers are written only once they all
 * succeeded. A nonzero mem_load/mem_store means "not done" (interrupt or MMIO
 * stop, cpu->pc set): return NULL with no register touched.
 *
 * Invalid forms (ISA 1.8.1) are treated as QEMU does for POWER8: illegal
 * instruction. Load with update with RA=0 or RA=RT, store with update with
 * RA=0, lq/stq/lqarx/stqcx. with an odd register, lq with RT=RA, lqarx with
 * RT=RA or RT=RB, lswi/lswx that would overwrite RA or RB.
 */
#include <pthread.h>

#include "cpu/cpu.h"
#include "mmu/mem.h"

/* POWER8 data cache block size (dcbz) */
#define CACHE_BLOCK 128

static inline uint64_t sext16(uint64_t v)
{
	return (uint64_t)(int64_t)(int16_t)v;
}

static inline uint64_t sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)v;
}

#define CONV_NONE(v) (v)
#define CONV_BR16(v) ((uint64_t)bswap16((uint16_t)(v)))
#define CONV_BR32(v) ((uint64_t)bswap32((uint32_t)(v)))
#define CONV_BR64(v) bswap64(v)

/* ---- Plain loads and stores ---------------------------------------- */

/*
 * The D-form and X-form ones are the hottest handlers of the interpreter.
 * The soft-TLB hit is handled inline with no stack frame; a miss tail-calls
 * a separate slow function, so the fast path never saves registers.
 */
#define LOAD_FAST(name, size, conv, EA)                                                          \
	static __attribute__((noinline))                                                         \
	const struct dinsn *name##_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea) \
	{                                                                                        \
		uint64_t v;                                                                      \
                                                                                                 \
		if (unlikely(mem_load_slow(cpu, d, ea, size, &v)))                               \
			return NULL;                                                             \
		cpu->gpr[d->rt] = conv(v);                                                       \
		return d + 1;                                                                    \
	}                                                                                        \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d)         \
	{                                                                                        \
		uint64_t ea = (EA);                                                              \
		const void *p = tlb_hit_read(cpu, ea, size);                                     \
                                                                                                 \
		if (likely(p != NULL)) {                                                         \
			cpu->gpr[d->rt] = conv(host_ld(p, size, cpu->le));                       \
			return insn_next(cpu, d);                                                \
		}                                                                                \
		return name##_slow(cpu, d, ea);                                                  \
	}

#define LOAD_D(name, size, conv) LOAD_FAST(name, size, conv, ea_d(cpu, d->ra, d->imm))
#define LOAD_X(name, size, conv) LOAD_FAST(name, size, conv, ea_x(cpu, d->ra, d->rb))

/*
 * Load with update: RA=0 or RA=RT is an invalid form (ISA 3.3.2). Split
 * like LOAD_FAST so that the hit path has no frame and threads as a jump.
 */
#define LOAD_UPD(name, size, conv, EA)                                                           \
	static __attribute__((noinline))                                                         \
	const struct dinsn *name##_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea) \
	{                                                                                        \
		uint64_t v;                                                                      \
                                                                                                 \
		if (unlikely(mem_load_slow(cpu, d, ea, size, &v)))                               \
			return NULL;                                                             \
		cpu->gpr[d->rt] = conv(v);                                                       \
		cpu->gpr[d->ra] = ea;                                                            \
		return d + 1;                                                                    \
	}                                                                                        \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d)         \
	{                                                                                        \
		uint64_t ea;                                                                     \
		const void *p;                                                                   \
                                                                                                 \
		if (unlikely(d->ra == 0 || d->ra == d->rt))                                      \
			return op_illegal(cpu, d);                                               \
		ea = (EA);                                                                       \
		p = tlb_hit_read(cpu, ea, size);                                                 \
		if (likely(p != NULL)) {                                                         \
			cpu->gpr[d->rt] = conv(host_ld(p, size, cpu->le));                       \
			cpu->gpr[d->ra] = ea;                                                    \
			return insn_next(cpu, d);                                                \
		}                                                                                \
		return name##_slow(cpu, d, ea);                                                  \
	}

#define LOAD_DU(name, size, conv) LOAD_UPD(name, size, conv, ea_d(cpu, d->ra, d->imm))
#define LOAD_XU(name, size, conv) LOAD_UPD(name, size, conv, ea_x(cpu, d->ra, d->rb))

#define STORE_FAST(name, size, conv, EA)                                                         \
	static __attribute__((noinline))                                                         \
	const struct dinsn *name##_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea) \
	{                                                                                        \
		if (unlikely(mem_store_slow(cpu, d, ea, size, conv(cpu->gpr[d->rt]))))           \
			return NULL;                                                             \
		return d + 1;                                                                    \
	}                                                                                        \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d)         \
	{                                                                                        \
		uint64_t ea = (EA);                                                              \
		void *p = tlb_hit_write(cpu, ea, size);                                          \
                                                                                                 \
		if (likely(p != NULL)) {                                                         \
			host_st(p, size, conv(cpu->gpr[d->rt]), cpu->le);                        \
			return insn_next(cpu, d);                                                \
		}                                                                                \
		return name##_slow(cpu, d, ea);                                                  \
	}

#define STORE_D(name, size, conv) STORE_FAST(name, size, conv, ea_d(cpu, d->ra, d->imm))
#define STORE_X(name, size, conv) STORE_FAST(name, size, conv, ea_x(cpu, d->ra, d->rb))

/* Store with update: RA=0 is an invalid form; RS=RA stores the old RS */
#define STORE_DU(name, size)                                                             \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d) \
	{                                                                                \
		uint64_t ea;                                                             \
                                                                                         \
		if (unlikely(d->ra == 0))                                                \
			return op_illegal(cpu, d);                                       \
		ea = ea_d(cpu, d->ra, d->imm);                                           \
		if (unlikely(mem_store(cpu, d, ea, size, cpu->gpr[d->rt])))              \
			return NULL;                                                     \
		cpu->gpr[d->ra] = ea;                                                    \
		return insn_next(cpu, d);                                                \
	}

#define STORE_XU(name, size)                                                             \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d) \
	{                                                                                \
		uint64_t ea;                                                             \
                                                                                         \
		if (unlikely(d->ra == 0))                                                \
			return op_illegal(cpu, d);                                       \
		ea = ea_x(cpu, d->ra, d->rb);                                            \
		if (unlikely(mem_store(cpu, d, ea, size, cpu->gpr[d->rt])))              \
			return NULL;                                                     \
		cpu->gpr[d->ra] = ea;                                                    \
		return insn_next(cpu, d);                                                \
	}

LOAD_D(lbz, 1, CONV_NONE)
LOAD_D(lhz, 2, CONV_NONE)
LOAD_D(lha, 2, sext16)
LOAD_D(lwz, 4, CONV_NONE)
LOAD_D(lwa, 4, sext32)
LOAD_D(ld, 8, CONV_NONE)

LOAD_DU(lbzu, 1, CONV_NONE)
LOAD_DU(lhzu, 2, CONV_NONE)
LOAD_DU(lhau, 2, sext16)
LOAD_DU(lwzu, 4, CONV_NONE)
LOAD_DU(ldu, 8, CONV_NONE)

LOAD_X(lbzx, 1, CONV_NONE)
LOAD_X(lhzx, 2, CONV_NONE)
LOAD_X(lhax, 2, sext16)
LOAD_X(lwzx, 4, CONV_NONE)
LOAD_X(lwax, 4, sext32)
LOAD_X(ldx, 8, CONV_NONE)
LOAD_X(lhbrx, 2, CONV_BR16)
LOAD_X(lwbrx, 4, CONV_BR32)
LOAD_X(ldbrx, 8, CONV_BR64)

LOAD_XU(lbzux, 1, CONV_NONE)
LOAD_XU(lhzux, 2, CONV_NONE)
LOAD_XU(lhaux, 2, sext16)
LOAD_XU(lwzux, 4, CONV_NONE)
LOAD_XU(lwaux, 4, sext32)
LOAD_XU(ldux, 8, CONV_NONE)

STORE_D(stb, 1, CONV_NONE)
STORE_D(sth, 2, CONV_NONE)
STORE_D(stw, 4, CONV_NONE)
STORE_D(std, 8, CONV_NONE)

STORE_DU(stbu, 1)
STORE_DU(sthu, 2)
STORE_DU(stwu, 4)
STORE_DU(stdu, 8)

STORE_X(stbx, 1, CONV_NONE)
STORE_X(sthx, 2, CONV_NONE)
STORE_X(stwx, 4, CONV_NONE)
STORE_X(stdx, 8, CONV_NONE)
STORE_X(sthbrx, 2, CONV_BR16)
STORE_X(stwbrx, 4, CONV_BR32)
STORE_X(stdbrx, 8, CONV_BR64)

STORE_XU(stbux, 1)
STORE_XU(sthux, 2)
STORE_XU(stwux, 4)
STORE_XU(stdux, 8)

/* ---- Quadword (ISA 2.07 3.3.4) ------------------------------------- */

/*
 * lq RTp,DQ(RA): big-endian mode loads RTp from EA and RTp+1 from EA+8;
 * little-endian mode loads RTp from the (byte-reversed) doubleword at EA+8
 * and RTp+1 from EA, i.e. the pair always holds the quadword as a 128-bit
 * number with the high half in the even register. EA must be 16-byte
 * aligned (alignment interrupt, Book III-S 6.5.8). DQ's low 4 bits are
 * reserved (ignored).
 */
static const struct dinsn *op_lq(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea, a, b;
	unsigned rt = d->rt;

	if (unlikely((rt & 1) || rt == d->ra))
		return op_illegal(cpu, d);
	ea = ea_d(cpu, d->ra, d->imm & ~0xfll);
	if (unlikely(ea & 15))
		return cpu_alignment(cpu, d, ea);
	if (mem_load(cpu, d, ea, 8, &a) || mem_load(cpu, d, (ea + 8) & cpu->ea_mask, 8, &b))
		return NULL;
	if (cpu->le) {
		cpu->gpr[rt] = b;
		cpu->gpr[rt + 1] = a;
	} else {
		cpu->gpr[rt] = a;
		cpu->gpr[rt + 1] = b;
	}
	return d + 1;
}

static const struct dinsn *op_stq(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea, hi, lo;
	unsigned rs = d->rt;

	if (unlikely(rs & 1))
		return op_illegal(cpu, d);
	ea = ea_d(cpu, d->ra, d->imm);
	if (unlikely(ea & 15))
		return cpu_alignment(cpu, d, ea);
	hi = cpu->gpr[rs];
	lo = cpu->gpr[rs + 1];
	if (cpu->le) {
		if (mem_store(cpu, d, ea, 8, lo) ||
		    mem_store(cpu, d, (ea + 8) & cpu->ea_mask, 8, hi))
			return NULL;
	} else {
		if (mem_store(cpu, d, ea, 8, hi) ||
		    mem_store(cpu, d, (ea + 8) & cpu->ea_mask, 8, lo))
			return NULL;
	}
	return d + 1;
}

/* ---- Multiple and string (ISA 2.07 3.3.5, 3.3.6) ------------------- */

/*
 * On POWER8 these cause an alignment interrupt in little-endian mode
 * (ISA 2.07 3.3.5/3.3.6: "the system alignment error handler is invoked").
 * Misaligned EAs in big-endian mode just work, as on POWER8.
 */
static const struct dinsn *op_lmw(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_d(cpu, d->ra, d->imm), v;
	uint32_t w[32];
	unsigned n = 32 - d->rt;

	/* The 750 / 7447A also want a word-aligned EA (750 UM 4.5.6) */
	if (unlikely(cpu->le) || (unlikely(cpu->book3s32) && (ea & 3)))
		return cpu_alignment(cpu, d, ea);
	/*
	 * RA in the range is an invalid form; POWER8 (and QEMU) load the
	 * registers anyway, RA included, which is what reading everything
	 * first gives.
	 */
	for (unsigned i = 0; i < n; i++) {
		if (mem_load(cpu, d, ea, 4, &v))
			return NULL;
		w[i] = (uint32_t)v;
		ea = (ea + 4) & cpu->ea_mask;
	}
	for (unsigned i = 0; i < n; i++)
		cpu->gpr[d->rt + i] = w[i];
	return d + 1;
}

static const struct dinsn *op_stmw(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_d(cpu, d->ra, d->imm);

	if (unlikely(cpu->le) || (unlikely(cpu->book3s32) && (ea & 3)))
		return cpu_alignment(cpu, d, ea);
	for (unsigned r = d->rt; r < 32; r++) {
		if (mem_store(cpu, d, ea, 4, (uint32_t)cpu->gpr[r]))
			return NULL;
		ea = (ea + 4) & cpu->ea_mask;
	}
	return d + 1;
}

/* Is register r among the nregs registers from rt on, wrapping r31 -> r0? */
static inline bool str_reg_in_range(unsigned r, unsigned rt, unsigned nregs)
{
	return ((r - rt) & 31) < nregs;
}

/*
 * Load nb (1..128) bytes from ea into the low words of registers rt, rt+1,
 * ... (wrapping), left-justified, the rest of each register zero. Whole
 * words are read as one 4-byte access (so an MMIO string takes at most 34
 * accesses, well inside the replay log); the tail as 2 + 1 bytes.
 */
static const struct dinsn *load_string(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
				       unsigned nb, unsigned rt)
{
	uint32_t w[32];
	unsigned nregs = (nb + 3) / 4;
	uint64_t v;

	for (unsigned i = 0; i < nregs; i++) {
		unsigned left = nb - i * 4;

		if (left >= 4) {
			if (mem_load(cpu, d, ea, 4, &v))
				return NULL;
			w[i] = (uint32_t)v;
			ea = (ea + 4) & cpu->ea_mask;
			continue;
		}
		w[i] = 0;
		if (left >= 2) {
			if (mem_load(cpu, d, ea, 2, &v))
				return NULL;
			w[i] = (uint32_t)v << 16;
			ea = (ea + 2) & cpu->ea_mask;
		}
		if (left & 1) {
			if (mem_load(cpu, d, ea, 1, &v))
				return NULL;
			w[i] |= (uint32_t)v << (left == 3 ? 8 : 24);
		}
	}
	for (unsigned i = 0; i < nregs; i++)
		cpu->gpr[(rt + i) & 31] = w[i];
	return d + 1;
}

/* Store the nb (1..128) leftmost bytes of the low words of rs, rs+1, ... */
static const struct dinsn *store_string(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
					unsigned nb, unsigned rs)
{
	for (unsigned i = 0; i * 4 < nb; i++) {
		uint32_t w = (uint32_t)cpu->gpr[(rs + i) & 31];
		unsigned left = nb - i * 4;

		if (left >= 4) {
			if (mem_store(cpu, d, ea, 4, w))
				return NULL;
			ea = (ea + 4) & cpu->ea_mask;
			continue;
		}
		if (left >= 2) {
			if (mem_store(cpu, d, ea, 2, w >> 16))
				return NULL;
			ea = (ea + 2) & cpu->ea_mask;
		}
		if (left & 1) {
			if (mem_store(cpu, d, ea, 1, (w >> (left == 3 ? 8 : 24)) & 0xff))
				return NULL;
		}
	}
	return d + 1;
}

/* lswi RT,RA,NB: EA = (RA|0), NB = 0 means 32 bytes */
static const struct dinsn *op_lswi(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_d(cpu, d->ra, 0);
	unsigned nb = d->rb ? d->rb : 32;

	if (unlikely(cpu->le))
		return cpu_alignment(cpu, d, ea);
	/* RA (even RA=0) among the target registers: invalid form */
	if (unlikely(str_reg_in_range(d->ra, d->rt, (nb + 3) / 4)))
		return op_illegal(cpu, d);
	return load_string(cpu, d, ea, nb, d->rt);
}

/* lswx RT,RA,RB: byte count in XER[57:63]; 0 leaves RT alone (as POWER8) */
static const struct dinsn *op_lswx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb);
	unsigned nb = cpu->xer_bc & 0x7f;
	unsigned nregs = (nb + 3) / 4;

	if (unlikely(cpu->le))
		return cpu_alignment(cpu, d, ea);
	if (nb == 0)
		return d + 1;
	if (unlikely((d->ra && str_reg_in_range(d->ra, d->rt, nregs)) ||
		     str_reg_in_range(d->rb, d->rt, nregs)))
		return op_illegal(cpu, d);
	return load_string(cpu, d, ea, nb, d->rt);
}

static const struct dinsn *op_stswi(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_d(cpu, d->ra, 0);

	if (unlikely(cpu->le))
		return cpu_alignment(cpu, d, ea);
	return store_string(cpu, d, ea, d->rb ? d->rb : 32, d->rt);
}

static const struct dinsn *op_stswx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb);

	if (unlikely(cpu->le))
		return cpu_alignment(cpu, d, ea);
	return store_string(cpu, d, ea, cpu->xer_bc & 0x7f, d->rt);
}

/* ---- Load and reserve / store conditional (ISA 2.07 Book II 4.4.2) - */

/*
 * The reservation remembers EA, length and the memory contents seen by the
 * larx (raw, in memory byte order). stcx. stores with a host compare-and-
 * swap against those contents, so a store by another vCPU in between makes
 * it fail and SMP guests get atomic read-modify-write. (A store that writes
 * back the same value is not detected: the ABA case every value-based
 * reservation has; a guest cannot tell it from the store not happening.)
 */

#if !defined(__x86_64__) && !defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
static pthread_mutex_t cas128_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

/* Compare-and-swap 16 bytes at p (16-aligned); old/new in memory order */
static bool cas128(void *p, const uint64_t old[2], const uint64_t new[2])
{
#if defined(__x86_64__)
	uint64_t lo = old[0], hi = old[1];
	bool ok;

	__asm__ __volatile__("lock cmpxchg16b %1"
			     : "=@ccz"(ok), "+m"(*(volatile uint64_t(*)[2])p), "+a"(lo), "+d"(hi)
			     : "b"(new[0]), "c"(new[1])
			     : "memory");
	return ok;
#elif defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
	unsigned __int128 o, n;

	memcpy(&o, old, 16);
	memcpy(&n, new, 16);
	return __sync_bool_compare_and_swap((unsigned __int128 *)p, o, n);
#else
	/* No 16-byte CAS on this host: atomic only against other stqcx. */
	bool ok;

	pthread_mutex_lock(&cas128_lock);
	ok = !memcmp(p, old, 16);
	if (ok)
		memcpy(p, new, 16);
	pthread_mutex_unlock(&cas128_lock);
	return ok;
#endif
}

/*
 * "Raw" values hold size bytes of guest memory, in memory order, at the
 * start of a uint64_t (the rest zero), whatever the host byte order.
 */
#define ATOMIC_RAW_CASES(X) X(1, uint8_t) X(2, uint16_t) X(4, uint32_t) X(8, uint64_t)

/* Atomic read of size bytes at p (naturally aligned) */
static uint64_t atomic_read_raw(const void *p, unsigned size)
{
	uint64_t raw = 0;

	switch (size) {
#define READ_CASE(n, T)                                                \
	case n: {                                                      \
		T x = __atomic_load_n((const T *)p, __ATOMIC_ACQUIRE); \
                                                                       \
		memcpy(&raw, &x, n);                                   \
		break;                                                 \
	}
		ATOMIC_RAW_CASES(READ_CASE)
#undef READ_CASE
	}
	return raw;
}

/* Compare-and-swap size bytes at p: old and new are raw values */
static bool atomic_cas_raw(void *p, unsigned size, uint64_t old, uint64_t new)
{
	switch (size) {
#define CAS_CASE(n, T)                                                                     \
	case n: {                                                                          \
		T o, x;                                                                    \
                                                                                           \
		memcpy(&o, &old, n);                                                       \
		memcpy(&x, &new, n);                                                       \
		return __atomic_compare_exchange_n((T *)p, &o, x, false, __ATOMIC_SEQ_CST, \
						   __ATOMIC_SEQ_CST);                      \
	}
		ATOMIC_RAW_CASES(CAS_CASE)
#undef CAS_CASE
	}
	return false;
}

/* Raw memory-order bytes of a guest value and back (8 bytes at most) */
static inline uint64_t raw_from_val(const struct ppc_cpu *cpu, uint64_t val, unsigned size)
{
	uint64_t raw = 0;

	host_st(&raw, size, val, cpu->le);
	return raw;
}

static inline uint64_t val_from_raw(const struct ppc_cpu *cpu, uint64_t raw, unsigned size)
{
	return host_ld(&raw, size, cpu->le);
}

/*
 * lbarx/lharx/lwarx/ldarx: the EA must be naturally aligned (alignment
 * interrupt otherwise, Book III-S 6.5.8). The EH hint (bit 31) is ignored.
 */
static const struct dinsn *do_larx(struct ppc_cpu *cpu, const struct dinsn *d, unsigned size)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb), raw;
	void *p;

	if (unlikely(ea & (size - 1)))
		return cpu_alignment(cpu, d, ea);
	p = mem_host_ptr(cpu, d, ea, size, false);
	if (!p)
		return NULL;
	raw = atomic_read_raw(p, size);
	cpu->resv_valid = true;
	cpu->resv_ea = ea;
	cpu->resv_len = (uint8_t)size;
	cpu->resv_val = raw;
	cpu->gpr[d->rt] = val_from_raw(cpu, raw, size);
	return d + 1;
}

/* CR0 = 0b00 || stored || XER[SO] (ISA 2.07 Book II 4.4.2) */
static inline void stcx_cr0(struct ppc_cpu *cpu, bool ok)
{
	cr_set_field(cpu, 0, (ok ? 2 : 0) | cpu->xer_so);
}

static bool resv_matches(const struct ppc_cpu *cpu, uint64_t ea, unsigned size)
{
	return cpu->resv_valid && cpu->resv_ea == ea && cpu->resv_len == size;
}

static const struct dinsn *do_stcx(struct ppc_cpu *cpu, const struct dinsn *d, unsigned size)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb), raw_new;
	void *p;
	bool ok = false;

	if (unlikely(ea & (size - 1)))
		return cpu_alignment(cpu, d, ea);
	if (resv_matches(cpu, ea, size)) {
		p = mem_host_ptr(cpu, d, ea, size, true);
		if (!p)
			return NULL;
		raw_new = raw_from_val(cpu, cpu->gpr[d->rt], size);
		ok = atomic_cas_raw(p, size, cpu->resv_val, raw_new);
	}
	cpu->resv_valid = false;
	stcx_cr0(cpu, ok);
	return d + 1;
}

static const struct dinsn *op_lbarx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_larx(cpu, d, 1);
}

static const struct dinsn *op_lharx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_larx(cpu, d, 2);
}

static const struct dinsn *op_lwarx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_larx(cpu, d, 4);
}

static const struct dinsn *op_ldarx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_larx(cpu, d, 8);
}

static const struct dinsn *op_stbcx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_stcx(cpu, d, 1);
}

static const struct dinsn *op_sthcx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_stcx(cpu, d, 2);
}

static const struct dinsn *op_stwcx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_stcx(cpu, d, 4);
}

static const struct dinsn *op_stdcx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return do_stcx(cpu, d, 8);
}

/*
 * lqarx RTp,RA,RB: register order as lq. The two halves are read with two
 * 8-byte atomic loads; a torn read only makes the following stqcx. fail.
 */
static const struct dinsn *op_lqarx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea, raw0, raw1, a, b;
	unsigned rt = d->rt;
	void *p;

	if (unlikely((rt & 1) || rt == d->ra || rt == d->rb))
		return op_illegal(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb);
	if (unlikely(ea & 15))
		return cpu_alignment(cpu, d, ea);
	p = mem_host_ptr(cpu, d, ea, 16, false);
	if (!p)
		return NULL;
	raw0 = __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
	raw1 = __atomic_load_n((const uint64_t *)p + 1, __ATOMIC_ACQUIRE);
	cpu->resv_valid = true;
	cpu->resv_ea = ea;
	cpu->resv_len = 16;
	cpu->resv_val = raw0;
	cpu->resv_val2 = raw1;
	a = val_from_raw(cpu, raw0, 8);
	b = val_from_raw(cpu, raw1, 8);
	cpu->gpr[rt] = cpu->le ? b : a;
	cpu->gpr[rt + 1] = cpu->le ? a : b;
	return d + 1;
}

static const struct dinsn *op_stqcx(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea, old[2], new[2], hi, lo;
	unsigned rs = d->rt;
	bool ok = false;
	void *p;

	if (unlikely(rs & 1))
		return op_illegal(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb);
	if (unlikely(ea & 15))
		return cpu_alignment(cpu, d, ea);
	if (resv_matches(cpu, ea, 16)) {
		p = mem_host_ptr(cpu, d, ea, 16, true);
		if (!p)
			return NULL;
		hi = cpu->gpr[rs];
		lo = cpu->gpr[rs + 1];
		old[0] = cpu->resv_val;
		old[1] = cpu->resv_val2;
		new[0] = raw_from_val(cpu, cpu->le ? lo : hi, 8);
		new[1] = raw_from_val(cpu, cpu->le ? hi : lo, 8);
		ok = cas128(p, old, new);
	}
	cpu->resv_valid = false;
	stcx_cr0(cpu, ok);
	return d + 1;
}

/* ---- Cache management (ISA 2.07 Book II 4.3) ----------------------- */

/*
 * dcbz zeroes the 128-byte block containing EA. With a write TLB hit the
 * page is plain RAM with no decoded code and no dirty logging: clear it
 * directly. Otherwise go through mem_store (code tracking, dirty log, MMIO).
 */
static const struct dinsn *op_dcbz(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb) & ~(uint64_t)(CACHE_BLOCK - 1);
	const struct tlb_entry *e = &cpu->tlb_write[(ea >> 12) & (TLB_SIZE - 1)];

	if (likely(e->tag == (ea & ~0xfffull))) {
		memset((void *)(uintptr_t)(ea + e->addend), 0, CACHE_BLOCK);
		return d + 1;
	}
	for (unsigned off = 0; off < CACHE_BLOCK; off += 8)
		if (mem_store(cpu, d, ea + off, 8, 0))
			return NULL;
	return d + 1;
}

/*
 * dcbt, dcbtst, dcbf, dcbst, icbi: no architected effect on our coherent
 * memory. Code changes are found by tracking stores into decoded pages, so
 * icbi need not do anything either (DESIGN.md section 4).
 */
static const struct dinsn *op_cache_nop(struct ppc_cpu *cpu, const struct dinsn *d)
{
	(void)cpu;
	return d + 1;
}

void insn_ldst_register(void)
{
	static const struct {
		unsigned opcd;
		insn_fn fn;
	} dform[] = {
		{ 32, op_lwz },	 { 33, op_lwzu }, { 34, op_lbz },  { 35, op_lbzu }, { 36, op_stw },
		{ 37, op_stwu }, { 38, op_stb },  { 39, op_stbu }, { 40, op_lhz },  { 41, op_lhzu },
		{ 42, op_lha },	 { 43, op_lhau }, { 44, op_sth },  { 45, op_sthu }, { 46, op_lmw },
		{ 47, op_stmw }, { 56, op_lq },
	};
	static const struct {
		unsigned xo;
		insn_fn fn;
	} xform[] = {
		{ 87, op_lbzx },       { 119, op_lbzux },    { 279, op_lhzx },
		{ 311, op_lhzux },     { 343, op_lhax },     { 375, op_lhaux },
		{ 23, op_lwzx },       { 55, op_lwzux },     { 341, op_lwax },
		{ 373, op_lwaux },     { 21, op_ldx },	     { 53, op_ldux },
		{ 215, op_stbx },      { 247, op_stbux },    { 407, op_sthx },
		{ 439, op_sthux },     { 151, op_stwx },     { 183, op_stwux },
		{ 149, op_stdx },      { 181, op_stdux },    { 790, op_lhbrx },
		{ 534, op_lwbrx },     { 532, op_ldbrx },    { 918, op_sthbrx },
		{ 662, op_stwbrx },    { 660, op_stdbrx },   { 597, op_lswi },
		{ 533, op_lswx },      { 725, op_stswi },    { 661, op_stswx },
		{ 52, op_lbarx },      { 116, op_lharx },    { 20, op_lwarx },
		{ 84, op_ldarx },      { 276, op_lqarx },    { 694, op_stbcx },
		{ 726, op_sthcx },     { 150, op_stwcx },    { 214, op_stdcx },
		{ 182, op_stqcx },     { 1014, op_dcbz },    { 278, op_cache_nop },
		{ 246, op_cache_nop }, { 86, op_cache_nop }, { 54, op_cache_nop },
		{ 982, op_cache_nop },
	};

	for (unsigned i = 0; i < sizeof(dform) / sizeof(dform[0]); i++)
		decode_register(dform[i].opcd, -1, FORM_D, dform[i].fn, NULL);
	/* Reserved bit 31 of the X forms is ignored (ISA 1.3.3); stcx. have 1 */
	for (unsigned i = 0; i < sizeof(xform) / sizeof(xform[0]); i++)
		decode_register(31, (int)xform[i].xo, FORM_X, xform[i].fn, NULL);
	/* DS forms: 58 ld/ldu/lwa, 62 std/stdu/stq; xo 3 stays illegal */
	decode_register(58, 0, FORM_DS, op_ld, NULL);
	decode_register(58, 1, FORM_DS, op_ldu, NULL);
	decode_register(58, 2, FORM_DS, op_lwa, NULL);
	decode_register(62, 0, FORM_DS, op_std, NULL);
	decode_register(62, 1, FORM_DS, op_stdu, NULL);
	decode_register(62, 2, FORM_DS, op_stq, NULL);
}
