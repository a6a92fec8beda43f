/*
 * Problem state (MSR[PR]=1, ISA 2.07 Book III 2.2, 4.4.1, 6.5.9): privileged instructions give
 * a program interrupt with SRR1 PRIV, user SPRs and the timebase stay readable, rfid to PR=1
 * sets EE, IR and DR, sc 0 is a system call that records PR=1 in SRR1, and sc 1 from problem
 * state is reflected to the guest as a system call (KVM), not served as a hypercall.
 */
#include "mmu.h"

struct rec {
	u64 cnt, vec, srr0, srr1;
};

static struct rec rec[32];
static u64 val[16];

static void snap(int i)
{
	rec[i].cnt = exc_count;
	rec[i].vec = exc_last.vec;
	rec[i].srr0 = exc_last.srr0;
	rec[i].srr1 = exc_last.srr1;
}

/* like enter_user but with only PR added to the MSR: rfid must set EE, IR and DR itself */
void enter_user_pr_only(void);
asm(".text\n"
    "\t.globl enter_user_pr_only\n"
    "\t.type enter_user_pr_only,@function\n"
    "enter_user_pr_only:\n"
    "\tlis 3,0x7fff\n"
    "\tori 3,3,0xffff\n"
    "\tmtdec 3\n"
    "\tmfmsr 3\n"
    "\tli 4,0\n"
    "\tori 4,4,0x8030\n" /* EE | IR | DR: cleared below */
    "\tandc 3,3,4\n"
    "\tori 3,3,0x4000\n" /* PR */
    "\tmtsrr1 3\n"
    "\tmflr 4\n"
    "\tmtsrr0 4\n"
    "\trfid\n"
    "\t.size enter_user_pr_only,.-enter_user_pr_only\n");

static const char *const names[] = {
	"mfmsr",  "mtmsrd", "mfsrr0", "mtsprg0", "mfsprg0", "rfid",
	"slbmte", "tlbiel", "mfdec",  "mtdec",	 "mtsrr1",  "slbie",
};
#define NPRIV ((int)(sizeof(names) / sizeof(names[0])))

static void check_priv(void)
{
	char b[64];
	int i;

	for (i = 0; i < NPRIV; i++) {
		u64 prev = i ? rec[i - 1].cnt : 0;
		unsigned long n = strlen(names[i]);

		memcpy(b, "priv.", 5);
		memcpy(b + 5, names[i], n + 1);
		memcpy(b + 5 + n, ".count", 7);
		check_eq(rec[i].cnt - prev, 1, b);
		memcpy(b + 5 + n, ".vec", 5);
		check_eq(rec[i].vec, 0x700, b);
		memcpy(b + 5 + n, ".srr1", 6);
		check_eq(rec[i].srr1 & (SRR1_PROG_ILL | SRR1_PROG_PRIV | SRR1_PROG_TRAP | MSR_PR),
			 SRR1_PROG_PRIV | MSR_PR, b);
	}
}

int main(void)
{
	u64 msr, v, pc, r3;
	int rc, i;

	exc_expected = 1;
	mexc_reset();
	rc = mmu_setup();
	check_eq(rc, 0, "setup");
	if (rc)
		return 0;
	msr = mfmsr();
	mtspr(272, 0x5555);
	mtspr(275, 0x3333333333333333UL);
	mmu_on();

	/* privileged instructions */
	enter_user();
	i = 0;
	asm volatile("mfmsr %0" : "=r"(v));
	snap(i++);
	asm volatile("mtmsrd %0" : : "r"(msr | MSR_PR | MSR_EE | MSR_IR | MSR_DR) : "memory");
	snap(i++);
	asm volatile("mfspr %0,26" : "=r"(v));
	snap(i++);
	asm volatile("mtspr 272,%0" : : "r"(0x6666UL));
	snap(i++);
	asm volatile("mfspr %0,272" : "=r"(v));
	snap(i++);
	/* SRR0/SRR1 hold the return of the previous interrupt: a wrong rfid would loop */
	asm volatile("rfid" : : : "memory");
	snap(i++);
	asm volatile("slbmte %0,%1" : : "r"(0UL), "r"(5UL) : "memory");
	snap(i++);
	asm volatile("tlbiel %0" : : "r"(0UL) : "memory");
	snap(i++);
	asm volatile("mfspr %0,22" : "=r"(v));
	snap(i++);
	asm volatile("mtspr 22,%0" : : "r"(0x7fffffffUL));
	snap(i++);
	asm volatile("mtspr 27,%0" : : "r"(0UL));
	snap(i++);
	asm volatile("slbie %0" : : "r"(0UL) : "memory");
	snap(i++);

	/* what problem state may use */
	asm volatile("mtlr %1\n\tmflr %0" : "=r"(val[0]) : "r"(0x1234567887654321UL) : "lr");
	asm volatile("mtctr %1\n\tmfctr %0" : "=r"(val[1]) : "r"(0xabcdef0012345678UL) : "ctr");
	asm volatile("mtxer %1\n\tmfxer %0" : "=r"(val[2]) : "r"(0x20000000UL) : "xer");
	val[3] = mftb();
	asm volatile("mfspr %0,268" : "=r"(val[4]));
	asm volatile("mfspr %0,259" : "=r"(val[5]));			      /* SPRG3 user read */
	asm volatile("or 1,1,1\n\tmfspr %0,896" : "=r"(val[6]) : : "memory"); /* low */
	/* medium-low */
	asm volatile("or 6,6,6\n\tmfspr %0,896" : "=r"(val[7]) : : "memory");
	asm volatile("or 2,2,2\n\tmfspr %0,896" : "=r"(val[8]) : : "memory"); /* medium */
	snap(NPRIV);

	/* sc 0: system call with PR=1 in SRR1 */
	asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\tli 0,0\n\tsc"
		     : "=r"(pc)
		     :
		     : "r0", "lr", "memory");
	snap(NPRIV + 1);
	val[9] = pc;

	/* sc 1: KVM reflects it to the guest as a system call (r3 untouched) */
	{
		register u64 r3r asm("r3") = 0x58; /* H_PUT_TERM_CHAR, 0 bytes if served */
		register u64 r4r asm("r4") = VTERM_UNIT;
		register u64 r5r asm("r5") = 0;

		asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\tsc 1"
			     : "=r"(pc), "+r"(r3r), "+r"(r4r), "+r"(r5r)
			     :
			     : "r0", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr",
			       "cr0", "memory");
		r3 = r3r;
	}
	snap(NPRIV + 2);
	val[10] = pc;
	val[11] = r3;
	leave_user();

	check_eq(mfmsr() & MSR_PR, 0, "left-user");
	check_eq(mfspr(272), 0x5555, "sprg0-unchanged");
	check_priv();
	check_eq(rec[NPRIV].cnt, rec[NPRIV - 1].cnt, "user.no-interrupt");
	check_eq(val[0], 0x1234567887654321UL, "user.lr");
	check_eq(val[1], 0xabcdef0012345678UL, "user.ctr");
	check_eq(val[2] & 0xe0000000UL, 0x20000000UL, "user.xer");
	check(val[3] != 0 && val[4] >= val[3], "user.timebase");
	check_eq(val[5], 0x3333333333333333UL, "user.sprg3");
	check_eq(val[6] & 0x001c000000000000UL, 0x0008000000000000UL, "user.ppr-low");
	check_eq(val[7] & 0x001c000000000000UL, 0x000c000000000000UL, "user.ppr-medium-low");
	check_eq(val[8] & 0x001c000000000000UL, 0x0010000000000000UL, "user.ppr-medium");
	check_eq(rec[NPRIV + 1].cnt - rec[NPRIV].cnt, 1, "sc0.count");
	check_eq(rec[NPRIV + 1].vec, 0xc00, "sc0.vec");
	check_eq(rec[NPRIV + 1].srr0, val[9] + 12, "sc0.srr0");
	check_eq(rec[NPRIV + 1].srr1 & (MSR_PR | MSR_IR | MSR_DR | MSR_EE),
		 MSR_PR | MSR_IR | MSR_DR | MSR_EE, "sc0.srr1");
	if (!qemu_bad("sc1-user", "QEMU serves sc 1 from problem state itself and returns "
				  "H_PRIVILEGE; KVM reflects it to the guest as a system call")) {
		check_eq(rec[NPRIV + 2].cnt - rec[NPRIV + 1].cnt, 1, "sc1-user.count");
		check_eq(rec[NPRIV + 2].vec, 0xc00, "sc1-user.vec");
		check_eq(rec[NPRIV + 2].srr0, val[10] + 8, "sc1-user.srr0");
		check_eq(rec[NPRIV + 2].srr1 & MSR_PR, MSR_PR, "sc1-user.srr1-pr");
		check_eq(val[11], 0x58, "sc1-user.r3-untouched");
	} else {
		check_eq(val[11], (u64)H_PRIVILEGE, "sc1-user.qemu-h-privilege");
	}

	/* rfid to PR=1 sets EE, IR and DR whatever SRR1 says (ISA 2.07 Book III 4.4.1) */
	mexc_reset();
	enter_user_pr_only();
	asm volatile("li 0,0\n\tsc" : : : "r0", "memory");
	snap(0);
	leave_user();
	check_eq(rec[0].vec, 0xc00, "pr-implies.sc");
	check_eq(rec[0].srr1 & (MSR_PR | MSR_IR | MSR_DR | MSR_EE),
		 MSR_PR | MSR_IR | MSR_DR | MSR_EE, "pr-implies.ee-ir-dr");

	mmu_teardown();
	exc_expected = 0;
	return 0;
}
