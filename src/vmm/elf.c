// SPDX-License-Identifier: MIT
/*
 * ELF loader (System V gABI; the 64-bit PowerPC ELF ABI, and 32-bit
 * big-endian PowerPC images at their physical addresses for the epapr
 * machine). The file is untrusted input: every header field and segment is
 * checked against the file size and the guest RAM before a byte is copied.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/elf.h"

#define EI_NIDENT     16
#define EHDR_SIZE     64
#define PHDR_SIZE     56
#define EHDR32_SIZE   52
#define PHDR32_SIZE   32
#define ELFCLASS32    1
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define ELFDATA2MSB   2
#define EV_CURRENT    1
#define ET_EXEC	      2
#define ET_DYN	      3
#define EM_PPC	      20
#define EM_PPC64      21
#define PT_LOAD	      1
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

/* What the header check found: the PT_LOAD segments with p_memsz != 0 */
struct elf_info {
	int le, class64;
	unsigned int machine;
	uint64_t entry;
	unsigned int n;
	struct elf_seg segs[ELF_MAX_PHNUM];
	uint64_t paddr[ELF_MAX_PHNUM];
	unsigned int index[ELF_MAX_PHNUM]; /* program header number */
};

/*
 * Check the ELF header and program headers (ELF64 only unless allow32) and
 * collect the PT_LOAD segments; every offset and size is checked against
 * the file.
 */
static int elf_parse(const uint8_t *f, size_t size, int allow32, struct elf_info *e, char *err,
		     size_t errlen)
{
	uint64_t phoff;
	unsigned int phentsize, phnum, type, i, ehdr_size, phdr_size;
	int le, c64;

	if (size < 4 || memcmp(f, "\177ELF", 4))
		return elf_err(err, errlen, -ENOEXEC, "not an ELF file (bad magic)");
	c64 = size > 4 && f[4] == ELFCLASS64;
	ehdr_size = c64 || !allow32 ? EHDR_SIZE : EHDR32_SIZE;
	if (size < ehdr_size)
		return elf_err(err, errlen, -ENOEXEC,
			       "truncated ELF file (%zu bytes, header needs %u)", size, ehdr_size);
	if (!c64 && (!allow32 || f[4] != ELFCLASS32))
		return elf_err(err, errlen, -ENOEXEC,
			       allow32		    ? "not a 32- or 64-bit ELF file (class %u)"
			       : f[4] == ELFCLASS32 ? "not a 64-bit ELF file (class %u: 32-bit "
						      "images need --machine epapr)"
						    : "not a 64-bit ELF file (class %u)",
			       f[4]);
	if (f[5] != ELFDATA2LSB && f[5] != ELFDATA2MSB)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF data encoding %u", f[5]);
	if (f[6] != EV_CURRENT)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF version %u", f[6]);
	le = f[5] == ELFDATA2LSB;

	type = rd(f + 16, 2, le);
	e->machine = rd(f + 18, 2, le);
	if (c64) {
		e->entry = rd(f + 24, 8, le);
		phoff = rd(f + 32, 8, le);
		phentsize = rd(f + 54, 2, le);
		phnum = rd(f + 56, 2, le);
		phdr_size = PHDR_SIZE;
	} else {
		e->entry = rd(f + 24, 4, le);
		phoff = rd(f + 28, 4, le);
		phentsize = rd(f + 42, 2, le);
		phnum = rd(f + 44, 2, le);
		phdr_size = PHDR32_SIZE;
	}

	if (c64 && e->machine != EM_PPC64)
		return elf_err(err, errlen, -ENOEXEC,
			       "not a 64-bit PowerPC ELF file (e_machine %u%s)", e->machine,
			       e->machine == EM_PPC ? ", 32-bit PowerPC" : "");
	if (!c64 && e->machine != EM_PPC)
		return elf_err(err, errlen, -ENOEXEC,
			       "not a 32-bit PowerPC ELF file (e_machine %u)", e->machine);
	if (type != ET_EXEC && type != ET_DYN)
		return elf_err(err, errlen, -ENOEXEC, "not an executable ELF file (e_type %u)",
			       type);
	if (phnum == 0)
		return elf_err(err, errlen, -ENOEXEC, "ELF file has no program headers");
	if (phentsize != phdr_size)
		return elf_err(err, errlen, -ENOEXEC, "bad ELF program header size %u", phentsize);
	if (phnum > ELF_MAX_PHNUM)
		return elf_err(err, errlen, -ENOEXEC, "too many ELF program headers (%u)", phnum);
	if (phoff > size || (uint64_t)phnum * phdr_size > size - phoff)
		return elf_err(err, errlen, -ENOEXEC,
			       "truncated ELF file (program headers past the end)");

	e->n = 0;
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = f + phoff + (uint64_t)i * phdr_size;
		struct elf_seg *s = &e->segs[e->n];

		if (rd(ph, 4, le) != PT_LOAD)
			continue;
		if (c64) {
			s->offset = rd(ph + 8, 8, le);
			s->vaddr = rd(ph + 16, 8, le);
			e->paddr[e->n] = rd(ph + 24, 8, le);
			s->filesz = rd(ph + 32, 8, le);
			s->memsz = rd(ph + 40, 8, le);
		} else {
			s->offset = rd(ph + 4, 4, le);
			s->vaddr = rd(ph + 8, 4, le);
			e->paddr[e->n] = rd(ph + 12, 4, le);
			s->filesz = rd(ph + 16, 4, le);
			s->memsz = rd(ph + 20, 4, le);
		}
		if (s->memsz == 0)
			continue;
		if (s->filesz > s->memsz)
			return elf_err(err, errlen, -ENOEXEC,
				       "ELF segment %u: file size 0x%llx > memory size 0x%llx", i,
				       (unsigned long long)s->filesz, (unsigned long long)s->memsz);
		if (s->offset > size || s->filesz > size - s->offset)
			return elf_err(err, errlen, -ENOEXEC,
				       "truncated ELF file (segment %u data past the end)", i);
		e->index[e->n] = i;
		e->n++;
	}
	e->le = le;
	e->class64 = c64;
	return 0;
}

int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size, uint64_t fw_start,
	     uint64_t fw_end, struct elf_image *img, char *err, size_t errlen)
{
	const uint8_t *f = file;
	struct elf_info *e;
	uint64_t low = UINT64_MAX, end = 0;
	unsigned int i, k;
	int ret, found = 0;

	e = malloc(sizeof(*e));
	if (!e)
		return elf_err(err, errlen, -ENOMEM, "out of memory");
	ret = elf_parse(f, size, 0, e, err, errlen);
	if (ret)
		goto out;
	for (k = 0; k < e->n; k++) {
		struct elf_seg *s = &e->segs[k];

		i = e->index[k];
		s->load = ELF_LOAD_BASE + (e->paddr[k] & ELF_PADDR_MASK);
		if (s->memsz > ram_size || s->load > ram_size - s->memsz) {
			ret = elf_err(
				err, errlen, -ENOSPC,
				"ELF segment %u [0x%llx, +0x%llx) does not fit in %llu MiB of RAM",
				i, (unsigned long long)s->load, (unsigned long long)s->memsz,
				(unsigned long long)(ram_size >> 20));
			goto out;
		}
		if (fw_end > fw_start && overlaps(s->load, s->memsz, fw_start, fw_end - fw_start)) {
			ret = elf_err(err, errlen, -ENOSPC,
				      "ELF segment %u [0x%llx, 0x%llx) overlaps the firmware area "
				      "at 0x%llx (use more --mem?)",
				      i, (unsigned long long)s->load,
				      (unsigned long long)(s->load + s->memsz),
				      (unsigned long long)fw_start);
			goto out;
		}
		/* The entry is relative to the segment whose vaddr range holds it. */
		if (!found && e->entry >= s->vaddr && e->entry - s->vaddr < s->memsz) {
			img->entry = s->load + (e->entry - s->vaddr);
			found = 1;
		}
		if (s->load < low)
			low = s->load;
		if (s->load + s->memsz > end)
			end = s->load + s->memsz;
	}
	if (e->n == 0) {
		ret = elf_err(err, errlen, -ENOEXEC, "ELF file has no loadable segment");
		goto out;
	}
	if (!found) {
		ret = elf_err(err, errlen, -ENOEXEC,
			      "ELF entry point 0x%llx is outside every loadable segment",
			      (unsigned long long)e->entry);
		goto out;
	}

	img->load_low = low;
	img->load_end = end;
	img->little_endian = e->le;
	img->nr_segments = e->n;
	img->nr_rom_segments = 0;
	img->class64 = 1;
	if (ram) {
		for (k = 0; k < e->n; k++) {
			uint8_t *dst = (uint8_t *)ram + e->segs[k].load;

			memcpy(dst, f + e->segs[k].offset, e->segs[k].filesz);
			memset(dst + e->segs[k].filesz, 0, e->segs[k].memsz - e->segs[k].filesz);
		}
	}
	ret = 0;
out:
	free(e);
	return ret;
}

/* [a, a + len) lies inside [base, base + size) (no overflow) */
static int inside(uint64_t a, uint64_t len, uint64_t base, uint64_t size)
{
	return a >= base && len <= size && a - base <= size - len;
}

int elf_load_phys(const void *file, size_t size, const struct elf_phys_layout *lay,
		  struct elf_image *img, char *err, size_t errlen)
{
	const uint8_t *f = file;
	struct elf_info *e;
	uint64_t low = UINT64_MAX, end = 0;
	unsigned int i, k, nrom = 0;
	int ret, found = 0;

	e = malloc(sizeof(*e));
	if (!e)
		return elf_err(err, errlen, -ENOMEM, "out of memory");
	ret = elf_parse(f, size, 1, e, err, errlen);
	if (ret)
		goto out;
	/* The machine enters in big-endian mode (MSR[LE] = 0, ePAPR 5.4.1) */
	if (e->le) {
		ret = elf_err(err, errlen, -ENOEXEC,
			      "little-endian ELF file: this machine boots big-endian images only");
		goto out;
	}
	for (k = 0; k < e->n; k++) {
		struct elf_seg *s = &e->segs[k];
		int in_rom;

		i = e->index[k];
		s->load = e->paddr[k];
		in_rom = lay->rom_size && inside(s->load, s->memsz, lay->rom_base, lay->rom_size);
		if (!in_rom && !inside(s->load, s->memsz, 0, lay->ram_size)) {
			ret = elf_err(err, errlen, -ENOSPC,
				      "ELF segment %u [0x%llx, 0x%llx) is not inside guest RAM "
				      "(%llu MiB) or the boot ROM [0x%llx, 0x%llx)",
				      i, (unsigned long long)s->load,
				      (unsigned long long)(s->load + s->memsz),
				      (unsigned long long)(lay->ram_size >> 20),
				      (unsigned long long)lay->rom_base,
				      (unsigned long long)(lay->rom_base + lay->rom_size));
			goto out;
		}
		if (!in_rom && lay->fw_end > lay->fw_start &&
		    overlaps(s->load, s->memsz, lay->fw_start, lay->fw_end - lay->fw_start)) {
			ret = elf_err(err, errlen, -ENOSPC,
				      "ELF segment %u [0x%llx, 0x%llx) overlaps the device tree "
				      "area at 0x%llx (use more --mem?)",
				      i, (unsigned long long)s->load,
				      (unsigned long long)(s->load + s->memsz),
				      (unsigned long long)lay->fw_start);
			goto out;
		}
		/* The entry is relative to the segment whose vaddr range holds it. */
		if (!found && e->entry >= s->vaddr && e->entry - s->vaddr < s->memsz) {
			img->entry = s->load + (e->entry - s->vaddr);
			found = 1;
		}
		if (in_rom) {
			nrom++;
			continue;
		}
		if (s->load < low)
			low = s->load;
		if (s->load + s->memsz > end)
			end = s->load + s->memsz;
	}
	if (e->n == 0) {
		ret = elf_err(err, errlen, -ENOEXEC, "ELF file has no loadable segment");
		goto out;
	}
	if (!found) {
		ret = elf_err(err, errlen, -ENOEXEC,
			      "ELF entry point 0x%llx is outside every loadable segment",
			      (unsigned long long)e->entry);
		goto out;
	}

	img->load_low = low == UINT64_MAX ? 0 : low;
	img->load_end = end;
	img->little_endian = 0;
	img->nr_segments = e->n;
	img->nr_rom_segments = nrom;
	img->class64 = e->class64;
	if (lay->ram) {
		for (k = 0; k < e->n; k++) {
			struct elf_seg *s = &e->segs[k];
			uint8_t *dst;

			if (lay->rom_size &&
			    inside(s->load, s->memsz, lay->rom_base, lay->rom_size))
				dst = lay->rom ? (uint8_t *)lay->rom + (s->load - lay->rom_base)
					       : NULL;
			else
				dst = (uint8_t *)lay->ram + s->load;
			if (!dst)
				continue;
			memcpy(dst, f + s->offset, s->filesz);
			memset(dst + s->filesz, 0, s->memsz - s->filesz);
		}
	}
	ret = 0;
out:
	free(e);
	return ret;
}
