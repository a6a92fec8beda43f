/* SPDX-License-Identifier: MIT */
/*
 * Embedding libppcvm: a host program that creates a VM, gives it RAM, puts
 * its own device on the IO bus, binds a doorbell register to an ioeventfd
 * served by an iothread, runs a small big-endian real-mode guest and handles
 * the exits (MMIO for a register only the run loop serves, PAPR_HCALL for
 * H_LOGICAL_CI_STORE to it and for the guest's final call).
 *
 *   cc -Iinclude examples/mmio_device.c build/libppcvm.a -pthread -lm
 *
 * The guest: prints "Hello from the guest\n" byte by byte to a UART-like
 * device on the IO bus (no exit per byte), rings the doorbell 10 times
 * (ioeventfd: no exit), reads an ID register the run loop serves (an MMIO
 * exit), writes ID + 1 back with H_LOGICAL_CI_STORE (off in the core here,
 * so a PAPR_HCALL exit), then makes hcall 0x1234, which this host takes as
 * "power off". Prints "PASS example/mmio_device" when all that happened.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#define RAM_SIZE     (2u << 20)
#define CODE	     0x10000u
#define STR	     0x3000u
#define UART	     0x20000000ull /* on the IO bus: +0 data (byte) */
#define DOORBELL     (UART + 0x10) /* ioeventfd */
#define VMMREG	     0x30000000ull /* served by the run loop: +0 ID, +4 scratch */
#define GUEST_ID     0x50504356u   /* "PPCV" */
#define HC_POWER_OFF 0x1234

/* Instruction encodings (Power ISA 2.07 Book I) */
#define D(op, rt, ra, d) ((uint32_t)(op) << 26 | (rt) << 21 | (ra) << 16 | ((d)&0xffffu))
#define LI(rt, v)	 D(14, rt, 0, v)
#define ADDI(rt, ra, v)	 D(14, rt, ra, v)
#define LIS(rt, v)	 D(15, rt, 0, v)
#define ORI(ra, rs, v)	 D(24, rs, ra, v)
#define LBZ(rt, ra, d)	 D(34, rt, ra, d)
#define STB(rs, ra, d)	 D(38, rs, ra, d)
#define LWZ(rt, ra, d)	 D(32, rt, ra, d)
#define STW(rs, ra, d)	 D(36, rs, ra, d)
#define CMPWI0(ra)	 D(11, 0, ra, 0)
#define BEQ(off)	 (0x41820000u | ((off)&0xfffc))
#define B(off)		 (0x48000000u | ((off)&0x3fffffc))
#define BDNZ(off)	 (0x42000000u | 16u << 21 | ((off)&0xfffc))
#define MTCTR(rs)	 (0x7c0903a6u | (rs) << 21)
#define SC1		 0x44000022u

static const uint32_t guest[] = {
	LIS(4, UART >> 16),
	LI(6, STR),
	LBZ(7, 6, 0), /* loop: */
	CMPWI0(7),
	BEQ(16),
	STB(7, 4, 0), /* to the UART: served on the IO bus */
	ADDI(6, 6, 1),
	B(-20),
	LI(8, 10), /* done: */
	MTCTR(8),
	STW(8, 4, 0x10), /* ring: the doorbell (ioeventfd) */
	BDNZ(-4),
	LIS(11, VMMREG >> 16),
	LWZ(10, 11, 0), /* ID register: an MMIO exit */
	LI(3, H_LOGICAL_CI_STORE),
	LI(4, 4),
	LIS(5, VMMREG >> 16),
	ORI(5, 5, 4),
	ADDI(6, 10, 1),
	SC1, /* scratch = ID + 1: a PAPR_HCALL exit */
	LI(3, HC_POWER_OFF),
	SC1,
};

/* The in-process device: a UART that collects what the guest writes */
struct uart {
	char buf[128];
	unsigned len;
};

static void uart_write(void *opaque, uint64_t off, const uint8_t *data, uint32_t len)
{
	struct uart *u = opaque;

	if (off == 0 && len == 1 && u->len < sizeof(u->buf) - 1)
		u->buf[u->len++] = (char)data[0];
}

static void uart_read(void *opaque, uint64_t off, uint8_t *data, uint32_t len)
{
	(void)opaque;
	(void)off;
	memset(data, 0, len); /* line status: nothing received */
}

static const struct ppcvm_iobus_ops uart_ops = { uart_read, uart_write };

/* The iothread: sleeps on the doorbell's eventfd */
struct iothread {
	int efd, quit;
	uint64_t rings;
};

static void *iothread_main(void *arg)
{
	struct iothread *t = arg;

	while (!__atomic_load_n(&t->quit, __ATOMIC_ACQUIRE)) {
		struct pollfd p = { t->efd, POLLIN, 0 };
		uint64_t n;

		if (poll(&p, 1, 10) > 0 && read(t->efd, &n, 8) == 8)
			__atomic_add_fetch(&t->rings, n, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The run loop's own device model: the ID register and a scratch register */
static uint32_t scratch;

static void vmm_access(uint64_t addr, uint8_t *data, uint32_t len, int is_write)
{
	uint32_t v = addr == VMMREG ? GUEST_ID : addr == VMMREG + 4 ? scratch : ~0u;

	if (is_write) {
		if (addr == VMMREG + 4 && len == 4)
			scratch = (uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3];
		return;
	}
	for (uint32_t i = 0; i < len && i < 8; i++)
		data[i] = (uint8_t)(v >> (8 * (3 - (i & 3))));
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "mmio_device: %s: %s\n", what, strerror(-err));
	printf("FAIL example/mmio_device\n");
	return 1;
}

int main(void)
{
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	struct ppcvm_regs regs;
	struct uart uart = { { 0 }, 0 };
	struct iothread io = { eventfd(0, EFD_NONBLOCK), 0, 0 };
	unsigned mmio_exits = 0, hcall_exits = 0;
	pthread_t th;
	uint8_t *ram;
	int ret;

	ram = aligned_alloc(4096, RAM_SIZE);
	if (!ram || io.efd < 0)
		return fail("allocation", -ENOMEM);
	memset(ram, 0, RAM_SIZE);
	for (unsigned i = 0; i < sizeof(guest) / 4; i++) {
		uint32_t w = guest[i];

		ram[CODE + 4 * i] = (uint8_t)(w >> 24); /* big-endian guest */
		ram[CODE + 4 * i + 1] = (uint8_t)(w >> 16);
		ram[CODE + 4 * i + 2] = (uint8_t)(w >> 8);
		ram[CODE + 4 * i + 3] = (uint8_t)w;
	}
	strcpy((char *)ram + STR, "Hello from the guest\n");

	if ((ret = ppcvm_vm_create(&vm)))
		return fail("ppcvm_vm_create", ret);
	if ((ret = ppcvm_set_memslot(vm, 0, 0, RAM_SIZE, ram, 0)))
		return fail("ppcvm_set_memslot", ret);
	if ((ret = ppcvm_iobus_register(vm, UART, 8, &uart_ops, &uart)))
		return fail("ppcvm_iobus_register", ret);
	if ((ret = ppcvm_ioeventfd(vm, DOORBELL, 4, io.efd, 0, 0)))
		return fail("ppcvm_ioeventfd", ret);
	if ((ret = ppcvm_vcpu_create(vm, 0, &vcpu)))
		return fail("ppcvm_vcpu_create", ret);
	run = ppcvm_vcpu_run_data(vcpu);
	ppcvm_vcpu_get_regs(vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x8000000000001000ull; /* 64-bit, ME, real mode, BE */
	ppcvm_vcpu_set_regs(vcpu, &regs);
	pthread_create(&th, NULL, iothread_main, &io);

	for (;;) {
		if ((ret = ppcvm_vcpu_run(vcpu)))
			return fail("ppcvm_vcpu_run", ret);
		if (run->exit_reason == PPCVM_EXIT_MMIO) {
			mmio_exits++;
			vmm_access(run->mmio.phys_addr, run->mmio.data, run->mmio.len,
				   run->mmio.is_write);
			continue;
		}
		if (run->exit_reason != PPCVM_EXIT_PAPR_HCALL) {
			fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
			break;
		}
		hcall_exits++;
		if (run->papr_hcall.nr == HC_POWER_OFF)
			break;
		if (run->papr_hcall.nr == H_LOGICAL_CI_STORE) {
			uint8_t b[8];
			uint64_t size = run->papr_hcall.args[0], v = run->papr_hcall.args[2];

			if (size != 1 && size != 2 && size != 4 && size != 8) {
				run->papr_hcall.ret = (uint64_t)H_PARAMETER;
				continue;
			}
			for (unsigned i = 0; i < size; i++) /* big-endian on the bus */
				b[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
			vmm_access(run->papr_hcall.args[1], b, (uint32_t)size, 1);
			run->papr_hcall.ret = H_SUCCESS;
			continue;
		}
		run->papr_hcall.ret = (uint64_t)H_FUNCTION;
	}
	/* let the iothread drain the eventfd */
	for (int i = 0; i < 200 && __atomic_load_n(&io.rings, __ATOMIC_RELAXED) < 10; i++)
		usleep(1000);
	__atomic_store_n(&io.quit, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	printf("uart: %s", uart.buf);
	printf("doorbell rings seen by the iothread: %" PRIu64 "\n", io.rings);
	printf("MMIO exits: %u, hcall exits: %u, scratch: 0x%x\n", mmio_exits, hcall_exits,
	       scratch);
	ppcvm_vm_destroy(vm);
	close(io.efd);
	free(ram);
	if (strcmp(uart.buf, "Hello from the guest\n") || io.rings != 10 || mmio_exits != 1 ||
	    hcall_exits != 2 || scratch != GUEST_ID + 1) {
		printf("FAIL example/mmio_device\n");
		return 1;
	}
	printf("PASS example/mmio_device\n");
	return 0;
}
