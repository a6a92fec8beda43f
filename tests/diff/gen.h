/* SPDX-License-Identifier: MIT */
/*
 * Differential test generator: random sequences of user-mode fixed-point,
 * FP, VMX and VSX instructions (ISA 2.07 Book I chapters 3-7) packed into one position-dependent
 * blob that runs at GEN_BASE, both under qemu-ppc64[le] user mode and in
 * ppcvm.
 *
 * Blob layout (offsets from GEN_BASE):
 *   0x0000              b code            (entry point)
 *   GEN_DATA_OFF        n records of GEN_STRIDE bytes: a GEN_BUF byte memory
 *                       buffer the sequence loads from / stores to, then the
 *                       result record (GEN_REC_* u64 slots, guest byte order)
 *   code                the sequences, one after the other, then the tail:
 *                       write(1, data, n * GEN_STRIDE); exit(0) with "sc".
 *
 * Each sequence is generated from its own PRNG state derived from (seed,
 * index), so any one sequence can be regenerated alone.
 */
#ifndef PPCVM_DIFF_GEN_H
#define PPCVM_DIFF_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_BASE     0x20000000ull
#define GEN_DATA_OFF 0x1000u
#define GEN_BUF	     256u
#define GEN_REC_CR   0
#define GEN_REC_XER  1
#define GEN_REC_LR   2
/* slots 3..31: r3..r31 */
#define GEN_REC_CTR 32
/*
 * FP/vector sequences only (zero in the others): FPSCR as mffs leaves it
 * (low word), VSCR as mfvscr leaves it (two slots, VSCR in the low word of
 * the second), then GEN_NVSR VSRs of two slots each (doubleword 0, 1):
 * VSR 0..11 (FPR 0..11) and VSR 32..43 (VR 0..11). Before the sequence runs
 * these slots hold its initial FPSCR, VSCR and VSRs.
 */
#define GEN_REC_FPSCR 33
#define GEN_REC_VSCR  34
#define GEN_REC_VSR   36
#define GEN_NVSR      24
#define GEN_REC_SLOTS (GEN_REC_VSR + 2 * GEN_NVSR)
/* a multiple of 16, so that buffers are quadword aligned (lvx, stvx) */
#define GEN_STRIDE   (GEN_BUF + GEN_REC_SLOTS * 8 + 16)
#define GEN_MAX_BODY 256 /* instruction words in one body */

struct gen_seq {
	uint32_t code_off;	     /* first word of the sequence */
	uint32_t body_off, body_len; /* random part, in words */
	uint32_t end_off;	     /* first word after the sequence */
	uint32_t data_off;	     /* buffer, then record */
	uint64_t init_gpr[32];
	uint32_t init_cr;
	uint64_t init_xer, init_lr, init_ctr;
	uint8_t init_buf[GEN_BUF];
	bool fp; /* FP/VMX/VSX sequence */
	uint64_t init_fpscr;
	uint32_t init_vscr;
	uint64_t init_vsr[GEN_NVSR][2];
};

/* VSR number of record VSR index k (0..GEN_NVSR-1) */
static inline unsigned gen_vsr_num(unsigned k)
{
	return k < GEN_NVSR / 2 ? k : 32 + k - GEN_NVSR / 2;
}

struct gen_blob {
	bool le;
	uint64_t seed;
	unsigned first, n; /* sequence indexes first..first+n-1 */
	uint8_t *mem;	   /* the blob image */
	size_t size;
	size_t code_off;    /* where the sequences start */
	size_t tail_off;    /* the write/exit tail */
	size_t tail_sc_off; /* offset of the write "sc" */
	size_t data_size;   /* n * GEN_STRIDE */
	struct gen_seq *seq;
};

/* If nonzero: every sequence stops after this many random units (to find
 * the unit where a differing sequence first differs) */
extern unsigned gen_unit_limit;

/* Build the blob for sequences first..first+n-1 of seed. 0 or -1. */
int gen_build(struct gen_blob *b, uint64_t seed, unsigned first, unsigned n, bool le);
void gen_free(struct gen_blob *b);

/* Read a 32-bit word / 64-bit value stored in guest byte order */
uint32_t gen_ld32(const uint8_t *p, bool le);
uint64_t gen_ld64(const uint8_t *p, bool le);

#endif
