// SPDX-License-Identifier: MIT
/*
 * ELF64 loader (System V gABI, 64-bit PowerPC ELF ABI). The file is untrusted
 * input: every header field and segment is checked against the file size and
 * the guest RAM before a single byte is copied.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmm/elf.h"

#define EI_NIDENT 16
#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_PPC 20
#define EM_PPC64 21
#define PT_LOAD 1
#define ELF_MAX_PHNUM 256

struct elf_seg {
	uint64_t offset, filesz, memsz, vaddr, load;
};

static uint64_t rd(const uint8_t *p, int n, int le)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

static int elf_err(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* [a, a + alen) and [b, b + blen) intersect (no overflow: callers bound them) */
static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size,
	     uint64_t fw_start, uint64_t fw_end, struct elf_image *img,
	     char *err, size_t errlen)
{
	const uint8_t *f = file;
	struct elf_seg segs[ELF_MAX_PHNUM];
	uint64_t phoff, entry, low = UINT64_MAX, end = 0;
	unsigned int phentsize, phnum, type, machine, i, n = 0;
	int le, found = 0;

	if (size < 4 || memcmp(f, "\177ELF", 4))
		return elf_err(err, errlen, -ENOEXEC, "not an ELF file (bad magic)");
	if (size < EHDR_SIZE)
		return elf_err(err, errlen, -ENOEXEC,
			       "truncated ELF file (%zu bytes, header needs %d)", size,
			       EHDR_SIZE);
	if (f[4] != ELFCLASS64)
		return elf_err(err, errlen, -ENOEXEC, "not a 64-bit ELF file (class %u)",
			       f[4]);
	if (f[5] != ELFDATA2LSB && f[5] != ELFDATA2MSB)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF data encoding %u", f[5]);
	if (f[6] != EV_CURRENT)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF version %u", f[6]);
	le = f[5] == ELFDATA2LSB;

	type = rd(f + 16, 2, le);
	machine = rd(f + 18, 2, le);
	entry = rd(f + 24, 8, le);
	phoff = rd(f + 32, 8, le);
	phentsize = rd(f + 54, 2, le);
	phnum = rd(f + 56, 2, le);

	if (machine != EM_PPC64)
		return elf_err(err, errlen, -ENOEXEC,
			       "not a 64-bit PowerPC ELF file (e_machine %u%s)", machine,
			       machine == EM_PPC ? ", 32-bit PowerPC" : "");
	if (type != ET_EXEC && type != ET_DYN)
		return elf_err(err, errlen, -ENOEXEC,
			       "not an executable ELF file (e_type %u)", type);
	if (phnum == 0)
		return elf_err(err, errlen, -ENOEXEC, "ELF file has no program headers");
	if (phentsize != PHDR_SIZE)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF program header size %u",
			       phentsize);
	if (phnum > ELF_MAX_PHNUM)
		return elf_err(err, errlen, -ENOEXEC, "too many ELF program headers (%u)",
			       phnum);
	if (phoff > size || (uint64_t)phnum * PHDR_SIZE > size - phoff)
		return elf_err(err, errlen, -ENOEXEC,
			       "truncated ELF file (program headers past the end)");

	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + (uint64_t)i * PHDR_SIZE;
		struct elf_seg *s = &segs[n];
		uint64_t paddr;

		if (rd(ph, 4, le) != PT_LOAD)
			continue;
		s->offset = rd(ph + 8, 8, le);
		s->vaddr = rd(ph + 16, 8, le);
		paddr = rd(ph + 24, 8, le);
		s->filesz = rd(ph + 32, 8, le);
		s->memsz = rd(ph + 40, 8, le);
		if (s->memsz == 0)
			continue;
		if (s->filesz > s->memsz)
			return elf_err(err, errlen, -ENOEXEC,
				       "ELF segment %u: file size 0x%llx > memory size 0x%llx",
				       i, (unsigned long long)s->filesz,
				       (unsigned long long)s->memsz);
		if (s->offset > size || s->filesz > size - s->offset)
			return elf_err(err, errlen, -ENOEXEC,
				       "truncated ELF file (segment %u data past the end)", i);
		s->load = ELF_LOAD_BASE + (paddr & ELF_PADDR_MASK);
		if (s->memsz > ram_size || s->load > ram_size - s->memsz)
			return elf_err(err, errlen, -ENOSPC,
				       "ELF segment %u [0x%llx, +0x%llx) does not fit in %llu MiB of RAM",
				       i, (unsigned long long)s->load,
				       (unsigned long long)s->memsz,
				       (unsigned long long)(ram_size >> 20));
		if (fw_end > fw_start &&
		    overlaps(s->load, s->memsz, fw_start, fw_end - fw_start))
			return elf_err(err, errlen, -ENOSPC,
				       "ELF segment %u [0x%llx, 0x%llx) overlaps the firmware area at 0x%llx (use more --mem?)",
				       i, (unsigned long long)s->load,
				       (unsigned long long)(s->load + s->memsz),
				       (unsigned long long)fw_start);
		/* The entry is relative to the segment whose vaddr range holds it. */
		if (!found && entry >= s->vaddr && entry - s->vaddr < s->memsz) {
			img->entry = s->load + (entry - s->vaddr);
			found = 1;
		}
		if (s->load < low)
			low = s->load;
		if (s->load + s->memsz > end)
			end = s->load + s->memsz;
		n++;
	}
	if (n == 0)
		return elf_err(err, errlen, -ENOEXEC, "ELF file has no loadable segment");
	if (!found)
		return elf_err(err, errlen, -ENOEXEC,
			       "ELF entry point 0x%llx is outside every loadable segment",
			       (unsigned long long)entry);

	img->load_low = low;
	img->load_end = end;
	img->little_endian = le;
	img->nr_segments = n;
	if (!ram)
		return 0;
	for (i = 0; i < n; i++) {
		uint8_t *dst = (uint8_t *)ram + segs[i].load;

		memcpy(dst, f + segs[i].offset, segs[i].filesz);
		memset(dst + segs[i].filesz, 0, segs[i].memsz - segs[i].filesz);
	}
	return 0;
}
