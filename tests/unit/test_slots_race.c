/* SPDX-License-Identifier: MIT */
/*
 * Slot changes and instruction rewrites racing with a running vCPU
 * (seeds/002 and seeds/004). Also built with ThreadSanitizer (make tsan):
 * the slots_race_* tests run there; the last_insn_* ones rewrite guest code
 * under a running vCPU, which is a guest-memory race by design, so they run
 * in the ordinary and ASan builds only.
 *
 * - A data slot deleted (or made READONLY) while two vCPUs store to it in a
 *   loop: once set_memslot returns, the host memory is never written again.
 * - IO bus devices and ioeventfds added and removed under a running vCPU: no
 *   callback once unregister returned.
 * - The code page's slot deleted and restored in a loop while the guest runs
 *   from it (with an MMIO store in the loop): no host fault, no hang; the
 *   guest gets the architected interrupt for a fetch from no memory and
 *   re-executes.
 * - The MMIO instruction rewritten (store <-> load) thousands of times by
 *   another thread: every exit matches the instruction that executed (the
 *   replay runs the saved word, never a re-read one).
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "harness.h"
#include "mmio_env.h"

#define DSLOT 0x800000ull /* slot 1: data (race 1) */
#define CSLOT ME_RAM	  /* slot 1: code (race 2), right after slot 0 */
#define RFID  0x4c000024u

struct runner {
	struct menv *e;
	int stop;
	unsigned long mmio, bad, runs;
	uint64_t bad_addr;
	uint32_t bad_reason;
	uint64_t lo, hi; /* MMIO exits must be writes of 4 bytes in [lo, hi) */
};

static void *run_vcpu(void *arg)
{
	struct runner *r = arg;

	for (;;) {
		if (ppcvm_vcpu_run(r->e->vcpu)) {
			__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
			break;
		}
		r->runs++;
		if (r->e->run->exit_reason == PPCVM_EXIT_INTR) {
			if (__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
				break;
			continue;
		}
		if (r->e->run->exit_reason == PPCVM_EXIT_MMIO && r->e->run->mmio.is_write &&
		    r->e->run->mmio.len == 4 && r->e->run->mmio.phys_addr >= r->lo &&
		    r->e->run->mmio.phys_addr < r->hi) {
			__atomic_add_fetch(&r->mmio, 1, __ATOMIC_RELAXED);
			continue;
		}
		__atomic_add_fetch(&r->bad, 1, __ATOMIC_RELAXED);
		r->bad_reason = r->e->run->exit_reason;
		r->bad_addr = r->e->run->mmio.phys_addr;
		break;
	}
	return NULL;
}

static void stop_runner(struct runner *r, pthread_t t)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	ppcvm_vcpu_kick(r->e->vcpu);
	pthread_join(t, NULL);
}

/*
 * Two vCPUs store to their own words of a data slot in a loop while the
 * slot is deleted or made read-only and restored 300 times.
 */
TEST(slots_race_delete_data_slot_while_running)
{
	uint32_t code[] = {
		I_ADDI(20, 20, 1),
		I_D(36u, 20u, 4u, 0), /* stw r20,0(r4) */
		I_D(36u, 20u, 5u, 0), /* stw r20,0(r5): next page */
		I_B(-12),
	};
	struct menv e, e1;
	struct runner r[2] = {
		{ &e, 0, 0, 0, 0, 0, 0, DSLOT, DSLOT + 0x2000 },
		{ &e1, 0, 0, 0, 0, 0, 0, DSLOT, DSLOT + 0x2000 },
	};
	uint8_t *b = aligned_alloc(4096, 0x2000);
	unsigned changed = 0, progress_waits = 0;
	struct ppcvm_regs regs;
	pthread_t t[2];

	memset(b, 0, 0x2000);
	CHECK_EQ(me_init(&e, code, 4), 0);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, DSLOT, 0x2000, b, 0), 0);
	e1 = e;
	CHECK_EQ(ppcvm_vcpu_create(e.vm, 1, &e1.vcpu), 0);
	e1.run = ppcvm_vcpu_run_data(e1.vcpu);
	me_set_gpr(&e, 4, DSLOT + 0x10);
	me_set_gpr(&e, 5, DSLOT + 0x1010);
	ppcvm_vcpu_get_regs(e.vcpu, &regs);
	regs.gpr[4] = DSLOT + 0x18; /* vCPU 1: its own words */
	regs.gpr[5] = DSLOT + 0x1018;
	ppcvm_vcpu_set_regs(e1.vcpu, &regs);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, run_vcpu, &r[i]);
	for (int i = 0; i < 300; i++) {
		uint8_t snap[2][0x20];
		unsigned long m0;

		/* delete, or make read-only: either way no more writes to b */
		if (i & 1)
			CHECK_EQ(ppcvm_set_memslot(e.vm, 1, DSLOT, 0x2000, b, PPCVM_MEM_READONLY),
				 0);
		else
			CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 0, 0, NULL, 0), 0);
		memcpy(snap[0], b, 0x20);
		memcpy(snap[1], b + 0x1000, 0x20);
		m0 = __atomic_load_n(&r[0].mmio, __ATOMIC_RELAXED);
		/* let the guest run into the hole a few times */
		for (int k = 0; k < 1000; k++) {
			if (__atomic_load_n(&r[0].mmio, __ATOMIC_RELAXED) >= m0 + 2 ||
			    __atomic_load_n(&r[0].bad, __ATOMIC_RELAXED))
				break;
			sched_yield();
		}
		if (memcmp(snap[0], b, 0x20) || memcmp(snap[1], b + 0x1000, 0x20))
			changed++;
		CHECK_EQ(ppcvm_set_memslot(e.vm, 1, DSLOT, 0x2000, b, 0), 0);
		if (__atomic_load_n(&r[0].bad, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&r[1].bad, __ATOMIC_RELAXED))
			break;
	}
	/* the guest still runs once the slot is back */
	while (progress_waits++ < 2000 && __atomic_load_n(&r[1].mmio, __ATOMIC_RELAXED) < 10)
		usleep(100);
	for (int i = 0; i < 2; i++) {
		stop_runner(&r[i], t[i]);
		CHECK_EQ(r[i].bad, 0);
		if (r[i].bad)
			printf("  bad exit %u at 0x%" PRIx64 "\n", r[i].bad_reason, r[i].bad_addr);
		CHECK(r[i].mmio > 0);
	}
	CHECK_EQ(changed, 0);
	CHECK(me_getbe(b + 0x10, 4) > 0);
	CHECK(me_getbe(b + 0x18, 4) > 0);
	me_fini(&e);
	free(b);
}

/*
 * The guest runs a loop in slot 1's only page, with an MMIO store in it;
 * slot 1 disappears and comes back 2000 times. Fetching from the hole is
 * the machine check QEMU gives; the handler in slot 0 counts it and returns
 * to re-execute.
 */
TEST(slots_race_code_page_removed_while_running)
{
	uint32_t loop[] = {
		I_ADDI(20, 20, 1),
		I_D(36u, 20u, 4u, 0),	   /* stw r20,0(r4): MMIO */
		I_D(36u, 20u, 0u, 0x7000), /* stw r20,0x7000(0): RAM */
		I_B(-12),
	};
	uint32_t mce[] = { I_ADDI(21, 21, 1), RFID };
	struct menv e;
	struct runner r = { &e, 0, 0, 0, 0, 0, 0, ME_MMIO, ME_MMIO + 4 };
	uint8_t *page = aligned_alloc(4096, 4096);
	pthread_t t;
	unsigned waits = 0;
	uint64_t before;

	memset(page, 0, 4096);
	for (unsigned i = 0; i < 4; i++)
		me_put32(page + 4 * i, loop[i]);
	CHECK_EQ(me_init(&e, NULL, 0), 0);
	me_code(&e, 0x200, mce, 2);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, CSLOT, 4096, page, 0), 0);
	me_set_pc(&e, CSLOT);
	me_set_gpr(&e, 4, ME_MMIO);
	pthread_create(&t, NULL, run_vcpu, &r);
	for (int i = 0; i < 2000 && !__atomic_load_n(&r.bad, __ATOMIC_RELAXED); i++) {
		CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 0, 0, NULL, 0), 0);
		if (i % 8 == 0)
			sched_yield();
		CHECK_EQ(ppcvm_set_memslot(e.vm, 1, CSLOT, 4096, page, 0), 0);
	}
	/* it goes on running the loop afterwards */
	before = __atomic_load_n(&r.mmio, __ATOMIC_RELAXED);
	while (__atomic_load_n(&r.mmio, __ATOMIC_RELAXED) < before + 100 && ++waits <= 20000 &&
	       !__atomic_load_n(&r.bad, __ATOMIC_RELAXED))
		usleep(50);
	CHECK(waits <= 20000);
	stop_runner(&r, t);
	CHECK_EQ(r.bad, 0);
	if (r.bad)
		printf("  bad exit %u at 0x%" PRIx64 "\n", r.bad_reason, r.bad_addr);
	CHECK(r.mmio > 0);
	if (getenv("PPCVM_TEST_VERBOSE"))
		printf("  %lu MMIO exits, %" PRIu64 " fetches from the hole\n", r.mmio,
		       me_gpr(&e, 21));
	me_fini(&e);
	free(page);
}

/* ---- The last instruction ------------------------------------------- */

#define X_ADDR	      (ME_CODE + 0x1000)
#define A_STORE	      I_D(36u, 5u, 4u, 0) /* stw r5,0(r4) */
#define B_LOAD	      I_D(32u, 6u, 4u, 8) /* lwz r6,8(r4) */
#define STORE_VAL     0x5a5a5a5au
#define REWRITES      2000
#define TIME_LIMIT_NS 20000000000ll /* generous: the suite shares 2 cores */

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

struct rewriter {
	struct menv *e;
	int stop;
	unsigned long writes;
	unsigned long *exits; /* the vCPU thread's exit count (atomic) */
};

/* The host rewrites the word through ppcvm_write_phys (decoded copies dropped) */
static void *rewrite_host(void *arg)
{
	struct rewriter *w = arg;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE) && w->writes < REWRITES) {
		uint8_t b[4];

		unsigned long seen;

		me_put32(b, (w->writes & 1) ? B_LOAD : A_STORE);
		ppcvm_write_phys(w->e->vm, X_ADDR, b, 4);
		__atomic_add_fetch(&w->writes, 1, __ATOMIC_RELAXED);
		/* let the vCPU run the new word a few times (bounded wait) */
		seen = __atomic_load_n(w->exits, __ATOMIC_RELAXED);
		for (int k = 0; k < 10000; k++) {
			if (__atomic_load_n(w->exits, __ATOMIC_RELAXED) >= seen + 2 ||
			    __atomic_load_n(&w->stop, __ATOMIC_RELAXED))
				break;
			sched_yield();
		}
	}
	return NULL;
}

/*
 * Guest at X: <stw r5,0(r4) | lwz r6,8(r4)>; stw r6,16(r4); b X. Checks
 * on every exit: +0 is a 4-byte write of r5; +8 a 4-byte read, answered
 * with a fresh value k; +16 a write of r6, which must be the last k. A
 * store emulated as a load (or the reverse) breaks one of these.
 */
struct li_state {
	uint32_t k;
	unsigned long loads, stores, bad, exits;
};

static void last_insn_step(struct menv *e, struct li_state *st)
{
	struct ppcvm_run *run = e->run;

	if (ppcvm_vcpu_run(e->vcpu) || run->exit_reason != PPCVM_EXIT_MMIO) {
		st->bad++;
		return;
	}
	__atomic_add_fetch(&st->exits, 1, __ATOMIC_RELAXED);
	if (run->mmio.len != 4) {
		st->bad++;
	} else if (run->mmio.phys_addr == ME_MMIO) {
		st->stores++;
		if (!run->mmio.is_write || me_getbe(run->mmio.data, 4) != STORE_VAL)
			st->bad++;
	} else if (run->mmio.phys_addr == ME_MMIO + 8) {
		st->loads++;
		if (run->mmio.is_write)
			st->bad++;
		me_putbe(run->mmio.data, 4, ++st->k);
	} else if (run->mmio.phys_addr == ME_MMIO + 16) {
		if (!run->mmio.is_write || me_getbe(run->mmio.data, 4) != st->k)
			st->bad++;
	} else {
		st->bad++;
	}
}

static void last_insn_setup(struct menv *e)
{
	uint32_t code[] = { I_B(X_ADDR - ME_CODE) };
	uint32_t x[] = { A_STORE, I_D(36u, 6u, 4u, 16), I_B(-8) };

	me_init(e, code, 1);
	me_code(e, X_ADDR, x, 3);
	me_set_gpr(e, 4, ME_MMIO);
	me_set_gpr(e, 5, STORE_VAL);
	me_set_gpr(e, 6, 0);
}

TEST(last_insn_rewritten_by_host_thread)
{
	struct menv e;
	struct li_state st = { 0 };
	struct rewriter w = { &e, 0, 0, &st.exits };
	pthread_t t;

	last_insn_setup(&e);
	pthread_create(&t, NULL, rewrite_host, &w);
	long long t0 = mono_ns();

	while (!st.bad && __atomic_load_n(&w.writes, __ATOMIC_RELAXED) < REWRITES &&
	       (st.exits & 1023 || mono_ns() - t0 < TIME_LIMIT_NS))
		last_insn_step(&e, &st);
	__atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK_EQ(st.bad, 0);
	/* thousands of rewrites (all of them unless the machine is very busy) */
	CHECK(w.writes >= 1000);
	/* the rewrites were seen: both instructions ran many times */
	CHECK(st.loads > 100);
	CHECK(st.stores > 100);
	me_fini(&e);
}

struct v1 {
	struct ppcvm_vcpu *vcpu;
	int stop;
};

static void *run_v1(void *arg)
{
	struct v1 *v = arg;

	while (!__atomic_load_n(&v->stop, __ATOMIC_ACQUIRE))
		ppcvm_vcpu_run(v->vcpu);
	return NULL;
}

/*
 * A second vCPU rewrites the first one's MMIO instruction with guest stores
 * (store word, delay, load word, delay, ...) while the first one runs it.
 */
TEST(last_insn_rewritten_by_second_vcpu)
{
	uint32_t v1code[] = {
		I_D(36u, 10u, 12u, 0), /* stw r10 (lwz word) to X */
		I_LI(13, 300),
		I_MTCTR(13),
		I_BDNZ(0),
		I_D(36u, 11u, 12u, 0), /* stw r11 (stw word) to X */
		I_LI(13, 300),
		I_MTCTR(13),
		I_BDNZ(0),
		I_ADDI(14, 14, 1),
		I_DS(62u, 14u, 0u, 0x7000, 0u), /* std r14,0x7000(0): progress */
		I_B(-40),
	};
	struct menv e;
	struct v1 v = { NULL, 0 };
	struct li_state st = { 0 };
	struct ppcvm_regs regs;
	pthread_t t;
	uint64_t rewrites = 0;

	last_insn_setup(&e);
	me_code(&e, ME_CODE + 0x3000, v1code, sizeof(v1code) / 4);
	CHECK_EQ(ppcvm_vcpu_create(e.vm, 1, &v.vcpu), 0);
	ppcvm_vcpu_get_regs(v.vcpu, &regs);
	regs.pc = ME_CODE + 0x3000;
	regs.msr = 0x8000000000001000ull;
	regs.gpr[10] = B_LOAD;
	regs.gpr[11] = A_STORE;
	regs.gpr[12] = X_ADDR;
	ppcvm_vcpu_set_regs(v.vcpu, &regs);
	pthread_create(&t, NULL, run_v1, &v);
	long long t0 = mono_ns();

	/* until the second vCPU has rewritten the word 500 times */
	while (!st.bad && (st.exits & 1023 ||
			   (me_getbe(e.ram + 0x7000, 8) < 500 && mono_ns() - t0 < TIME_LIMIT_NS)))
		last_insn_step(&e, &st);
	__atomic_store_n(&v.stop, 1, __ATOMIC_RELEASE);
	ppcvm_vcpu_kick(v.vcpu);
	pthread_join(t, NULL);
	ppcvm_vcpu_get_one_reg(v.vcpu, PPCVM_REG_GPR(14), &rewrites);
	CHECK_EQ(st.bad, 0);
	CHECK(rewrites >= 500);
	if (getenv("PPCVM_TEST_VERBOSE"))
		printf("  %" PRIu64 " rewrites; %lu loads, %lu stores ran\n", rewrites, st.loads,
		       st.stores);
	me_fini(&e);
}

/* ---- IO bus devices and ioeventfds added/removed under a running vCPU ---- */

struct cdev {
	unsigned long writes; /* atomic: callbacks run on the vCPU thread */
};

static void cdev_write(void *opaque, uint64_t off, const uint8_t *data, uint32_t len)
{
	struct cdev *d = opaque;

	(void)off;
	(void)data;
	(void)len;
	__atomic_add_fetch(&d->writes, 1, __ATOMIC_RELAXED);
}

TEST(slots_race_iobus_changes_while_running)
{
	uint32_t code[] = {
		I_ADDI(20, 20, 1),
		I_D(36u, 20u, 4u, 0),	  /* stw r20,0(r4): the device */
		I_D(36u, 20u, 4u, 0x100), /* stw r20,0x100(r4): an ioeventfd */
		I_B(-12),
	};
	static const struct ppcvm_iobus_ops ops = { NULL, cdev_write };
	struct menv e;
	struct cdev d = { 0 };
	struct runner r = { &e, 0, 0, 0, 0, 0, 0, ME_MMIO, ME_MMIO + 0x104 };
	int efd = eventfd(0, EFD_NONBLOCK);
	unsigned late = 0;
	pthread_t t;

	CHECK_EQ(me_init(&e, code, 4), 0);
	me_set_gpr(&e, 4, ME_MMIO);
	pthread_create(&t, NULL, run_vcpu, &r);
	for (int i = 0; i < 500 && !__atomic_load_n(&r.bad, __ATOMIC_RELAXED); i++) {
		unsigned long w;

		CHECK_EQ(ppcvm_iobus_register(e.vm, ME_MMIO, 0x10, &ops, &d), 0);
		CHECK_EQ(ppcvm_ioeventfd(e.vm, ME_MMIO + 0x100, 4, efd, 0, 0), 0);
		w = __atomic_load_n(&d.writes, __ATOMIC_RELAXED);
		for (int k = 0; k < 2000 && __atomic_load_n(&d.writes, __ATOMIC_RELAXED) == w; k++)
			sched_yield();
		CHECK_EQ(
			ppcvm_ioeventfd(e.vm, ME_MMIO + 0x100, 4, efd, 0, PPCVM_IOEVENTFD_DEASSIGN),
			0);
		CHECK_EQ(ppcvm_iobus_unregister(e.vm, ME_MMIO), 0);
		/* once unregister returned, no callback runs any more */
		w = __atomic_load_n(&d.writes, __ATOMIC_RELAXED);
		sched_yield();
		if (__atomic_load_n(&d.writes, __ATOMIC_RELAXED) != w)
			late++;
	}
	stop_runner(&r, t);
	CHECK_EQ(late, 0);
	CHECK_EQ(r.bad, 0);
	CHECK(r.mmio > 0);
	CHECK(__atomic_load_n(&d.writes, __ATOMIC_RELAXED) > 0);
	me_fini(&e);
	close(efd);
}
