/* Guest helpers for the hash MMU and the PAPR page-table hcalls (see mmu.h). */
#include "mmu.h"

int hpt_order;
u64 hpt_groups;
u64 hpt_entries;

extern char __image_end[];

long hcall8(u64 nr, u64 *out, const u64 *in)
{
	register u64 r3 asm("r3") = nr;
	register u64 r4 asm("r4") = in[0];
	register u64 r5 asm("r5") = in[1];
	register u64 r6 asm("r6") = in[2];
	register u64 r7 asm("r7") = in[3];
	register u64 r8 asm("r8") = in[4];
	register u64 r9 asm("r9") = in[5];
	register u64 r10 asm("r10") = in[6];
	register u64 r11 asm("r11") = in[7];

	asm volatile("sc 1"
		     : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9),
		       "+r"(r10), "+r"(r11)
		     :
		     : "r0", "r12", "ctr", "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	if (out) {
		out[0] = r4;
		out[1] = r5;
		out[2] = r6;
		out[3] = r7;
		out[4] = r8;
		out[5] = r9;
		out[6] = r10;
		out[7] = r11;
	}
	return (long)r3;
}

static long hc(u64 nr, u64 *out, u64 a0, u64 a1, u64 a2, u64 a3)
{
	u64 in[8] = { a0, a1, a2, a3, 0, 0, 0, 0 };

	return hcall8(nr, out, in);
}

long h_enter(u64 flags, u64 ptex, u64 v, u64 r, u64 *slot)
{
	u64 o[8];
	long rc = hc(H_ENTER, o, flags, ptex, v, r);

	if (slot)
		*slot = o[0];
	return rc;
}

long h_remove(u64 flags, u64 ptex, u64 avpn, u64 *oldv, u64 *oldr)
{
	u64 o[8];
	long rc = hc(H_REMOVE, o, flags, ptex, avpn, 0);

	if (oldv)
		*oldv = o[0];
	if (oldr)
		*oldr = o[1];
	return rc;
}

long h_read(u64 flags, u64 ptex, u64 *out)
{
	u64 o[8];
	long rc = hc(H_READ, o, flags, ptex, 0, 0);
	int i, n = (flags & H_READ_4) ? 8 : 2;

	for (i = 0; out && i < n; i++)
		out[i] = o[i];
	return rc;
}

long h_protect(u64 flags, u64 ptex, u64 avpn)
{
	return hc(H_PROTECT, NULL, flags, ptex, avpn, 0);
}

long h_clear_ref(u64 flags, u64 ptex, u64 *oldr)
{
	u64 o[8];
	long rc = hc(H_CLEAR_REF, o, flags, ptex, 0, 0);

	if (oldr)
		*oldr = o[0];
	return rc;
}

long h_clear_mod(u64 flags, u64 ptex, u64 *oldr)
{
	u64 o[8];
	long rc = hc(H_CLEAR_MOD, o, flags, ptex, 0, 0);

	if (oldr)
		*oldr = o[0];
	return rc;
}

long h_bulk_remove(u64 *tsp, int n)
{
	u64 in[8] = { 0 };
	long rc;
	int i;

	for (i = 0; i < 2 * n && i < 8; i++)
		in[i] = tsp[i];
	rc = hcall8(H_BULK_REMOVE, in, in);
	for (i = 0; i < 2 * n && i < 8; i++)
		tsp[i] = in[i];
	return rc;
}

int hpt_init(void)
{
	int len;
	const u8 *p = fdt_find_prop("ibm,pft-size", &len);

	if (!p || len != 8)
		return -1;
	hpt_order = (int)fdt_be32(p + 4);
	if (hpt_order < 18 || hpt_order > 46)
		return -1;
	hpt_groups = 1UL << (hpt_order - 7);
	hpt_entries = hpt_groups * 8;
	return 0;
}

/* ibm,segment-page-sizes: {base shift, SLB enc, n, {shift, PTE enc} x n} ... */
int page_size_advertised(int base, int shift)
{
	int len, i, j, n;
	const u8 *p = fdt_find_prop("ibm,segment-page-sizes", &len);

	if (!p)
		return 0;
	len /= 4;
	for (i = 0; i + 3 <= len; i += 3 + 2 * n) {
		n = (int)fdt_be32(p + 4 * (i + 2));
		for (j = 0; j < n && i + 3 + 2 * j + 1 < len; j++)
			if ((int)fdt_be32(p + 4 * i) == base &&
			    (int)fdt_be32(p + 4 * (i + 3 + 2 * j)) == shift)
				return 1;
	}
	return 0;
}

/* ISA 2.07 Book III 5.7.7.3: primary hash; the secondary hash is its complement */
u64 hpt_hash(u64 vsid, u64 ea, int pshift, int seg1t)
{
	u64 h;

	if (seg1t)
		h = vsid ^ (vsid << 25) ^ ((ea & 0xffffffffffUL) >> pshift);
	else
		h = vsid ^ ((ea & 0x0fffffffUL) >> pshift);
	return h & 0x7fffffffffUL;
}

u64 hpt_group(u64 vsid, u64 ea, int pshift, int seg1t, int secondary)
{
	u64 h = hpt_hash(vsid, ea, pshift, seg1t);

	if (secondary)
		h = ~h;
	return h & (hpt_groups - 1);
}

/* AVPN = VA[0:54] (VA >> 23), less the bits inside the page for pages above 8 MB */
u64 hpte_v(u64 vsid, u64 ea, int pshift, int seg1t)
{
	u64 va, v;

	if (seg1t)
		va = vsid << 40 | (ea & 0xffffffffffUL);
	else
		va = vsid << 28 | (ea & 0x0fffffffUL);
	v = (va >> 23) << 7;
	if (pshift > 23)
		v &= ~(((1UL << (pshift - 23)) - 1) << 7);
	if (seg1t)
		v |= HPTE_V_1TB;
	if (pshift > 12)
		v |= HPTE_V_LARGE;
	return v;
}

/* RPN plus the LP encoding of ibm,segment-page-sizes: 64K = 0x1 at bit 12, 16M = 0 */
u64 hpte_r(u64 ra, int pshift, u64 flags)
{
	u64 r = ra & ~((1UL << pshift) - 1) & 0x0ffffffffffff000UL;

	if (pshift == PS_64K)
		r |= 0x1000;
	return r | flags;
}

void slb_set(int index, u64 ea, u64 vsid, u64 flags)
{
	u64 rs, rb;

	if (flags & SLB_VSID_B_1T) {
		rs = vsid << 24 | flags;
		rb = (ea & 0xffffff0000000000UL) | SLB_ESID_V | (u64)index;
	} else {
		rs = vsid << 12 | flags;
		rb = (ea & 0xfffffffff0000000UL) | SLB_ESID_V | (u64)index;
	}
	asm volatile("slbmte %0,%1\n\tisync" : : "r"(rs), "r"(rb) : "memory");
}

void slb_clear(u64 ea)
{
	asm volatile("slbie %0\n\tisync" : : "r"(ea & 0xfffffffff0000000UL) : "memory");
}

void slb_clear_all(void)
{
	asm volatile("slbia\n\tisync" : : : "memory");
}

u64 vsid_of(u64 ea)
{
	return ID_VSID + 0x1111 * ((ea >> 28) & 0xfffff);
}

/* everything inserted through map_page_in, for mmu_teardown */
#define NTRACK 8192
static u64 tracked[NTRACK];
static int ntracked;

long map_page_in(struct mapping *m, u64 ea, u64 ra, u64 vsid, int pshift, int seg1t, u64 flags,
		 int secondary)
{
	u64 slot;
	long rc;

	if (!(flags & (HPTE_R_W | HPTE_R_I | HPTE_R_M | HPTE_R_G)))
		flags |= HPTE_R_M;
	m->ea = ea;
	m->ra = ra;
	m->vsid = vsid;
	m->pshift = pshift;
	m->seg1t = seg1t;
	m->v = hpte_v(vsid, ea, pshift, seg1t) | (secondary ? HPTE_V_SECOND : 0) | HPTE_V_VALID;
	m->r = hpte_r(ra, pshift, flags);
	rc = h_enter(0, hpt_group(vsid, ea, pshift, seg1t, secondary) * 8, m->v, m->r, &slot);
	if (rc != H_SUCCESS)
		return rc < 0 ? rc : -1000 - rc;
	m->ptex = slot;
	if (ntracked < NTRACK)
		tracked[ntracked++] = slot;
	return (long)slot;
}

long map_page(u64 ea, u64 ra, int pshift, u64 flags)
{
	struct mapping m;

	return map_page_in(&m, ea, ra, vsid_of(ea), pshift, 0, flags, 0);
}

long unmap(struct mapping *m)
{
	return h_remove(H_AVPN, m->ptex, m->v & ~0x7fUL, NULL, NULL);
}

int mmu_setup(void)
{
	u64 a, end = ((u64)__image_end + 0xfff) & ~0xfffUL;

	if (hpt_init())
		return -1;
	mtspr(13, 0); /* AMR */
	mtspr(61, 0); /* IAMR */
	slb_clear_all();
	slb_set(0, 0, ID_VSID, SLB_VSID_KP);
	for (a = 0; a < 0x4000; a += 0x1000)
		if (map_page(a, a, PS_4K, PP_RW) < 0)
			return -2;
	for (a = 0x400000; a < end; a += 0x1000)
		if (map_page(a, a, PS_4K, PP_RW) < 0)
			return -3;
	return 0;
}

void mmu_teardown(void)
{
	int i;

	mmu_off();
	for (i = 0; i < ntracked; i++)
		h_remove(0, tracked[i], 0, NULL, NULL);
	ntracked = 0;
	slb_clear_all();
	asm volatile("slbmte %0,%0\n\tisync" : : "r"(0UL) : "memory"); /* entry 0 invalid */
}

void mmu_on(void)
{
	asm volatile("mtmsrd %0\n\tisync" : : "r"(mfmsr() | MSR_IR | MSR_DR) : "memory");
}

void mmu_off(void)
{
	asm volatile("mtmsrd %0\n\tisync" : : "r"(mfmsr() & ~(MSR_IR | MSR_DR)) : "memory");
}

/* Exceptions: the default skip-or-recover of exc_dispatch, plus ISI/ISEG and leave_user */
static void mmu_hook(struct exc_frame *f)
{
	u64 v = f->vec;

	if (v == 0xc00 && f->gpr[0] == USER_MAGIC && (f->srr1 & MSR_PR)) {
		f->srr1 &= ~(MSR_PR | MSR_EE);
		return;
	}
	if (exc_recover) {
		f->srr0 = exc_recover;
		exc_recover = 0;
	} else if (v == 0x400 || v == 0x480) {
		f->srr0 = f->lr; /* call_at entered the target with bctrl */
	} else if (v == 0x300 || v == 0x380 || v == 0x600 || v == 0x700 || v == 0x800 ||
		   v == 0xf20 || v == 0xf40 || v == 0xf60 || v == 0xe40) {
		f->srr0 += 4;
	}
}

void mexc_reset(void)
{
	exc_reset();
	exc_hook = mmu_hook;
}

u64 call_at(u64 ea)
{
	register u64 r3 asm("r3") = -1UL;

	asm volatile("mtctr %1\n\tbctrl"
		     : "+r"(r3)
		     : "r"(ea)
		     : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "lr", "ctr",
		       "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	return r3;
}

/*
 * enter_user: rfid back to the caller with MSR[PR]=1 and EE, IR, DR, which PR=1 implies
 * (ISA 2.07 Book III 4.4.1). DEC is reloaded so no decrementer interrupt comes meanwhile.
 */
asm(".text\n"
    "\t.globl enter_user\n"
    "\t.type enter_user,@function\n"
    "enter_user:\n"
    "\tlis 3,0x7fff\n"
    "\tori 3,3,0xffff\n"
    "\tmtdec 3\n"
    "\tmfmsr 3\n"
    "\tori 3,3,0xc030\n" /* PR | EE | IR | DR */
    "\tmtsrr1 3\n"
    "\tmflr 4\n"
    "\tmtsrr0 4\n"
    "\trfid\n"
    "\t.size enter_user,.-enter_user\n");

/* sc 0 with r0 = USER_MAGIC: mmu_hook returns to the next instruction with MSR[PR]=0 */
void leave_user(void)
{
	register u64 r0 asm("r0") = USER_MAGIC;
	struct exc_record save = exc_last;
	int cnt = exc_count, exp = exc_expected;
	void (*hook)(struct exc_frame *) = exc_hook;

	exc_expected = 1;
	exc_hook = mmu_hook;
	asm volatile("sc" : "+r"(r0) : : "r3", "memory");
	exc_hook = hook;
	exc_expected = exp;
	exc_count = cnt;
	exc_last.vec = save.vec;
	exc_last.srr0 = save.srr0;
	exc_last.srr1 = save.srr1;
	exc_last.dar = save.dar;
	exc_last.dsisr = save.dsisr;
	exc_last.msr_handler = save.msr_handler;
}
