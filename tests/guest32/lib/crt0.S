/*
 * Start code and exception entry for the 32-bit guest test programs (750 / 7447A).
 * Entered in big-endian real mode: by ppcvm --machine epapr (r3 = device tree, r6 = "EPAP")
 * or by our QEMU ROM (r3 = 0, r6 = 0), MSR[IP] = 0.
 */
#define FRAME_CR	(32 * 4)
#define FRAME_LR	(33 * 4)
#define FRAME_CTR	(34 * 4)
#define FRAME_XER	(35 * 4)
#define FRAME_SRR0	(36 * 4)
#define FRAME_SRR1	(37 * 4)
#define FRAME_DAR	(38 * 4)
#define FRAME_DSISR	(39 * 4)
#define FRAME_VEC	(40 * 4)
#define FRAME_SIZE	(44 * 4)
#define STACK_OFF	16		/* SysV 32-bit minimum frame (back chain, LR save) */

	.section .text.start, "ax"
	.globl	_start
_start:
	mr	31, 3			/* device tree */
	mr	30, 6			/* ePAPR magic */
	/* clear BSS (it holds the stacks) */
	lis	8, __bss_start@ha
	addi	8, 8, __bss_start@l
	lis	9, __bss_end@ha
	addi	9, 9, __bss_end@l
	li	0, 0
2:	cmplw	8, 9
	bge	3f
	stw	0, 0(8)
	addi	8, 8, 4
	b	2b
3:
	lis	1, guest_stack_top@ha
	addi	1, 1, guest_stack_top@l
	li	0, 0
	stwu	0, -STACK_OFF(1)
	mr	3, 31
	mr	4, 30
	bl	crt_main
4:	b	4b

/*
 * Common exception entry. The per-vector stub is:
 *   mtsprg2 r13; li r13,VECTOR; ba exc_entry
 * Saves the state in a frame on the exception stack, calls exc_dispatch(frame) (which may
 * change the frame), restores and returns with rfi.
 */
	.text
	.globl	exc_entry
	.balign	4
exc_entry:
	mtsprg1	1
	lis	1, exc_stack_top@ha
	addi	1, 1, exc_stack_top@l
	addi	1, 1, -(STACK_OFF + FRAME_SIZE)
	stw	0, STACK_OFF + 0(1)
	mfsprg1	0
	stw	0, STACK_OFF + 4(1)
	stw	2, STACK_OFF + 8(1)
	stmw	3, STACK_OFF + 12(1)	/* r3..r31 (r13 is the vector, fixed below) */
	mfsprg2	0
	stw	13, STACK_OFF + FRAME_VEC(1)
	stw	0, STACK_OFF + 52(1)
	mfcr	0
	stw	0, STACK_OFF + FRAME_CR(1)
	mflr	0
	stw	0, STACK_OFF + FRAME_LR(1)
	mfctr	0
	stw	0, STACK_OFF + FRAME_CTR(1)
	mfxer	0
	stw	0, STACK_OFF + FRAME_XER(1)
	mfsrr0	0
	stw	0, STACK_OFF + FRAME_SRR0(1)
	mfsrr1	0
	stw	0, STACK_OFF + FRAME_SRR1(1)
	mfdar	0
	stw	0, STACK_OFF + FRAME_DAR(1)
	mfdsisr	0
	stw	0, STACK_OFF + FRAME_DSISR(1)
	li	0, 0
	stw	0, 0(1)
	addi	3, 1, STACK_OFF
	bl	exc_dispatch
	lwz	0, STACK_OFF + FRAME_SRR0(1)
	mtsrr0	0
	lwz	0, STACK_OFF + FRAME_SRR1(1)
	mtsrr1	0
	lwz	0, STACK_OFF + FRAME_CR(1)
	mtcrf	0xff, 0
	lwz	0, STACK_OFF + FRAME_LR(1)
	mtlr	0
	lwz	0, STACK_OFF + FRAME_CTR(1)
	mtctr	0
	lwz	0, STACK_OFF + FRAME_XER(1)
	mtxer	0
	lwz	2, STACK_OFF + 8(1)
	lmw	3, STACK_OFF + 12(1)
	lwz	0, STACK_OFF + 0(1)
	lwz	1, STACK_OFF + 4(1)
	rfi
	b	.

/*
 * u32 kvm_hcall(u32 token, u32 *regs): the KVM PV hypercall (r0 = "KVM!", r11 = token, sc;
 * Linux Documentation/virt/kvm/ppc-pv.rst); regs[0..5] = r3..r8 in and out.
 */
	.globl	kvm_hcall
kvm_hcall:
	stwu	1, -32(1)
	stw	4, 8(1)
	stw	31, 12(1)
	stw	30, 16(1)
	mr	11, 3
	mr	12, 4
	lwz	3, 0(12)
	lwz	4, 4(12)
	lwz	5, 8(12)
	lwz	6, 12(12)
	lwz	7, 16(12)
	lwz	8, 20(12)
	lis	0, 0x4b56
	ori	0, 0, 0x4d21
	sc
	lwz	12, 8(1)
	stw	3, 0(12)
	stw	4, 4(12)
	stw	5, 8(12)
	stw	6, 12(12)
	stw	7, 16(12)
	stw	8, 20(12)
	lwz	31, 12(1)
	lwz	30, 16(1)
	addi	1, 1, 32
	blr

/*
 * MSR[IP] = 1 vectors for ppcvm's boot ROM (a segment at 0xfff00200; QEMU gets the same stubs
 * from rom/rom.S): r13 = offset + 1, then the low stub's "ba exc_entry" at offset + 8.
 */
	.section .rom, "ax"
rom_vectors:
	.irp	off, 0x200,0x300,0x400,0x500,0x600,0x700,0x800,0x900,0xa00,0xb00,0xc00,0xd00,0xe00,\
		0xf00,0xf20,0x1000,0x1100,0x1200,0x1300,0x1400,0x1600,0x1700
	. = rom_vectors + \off - 0x200
	mtsprg2	13
	li	13, \off + 1
	ba	\off + 8
	.endr

	.bss
	.balign	16
	.space	32768
	.globl	guest_stack_top
guest_stack_top:
	.space	64
	.space	16384
	.globl	exc_stack_top
exc_stack_top:
	.space	64
