/* SPDX-License-Identifier: MIT */
/*
 * The emulated POWER core: architected state, the decoded-instruction form
 * and the helpers every instruction handler uses.
 *
 * Execution model (DESIGN.md section 4): a guest code page is decoded once
 * into an array of struct dinsn; a handler executes one instruction and
 * returns the next dinsn to run (d + 1 for straight-line code), or NULL to go
 * back to the dispatcher (cpu_exec in exec.c) after setting cpu->pc. The
 * program counter is not kept per instruction: it is derived from the
 * position of d in its page (cpu_pc()).
 *
 * src/cpu knows nothing of PAPR or devices: a hypercall, an MMIO access or a
 * halt stops the loop with cpu->stop set and the core (src/core) takes over.
 */
#ifndef PPCVM_CPU_H
#define PPCVM_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mmu/hpt.h"
#include "mmu/physmap.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* MSR bits (ISA 2.07 Book III-S 4.2.1), as masks on the 64-bit value */
#define MSR_SF	    (1ull << 63)
#define MSR_HV	    (1ull << 60)
#define MSR_TS_MASK (3ull << 33)
#define MSR_VEC	    (1ull << 25)
#define MSR_VSX	    (1ull << 23)
#define MSR_EE	    (1ull << 15)
#define MSR_PR	    (1ull << 14)
#define MSR_FP	    (1ull << 13)
#define MSR_ME	    (1ull << 12)
#define MSR_FE0	    (1ull << 11)
#define MSR_SE	    (1ull << 10)
#define MSR_BE	    (1ull << 9)
#define MSR_FE1	    (1ull << 8)
#define MSR_IR	    (1ull << 5)
#define MSR_DR	    (1ull << 4)
#define MSR_PMM	    (1ull << 2)
#define MSR_RI	    (1ull << 1)
#define MSR_LE	    (1ull << 0)

/* LPCR bits a partition can influence through H_SET_MODE */
#define LPCR_ILE       (1ull << 25)
#define LPCR_AIL_SHIFT 23
#define LPCR_AIL_MASK  (3ull << LPCR_AIL_SHIFT)

/* SRR1 reason bits for a program interrupt (ISA 2.07 6.5.9) */
#define SRR1_PROGFPE  (1ull << 20)
#define SRR1_PROGILL  (1ull << 19)
#define SRR1_PROGPRIV (1ull << 18)
#define SRR1_PROGTRAP (1ull << 17)
#define SRR1_PROGADDR (1ull << 16)

/* Interrupt vectors (ISA 2.07 Book III-S 6.5) */
#define VEC_MCHECK  0x200
#define VEC_DSI	    0x300
#define VEC_DSEG    0x380
#define VEC_ISI	    0x400
#define VEC_ISEG    0x480
#define VEC_EXT	    0x500
#define VEC_ALIGN   0x600
#define VEC_PROGRAM 0x700
#define VEC_FPU	    0x800
#define VEC_DEC	    0x900
#define VEC_SC	    0xc00
#define VEC_TRACE   0xd00
#define VEC_PERFMON 0xf00
#define VEC_VMX	    0xf20
#define VEC_VSX	    0xf40
#define VEC_FAC	    0xf60

/* SPR numbers (ISA 2.07 Book III-S 4.4.4 figure) */
#define SPR_XER	    1
#define SPR_DSCR_U  3
#define SPR_LR	    8
#define SPR_CTR	    9
#define SPR_AMR	    13
#define SPR_DSCR    17
#define SPR_DSISR   18
#define SPR_DAR	    19
#define SPR_DEC	    22
#define SPR_SDR1    25
#define SPR_SRR0    26
#define SPR_SRR1    27
#define SPR_CFAR    28
#define SPR_PIDR    48
#define SPR_IAMR    61
#define SPR_CTRL_R  136
#define SPR_CTRL_W  152
#define SPR_UAMOR   157
#define SPR_VRSAVE  256
#define SPR_TBL_R   268
#define SPR_TBU_R   269
#define SPR_SPRG0   272
#define SPR_SPRG1   273
#define SPR_SPRG2   274
#define SPR_SPRG3   275
#define SPR_SPRG3_R 259
#define SPR_TBL_W   284
#define SPR_TBU_W   285
#define SPR_TBU40   286
#define SPR_PVR	    287
#define SPR_HSPRG0  304
#define SPR_HSPRG1  305
#define SPR_HDSISR  306
#define SPR_HDAR    307
#define SPR_HDEC    310
#define SPR_HRMOR   313
#define SPR_HSRR0   314
#define SPR_HSRR1   315
#define SPR_LPCR    318
#define SPR_LPIDR   319
#define SPR_HMER    336
#define SPR_PPR	    896
#define SPR_PPR32   898
#define SPR_TAR	    815
#define SPR_FSCR    153
#define SPR_PIR	    1023
#define SPR_DABR    1013
#define SPR_DABRX   1015

/* Instruction field extraction (IBM bit numbering: bit 0 is the MSB) */
#define INSN_OPCD(x)  ((x) >> 26)
#define INSN_RT(x)    (((x) >> 21) & 31)
#define INSN_RA(x)    (((x) >> 16) & 31)
#define INSN_RB(x)    (((x) >> 11) & 31)
#define INSN_RC(x)    (((x) >> 6) & 31)
#define INSN_XO10(x)  (((x) >> 1) & 0x3ff)
#define INSN_SIMM(x)  ((int64_t)(int16_t)((x)&0xffff))
#define INSN_UIMM(x)  ((x)&0xffff)
#define INSN_RCBIT(x) ((x)&1)

struct ppc_cpu;
struct dinsn;

/* Execute one decoded instruction; return the next one or NULL (pc set). */
typedef const struct dinsn *(*insn_fn)(struct ppc_cpu *cpu, const struct dinsn *d);

/*
 * A decoded instruction. Field meaning depends on the handler; decode.c
 * fills the common ones for every instruction: raw, rt, ra, rb, rc and imm
 * (sign-extended D/DS/branch displacement or precomputed rotate mask).
 */
struct dinsn {
	insn_fn fn;
	uint32_t raw;
	uint8_t rt, ra, rb, rc;
	int64_t imm;
	uint64_t imm2;
};

#define DPAGE_INSNS 1024

/* A decoded 4 KB page of guest code, keyed by guest physical address + LE */
struct dpage {
	uint64_t key;	    /* guest physical page | 1 if little-endian */
	struct dpage *next; /* hash chain */
	bool valid;
	struct dinsn insns[DPAGE_INSNS + 1]; /* + the page-end sentinel */
};

#define DCACHE_HASH 2048

/* Soft TLB entry: a hit is one compare and one add (DESIGN.md section 4) */
struct tlb_entry {
	uint64_t tag;	  /* effective page address, or ~0 if invalid */
	uintptr_t addend; /* host address = ea + addend */
};

#define TLB_SIZE 256

/* Reasons the execution loop stops and hands control to the core */
enum cpu_stop {
	STOP_NONE = 0,
	STOP_BUDGET,	/* time slice over, check the world */
	STOP_HCALL,	/* sc 1 from supervisor state: r3 = nr */
	STOP_SC_MAGIC,	/* sc with a value the core may want (OSI, PV) */
	STOP_MMIO,	/* cpu->mmio describes the access */
	STOP_HALT,	/* guest waits for an interrupt */
	STOP_CHECKSTOP, /* machine check with MSR[ME]=0 */
	STOP_INTERNAL,	/* emulation failure (should not happen) */
};

/* Pending interrupt sources, checked between blocks */
#define PEND_EXT (1u << 0)
#define PEND_DEC (1u << 1)

/* One MMIO access of the pending instruction (see exec.c: replay) */
struct mmio_access {
	uint64_t pa;
	uint8_t data[8];
	uint8_t len;
	bool is_write;
};

#define MMIO_LOG_MAX 64

/*
 * Segment lookaside buffer (ISA 2.07 Book III-S 5.7.6): 32 entries, as the
 * device tree advertises in ibm,slb-size. esid and vsid hold what slbmte
 * wrote (returned by slbmfee/slbmfev); the rest is decoded once at slbmte
 * time so a lookup is a masked compare (src/mmu/hash.c).
 */
#define SLB_SIZE 32

struct slb_entry {
	uint64_t esid;	   /* ESID || V, as slbmte RB without the index */
	uint64_t vsid;	   /* B, VSID, Ks, Kp, N, L, C, LP as slbmte RS */
	uint64_t seg_mask; /* ~(segment size - 1): 256 MB or 1 TB */
	uint64_t ea_base;  /* EA of the segment (ESID bits of esid) */
	uint64_t vsid_num; /* the VSID as a number */
	uint8_t valid;	   /* V=1 and a defined B */
	uint8_t pshift;	   /* base page shift (L||LP), 0 if unsupported */
};

/* Recently used segments: ESID (ea >> 28) -> SLB index, direct-mapped */
#define SLB_CACHE 16

/*
 * The KVM magic page (struct kvm_vcpu_arch_shared, src/cpu/magic.c): a
 * per-vCPU page that supervisor-state data accesses see at its effective
 * and real address once the guest mapped it (KVM_HC_PPC_MAP_MAGIC_PAGE).
 * Its register fields are a view of the CPU state, so every access to it
 * takes the slow path (no soft-TLB entry ever points at it).
 */
struct ppc_magic {
	bool mapped;
	bool little_endian; /* !shared_big_endian; 0 (BE) at creation */
	bool nx_relaxed;    /* mapped without MAGIC_PAGE_FLAG_NOT_MAPPED_NX */
	uint64_t ea;	    /* effective page address */
	uint64_t pa;	    /* real page address (60 bits) */
	uint8_t page[4096]; /* storage of the non-register fields */
};

struct ppc_cpu {
	/* Hot state first */
	uint64_t gpr[32];
	uint64_t lr, ctr;
	uint32_t cr; /* CR0 in bits 31:28 (ISA bit order) */
	uint8_t xer_so, xer_ov, xer_ca, xer_ov32, xer_ca32;
	uint8_t xer_bc;	      /* XER bits 57:63: string byte count */
	uint64_t ea_mask;     /* ~0 in 64-bit mode, 0xffffffff with MSR[SF]=0 */
	bool le;	      /* MSR[LE] */
	bool pr;	      /* MSR[PR] */
	int32_t budget;	      /* block ends left before the loop checks */
	uint64_t cur_ea_page; /* effective address of the executing page */
	struct dpage *cur_dpage;
	uint64_t pc; /* valid whenever the loop is not inside a page */
	uint64_t msr;

	struct tlb_entry tlb_read[TLB_SIZE];
	struct tlb_entry tlb_write[TLB_SIZE];
	struct tlb_entry tlb_fetch[TLB_SIZE];

	/* Supervisor registers */
	uint64_t spr[1024]; /* plain SPRs, by number */
	uint32_t pvr;
	uint32_t pir;

	/* Floating point / vector state (used from the Linux issue on) */
	union {
		uint64_t d[2];
		uint32_t w[4];
		uint8_t b[16];
	} vsr[64];
	uint32_t fpscr;
	uint32_t vscr;

	/* Reservation for larx/stcx. */
	bool resv_valid;
	uint8_t resv_len;
	uint64_t resv_ea;
	uint64_t resv_val;
	uint64_t resv_val2;

	/* Timebase and decrementer: TB = host ticks + tb_offset */
	int64_t tb_offset;
	uint64_t dec_expiry;  /* TB value at which DEC reaches 0 */
	uint32_t check_count; /* block ends until the next timer check */

	/* Interrupts */
	volatile uint32_t pending; /* PEND_*, set by any thread */
	volatile int exit_request; /* set by kick from any thread */
	/* Memory map changes: the core bumps flush_gen and waits for ack_gen */
	volatile uint64_t flush_gen;
	volatile uint64_t ack_gen;
	/* Translation changes (HPTE hcalls, tlbie): TLBs only, same protocol */
	volatile uint64_t tlb_flush_gen;
	volatile uint64_t tlb_ack_gen;

	/* Why the loop stopped */
	enum cpu_stop stop;

	/* MMIO: the access that stopped the loop, and the replay log */
	struct mmio_access mmio;
	struct mmio_access mmio_log[MMIO_LOG_MAX];
	unsigned mmio_log_count; /* accesses answered so far */
	unsigned mmio_log_pos;	 /* next access while replaying */
	bool replaying;
	uint32_t pending_insn; /* raw instruction to re-execute */

	/* Memory */
	struct physmap *pm;
	struct hpt *hpt; /* the partition's hashed page table (core owns) */

	/* Decoded-instruction cache */
	struct dpage *dcache[DCACHE_HASH];
	struct dpage *graveyard;   /* invalidated pages, freed in cpu_exec */
	struct dpage *replay_page; /* scratch page for MMIO replay */
	uint64_t code_seq;	   /* pm->code_ring entries seen (SMP) */
	/* Set by the core: called when this vCPU makes a page code (SMP) */
	void (*code_page_new)(struct ppc_cpu *cpu);
	/* Set by the core: every other vCPU drops its soft TLB (32-bit tlbie) */
	void (*tlb_flush_others)(struct ppc_cpu *cpu);

	/* Statistics */
	uint64_t n_hcalls;
	uint64_t n_interrupts; /* delivered; also tells a traced step it faulted */

	/* Hash MMU (src/mmu/hash.c) */
	struct slb_entry slb[SLB_SIZE];
	uint64_t slbc_tag[SLB_CACHE]; /* (ea >> 28) + 1, 0 = empty */
	uint8_t slbc_idx[SLB_CACHE];
	/*
	 * Storage keys that translated entries in the data / fetch soft TLBs
	 * may carry (a superset): an AMR / IAMR write flushes only when it
	 * changes the bits of one of these keys.
	 */
	uint32_t tlb_keys_data;
	uint32_t tlb_keys_fetch;

	/* The PV interface's magic page (src/cpu/magic.c) */
	struct ppc_magic magic;

	/*
	 * 32-bit Book3S models (750, 7447A; docs/book3s32.md). model is set
	 * from the PVR (cpu_set_model); book3s32 is model != CPU_POWER8 and is
	 * only tested on cold paths (decode, interrupts, MSR writes, the TLB
	 * miss), never in the fast path.
	 */
	uint8_t model; /* enum cpu_model */
	bool book3s32;
	bool dec_edge_armed;	/* 32-bit DEC: next 0 -> negative edge interrupts */
	uint64_t dec_next_edge; /* 32-bit DEC: TB of the next 0 -> -1 step */
	uint32_t sr[16];	/* segment registers (mtsr/mfsr) */
	uint32_t ibat[8][2];	/* IBATnU, IBATnL (4-7: 7447A only) */
	uint32_t dbat[8][2];	/* DBATnU, DBATnL */
				/* SDR1 is cpu->spr[SPR_SDR1]; HID0 is cpu->spr[SPR_HID0_32] */
};

/* CPU models; the PVR selects one (cpu_model_from_pvr) */
enum cpu_model {
	CPU_POWER8 = 0, /* 64-bit Book3S partition (PAPR) */
	CPU_750,	/* 32-bit Book3S "G3": no AltiVec, BATs 0-3 */
	CPU_7447A,	/* 32-bit Book3S "G4": AltiVec, BATs 0-7 (HID0[HIGH_BAT_EN]) */
};

/* 32-bit BAT / SR SPR numbers (PowerPC OEA 2.3; 7450 RM 2.1.2) */
#define SPR_IBAT0U	 528 /* IBATnU = 528 + 2n, IBATnL = 529 + 2n, n = 0..3 */
#define SPR_DBAT0U	 536 /* DBATnU = 536 + 2n, DBATnL = 537 + 2n */
#define SPR_IBAT4U	 560 /* IBATnU = 560 + 2(n-4), n = 4..7 (7447A) */
#define SPR_DBAT4U	 568 /* DBATnU = 568 + 2(n-4) */
#define SPR_HID0_32	 1008
#define HID0_HIGH_BAT_EN 0x00800000u /* 7447A HID0 bit 8 */

/* Model of a PVR: CPU_750 / CPU_7447A for their PVR families, else POWER8 */
enum cpu_model cpu_model_from_pvr(uint32_t pvr);
/* Switch the model (PVR write through the API): flushes decoded code and TLBs */
void cpu_set_model(struct ppc_cpu *cpu, uint32_t pvr);

/* ---- Derived state ------------------------------------------------- */

static inline uint64_t cpu_pc(const struct ppc_cpu *cpu, const struct dinsn *d)
{
	return cpu->cur_ea_page + (uint64_t)(d - cpu->cur_dpage->insns) * 4;
}

/* Effective address of a D-form access: (RA|0) + d, truncated in 32-bit mode */
static inline uint64_t ea_d(const struct ppc_cpu *cpu, unsigned ra, int64_t disp)
{
	return ((ra ? cpu->gpr[ra] : 0) + (uint64_t)disp) & cpu->ea_mask;
}

static inline uint64_t ea_x(const struct ppc_cpu *cpu, unsigned ra, unsigned rb)
{
	return ((ra ? cpu->gpr[ra] : 0) + cpu->gpr[rb]) & cpu->ea_mask;
}

/* ---- CR and XER helpers -------------------------------------------- */

static inline void cr_set_field(struct ppc_cpu *cpu, unsigned bf, unsigned val)
{
	unsigned sh = 28 - bf * 4;

	cpu->cr = (cpu->cr & ~(0xfu << sh)) | ((val & 0xf) << sh);
}

static inline unsigned cr_get_field(const struct ppc_cpu *cpu, unsigned bf)
{
	return (cpu->cr >> (28 - bf * 4)) & 0xf;
}

/* CR bit by ISA number (0 = MSB) */
static inline unsigned cr_bit(const struct ppc_cpu *cpu, unsigned bi)
{
	return (cpu->cr >> (31 - bi)) & 1;
}

/* Rc=1: CR0 = LT/GT/EQ of the result (32-bit compare in 32-bit mode) || SO */
static inline void set_cr0(struct ppc_cpu *cpu, uint64_t result)
{
	int64_t v = (cpu->msr & MSR_SF) ? (int64_t)result : (int64_t)(int32_t)result;
	unsigned f = v < 0 ? 8 : v > 0 ? 4 : 2;

	cpu->cr = (cpu->cr & 0x0fffffffu) | ((f | cpu->xer_so) << 28);
}

uint64_t cpu_get_xer(const struct ppc_cpu *cpu);
void cpu_set_xer(struct ppc_cpu *cpu, uint64_t v);

/*
 * Straight-line successor, run from the handler itself (threaded code): each
 * handler gets its own indirect jump, which the host predicts far better than
 * the dispatcher's single call site. GCC -O2 makes it a tail jump; without
 * that the depth is still bounded: the page-end sentinel does not thread.
 */
static inline const struct dinsn *insn_next(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return d[1].fn(cpu, d + 1);
}

/* ---- Leaving the straight-line path -------------------------------- */

/* End the block after this instruction: continue at pc + 4 via dispatcher */
static inline const struct dinsn *insn_end_block(struct ppc_cpu *cpu, const struct dinsn *d)
{
	cpu->pc = (cpu_pc(cpu, d) + 4) & cpu->ea_mask;
	return NULL;
}

/* Continue at target (masked) on another page: chain if its decode is in the fetch TLB */
const struct dinsn *cpu_jump_page(struct ppc_cpu *cpu, uint64_t target);

/*
 * Continue at target. Inside the current page (and while the budget lasts)
 * this chains directly to the decoded target; another page already in the
 * fetch TLB chains too (exec.c); otherwise the dispatcher looks it up.
 */
static inline const struct dinsn *insn_jump(struct ppc_cpu *cpu, uint64_t target)
{
	target &= cpu->ea_mask;
	if (likely((target & ~0xfffull) == cpu->cur_ea_page)) {
		if (likely(--cpu->budget > 0))
			return &cpu->cur_dpage->insns[(target & 0xfff) >> 2];
		cpu->pc = target;
		return NULL;
	}
	return cpu_jump_page(cpu, target);
}

/*
 * Deliver an interrupt (ISA 2.07 Book III-S 6.5): SRR0 = srr0, SRR1 = MSR
 * bits with the reason bits in srr1_bits, new MSR per LPCR[ILE] and AIL.
 * Sets cpu->pc to the vector. Returns NULL so handlers can "return
 * cpu_interrupt(...)".
 */
const struct dinsn *cpu_interrupt(struct ppc_cpu *cpu, uint64_t vector, uint64_t srr0,
				  uint64_t srr1_bits);

/* Program interrupt for the instruction d (reason: SRR1_PROG*) */
const struct dinsn *cpu_program(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t reason);

/* Alignment interrupt for an access at ea by instruction d */
const struct dinsn *cpu_alignment(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea);

/* Write the MSR (mtmsr[d], rfid, interrupts): updates derived state */
void cpu_set_msr(struct ppc_cpu *cpu, uint64_t msr);

/* ---- Lifecycle and the loop (exec.c) ------------------------------- */

void cpu_init(struct ppc_cpu *cpu, struct physmap *pm, uint32_t pvr, uint32_t pir);
void cpu_reset(struct ppc_cpu *cpu);
void cpu_fini(struct ppc_cpu *cpu);

/* Run until cpu->stop != STOP_NONE. */
void cpu_exec(struct ppc_cpu *cpu);

/* Drop every decoded page (e.g. memory map change) and all TLB entries */
void cpu_flush_all(struct ppc_cpu *cpu);
void cpu_tlb_flush(struct ppc_cpu *cpu);
/* A store hit guest physical page pa that holds decoded code */
void cpu_code_written(struct ppc_cpu *cpu, uint64_t pa);
/* Tell the other vCPUs that page pa, decoded as code, was written (exec.c) */
void cpu_code_publish(struct ppc_cpu *cpu, uint64_t pa);
/* Act on a pending soft-TLB flush request now (waiting for another vCPU) */
void cpu_ack_tlb_flush(struct ppc_cpu *cpu);

/* Decode one instruction word (decode.c) */
void decode_insn(struct dinsn *d, uint32_t raw);
void decode_init(void);

/* ---- Timebase (timebase.c) ----------------------------------------- */

uint64_t cpu_get_tb(const struct ppc_cpu *cpu);
void cpu_set_tb(struct ppc_cpu *cpu, uint64_t tb);
uint32_t cpu_get_dec(const struct ppc_cpu *cpu);
void cpu_set_dec(struct ppc_cpu *cpu, uint32_t dec);
/* Update PEND_DEC from the clock */
void cpu_check_timers(struct ppc_cpu *cpu);
/* Host nanoseconds until DEC becomes negative (0 if it already is) */
uint64_t cpu_dec_ns_left(const struct ppc_cpu *cpu);

/* ---- SPR access (spr.c) -------------------------------------------- */

/*
 * mfspr/mtspr with the architected privilege checks. Return NULL-or-next
 * like a handler: they may raise a program interrupt.
 */
const struct dinsn *cpu_mfspr(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr,
			      unsigned rt);
const struct dinsn *cpu_mtspr(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr,
			      uint64_t val);
/* Raw access for the API (no privilege check); false if unknown */
bool cpu_spr_get(struct ppc_cpu *cpu, unsigned spr, uint64_t *val);
bool cpu_spr_set(struct ppc_cpu *cpu, unsigned spr, uint64_t val);

/* ---- Instruction classes register themselves with the decoder ------ */

enum insn_form {
	FORM_D,	  /* rt, ra, imm = simm16 */
	FORM_DU,  /* rt, ra, imm = uimm16 */
	FORM_DS,  /* rt, ra, imm = simm16 & ~3 */
	FORM_X,	  /* rt, ra, rb, rc */
	FORM_M,	  /* rlw*: rt=RS, ra, rb=SH/RB, imm = 32-bit mask (MB,ME) */
	FORM_MD,  /* rld*: imm = sh (6 bits), imm2 = mb/me (6 bits) */
	FORM_I,	  /* b: imm = sign-extended LI */
	FORM_B,	  /* bc: rt = BO, ra = BI, imm = sign-extended BD */
	FORM_XX1, /* VSX X-form: rt = T + 32 * TX (bit 31); ra, rb GPRs */
	FORM_XX,  /* VSX XX2/3/4: rt, ra, rb, rc = 6-bit VSR numbers */
};

/*
 * Register handler fn for primary opcode opcd and extended opcode xo (-1 for
 * none). fn_rc (may be NULL: same as fn) runs when the Rc bit (bit 31) is 1.
 * Extended opcode extraction per primary: 19, 31, 59, 63: bits 21:30;
 * 30: bits 27:30 (register MD forms at both values of bit 30);
 * 58, 62, 57, 61: bits 30:31; 4: bits 21:31.
 */
void decode_register(unsigned opcd, int xo, enum insn_form form, insn_fn fn, insn_fn fn_rc);

/*
 * Alternatively, a selector picks the handler from the decoded operands
 * (e.g. a specialised handler for common operand values), once per decode.
 */
typedef insn_fn (*insn_select_fn)(const struct dinsn *d);
void decode_register_select(unsigned opcd, int xo, enum insn_form form, insn_select_fn select);

/* Each instruction file provides one of these; decode_init() calls them */
void insn_int_register(void);
void insn_rot_register(void);
void insn_ldst_register(void);
void insn_branch_register(void);
void insn_sys_register(void);
void insn_fp_register(void);
void insn_fpmem_register(void);
void insn_vmx_register(void);
void insn_vsx_register(void);

/* Handler for an undefined or unimplemented instruction */
const struct dinsn *op_illegal(struct ppc_cpu *cpu, const struct dinsn *d);
/* Privileged in problem state: return program interrupt, else NULL */
static inline bool insn_is_priv_fault(const struct ppc_cpu *cpu)
{
	return cpu->pr;
}

#endif
