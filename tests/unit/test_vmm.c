/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the VMM's host-side pieces that need no running guest: the
 * ELF64 loader (images built in memory), the device tree, the hcall table,
 * the hvterm argument checks and the RTAS stub.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmm/elf.h"
#include "vmm/machine.h"

#define RAM_SIZE (16u << 20)
#define ELF_BUF	 4096

struct test_seg {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static void put(uint8_t *p, uint64_t v, int n, int le)
{
	int i;

	for (i = 0; i < n; i++)
		p[le ? i : n - 1 - i] = v >> (8 * i);
}

/* A minimal ELF64 image: header, program headers at 64, data wherever asked */
static size_t make_elf(uint8_t *buf, int le, unsigned int machine, uint64_t entry,
		       const struct test_seg *segs, unsigned int n)
{
	unsigned int i;

	memset(buf, 0, ELF_BUF);
	memcpy(buf, "\177ELF", 4);
	buf[4] = 2; /* ELFCLASS64 */
	buf[5] = le ? 1 : 2;
	buf[6] = 1;
	put(buf + 16, 2, 2, le); /* ET_EXEC */
	put(buf + 18, machine, 2, le);
	put(buf + 20, 1, 4, le);
	put(buf + 24, entry, 8, le);
	put(buf + 32, 64, 8, le); /* e_phoff */
	put(buf + 52, 64, 2, le);
	put(buf + 54, 56, 2, le);
	put(buf + 56, n, 2, le);
	for (i = 0; i < n; i++) {
		uint8_t *ph = buf + 64 + 56 * i;

		put(ph, segs[i].type, 4, le);
		put(ph + 4, 5, 4, le);
		put(ph + 8, segs[i].offset, 8, le);
		put(ph + 16, segs[i].vaddr, 8, le);
		put(ph + 24, segs[i].paddr, 8, le);
		put(ph + 32, segs[i].filesz, 8, le);
		put(ph + 40, segs[i].memsz, 8, le);
	}
	for (i = 0x400; i < ELF_BUF; i++)
		buf[i] = i & 0xff; /* segment data pattern */
	return ELF_BUF;
}

static uint8_t *test_ram(void)
{
	uint8_t *ram = malloc(RAM_SIZE);

	memset(ram, 0xaa, RAM_SIZE);
	return ram;
}

TEST(vmm_elf_be_test_program)
{
	/* A test program linked at VMA 0x400000, LMA 0 */
	struct test_seg seg = { 1, 0x400, 0x400000, 0, 0x20, 0x40 };
	uint8_t buf[ELF_BUF], *ram = test_ram();
	struct elf_image img;
	char err[128] = "";
	size_t n = make_elf(buf, 0, 21, 0x400010, &seg, 1);

	CHECK_EQ(elf_load(buf, n, ram, RAM_SIZE, 0xf00000, 0x1000000, &img, err, sizeof(err)), 0);
	CHECK_EQ(img.entry, 0x400010);
	CHECK_EQ(img.load_low, 0x400000);
	CHECK_EQ(img.load_end, 0x400040);
	CHECK_EQ(img.little_endian, 0);
	CHECK_EQ(img.nr_segments, 1);
	CHECK(memcmp(ram + 0x400000, buf + 0x400, 0x20) == 0);
	CHECK_EQ(ram[0x40001f], buf[0x41f]);
	CHECK_EQ(ram[0x400020], 0); /* bss zeroed */
	CHECK_EQ(ram[0x40003f], 0);
	CHECK_EQ(ram[0x400040], 0xaa); /* nothing written past memsz */
	CHECK_EQ(ram[0x3fffff], 0xaa);
	free(ram);
}

TEST(vmm_elf_le_vmlinux_layout)
{
	/* Linux: vaddr 0xc000000000000000, paddr 0; entry in the second segment */
	struct test_seg segs[] = {
		{ 4, 0, 0, 0, 0, 0 }, /* PT_NOTE: ignored */
		{ 1, 0x400, 0xc000000000000000ull, 0, 0x100, 0x100 },
		{ 1, 0x800, 0xc000000000010000ull, 0x10000, 0x80, 0x1000 },
	};
	uint8_t buf[ELF_BUF], *ram = test_ram();
	struct elf_image img;
	char err[128] = "";
	size_t n = make_elf(buf, 1, 21, 0xc000000000010008ull, segs, 3);

	CHECK_EQ(elf_load(buf, n, ram, RAM_SIZE, 0xf00000, 0x1000000, &img, err, sizeof(err)), 0);
	CHECK_EQ(img.entry, 0x410008);
	CHECK_EQ(img.load_low, 0x400000);
	CHECK_EQ(img.load_end, 0x411000);
	CHECK_EQ(img.little_endian, 1);
	CHECK_EQ(img.nr_segments, 2);
	CHECK(memcmp(ram + 0x410000, buf + 0x800, 0x80) == 0);
	CHECK_EQ(ram[0x410080], 0);

	/* The vmlinux entry at the image start goes to QEMU's 0x400000 */
	n = make_elf(buf, 1, 21, 0xc000000000000000ull, segs, 3);
	CHECK_EQ(elf_load(buf, n, NULL, RAM_SIZE, 0, 0, &img, err, sizeof(err)), 0);
	CHECK_EQ(img.entry, 0x400000);
	free(ram);
}

TEST(vmm_elf_paddr_high_bits_masked)
{
	struct test_seg seg = { 1, 0x400, 0x1000, 0x30000000, 0x10, 0x10 };
	uint8_t buf[ELF_BUF];
	struct elf_image img;
	char err[128];

	make_elf(buf, 0, 21, 0x1004, &seg, 1);
	CHECK_EQ(elf_load(buf, ELF_BUF, NULL, RAM_SIZE, 0, 0, &img, err, sizeof(err)), 0);
	CHECK_EQ(img.load_low, 0x400000);
	CHECK_EQ(img.entry, 0x400004);
}

static int load_err(const uint8_t *buf, size_t n, uint8_t *ram, uint64_t fw_start, uint64_t fw_end,
		    char *err)
{
	struct elf_image img;

	err[0] = 0;
	return elf_load(buf, n, ram, RAM_SIZE, fw_start, fw_end, &img, err, 128);
}

TEST(vmm_elf_truncated)
{
	struct test_seg seg = { 1, 0x400, 0x400000, 0, 0x200, 0x200 };
	uint8_t buf[ELF_BUF];
	char err[128];

	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, 0, NULL, 0, 0, err), -ENOEXEC);
	CHECK_EQ(load_err(buf, 40, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "truncated") != NULL);
	/* header complete, program headers cut */
	CHECK_EQ(load_err(buf, 100, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "truncated") != NULL);
	/* segment data cut */
	CHECK_EQ(load_err(buf, 0x500, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "truncated") != NULL);
	CHECK_EQ(load_err(buf, 0x600, NULL, 0, 0, err), 0);
}

TEST(vmm_elf_bad_magic_and_class)
{
	struct test_seg seg = { 1, 0x400, 0x400000, 0, 0x10, 0x10 };
	uint8_t buf[ELF_BUF];
	char err[128];

	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	buf[1] = 'X';
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "magic") != NULL);
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	buf[4] = 1; /* ELFCLASS32 */
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "64-bit") != NULL);
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	buf[5] = 3;
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
}

TEST(vmm_elf_wrong_machine)
{
	struct test_seg seg = { 1, 0x400, 0x400000, 0, 0x10, 0x10 };
	uint8_t buf[ELF_BUF];
	char err[128];

	make_elf(buf, 1, 62, 0x400000, &seg, 1); /* x86-64 */
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "PowerPC") != NULL);
	make_elf(buf, 0, 20, 0x400000, &seg, 1); /* 32-bit PowerPC */
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	/* the machine field is read in the file's byte order */
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	buf[5] = 1;
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
}

TEST(vmm_elf_segment_checks)
{
	struct test_seg seg = { 1, 0x400, 0x400000, 0, 0x10, 0x10 };
	uint8_t buf[ELF_BUF];
	char err[128];

	/* data outside the file (offset overflow too) */
	seg.offset = 0x10000;
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	seg.offset = 0xfffffffffffffff8ull;
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	/* p_filesz > p_memsz */
	seg = (struct test_seg){ 1, 0x400, 0x400000, 0, 0x20, 0x10 };
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	/* beyond the end of RAM: 0x400000 + 0xfff0000 in 16 MiB */
	seg = (struct test_seg){ 1, 0x400, 0x400000, 0xfff0000, 0x10, 0x10 };
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOSPC);
	/* huge memsz must not wrap */
	seg = (struct test_seg){ 1, 0x400, 0x400000, 0, 0x10, 0xfffffffffffff000ull };
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOSPC);
	/* over the firmware area */
	seg = (struct test_seg){ 1, 0x400, 0x400000, 0, 0x10, 0x100000 };
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0x480000, 0x490000, err), -ENOSPC);
	CHECK(strstr(err, "firmware") != NULL);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0x500000, 0x510000, err), 0);
	/* entry outside every segment */
	make_elf(buf, 0, 21, 0x900000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
	CHECK(strstr(err, "entry") != NULL);
	/* no PT_LOAD at all */
	seg.type = 4;
	make_elf(buf, 0, 21, 0x400000, &seg, 1);
	CHECK_EQ(load_err(buf, ELF_BUF, NULL, 0, 0, err), -ENOEXEC);
}

TEST(vmm_elf_nothing_written_on_error)
{
	struct test_seg segs[] = {
		{ 1, 0x400, 0x400000, 0, 0x10, 0x10 },
		{ 1, 0x10000, 0x500000, 0x100000, 0x10, 0x10 }, /* past the file */
	};
	uint8_t buf[ELF_BUF], *ram = test_ram();
	char err[128];

	make_elf(buf, 0, 21, 0x400000, segs, 2);
	CHECK_EQ(load_err(buf, ELF_BUF, ram, 0, 0, err), -ENOEXEC);
	CHECK_EQ(ram[0x400000], 0xaa);
	free(ram);
}

/* ---- device tree ---- */

static struct machine *test_machine(uint64_t ram, uint32_t ncpus, const char *cmdline)
{
	struct machine_config cfg = { .ram_size = ram, .ncpus = ncpus, .cmdline = cmdline };
	struct machine *m = calloc(1, sizeof(*m));
	char err[128];

	if (machine_init_tables(m, &cfg, err, sizeof(err))) {
		printf("  machine_init_tables: %s\n", err);
		free(m);
		return NULL;
	}
	return m;
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *name, int idx)
{
	int len, node = fdt_path_offset(fdt, path);
	const fdt32_t *p;

	if (node < 0)
		return 0xdeadbeef;
	p = fdt_getprop(fdt, node, name, &len);
	if (!p || len < 4 * (idx + 1))
		return 0xdeadbeef;
	return fdt32_to_cpu(p[idx]);
}

static const char *prop_str(const void *fdt, const char *path, const char *name)
{
	int node = fdt_path_offset(fdt, path);
	const char *s;

	if (node < 0)
		return "";
	s = fdt_getprop(fdt, node, name, NULL);
	return s ? s : "";
}

static int prop_len(const void *fdt, const char *path, const char *name)
{
	int len, node = fdt_path_offset(fdt, path);

	if (node < 0 || !fdt_getprop(fdt, node, name, &len))
		return -1;
	return len;
}

TEST(vmm_fdt_root_cpus_memory)
{
	struct machine *m = test_machine(64u << 20, 2, "console=hvc0");
	static uint8_t fdt[FDT_MAX_SIZE];
	const fdt64_t *reg;
	const uint8_t *pa;
	int len;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	CHECK_EQ(fdt_check_header(fdt), 0);
	CHECK(fdt_totalsize(fdt) <= FDT_MAX_SIZE);
	CHECK(!strcmp(prop_str(fdt, "/", "device_type"), "chrp"));
	CHECK(!strcmp(prop_str(fdt, "/", "compatible"), "qemu,pseries"));
	CHECK_EQ(prop_u32(fdt, "/", "#address-cells", 0), 2);
	CHECK_EQ(prop_u32(fdt, "/", "#size-cells", 0), 2);
	CHECK(prop_len(fdt, "/", "model") > 1);

	CHECK_EQ(prop_u32(fdt, "/cpus", "#address-cells", 0), 1);
	CHECK_EQ(prop_u32(fdt, "/cpus", "#size-cells", 0), 0);
	CHECK(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@0") >= 0);
	CHECK(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@1") >= 0);
	CHECK(fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@2") < 0);
	CHECK(!strcmp(prop_str(fdt, "/cpus/PowerPC,POWER8@1", "device_type"), "cpu"));
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@1", "reg", 0), 1);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@1", "ibm,ppc-interrupt-server#s", 0), 1);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "cpu-version", 0), 0x004d0200);
	CHECK_EQ(prop_len(fdt, "/cpus/PowerPC,POWER8@0", "64-bit"), 0);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "timebase-frequency", 0), 512000000);
	CHECK(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "clock-frequency", 0) != 0xdeadbeef);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "d-cache-block-size", 0), 128);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "i-cache-block-size", 0), 128);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "d-cache-line-size", 0), 128);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "i-cache-line-size", 0), 128);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,slb-size", 0), 32);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,vmx", 0), 2);
	CHECK_EQ(prop_len(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pft-size"), 8);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pft-size", 0), 0);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pft-size", 1), 24);
	/* {12,0,1,12,0} {16,0x110,1,16,1} {24,0x100,1,24,0}: what the MMU implements */
	{
		static const uint32_t sps[] = {
			12, 0x0, 1, 12, 0x0, 16, 0x110, 1, 16, 0x1, 24, 0x100, 1, 24, 0x0,
		};

		CHECK_EQ(prop_len(fdt, "/cpus/PowerPC,POWER8@0", "ibm,segment-page-sizes"),
			 sizeof(sps));
		for (int i = 0; i < (int)(sizeof(sps) / 4); i++)
			CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@1", "ibm,segment-page-sizes",
					  i),
				 sps[i]);
	}
	CHECK_EQ(prop_len(fdt, "/cpus/PowerPC,POWER8@0", "ibm,processor-segment-sizes"), 16);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,processor-segment-sizes", 0), 28);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,processor-segment-sizes", 1), 40);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,processor-segment-sizes", 2),
		 0xffffffff);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,processor-segment-sizes", 3),
		 0xffffffff);
	/* data and instruction keys; key 31 is the hypervisor's, so 31 of them */
	CHECK_EQ(prop_len(fdt, "/cpus/PowerPC,POWER8@1", "ibm,processor-storage-keys"), 8);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@1", "ibm,processor-storage-keys", 0), 31);
	CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@1", "ibm,processor-storage-keys", 1), 31);
	pa = fdt_getprop(fdt, fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@0"), "ibm,pa-features",
			 &len);
	CHECK(pa != NULL);
	if (pa) {
		CHECK_EQ(len, 26);
		CHECK_EQ(pa[0], 24);		/* length byte */
		CHECK(pa[2 + 5] & 0x80);	/* byte 5 bit 0: true little-endian */
		CHECK_EQ(pa[2 + 22] & 0x80, 0); /* no transactional memory */
	}

	reg = fdt_getprop(fdt, fdt_path_offset(fdt, "/memory@0"), "reg", &len);
	CHECK(reg != NULL);
	if (reg) {
		fdt64_t cells[2]; /* properties are only 4-byte aligned */

		CHECK_EQ(len, 16);
		memcpy(cells, reg, sizeof(cells));
		CHECK_EQ(fdt64_to_cpu(cells[0]), 0);
		CHECK_EQ(fdt64_to_cpu(cells[1]), 64u << 20);
	}
	CHECK(!strcmp(prop_str(fdt, "/memory@0", "device_type"), "memory"));
	free(m);
}

TEST(vmm_fdt_chosen_initrd)
{
	struct machine *m = test_machine(64u << 20, 1, "console=hvc0 quiet");
	static uint8_t fdt[FDT_MAX_SIZE];
	const char *path;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	CHECK(!strcmp(prop_str(fdt, "/chosen", "bootargs"), "console=hvc0 quiet"));
	path = prop_str(fdt, "/chosen", "stdout-path");
	CHECK(!strcmp(path, "/vdevice/vty@71000000"));
	CHECK(fdt_path_offset(fdt, path) >= 0);
	CHECK(!strcmp(prop_str(fdt, "/chosen", "linux,stdout-path"), "/vdevice/vty@71000000"));
	CHECK_EQ(prop_len(fdt, "/chosen", "linux,initrd-start"), -1);

	m->initrd_start = 0x800000;
	m->initrd_end = 0x812345;
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	CHECK_EQ(prop_len(fdt, "/chosen", "linux,initrd-start"), 8);
	CHECK_EQ(prop_u32(fdt, "/chosen", "linux,initrd-start", 1), 0x800000);
	CHECK_EQ(prop_u32(fdt, "/chosen", "linux,initrd-end", 1), 0x812345);
	free(m);
}

TEST(vmm_fdt_rtas_vdevice)
{
	struct machine *m = test_machine(64u << 20, 1, NULL);
	static uint8_t fdt[FDT_MAX_SIZE];
	const char *funcs;
	uint64_t addr, size;
	int node, len;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(m->fdt_addr, (64u << 20) - FDT_MAX_SIZE);
	CHECK_EQ(m->rtas_addr, (64u << 20) - FDT_MAX_SIZE - RTAS_MAX_SIZE);
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	CHECK(!strcmp(prop_str(fdt, "/chosen", "bootargs"), ""));

	CHECK_EQ(prop_u32(fdt, "/rtas", "linux,rtas-base", 0), m->rtas_addr);
	CHECK_EQ(prop_u32(fdt, "/rtas", "linux,rtas-entry", 0), m->rtas_addr);
	CHECK_EQ(prop_u32(fdt, "/rtas", "rtas-size", 0), RTAS_BLOB_SIZE);
	CHECK_EQ(prop_u32(fdt, "/rtas", "display-character", 0), 0x2000);
	CHECK_EQ(prop_u32(fdt, "/rtas", "get-time-of-day", 0), 0x2001);
	CHECK_EQ(prop_u32(fdt, "/rtas", "set-time-of-day", 0), 0x2002);
	CHECK_EQ(prop_u32(fdt, "/rtas", "power-off", 0), 0x2003);
	CHECK_EQ(prop_u32(fdt, "/rtas", "system-reboot", 0), 0x2004);
	CHECK_EQ(prop_u32(fdt, "/rtas", "start-cpu", 0), 0x2006);    /* smp.c */
	CHECK_EQ(prop_u32(fdt, "/rtas", "ibm,set-xive", 0), 0x200a); /* xics.c */
	CHECK_EQ(prop_u32(fdt, "/rtas", "nvram-fetch", 0), 0x2018);
	CHECK_EQ(prop_u32(fdt, "/rtas", "nvram-store", 0), 0x2019);
	node = fdt_path_offset(fdt, "/rtas");
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-term") >= 0);
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-set-mode") >= 0);
	/* the page-table hcalls the core serves: hcall-pft and hcall-bulk */
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-pft") >= 0);
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-bulk") >= 0);
	/* SPLPAR and XICS (hcall_smp.c, xics.c); no DABR: no breakpoint would fire */
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-splpar") >= 0);
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-interrupt") >= 0);
	CHECK(fdt_stringlist_search(fdt, node, "ibm,hypertas-functions", "hcall-dabr") < 0);
	funcs = fdt_getprop(fdt, node, "ibm,hypertas-functions", &len);
	CHECK(funcs && len > 0);

	CHECK(!strcmp(prop_str(fdt, "/vdevice", "device_type"), "vdevice"));
	CHECK(!strcmp(prop_str(fdt, "/vdevice", "compatible"), "IBM,vdevice"));
	CHECK_EQ(prop_u32(fdt, "/vdevice", "#address-cells", 0), 1);
	CHECK_EQ(prop_u32(fdt, "/vdevice", "#size-cells", 0), 0);
	CHECK(!strcmp(prop_str(fdt, "/vdevice/vty@71000000", "name"), "vty"));
	CHECK(!strcmp(prop_str(fdt, "/vdevice/vty@71000000", "device_type"), "serial"));
	CHECK(!strcmp(prop_str(fdt, "/vdevice/vty@71000000", "compatible"), "hvterm1"));
	CHECK_EQ(prop_u32(fdt, "/vdevice/vty@71000000", "reg", 0), 0x71000000);

	/* one reservation: RTAS stub up to the end of the FDT area */
	CHECK_EQ(fdt_num_mem_rsv(fdt), 1);
	CHECK_EQ(fdt_get_mem_rsv(fdt, 0, &addr, &size), 0);
	CHECK_EQ(addr, m->rtas_addr);
	CHECK_EQ(addr + size, 64u << 20);
	free(m);
}

/* ibm,pft-size follows RAM as QEMU: pow2ceil(RAM) / 128, 2^24 .. 2^34 */
TEST(vmm_fdt_pft_size_scales_with_ram)
{
	static const struct {
		uint64_t ram;
		uint32_t order;
	} cases[] = {
		{ 16ull << 20, 24 },		   /* minimum 16 MB */
		{ 512ull << 20, 24 },		   /* 2^29 / 128 = 2^22 -> 24 */
		{ 2ull << 30, 24 },		   /* 2^31 / 128 = 2^24 */
		{ (2ull << 30) + (64 << 10), 25 }, /* rounded up to 2^32 */
		{ 4ull << 30, 25 },
		{ 48ull << 30, 29 }, /* 2^36 / 128 */
		{ 1ull << 44, 34 },  /* capped at 2^34 */
	};
	static uint8_t fdt[FDT_MAX_SIZE];

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct machine *m = test_machine(cases[i].ram, 1, NULL);

		CHECK(m != NULL);
		if (!m)
			continue;
		CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
		CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pft-size", 0), 0);
		CHECK_EQ(prop_u32(fdt, "/cpus/PowerPC,POWER8@0", "ibm,pft-size", 1),
			 cases[i].order);
		free(m);
	}
}

TEST(vmm_layout_rma_and_limits)
{
	struct machine *m = test_machine(1ull << 30, 1, NULL);
	struct machine_config cfg = { .ram_size = 8u << 20, .ncpus = 1 };
	struct machine m2;
	char err[128];

	CHECK(m != NULL);
	if (m) {
		/* FDT and RTAS stay in the first 256 MiB (real-mode area) */
		CHECK_EQ(m->rma_size, 256u << 20);
		CHECK_EQ(m->fdt_addr, (256u << 20) - FDT_MAX_SIZE);
		free(m);
	}
	memset(&m2, 0, sizeof(m2));
	CHECK(machine_init_tables(&m2, &cfg, err, sizeof(err)) < 0);
	cfg.ram_size = (64u << 20) + 4096;
	CHECK(machine_init_tables(&m2, &cfg, err, sizeof(err)) < 0);
	cfg.ram_size = 64u << 20;
	cfg.ncpus = 0;
	CHECK(machine_init_tables(&m2, &cfg, err, sizeof(err)) < 0);
	cfg.ncpus = PPCVM_MAX_VCPUS + 1;
	CHECK(machine_init_tables(&m2, &cfg, err, sizeof(err)) < 0);
	cfg.ncpus = PPCVM_MAX_VCPUS;
	CHECK_EQ(machine_init_tables(&m2, &cfg, err, sizeof(err)), 0);
}

TEST(vmm_fdt_many_cpus_fit)
{
	struct machine *m = test_machine(64u << 20, PPCVM_MAX_VCPUS, NULL);
	static uint8_t fdt[FDT_MAX_SIZE];
	char path[64];

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	snprintf(path, sizeof(path), "/cpus/PowerPC,POWER8@%x", PPCVM_MAX_VCPUS - 1);
	CHECK_EQ(prop_u32(fdt, path, "reg", 0), PPCVM_MAX_VCPUS - 1);
	/* cpu nodes come in id order */
	CHECK_EQ(fdt_first_subnode(fdt, fdt_path_offset(fdt, "/cpus")),
		 fdt_path_offset(fdt, "/cpus/PowerPC,POWER8@0"));
	free(m);
}

/* ---- hcall table, hvterm, RTAS stub ---- */

static int64_t h_test(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	args[0] = opcode + 1;
	return 42;
}

static int64_t h_test2(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	return 43;
}

/* An hcall number no part of the machine registers (H_GET_TCE: no TCEs) */
#define H_FREE 0x1c

TEST(vmm_hcall_table)
{
	struct machine *m = test_machine(64u << 20, 1, NULL);
	uint64_t args[9] = { 0 };

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(hcall_register(m, 0x5, h_test), -EINVAL); /* not a multiple of 4 */
	CHECK_EQ(hcall_register(m, MAX_HCALL_OPCODE + 4, h_test), -EINVAL);
	CHECK_EQ(hcall_register(m, 0x10000, h_test), -EINVAL);
	CHECK_EQ(hcall_register(m, H_FREE, h_test), 0);
	CHECK_EQ(hcall_register(m, H_FREE, h_test), 0); /* same one again: fine */
	CHECK_EQ(hcall_register(m, H_FREE, h_test2), -EEXIST);
	CHECK_EQ(hcall_register(m, KVMPPC_H_CAS, h_test2), 0);
	CHECK_EQ(hcall_dispatch(m, NULL, H_FREE, args), 42);
	CHECK_EQ(args[0], H_FREE + 1);
	CHECK_EQ(hcall_dispatch(m, NULL, KVMPPC_H_CAS, args), 43);
	/* unknown numbers, in and out of the tables, odd ones: H_FUNCTION */
	CHECK_EQ(hcall_dispatch(m, NULL, H_CEDE, args), (uint64_t)H_FUNCTION);
	CHECK_EQ(hcall_dispatch(m, NULL, H_CEDE, args), (uint64_t)H_FUNCTION);
	CHECK_EQ(hcall_dispatch(m, NULL, H_FREE + 1, args), (uint64_t)H_FUNCTION);
	CHECK_EQ(hcall_dispatch(m, NULL, KVMPPC_H_LOGICAL_MEMOP, args), (uint64_t)H_FUNCTION);
	CHECK_EQ(hcall_dispatch(m, NULL, 0xffffffffffffffffull, args), (uint64_t)H_FUNCTION);
	CHECK_EQ(m->hcall_logged[H_CEDE / 4], 1);
	free(m);
}

TEST(vmm_hvterm_arguments)
{
	struct machine *m = test_machine(64u << 20, 1, NULL);
	uint64_t args[9] = { 0 };

	CHECK(m != NULL);
	if (!m)
		return;
	/* no console attached: output dropped, input empty */
	args[0] = VTY_REG;
	args[1] = 3;
	args[2] = 0x6869210000000000ull;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TERM_CHAR, args), H_SUCCESS);
	args[1] = 16;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TERM_CHAR, args), H_SUCCESS);
	args[1] = 17;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TERM_CHAR, args), (uint64_t)H_PARAMETER);
	args[1] = 0xffffffffffffffffull;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TERM_CHAR, args), (uint64_t)H_PARAMETER);
	args[0] = 0x30000000;
	args[1] = 1;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TERM_CHAR, args), (uint64_t)H_PARAMETER);
	CHECK_EQ(hcall_dispatch(m, NULL, H_GET_TERM_CHAR, args), (uint64_t)H_PARAMETER);
	args[0] = VTY_REG;
	args[1] = args[2] = 0x55;
	CHECK_EQ(hcall_dispatch(m, NULL, H_GET_TERM_CHAR, args), H_SUCCESS);
	CHECK_EQ(args[0], 0);
	CHECK_EQ(args[1], 0);
	CHECK_EQ(args[2], 0);
	free(m);
}

TEST(vmm_rtas_blob)
{
	static const uint8_t want[RTAS_BLOB_SIZE] = {
		0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63,
		0xf0, 0x00, 0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20,
	};
	uint8_t blob[RTAS_BLOB_SIZE];

	rtas_blob(blob);
	CHECK(memcmp(blob, want, sizeof(want)) == 0);
}
