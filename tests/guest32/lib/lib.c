/* 32-bit guest test library implementation (freestanding, single CPU). */
#include "guest32.h"

void *fdt;
int on_ppcvm;
u32 cpu_pvr;
u32 tb_freq;
int n_pass, n_fail;
static int n_skip;
static int qemu_bad_skip;

#include "../../guest/lib/libc_min.c"

/*
 * Console. ppcvm: EV_BYTE_CHANNEL_SEND (hcall 1 of vendor 1, Linux's asm/epapr_hcalls.h;
 * r3 = handle, r4 = count <= 16, r5..r8 = bytes packed big-endian; r3 = status out).
 * QEMU: append to the RAM buffer at OUTBUF, which the runner reads through the monitor.
 */
static char cbuf[16];
static int clen;
static u32 bc_handle = 1;

void flush(void)
{
	u32 r[6];
	int i, tries;

	if (!clen)
		return;
	if (!on_ppcvm) {
		volatile u32 *ob = (volatile u32 *)OUTBUF;
		volatile char *text = (volatile char *)(OUTBUF + 16);

		for (i = 0; i < clen && ob[1] < OUTBUF_SIZE - 17; i++)
			text[ob[1]++] = cbuf[i];
		clen = 0;
		return;
	}
	for (tries = 0; tries < 100; tries++) {
		memset(r, 0, sizeof(r));
		r[0] = bc_handle;
		r[1] = clen;
		for (i = 0; i < clen; i++)
			r[2 + i / 4] |= (u32)(u8)cbuf[i] << (24 - 8 * (i % 4));
		if (kvm_hcall(EV_HCALL_TOKEN(EV_BYTE_CHANNEL_SEND), r) == 0)
			break;
	}
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

static void put_num(u32 v, int base, int neg, int width, int zero)
{
	char b[16];
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
		int width = 0, zero = 0;
		u32 v;

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
			fmt++;
		switch (*fmt) {
		case 'd':
			v = (u32)va_arg(ap, int);
			if ((int)v < 0)
				put_num(-v, 10, 1, width, zero);
			else
				put_num(v, 10, 0, width, zero);
			break;
		case 'u':
			put_num(va_arg(ap, unsigned int), 10, 0, width, zero);
			break;
		case 'x':
			put_num(va_arg(ap, unsigned int), 16, 0, width, zero);
			break;
		case 'p':
			puts("0x");
			put_num((u32)va_arg(ap, void *), 16, 0, width, zero);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			puts(s ? s : "(null)");
			break;
		}
		case 'c':
			putchar(va_arg(ap, int));
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

/* Flattened device tree (DTSpec 5.4), structure block walked token by token */
u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/* The structure block */
static const u8 *fdt_struct(void)
{
	const u8 *h = fdt;

	return h + fdt_be32(h + 8);
}

/* Step over one token at *off; returns the token */
static u32 fdt_next(u32 *off, const char **name, const u8 **val, u32 *len)
{
	const u8 *s = fdt_struct(), *strs = (const u8 *)fdt + fdt_be32((const u8 *)fdt + 12);
	u32 tag = fdt_be32(s + *off);

	*off += 4;
	if (tag == 1) {
		*name = (const char *)s + *off;
		*off += (strlen(*name) + 4) & ~3u;
	} else if (tag == 3) {
		*len = fdt_be32(s + *off);
		*name = (const char *)strs + fdt_be32(s + *off + 4);
		*val = s + *off + 8;
		*off += 8 + ((*len + 3) & ~3u);
	}
	return tag;
}

/* Property of the node whose FDT_BEGIN_NODE is at node (not of its children) */
static const u8 *fdt_node_prop(u32 node, const char *pname, u32 *lenp)
{
	u32 off = node, len = 0, tag;
	const char *nm;
	const u8 *val = NULL;

	fdt_next(&off, &nm, &val, &len);
	for (int guard = 0; guard < 100000; guard++) {
		tag = fdt_next(&off, &nm, &val, &len);
		if (tag == 3 && !strcmp(nm, pname)) {
			if (lenp)
				*lenp = len;
			return val;
		}
		if (tag != 3 && tag != 4)
			return NULL;
	}
	return NULL;
}

/*
 * The first node with a property name[=value] (value NULL: any; for "compatible" any string
 * of the list matches); *acells = #address-cells of its parent. Returns 0 if none.
 */
static u32 fdt_find_node(const char *pname, const void *pval, u32 vlen, u32 *acells)
{
	u32 off = 0, node = 0, len = 0, cells[16], depth = 0;
	const char *nm;
	const u8 *val;

	if (!fdt || fdt_be32(fdt) != 0xd00dfeed)
		return 0;
	cells[0] = 2;
	for (int guard = 0; guard < 1000000; guard++) {
		u32 at = off, tag = fdt_next(&off, &nm, &val, &len);

		if (tag == 1) {
			node = at;
			depth++;
			if (depth < 16)
				cells[depth] = 2;
		} else if (tag == 2) {
			depth--;
		} else if (tag == 3) {
			if (!strcmp(nm, "#address-cells") && depth < 15)
				cells[depth] = fdt_be32(val);
			if (strcmp(nm, pname))
				continue;
			if (!pval)
				goto found;
			if (!strcmp(pname, "compatible")) {
				for (u32 i = 0; i < len; i += strlen((const char *)val + i) + 1)
					if (!strcmp((const char *)val + i, pval))
						goto found;
			} else if (len == vlen && !memcmp(val, pval, vlen)) {
				goto found;
			}
		} else if (tag != 4) {
			return 0;
		}
		continue;
	found:
		if (acells)
			*acells = depth >= 1 && depth <= 16 ? cells[depth - 1] : 2;
		return node;
	}
	return 0;
}

static u32 chosen_node(void)
{
	u32 off = 0, len, depth = 0;
	const char *nm;
	const u8 *val;

	if (!fdt || fdt_be32(fdt) != 0xd00dfeed)
		return 0;
	for (int guard = 0; guard < 1000000; guard++) {
		u32 at = off, tag = fdt_next(&off, &nm, &val, &len);

		if (tag == 1) {
			depth++;
			if (depth == 2 && (!strcmp(nm, "chosen")))
				return at;
		} else if (tag == 2) {
			depth--;
		} else if (tag != 3 && tag != 4) {
			return 0;
		}
	}
	return 0;
}

static char bootargs[256];

u32 bootarg(const char *key, u32 def)
{
	unsigned long kl = strlen(key);
	const char *s = bootargs;

	for (int i = 0; s[i]; i++) {
		if ((i == 0 || s[i - 1] == ' ') && !memcmp(s + i, key, kl) && s[i + kl] == '=') {
			u32 v = 0;

			for (i += kl + 1; s[i] >= '0' && s[i] <= '9'; i++)
				v = v * 10 + (u32)(s[i] - '0');
			return v;
		}
	}
	return def;
}

/* syscon-poweroff (Linux bindings/power/reset/syscon-poweroff.yaml): regmap, offset, value */
static u32 poweroff_addr, poweroff_val;

static void fdt_setup(void)
{
	u32 node, len, ac = 1, n;
	const u8 *p;

	node = chosen_node();
	p = node ? fdt_node_prop(node, "bootargs", &len) : NULL;
	if (p) {
		if (len > sizeof(bootargs) - 1)
			len = sizeof(bootargs) - 1;
		memcpy(bootargs, p, len);
		bootargs[len] = 0;
	}
	node = fdt_find_node("timebase-frequency", NULL, 0, NULL);
	p = node ? fdt_node_prop(node, "timebase-frequency", &len) : NULL;
	if (p && len == 4)
		tb_freq = fdt_be32(p);
	node = fdt_find_node("compatible", "epapr,hv-byte-channel", 0, NULL);
	p = node ? fdt_node_prop(node, "hv-handle", &len) : NULL;
	if (p && len == 4)
		bc_handle = fdt_be32(p);
	node = fdt_find_node("compatible", "syscon-poweroff", 0, NULL);
	if (!node)
		return;
	p = fdt_node_prop(node, "offset", &len);
	poweroff_addr = p && len == 4 ? fdt_be32(p) : 0;
	p = fdt_node_prop(node, "value", &len);
	if (!p)
		p = fdt_node_prop(node, "mask", &len);
	poweroff_val = p && len == 4 ? fdt_be32(p) : 0;
	p = fdt_node_prop(node, "regmap", &len);
	if (p && len == 4) {
		u8 ph[4];

		memcpy(ph, p, 4);
		n = fdt_find_node("phandle", ph, 4, &ac);
		if (!n)
			n = fdt_find_node("linux,phandle", ph, 4, &ac);
		p = n ? fdt_node_prop(n, "reg", &len) : NULL;
		if (p && len >= ac * 4 && ac >= 1)
			poweroff_addr += fdt_be32(p + 4 * (ac - 1));
		else
			poweroff_addr = 0;
	}
}

void power_off(void)
{
	flush();
	mtmsr(mfmsr() & ~(MSR_IR | MSR_DR | MSR_EE));
	if (on_ppcvm) {
		if (poweroff_addr) {
			asm volatile("sync");
			st32(poweroff_addr, poweroff_val);
			asm volatile("sync");
		}
		puts("FAIL power-off (no syscon-poweroff or it returned)\n");
		flush();
	} else {
		asm volatile("sync");
		st32(OUTBUF + 8, OUT_DONE);
		asm volatile("sync");
	}
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

void check_eq(u32 got, u32 exp, const char *name)
{
	if (got == exp) {
		n_pass++;
		printf("PASS %s\n", name);
	} else {
		n_fail++;
		printf("FAIL %s got=0x%x exp=0x%x\n", name, got, exp);
	}
}

void check_eqn(u32 got, u32 exp, const char *name, int idx)
{
	if (got == exp) {
		n_pass++;
		printf("PASS %s[%d]\n", name, idx);
	} else {
		n_fail++;
		printf("FAIL %s[%d] got=0x%x exp=0x%x\n", name, idx, got, exp);
	}
}

void skip(const char *name, const char *why)
{
	n_skip++;
	printf("SKIP %s (%s)\n", name, why);
}

int qemu_bad(const char *name, const char *why)
{
#ifdef GUEST32_RUN_QEMU_BAD
	/* a build that runs the known-bad checks under QEMU too, to confirm they still fail */
	qemu_bad_skip = 0;
#endif
	if (!qemu_bad_skip)
		return 0;
	skip(name, why);
	return 1;
}

void skip_program(const char *why)
{
	printf("SKIP-PROGRAM: %s\n", why);
	printf("RESULT: %d passed, %d failed\n", n_pass, n_fail);
	power_off();
}

/* Exceptions: every vector gets "mtsprg2 r13; li r13,VEC; ba exc_entry" (real mode, IP=0) */
extern char exc_entry[];
volatile struct exc_record exc_last;
volatile int exc_count;
volatile u32 exc_recover;
volatile int exc_expected;
void (*volatile exc_hook)(struct exc_frame *f);
static int unexpected;

/* 32-byte cache blocks on the 750 and 7447A */
void flush_icache(void *p, unsigned long n)
{
	u32 a;

	for (a = (u32)p & ~31u; a < (u32)p + n; a += 32)
		asm volatile("dcbst 0,%0" : : "r"(a) : "memory");
	asm volatile("sync" : : : "memory");
	for (a = (u32)p & ~31u; a < (u32)p + n; a += 32)
		asm volatile("icbi 0,%0" : : "r"(a) : "memory");
	asm volatile("sync; isync" : : : "memory");
}

void exc_install(u32 vec)
{
	volatile u32 *v = (u32 *)vec;
	u32 target = (u32)exc_entry;

	v[0] = 0x7c0003a6 | 13 << 21 | (274 & 0x1f) << 16 | (274 >> 5) << 11; /* mtsprg2 r13 */
	v[1] = 0x38000000 | 13 << 21 | vec;				      /* li r13,vec */
	v[2] = 0x48000002 | (target & 0x03fffffc);			      /* ba exc_entry */
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
	u32 v = f->vec;

	exc_last.vec = v;
	exc_last.srr0 = f->srr0;
	exc_last.srr1 = f->srr1;
	exc_last.dar = f->dar;
	exc_last.dsisr = f->dsisr;
	exc_last.msr_handler = mfmsr();
	exc_count++;
	if (!exc_expected) {
		unexpected++;
		printf("FAIL unexpected-interrupt vec=0x%x srr0=0x%x srr1=0x%x dar=0x%x\n", v,
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
	} else if (v == 0x400) {
		/* an ISI comes from run_at's branch: resume at its return point (LR) */
		f->srr0 = f->lr;
		f->gpr[3] = 0xdead0400;
	} else if ((v & ~1u) == 0x300 || (v & ~1u) == 0x600 || (v & ~1u) == 0x700 ||
		   (v & ~1u) == 0x800 || (v & ~1u) == 0xf20) {
		f->srr0 += 4; /* skip the faulting instruction */
	} else if (v == 0x900) {
		/* DEC is edge-triggered here: nothing to clear; return with EE=0 */
		f->srr1 &= ~MSR_EE;
	}
}

static const u32 vectors[] = {
	0x100, 0x200, 0x300, 0x400, 0x500,  0x600,  0x700,  0x800,  0x900,  0xa00,  0xb00,  0xc00,
	0xd00, 0xe00, 0xf00, 0xf20, 0x1000, 0x1100, 0x1200, 0x1300, 0x1400, 0x1600, 0x1700,
};

void crt_main(void *dt, u32 magic);
void crt_main(void *dt, u32 magic)
{
	int i;

	on_ppcvm = magic == EPAPR_MAGIC;
	fdt = on_ppcvm ? dt : NULL;
	qemu_bad_skip = !on_ppcvm;
	asm volatile("mfpvr %0" : "=r"(cpu_pvr));
	if (!on_ppcvm)
		memset((void *)OUTBUF, 0, 16), st32(OUTBUF, OUT_MAGIC);
	mtspr(22, 0x7fffffff);
	for (i = 0; i < (int)(sizeof(vectors) / sizeof(vectors[0])); i++)
		exc_install(vectors[i]);
	/* QEMU (no device tree): g3beige's and mac99's TBFREQ (hw/ppc/mac_*world.c) */
	tb_freq = (cpu_pvr >> 16) == PVR_7447A ? 100000000 : 16600000;
	fdt_setup();
	printf("guest32: %s, pvr=0x%x, fdt=%p\n", on_ppcvm ? "ppcvm" : "qemu", cpu_pvr, dt);
	main();
	printf("RESULT: %d passed, %d failed\n", n_pass, n_fail);
	power_off();
}
