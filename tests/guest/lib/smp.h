/*
 * SMP and XICS helpers for guest test programs (header only: include it from
 * one program). Secondary CPUs are started with RTAS start-cpu (PAPR 7.3.19),
 * which enters them big-endian, MMU off, MSR = SF|ME, r3 = our argument: the
 * entry flips to little-endian first when the program is LE (as crt0).
 *
 * External interrupts: smp_ext_install() puts "ba ext_handler" at 0x500. The
 * handler counts the interrupt in the per-CPU area SPRG3 points to and
 * returns with MSR[EE] off, so the C code then takes the interrupt from the
 * ICP (H_XIRR) with no nested interrupt and no shared exception stack.
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include "guest.h"

#define H_EOI	       0x64
#define H_CPPR	       0x68
#define H_IPI	       0x6c
#define H_IPOLL	       0x70
#define H_XIRR	       0x74
#define H_CEDE	       0xe0
#define H_CONFER       0xe4
#define H_PROD	       0xe8
#define H_SET_SPRG0    0x24
#define H_REGISTER_VPA 0xdc
#define H_XIRR_X       0x2fc
#define H_PARAMETER    (-4)
#define XICS_IPI       2
#define TB_HZ	       512000000UL

#define MAX_CPUS 8

struct percpu {
	u64 scratch;		/* 0: r12 save in ext_handler */
	volatile u64 ext_count; /* 8: external interrupts taken */
	u64 stack_top;		/* 16 */
	u64 fn;			/* 24: void fn(struct percpu *) global entry */
	u64 id;			/* 32 */
	volatile u64 state;	/* test-defined */
	volatile u64 val[8];	/* test-defined */
};

static struct percpu percpu[MAX_CPUS] __attribute__((aligned(128)));
static u8 smp_stacks[MAX_CPUS][16384] __attribute__((aligned(16)));

/* Secondary entry (r3 = struct percpu *) and the 0x500 handler */
asm("	.text\n"
    "	.balign 4\n"
    "	.globl smp_entry\n"
    "smp_entry:\n"
#ifdef __LITTLE_ENDIAN__
    /* Read byte-reversed, tdi is "b .+8": run the trampoline (see crt0.S) */
    "	tdi 0,0,0x48\n"
    "	b 1f\n"
    "	.long 0xa600607d\n" /* mfmsr r11 */
    "	.long 0x01006b69\n" /* xori r11,r11,1 */
    "	.long 0x00004039\n" /* li r10,0 */
    "	.long 0x6401417d\n" /* mtmsrd r10,1 */
    "	.long 0x05009f42\n" /* bcl 20,31,.+4 */
    "	.long 0xa602487d\n" /* mflr r10 */
    "	.long 0x14004a39\n" /* addi r10,r10,20 */
    "	.long 0xa6035a7d\n" /* mtsrr0 r10 */
    "	.long 0xa6037b7d\n" /* mtsrr1 r11 */
    "	.long 0x2400004c\n" /* rfid */
    "1:\n"
#endif
    "	mtsprg3 3\n"
    "	ld 1, 16(3)\n"
    "	li 0, 0\n"
    "	stdu 0, -48(1)\n"
    "	ld 12, 24(3)\n"
    "	mtctr 12\n"
    "	bctrl\n"
    "2:	b 2b\n"
    "	.globl ext_handler\n"
    "	.balign 4\n"
    "ext_handler:\n"
    "	mtsprg2 13\n"
    "	mfsprg3 13\n"
    "	std 12, 0(13)\n"
    "	mfsrr1 12\n"
    "	xori 12, 12, 0x8000\n" /* return with EE off (it was on) */
    "	mtsrr1 12\n"
    "	ld 12, 8(13)\n"
    "	addi 12, 12, 1\n"
    "	std 12, 8(13)\n"
    "	ld 12, 0(13)\n"
    "	mfsprg2 13\n"
    "	rfid\n");

extern char smp_entry[], ext_handler[];

static inline void smp_ext_install(void)
{
	volatile u32 *v;

	asm("" : "=r"(v) : "0"(0x500UL)); /* address 0x500 is real memory */

	v[0] = 0x48000002 | (u32)((u64)ext_handler & 0x03fffffc); /* ba ext_handler */
	flush_icache((void *)0x500, 4);
}

/* CPU 0 uses percpu[0] too (SPRG3) */
static inline void smp_self_init(void)
{
	percpu[0].id = 0;
	mtspr(275, (u64)&percpu[0]); /* SPRG3 */
}

static inline u64 tb_now(void)
{
	return mftb();
}

/* Spin until *p == v or ms milliseconds pass; 1 if it became v */
static inline int wait_eq(volatile u64 *p, u64 v, u64 ms)
{
	u64 end = tb_now() + ms * (TB_HZ / 1000);

	while (*p != v)
		if (tb_now() > end)
			return 0;
	return 1;
}

static inline void delay_ms(u64 ms)
{
	u64 end = tb_now() + ms * (TB_HZ / 1000);

	while (tb_now() < end)
		;
}

/* start-cpu(id, entry, &percpu[id]) running fn on its own stack: RTAS status */
static inline int smp_start(u32 id, void (*fn)(struct percpu *))
{
	u32 r[1];

	percpu[id].id = id;
	percpu[id].stack_top = (u64)&smp_stacks[id][16384 - 64];
	percpu[id].fn = (u64)fn;
	asm volatile("sync" : : : "memory");
	return rtas_call("start-cpu", 3, 1, r, id, (u32)(u64)smp_entry, (u32)(u64)&percpu[id]);
}

static inline int cpu_stopped_state(u32 id)
{
	u32 r[2];
	int rc = rtas_call("query-cpu-stopped-state", 1, 2, r, id);

	return rc ? -100 + rc : (int)r[1];
}

/* Number of interrupt servers (= CPUs here) from the ICP node */
static inline int xics_nservers(void)
{
	int len;
	const u32 *p = fdt_find_prop("ibm,interrupt-server-ranges", &len);

	return p && len >= 8 ? (int)fdt_be32(p + 1) : 0;
}

static inline long h_xirr(u64 *xirr)
{
	u64 out[4] = { 0 };
	long rc = hcall(H_XIRR, out, 0, 0, 0, 0, 0, 0);

	*xirr = out[0];
	return rc;
}

static inline long h_ipoll(u64 server, u64 *xirr, u64 *mfrr)
{
	u64 out[4] = { 0 };
	long rc = hcall(H_IPOLL, out, server, 0, 0, 0, 0, 0);

	*xirr = out[0];
	*mfrr = out[1];
	return rc;
}

static inline long h_eoi(u64 xirr)
{
	return hcall(H_EOI, NULL, xirr, 0, 0, 0, 0, 0);
}

static inline long h_cppr(u64 cppr)
{
	return hcall(H_CPPR, NULL, cppr, 0, 0, 0, 0, 0);
}

static inline long h_ipi(u64 server, u64 mfrr)
{
	return hcall(H_IPI, NULL, server, mfrr, 0, 0, 0, 0);
}

/* mtmsrd L=1 changes EE and RI only (ISA 2.07 Book III 4.4.4) */
static inline void ee_on(void)
{
	asm volatile("mtmsrd %0,1" : : "r"(MSR_EE | MSR_RI) : "memory");
}

static inline void ee_off(void)
{
	asm volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
}

#endif
