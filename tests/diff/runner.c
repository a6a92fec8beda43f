/* SPDX-License-Identifier: MIT */
/*
 * QEMU user-mode side of the differential tests: a static, libc-free
 * ppc64/ppc64le program that maps RWX memory at GEN_BASE, reads a blob made
 * by gen.c from stdin into it and jumps to it. The blob itself writes its
 * results to stdout and exits.
 */
#include "gen.h"

#define SYS_exit  1
#define SYS_read  3
#define SYS_write 4
#define SYS_mmap  90
#define MAP_SIZE  (128ul << 20)

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = nr;
	register long r3 __asm__("r3") = a;
	register long r4 __asm__("r4") = b;
	register long r5 __asm__("r5") = c;
	register long r6 __asm__("r6") = d;
	register long r7 __asm__("r7") = e;
	register long r8 __asm__("r8") = f;

	__asm__ volatile("sc\n\tbns+ 1f\n\tneg %1,%1\n1:"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
			 :
			 : "memory", "cr0", "r9", "r10", "r11", "r12", "ctr", "xer");
	return r3;
}

static void say(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys6(SYS_write, 2, (long)s, n, 0, 0, 0);
}

void _start(void)
{
	char *p;
	long got = 0, r;

	/* PROT_READ|WRITE|EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */
	p = (char *)sys6(SYS_mmap, (long)GEN_BASE, MAP_SIZE, 7, 0x32, -1, 0);
	if (p != (char *)GEN_BASE) {
		say("runner: mmap failed\n");
		sys6(SYS_exit, 2, 0, 0, 0, 0, 0);
	}
	while ((r = sys6(SYS_read, 0, (long)(p + got), (long)(MAP_SIZE - got), 0, 0, 0)) > 0)
		got += r;
	if (r < 0 || got == 0) {
		say("runner: read failed\n");
		sys6(SYS_exit, 3, 0, 0, 0, 0, 0);
	}
	__asm__ volatile("mtctr %0\n\tbctr" : : "r"(p) : "memory");
	for (;;)
		;
}
