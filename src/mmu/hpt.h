/* SPDX-License-Identifier: MIT */
/*
 * The hashed page table (ISA 2.07 Book III-S 5.7.7) as the core owns it for
 * a PAPR partition: the guest never addresses it, it only reads and changes
 * entries through hypercalls (H_ENTER, H_REMOVE, H_READ...). So entries are
 * kept as two host-order 64-bit words; the bit layout is the architected one
 * (same values as Linux's HPTE_V_* / HPTE_R_*), which is also what H_READ
 * returns and H_ENTER takes.
 */
#ifndef PPCVM_HPT_H
#define PPCVM_HPT_H

#include <stdint.h>

/* Doubleword 0 ("v") */
#define HPTE_V_SSIZE_SHIFT 62 /* B: 0 = 256 MB segment, 1 = 1 TB */
#define HPTE_V_1TB_SEG	   (1ull << 62)
#define HPTE_V_AVPN_SHIFT  7
#define HPTE_V_AVPN	   0x3fffffffffffff80ull /* AVA: VA bits 0:54 (va >> 23) */
#define HPTE_V_BOLTED	   0x10ull		 /* software bit Linux uses */
#define HPTE_V_SW	   0x78ull		 /* software bits 57:60 */
#define HPTE_V_LARGE	   0x4ull		 /* L */
#define HPTE_V_SECONDARY   0x2ull		 /* H */
#define HPTE_V_VALID	   0x1ull		 /* V */

/* Doubleword 1 ("r") */
#define HPTE_R_PP0    0x8000000000000000ull
#define HPTE_R_KEY_HI 0x3000000000000000ull /* key bits 0:1 */
#define HPTE_R_RPN    0x0ffffffffffff000ull /* ARPN (with LP in low bits) */
#define HPTE_R_KEY_LO 0xe00ull		    /* key bits 2:4 */
#define HPTE_R_R      0x100ull
#define HPTE_R_C      0x80ull
#define HPTE_R_W      0x40ull
#define HPTE_R_I      0x20ull
#define HPTE_R_M      0x10ull
#define HPTE_R_G      0x8ull
#define HPTE_R_WIMG   0x78ull
#define HPTE_R_N      0x4ull
#define HPTE_R_PP     0x3ull

/* 5-bit storage key of an HPTE (ISA 5.7.13) */
static inline unsigned hpte_key(uint64_t r)
{
	return (unsigned)(((r & HPTE_R_KEY_HI) >> 57) | ((r & HPTE_R_KEY_LO) >> 9));
}

/* The key the hypervisor keeps for itself (seeds/002): guests may not use it */
#define HPTE_KEY_HYPERVISOR 31

#define HPTES_PER_GROUP 8
#define HPTE_BYTES	16

/*
 * The table: 2^order bytes, 2^(order - 7) groups of 8 entries. Minimum
 * order 18 (256 KB, ISA), we use 24 (16 MB) or more as QEMU does.
 */
struct hpt {
	uint64_t *base;	    /* entries: base[2 * i] = v, base[2 * i + 1] = r */
	unsigned order;	    /* log2 of the size in bytes: ibm,pft-size */
	uint64_t nptegs;    /* number of groups */
	uint64_t hash_mask; /* nptegs - 1 */
	uint64_t nptes;	    /* number of entries */
};

#endif
