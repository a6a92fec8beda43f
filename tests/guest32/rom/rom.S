/*
 * Boot ROM for running a 32-bit test program bare under qemu-system-ppc (-M g3beige / mac99,
 * -bios rom-NAME.elf instead of OpenBIOS). QEMU loads this ELF at 0xfff00000 (inside the
 * machine's PROM window) and the CPU resets at 0xfff00100 with MSR[IP] = 1 (750 UM 2.1.3.1,
 * 7450 RM 4.5). The stub copies the program's binary image (objcopy -O binary, PROG_BIN) to
 * its link address LOAD_ADDR and enters it in real mode with MSR = ME, r3 = 0 (no device
 * tree) and r6 = 0 (not the ePAPR magic: the library then writes its output to RAM).
 *
 * With MSR[IP] = 1 the vectors are at 0xfff00000 + offset: each ROM vector loads
 * r13 = offset + 1 and continues in the program's low-memory stub for that offset after its
 * "li r13,offset" (at offset + 8: "ba exc_entry"), so the program sees vector offset | 1.
 */
#define LOAD_ADDR	0x00100000

	.text
	.globl	rom_base
rom_base:
	. = rom_base + 0x100
	.globl	reset
reset:
	lis	3, (image - 4)@ha	/* ROM address of the image */
	addi	3, 3, (image - 4)@l
	lis	4, LOAD_ADDR@h
	addi	4, 4, -4
	lis	5, (image_end - image + 3)@ha
	addi	5, 5, (image_end - image + 3)@l
	srwi	5, 5, 2
	mtctr	5
2:	lwzu	6, 4(3)
	stwu	6, 4(4)
	bdnz	2b
	sync
	lis	3, LOAD_ADDR@h
	mtsrr0	3
	li	3, 0x1000		/* MSR = ME: IP = 0, real mode */
	mtsrr1	3
	li	3, 0
	li	4, 0
	li	5, 0
	li	6, 0
	rfi

	.irp	off, 0x200,0x300,0x400,0x500,0x600,0x700,0x800,0x900,0xa00,0xb00,0xc00,0xd00,0xe00,\
		0xf00,0xf20,0x1000,0x1100,0x1200,0x1300,0x1400,0x1600,0x1700
	. = rom_base + \off
	mtsprg2	13
	li	13, \off + 1
	ba	\off + 8
	.endr

	. = rom_base + 0x10000	/* above mac99's NVRAM window at 0xfff04000 */
	.balign	4
image:
	.incbin	PROG_BIN
image_end:
