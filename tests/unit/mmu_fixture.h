/* SPDX-License-Identifier: MIT */
/*
 * A hashed page table for the bare CPU of cpu_fixture.h: struct hpt of
 * order 18 (the ISA minimum, 2048 groups) and helpers that insert HPTEs the
 * way a guest's H_ENTER would, computing the hash from the ISA formula
 * (Book III-S 5.7.7.3). fx_map_identity() makes the fixture's 1 MB usable
 * with translation on (problem state forces MSR[IR/DR]=1).
 */
#ifndef PPCVM_MMU_FIXTURE_H
#define PPCVM_MMU_FIXTURE_H

#include "cpu_fixture.h"
#include "mmu/hash.h"

#define MX_ORDER 18
/* The VSID fx_map_identity() gives segment 0 */
#define MX_VSID0 0x1234567ull

static inline struct hpt *mx_hpt_new(unsigned order)
{
	struct hpt *h = calloc(1, sizeof(*h));

	h->order = order;
	h->nptegs = 1ull << (order - 7);
	h->hash_mask = h->nptegs - 1;
	h->nptes = h->nptegs * HPTES_PER_GROUP;
	h->base = calloc(h->nptes * 2, sizeof(uint64_t));
	return h;
}

static inline void mx_hpt_free(struct hpt *h)
{
	if (h) {
		free(h->base);
		free(h);
	}
}

/* Attach a fresh table to the fixture's CPU */
static inline struct hpt *mx_attach(struct fx *f)
{
	struct hpt *h = mx_hpt_new(MX_ORDER);

	f->cpu->hpt = h;
	return h;
}

/* slbmte as the instruction does it: ESID word (V set), VSID word */
static inline void mx_slb(struct fx *f, unsigned idx, uint64_t ea, bool t1, uint64_t vsid,
			  uint64_t flags)
{
	uint64_t esid = (ea & (t1 ? 0xffffff0000000000ull : SLB_ESID_ESID)) | SLB_ESID_V;
	uint64_t vw = (t1 ? SLB_VSID_B_1T << SLB_VSID_B_SHIFT : 0) |
		      (vsid << (t1 ? SLB_VSID_SHIFT_1T : SLB_VSID_SHIFT)) | flags;

	slb_write(f->cpu, idx, esid, vw);
}

/* Primary hash of the page of ea (ISA 5.7.7.3), base page shift p */
static inline uint64_t mx_hash(uint64_t vsid, bool t1, uint64_t ea, unsigned p)
{
	uint64_t h;

	if (t1)
		h = vsid ^ (vsid << 25) ^ ((ea & 0xffffffffffull) >> p);
	else
		h = vsid ^ ((ea & 0xfffffffull) >> p);
	return h & ((1ull << 39) - 1);
}

/* HPTE doubleword 0 for the page of ea: B, AVA = VA >> 23, L, H, V */
static inline uint64_t mx_v(uint64_t vsid, bool t1, uint64_t ea, unsigned p, bool secondary)
{
	uint64_t ava = t1 ? (vsid << 17) | ((ea & 0xffffffffffull) >> 23)
			  : (vsid << 5) | ((ea & 0xfffffffull) >> 23);

	ava &= (1ull << 55) - 1;
	if (p > 23)
		ava &= ~((1ull << (p - 23)) - 1); /* as Linux encodes it */
	return ((uint64_t)t1 << 62) | (ava << 7) | (p > 12 ? HPTE_V_LARGE : 0) |
	       (secondary ? HPTE_V_SECONDARY : 0) | HPTE_V_VALID;
}

/*
 * Insert the page of ea into the primary (or secondary) group at slot
 * (-1: first free). r: everything but the LP bits, which are added for p.
 * Returns the HPTE index, or -1 if the group is full.
 */
static inline int64_t mx_insert(struct hpt *h, uint64_t vsid, bool t1, uint64_t ea, unsigned p,
				uint64_t r, bool secondary, int slot)
{
	uint64_t hash = mx_hash(vsid, t1, ea, p);
	uint64_t grp = (secondary ? ~hash : hash) & h->hash_mask;

	if (p == 16)
		r = (r & ~0xf000ull) | 0x1000ull; /* LP 0x1: 64 KB */
	for (int i = 0; i < HPTES_PER_GROUP; i++) {
		uint64_t ix = grp * HPTES_PER_GROUP + (uint64_t)i;

		if (slot >= 0 && i != slot)
			continue;
		if (slot < 0 && (h->base[2 * ix] & HPTE_V_VALID))
			continue;
		h->base[2 * ix + 1] = r;
		h->base[2 * ix] = mx_v(vsid, t1, ea, p, secondary);
		return (int64_t)ix;
	}
	return -1;
}

/*
 * Map the fixture's RAM 1:1 with 4 KB pages in SLB entry 0 (ESID 0, VSID
 * MX_VSID0, Ks=0 Kp=1), PP=0b010: read/write in both states.
 */
static inline struct hpt *fx_map_identity(struct fx *f)
{
	struct hpt *h = f->cpu->hpt ? f->cpu->hpt : mx_attach(f);

	mx_slb(f, 0, 0, false, MX_VSID0, SLB_VSID_KP);
	for (uint64_t pa = 0; pa < FX_RAM; pa += 4096)
		mx_insert(h, MX_VSID0, false, pa, 12, pa | 2, false, -1);
	return h;
}

#endif
