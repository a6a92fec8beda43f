/* SPDX-License-Identifier: MIT */
/*
 * ELF loader for PowerPC kernels and test programs: ELF64 (big and little
 * endian) placed as QEMU's pseries machine does, and big-endian ELF32/ELF64
 * at their physical addresses for the epapr machine.
 */
#ifndef PPCVM_VMM_ELF_H
#define PPCVM_VMM_ELF_H

#include <stddef.h>
#include <stdint.h>

/* QEMU's pseries KERNEL_LOAD_ADDR: segment p_paddr is placed above it. */
#define ELF_LOAD_BASE  0x400000ull
#define ELF_PADDR_MASK 0x0fffffffull

struct elf_image {
	uint64_t entry;	     /* guest physical entry point */
	uint64_t load_low;   /* lowest guest physical load address */
	uint64_t load_end;   /* end of the image (exclusive) */
	int little_endian;   /* ELFDATA2LSB */
	int nr_segments;     /* PT_LOAD segments with p_memsz != 0 */
	int nr_rom_segments; /* elf_load_phys: of those, in the boot ROM */
	int class64;	     /* ELFCLASS64 (else ELFCLASS32) */
};

/* Where elf_load_phys may put segments (guest physical addresses) */
struct elf_phys_layout {
	void *ram; /* RAM at 0 (NULL: validate only) */
	uint64_t ram_size;
	void *rom;		     /* read-only boot ROM contents (NULL: none) */
	uint64_t rom_base, rom_size; /* rom_size 0: no ROM */
	uint64_t fw_start, fw_end;   /* RAM no segment may touch (the FDT) */
};

/*
 * Check the ELF image in file[0..size) and copy its PT_LOAD segments into
 * ram (guest physical 0 .. ram_size), zeroing the part past p_filesz. No
 * segment may touch the firmware area [fw_start, fw_end). Nothing is written
 * unless the whole image is valid. Returns 0, or -ENOEXEC (not a valid
 * PowerPC ELF64) / -ENOSPC (does not fit) with a one-line reason in err.
 * ram may be NULL to validate only.
 */
int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size, uint64_t fw_start,
	     uint64_t fw_end, struct elf_image *img, char *err, size_t errlen);

/*
 * The epapr machine's loader: a big-endian ELF32 (EM_PPC) or ELF64
 * (EM_PPC64) whose PT_LOAD segments go at p_paddr, each wholly inside RAM
 * (and not touching [fw_start, fw_end)) or inside the ROM window. Same
 * checks and return values as elf_load; load_low/load_end cover the RAM
 * segments only.
 */
int elf_load_phys(const void *file, size_t size, const struct elf_phys_layout *lay,
		  struct elf_image *img, char *err, size_t errlen);

#endif
