/* SPDX-License-Identifier: MIT */
/*
 * Host-side MMIO benchmarks through the public API (make bench). A small
 * real-mode guest loop does N accesses of one kind; the host times the whole
 * run with CLOCK_MONOTONIC and prints ns per access:
 *   mmio_exit        guest stw, MMIO exit, a trivial VMM handler, resume
 *   mmio_exit_load   the same for lwz (the completion writes the register)
 *   iobus_store      stw to a device on the IO bus (served in run, no exit)
 *   iobus_load       lwz from it
 *   ioeventfd        stw to an ioeventfd (eventfd write, no exit)
 *   ci_store_core    H_LOGICAL_CI_STORE to the IO bus device, in the core
 *   ci_store_exit    H_LOGICAL_CI_STORE handed to the VMM (in-core off)
 * Output: "bench: NAME ppcvm=NS qemu=none unit=ns ratio=none" (QEMU has no
 * in-process equivalent; bench/guest/mmio.c compares the guest-visible
 * H_LOGICAL_CI_* cost with QEMU's).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#define RAM  (1u << 20)
#define CODE 0x10000u
#define DEV  0x20000000ull

#define D(op, rt, ra, d) ((uint32_t)(op) << 26 | (rt) << 21 | (ra) << 16 | ((d)&0xffffu))
#define LI(rt, v)	 D(14, rt, 0, v)
#define LIS(rt, v)	 D(15, rt, 0, v)
#define ORIS(ra, rs, v)	 D(25, rs, ra, v)
#define ORI(ra, rs, v)	 D(24, rs, ra, v)
#define STW(rs, ra, d)	 D(36, rs, ra, d)
#define LWZ(rt, ra, d)	 D(32, rt, ra, d)
#define MTCTR(rs)	 (0x7c0903a6u | (rs) << 21)
#define BDNZ(off)	 (0x42000000u | 16u << 21 | ((off)&0xfffc))
#define SC1		 0x44000022u

static void nop_write(void *o, uint64_t off, const uint8_t *d, uint32_t len)
{
	(void)o;
	(void)off;
	(void)d;
	(void)len;
}

static void nop_read(void *o, uint64_t off, uint8_t *d, uint32_t len)
{
	(void)o;
	(void)off;
	memset(d, 0, len);
}

static const struct ppcvm_iobus_ops ops = { nop_read, nop_write };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

enum kind { K_STORE, K_LOAD, K_CI };

/* Run n iterations of one access; returns ns per iteration (-1 on error) */
static double bench(const char *name, enum kind k, int bus, int efd, int ci_core, uint32_t n)
{
	uint32_t code[16];
	unsigned c = 0;
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	struct ppcvm_regs regs;
	uint8_t *ram = aligned_alloc(4096, RAM);
	double t0, t1;
	uint64_t exits = 0;
	int fd = -1;

	memset(ram, 0, RAM);
	code[c++] = LIS(20, n >> 16);
	code[c++] = ORI(20, 20, n & 0xffff);
	code[c++] = MTCTR(20);
	code[c++] = LIS(4, DEV >> 16);
	if (k == K_CI) {
		code[c++] = LI(3, H_LOGICAL_CI_STORE); /* loop: */
		code[c++] = LI(4, 4);
		code[c++] = LIS(5, DEV >> 16);
		code[c++] = LI(6, 1);
		code[c++] = SC1;
		code[c++] = BDNZ(-20);
	} else {
		code[c++] = k == K_STORE ? STW(6, 4, 0) : LWZ(6, 4, 0);
		code[c++] = BDNZ(-4);
	}
	code[c++] = LI(3, 0x1234);
	code[c++] = SC1;
	for (unsigned i = 0; i < c; i++) {
		ram[CODE + 4 * i] = (uint8_t)(code[i] >> 24);
		ram[CODE + 4 * i + 1] = (uint8_t)(code[i] >> 16);
		ram[CODE + 4 * i + 2] = (uint8_t)(code[i] >> 8);
		ram[CODE + 4 * i + 3] = (uint8_t)code[i];
	}
	if (ppcvm_vm_create(&vm) || ppcvm_set_memslot(vm, 0, 0, RAM, ram, 0) ||
	    ppcvm_vcpu_create(vm, 0, &vcpu))
		return -1;
	if (bus)
		ppcvm_iobus_register(vm, DEV, 0x100, &ops, NULL);
	if (efd) {
		fd = eventfd(0, EFD_NONBLOCK);
		ppcvm_ioeventfd(vm, DEV, 4, fd, 0, 0);
	}
	if (ci_core) {
		uint64_t a[4] = { H_LOGICAL_CI_STORE, 1, 0, 0 };

		ppcvm_enable_cap(vm, PPCVM_CAP_PPC_ENABLE_HCALL, a);
	}
	run = ppcvm_vcpu_run_data(vcpu);
	ppcvm_vcpu_get_regs(vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x8000000000001000ull;
	ppcvm_vcpu_set_regs(vcpu, &regs);
	t0 = now_ns();
	for (;;) {
		if (ppcvm_vcpu_run(vcpu))
			return -1;
		if (run->exit_reason == PPCVM_EXIT_MMIO) {
			exits++;
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0, 8);
			continue;
		}
		if (run->exit_reason != PPCVM_EXIT_PAPR_HCALL || run->papr_hcall.nr == 0x1234)
			break;
		exits++;
		run->papr_hcall.ret = H_SUCCESS; /* the VMM's CI store: drop it */
	}
	t1 = now_ns();
	ppcvm_vm_destroy(vm);
	free(ram);
	if (fd >= 0) {
		uint64_t v = 0;

		if (read(fd, &v, 8) != 8 || v != n)
			fprintf(stderr, "%s: eventfd saw %" PRIu64 " of %u\n", name, v, n);
		close(fd);
	}
	if (((bus && k != K_CI) || efd || ci_core) && exits)
		fprintf(stderr, "%s: %" PRIu64 " unexpected exits\n", name, exits);
	return (t1 - t0) / n;
}

static void report(const char *name, enum kind k, int bus, int efd, int ci_core, uint32_t n,
		   int runs)
{
	double best, v[16]; /* the median of runs */

	for (int i = 0; i < runs && i < 16; i++)
		v[i] = bench(name, k, bus, efd, ci_core, n);
	for (int i = 0; i < runs; i++)
		for (int j = i + 1; j < runs; j++)
			if (v[j] < v[i]) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	best = v[runs / 2];
	printf("bench: %s ppcvm=%.1f qemu=none unit=ns ratio=none\n", name, best);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000000;
	int runs = argc > 2 ? atoi(argv[2]) : 3;

	if (runs < 1 || runs > 16)
		runs = 3;
	report("mmio_exit", K_STORE, 0, 0, 0, n, runs);
	report("mmio_exit_load", K_LOAD, 0, 0, 0, n, runs);
	report("iobus_store", K_STORE, 1, 0, 0, n, runs);
	report("iobus_load", K_LOAD, 1, 0, 0, n, runs);
	report("ioeventfd", K_STORE, 0, 1, 0, n, runs);
	report("ci_store_core", K_CI, 1, 0, 1, n, runs);
	report("ci_store_exit", K_CI, 1, 0, 0, n, runs);
	return 0;
}
