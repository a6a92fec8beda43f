/* SPDX-License-Identifier: MIT */
/*
 * The PAPR page-table hypercalls (PAPR 14.5.4.1): H_ENTER, H_REMOVE, H_READ,
 * H_PROTECT, H_BULK_REMOVE, H_CLEAR_REF, H_CLEAR_MOD, served in the core on
 * the partition's hashed page table (vm->hpt, see mmu/hpt.h).
 *
 * Concurrency: the hypercalls of all vCPUs are serialised by vm->hpt_lock;
 * the MMU of running vCPUs reads entries without a lock and sets R and C
 * with an atomic OR on the r word. So an entry is published by storing r
 * and then v with V=1 (release), and withdrawn by storing v without V first;
 * after any change to a valid entry vm_flush_tlbs() makes every vCPU drop
 * its soft TLB and wait for the running ones to acknowledge, so no vCPU
 * (the caller included) uses the old translation after the hcall returns
 * and no walk that read the old entry is still in flight when r changes.
 *
 * Every argument comes from the guest: a PTE index is checked against the
 * table before any access, and bad encodings are H_PARAMETER.
 */
#include "core/core.h"

/* H_* flags in r4 (IBM bit numbers: bit 0 is the MSB) */
#define H_EXACT		     (1ull << (63 - 24)) /* use this slot or fail */
#define H_R_XLATE	     (1ull << (63 - 25)) /* logical == real here */
#define H_READ_4	     (1ull << (63 - 26)) /* 4 entries, index & ~3 */
#define H_AVPN		     (1ull << (63 - 32)) /* compare the AVPN */
#define H_ANDCOND	     (1ull << (63 - 33)) /* fail if v & arg != 0 */
#define H_ICACHE_INVALIDATE  (1ull << (63 - 40)) /* nothing to do: see below */
#define H_ICACHE_SYNCHRONIZE (1ull << (63 - 41))
#define H_ZERO_PAGE	     (1ull << (63 - 48)) /* clear the page first */

/* H_PROTECT: where the new bits sit in the flags word (PAPR, as QEMU/KVM) */
#define H_PROTECT_PP0	 (1ull << (63 - 55)) /* -> HPTE_R_PP0 */
#define H_PROTECT_KEY_HI (3ull << (63 - 51)) /* -> HPTE_R_KEY_HI */
#define H_PROTECT_DIRECT (HPTE_R_KEY_LO | HPTE_R_N | HPTE_R_PP)

/* H_BULK_REMOVE translation specifier high word (PAPR 14.5.4.1.9) */
#define TSH_TYPE_SHIFT	   62
#define TSH_REQUEST	   1ull
#define TSH_RESPONSE	   2ull
#define TSH_END		   3ull
#define TSH_CODE_SHIFT	   60 /* response: 0 ok, 1 not found, 2 param */
#define TSH_CODE_NOT_FOUND 1ull
#define TSH_CODE_PARM	   2ull
#define TSH_RC_SHIFT	   51 /* response: R -> bit 59, C -> 58 */
#define TSH_FLAGS_SHIFT	   56
#define TSH_ANDCOND	   1ull
#define TSH_AVPN	   2ull
#define TSH_PTEX	   ((1ull << 56) - 1)
#define BULK_MAX	   4

/*
 * v bits the hypervisor keeps for itself (KVM's HPTE_V_HVLOCK 0x40 and
 * HPTE_V_ABSENT 0x20, also cleared by QEMU): never taken from the guest.
 */
#define HPTE_V_HV_BITS 0x60ull

/* The AVPN compare of H_AVPN: v without its low 7 bits (SW, L, H, V) */
#define HPTE_V_COMPARE (~0x7full)

static inline uint64_t *hpte_v(struct hpt *h, uint64_t ptex)
{
	return &h->base[2 * ptex];
}

static inline uint64_t *hpte_r(struct hpt *h, uint64_t ptex)
{
	return &h->base[2 * ptex + 1];
}

static inline uint64_t load_v(struct hpt *h, uint64_t ptex)
{
	return __atomic_load_n(hpte_v(h, ptex), __ATOMIC_ACQUIRE);
}

static inline uint64_t load_r(struct hpt *h, uint64_t ptex)
{
	return __atomic_load_n(hpte_r(h, ptex), __ATOMIC_RELAXED);
}

/* Publish an entry: r first, then v (with V) so a reader never sees half */
static void hpte_publish(struct hpt *h, uint64_t ptex, uint64_t v, uint64_t r)
{
	__atomic_store_n(hpte_r(h, ptex), r, __ATOMIC_RELAXED);
	__atomic_store_n(hpte_v(h, ptex), v, __ATOMIC_RELEASE);
}

/* Withdraw an entry: V goes first; the caller flushes before touching r */
static void hpte_unpublish(struct hpt *h, uint64_t ptex, uint64_t v)
{
	__atomic_store_n(hpte_v(h, ptex), v & ~HPTE_V_VALID, __ATOMIC_RELEASE);
}

/*
 * The actual page size of an entry, from L and the LP bits of r, with the
 * encodings advertised in ibm,segment-page-sizes: L=0 4 KB; L=1 with LP
 * (r bits 12:15) = 0x1 64 KB; L=1 with r bits 12:23 = 0 16 MB (ISA 2.07
 * 5.7.7.1). Returns the shift, 0 for an encoding we do not implement.
 */
static unsigned hpte_page_shift(uint64_t v, uint64_t r)
{
	if (!(v & HPTE_V_LARGE))
		return 12;
	if ((r & 0xf000ull) == 0x1000ull)
		return 16;
	if ((r & 0xfff000ull) == 0)
		return 24;
	return 0;
}

/* Whether RAM slots cover all of [pa, pa + size) */
static bool range_is_ram(struct ppcvm_vm *vm, uint64_t pa, uint64_t size)
{
	bool ram = true;

	pthread_mutex_lock(&vm->lock);
	while (size) {
		struct memslot *s = physmap_find(&vm->pm, pa);
		uint64_t n;

		if (!s) {
			ram = false;
			break;
		}
		n = s->gpa + s->size - pa;
		if (n >= size)
			break;
		pa += n;
		size -= n;
	}
	pthread_mutex_unlock(&vm->lock);
	return ram;
}

static struct hpt *hpt_lock(struct ppcvm_vcpu *v)
{
	pthread_mutex_lock(&v->vm->hpt_lock);
	return v->vm->hpt;
}

static void hpt_unlock(struct ppcvm_vcpu *v)
{
	pthread_mutex_unlock(&v->vm->hpt_lock);
}

/*
 * H_ENTER (r4 flags, r5 PTEX, r6 v, r7 r): insert an entry in the group of
 * PTEX, at PTEX itself with H_EXACT, else in the first free slot. Returns
 * the index used in r4 (the full PTEX, as QEMU and KVM: Linux keeps & 7).
 */
int64_t h_enter(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t flags = cpu->gpr[4], ptex = cpu->gpr[5];
	uint64_t pv = cpu->gpr[6], pr = cpu->gpr[7];
	uint64_t raddr, psize, slot;
	unsigned shift;
	bool ram;
	struct hpt *h;

	shift = hpte_page_shift(pv, pr);
	if (!shift)
		return H_PARAMETER;
	/* Segment size B: 0b10 and 0b11 are reserved (ISA 2.07 5.7.7.2) */
	if ((pv >> HPTE_V_SSIZE_SHIFT) > 1)
		return H_PARAMETER;
	/* Key 31 is the hypervisor's (seeds/002) */
	if (hpte_key(pr) == HPTE_KEY_HYPERVISOR)
		return H_PARAMETER;
	psize = 1ull << shift;
	raddr = pr & HPTE_R_RPN & ~(psize - 1);
	ram = range_is_ram(v->vm, raddr, psize);
	/*
	 * WIMG as KVM checks it: RAM may be mapped cache-inhibited, but an
	 * address no RAM slot covers (MMIO) must be mapped with I=1.
	 */
	if (!ram && !(pr & HPTE_R_I))
		return H_PARAMETER;
	pv &= ~HPTE_V_HV_BITS;

	h = hpt_lock(v);
	if (!h || ptex >= h->nptes) {
		hpt_unlock(v);
		return H_PARAMETER;
	}
	if (flags & H_EXACT) {
		slot = ptex;
		if (load_v(h, slot) & HPTE_V_VALID) {
			hpt_unlock(v);
			return H_PTEG_FULL;
		}
	} else {
		uint64_t group = ptex & ~(uint64_t)(HPTES_PER_GROUP - 1);

		for (slot = group; slot < group + HPTES_PER_GROUP; slot++)
			if (!(load_v(h, slot) & HPTE_V_VALID))
				break;
		if (slot == group + HPTES_PER_GROUP) {
			hpt_unlock(v);
			return H_PTEG_FULL;
		}
	}
	/* Ignored for I/O pages (PAPR); a RAM page is cleared before it maps */
	if ((flags & H_ZERO_PAGE) && ram)
		vm_zero_phys(v->vm, raddr, psize);
	/*
	 * H_ICACHE_*: decoded code is keyed by physical page and dropped on
	 * every write to it, so there is nothing to synchronise. The slot was
	 * empty: nothing can hold a translation through it, no flush needed.
	 */
	hpte_publish(h, slot, pv, pr);
	hpt_unlock(v);
	cpu->gpr[4] = slot;
	return H_SUCCESS;
}

/* The H_REMOVE conditions: H_AVPN compares the AVPN, H_ANDCOND tests bits */
static bool remove_matches(uint64_t hv, uint64_t flags, uint64_t avpn)
{
	if (!(hv & HPTE_V_VALID))
		return false;
	if ((flags & H_AVPN) && (hv & HPTE_V_COMPARE) != avpn)
		return false;
	if ((flags & H_ANDCOND) && (hv & avpn))
		return false;
	return true;
}

/*
 * H_REMOVE (r4 flags, r5 PTEX, r6 AVPN or ANDCOND mask): invalidate one
 * entry; returns its old v and r (with the final R and C) in r4 and r5.
 */
int64_t h_remove(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t flags = cpu->gpr[4], ptex = cpu->gpr[5], avpn = cpu->gpr[6];
	uint64_t hv, hr;
	struct hpt *h;

	h = hpt_lock(v);
	if (!h || ptex >= h->nptes) {
		hpt_unlock(v);
		return H_PARAMETER;
	}
	hv = load_v(h, ptex);
	if (!remove_matches(hv, flags, avpn)) {
		hpt_unlock(v);
		return H_NOT_FOUND;
	}
	hpte_unpublish(h, ptex, hv);
	vm_flush_tlbs(v->vm);
	/* No walk is in flight now: r holds every R/C the old entry got */
	hr = load_r(h, ptex);
	hpte_publish(h, ptex, 0, 0);
	hpt_unlock(v);
	cpu->gpr[4] = hv;
	cpu->gpr[5] = hr;
	return H_SUCCESS;
}

/*
 * H_READ (r4 flags, r5 PTEX): the entry in r4/r5, or with H_READ_4 the four
 * entries from PTEX & ~3 in r4..r11. H_R_XLATE changes nothing: logical and
 * real addresses are the same in this partition.
 */
int64_t h_read(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t flags = cpu->gpr[4], ptex = cpu->gpr[5];
	unsigned n = 1;
	struct hpt *h;

	h = hpt_lock(v);
	if (!h || ptex >= h->nptes) {
		hpt_unlock(v);
		return H_PARAMETER;
	}
	if (flags & H_READ_4) {
		/* nptes is a multiple of 8: the 4 entries are in the table */
		ptex &= ~3ull;
		n = 4;
	}
	for (unsigned i = 0; i < n; i++) {
		cpu->gpr[4 + 2 * i] = load_v(h, ptex + i);
		cpu->gpr[5 + 2 * i] = load_r(h, ptex + i);
	}
	hpt_unlock(v);
	return H_SUCCESS;
}

/*
 * H_PROTECT (r4 flags, r5 PTEX, r6 AVPN): new PP0, PP, N and key bits from
 * the flags word: PP, N and key bits 2:4 in place (r's bits 0:2, 9:11),
 * key bits 0:1 from flags bits 12:13 and PP0 from flags bit 8, as PAPR and
 * Linux's pSeries_lpar_hpte_updatepp place them.
 */
int64_t h_protect(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t flags = cpu->gpr[4], ptex = cpu->gpr[5], avpn = cpu->gpr[6];
	uint64_t mask = HPTE_R_PP0 | HPTE_R_KEY_HI | HPTE_R_KEY_LO | HPTE_R_N | HPTE_R_PP;
	uint64_t bits, hv;
	struct hpt *h;

	bits = ((flags & H_PROTECT_PP0) << 55) | ((flags & H_PROTECT_KEY_HI) << 48) |
	       (flags & H_PROTECT_DIRECT);
	if (hpte_key(bits) == HPTE_KEY_HYPERVISOR)
		return H_PARAMETER;
	h = hpt_lock(v);
	if (!h || ptex >= h->nptes) {
		hpt_unlock(v);
		return H_PARAMETER;
	}
	hv = load_v(h, ptex);
	if (!(hv & HPTE_V_VALID) || ((flags & H_AVPN) && (hv & HPTE_V_COMPARE) != avpn)) {
		hpt_unlock(v);
		return H_NOT_FOUND;
	}
	hpte_unpublish(h, ptex, hv);
	vm_flush_tlbs(v->vm);
	/* Atomic: R and C set by the MMU stay, whatever it did before */
	__atomic_fetch_and(hpte_r(h, ptex), ~mask, __ATOMIC_RELAXED);
	__atomic_fetch_or(hpte_r(h, ptex), bits, __ATOMIC_RELAXED);
	__atomic_store_n(hpte_v(h, ptex), hv, __ATOMIC_RELEASE);
	hpt_unlock(v);
	return H_SUCCESS;
}

/*
 * H_BULK_REMOVE: up to four translation specifiers in r4..r11, each a high
 * word (type 01 request / 11 end, flags 00 absolute / 01 ANDCOND / 10 AVPN,
 * PTEX in the low 56 bits) and a low word (the AVPN or ANDCOND value). Each
 * processed high word is rewritten as a response (type 10) with its code:
 * 0 success (and the entry's R and C), 1 not found, 2 parameter error.
 * A parameter error stops the batch with H_PARAMETER; entries before it
 * are removed.
 */
int64_t h_bulk_remove(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	unsigned removed[BULK_MAX], nremoved = 0;
	int64_t ret = H_SUCCESS;
	struct hpt *h;

	h = hpt_lock(v);
	if (!h) {
		hpt_unlock(v);
		return H_HARDWARE;
	}
	for (unsigned i = 0; i < BULK_MAX; i++) {
		uint64_t tsh = cpu->gpr[4 + 2 * i], tsl = cpu->gpr[5 + 2 * i];
		uint64_t type = tsh >> TSH_TYPE_SHIFT;
		uint64_t tflags = (tsh >> TSH_FLAGS_SHIFT) & 3;
		uint64_t ptex = tsh & TSH_PTEX, resp, hv;

		if (type == TSH_END)
			break;
		resp = (TSH_RESPONSE << TSH_TYPE_SHIFT) | (tflags << TSH_FLAGS_SHIFT) | ptex;
		if (type != TSH_REQUEST || tflags == (TSH_ANDCOND | TSH_AVPN) || ptex >= h->nptes) {
			cpu->gpr[4 + 2 * i] = resp | (TSH_CODE_PARM << TSH_CODE_SHIFT);
			ret = H_PARAMETER;
			break;
		}
		hv = load_v(h, ptex);
		if (!remove_matches(hv,
				    (tflags & TSH_AVPN ? H_AVPN : 0) |
					    (tflags & TSH_ANDCOND ? H_ANDCOND : 0),
				    tsl)) {
			cpu->gpr[4 + 2 * i] = resp | (TSH_CODE_NOT_FOUND << TSH_CODE_SHIFT);
			continue;
		}
		hpte_unpublish(h, ptex, hv);
		cpu->gpr[4 + 2 * i] = resp;
		removed[nremoved++] = i;
	}
	if (nremoved) {
		vm_flush_tlbs(v->vm);
		for (unsigned k = 0; k < nremoved; k++) {
			unsigned i = removed[k];
			uint64_t ptex = cpu->gpr[4 + 2 * i] & TSH_PTEX;
			uint64_t hr = load_r(h, ptex);

			cpu->gpr[4 + 2 * i] |= (hr & (HPTE_R_R | HPTE_R_C)) << TSH_RC_SHIFT;
			hpte_publish(h, ptex, 0, 0);
		}
	}
	hpt_unlock(v);
	return ret;
}

/* H_CLEAR_REF / H_CLEAR_MOD (r4 flags, r5 PTEX): old r in r4, bit cleared */
static int64_t clear_rc(struct ppcvm_vcpu *v, uint64_t bit)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t ptex = cpu->gpr[5], old;
	struct hpt *h;

	h = hpt_lock(v);
	if (!h || ptex >= h->nptes) {
		hpt_unlock(v);
		return H_PARAMETER;
	}
	if (!(load_v(h, ptex) & HPTE_V_VALID)) {
		hpt_unlock(v);
		return H_NOT_FOUND;
	}
	old = __atomic_fetch_and(hpte_r(h, ptex), ~bit, __ATOMIC_RELAXED);
	/*
	 * A soft TLB entry stands for "R (for writes: C) already set": drop
	 * them so the next access through this entry sets the bit again.
	 */
	if (old & bit)
		vm_flush_tlbs(v->vm);
	hpt_unlock(v);
	cpu->gpr[4] = old;
	return H_SUCCESS;
}

int64_t h_clear_ref(struct ppcvm_vcpu *v)
{
	return clear_rc(v, HPTE_R_R);
}

int64_t h_clear_mod(struct ppcvm_vcpu *v)
{
	return clear_rc(v, HPTE_R_C);
}
