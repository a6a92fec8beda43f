/* SPDX-License-Identifier: MIT */
/*
 * The KVM paravirtual interface through the public API (src/core/pv.c,
 * src/cpu/magic.c): capability, PVINFO, the ePAPR hypercalls, the magic page
 * as the storage of MSR/SPRG/SRR/DAR/DSISR, its byte order, critical
 * sections, EV_IDLE, and hostile arguments. Snippets run big-endian in
 * 64-bit real mode (the guest programs tests/guest/progs/pv*.c cover
 * translation, problem state, little-endian and 32-bit mode).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libfdt.h>
#include <ppcvm/ppcvm.h>

#include "harness.h"
#include "vmm/machine.h"

#define RAM_SIZE (4u << 20)
#define CODE	 0x10000u
#define MAGIC_PA 0x3000u

#define LI(rt, v)	  (0x38000000u | (rt) << 21 | ((v)&0xffff))
#define LIS(rt, v)	  (0x3c000000u | (rt) << 21 | ((v)&0xffff))
#define ORI(ra, rs, v)	  (0x60000000u | (rs) << 21 | (ra) << 16 | ((v)&0xffff))
#define LD(rt, ra, d)	  (0xe8000000u | (rt) << 21 | (ra) << 16 | ((d)&0xfffc))
#define STD(rs, ra, d)	  (0xf8000000u | (rs) << 21 | (ra) << 16 | ((d)&0xfffc))
#define LWZ(rt, ra, d)	  (0x80000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define STW(rs, ra, d)	  (0x90000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))
#define MFSPR(rt, spr)	  (0x7c0002a6u | (rt) << 21 | ((spr)&31) << 16 | ((spr) >> 5) << 11)
#define MTSPR(spr, rs)	  (0x7c0003a6u | (rs) << 21 | ((spr)&31) << 16 | ((spr) >> 5) << 11)
#define MFMSR(rt)	  (0x7c0000a6u | (rt) << 21)
#define MTMSRD_L1(rs)	  (0x7c010164u | (rs) << 21)
#define LWARX(rt, ra, rb) (0x7c000028u | (rt) << 21 | (ra) << 16 | (rb) << 11)
#define SC1		  0x44000022u
#define SC0		  0x44000002u
#define B_SELF		  0x48000000u
#define NOP		  0x60000000u
/* r0 = "KVM!" */
#define KVM_R0 LIS(0, 0x4b56), ORI(0, 0, 0x4d21)

#define TOK_FEATURES 0x2a0003u
#define TOK_MAP	     0x2a0004u
#define TOK_IDLE     0x10010u

struct env {
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	uint8_t *ram;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint64_t get64be(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* A VM with RAM at 0, PV on or off, big-endian 64-bit real mode */
static int env_init(struct env *e, const uint32_t *code, unsigned n, int pv)
{
	struct ppcvm_regs regs;
	uint64_t args[4] = { (uint64_t)pv, 0, 0, 0 };

	memset(e, 0, sizeof(*e));
	e->ram = aligned_alloc(4096, RAM_SIZE);
	if (!e->ram || ppcvm_vm_create(&e->vm))
		return -1;
	memset(e->ram, 0, RAM_SIZE);
	if (ppcvm_set_memslot(e->vm, 0, 0, RAM_SIZE, e->ram, 0) ||
	    ppcvm_vcpu_create(e->vm, 0, &e->vcpu) ||
	    ppcvm_enable_cap(e->vm, PPCVM_CAP_PPC_PV, args))
		return -1;
	e->run = ppcvm_vcpu_run_data(e->vcpu);
	for (unsigned i = 0; i < n; i++)
		put32(e->ram + CODE + 4 * i, code[i]);
	/* every vector: sc 1, so an interrupt shows as an hcall at vector + 4 */
	for (unsigned v = 0x100; v < 0x1000; v += 0x20)
		put32(e->ram + v, SC1);
	ppcvm_vcpu_get_regs(e->vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x8000000000001000ull;
	return ppcvm_vcpu_set_regs(e->vcpu, &regs);
}

static void env_fini(struct env *e)
{
	ppcvm_vm_destroy(e->vm);
	free(e->ram);
}

static struct ppcvm_regs regs_of(struct env *e)
{
	struct ppcvm_regs r;

	ppcvm_vcpu_get_regs(e->vcpu, &r);
	return r;
}

/* Run to the next exit; 1 if it is the sc 1 at the end of the snippet */
static int run_to_sc1(struct env *e)
{
	if (ppcvm_vcpu_run(e->vcpu))
		return 0;
	return e->run->exit_reason == PPCVM_EXIT_PAPR_HCALL;
}

TEST(pv_caps_and_pvinfo)
{
	struct ppcvm_vm *vm;
	struct ppcvm_pvinfo pi;
	uint64_t args[4] = { 2, 0, 0, 0 };

	CHECK_EQ(ppcvm_vm_create(&vm), 0);
	CHECK_EQ(ppcvm_check_cap(vm, PPCVM_CAP_PPC_GET_PVINFO), 1);
	CHECK_EQ(ppcvm_check_cap(vm, PPCVM_CAP_PPC_PV), 1);
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, args), -EINVAL);
	args[0] = 1;
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, args), 0);
	args[0] = 0;
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, args), 0);
	memset(&pi, 0xff, sizeof(pi));
	CHECK_EQ(ppcvm_get_pvinfo(vm, &pi), 0);
	CHECK_EQ(pi.flags, PPCVM_PVINFO_FLAGS_EV_IDLE);
	CHECK_EQ(pi.hcall[0], 0x3c004b56); /* lis r0,0x4b56 */
	CHECK_EQ(pi.hcall[1], 0x60004d21); /* ori r0,r0,0x4d21 */
	CHECK_EQ(pi.hcall[2], 0x44000002); /* sc */
	CHECK_EQ(pi.hcall[3], 0x60000000); /* nop */
	CHECK_EQ(pi.pad[0] | pi.pad[107], 0);
	CHECK_EQ(sizeof(pi), 128);
	CHECK_EQ(ppcvm_get_pvinfo(vm, NULL), -EINVAL);
	ppcvm_vm_destroy(vm);
}

TEST(pv_hcall_features_and_unimplemented)
{
	static const uint32_t code[] = {
		KVM_R0,	       LIS(11, 0x2a), ORI(11, 11, 3), LI(4, 99),     SC0,
		ORI(20, 3, 0), ORI(21, 4, 0), KVM_R0,	      LIS(11, 0x2a), ORI(11, 11, 77),
		SC0, /* unknown KVM nr */
		ORI(22, 3, 0), ORI(23, 4, 0), KVM_R0,	      LI(11, 0),     SC0,
		ORI(24, 3, 0), /* token 0 */
		LI(3, 0),      SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.pc, CODE + sizeof(code));
	CHECK_EQ(r.srr0, 0);
	CHECK_EQ(r.gpr[20], 0);
	CHECK_EQ(r.gpr[21], 2);	 /* 1 << KVM_FEATURE_MAGIC_PAGE */
	CHECK_EQ(r.gpr[22], 12); /* EV_UNIMPLEMENTED */
	CHECK_EQ(r.gpr[23], 0);
	CHECK_EQ(r.gpr[24], 12);
	env_fini(&e);
}

/* Without the capability, sc with r0 = "KVM!" is a system call */
TEST(pv_off_is_system_call)
{
	static const uint32_t code[] = {
		KVM_R0, LIS(11, 0x2a), ORI(11, 11, 3), LI(3, 55), SC0, SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 0), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.pc, 0xc04); /* the system call vector's sc 1 */
	CHECK_EQ(r.srr0, CODE + 24);
	CHECK_EQ(r.gpr[3], 55);
	env_fini(&e);
}

/*
 * Map at real MAGIC_PA (and EA -4096, NX flag): the page's fields are the
 * registers, both ways, and the RAM under the page is untouched.
 */
TEST(pv_magic_page_is_register_storage)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA),
		LI(4, -4095),
		SC0,
		ORI(20, 3, 0),
		ORI(21, 4, 0),
		/* mtsprg0 then the page: r22 */
		LIS(5, 0x1234),
		ORI(5, 5, 0x5678),
		MTSPR(272, 5),
		LI(6, MAGIC_PA),
		LD(22, 6, 32),
		/* the page then mfsrr0: r23 */
		LI(5, 0x4444),
		STD(5, 6, 64),
		MFSPR(23, 26),
		/* msr: ld agrees with mfmsr */
		LD(24, 6, 88),
		MFMSR(25),
		/* dsisr (32 bits) and dar via the page */
		LI(5, 0x0777),
		STW(5, 6, 96),
		MFSPR(26, 18),
		LI(5, 0x0aaa),
		STD(5, 6, 80),
		MFSPR(27, 19),
		/* sprg1-3, srr1 through the page */
		LI(5, 1),
		STD(5, 6, 40),
		LI(5, 2),
		STD(5, 6, 48),
		LI(5, 3),
		STD(5, 6, 56),
		LI(5, 0x700),
		STD(5, 6, 72),
		/* scratch fields are plain storage */
		LI(5, 0x5a),
		STD(5, 6, 8),
		LD(28, 6, 8),
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	struct ppcvm_sregs s;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	memset(e.ram + MAGIC_PA, 0xee, 4096);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	CHECK_EQ(r.gpr[20], 0);
	CHECK_EQ(r.gpr[21], 0); /* no magic page features on POWER8 */
	CHECK_EQ(r.gpr[22], 0x12345678);
	CHECK_EQ(r.gpr[23], 0x4444);
	CHECK_EQ(r.gpr[24], r.gpr[25]);
	CHECK_EQ(r.gpr[24], 0x8000000000001000ull);
	CHECK_EQ(r.gpr[26], 0x777);
	CHECK_EQ(r.gpr[27], 0xaaa);
	CHECK_EQ(s.dsisr, 0x777);
	CHECK_EQ(s.dar, 0xaaa);
	CHECK_EQ(r.sprg1, 1);
	CHECK_EQ(r.sprg2, 2);
	CHECK_EQ(r.sprg3, 3);
	CHECK_EQ(r.srr1, 0x700);
	CHECK_EQ(r.gpr[28], 0x5a);
	for (int i = 0; i < 4096; i++)
		if (e.ram[MAGIC_PA + i] != 0xee) {
			CHECK_EQ(i, -1); /* RAM under the page written */
			break;
		}
	env_fini(&e);
}

/*
 * Garbage in every field: only EE and RI of the msr field take effect,
 * int_pending stays the host's, and the guest runs on.
 */
TEST(pv_magic_page_garbage)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA),
		LI(4, 0),
		SC0,
		LI(6, MAGIC_PA),
		LI(5, -1),
		/* every doubleword of the page (r7 counts 512) */
		LI(7, 512),
		0x7ce903a6u /* mtctr r7 */,
		0x38c6fff8u /* addi r6,r6,-8 */,
		0xf8a60009u /* stdu r5,8(r6) */,
		0x4200fffcu /* bdnz -4 */,
		ORI(25, 6, 0),
		LI(6, MAGIC_PA),
		MFMSR(20),
		LD(21, 6, 88),
		LWZ(22, 6, 100),
		MFSPR(23, 272),
		LD(24, 6, 0),
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	/* MSR: SF|ME kept, EE and RI set, nothing else (HV, PR, LE, IR...) */
	CHECK_EQ(r.gpr[20], 0x8000000000001000ull | 0x8000 | 0x2);
	CHECK_EQ(r.gpr[21], r.gpr[20]);
	CHECK_EQ(r.gpr[22], 0);
	CHECK_EQ(r.gpr[23], ~0ull);
	CHECK_EQ(r.gpr[24], ~0ull);
	CHECK_EQ(r.gpr[25], MAGIC_PA + 4096 - 8); /* stdu updated RA */
	env_fini(&e);
}

/* Misaligned and out-of-range real addresses: EV_EINVAL, nothing mapped */
TEST(pv_map_bad_arguments)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA + 8),
		LI(4, -4096),
		SC0,
		ORI(20, 3, 0),
		/* r3 = 0x1000_0000_0000_3000: bits 0:3 neither 0 nor all 1 */
		LI(3, 1),
		0x7863e0c6u /* sldi r3,r3,60 */,
		ORI(3, 3, MAGIC_PA),
		KVM_R0,
		LI(4, -4096),
		SC0,
		ORI(21, 3, 0),
		/* nothing mapped: the RAM is read */
		LI(6, MAGIC_PA),
		LD(22, 6, 32),
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	memset(e.ram + MAGIC_PA, 0x11, 64);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.gpr[20], 8);
	CHECK_EQ(r.gpr[21], 8);
	CHECK_EQ(r.gpr[22], 0x1111111111111111ull);
	env_fini(&e);
}

/* shared_big_endian follows LPCR[ILE] at map time; values survive a switch */
TEST(pv_magic_page_byte_order)
{
	static const uint32_t code[] = {
		LIS(5, 0x0102),
		ORI(5, 5, 0x0304),
		MTSPR(273, 5),
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA),
		LI(4, 1),
		SC0,
		LI(6, MAGIC_PA),
		LD(20, 6, 40),
		SC1,
		/* second part: map again after ILE went back to 0 */
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA),
		LI(4, 1),
		SC0,
		LD(21, 6, 40),
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	struct ppcvm_sregs s;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	s.lpcr = 1ull << 25; /* LPCR[ILE] */
	CHECK_EQ(ppcvm_vcpu_set_sregs(e.vcpu, &s), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	/* a little-endian page read by a big-endian ld: byte-reversed */
	CHECK_EQ(r.gpr[20], 0x0403020100000000ull);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	s.lpcr = 0;
	CHECK_EQ(ppcvm_vcpu_set_sregs(e.vcpu, &s), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.gpr[21], 0x01020304);
	CHECK_EQ(r.sprg1, 0x01020304);
	env_fini(&e);
}

/*
 * int_pending and the critical section: with critical == r1 a pending
 * decrementer waits even with EE=1; storing EE=1 through the page (not
 * mtmsrd) delivers it once critical is left.
 */
TEST(pv_int_pending_and_critical)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, MAGIC_PA),
		LI(4, 0),
		SC0,
		LI(6, MAGIC_PA),
		LI(1, 0x7000),
		STD(1, 6, 24), /* critical = r1 */
		LI(5, 1),
		MTSPR(22, 5), /* DEC = 1 */
		LI(7, 20000),
		0x7ce903a6u,
		0x42000000u,	 /* spin: DEC < 0 */
		LWZ(20, 6, 100), /* int_pending */
		LD(5, 6, 88),
		ORI(5, 5, 0x8000),
		STD(5, 6, 88), /* EE = 1, page */
		LI(7, 2000),
		0x7ce903a6u,
		0x42000000u, /* no interrupt */
		LI(21, 1),
		LI(5, 2),
		STD(5, 6, 24), /* leave critical */
		LI(7, 2000),
		0x7ce903a6u,
		0x42000000u,
		LI(22, 1), /* not reached */
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.gpr[20], 1);
	CHECK_EQ(r.gpr[21], 1);
	CHECK_EQ(r.gpr[22], 0);
	CHECK_EQ(r.pc, 0x904); /* the decrementer vector's sc 1 */
	env_fini(&e);
}

/* EV_IDLE sleeps (EE=0) until the decrementer is pending, then returns */
TEST(pv_ev_idle)
{
	static const uint32_t code[] = {
		LIS(5, 0x100),	 MTSPR(22, 5), /* DEC = 16M ticks, ~33 ms */
		KVM_R0,		 LI(11, 1),	0x796b83e4u /* sldi r11,r11,16 */,
		ORI(11, 11, 16), LI(3, 7),	SC0,
		MFSPR(20, 22),	 ORI(21, 3, 0), SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	struct timespec t0, t1;
	double ms;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(run_to_sc1(&e));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r = regs_of(&e);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	CHECK_EQ(r.gpr[21], 0);
	CHECK((r.gpr[20] >> 31) & 1); /* woke because DEC went negative */
	CHECK(ms >= 25 && ms < 5000);
	env_fini(&e);
}

/* larx on the magic page: DSI (not memory); the problem-state sc: syscall */
TEST(pv_magic_page_larx_dsi)
{
	static const uint32_t code[] = {
		KVM_R0, LIS(11, 0x2a),	 ORI(11, 11, 4), LI(3, MAGIC_PA), LI(4, 0),
		SC0,	LI(6, MAGIC_PA), LI(7, 0),	 LWARX(20, 6, 7), SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	struct ppcvm_sregs s;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	CHECK_EQ(r.pc, 0x304);
	CHECK_EQ(s.dar, MAGIC_PA);
	env_fini(&e);
}

/* The magic page over the guest's own code: fetch runs the code, data sees the page */
TEST(pv_magic_page_over_own_code)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, 1),
		0x786383e4u /* sldi r3,r3,16 */,
		LI(4, 0),
		SC0,
		LIS(6, 1),
		LI(5, 0x33),
		STD(5, 6, 32), /* sprg0 via CODE page */
		LD(20, 6, 0),  /* scratch1, not code */
		MFSPR(21, 272),
		NOP,
		NOP,
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.pc, CODE + sizeof(code));
	CHECK_EQ(r.gpr[20], 0);
	CHECK_EQ(r.gpr[21], 0x33);
	/* the code in RAM is intact */
	CHECK_EQ(get64be(e.ram + CODE + 32), (uint64_t)code[8] << 32 | code[9]);
	env_fini(&e);
}

/* The VMM's /hypervisor node: present with PV (default), absent with --no-pv */
static int fdt_for(bool no_pv, uint8_t *fdt, size_t size)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1, .no_pv = no_pv };
	struct machine *m = calloc(1, sizeof(*m));
	char err[128];
	int ret = -1;

	if (m && !machine_init_tables(m, &cfg, err, sizeof(err)))
		ret = machine_build_fdt(m, fdt, size);
	free(m);
	return ret;
}

TEST(pv_vmm_hypervisor_node)
{
	static uint8_t fdt[FDT_MAX_SIZE];
	const fdt32_t *w;
	const char *c;
	int node, len;

	CHECK_EQ(fdt_for(false, fdt, sizeof(fdt)), 0);
	node = fdt_path_offset(fdt, "/hypervisor");
	CHECK(node >= 0);
	if (node < 0)
		return;
	c = fdt_getprop(fdt, node, "compatible", &len);
	CHECK(c && len == 29 && !strcmp(c, "linux,kvm") && !strcmp(c + 10, "epapr,hypervisor-1"));
	w = fdt_getprop(fdt, node, "hcall-instructions", &len);
	CHECK(w && len == 16);
	if (w && len == 16) {
		CHECK_EQ(fdt32_to_cpu(w[0]), 0x3c004b56);
		CHECK_EQ(fdt32_to_cpu(w[1]), 0x60004d21);
		CHECK_EQ(fdt32_to_cpu(w[2]), 0x44000002);
		CHECK_EQ(fdt32_to_cpu(w[3]), 0x60000000);
	}
	CHECK(fdt_getprop(fdt, node, "has-idle", &len) != NULL && len == 0);
	CHECK_EQ(fdt_for(true, fdt, sizeof(fdt)), 0);
	CHECK(fdt_path_offset(fdt, "/hypervisor") < 0);
}

/*
 * 32-bit mode sees the page at 0xfffff000 even when 64-bit mode left that
 * (ordinary) page in the soft TLB: real RAM at 0xfffff000 here.
 */
TEST(pv_magic_page_32bit_after_64bit_tlb)
{
	static const uint32_t code[] = {
		KVM_R0,
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, -4096),
		LI(4, -4096),
		SC0,
		LIS(9, 0xffff),
		0x79290020u /* clrldi r9,r9,32: 0xffff0000 */,
		ORI(9, 9, 0xf000),
		LD(20, 9, 88), /* 64-bit: RAM */
		0x7c0000a6u | 5 << 21 /* mfmsr r5 */,
		0x78a50040u /* clrldi r5,r5,1: SF=0 */,
		0x7c000164u | 5 << 21 /* mtmsrd r5 */,
		LD(21, 9, 88),
		MFMSR(22), /* 32-bit: the page */
		LI(3, 0),
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	uint8_t *hi = aligned_alloc(4096, 4096);

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	memset(hi, 0x77, 4096);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 0xfffff000ull, 4096, hi, 0), 0);
	CHECK(run_to_sc1(&e));
	r = regs_of(&e);
	CHECK_EQ(r.gpr[3], 0);
	CHECK_EQ(r.gpr[20], 0x7777777777777777ull);
	CHECK_EQ(r.gpr[21], r.gpr[22]);
	CHECK_EQ(r.gpr[22] >> 63, 0);
	env_fini(&e);
	free(hi);
}

/*
 * ppcvm_vcpu_get_stats: no magic page before the map hypercall, then its EA
 * and RA; hypercalls and exits counted (the PV call is in-core: no exit).
 */
TEST(pv_stats_magic_page_and_counters)
{
	static const uint32_t code[] = {
		SC1, KVM_R0, LIS(11, 0x2a), ORI(11, 11, 4), LI(3, MAGIC_PA), LI(4, -4096), SC0, SC1,
	};
	struct env e;
	struct ppcvm_vcpu_stats st;

	CHECK_EQ(env_init(&e, code, sizeof(code) / 4, 1), 0);
	CHECK_EQ(ppcvm_vcpu_get_stats(NULL, &st), -EINVAL);
	CHECK_EQ(ppcvm_vcpu_get_stats(e.vcpu, NULL), -EINVAL);
	CHECK_EQ(ppcvm_vcpu_get_stats(e.vcpu, &st), 0);
	CHECK_EQ(st.exits, 0);
	CHECK_EQ(st.magic_page_mapped, 0);
	CHECK(run_to_sc1(&e));
	e.run->papr_hcall.ret = 0;
	CHECK_EQ(ppcvm_vcpu_get_stats(e.vcpu, &st), 0);
	CHECK_EQ(st.exits, 1);
	CHECK_EQ(st.hcalls, 1);
	CHECK_EQ(st.magic_page_mapped, 0);
	CHECK(run_to_sc1(&e));
	CHECK_EQ(ppcvm_vcpu_get_stats(e.vcpu, &st), 0);
	CHECK_EQ(st.exits, 2);
	CHECK_EQ(st.hcalls, 3);
	CHECK_EQ(st.mmio_exits, 0);
	CHECK_EQ(st.magic_page_mapped, 1);
	CHECK_EQ(st.magic_page_ea, 0xfffffffffffff000ull);
	CHECK_EQ(st.magic_page_pa, MAGIC_PA);
	env_fini(&e);
}
