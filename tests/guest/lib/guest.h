/* Guest test library: console, hcalls, RTAS, device tree, report API, exception vectors. */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long s64;

#define NULL ((void *)0)

/* PAPR hcalls */
#define H_SUCCESS	0
#define H_PUT_TERM_CHAR 0x58
#define H_SET_MODE	0x31c
#define H_RTAS		0xf000
#define VTERM_UNIT	0x71000000UL

/* MSR bits (Power ISA 2.07 Book III 4.2.1) */
#define MSR_SF (1UL << 63)
#define MSR_HV (1UL << 60)
#define MSR_EE (1UL << 15)
#define MSR_PR (1UL << 14)
#define MSR_FP (1UL << 13)
#define MSR_ME (1UL << 12)
#define MSR_IR (1UL << 5)
#define MSR_DR (1UL << 4)
#define MSR_RI (1UL << 1)
#define MSR_LE (1UL << 0)

/* SRR1 program-interrupt reason bits (Book III 6.5.9) */
#define SRR1_PROG_FP   (1UL << 20)
#define SRR1_PROG_ILL  (1UL << 19)
#define SRR1_PROG_PRIV (1UL << 18)
#define SRR1_PROG_TRAP (1UL << 17)

/* XER */
#define XER_SO 0x80000000UL
#define XER_OV 0x40000000UL
#define XER_CA 0x20000000UL

long hcall(u64 nr, u64 *out, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5);

void putchar(int c);
void puts(const char *s);
void flush(void);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int strcmp(const char *a, const char *b);
int memcmp(const void *a, const void *b, unsigned long n);
unsigned long strlen(const char *s);

/* device tree */
extern void *fdt;
const void *fdt_getprop(const char *path, const char *name, int *len);
/* The first property called name in any node (node names differ by machine) */
const void *fdt_find_prop(const char *name, int *len);
u32 fdt_be32(const void *p);
u32 rtas_token(const char *name);
/* The decimal value of KEY=N in /chosen/bootargs, or def */
u64 bootarg(const char *key, u64 def);
int rtas_call(const char *name, int nargs, int nret, u32 *rets, ...);
void power_off(void) __attribute__((noreturn));

/* report API */
extern int n_pass, n_fail;
void check(int cond, const char *name);
void check_eq(u64 got, u64 exp, const char *name);
void check_eqn(u64 got, u64 exp, const char *name, int idx);
void skip(const char *name, const char *why);
extern int qemu_bad_skip; /* /chosen/bootargs has "guest-skip-qemu-bad" */
/* true (and prints SKIP) if this check is known wrong in QEMU and we run under QEMU */
int qemu_bad(const char *name, const char *why);

/* exceptions */
struct exc_frame {
	u64 gpr[32];
	u64 cr, lr, ctr, xer, srr0, srr1, dar, dsisr, vec, pad;
};
struct exc_record {
	u64 vec, srr0, srr1, dar, dsisr, msr_handler;
	int count;
};
extern volatile struct exc_record exc_last;
extern volatile int exc_count;
extern volatile u64 exc_recover;  /* nonzero: resume there instead of SRR0(+4) */
extern volatile int exc_expected; /* nonzero: do not report the interrupt as unexpected */
extern void (*volatile exc_hook)(struct exc_frame *f);
void exc_reset(void);
void exc_install(u64 vec);
void flush_icache(void *p, unsigned long n);
int main(void);

/* SPR access */
#define mfspr(n)                                         \
	({                                               \
		u64 _v;                                  \
		asm volatile("mfspr %0," #n : "=r"(_v)); \
		_v;                                      \
	})
#define mtspr(n, v) asm volatile("mtspr " #n ",%0" : : "r"((u64)(v)) : "memory")
static inline u64 mfmsr(void)
{
	u64 v;
	asm volatile("mfmsr %0" : "=r"(v));
	return v;
}
static inline void mtmsrd(u64 v)
{
	asm volatile("mtmsrd %0" : : "r"(v) : "memory");
}
static inline u64 mftb(void)
{
	u64 v;
	asm volatile("mftb %0" : "=r"(v));
	return v;
}
#define SPR_DEC	 22
#define SPR_SRR0 26
#define SPR_SRR1 27

#endif
