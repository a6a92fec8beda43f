/*
 * Boot ROM for QEMU's pseries machine (-bios): QEMU places this flat image at address 0 and
 * starts the first CPU at 0x100 in big-endian real mode with MSR[SF]=0 and r3 = device tree.
 * Switch to 64-bit mode with rfid (Power ISA 2.07 Book III 4.4.1) and enter the kernel that
 * QEMU loaded at 0x400000 with the ppcvm/QEMU kernel contract: r3 = FDT, r4 = 0x400000, r5 = 0.
 */
	.text
	.globl	rom_entry
	. = 0x100
rom_entry:
	lis	4, 0x40			/* kernel load address 0x400000 */
	mtspr	26, 4			/* SRR0 */
	li	10, 1
	sldi	10, 10, 63		/* MSR[SF] */
	ori	10, 10, 0x1000		/* MSR[ME] */
	mtspr	27, 10			/* SRR1 */
	li	5, 0
	rfid
	b	.
