/* SPDX-License-Identifier: MIT */
/*
 * ELF64 loader for PowerPC kernels and test programs (big and little endian),
 * placing PT_LOAD segments as QEMU's pseries machine does.
 */
#ifndef PPCVM_VMM_ELF_H
#define PPCVM_VMM_ELF_H

#include <stddef.h>
#include <stdint.h>

/* QEMU's pseries KERNEL_LOAD_ADDR: segment p_paddr is placed above it. */
#define ELF_LOAD_BASE 0x400000ull
#define ELF_PADDR_MASK 0x0fffffffull

struct elf_image {
	uint64_t entry;		/* guest physical entry point */
	uint64_t load_low;	/* lowest guest physical load address */
	uint64_t load_end;	/* end of the image (exclusive) */
	int little_endian;	/* ELFDATA2LSB */
	int nr_segments;	/* PT_LOAD segments with p_memsz != 0 */
};

/*
 * Check the ELF image in file[0..size) and copy its PT_LOAD segments into
 * ram (guest physical 0 .. ram_size), zeroing the part past p_filesz. No
 * segment may touch the firmware area [fw_start, fw_end). Nothing is written
 * unless the whole image is valid. Returns 0, or -ENOEXEC (not a valid
 * PowerPC ELF64) / -ENOSPC (does not fit) with a one-line reason in err.
 * ram may be NULL to validate only.
 */
int elf_load(const void *file, size_t size, void *ram, uint64_t ram_size,
	     uint64_t fw_start, uint64_t fw_end, struct elf_image *img,
	     char *err, size_t errlen);

#endif
