/* SPDX-License-Identifier: MIT */
/*
 * Instruction decoder: primary opcode table plus one extended-opcode table
 * per primary opcode that has one. Instruction files register handlers with
 * decode_register(); decode_insn() fills a struct dinsn with the handler and
 * its operands, once per instruction word when a code page is decoded.
 */
#include <pthread.h>
#include <stdlib.h>

#include "cpu/cpu.h"

struct opent {
	insn_fn fn;
	insn_fn fn_rc;
	insn_select_fn select;
	uint8_t form;
};

struct optab {
	unsigned shift;
	unsigned bits;
	struct opent *ent;
};

static struct opent primary[64];
static struct optab ext[64];

/* Where each primary opcode keeps its extended opcode (see cpu.h) */
static const struct {
	uint8_t opcd, shift, bits;
} ext_layout[] = {
	{ 4, 0, 11 },  { 19, 1, 10 }, { 30, 1, 4 }, { 31, 1, 10 }, { 57, 0, 2 },  { 58, 0, 2 },
	{ 59, 1, 10 }, { 60, 1, 10 }, { 61, 0, 2 }, { 62, 0, 2 },  { 63, 1, 10 },
};

static struct opent *decode_entry(unsigned opcd, int xo)
{
	struct optab *t = &ext[opcd];

	if (xo < 0)
		return &primary[opcd];
	if (!t->ent || (unsigned)xo >= (1u << t->bits))
		abort(); /* a bug in an instruction table, not guest input */
	return &t->ent[xo];
}

void decode_register_select(unsigned opcd, int xo, enum insn_form form, insn_select_fn select)
{
	struct opent *e = decode_entry(opcd, xo);

	e->fn = op_illegal;
	e->fn_rc = NULL;
	e->select = select;
	e->form = (uint8_t)form;
}

void decode_register(unsigned opcd, int xo, enum insn_form form, insn_fn fn, insn_fn fn_rc)
{
	struct opent *e;

	if (xo < 0) {
		e = &primary[opcd];
	} else {
		struct optab *t = &ext[opcd];

		if (!t->ent || (unsigned)xo >= (1u << t->bits))
			abort(); /* a bug in an instruction table, not guest input */
		e = &t->ent[xo];
	}
	e->fn = fn;
	e->fn_rc = fn_rc;
	e->select = NULL;
	e->form = (uint8_t)form;
}

/* Mask with ones from bit mb to bit me (IBM numbering), wrapping if mb > me */
static uint64_t mask64(unsigned mb, unsigned me)
{
	uint64_t a = ~0ull >> mb;
	uint64_t b = ~0ull << (63 - me);

	return mb <= me ? a & b : a | b;
}

void decode_insn(struct dinsn *d, uint32_t raw)
{
	unsigned opcd = INSN_OPCD(raw);
	const struct opent *e;

	if (ext[opcd].ent)
		e = &ext[opcd].ent[(raw >> ext[opcd].shift) & ((1u << ext[opcd].bits) - 1)];
	else
		e = &primary[opcd];
	d->raw = raw;
	d->rt = INSN_RT(raw);
	d->ra = INSN_RA(raw);
	d->rb = INSN_RB(raw);
	d->rc = INSN_RC(raw);
	d->imm = 0;
	d->imm2 = 0;
	if (!e->fn) {
		d->fn = op_illegal;
		return;
	}
	d->fn = (INSN_RCBIT(raw) && e->fn_rc) ? e->fn_rc : e->fn;
	switch (e->form) {
	case FORM_D:
		d->imm = INSN_SIMM(raw);
		break;
	case FORM_DU:
		d->imm = INSN_UIMM(raw);
		break;
	case FORM_DS:
		d->imm = (int64_t)(int16_t)(raw & 0xfffc);
		break;
	case FORM_X:
		break;
	case FORM_M:
		d->imm = (int64_t)mask64(INSN_RC(raw) + 32, ((raw >> 1) & 31) + 32);
		break;
	case FORM_MD:
		d->imm = ((raw >> 11) & 31) | ((raw & 2) << 4);
		d->imm2 = ((raw >> 6) & 31) | (raw & 0x20);
		break;
	case FORM_I:
		d->imm = (int64_t)((int32_t)((raw & 0x03fffffc) << 6) >> 6);
		break;
	case FORM_B:
		d->imm = (int64_t)(int16_t)(raw & 0xfffc);
		break;
	case FORM_XX1:
		d->rt |= (raw & 1) << 5;
		break;
	case FORM_XX: /* TX bit 31, BX bit 30, AX bit 29, CX bit 28 */
		d->rt |= (raw & 1) << 5;
		d->rb |= ((raw >> 1) & 1) << 5;
		d->ra |= ((raw >> 2) & 1) << 5;
		d->rc |= ((raw >> 3) & 1) << 5;
		break;
	}
	if (e->select)
		d->fn = e->select(d);
}

static void decode_build(void)
{
	for (unsigned i = 0; i < sizeof(ext_layout) / sizeof(ext_layout[0]); i++) {
		struct optab *t = &ext[ext_layout[i].opcd];

		t->shift = ext_layout[i].shift;
		t->bits = ext_layout[i].bits;
		t->ent = calloc(1u << t->bits, sizeof(*t->ent));
		if (!t->ent)
			abort();
	}
	insn_int_register();
	insn_rot_register();
	insn_ldst_register();
	insn_branch_register();
	insn_sys_register();
	insn_fp_register();
	insn_fpmem_register();
	insn_vmx_register();
	insn_vsx_register();
}

void decode_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, decode_build);
}
