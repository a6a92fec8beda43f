/* SPDX-License-Identifier: MIT */
/*
 * A tiny 32-bit guest for `ppcvm run --machine epapr` (tests/cli/run.sh
 * builds it with powerpc-linux-gnu-gcc). It checks the ePAPR entry state,
 * prints through the byte channel (EV_BYTE_CHANNEL_SEND), checks the error
 * returns, reads the read-only boot ROM, and then, by words in /chosen
 * bootargs (found by scanning the device tree): "ECHO" echoes its input
 * until a newline, "RBT!" reboots (so it prints its banner forever); then it
 * powers off through the syscon register.
 */
#define EV_TOKEN(nr)	((1 << 16) | (nr))
#define BC_SEND		1
#define BC_RECEIVE	2
#define BC_POLL		3
#define EV_EINVAL	8
#define POWER_REG	0xf0000000
#define ROM_BASE	0xfff00000

	.macro	hcall token
	lis	%r11, \token@h
	ori	%r11, %r11, \token@l
	lis	%r0, 0x4b56		/* r0 = "KVM!", then sc: the PV hypercall */
	ori	%r0, %r0, 0x4d21
	sc
	.endm

	.macro	say label, len
	lis	%r3, \label@ha
	addi	%r3, %r3, \label@l
	li	%r4, \len
	bl	print
	.endm

	.text
	.globl	_start
_start:
	mr	%r29, %r3		/* device tree */
	mr	%r28, %r7		/* RAM size */
	mr	%r31, %r6		/* ePAPR magic */
	mr	%r26, %r4		/* r4 and r5 must be 0 */
	or	%r26, %r26, %r5
	mfmsr	%r27
	lis	%r1, stack_top@ha	/* a stack for print's callees */
	addi	%r1, %r1, stack_top@l

	say	s_hello, 13
	lis	%r9, 0x4550
	ori	%r9, %r9, 0x4150
	cmpw	%r31, %r9
	bne	1f
	cmpwi	%r26, 0
	bne	1f
	say	s_magic, 9
1:	cmplwi	%r27, 0x1000		/* MSR = ME: real mode, big-endian */
	bne	1f
	say	s_msr, 7
1:	lwz	%r9, 0(%r29)
	lis	%r10, 0xd00d
	ori	%r10, %r10, 0xfeed
	cmpw	%r9, %r10
	bne	1f
	say	s_fdt, 7
1:	say	s_ram, 4
	mr	%r3, %r28
	bl	print_hex

	/* A bad handle and a count over 16 are EV_EINVAL, nothing sent */
	li	%r3, 2
	li	%r4, 1
	hcall	EV_TOKEN(BC_SEND)
	cmpwi	%r3, EV_EINVAL
	bne	1f
	cmpwi	%r4, 0
	bne	1f
	li	%r3, 1
	li	%r4, 17
	hcall	EV_TOKEN(BC_SEND)
	cmpwi	%r3, EV_EINVAL
	bne	1f
	li	%r3, 7
	hcall	EV_TOKEN(BC_POLL)
	cmpwi	%r3, EV_EINVAL
	bne	1f
	li	%r3, 1
	hcall	EV_TOKEN(BC_POLL)
	cmpwi	%r3, 0
	bne	1f
	cmpwi	%r5, 16			/* tx space for at least one full send */
	blt	1f
	say	s_einval, 10
1:
	/* The boot ROM holds what the ELF put there and ignores stores */
	lis	%r9, ROM_BASE@h
	lwz	%r10, 0(%r9)
	lis	%r11, 0x524f
	ori	%r11, %r11, 0x4d21	/* "ROM!" */
	cmpw	%r10, %r11
	bne	1f
	li	%r12, 0
	stw	%r12, 0(%r9)
	lwz	%r10, 0(%r9)
	cmpw	%r10, %r11
	bne	1f
	say	s_rom, 7
1:
	lis	%r3, 0x4543		/* "ECHO" */
	ori	%r3, %r3, 0x484f
	bl	fdt_has
	cmpwi	%r3, 0
	beq	no_echo
echo:	li	%r3, 1
	li	%r4, 16
	hcall	EV_TOKEN(BC_RECEIVE)
	cmpwi	%r3, 0
	bne	fail
	cmpwi	%r4, 0
	beq	echo
	mr	%r25, %r4		/* keep the bytes, then send them back */
	lis	%r24, rxbuf@ha
	addi	%r24, %r24, rxbuf@l
	stw	%r5, 0(%r24)
	stw	%r6, 4(%r24)
	stw	%r7, 8(%r24)
	stw	%r8, 12(%r24)
	li	%r3, 1
	hcall	EV_TOKEN(BC_SEND)
	/* stop after a newline among them */
	li	%r9, 0
2:	cmpw	%r9, %r25
	bge	echo
	lbzx	%r11, %r24, %r9
	addi	%r9, %r9, 1
	cmpwi	%r11, 10
	bne	2b
	say	s_bye, 4
no_echo:
	lis	%r3, 0x5242		/* "RBT!" */
	ori	%r3, %r3, 0x5421
	bl	fdt_has
	lis	%r9, POWER_REG@h
	cmpwi	%r3, 0
	li	%r10, 0x5555		/* syscon-poweroff value */
	beq	1f
	li	%r10, 0x7777		/* syscon-reboot value */
1:	stw	%r10, 0(%r9)
	b	.
fail:	say	s_fail, 5
	b	.

/* print(r3 = address, r4 = length): EV_BYTE_CHANNEL_SEND, 16 bytes a call */
print:
	mflr	%r22
	mr	%r20, %r3
	mr	%r21, %r4
1:	cmpwi	%r21, 0
	beq	3f
	mr	%r19, %r21
	cmpwi	%r19, 16
	ble	2f
	li	%r19, 16
2:	li	%r3, 1
	mr	%r4, %r19
	lbz	%r5, 0(%r20)		/* bytes, first in the most significant */
	bl	pack
	hcall	EV_TOKEN(BC_SEND)
	cmpwi	%r3, 0
	bne	fail
	cmpw	%r4, %r19
	bne	fail
	add	%r20, %r20, %r19
	subf	%r21, %r19, %r21
	b	1b
3:	mtlr	%r22
	blr

/* r5..r8 = the 16 bytes at r20, big-endian words (no unaligned loads) */
pack:
	li	%r12, 0
	li	%r5, 0
	li	%r6, 0
	li	%r7, 0
	li	%r8, 0
1:	lbzx	%r10, %r20, %r12
	cmpwi	%r12, 4
	blt	2f
	cmpwi	%r12, 8
	blt	3f
	cmpwi	%r12, 12
	blt	4f
	slwi	%r8, %r8, 8
	or	%r8, %r8, %r10
	b	5f
2:	slwi	%r5, %r5, 8
	or	%r5, %r5, %r10
	b	5f
3:	slwi	%r6, %r6, 8
	or	%r6, %r6, %r10
	b	5f
4:	slwi	%r7, %r7, 8
	or	%r7, %r7, %r10
5:	addi	%r12, %r12, 1
	cmpwi	%r12, 16
	blt	1b
	blr

/* print_hex(r3): "0x" and 8 hex digits and a newline */
print_hex:
	mflr	%r23
	lis	%r9, hexbuf@ha
	addi	%r9, %r9, hexbuf@l
	li	%r10, 8
	mtctr	%r10
	addi	%r11, %r9, 9
1:	rlwinm	%r12, %r3, 0, 28, 31
	cmpwi	%r12, 10
	addi	%r12, %r12, '0'
	blt	2f
	addi	%r12, %r12, 'a' - '0' - 10
2:	stb	%r12, 0(%r11)
	addi	%r11, %r11, -1
	srwi	%r3, %r3, 4
	bdnz	1b
	li	%r12, '0'
	stb	%r12, 0(%r9)
	li	%r12, 'x'
	stb	%r12, 1(%r9)
	li	%r12, 10
	stb	%r12, 10(%r9)
	mr	%r3, %r9
	li	%r4, 11
	bl	print
	mtlr	%r23
	blr

/* fdt_has(r3 = 4 bytes): 1 if they occur anywhere in the device tree */
fdt_has:
	lwz	%r10, 4(%r29)		/* totalsize */
	li	%r9, 0
1:	addi	%r12, %r9, 4
	cmplw	%r12, %r10
	bgt	3f
	add	%r12, %r29, %r9
	lbz	%r0, 0(%r12)
	lbz	%r11, 1(%r12)
	slwi	%r0, %r0, 8
	or	%r0, %r0, %r11
	lbz	%r11, 2(%r12)
	slwi	%r0, %r0, 8
	or	%r0, %r0, %r11
	lbz	%r11, 3(%r12)
	slwi	%r0, %r0, 8
	or	%r0, %r0, %r11
	cmpw	%r0, %r3
	beq	2f
	addi	%r9, %r9, 1
	b	1b
2:	li	%r3, 1
	blr
3:	li	%r3, 0
	blr

s_hello:	.ascii	"epapr hello!\n"
s_magic:	.ascii	"magic ok\n"
s_msr:		.ascii	"msr ok\n"
s_fdt:		.ascii	"fdt ok\n"
s_ram:		.ascii	"ram "
s_einval:	.ascii	"einval ok\n"
s_rom:		.ascii	"rom ok\n"
s_bye:		.ascii	"bye\n"
s_fail:		.ascii	"FAIL\n"

	.data
	.balign	4
hexbuf:	.space	16
rxbuf:	.space	16
	.bss
	.balign	16
	.space	256
stack_top:

	.section .rom, "a"
	.long	0x524f4d21
