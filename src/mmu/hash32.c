/* SPDX-License-Identifier: MIT */
/*
 * 32-bit Book3S MMU of the 750 and 7447A: BATs, segment registers and the
 * hashed page table in guest memory (PowerPC PEM 32-bit chapter 7, 750 UM
 * chapter 5, MPC7450 RM chapter 5).
 *
 * Unlike the 64-bit partition, the page table belongs to the guest: it is
 * read from guest RAM on every soft-TLB miss, and R/C are written back into
 * it. The soft TLB stays coherent with the table because the guest must
 * tlbie (or write a BAT/SR/SDR1) after changing a PTE, which flushes it;
 * a page whose C is 0 is only ever put in the read TLB (mem.c), so the first
 * store comes back here and sets C.
 *
 * Where the manuals call a setting a programming error (BEPI or BRPN bits
 * under the BL mask, HTABORG bits under HTABMASK) this does what QEMU does,
 * so a guest's results agree with QEMU's: BEPI is compared unmasked, BRPN
 * is masked, the PTEG offset is added to HTABORG (may carry past 4 GB, then
 * no memory is there and no PTE is found).
 */
#include "mmu/hash32.h"

#include "mmu/mem.h"

static inline uint32_t be32_host(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

/* BATs 4-7 exist only on the 7447A, used with HID0[HIGH_BAT_EN] (7450 RM 2.1.5.1) */
static unsigned bat_count(const struct ppc_cpu *cpu)
{
	if (cpu->model == CPU_7447A && (cpu->spr[SPR_HID0_32] & HID0_HIGH_BAT_EN))
		return 8;
	return 4;
}

/*
 * Block address translation (PEM 7.4): the first BAT valid in this state
 * (Vs for supervisor, Vp for problem state) whose BEPI matches the EA under
 * the BL mask. Returns its index or -1.
 */
static int bat_lookup(const struct ppc_cpu *cpu, uint32_t ea, bool fetch, uint32_t *batl,
		      uint32_t *ra)
{
	const uint32_t(*bat)[2] = fetch ? cpu->ibat : cpu->dbat;
	uint32_t valid = cpu->pr ? BATU_VP : BATU_VS;
	unsigned n = bat_count(cpu);

	for (unsigned i = 0; i < n; i++) {
		uint32_t u = bat[i][0], mask;

		if (!(u & valid))
			continue;
		mask = BATU_BEPI & ~((u & BATU_BL) << BATU_BL_SHIFT);
		if ((ea & mask) != (u & BATU_BEPI))
			continue;
		*batl = bat[i][1];
		*ra = (bat[i][1] & mask) | (ea & ~mask);
		return (int)i;
	}
	return -1;
}

/* Host pointer to the 8-byte PTE at guest physical pa, NULL if not in RAM */
static uint32_t *pte_host(struct ppc_cpu *cpu, uint64_t pa, struct memslot **sp)
{
	struct memslot *s = physmap_find(cpu->pm, pa);

	if (!s || s->size < 8 || pa - s->gpa > s->size - 8)
		return NULL;
	*sp = s;
	return (uint32_t *)(s->host + (pa - s->gpa));
}

/*
 * Search one PTEG (PEM 7.6.2) for word 0 == want (V, VSID, H, API). Returns
 * the PTE's host pointer (word 0) or NULL; *pa and *slot locate it.
 */
static uint32_t *pteg_search(struct ppc_cpu *cpu, uint64_t pteg, uint32_t want, uint64_t *pa,
			     struct memslot **slot, uint32_t *w1)
{
	for (unsigned i = 0; i < 8; i++) {
		uint64_t p = pteg + 8 * i;
		uint32_t *e = pte_host(cpu, p, slot);
		uint32_t w0;

		if (!e)
			continue;
		/* Word 0 (with V) before word 1, as the guest writes them */
		w0 = be32_host(__atomic_load_n(&e[0], __ATOMIC_ACQUIRE));
		if (w0 != want)
			continue;
		*w1 = be32_host(__atomic_load_n(&e[1], __ATOMIC_ACQUIRE));
		*pa = p;
		return e;
	}
	return NULL;
}

/* Physical address of the PTEG for hash (PEM 7.6.1.1, Figure 7-17) */
static uint64_t pteg_addr(uint32_t sdr1, uint32_t hash)
{
	uint32_t mask = ((sdr1 & SDR1_HTABMASK) << 16) | 0xffc0u;

	return (uint64_t)(sdr1 & SDR1_HTABORG) + ((hash << 6) & mask);
}

#define PROT_R 1u
#define PROT_W 2u

/* PP with key K (PEM Table 7-10) */
static unsigned pp_prot32(unsigned pp, bool key)
{
	if (!key)
		return pp == 3 ? PROT_R : PROT_R | PROT_W;
	return pp == 0 ? 0 : pp == 2 ? PROT_R | PROT_W : PROT_R;
}

static int fault(struct hash_xlate *x, enum hash_acc acc, uint64_t why)
{
	if (acc == HACC_FETCH) {
		x->vec = VEC_ISI;
		x->bits = why;
	} else {
		x->vec = VEC_DSI;
		x->bits = why | (acc == HACC_WRITE ? DSISR_STORE : 0);
	}
	return 1;
}

/* Set R (and C) in the PTE's word 1 in guest memory (PEM 7.6.3) */
static void pte_set_rc(struct ppc_cpu *cpu, struct memslot *s, uint64_t pa, uint32_t *e,
		       uint32_t need)
{
	uint64_t pg = (pa - s->gpa) >> 12;
	bool code;

	if (s->flags & SLOT_READONLY)
		return; /* a table in ROM: the update goes nowhere */
	/* A table page also decoded as code: drop the decode, as a store does */
	code = s->code && s->code[pg];
	if (code)
		cpu_code_written(cpu, pa & ~0xfffull);
	__atomic_fetch_or(&e[1], be32_host(need), __ATOMIC_ACQ_REL);
	if (code)
		cpu_code_publish(cpu, pa & ~0xfffull);
	if ((s->flags & SLOT_LOG_DIRTY) && s->dirty)
		__atomic_fetch_or(&s->dirty[pg / 64], 1ull << (pg % 64), __ATOMIC_RELAXED);
}

int hash32_translate(struct ppc_cpu *cpu, uint64_t ea64, enum hash_acc acc, unsigned flags,
		     struct hash_xlate *x)
{
	uint32_t ea = (uint32_t)ea64, sr, vsid, pgidx, hash, want, w1 = 0;
	uint32_t batl, ra, sdr1;
	uint64_t pa = 0, why = 0;
	struct memslot *slot = NULL;
	uint32_t *e = NULL;
	unsigned prot;
	bool fetch = acc == HACC_FETCH;

	x->vec = 0;
	x->bits = 0;
	x->key = 0;
	x->pshift = 12;
	x->ptex = 0;

	/* 1. BATs take precedence over the segment/page translation */
	if (bat_lookup(cpu, ea, fetch, &batl, &ra) >= 0) {
		/* PP 00 no access, x1 read only, 10 read/write (PEM Table 7-7) */
		unsigned pp = batl & BATL_PP;

		if (fetch) {
			/* Fetch from guarded memory: ISI SRR1[3] (750 UM Table 5-3) */
			if (batl & BATL_G)
				why |= SRR1_ISI_NOEXEC;
			if (!pp)
				why |= SRR1_ISI_PROT;
		} else if (!pp || (acc == HACC_WRITE && pp != 2)) {
			why = DSISR_PROT;
		}
		if (why)
			return fault(x, acc, why);
		x->ra = ra;
		x->r = batl & BATL_WIMG;
		return 0;
	}

	/* 2. The segment register */
	sr = cpu->sr[ea >> 28];
	if (sr & SR32_T) {
		/*
		 * Direct-store segment: neither the 750 nor the 7447A has the
		 * interface. Fetch: ISI SRR1[3]; load/store: DSI DSISR[5]
		 * (750 UM 4.5.3, Table 5-3; 7450 RM 4.6.3).
		 */
		return fault(x, acc, fetch ? SRR1_ISI_NOEXEC : DSISR_DIRECT_STORE);
	}
	/* No-execute segment, checked before the table (PEM 7.5.2) */
	if (fetch && (sr & SR32_N))
		return fault(x, acc, SRR1_ISI_NOEXEC);

	/* 3. Primary then secondary PTEG (PEM 7.6.2) */
	vsid = sr & SR32_VSID;
	pgidx = (ea >> 12) & 0xffff;
	hash = (vsid ^ pgidx) & 0x7ffff;
	want = PTE32_V | (vsid << PTE32_VSID_SHIFT) | (pgidx >> 10);
	sdr1 = (uint32_t)cpu->spr[SPR_SDR1];
	e = pteg_search(cpu, pteg_addr(sdr1, hash), want, &pa, &slot, &w1);
	if (!e)
		e = pteg_search(cpu, pteg_addr(sdr1, ~hash), want | PTE32_H, &pa, &slot, &w1);
	if (!e)
		return fault(x, acc, fetch ? SRR1_ISI_NOPTE : DSISR_NOPTE);
	x->ptex = pa;
	x->r = w1;

	/* 4. Protection: PP with Ks (supervisor) or Kp (problem state) */
	prot = pp_prot32(w1 & PTE32_PP, sr & (cpu->pr ? SR32_KP : SR32_KS));
	if (fetch) {
		/* Guarded page: no fetch (PEM 7.5.2, 750 UM Table 5-3) */
		if (w1 & PTE32_G)
			why |= SRR1_ISI_NOEXEC;
		if (!(prot & PROT_R))
			why |= SRR1_ISI_PROT;
	} else if (!(prot & (acc == HACC_WRITE ? PROT_W : PROT_R))) {
		why = DSISR_PROT;
	}
	if (why)
		return fault(x, acc, why);

	/* 5. R on every access, C on a store, in the guest's PTE */
	if (flags & HX_SET_RC) {
		uint32_t need = PTE32_R | (acc == HACC_WRITE ? PTE32_C : 0);

		if ((w1 & need) != need)
			pte_set_rc(cpu, slot, pa, e, need);
	}
	x->ra = (w1 & PTE32_RPN) | (ea & 0xfff);
	return 0;
}
