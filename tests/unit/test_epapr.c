/* SPDX-License-Identifier: MIT */
/*
 * The epapr machine (src/vmm/epapr.c, bytechan.c, power.c), its ELF32
 * loader (elf_load_phys) and the core's PPCVM_EXIT_EPAPR_HCALL: the exit,
 * its completion, the capability, and the device tree the machine builds.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <ppcvm/ppcvm.h>

#include "harness.h"
#include "vmm/epapr.h"
#include "vmm/machine.h"

#define RAM_SIZE (4u << 20)
#define CODE	 0x10000u

#define LI(rt, v)      (0x38000000u | (rt) << 21 | ((v)&0xffff))
#define LIS(rt, v)     (0x3c000000u | (rt) << 21 | ((v)&0xffff))
#define ORI(ra, rs, v) (0x60000000u | (rs) << 21 | (ra) << 16 | ((v)&0xffff))
#define STW(rs, ra, d) (0x90000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))
#define MR(ra, rs)     ORI(ra, rs, 0)
#define SC1	       0x44000022u
#define SC0	       0x44000002u
#define B_SELF	       0x48000000u
#define KVM_R0	       LIS(0, 0x4b56), ORI(0, 0, 0x4d21)

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

struct env {
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	uint8_t *ram;
};

/* A VM with PV on, EPAPR_HCALL_EXIT as asked, in 32-bit big-endian real mode */
static int env_init(struct env *e, const uint32_t *code, unsigned int n, int exit_cap)
{
	static const uint64_t on[4] = { 1 };
	uint64_t cap[4] = { (uint64_t)exit_cap };
	struct ppcvm_regs regs;

	memset(e, 0, sizeof(*e));
	e->ram = aligned_alloc(4096, RAM_SIZE);
	if (!e->ram || ppcvm_vm_create(&e->vm))
		return -1;
	memset(e->ram, 0, RAM_SIZE);
	if (ppcvm_set_memslot(e->vm, 0, 0, RAM_SIZE, e->ram, 0) ||
	    ppcvm_vcpu_create(e->vm, 0, &e->vcpu) ||
	    ppcvm_enable_cap(e->vm, PPCVM_CAP_PPC_PV, on) ||
	    ppcvm_enable_cap(e->vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, cap))
		return -1;
	e->run = ppcvm_vcpu_run_data(e->vcpu);
	for (unsigned int i = 0; i < n; i++)
		put32(e->ram + CODE + 4 * i, code[i]);
	/* every vector: sc 1, so an interrupt shows as an hcall at vector + 4 */
	for (unsigned int v = 0x100; v < 0x1000; v += 0x20)
		put32(e->ram + v, SC1);
	ppcvm_vcpu_get_regs(e->vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x1000; /* ME: 32-bit mode */
	return ppcvm_vcpu_set_regs(e->vcpu, &regs);
}

static void env_fini(struct env *e)
{
	ppcvm_vm_destroy(e->vm);
	free(e->ram);
}

TEST(epapr_hcall_exit_cap)
{
	struct ppcvm_vm *vm;
	uint64_t args[4] = { 2 };

	CHECK_EQ(ppcvm_vm_create(&vm), 0);
	CHECK_EQ(ppcvm_check_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT), 1);
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, args), -EINVAL);
	args[0] = 1;
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, args), 0);
	args[0] = 0;
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_EPAPR_HCALL_EXIT, args), 0);
	ppcvm_vm_destroy(vm);
}

/* r3..r10 of an ePAPR byte-channel send, then r3..r10 after it in r20..r27 */
static const uint32_t send_code[] = {
	KVM_R0, LIS(11, 1), ORI(11, 11, 1), LI(3, 1), LI(4, 3), LIS(5, 0x8041),
	ORI(5, 5, 0x4243), /* r5 high bit set */
	LI(6, 6), LI(7, 7), LI(8, 8), LI(9, 9), LI(10, 10), LI(12, 12), SC0, MR(20, 3), MR(21, 4),
	MR(22, 5), MR(23, 6), MR(24, 7), MR(25, 8), MR(26, 9), MR(27, 10), MR(28, 12),
	/* then an unknown KVM-vendor token: served in the core, no exit */
	KVM_R0, LIS(11, 42), ORI(11, 11, 77), SC0, MR(29, 3), LI(3, 0),
	SC1, /* hcall 0: not one the core serves */
};

TEST(epapr_hcall_exit_and_completion)
{
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, send_code, sizeof(send_code) / 4, 1), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_EPAPR_HCALL);
	if (e.run->exit_reason != PPCVM_EXIT_EPAPR_HCALL) {
		ppcvm_vcpu_get_regs(e.vcpu, &r);
		printf("  pc 0x%llx srr0 0x%llx srr1 0x%llx\n", (unsigned long long)r.pc,
		       (unsigned long long)r.srr0, (unsigned long long)r.srr1);
	}
	CHECK_EQ(e.run->epapr_hcall.nr, 0x10001);
	CHECK_EQ(e.run->epapr_hcall.args[0], 1);
	CHECK_EQ(e.run->epapr_hcall.args[1], 3);
	/* 32-bit mode: the low word only (lis sign-extends in the register) */
	CHECK_EQ(e.run->epapr_hcall.args[2], 0x80414243);
	CHECK_EQ(e.run->epapr_hcall.args[3], 6);
	CHECK_EQ(e.run->epapr_hcall.args[7], 10);
	e.run->epapr_hcall.ret = 0;
	e.run->epapr_hcall.args[0] = 0x55; /* not copied back: ret is r3 */
	e.run->epapr_hcall.args[1] = 2;
	e.run->epapr_hcall.args[2] = 0xabcd;
	e.run->epapr_hcall.args[7] = 0x1234;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.gpr[20], 0);
	CHECK_EQ(r.gpr[21], 2);
	CHECK_EQ(r.gpr[22], 0xabcd);
	CHECK_EQ(r.gpr[23], 6); /* left alone: keeps its value */
	CHECK_EQ(r.gpr[24], 7);
	CHECK_EQ(r.gpr[27], 0x1234);
	CHECK_EQ(r.gpr[28], 12);		  /* r12 is not part of the exit */
	CHECK_EQ(r.gpr[29], 12);		  /* EV_UNIMPLEMENTED */
	CHECK_EQ(r.pc, CODE + sizeof(send_code)); /* no interrupt on the way */
	env_fini(&e);
}

/* Without the capability the core answers EV_UNIMPLEMENTED, as KVM */
TEST(epapr_hcall_without_cap_is_unimplemented)
{
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, send_code, sizeof(send_code) / 4, 0), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.gpr[20], 12);
	CHECK_EQ(r.gpr[21], 0);
	CHECK_EQ(r.gpr[29], 12);
	CHECK_EQ(r.pc, CODE + sizeof(send_code));
	env_fini(&e);
}

/* ---- ELF32 ------------------------------------------------------------ */

struct seg32 {
	uint32_t paddr, vaddr, filesz, memsz;
};

/* A big-endian ELF32 EM_PPC executable; data of each segment is 0xa5 */
static size_t make_elf32(uint8_t *f, size_t cap, uint32_t entry, const struct seg32 *s,
			 unsigned int n)
{
	size_t off = 52 + 32 * n;

	memset(f, 0, cap);
	memcpy(f, "\177ELF", 4);
	f[4] = 1; /* ELFCLASS32 */
	f[5] = 2; /* big-endian */
	f[6] = 1;
	put16(f + 16, 2);  /* ET_EXEC */
	put16(f + 18, 20); /* EM_PPC */
	put32(f + 20, 1);
	put32(f + 24, entry);
	put32(f + 28, 52);
	put16(f + 40, 52);
	put16(f + 42, 32);
	put16(f + 44, n);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *ph = f + 52 + 32 * i;

		put32(ph, 1); /* PT_LOAD */
		put32(ph + 4, off);
		put32(ph + 8, s[i].vaddr);
		put32(ph + 12, s[i].paddr);
		put32(ph + 16, s[i].filesz);
		put32(ph + 20, s[i].memsz);
		memset(f + off, 0xa5, s[i].filesz);
		off += s[i].filesz;
	}
	return off;
}

static int load32(const uint8_t *f, size_t size, void *ram, void *rom, struct elf_image *img)
{
	struct elf_phys_layout lay = {
		.ram = ram,
		.ram_size = RAM_SIZE,
		.rom = rom,
		.rom_base = EPAPR_ROM_BASE,
		.rom_size = EPAPR_ROM_SIZE,
		.fw_start = RAM_SIZE - 0x40000,
		.fw_end = RAM_SIZE,
	};
	char err[200];

	return elf_load_phys(f, size, &lay, img, err, sizeof(err));
}

TEST(epapr_elf32_load_phys)
{
	static uint8_t f[4096];
	struct seg32 s[2] = {
		{ 0x3000, 0xc0003000, 16, 64 }, /* RAM, bss after the data */
		{ EPAPR_ROM_BASE + 0x100, EPAPR_ROM_BASE + 0x100, 8, 8 },
	};
	struct elf_image img;
	uint8_t *ram = calloc(1, RAM_SIZE), *rom = calloc(1, EPAPR_ROM_SIZE);
	size_t n;

	memset(ram + 0x3000, 0xee, 128);
	n = make_elf32(f, sizeof(f), 0xc0003004, s, 2);
	CHECK_EQ(load32(f, n, ram, rom, &img), 0);
	CHECK_EQ(img.entry, 0x3004); /* e_entry through the segment's vaddr */
	CHECK_EQ(img.load_low, 0x3000);
	CHECK_EQ(img.load_end, 0x3040);
	CHECK_EQ(img.nr_segments, 2);
	CHECK_EQ(img.nr_rom_segments, 1);
	CHECK_EQ(img.class64, 0);
	CHECK_EQ(ram[0x3000], 0xa5);
	CHECK_EQ(ram[0x300f], 0xa5);
	CHECK_EQ(ram[0x3010], 0); /* zeroed up to p_memsz */
	CHECK_EQ(ram[0x303f], 0);
	CHECK_EQ(ram[0x3040], 0xee); /* and not beyond */
	CHECK_EQ(rom[0x100], 0xa5);
	CHECK_EQ(rom[0x107], 0xa5);

	/* A segment past RAM, across the ROM's end, or on the FDT is refused */
	s[0].paddr = RAM_SIZE - 8;
	n = make_elf32(f, sizeof(f), 0xc0003004, s, 2);
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOSPC);
	s[0].paddr = 0x3000;
	s[1].paddr = 0xfffffffc;
	n = make_elf32(f, sizeof(f), 0xc0003004, s, 2);
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOSPC);
	s[1].paddr = EPAPR_ROM_BASE;
	s[0].paddr = RAM_SIZE - 0x40000 - 16;
	n = make_elf32(f, sizeof(f), 0xc0003004, s, 2);
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOSPC);
	s[0].paddr = 0x3000;
	/* Entry outside every segment; little-endian; wrong machine; truncated */
	n = make_elf32(f, sizeof(f), 0x100, s, 2);
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOEXEC);
	n = make_elf32(f, sizeof(f), 0xc0003004, s, 2);
	f[5] = 1;
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOEXEC);
	f[5] = 2;
	put16(f + 18, 21);
	CHECK_EQ(load32(f, n, NULL, NULL, &img), -ENOEXEC);
	put16(f + 18, 20);
	CHECK_EQ(load32(f, n - 1, NULL, NULL, &img), -ENOEXEC);
	CHECK_EQ(load32(f, 51, NULL, NULL, &img), -ENOEXEC);
	/* The pseries loader still takes ELF64 only */
	CHECK_EQ(elf_load(f, n, NULL, RAM_SIZE, 0, 0, &img, NULL, 0), -ENOEXEC);
	free(ram);
	free(rom);
}

/* ---- The machine ------------------------------------------------------- */

/* Guest: send "hi" on the byte channel, then power off through the syscon */
static const uint32_t machine_code[] = {
	KVM_R0, LIS(11, 1),	ORI(11, 11, 1), LI(3, 1),      LI(4, 2), LIS(5, 0x6869),
	SC0,	LIS(9, 0xf000), LI(10, 0x5555), STW(10, 9, 0), B_SELF,
};

static int write_guest(char *path, size_t len)
{
	static uint8_t f[4096];
	struct seg32 s = { CODE, CODE, sizeof(machine_code), sizeof(machine_code) };
	size_t n = make_elf32(f, sizeof(f), CODE, &s, 1);
	int fd;

	snprintf(path, len, "/tmp/ppcvm-epapr-test-%d.elf", (int)getpid());
	for (unsigned int i = 0; i < sizeof(machine_code) / 4; i++)
		put32(f + 52 + 32 + 4 * i, machine_code[i]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, f, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static const char *fdt_str(const void *fdt, const char *path, const char *prop)
{
	int node = fdt_path_offset(fdt, path);

	return node < 0 ? NULL : fdt_getprop(fdt, node, prop, NULL);
}

static uint32_t fdt_u32(const void *fdt, const char *path, const char *prop, int i)
{
	int node = fdt_path_offset(fdt, path), len;
	const fdt32_t *p;

	if (node < 0)
		return 0xdeadbeef;
	p = fdt_getprop(fdt, node, prop, &len);
	return p && len >= 4 * (i + 1) ? fdt32_to_cpu(p[i]) : 0xdeadbeef;
}

static int watchdog_done;

/* A guest that never powers off ends the run after 10 s (a failure, not a hang) */
static void *watchdog(void *arg)
{
	struct timespec ts = { 0, 10000000 };

	for (int i = 0; i < 1000 && !__atomic_load_n(&watchdog_done, __ATOMIC_SEQ_CST); i++)
		nanosleep(&ts, NULL);
	if (!__atomic_load_n(&watchdog_done, __ATOMIC_SEQ_CST))
		machine_request_stop(arg, MACHINE_TIMEOUT);
	return NULL;
}

TEST(epapr_machine_boot_state_fdt_and_power_off)
{
	pthread_t dog;
	struct machine_config cfg = {
		.kind = MACHINE_KIND_EPAPR,
		.pvr = PPCVM_PVR_7447A,
		.ram_size = 32u << 20,
		.ncpus = 1,
		.cmdline = "hello",
	};
	struct machine *m = NULL;
	struct ppcvm_sregs sr;
	struct ppcvm_regs r;
	char path[64], err[256];
	const void *fdt;
	const char *s;
	int node, len;

	CHECK_EQ(write_guest(path, sizeof(path)), 0);
	cfg.kernel = path;
	CHECK_EQ(machine_create(&cfg, &m, err, sizeof(err)), 0);
	if (!m) {
		printf("  %s\n", err);
		unlink(path);
		return;
	}
	ppcvm_vcpu_get_regs(m->vcpus[0], &r);
	ppcvm_vcpu_get_sregs(m->vcpus[0], &sr);
	CHECK_EQ(sr.pvr, PPCVM_PVR_7447A);
	CHECK_EQ(r.pc, CODE);
	CHECK_EQ(r.msr & 0xffffffffu, 0x1000);
	CHECK_EQ(r.gpr[3], m->epapr->fdt_addr);
	CHECK_EQ(r.gpr[4] | r.gpr[5], 0);
	CHECK_EQ(r.gpr[6], 0x45504150);
	CHECK_EQ(r.gpr[7], 32u << 20);

	fdt = m->ram + m->epapr->fdt_addr;
	CHECK_EQ(fdt_check_header(fdt), 0);
	s = fdt_str(fdt, "/", "compatible");
	CHECK(s && !strcmp(s, "ppcvm,epapr"));
	CHECK_EQ(fdt_u32(fdt, "/", "#address-cells", 0), 1);
	CHECK_EQ(fdt_u32(fdt, "/memory@0", "reg", 1), 32u << 20);
	CHECK_EQ(fdt_u32(fdt, "/cpus/cpu@0", "cpu-version", 0), PPCVM_PVR_7447A);
	CHECK_EQ(fdt_u32(fdt, "/cpus/cpu@0", "d-cache-line-size", 0), 32);
	CHECK_EQ(fdt_u32(fdt, "/cpus/cpu@0", "timebase-frequency", 0), PPCVM_TB_FREQ);
	s = fdt_str(fdt, "/chosen", "bootargs");
	CHECK(s && !strcmp(s, "hello"));
	CHECK_EQ(fdt_u32(fdt, "/hypervisor", "hcall-instructions", 2), 0x44000002);
	node = fdt_path_offset(fdt, "/hypervisor");
	CHECK(fdt_node_check_compatible(fdt, node, "epapr,hypervisor-1") == 0);
	CHECK(fdt_getprop(fdt, node, "has-idle", &len) != NULL);
	/* stdout-path leads to the byte channel and its handle */
	s = fdt_str(fdt, "/chosen", "stdout-path");
	node = s ? fdt_path_offset(fdt, s) : -1;
	CHECK(node >= 0 && fdt_node_check_compatible(fdt, node, "epapr,hv-byte-channel") == 0);
	CHECK_EQ(s ? fdt_u32(fdt, s, "hv-handle", 0) : 0, EPAPR_BC_HANDLE);
	/* The syscon and its poweroff value at offset 0 */
	node = fdt_node_offset_by_compatible(fdt, -1, "syscon-poweroff");
	CHECK(node >= 0);
	if (node >= 0) {
		const fdt32_t *v = fdt_getprop(fdt, node, "value", &len);

		CHECK(v && fdt32_to_cpu(*v) == EPAPR_POWER_OFF_VALUE);
		node = fdt_parent_offset(fdt, node);
		CHECK(fdt_node_check_compatible(fdt, node, "syscon") == 0);
		v = fdt_getprop(fdt, node, "reg", &len);
		CHECK(v && len == 8 && fdt32_to_cpu(v[0]) == EPAPR_POWER_BASE);
	}
	CHECK(fdt_node_offset_by_compatible(fdt, -1, "syscon-reboot") >= 0);
	/* No console: the bytes go nowhere; the store powers off */
	if (pthread_create(&dog, NULL, watchdog, m) == 0) {
		CHECK_EQ(machine_run(m), MACHINE_POWER_OFF);
		__atomic_store_n(&watchdog_done, 1, __ATOMIC_SEQ_CST);
		pthread_join(dog, NULL);
	}
	machine_destroy(m);

	/* What the machine refuses (the CLI says it first) */
	cfg.ncpus = 2;
	CHECK_EQ(machine_create(&cfg, &m, err, sizeof(err)), -EINVAL);
	cfg.ncpus = 1;
	cfg.pvr = PPCVM_PVR_POWER8;
	CHECK_EQ(machine_create(&cfg, &m, err, sizeof(err)), -EINVAL);
	cfg.pvr = PPCVM_PVR_750;
	cfg.ram_size = 4096ull << 20;
	CHECK_EQ(machine_create(&cfg, &m, err, sizeof(err)), -EINVAL);
	unlink(path);
}
