/* Guest test library implementation (freestanding, real mode, single CPU). */
#include "guest.h"

void *fdt;
int n_pass, n_fail;
int qemu_bad_skip;
static int n_skip;

#include "libc_min.c"

/* Console: H_PUT_TERM_CHAR takes up to 16 bytes packed big-endian in r6/r7 (PAPR 14.5.5) */
static char cbuf[16];
static int clen;

void flush(void)
{
	u64 w[2] = { 0, 0 };
	int i, tries;

	if (!clen)
		return;
	for (i = 0; i < clen; i++)
		w[i / 8] |= (u64)(u8)cbuf[i] << (56 - 8 * (i % 8));
	for (tries = 0; tries < 1000; tries++)
		if (hcall(H_PUT_TERM_CHAR, NULL, VTERM_UNIT, clen, w[0], w[1], 0, 0) != 1)
			break; /* retry only on H_BUSY */
	clen = 0;
}

void putchar(int c)
{
	cbuf[clen++] = (char)c;
	if (clen == 16 || c == '\n')
		flush();
}

void puts(const char *s)
{
	while (*s)
		putchar(*s++);
}

static void put_num(u64 v, int base, int neg, int width, int zero)
{
	char b[24];
	int n = 0;

	do {
		b[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		b[n++] = '-';
	while (width-- > n)
		putchar(zero ? '0' : ' ');
	while (n)
		putchar(b[--n]);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, zero = 0, lng = 0;
		u64 v;

		if (*fmt != '%') {
			putchar(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			zero = 1, fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			lng = 1, fmt++;
		switch (*fmt) {
		case 'd':
			v = lng ? (u64)va_arg(ap, long) : (u64)(long)va_arg(ap, int);
			if ((long)v < 0)
				put_num(-v, 10, 1, width, zero);
			else
				put_num(v, 10, 0, width, zero);
			break;
		case 'u':
			v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_num(v, 10, 0, width, zero);
			break;
		case 'x':
			v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_num(v, 16, 0, width, zero);
			break;
		case 'p':
			puts("0x");
			put_num((u64)va_arg(ap, void *), 16, 0, width, zero);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			puts(s ? s : "(null)");
			break;
		}
		case 'c':
			putchar(va_arg(ap, int));
			break;
		case '%':
			putchar('%');
			break;
		default:
			putchar('%');
			putchar(*fmt);
			break;
		}
	}
	va_end(ap);
	return 0;
}

/* Flattened device tree reader (big-endian structure block, DTSpec 5.4) */
u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/* does path component comp[0..n) name node nm? "rtas" matches "rtas" and "rtas@0" */
static int comp_match(const char *comp, int n, const char *nm)
{
	int i, at = 0;

	for (i = 0; i < n; i++) {
		if (comp[i] == '@')
			at = 1;
		if (nm[i] != comp[i])
			return 0;
	}
	return nm[n] == 0 || (nm[n] == '@' && !at);
}

/* path NULL: the first property called name in any node */
const void *fdt_getprop(const char *path, const char *name, int *lenp)
{
	const u8 *h = fdt, *p, *strs;
	const char *comp[8];
	int clens[8], ncomp = 0, depth = -1, matched = 0;
	const char *c = path ? path : "";

	if (!h || fdt_be32(h) != 0xd00dfeed)
		return NULL;
	while (*c) {
		int n;

		while (*c == '/')
			c++;
		for (n = 0; c[n] && c[n] != '/'; n++)
			;
		if (n && ncomp < 8) {
			comp[ncomp] = c;
			clens[ncomp++] = n;
		}
		c += n;
	}
	p = h + fdt_be32(h + 8);
	strs = h + fdt_be32(h + 12);
	for (;;) {
		u32 tag = fdt_be32(p);

		p += 4;
		if (tag == 1) { /* FDT_BEGIN_NODE */
			const char *nm = (const char *)p;

			p += (strlen(nm) + 4) & ~3UL;
			depth++;
			if (depth > 0 && depth == matched + 1 && depth <= ncomp &&
			    comp_match(comp[depth - 1], clens[depth - 1], nm))
				matched = depth;
		} else if (tag == 2) { /* FDT_END_NODE */
			if (matched == depth && depth > 0)
				matched--;
			depth--;
		} else if (tag == 3) { /* FDT_PROP */
			u32 len = fdt_be32(p);
			const char *pn = (const char *)strs + fdt_be32(p + 4);

			if ((!path || (matched == depth && depth == ncomp)) && !strcmp(pn, name)) {
				if (lenp)
					*lenp = len;
				return p + 8;
			}
			p += 8 + ((len + 3) & ~3U);
		} else if (tag != 4) { /* not FDT_NOP: FDT_END or corrupt */
			return NULL;
		}
	}
}

const void *fdt_find_prop(const char *name, int *lenp)
{
	return fdt_getprop(NULL, name, lenp);
}

u64 bootarg(const char *key, u64 def)
{
	int len;
	const char *s = fdt_getprop("/chosen", "bootargs", &len);
	unsigned long kl = strlen(key);

	for (int i = 0; s && i + (int)kl < len; i++) {
		if (memcmp(s + i, key, kl) == 0 && s[i + kl] == '=') {
			u64 v = 0;

			for (i += kl + 1; s[i] >= '0' && s[i] <= '9'; i++)
				v = v * 10 + (u64)(s[i] - '0');
			return v;
		}
	}
	return def;
}

u32 rtas_token(const char *name)
{
	int len;
	const void *p = fdt_getprop("/rtas", name, &len);

	if (!p || len != 4)
		return 0xffffffff;
	return fdt_be32(p);
}

static u32 to_be32(u32 v)
{
#ifdef __LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

/*
 * RTAS argument buffer: big-endian words (PAPR 7.2.8); H_RTAS takes its real
 * address. One per call, on the caller's stack: CPUs call RTAS at the same
 * time (and stop-self never returns, so a shared buffer could not be locked).
 */
int rtas_call(const char *name, int nargs, int nret, u32 *rets, ...)
{
	u32 rtas_buf[16] __attribute__((aligned(16)));
	u32 tok = rtas_token(name);
	va_list ap;
	int i;
	long rc;

	if (tok == 0xffffffff || nargs < 0 || nret < 0 || 3 + nargs + nret > 16)
		return -100;
	rtas_buf[0] = to_be32(tok);
	rtas_buf[1] = to_be32(nargs);
	rtas_buf[2] = to_be32(nret);
	va_start(ap, rets);
	for (i = 0; i < nargs; i++)
		rtas_buf[3 + i] = to_be32(va_arg(ap, u32));
	va_end(ap);
	for (i = 0; i < nret; i++)
		rtas_buf[3 + nargs + i] = to_be32(0xdeadbeef);
	rc = hcall(H_RTAS, NULL, (u64)rtas_buf, 0, 0, 0, 0, 0);
	if (rc)
		return -101;
	for (i = 0; i < nret; i++)
		if (rets)
			rets[i] = to_be32(rtas_buf[3 + nargs + i]);
	return nret ? (int)to_be32(rtas_buf[3 + nargs]) : 0;
}

void power_off(void)
{
	u32 r;

	flush();
	rtas_call("power-off", 2, 1, &r, 0, 0);
	puts("FAIL power-off returned\n");
	for (;;)
		;
}

/* Report API */
void check(int cond, const char *name)
{
	if (cond) {
		n_pass++;
		printf("PASS %s\n", name);
	} else {
		n_fail++;
		printf("FAIL %s\n", name);
	}
}

void check_eq(u64 got, u64 exp, const char *name)
{
	if (got == exp) {
		n_pass++;
		printf("PASS %s\n", name);
	} else {
		n_fail++;
		printf("FAIL %s got=0x%lx exp=0x%lx\n", name, got, exp);
	}
}

void check_eqn(u64 got, u64 exp, const char *name, int idx)
{
	if (got == exp) {
		n_pass++;
		printf("PASS %s[%d]\n", name, idx);
	} else {
		n_fail++;
		printf("FAIL %s[%d] got=0x%lx exp=0x%lx\n", name, idx, got, exp);
	}
}

int qemu_bad(const char *name, const char *why)
{
	if (!qemu_bad_skip)
		return 0;
	skip(name, why);
	return 1;
}

void skip(const char *name, const char *why)
{
	n_skip++;
	printf("SKIP %s (%s)\n", name, why);
}

/* Exceptions: every vector gets "mtsprg2 r13; li r13,VEC; ba exc_entry" (real mode, AIL=0) */
extern char exc_entry[];
volatile struct exc_record exc_last;
volatile int exc_count;
volatile u64 exc_recover;
volatile int exc_expected;
void (*volatile exc_hook)(struct exc_frame *f);
static int unexpected;

void flush_icache(void *p, unsigned long n)
{
	unsigned long a;

	for (a = (unsigned long)p & ~127UL; a < (unsigned long)p + n; a += 128)
		asm volatile("dcbst 0,%0" : : "r"(a) : "memory");
	asm volatile("sync" : : : "memory");
	for (a = (unsigned long)p & ~127UL; a < (unsigned long)p + n; a += 128)
		asm volatile("icbi 0,%0" : : "r"(a) : "memory");
	asm volatile("sync; isync" : : : "memory");
}

void exc_install(u64 vec)
{
	volatile u32 *v = (u32 *)vec;
	u64 target = (u64)exc_entry;

	v[0] = 0x7c0003a6 | 13 << 21 | (274 & 0x1f) << 16 | (274 >> 5) << 11; /* mtsprg2 r13 */
	v[1] = 0x38000000 | 13 << 21 | (u32)vec;			      /* li r13,vec */
	v[2] = 0x48000002 | (u32)(target & 0x03fffffc);			      /* ba exc_entry */
	flush_icache((void *)vec, 12);
}

void exc_reset(void)
{
	exc_count = 0;
	exc_recover = 0;
	exc_last.vec = 0;
	exc_last.srr0 = 0;
	exc_last.srr1 = 0;
	exc_last.dar = 0;
	exc_last.dsisr = 0;
	exc_hook = NULL;
}

void exc_dispatch(struct exc_frame *f);
void exc_dispatch(struct exc_frame *f)
{
	u64 v = f->vec;

	exc_last.vec = v;
	exc_last.srr0 = f->srr0;
	exc_last.srr1 = f->srr1;
	exc_last.dar = f->dar;
	exc_last.dsisr = f->dsisr;
	exc_last.msr_handler = mfmsr();
	exc_count++;
	if (v == 0x900)
		mtspr(22, 0x7fffffff); /* DEC interrupt is level: clear by making DEC positive */
	if (!exc_expected) {
		unexpected++;
		printf("FAIL unexpected-interrupt vec=0x%lx srr0=0x%lx srr1=0x%lx dar=0x%lx\n", v,
		       f->srr0, f->srr1, f->dar);
		n_fail++;
		if (unexpected > 5 || v == 0x200 || v == 0x100) {
			printf("RESULT: %d passed, %d failed\n", n_pass, n_fail);
			power_off();
		}
	}
	if (exc_hook) {
		exc_hook(f);
		return;
	}
	if (exc_recover) {
		f->srr0 = exc_recover;
		exc_recover = 0;
	} else if (v == 0x300 || v == 0x380 || v == 0x600 || v == 0x700 || v == 0x800 ||
		   v == 0xf20 || v == 0xf40 || v == 0xf60 || v == 0xe40) {
		f->srr0 += 4; /* skip the faulting instruction */
	}
}

static const u64 vectors[] = {
	0x100, 0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600, 0x700, 0x800, 0x900, 0x980, 0xa00,
	0xb00, 0xc00, 0xd00, 0xe00, 0xe20, 0xe40, 0xe60, 0xe80, 0xf00, 0xf20, 0xf40, 0xf60, 0xf80,
};

void crt_main(void *dt, u64 load);
void crt_main(void *dt, u64 load)
{
	int i, len;
	const char *compat;

	fdt = dt;
	mtspr(22, 0x7fffffff);
	for (i = 0; i < (int)(sizeof(vectors) / sizeof(vectors[0])); i++)
		exc_install(vectors[i]);
#ifdef __LITTLE_ENDIAN__
	/* take interrupts in little-endian: H_SET_MODE resource 4, mflags 1 (PAPR 14.5.4.3.x) */
	if (hcall(H_SET_MODE, NULL, 1, 4, 0, 0, 0, 0) != H_SUCCESS)
		puts("FAIL h-set-mode-le\n");
#endif
	/* the runner boots QEMU with -append guest-skip-qemu-bad: skip checks QEMU gets wrong */
	compat = fdt_getprop("/chosen", "bootargs", &len);
	qemu_bad_skip = 0;
	if (compat)
		for (i = 0; i + 19 <= len; i++)
			if (!memcmp(compat + i, "guest-skip-qemu-bad", 19))
				qemu_bad_skip = 1;
	printf("guest: %s-endian, fdt=%p load=0x%lx\n",
#ifdef __LITTLE_ENDIAN__
	       "little",
#else
	       "big",
#endif
	       dt, load);
	main();
	printf("RESULT: %d passed, %d failed\n", n_pass, n_fail);
	power_off();
}
