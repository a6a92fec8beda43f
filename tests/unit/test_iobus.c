/* SPDX-License-Identifier: MIT */
/*
 * The IO bus through the public API: devices served inside run() with no
 * exit, accesses split at device edges, ioeventfd (with and without data
 * match), H_LOGICAL_CI_LOAD/STORE in the core and through the VMM, and the
 * seed's scenario (seeds/003): real-mode firmware notifying a queue with
 * H_LOGICAL_CI_STORE, the notify register bound to an ioeventfd served by a
 * host iothread.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness.h"
#include "mmio_env.h"

#define DEV	  ME_MMIO /* the test device: 0x100 bytes */
#define STVAL_IOB 0x1122334455667788ull

struct tdev {
	uint8_t regs[0x100];
	unsigned nread, nwrite;
	uint64_t last_off;
	uint32_t last_len;
};

static void tdev_read(void *opaque, uint64_t off, uint8_t *data, uint32_t len)
{
	struct tdev *d = opaque;

	d->nread++;
	d->last_off = off;
	d->last_len = len;
	memcpy(data, d->regs + off, len);
}

static void tdev_write(void *opaque, uint64_t off, const uint8_t *data, uint32_t len)
{
	struct tdev *d = opaque;

	d->nwrite++;
	d->last_off = off;
	d->last_len = len;
	memcpy(d->regs + off, data, len);
}

static const struct ppcvm_iobus_ops tdev_ops = { tdev_read, tdev_write };

TEST(iobus_register_checks)
{
	struct ppcvm_vm *vm;
	struct tdev d;

	CHECK_EQ(ppcvm_vm_create(&vm), 0);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV, 0x100, &tdev_ops, &d), 0);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV + 0xff, 0x10, &tdev_ops, &d), -EEXIST);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV - 0x10, 0x11, &tdev_ops, &d), -EEXIST);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV + 0x100, 0, &tdev_ops, &d), -EINVAL);
	CHECK_EQ(ppcvm_iobus_register(vm, ~0ull - 4, 0x10, &tdev_ops, &d), -EINVAL);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV + 0x100, 0x10, NULL, &d), -EINVAL);
	CHECK_EQ(ppcvm_iobus_register(vm, DEV + 0x100, 0x10, &tdev_ops, &d), 0);
	CHECK_EQ(ppcvm_iobus_unregister(vm, DEV + 0x100), 0);
	CHECK_EQ(ppcvm_iobus_unregister(vm, DEV + 0x100), -ENOENT);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 3, 5, 0, 0), -EINVAL);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 0, 5, 1, PPCVM_IOEVENTFD_DATAMATCH), -EINVAL);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 2, 5, 0x10000, PPCVM_IOEVENTFD_DATAMATCH), -EINVAL);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, -1, 0, 0), -EINVAL);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 0, 1u << 3), -EINVAL);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 0, 0), 0);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 0, 0), -EEXIST);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 7, PPCVM_IOEVENTFD_DATAMATCH), 0);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 7, PPCVM_IOEVENTFD_DEASSIGN), 0);
	CHECK_EQ(ppcvm_ioeventfd(vm, DEV, 4, 5, 7, PPCVM_IOEVENTFD_DEASSIGN), -ENOENT);
	ppcvm_vm_destroy(vm); /* with a device and an ioeventfd left: no leak */
}

/* Loads and stores of every size on the device: served in run(), no exit */
TEST(iobus_device_no_exit)
{
	uint32_t code[] = {
		I_D(38u, 6u, 4u, 1),	     /* stb r6,1(r4) */
		I_D(44u, 6u, 4u, 2),	     /* sth r6,2(r4) */
		I_D(36u, 6u, 4u, 4),	     /* stw r6,4(r4) */
		I_DS(62u, 6u, 4u, 8, 0u),    /* std r6,8(r4) */
		I_DS(58u, 7u, 4u, 0x40, 0u), /* ld r7,0x40(r4) */
		I_D(42u, 8u, 4u, 0x40),	     /* lha r8,0x40(r4) */
		I_X(534u, 9u, 4u, 5u),	     /* lwbrx r9,r4,r5 (0x40) */
		I_D(47u, 29u, 4u, 0x80),     /* stmw r29,0x80(r4) */
		I_D(33u, 10u, 4u, 0x44),     /* lwzu r10,0x44(r4) */
		I_SC1,
	};
	struct menv e;
	struct tdev d;

	memset(&d, 0, sizeof(d));
	me_putbe(d.regs + 0x40, 8, 0x8899aabbccddeeffull);
	CHECK_EQ(me_init(&e, code, 10), 0);
	CHECK_EQ(ppcvm_iobus_register(e.vm, DEV, 0x100, &tdev_ops, &d), 0);
	me_set_gpr(&e, 4, DEV);
	me_set_gpr(&e, 5, 0x40);
	me_set_gpr(&e, 6, STVAL_IOB);
	for (int r = 29; r < 32; r++)
		me_set_gpr(&e, r, 0x1000u * (unsigned)r);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_pc(&e), ME_CODE + 40);
	CHECK_EQ(d.regs[1], 0x88);
	CHECK_EQ(me_getbe(d.regs + 2, 2), 0x7788);
	CHECK_EQ(me_getbe(d.regs + 4, 4), 0x55667788);
	CHECK_EQ(me_getbe(d.regs + 8, 8), STVAL_IOB);
	CHECK_EQ(me_gpr(&e, 7), 0x8899aabbccddeeffull);
	CHECK_EQ(me_gpr(&e, 8), 0xffffffffffff8899ull);
	CHECK_EQ(me_gpr(&e, 9), 0xbbaa9988);
	for (int r = 29; r < 32; r++)
		CHECK_EQ(me_getbe(d.regs + 0x80 + 4 * (r - 29), 4), 0x1000u * (unsigned)r);
	CHECK_EQ(me_gpr(&e, 10), 0xccddeeff);
	CHECK_EQ(me_gpr(&e, 4), DEV + 0x44);
	/* each access reached the device exactly once (no replay repeats) */
	CHECK_EQ(d.nwrite, 4 + 3);
	CHECK_EQ(d.nread, 4);
	/* after unregister the same access exits */
	CHECK_EQ(ppcvm_iobus_unregister(e.vm, DEV), 0);
	me_set_pc(&e, ME_CODE);
	me_set_gpr(&e, 4, DEV);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, DEV + 1);
	me_fini(&e);
}

/* An ld across two devices, an std from a device into no device: split at the edges */
TEST(iobus_device_split_at_edges)
{
	uint32_t code[] = {
		I_DS(58u, 7u, 4u, 0, 0u), /* ld r7,0(r4): 3 bytes in A, 5 in B */
		I_DS(62u, 6u, 5u, 0, 0u), /* std r6,0(r5): 4 in B, 4 outside */
		I_SC1,
	};
	struct menv e;
	struct tdev a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	me_putbe(a.regs + 0x7d, 3, 0x010203);
	me_putbe(b.regs, 5, 0x0405060708ull);
	CHECK_EQ(me_init(&e, code, 3), 0);
	CHECK_EQ(ppcvm_iobus_register(e.vm, DEV, 0x80, &tdev_ops, &a), 0);
	CHECK_EQ(ppcvm_iobus_register(e.vm, DEV + 0x80, 0x40, &tdev_ops, &b), 0);
	me_set_gpr(&e, 4, DEV + 0x7d);
	me_set_gpr(&e, 5, DEV + 0xbc);
	me_set_gpr(&e, 6, STVAL_IOB);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	/* the part outside every device exits, alone */
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, DEV + 0xc0);
	CHECK_EQ(e.run->mmio.len, 4);
	CHECK_EQ(me_getbe(e.run->mmio.data, 4), 0x55667788);
	CHECK_EQ(me_getbe(b.regs + 0x3c, 4), 0x11223344);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0x0102030405060708ull);
	CHECK_EQ(a.nread, 1);
	CHECK_EQ(b.nread, 1);
	CHECK_EQ(b.nwrite, 1); /* not repeated by the replay after the exit */
	CHECK_EQ(b.last_len, 4);
	me_fini(&e);
}

static uint64_t efd_count(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, 8) != 8)
		return 0;
	return v;
}

TEST(iobus_ioeventfd)
{
	uint32_t code[] = {
		I_D(36u, 6u, 4u, 0x50), /* stw r6 -> notify (any value) */
		I_D(36u, 7u, 4u, 0x54), /* stw r7 -> datamatch 2 only */
		I_D(36u, 8u, 4u, 0x54), /* stw r8 */
		I_D(44u, 6u, 4u, 0x50), /* sth: wrong length: exits */
		I_D(32u, 9u, 4u, 0x50), /* lwz: reads never taken */
		I_SC1,
	};
	struct menv e;
	int fd = eventfd(0, EFD_NONBLOCK), fd2 = eventfd(0, EFD_NONBLOCK);

	CHECK_EQ(me_init(&e, code, 6), 0);
	CHECK_EQ(ppcvm_ioeventfd(e.vm, DEV + 0x50, 4, fd, 0, 0), 0);
	CHECK_EQ(ppcvm_ioeventfd(e.vm, DEV + 0x54, 4, fd2, 2, PPCVM_IOEVENTFD_DATAMATCH), 0);
	me_set_gpr(&e, 4, DEV);
	me_set_gpr(&e, 6, 0);
	me_set_gpr(&e, 7, 2);
	me_set_gpr(&e, 8, 3);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO); /* stw r8: value 3 */
	CHECK_EQ(e.run->mmio.phys_addr, DEV + 0x54);
	CHECK_EQ(me_getbe(e.run->mmio.data, 4), 3);
	CHECK_EQ(efd_count(fd), 1);
	CHECK_EQ(efd_count(fd2), 1);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.len, 2);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.is_write, 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(efd_count(fd), 0);
	/* little-endian datamatch (virtio-mmio): an LE value 2 is bytes 02 00 00 00 */
	CHECK_EQ(ppcvm_ioeventfd(e.vm, DEV + 0x58, 4, fd, 2,
				 PPCVM_IOEVENTFD_DATAMATCH | PPCVM_IOEVENTFD_LITTLE_ENDIAN),
		 0);
	{
		uint32_t c2[] = { I_D(36u, 6u, 4u, 0x58), I_SC1 };

		me_code(&e, ME_CODE + 0x100, c2, 2);
		me_set_pc(&e, ME_CODE + 0x100);
		me_set_gpr(&e, 6, 0x02000000);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		CHECK_EQ(efd_count(fd), 1);
	}
	/* deassigned: the notify store exits */
	CHECK_EQ(ppcvm_ioeventfd(e.vm, DEV + 0x50, 4, fd, 0, PPCVM_IOEVENTFD_DEASSIGN), 0);
	me_set_pc(&e, ME_CODE);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, DEV + 0x50);
	me_fini(&e);
	close(fd);
	close(fd2);
}

/* r3 = nr, r4 = size, r5 = addr, r6 = value; sc 1 */
static void ci_call(struct menv *e, uint64_t nr, uint64_t size, uint64_t addr, uint64_t val)
{
	uint32_t code[] = { I_SC1, I_SC1 };

	me_code(e, ME_CODE + 0x200, code, 2);
	me_set_pc(e, ME_CODE + 0x200);
	me_set_gpr(e, 3, nr);
	me_set_gpr(e, 4, size);
	me_set_gpr(e, 5, addr);
	me_set_gpr(e, 6, val);
	ppcvm_vcpu_run(e->vcpu);
}

TEST(iobus_logical_ci_in_core)
{
	struct menv e;
	struct tdev d;
	uint64_t en_ld[4] = { H_LOGICAL_CI_LOAD, 1, 0, 0 };
	uint64_t en_st[4] = { H_LOGICAL_CI_STORE, 1, 0, 0 };
	static const unsigned sizes[] = { 1, 2, 4, 8 };

	memset(&d, 0, sizeof(d));
	CHECK_EQ(me_init(&e, NULL, 0), 0);
	CHECK_EQ(ppcvm_iobus_register(e.vm, DEV, 0x100, &tdev_ops, &d), 0);
	/* off by default: the VMM gets it */
	ci_call(&e, H_LOGICAL_CI_STORE, 4, DEV, 1);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(e.run->papr_hcall.nr, H_LOGICAL_CI_STORE);
	CHECK_EQ(d.nwrite, 0);
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, en_ld), 0);
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, en_st), 0);
	for (unsigned i = 0; i < 4; i++) {
		unsigned n = sizes[i];
		uint64_t v = 0x8182838485868788ull >> (64 - 8 * n);

		ci_call(&e, H_LOGICAL_CI_STORE, n, DEV + 0x10, 0xdead000000000000ull | v);
		if (n == 8)
			v = 0xdead000000000000ull | v;
		/* served in core: the run goes on to the second sc 1 */
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		CHECK_EQ(e.run->papr_hcall.nr, H_SUCCESS);
		CHECK_EQ(me_pc(&e), ME_CODE + 0x208);
		CHECK_EQ(me_getbe(d.regs + 0x10, n), v); /* big-endian bus */
		CHECK_EQ(d.last_len, n);
		me_putbe(d.regs + 0x20, n, v);
		ci_call(&e, H_LOGICAL_CI_LOAD, n, DEV + 0x20, 0);
		CHECK_EQ(me_pc(&e), ME_CODE + 0x208);
		CHECK_EQ(me_gpr(&e, 3), H_SUCCESS);
		CHECK_EQ(me_gpr(&e, 4), v);
	}
	/* bad size: H_TOO_HARD in the core, so the VMM answers (H_PARAMETER) */
	ci_call(&e, H_LOGICAL_CI_LOAD, 3, DEV, 0);
	CHECK_EQ(me_pc(&e), ME_CODE + 0x204);
	CHECK_EQ(e.run->papr_hcall.nr, H_LOGICAL_CI_LOAD);
	CHECK_EQ(e.run->papr_hcall.args[0], 3);
	/* not on the bus: exits for the VMM's own devices */
	ci_call(&e, H_LOGICAL_CI_STORE, 4, DEV + 0x1000, 5);
	CHECK_EQ(me_pc(&e), ME_CODE + 0x204);
	CHECK_EQ(e.run->papr_hcall.nr, H_LOGICAL_CI_STORE);
	CHECK_EQ(e.run->papr_hcall.args[1], DEV + 0x1000);
	/* straddling the device's end: not the bus's, the VMM splits or refuses */
	ci_call(&e, H_LOGICAL_CI_LOAD, 8, DEV + 0xfc, 0);
	CHECK_EQ(me_pc(&e), ME_CODE + 0x204);
	/* disabled again: exits */
	en_st[1] = 0;
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, en_st), 0);
	ci_call(&e, H_LOGICAL_CI_STORE, 4, DEV, 1);
	CHECK_EQ(me_pc(&e), ME_CODE + 0x204);
	me_fini(&e);
}

/* ---- seeds/003: SLOF notifying a dataplane queue in real mode ---------- */

#define NOTIFY	 (DEV + 0x50)
#define NOTIFIES 2000

struct iothread {
	int efd, stop_fd;
	uint64_t seen;
};

/* The dataplane iothread: sleeps on the eventfd, counts notifications */
static void *iothread_fn(void *arg)
{
	struct iothread *t = arg;

	for (;;) {
		struct pollfd p[2] = { { t->efd, POLLIN, 0 }, { t->stop_fd, POLLIN, 0 } };
		uint64_t v;

		poll(p, 2, 1000);
		if (p[0].revents & POLLIN && read(t->efd, &v, 8) == 8)
			__atomic_add_fetch(&t->seen, v, __ATOMIC_SEQ_CST);
		if (p[1].revents & POLLIN) {
			while (read(t->efd, &v, 8) == 8)
				__atomic_add_fetch(&t->seen, v, __ATOMIC_SEQ_CST);
			return NULL;
		}
	}
}

/*
 * Real-mode guest: NOTIFIES times H_LOGICAL_CI_STORE(4, NOTIFY, queue 0),
 * checking r3 == H_SUCCESS each time (else it stops with sc 1 r3 = 0xbad).
 */
static unsigned seed_scenario(bool in_core, unsigned *exits)
{
	uint32_t code[] = {
		I_LI(20, NOTIFIES),
		I_MTCTR(20),
		/* loop: */
		I_LI(3, H_LOGICAL_CI_STORE),
		I_LI(4, 4),
		I_ADDIS(5, 0, (uint32_t)(NOTIFY >> 16)),
		I_ORI(5, 5, (uint32_t)NOTIFY & 0xffff),
		I_LI(6, 0),
		I_SC1,
		0x2c230000u, /* cmpdi r3,0 */
		0x40820008u, /* bne +8 */
		I_BDNZ(-32),
		I_LI(3, 0x7777), /* done marker */
		I_SC1,
	};
	struct menv e;
	struct iothread t = { eventfd(0, EFD_NONBLOCK), eventfd(0, 0), 0 };
	pthread_t th;
	uint64_t en[4] = { H_LOGICAL_CI_STORE, 1, 0, 0 };
	unsigned n = 0;

	*exits = 0;
	if (me_init(&e, code, sizeof(code) / 4))
		return 0;
	CHECK_EQ(ppcvm_ioeventfd(e.vm, NOTIFY, 4, t.efd, 0, PPCVM_IOEVENTFD_DATAMATCH), 0);
	if (in_core)
		CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, en), 0);
	pthread_create(&th, NULL, iothread_fn, &t);
	for (;;) {
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		if (e.run->exit_reason != PPCVM_EXIT_PAPR_HCALL)
			break;
		if (e.run->papr_hcall.nr != H_LOGICAL_CI_STORE)
			break;
		/*
		 * The VMM's own handler (as QEMU's h_logical_store): the notify
		 * register's write handler kicks the queue, i.e. the eventfd.
		 */
		(*exits)++;
		if (e.run->papr_hcall.args[0] == 4 && e.run->papr_hcall.args[1] == NOTIFY) {
			uint64_t one = 1;

			CHECK_EQ(write(t.efd, &one, 8), 8);
		}
		e.run->papr_hcall.ret = H_SUCCESS;
		if (++n > NOTIFIES + 5)
			break;
	}
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(e.run->papr_hcall.nr, 0x7777); /* the guest finished */
	{
		uint64_t one = 1;

		CHECK_EQ(write(t.stop_fd, &one, 8), 8);
	}
	pthread_join(th, NULL);
	me_fini(&e);
	close(t.efd);
	close(t.stop_fd);
	return (unsigned)t.seen;
}

TEST(iobus_seed003_real_mode_ci_notify_ioeventfd)
{
	unsigned exits;

	/* in-core path on: the iothread sees every notify, the run loop none */
	CHECK_EQ(seed_scenario(true, &exits), NOTIFIES);
	CHECK_EQ(exits, 0);
	/* off (a kernel without it): the VMM handler serves each, no stall */
	CHECK_EQ(seed_scenario(false, &exits), NOTIFIES);
	CHECK_EQ(exits, NOTIFIES);
}

/* ---- Translated accesses reach the bus too ----------------------------- */

#include "core/core.h"
#include "mmu_fixture.h"

/*
 * MMU on: EA 0x10000000 (segment 1) maps to the device page (I=1, G=1);
 * the code page is mapped 1:1. The device sees the accesses, no exit.
 */
TEST(iobus_translated_access)
{
	uint32_t code[] = { I_D(36u, 6u, 4u, 0x20), I_D(32u, 7u, 4u, 0x20), I_SC1 };
	struct menv e;
	struct tdev d;
	struct fx fake;
	uint64_t msr = 0x8000000000001030ull; /* SF, ME, IR, DR */

	memset(&d, 0, sizeof(d));
	CHECK_EQ(me_init(&e, code, 3), 0);
	CHECK_EQ(ppcvm_iobus_register(e.vm, DEV, 0x100, &tdev_ops, &d), 0);
	memset(&fake, 0, sizeof(fake));
	fake.cpu = &e.vcpu->cpu;
	mx_slb(&fake, 0, 0, false, MX_VSID0, SLB_VSID_KP);
	mx_slb(&fake, 1, 0x10000000, false, MX_VSID0 + 1, SLB_VSID_KP);
	CHECK(mx_insert(e.vm->hpt, MX_VSID0, false, ME_CODE, 12, ME_CODE | 2, false, -1) >= 0);
	CHECK(mx_insert(e.vm->hpt, MX_VSID0 + 1, false, 0x10000000, 12,
			DEV | HPTE_R_I | HPTE_R_G | 2, false, -1) >= 0);
	ppcvm_vcpu_set_one_reg(e.vcpu, PPCVM_REG_MSR, &msr);
	me_set_gpr(&e, 4, 0x10000000);
	me_set_gpr(&e, 6, 0xa1b2c3d4);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_pc(&e), ME_CODE + 12);
	CHECK_EQ(me_getbe(d.regs + 0x20, 4), 0xa1b2c3d4);
	CHECK_EQ(me_gpr(&e, 7), 0xa1b2c3d4);
	CHECK_EQ(d.nwrite, 1);
	CHECK_EQ(d.nread, 1);
	me_fini(&e);
}

/* ---- The VMM's side: H_LOGICAL_CI_* the core hands back ---------------- */

#include "vmm/machine.h"

TEST(iobus_vmm_logical_ci_handlers)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	char err[128];
	uint64_t args[9] = { 0 };

	CHECK(m != NULL);
	if (!m || machine_init_tables(m, &cfg, err, sizeof(err))) {
		free(m);
		CHECK(0);
		return;
	}
	m->mmio_logged = true; /* quiet */
	/* nothing there: loads read all-ones of the size, big-endian */
	args[0] = 2;
	args[1] = 0x3e0000000000ull;
	CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_LOAD, args), H_SUCCESS);
	CHECK_EQ(args[0], 0xffff);
	args[0] = 8;
	CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_LOAD, args), H_SUCCESS);
	CHECK_EQ(args[0], ~0ull);
	args[0] = 4;
	args[2] = 0x12345678;
	CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_STORE, args), H_SUCCESS);
	/* the sizes KVM hands back: H_PARAMETER, as QEMU */
	for (uint64_t size = 0; size < 17; size++) {
		if (size == 1 || size == 2 || size == 4 || size == 8)
			continue;
		args[0] = size;
		CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_LOAD, args), (uint64_t)H_PARAMETER);
		args[0] = size;
		CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_STORE, args), (uint64_t)H_PARAMETER);
	}
	args[0] = ~0ull;
	CHECK_EQ(hcall_dispatch(m, NULL, H_LOGICAL_CI_LOAD, args), (uint64_t)H_PARAMETER);
	free(m);
}
