/* SPDX-License-Identifier: MIT */
/*
 * Book3S-64 hash MMU (ISA 2.07 Book III-S 5.7.6 - 5.7.13) for a partition:
 * SLB, hashed page table search, protection, R/C. The table belongs to the
 * core (cpu->hpt) and is changed by hypercalls only; those flush every
 * vCPU's soft TLB before they return (vm_flush_tlbs), so what the soft TLB
 * holds is always something this code computed from the current table.
 *
 * Page sizes are the ones ibm,segment-page-sizes advertises: 4 KB pages in
 * 4 KB segments, 64 KB pages in 64 KB segments, 16 MB pages in 16 MB
 * segments. Any other combination is "no match" (ISA: undefined results).
 */
#include "mmu/hash.h"
#include "cpu/magic.h"

#include "mmu/mem.h"

/* The hash function keeps 39 bits (ISA 2.07 5.7.7.3) */
#define HASH_BITS_MASK ((1ull << 39) - 1)
/* AVA: VA bits 0:54 of a 78-bit VA */
#define AVA_MASK ((1ull << 55) - 1)

/* ---- Soft TLB ------------------------------------------------------- */

void tlb_flush_range(struct ppc_cpu *cpu, uint64_t base, uint64_t size)
{
	for (int i = 0; i < TLB_SIZE; i++) {
		if (cpu->tlb_read[i].tag - base < size)
			cpu->tlb_read[i].tag = ~0ull;
		if (cpu->tlb_write[i].tag - base < size)
			cpu->tlb_write[i].tag = ~0ull;
		if (cpu->tlb_fetch[i].tag - base < size)
			cpu->tlb_fetch[i].tag = ~0ull;
	}
}

/* Keys whose 2-bit AMR/IAMR field differs between a and b */
static uint32_t keys_changed(uint64_t a, uint64_t b, uint64_t field)
{
	uint64_t diff = a ^ b;
	uint32_t keys = 0;

	for (unsigned k = 0; k < 32; k++)
		if ((diff >> amr_shift(k)) & field)
			keys |= 1u << k;
	return keys;
}

void mmu_amr_changed(struct ppc_cpu *cpu, uint64_t old, uint64_t nval)
{
	if (!(keys_changed(old, nval, 3) & cpu->tlb_keys_data))
		return;
	for (int i = 0; i < TLB_SIZE; i++) {
		cpu->tlb_read[i].tag = ~0ull;
		cpu->tlb_write[i].tag = ~0ull;
	}
	cpu->tlb_keys_data = 0;
}

void mmu_iamr_changed(struct ppc_cpu *cpu, uint64_t old, uint64_t nval)
{
	if (!(keys_changed(old, nval, IAMR_FETCH_DIS) & cpu->tlb_keys_fetch))
		return;
	for (int i = 0; i < TLB_SIZE; i++)
		cpu->tlb_fetch[i].tag = ~0ull;
	cpu->tlb_keys_fetch = 0;
}

/* ---- SLB ------------------------------------------------------------ */

static void slb_cache_clear(struct ppc_cpu *cpu)
{
	memset(cpu->slbc_tag, 0, sizeof(cpu->slbc_tag));
}

static unsigned llp_page_shift(uint64_t vsid)
{
	switch (vsid & SLB_VSID_LLP) {
	case SLB_LLP_4K:
		return 12;
	case SLB_LLP_64K:
		return 16;
	case SLB_LLP_16M:
		return 24;
	default:
		return 0;
	}
}

int slb_lookup(struct ppc_cpu *cpu, uint64_t ea)
{
	uint64_t tag = (ea >> SEG_SHIFT_256M) + 1;
	unsigned h = (unsigned)(ea >> SEG_SHIFT_256M) & (SLB_CACHE - 1);

	if (cpu->slbc_tag[h] == tag)
		return cpu->slbc_idx[h];
	/* Overlapping entries are a guest error: the first one wins */
	for (int i = 0; i < SLB_SIZE; i++) {
		const struct slb_entry *s = &cpu->slb[i];

		if (s->valid && (ea & s->seg_mask) == s->ea_base) {
			/* Same 256 MB ESID gives the same answer until the
			 * SLB changes (which clears the cache) */
			cpu->slbc_tag[h] = tag;
			cpu->slbc_idx[h] = (uint8_t)i;
			return i;
		}
	}
	return -1;
}

static void slb_flush_segment(struct ppc_cpu *cpu, const struct slb_entry *s)
{
	tlb_flush_range(cpu, s->ea_base, ~s->seg_mask + 1);
}

void slb_write(struct ppc_cpu *cpu, unsigned idx, uint64_t esid, uint64_t vsid)
{
	struct slb_entry *s = &cpu->slb[idx % SLB_SIZE];
	uint64_t b;

	/* What translated through the old entry may now translate otherwise */
	if (s->valid)
		slb_flush_segment(cpu, s);
	s->esid = esid & (SLB_ESID_ESID | SLB_ESID_V);
	s->vsid = vsid & SLB_VSID_DEFINED;
	b = s->vsid >> SLB_VSID_B_SHIFT;
	/* B = 0b1x is reserved on POWER8: such an entry never matches */
	s->valid = (s->esid & SLB_ESID_V) && b <= SLB_VSID_B_1T;
	if (b == SLB_VSID_B_1T) {
		s->seg_mask = ~((1ull << SEG_SHIFT_1T) - 1);
		s->vsid_num = (s->vsid & SLB_VSID_VSID) >> SLB_VSID_SHIFT_1T;
	} else {
		s->seg_mask = ~((1ull << SEG_SHIFT_256M) - 1);
		s->vsid_num = (s->vsid & SLB_VSID_VSID) >> SLB_VSID_SHIFT;
	}
	/* For 1 TB segments ESID bits 24:35 are ignored */
	s->ea_base = s->esid & SLB_ESID_ESID & s->seg_mask;
	s->pshift = (uint8_t)llp_page_shift(s->vsid);
	if (s->valid)
		slb_flush_segment(cpu, s);
	slb_cache_clear(cpu);
}

/*
 * slbie (ISA 2.07 5.9.3.2): invalidate the entry for ESID with segment
 * size B. The class bit C is not compared: invalidating a matching entry
 * of the other class can only cost the guest a segment fault, never a
 * stale translation.
 */
void slb_invalidate(struct ppc_cpu *cpu, uint64_t rb)
{
	uint64_t b = (rb >> SLBIE_B_SHIFT) & 3;
	uint64_t ea = rb & SLB_ESID_ESID;

	for (int i = 0; i < SLB_SIZE; i++) {
		struct slb_entry *s = &cpu->slb[i];

		if (s->valid && (s->vsid >> SLB_VSID_B_SHIFT) == b &&
		    (ea & s->seg_mask) == s->ea_base) {
			s->esid &= ~SLB_ESID_V;
			s->valid = 0;
		}
	}
	/* Lookaside information for the segment goes too, found or not */
	tlb_flush_range(cpu, ea & ~((1ull << (b ? SEG_SHIFT_1T : SEG_SHIFT_256M)) - 1),
			1ull << (b ? SEG_SHIFT_1T : SEG_SHIFT_256M));
	slb_cache_clear(cpu);
}

/* slbia, IH=0 (ISA 2.07 5.9.3.3): all entries except entry 0 */
void slb_invalidate_all(struct ppc_cpu *cpu)
{
	for (int i = 1; i < SLB_SIZE; i++) {
		cpu->slb[i].esid &= ~SLB_ESID_V;
		cpu->slb[i].valid = 0;
	}
	cpu_tlb_flush(cpu);
	cpu->tlb_keys_data = 0;
	cpu->tlb_keys_fetch = 0;
	slb_cache_clear(cpu);
}

void slb_reset(struct ppc_cpu *cpu)
{
	memset(cpu->slb, 0, sizeof(cpu->slb));
	cpu_tlb_flush(cpu);
	cpu->tlb_keys_data = 0;
	cpu->tlb_keys_fetch = 0;
	slb_cache_clear(cpu);
}

/* ---- Hashed page table search ---------------------------------------- */

/* Page shift of an HPTE in a segment of base page shift base, 0 if none */
static unsigned hpte_page_shift(unsigned base, uint64_t v, uint64_t r)
{
	if (!(v & HPTE_V_LARGE))
		return base == 12 ? 12 : 0;
	/* L=1: the LP encoding sits in the low RPN bits (ISA 5.7.7.1) */
	if (base == 16 && (r & 0xf000ull) == 0x1000ull)
		return 16;
	if (base == 24 && (r & 0xfff000ull) == 0)
		return 24;
	return 0;
}

int64_t hpt_search(const struct hpt *hpt, const struct slb_entry *s, uint64_t ea, uint64_t *v,
		   uint64_t *r, unsigned *pshift)
{
	unsigned p = s->pshift;
	uint64_t b = s->vsid >> SLB_VSID_B_SHIFT;
	uint64_t off, hash, ava, want, mask;

	if (!hpt || !hpt->base || !p)
		return -1;
	off = ea & ~s->seg_mask;
	/* VA = VSID || offset; hash on the segment's base page size */
	if (b == SLB_VSID_B_1T) {
		hash = s->vsid_num ^ (s->vsid_num << 25) ^ (off >> p);
		ava = (s->vsid_num << (SEG_SHIFT_1T - 23)) | (off >> 23);
	} else {
		hash = s->vsid_num ^ (off >> p);
		ava = (s->vsid_num << (SEG_SHIFT_256M - 23)) | (off >> 23);
	}
	hash &= HASH_BITS_MASK;
	ava &= AVA_MASK;
	want = (b << HPTE_V_SSIZE_SHIFT) | (ava << HPTE_V_AVPN_SHIFT) | HPTE_V_VALID;
	mask = (3ull << HPTE_V_SSIZE_SHIFT) | HPTE_V_AVPN | HPTE_V_SECONDARY | HPTE_V_VALID;
	/* AVA bits inside the page offset of a large page are not compared */
	if (p > 23)
		mask &= ~(((1ull << (p - 23)) - 1) << HPTE_V_AVPN_SHIFT);
	want &= mask;
	for (unsigned h = 0; h < 2; h++) {
		uint64_t grp = (h ? ~hash : hash) & hpt->hash_mask;
		uint64_t *e = hpt->base + grp * HPTES_PER_GROUP * 2;
		uint64_t w = want | (h ? HPTE_V_SECONDARY : 0);

		for (unsigned i = 0; i < HPTES_PER_GROUP; i++) {
			uint64_t ev = __atomic_load_n(&e[2 * i], __ATOMIC_ACQUIRE);
			uint64_t er;

			if ((ev & mask) != w)
				continue;
			er = __atomic_load_n(&e[2 * i + 1], __ATOMIC_ACQUIRE);
			if (hpte_page_shift(p, ev, er) != p)
				continue;
			*v = ev;
			*r = er;
			*pshift = p;
			return (int64_t)(grp * HPTES_PER_GROUP + i);
		}
	}
	return -1;
}

/* ---- Protection ------------------------------------------------------ */

#define PROT_R 1u
#define PROT_W 2u

/* PP0||PP1||PP2 with key K (ISA 2.07 5.7.9.1); reserved PP: no access */
static unsigned pp_prot(unsigned pp, unsigned k)
{
	if (!k) {
		switch (pp) {
		case 0:
		case 1:
		case 2:
			return PROT_R | PROT_W;
		case 3:
		case 6:
			return PROT_R;
		default:
			return 0;
		}
	}
	switch (pp) {
	case 1:
	case 3:
		return PROT_R;
	case 2:
		return PROT_R | PROT_W;
	default:
		return 0;
	}
}

int hash_translate(struct ppc_cpu *cpu, uint64_t ea, enum hash_acc acc, unsigned flags,
		   struct hash_xlate *x)
{
	const struct slb_entry *s;
	const struct hpt *hpt;
	uint64_t v, r, need;
	unsigned pp, prot, shift;
	int64_t ptex;
	int idx, tries = 0;

	x->vec = 0;
	x->bits = 0;
again:
	/* One table for the whole walk: the core may re-allocate it */
	hpt = __atomic_load_n(&cpu->hpt, __ATOMIC_ACQUIRE);
	idx = slb_lookup(cpu, ea);
	if (idx < 0) {
		x->vec = acc == HACC_FETCH ? VEC_ISEG : VEC_DSEG;
		return 1;
	}
	s = &cpu->slb[idx];
	/* Segment no-execute is checked before the table (as QEMU) */
	if (acc == HACC_FETCH && (s->vsid & SLB_VSID_N) && !pv_nx_relaxed(cpu)) {
		x->vec = VEC_ISI;
		x->bits = SRR1_ISI_NOEXEC;
		return 1;
	}
	ptex = hpt_search(hpt, s, ea, &v, &r, &x->pshift);
	if (ptex < 0) {
		if (acc == HACC_FETCH) {
			x->vec = VEC_ISI;
			x->bits = SRR1_ISI_NOPTE;
		} else {
			x->vec = VEC_DSI;
			x->bits = DSISR_NOPTE | (acc == HACC_WRITE ? DSISR_STORE : 0);
		}
		return 1;
	}
	x->ptex = (uint64_t)ptex;
	x->r = r;
	x->key = hpte_key(r);
	shift = amr_shift(x->key);
	pp = (unsigned)(((r & HPTE_R_PP0) >> 61) | (r & HPTE_R_PP));
	prot = pp_prot(pp, !!(s->vsid & (cpu->pr ? SLB_VSID_KP : SLB_VSID_KS)));
	if (acc == HACC_FETCH) {
		/* Fetch needs read authority, N=0 and G=0 (ISA 5.7.9) */
		if (r & (pv_nx_relaxed(cpu) ? HPTE_R_G : HPTE_R_N | HPTE_R_G))
			x->bits |= SRR1_ISI_NOEXEC;
		else if (!(prot & PROT_R))
			x->bits |= SRR1_ISI_PROT;
		/* IAMR applies in problem and privileged state (5.7.13) */
		if ((cpu->spr[SPR_IAMR] >> shift) & IAMR_FETCH_DIS)
			x->bits |= SRR1_ISI_KEY;
		if (x->bits) {
			x->vec = VEC_ISI;
			return 1;
		}
	} else {
		bool st = acc == HACC_WRITE;

		if (!(prot & (st ? PROT_W : PROT_R)))
			x->bits |= DSISR_PROT;
		if ((cpu->spr[SPR_AMR] >> shift) & (st ? AMR_STORE_DIS : AMR_LOAD_DIS))
			x->bits |= DSISR_KEY;
		if (x->bits) {
			x->bits |= st ? DSISR_STORE : 0;
			x->vec = VEC_DSI;
			return 1;
		}
	}
	/* R on every access, C on a store, atomically (ISA 5.7.8) */
	need = HPTE_R_R | (acc == HACC_WRITE ? HPTE_R_C : 0);
	if ((flags & HX_SET_RC) && (r & need) != need) {
		uint64_t *w = &hpt->base[2 * (uint64_t)ptex];

		__atomic_fetch_or(&w[1], need, __ATOMIC_ACQ_REL);
		/*
		 * A hypercall may have replaced the entry meanwhile: translate
		 * again so the access uses what the table holds now.
		 */
		if (__atomic_load_n(&w[0], __ATOMIC_ACQUIRE) != v && ++tries < 4)
			goto again;
	}
	x->ra = ((r & HPTE_R_RPN) & ~((1ull << x->pshift) - 1)) | (ea & ((1ull << x->pshift) - 1));
	return 0;
}
