/*
 * Start code and exception entry for the guest test programs.
 * Entered (ppcvm or our QEMU ROM) in 64-bit big-endian real mode, r3 = device tree.
 */
#define FRAME_GPR	0
#define FRAME_CR	(32 * 8)
#define FRAME_LR	(33 * 8)
#define FRAME_CTR	(34 * 8)
#define FRAME_XER	(35 * 8)
#define FRAME_SRR0	(36 * 8)
#define FRAME_SRR1	(37 * 8)
#define FRAME_DAR	(38 * 8)
#define FRAME_DSISR	(39 * 8)
#define FRAME_VEC	(40 * 8)
#define FRAME_SIZE	(42 * 8)
#define STACK_OFF	48		/* ELFv2 minimum frame (32) rounded up */

/* Emit an instruction word that a big-endian CPU decodes as \insn, whatever our endianness */
	.macro	BE_INSN insn
#ifdef __LITTLE_ENDIAN__
	.long	((\insn >> 24) & 0xff) | ((\insn >> 8) & 0xff00) | \
		((\insn << 8) & 0xff0000) | ((\insn << 24) & 0xff000000)
#else
	.long	\insn
#endif
	.endm

	.section .text.start, "ax"
	.globl	_start
_start:
	/*
	 * Endian-neutral entry (same idea as Linux's FIXUP_ENDIAN): read by a CPU of the right
	 * endianness the first word is "tdi 0,0,0x48" (a no-op) and the branch skips the
	 * trampoline; read byte-reversed it is "b .+8", which runs the trampoline: it flips
	 * MSR[LE] and continues at label 1 with rfid (ISA 2.07 Book III 4.4.1).
	 */
	tdi	0, 0, 0x48
	b	1f
	BE_INSN	0x7d6000a6	/* mfmsr r11 */
	BE_INSN	0x696b0001	/* xori r11,r11,1 (MSR[LE]) */
	BE_INSN	0x39400000	/* li r10,0 */
	BE_INSN	0x7d410164	/* mtmsrd r10,1 (EE=RI=0) */
	BE_INSN	0x429f0005	/* bcl 20,31,.+4 */
	BE_INSN	0x7d4802a6	/* mflr r10 */
	BE_INSN	0x394a0014	/* addi r10,r10,20 */
	BE_INSN	0x7d5a03a6	/* mtsrr0 r10 */
	BE_INSN	0x7d7b03a6	/* mtsrr1 r11 */
	BE_INSN	0x4c000024	/* rfid */
1:
	mr	31, 3			/* device tree */
	mr	30, 4			/* load address */
	/* clear BSS (it holds the stacks) */
	lis	8, __bss_start@ha
	addi	8, 8, __bss_start@l
	lis	9, __bss_end@ha
	addi	9, 9, __bss_end@l
	li	0, 0
2:	cmpld	8, 9
	bge	3f
	std	0, 0(8)
	addi	8, 8, 8
	b	2b
3:
	lis	1, guest_stack_top@ha
	addi	1, 1, guest_stack_top@l
	li	0, 0
	stdu	0, -STACK_OFF(1)
	lis	12, crt_main@ha		/* enter through the global entry point: sets r2 */
	addi	12, 12, crt_main@l
	mtctr	12
	mr	3, 31
	mr	4, 30
	bctrl
4:	b	4b

/*
 * Common exception entry. The per-vector stub is:
 *   mtsprg2 r13; li r13,VECTOR; ba exc_entry
 * Saves the full state in a frame on the exception stack, calls exc_dispatch(frame) (which
 * may change the frame), restores and returns with rfid.
 */
	.text
	.globl	exc_entry
	.balign	4
exc_entry:
	mtsprg1	1
	lis	1, exc_stack_top@ha
	addi	1, 1, exc_stack_top@l
	addi	1, 1, -(STACK_OFF + FRAME_SIZE)
	std	0, STACK_OFF + 0(1)
	mfsprg1	0
	std	0, STACK_OFF + 8(1)
	std	2, STACK_OFF + 16(1)
	std	3, STACK_OFF + 24(1)
	std	4, STACK_OFF + 32(1)
	std	5, STACK_OFF + 40(1)
	std	6, STACK_OFF + 48(1)
	std	7, STACK_OFF + 56(1)
	std	8, STACK_OFF + 64(1)
	std	9, STACK_OFF + 72(1)
	std	10, STACK_OFF + 80(1)
	std	11, STACK_OFF + 88(1)
	std	12, STACK_OFF + 96(1)
	mfsprg2	0
	std	0, STACK_OFF + 104(1)
	std	13, STACK_OFF + FRAME_VEC(1)
	std	14, STACK_OFF + 112(1)
	std	15, STACK_OFF + 120(1)
	std	16, STACK_OFF + 128(1)
	std	17, STACK_OFF + 136(1)
	std	18, STACK_OFF + 144(1)
	std	19, STACK_OFF + 152(1)
	std	20, STACK_OFF + 160(1)
	std	21, STACK_OFF + 168(1)
	std	22, STACK_OFF + 176(1)
	std	23, STACK_OFF + 184(1)
	std	24, STACK_OFF + 192(1)
	std	25, STACK_OFF + 200(1)
	std	26, STACK_OFF + 208(1)
	std	27, STACK_OFF + 216(1)
	std	28, STACK_OFF + 224(1)
	std	29, STACK_OFF + 232(1)
	std	30, STACK_OFF + 240(1)
	std	31, STACK_OFF + 248(1)
	mfcr	0
	std	0, STACK_OFF + FRAME_CR(1)
	mflr	0
	std	0, STACK_OFF + FRAME_LR(1)
	mfctr	0
	std	0, STACK_OFF + FRAME_CTR(1)
	mfxer	0
	std	0, STACK_OFF + FRAME_XER(1)
	mfsrr0	0
	std	0, STACK_OFF + FRAME_SRR0(1)
	mfsrr1	0
	std	0, STACK_OFF + FRAME_SRR1(1)
	mfdar	0
	std	0, STACK_OFF + FRAME_DAR(1)
	mfdsisr	0
	std	0, STACK_OFF + FRAME_DSISR(1)
	li	0, 0
	std	0, 0(1)
	addi	3, 1, STACK_OFF
	lis	12, exc_dispatch@ha
	addi	12, 12, exc_dispatch@l
	mtctr	12
	bctrl
	ld	0, STACK_OFF + FRAME_SRR0(1)
	mtsrr0	0
	ld	0, STACK_OFF + FRAME_SRR1(1)
	mtsrr1	0
	ld	0, STACK_OFF + FRAME_CR(1)
	mtcrf	0xff, 0
	ld	0, STACK_OFF + FRAME_LR(1)
	mtlr	0
	ld	0, STACK_OFF + FRAME_CTR(1)
	mtctr	0
	ld	0, STACK_OFF + FRAME_XER(1)
	mtxer	0
	ld	2, STACK_OFF + 16(1)
	ld	3, STACK_OFF + 24(1)
	ld	4, STACK_OFF + 32(1)
	ld	5, STACK_OFF + 40(1)
	ld	6, STACK_OFF + 48(1)
	ld	7, STACK_OFF + 56(1)
	ld	8, STACK_OFF + 64(1)
	ld	9, STACK_OFF + 72(1)
	ld	10, STACK_OFF + 80(1)
	ld	11, STACK_OFF + 88(1)
	ld	12, STACK_OFF + 96(1)
	ld	13, STACK_OFF + 104(1)
	ld	14, STACK_OFF + 112(1)
	ld	15, STACK_OFF + 120(1)
	ld	16, STACK_OFF + 128(1)
	ld	17, STACK_OFF + 136(1)
	ld	18, STACK_OFF + 144(1)
	ld	19, STACK_OFF + 152(1)
	ld	20, STACK_OFF + 160(1)
	ld	21, STACK_OFF + 168(1)
	ld	22, STACK_OFF + 176(1)
	ld	23, STACK_OFF + 184(1)
	ld	24, STACK_OFF + 192(1)
	ld	25, STACK_OFF + 200(1)
	ld	26, STACK_OFF + 208(1)
	ld	27, STACK_OFF + 216(1)
	ld	28, STACK_OFF + 224(1)
	ld	29, STACK_OFF + 232(1)
	ld	30, STACK_OFF + 240(1)
	ld	31, STACK_OFF + 248(1)
	ld	0, STACK_OFF + 0(1)
	ld	1, STACK_OFF + 8(1)
	rfid
	b	.

/* long hcall(unsigned long nr, unsigned long *out, a0..a5): sc 1, out[0..3] = r4..r7 */
	.globl	hcall
hcall:
	std	4, -8(1)
	mr	4, 5
	mr	5, 6
	mr	6, 7
	mr	7, 8
	mr	8, 9
	mr	9, 10
	sc	1
	ld	12, -8(1)
	cmpdi	12, 0
	beqlr
	std	4, 0(12)
	std	5, 8(12)
	std	6, 16(12)
	std	7, 24(12)
	blr

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
