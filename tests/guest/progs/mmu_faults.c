/*
 * Storage interrupts of the hash MMU (ISA 2.07 Book III 5.7, 6.5.3-6.5.6): DSI with DSISR and
 * DAR for no translation, PP protection (supervisor and problem state), storage keys (AMR);
 * ISI with the SRR1 cause bits for no translation, no-execute page and segment, guarded
 * storage, PP protection and keys (IAMR); data and instruction segment interrupts.
 */
#include "mmu.h"

#define SEG1	 0x10000000UL /* Ks=0 Kp=1, 4K pages */
#define SEGN	 0x40000000UL /* no-execute segment */
#define SEGX	 0x50000000UL /* no SLB entry */
#define PA_PG(n) (0x2000000UL + (u64)(n)*0x1000)
#define PA_FAR	 0x40000000000UL
#define ISI_BITS (SRR1_ISI_NOPTE | SRR1_ISI_NOEXEC | SRR1_ISI_PROT | SRR1_ISI_KEY)
#define DSI_BITS 0xffffffffUL

/* AMR/IAMR bits of key k (IBM bits 2k and 2k+1) */
#define AMR_STORE_DIS(k) (1UL << (63 - 2 * (k)))
#define AMR_LOAD_DIS(k)	 (1UL << (62 - 2 * (k)))
#define IAMR_EXEC_DIS(k) (1UL << (62 - 2 * (k)))

static u64 ld_at(u64 ea, u64 *pc)
{
	u64 v = 0, a;

	asm volatile("bcl 20,31,1f\n1:\tmflr %1\n\tld %0,0(%2)"
		     : "+r"(v), "=&r"(a)
		     : "b"(ea)
		     : "lr", "memory");
	*pc = a + 4;
	return v;
}

static void st_at(u64 ea, u64 v, u64 *pc)
{
	u64 a;

	asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\tstd %1,0(%2)"
		     : "=&r"(a)
		     : "r"(v), "b"(ea)
		     : "lr", "memory");
	*pc = a + 4;
}

static const char *nm(char *b, const char *name, const char *suffix)
{
	unsigned long n = strlen(name);

	memcpy(b, name, n);
	memcpy(b + n, suffix, strlen(suffix) + 1);
	return b;
}

static void expect_dsi(u64 ea, u64 pc, u64 dsisr, const char *name)
{
	char b[80];

	check_eq(exc_count, 1, nm(b, name, ".count"));
	check_eq(exc_last.vec, 0x300, nm(b, name, ".vec"));
	check_eq(exc_last.dsisr & DSI_BITS, dsisr, nm(b, name, ".dsisr"));
	check_eq(exc_last.dar, ea, nm(b, name, ".dar"));
	check_eq(exc_last.srr0, pc, nm(b, name, ".srr0"));
}

static void expect_isi(u64 ea, u64 srr1, const char *name)
{
	char b[80];

	check_eq(exc_count, 1, nm(b, name, ".count"));
	check_eq(exc_last.vec, 0x400, nm(b, name, ".vec"));
	check_eq(exc_last.srr0, ea, nm(b, name, ".srr0"));
	check_eq(exc_last.srr1 & ISI_BITS, srr1, nm(b, name, ".srr1"));
}

static void put_code(u64 pa, u32 imm)
{
	volatile u32 *p = (u32 *)pa;

	p[0] = 0x38600000 | (imm & 0xffff); /* li r3,imm */
	p[1] = 0x4e800020;		    /* blr */
	flush_icache((void *)pa, 8);
}

static void test_dsi(void)
{
	struct mapping ro, sup;
	u64 ea = SEG1 + 0x50000, pc, v;

	/* no translation */
	mexc_reset();
	mmu_on();
	(void)ld_at(ea + 8, &pc);
	mmu_off();
	expect_dsi(ea + 8, pc, DSISR_NOPTE, "dsi.nopte-load");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR | MSR_PR), MSR_IR | MSR_DR, "dsi.srr1-msr");
	mexc_reset();
	mmu_on();
	st_at(ea + 0x10, 1, &pc);
	mmu_off();
	expect_dsi(ea + 0x10, pc, DSISR_NOPTE | DSISR_STORE, "dsi.nopte-store");

	/* read-only page (PP=11) */
	check(map_page_in(&ro, SEG1 + 0x1000, PA_PG(1), vsid_of(SEG1), PS_4K, 0, PP_RO, 0) >= 0,
	      "ro.enter");
	mexc_reset();
	mmu_on();
	v = ld_at(SEG1 + 0x1000, &pc);
	check_eq(exc_count, 0, "ro.load");
	check_eq(v, 0x1111, "ro.load-data");
	st_at(SEG1 + 0x1020, 2, &pc);
	mmu_off();
	expect_dsi(SEG1 + 0x1020, pc, DSISR_PROT | DSISR_STORE, "ro.store");
	check_eq(phys_ld(PA_PG(1) + 0x20), 0, "ro.store-suppressed");

	/* PP=00: read/write for key 0 (Ks=0, supervisor), no access for key 1 (Kp=1, problem) */
	check(map_page_in(&sup, SEG1 + 0x2000, PA_PG(2), vsid_of(SEG1), PS_4K, 0, PP_SUP, 0) >= 0,
	      "pp0.enter");
	mexc_reset();
	mmu_on();
	st_at(SEG1 + 0x2008, 0x2222, &pc);
	v = ld_at(SEG1 + 0x2008, &pc);
	mmu_off();
	check_eq(exc_count, 0, "pp0.supervisor-rw");
	check_eq(v, 0x2222, "pp0.supervisor-data");
	{
		static u64 pl_pc, ps_pc, pl_cnt, ps_cnt, ro_v, ro_cnt;
		static struct exc_record pl, ps;

		mexc_reset();
		mmu_on();
		enter_user();
		(void)ld_at(SEG1 + 0x2010, (u64 *)&pl_pc);
		pl_cnt = exc_count;
		pl.vec = exc_last.vec;
		pl.dsisr = exc_last.dsisr;
		pl.dar = exc_last.dar;
		pl.srr0 = exc_last.srr0;
		pl.srr1 = exc_last.srr1;
		st_at(SEG1 + 0x2018, 3, (u64 *)&ps_pc);
		ps_cnt = exc_count;
		ps.vec = exc_last.vec;
		ps.dsisr = exc_last.dsisr;
		ps.dar = exc_last.dar;
		ro_v = ld64(SEG1 + 0x1000); /* PP=11 is readable by both keys */
		ro_cnt = exc_count;
		leave_user();
		mmu_off();
		check_eq(pl_cnt, 1, "pp0.user-load.count");
		check_eq(pl.vec, 0x300, "pp0.user-load.vec");
		check_eq(pl.dsisr & DSI_BITS, DSISR_PROT, "pp0.user-load.dsisr");
		check_eq(pl.dar, SEG1 + 0x2010, "pp0.user-load.dar");
		check_eq(pl.srr0, pl_pc, "pp0.user-load.srr0");
		check_eq(pl.srr1 & (MSR_PR | MSR_IR | MSR_DR), MSR_PR | MSR_IR | MSR_DR,
			 "pp0.user-load.srr1-pr");
		check_eq(ps_cnt, 2, "pp0.user-store.count");
		check_eq(ps.vec, 0x300, "pp0.user-store.vec");
		check_eq(ps.dsisr & DSI_BITS, DSISR_PROT | DSISR_STORE, "pp0.user-store.dsisr");
		check_eq(ps.dar, SEG1 + 0x2018, "pp0.user-store.dar");
		check_eq(ro_cnt, 2, "ro.user-load");
		check_eq(ro_v, 0x1111, "ro.user-load-data");
		check_eq(mfmsr() & MSR_PR, 0, "user.left");
	}
	unmap(&ro);
	unmap(&sup);
}

static void test_keys(void)
{
	struct mapping k, kc;
	u64 ea = SEG1 + 0x3000, pc, v;

	check(map_page_in(&k, ea, PA_PG(3), vsid_of(SEG1), PS_4K, 0, PP_RW | HPTE_R_KEY(5), 0) >= 0,
	      "key.enter");
	mexc_reset();
	mmu_on();
	v = ld_at(ea, &pc);
	st_at(ea + 8, 0x33, &pc);
	mmu_off();
	check_eq(exc_count, 0, "key.amr0-rw");
	check_eq(v, 0x3333, "key.amr0-data");
	/* load disabled for key 5: loads fault, stores do not */
	mtspr(13, AMR_LOAD_DIS(5));
	check_eq(mfspr(13), AMR_LOAD_DIS(5), "key.amr-write");
	mexc_reset();
	mmu_on();
	(void)ld_at(ea + 0x10, &pc);
	mmu_off();
	expect_dsi(ea + 0x10, pc, DSISR_KEY, "key.load");
	mexc_reset();
	mmu_on();
	st_at(ea + 0x18, 0x44, &pc);
	mmu_off();
	check_eq(exc_count, 0, "key.load-dis-store-ok");
	/* store disabled */
	mtspr(13, AMR_STORE_DIS(5));
	mexc_reset();
	mmu_on();
	st_at(ea + 0x20, 0x55, &pc);
	v = ld_at(ea, &pc);
	mmu_off();
	check_eq(exc_count, 1, "key.store-dis-load-ok");
	check_eq(exc_last.vec, 0x300, "key.store.vec");
	check_eq(exc_last.dsisr & DSI_BITS, DSISR_KEY | DSISR_STORE, "key.store.dsisr");
	check_eq(exc_last.dar, ea + 0x20, "key.store.dar");
	check_eq(phys_ld(PA_PG(3) + 0x20), 0, "key.store-suppressed");
	/* other keys unaffected */
	mtspr(13, AMR_STORE_DIS(4) | AMR_LOAD_DIS(4) | AMR_STORE_DIS(6) | AMR_LOAD_DIS(6));
	mexc_reset();
	mmu_on();
	(void)ld_at(ea, &pc);
	st_at(ea + 0x28, 0x66, &pc);
	mmu_off();
	check_eq(exc_count, 0, "key.other-keys");
	mtspr(13, 0);

	/* IAMR: instruction fetch from a key-6 page */
	put_code(PA_PG(20), 0x66);
	check(map_page_in(&kc, SEG1 + 0x20000, PA_PG(20), vsid_of(SEG1), PS_4K, 0,
			  PP_RW | HPTE_R_KEY(6), 0) >= 0,
	      "ikey.enter");
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEG1 + 0x20000), 0x66, "ikey.iamr0-exec");
	mmu_off();
	mtspr(61, IAMR_EXEC_DIS(6));
	check_eq(mfspr(61), IAMR_EXEC_DIS(6), "ikey.iamr-write");
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEG1 + 0x20000), -1UL, "ikey.exec-faults");
	v = ld64(SEG1 + 0x20000); /* IAMR does not restrict data access */
	mmu_off();
	expect_isi(SEG1 + 0x20000, SRR1_ISI_KEY, "ikey.isi");
	check(v >> 32 == 0x38600066 || (v & 0xffffffffUL) == 0x38600066, "ikey.data-ok");
	mtspr(61, IAMR_EXEC_DIS(5));
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEG1 + 0x20000), 0x66, "ikey.other-key-exec");
	mmu_off();
	mtspr(61, 0);
	unmap(&k);
	unmap(&kc);
}

static void test_isi(void)
{
	struct mapping n, g, p, ok;
	u64 ea;
	long rc;

	/* no translation */
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEG1 + 0x51000), -1UL, "isi.nopte-call");
	mmu_off();
	expect_isi(SEG1 + 0x51000, SRR1_ISI_NOPTE, "isi.nopte");
	check_eq(exc_last.srr1 & (MSR_IR | MSR_DR), MSR_IR | MSR_DR, "isi.srr1-msr");

	/* no-execute page */
	put_code(PA_PG(21), 0x77);
	rc = map_page_in(&n, SEG1 + 0x21000, PA_PG(21), vsid_of(SEG1), PS_4K, 0, PP_RW | HPTE_R_N,
			 0);
	check(rc >= 0, "noexec.enter");
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEG1 + 0x21000), -1UL, "noexec.call");
	check_eq(ld64(SEG1 + 0x21000) >> 32 == 0x38600077 ||
			 (ld64(SEG1 + 0x21000) & 0xffffffff) == 0x38600077,
		 1, "noexec.data-ok");
	mmu_off();
	expect_isi(SEG1 + 0x21000, SRR1_ISI_NOEXEC, "noexec.isi");

	/* no-execute segment (SLB N) */
	slb_set(2, SEGN, vsid_of(SEGN), SLB_VSID_KP | SLB_VSID_N);
	rc = map_page_in(&ok, SEGN + 0x1000, PA_PG(21), vsid_of(SEGN), PS_4K, 0, PP_RW, 0);
	check(rc >= 0, "noexec-seg.enter");
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEGN + 0x1000), -1UL, "noexec-seg.call");
	mmu_off();
	expect_isi(SEGN + 0x1000, SRR1_ISI_NOEXEC, "noexec-seg.isi");
	unmap(&ok);

	/*
	 * Guarded storage (G=1) cannot be executed. QEMU accepts G only for non-RAM addresses
	 * (WIMG I or IM); a KVM-like hypervisor accepts RAM mapped cache-inhibited: try both.
	 */
	ea = SEG1 + 0x22000;
	rc = map_page_in(&g, ea, PA_PG(22), vsid_of(SEG1), PS_4K, 0, PP_RW | HPTE_R_I | HPTE_R_G,
			 0);
	if (rc < 0)
		rc = map_page_in(&g, ea, PA_FAR, vsid_of(SEG1), PS_4K, 0,
				 PP_RW | HPTE_R_I | HPTE_R_G, 0);
	check(rc >= 0, "guarded.enter");
	mexc_reset();
	mmu_on();
	check_eq(call_at(ea), -1UL, "guarded.call");
	mmu_off();
	expect_isi(ea, SRR1_ISI_NOEXEC, "guarded.isi");
	unmap(&g);

	/* PP=00 page fetched from problem state: protection */
	put_code(PA_PG(23), 0x99);
	rc = map_page_in(&p, SEG1 + 0x23000, PA_PG(23), vsid_of(SEG1), PS_4K, 0, PP_SUP, 0);
	check(rc >= 0, "pp0-exec.enter");
	{
		static u64 sup_r, usr_r, cnt;
		static struct exc_record e;

		mexc_reset();
		mmu_on();
		sup_r = call_at(SEG1 + 0x23000);
		enter_user();
		usr_r = call_at(SEG1 + 0x23000);
		cnt = exc_count;
		e.vec = exc_last.vec;
		e.srr0 = exc_last.srr0;
		e.srr1 = exc_last.srr1;
		leave_user();
		mmu_off();
		check_eq(sup_r, 0x99, "pp0-exec.supervisor");
		check_eq(usr_r, -1UL, "pp0-exec.user");
		check_eq(cnt, 1, "pp0-exec.user.count");
		check_eq(e.vec, 0x400, "pp0-exec.user.vec");
		check_eq(e.srr0, SEG1 + 0x23000, "pp0-exec.user.srr0");
		check_eq(e.srr1 & ISI_BITS, SRR1_ISI_PROT, "pp0-exec.user.srr1");
		check_eq(e.srr1 & MSR_PR, MSR_PR, "pp0-exec.user.srr1-pr");
	}
	unmap(&p);
	unmap(&n);
}

static void test_segments(void)
{
	u64 pc;

	mexc_reset();
	mmu_on();
	(void)ld_at(SEGX + 0x1238, &pc);
	mmu_off();
	check_eq(exc_count, 1, "dseg.load.count");
	check_eq(exc_last.vec, 0x380, "dseg.load.vec");
	check_eq(exc_last.dar, SEGX + 0x1238, "dseg.load.dar");
	check_eq(exc_last.srr0, pc, "dseg.load.srr0");
	mexc_reset();
	mmu_on();
	st_at(SEGX + 0x2000, 5, &pc);
	mmu_off();
	check_eq(exc_last.vec, 0x380, "dseg.store.vec");
	check_eq(exc_last.dar, SEGX + 0x2000, "dseg.store.dar");
	/* 1TB EA beyond every entry */
	mexc_reset();
	mmu_on();
	(void)ld_at(0x7f0000000000UL, &pc);
	mmu_off();
	check_eq(exc_last.vec, 0x380, "dseg.high.vec");
	check_eq(exc_last.dar, 0x7f0000000000UL, "dseg.high.dar");
	mexc_reset();
	mmu_on();
	check_eq(call_at(SEGX + 0x3000), -1UL, "iseg.call");
	mmu_off();
	check_eq(exc_count, 1, "iseg.count");
	check_eq(exc_last.vec, 0x480, "iseg.vec");
	check_eq(exc_last.srr0, SEGX + 0x3000, "iseg.srr0");
	check_eq(exc_last.srr1 & ISI_BITS, 0, "iseg.srr1");
	/* translation off: the same EA is a real address, no segment lookup */
	mexc_reset();
	(void)ld_at(0x3000, &pc);
	check_eq(exc_count, 0, "real-mode.no-fault");
}

int main(void)
{
	int rc;

	exc_expected = 1;
	mexc_reset();
	rc = mmu_setup();
	check_eq(rc, 0, "setup");
	if (rc)
		return 0;
	memset((void *)PA_PG(0), 0, 0x20000);
	phys_st(PA_PG(1), 0x1111);
	phys_st(PA_PG(3), 0x3333);
	slb_set(1, SEG1, vsid_of(SEG1), SLB_VSID_KP);

	test_dsi();
	if (!qemu_bad("keys", "QEMU 7.2 pseries has no ibm,processor-storage-keys, ignores "
			      "mtspr AMR (AMOR 0) and does not apply the IAMR on POWER8")) {
		check(fdt_find_prop("ibm,processor-storage-keys", NULL) != NULL, "keys.advertised");
		test_keys();
	}
	test_isi();
	test_segments();

	mmu_teardown();
	exc_expected = 0;
	return 0;
}
