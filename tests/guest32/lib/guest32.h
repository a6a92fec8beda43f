/*
 * 32-bit Book3S guest test library (750 / 7447A): console, report API, exception vectors,
 * device tree. The same ELF runs under ppcvm (--machine epapr: r6 = "EPAP" at entry, console
 * through ePAPR byte-channel hypercalls, power-off through the syscon-poweroff register) and
 * bare under QEMU (g3beige / mac99 with our ROM: output into a RAM buffer the runner reads
 * with the QEMU monitor).
 */
#ifndef GUEST32_H
#define GUEST32_H

#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#define NULL ((void *)0)

/* Memory layout (all below 8 MB is mapped 1:1 by mmu_on()'s BAT 0) */
#define LOAD_ADDR   0x00100000u /* the program (link.ld) */
#define HTAB_ADDR   0x00600000u /* default 64 KB hashed page table */
#define OUTBUF	    0x00700000u /* QEMU output buffer: magic, length, done, 0, text */
#define OUTBUF_SIZE 0x10000u
#define OUT_MAGIC   0x4f555421u /* "OUT!" */
#define OUT_DONE    0x444f4e45u /* "DONE" */
#define TEST_BASE   0x00800000u /* 8-16 MB: scratch for the tests */
#define EPAPR_MAGIC 0x45504150u /* r6 at an ePAPR entry */

/* MSR bits (PowerPC OEA 2.3.1, 750 UM 2.1.3.1) */
#define MSR_VEC 0x02000000u /* 7447A */
#define MSR_POW 0x00040000u
#define MSR_ILE 0x00010000u
#define MSR_EE	0x00008000u
#define MSR_PR	0x00004000u
#define MSR_FP	0x00002000u
#define MSR_ME	0x00001000u
#define MSR_FE0 0x00000800u
#define MSR_SE	0x00000400u
#define MSR_BE	0x00000200u
#define MSR_FE1 0x00000100u
#define MSR_IP	0x00000040u
#define MSR_IR	0x00000020u
#define MSR_DR	0x00000010u
#define MSR_RI	0x00000002u
#define MSR_LE	0x00000001u

/* SRR1 program-interrupt reason bits (OEA 6.4.7) */
#define SRR1_PROG_FP   0x00100000u
#define SRR1_PROG_ILL  0x00080000u
#define SRR1_PROG_PRIV 0x00040000u
#define SRR1_PROG_TRAP 0x00020000u

/* DSISR (OEA 6.4.3) and ISI SRR1 (6.4.4) bits */
#define DSISR_NOPTE 0x40000000u
#define DSISR_PROT  0x08000000u
#define DSISR_DS    0x04000000u
#define DSISR_STORE 0x02000000u
#define ISI_NOPTE   0x40000000u
#define ISI_GUARD   0x10000000u /* N segment, guarded, direct-store */
#define ISI_PROT    0x08000000u

/* XER */
#define XER_SO 0x80000000u
#define XER_OV 0x40000000u
#define XER_CA 0x20000000u

/* PVR >> 16 */
#define PVR_750	  0x0008
#define PVR_7447A 0x8003

extern int on_ppcvm; /* entered with r6 = EPAPR_MAGIC */
extern u32 cpu_pvr;
extern u32 tb_freq; /* timebase (and DEC) ticks per second */
static inline int is_7447a(void)
{
	return (cpu_pvr >> 16) == PVR_7447A;
}

/* KVM PV / ePAPR hypercall: r11 = token, r3..r8 = regs[0..5] in and out. Returns r3. */
u32 kvm_hcall(u32 token, u32 *regs);
#define KVM_SC_MAGIC_R0	     0x4b564d21u
#define EV_HCALL_TOKEN(n)    ((1u << 16) | (n))
#define KVM_HCALL_TOKEN(n)   ((42u << 16) | (n))
#define EV_BYTE_CHANNEL_SEND 1 /* Linux arch/powerpc/include/uapi/asm/epapr_hcalls.h */

void putchar(int c);
void puts(const char *s);
void flush(void);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
int strcmp(const char *a, const char *b);
unsigned long strlen(const char *s);

/* device tree (ppcvm only; NULL / def under QEMU) */
extern void *fdt;
u32 fdt_be32(const void *p);
/* The decimal value of KEY=N in /chosen/bootargs, or def */
u32 bootarg(const char *key, u32 def);
void power_off(void) __attribute__((noreturn));

/* report API (the 64-bit suite's): PASS/FAIL/SKIP lines, RESULT at the end */
extern int n_pass, n_fail;
void check(int cond, const char *name);
void check_eq(u32 got, u32 exp, const char *name);
void check_eqn(u32 got, u32 exp, const char *name, int idx);
void skip(const char *name, const char *why);
/* true (and prints SKIP) if this check is known wrong in QEMU and we run under QEMU */
int qemu_bad(const char *name, const char *why);
/* Print "SKIP-PROGRAM: why" (the runner reports SKIP under QEMU) and end the program */
void skip_program(const char *why) __attribute__((noreturn));

/* exceptions */
struct exc_frame {
	u32 gpr[32];
	u32 cr, lr, ctr, xer, srr0, srr1, dar, dsisr, vec, pad[3];
};
struct exc_record {
	u32 vec, srr0, srr1, dar, dsisr, msr_handler;
};
extern volatile struct exc_record exc_last;
extern volatile int exc_count;
extern volatile u32 exc_recover;  /* nonzero: resume there instead of SRR0(+4) */
extern volatile int exc_expected; /* nonzero: do not report the interrupt as unexpected */
extern void (*volatile exc_hook)(struct exc_frame *f);
void exc_reset(void);
void exc_install(u32 vec);
void flush_icache(void *p, unsigned long n);
int main(void);
/* the library resumes an ISI at LR with r3 = ISI_RESUMED (see mmu32.h run_at) */
#define ISI_RESUMED 0xdead0400u

/* SPR / MSR access */
#define mfspr(n)                                         \
	({                                               \
		u32 _v;                                  \
		asm volatile("mfspr %0," #n : "=r"(_v)); \
		_v;                                      \
	})
#define mtspr(n, v) asm volatile("mtspr " #n ",%0" : : "r"((u32)(v)) : "memory")
static inline u32 mfmsr(void)
{
	u32 v;

	asm volatile("mfmsr %0" : "=r"(v));
	return v;
}
static inline void mtmsr(u32 v)
{
	asm volatile("mtmsr %0\n\tisync" : : "r"(v) : "memory");
}
static inline u32 mftbl(void)
{
	u32 v;

	asm volatile("mftb %0" : "=r"(v));
	return v;
}
static inline u32 mfdec(void)
{
	return mfspr(22);
}
static inline u32 mfsrin(u32 ea)
{
	u32 v;

	asm volatile("mfsrin %0,%1" : "=r"(v) : "r"(ea));
	return v;
}
static inline void mtsrin(u32 v, u32 ea)
{
	asm volatile("mtsrin %0,%1\n\tisync" : : "r"(v), "r"(ea) : "memory");
}
static inline void tlbie(u32 ea)
{
	asm volatile("sync\n\ttlbie %0\n\tsync" : : "r"(ea) : "memory");
}
static inline u32 ld32(u32 a)
{
	return *(volatile u32 *)a;
}
static inline void st32(u32 a, u32 v)
{
	*(volatile u32 *)a = v;
}
#define SPR_DEC	 22
#define SPR_SDR1 25
#define SPR_SRR0 26
#define SPR_SRR1 27

#endif
