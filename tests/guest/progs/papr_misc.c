/*
 * The smaller hcalls and RTAS services of a pseries boot (PAPR 14.5.4, 7.3):
 * H_SET_SPRG0, H_REGISTER_VPA (alignment, size and order checks), H_RANDOM,
 * H_PAGE_INIT (zero and copy), H_GET_CPU_CHARACTERISTICS, event-scan,
 * check-exception, ibm,get-system-parameter.
 */
#include "guest.h"
#include "smp.h"

#define H_PAGE_INIT    0x2c
#define H_RANDOM       0x300
#define H_GET_CPU_CHAR 0x1c8
#define H_ZERO_PAGE    (1UL << (63 - 48))
#define H_COPY_PAGE    (1UL << (63 - 49))
#define VPA_REG	       (1UL << 45)
#define VPA_REG_SLB    (3UL << 45)
#define VPA_DEREG      (5UL << 45)
#define VPA_DEREG_SLB  (7UL << 45)

static u8 vpa[4096] __attribute__((aligned(4096)));
static u8 slb_shadow[4096] __attribute__((aligned(4096)));
static u8 page_a[4096] __attribute__((aligned(4096)));
static u8 page_b[4096] __attribute__((aligned(4096)));

int main(void)
{
	u64 out[4] = { 0 }, r1, r2;
	u32 rets[2];
	int i, ok;

	/* H_SET_SPRG0 */
	check_eq(hcall(H_SET_SPRG0, NULL, 0x1234abcdUL, 0, 0, 0, 0, 0), H_SUCCESS, "set-sprg0");
	check_eq(mfspr(272), 0x1234abcdUL, "sprg0-value");

	/* H_REGISTER_VPA: size (BE u16 at 4) >= 640, aligned, one page */
	slb_shadow[4] = 0;
	slb_shadow[5] = 0;
	slb_shadow[6] = 0x0c;
	slb_shadow[7] = 0x10;
	vpa[4] = 640 >> 8;
	vpa[5] = 640 & 0xff;
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG, 0, (u64)vpa + 8, 0, 0, 0), H_PARAMETER,
		 "vpa-misaligned");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG_SLB, 0, (u64)slb_shadow, 0, 0, 0),
		 -16 /* H_RESOURCE */, "slb-before-vpa");
	vpa[4] = 0;
	vpa[5] = 100;
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG, 0, (u64)vpa, 0, 0, 0), H_PARAMETER,
		 "vpa-too-small");
	vpa[4] = 640 >> 8;
	vpa[5] = 640 & 0xff;
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG, 0, (u64)vpa, 0, 0, 0), H_SUCCESS,
		 "vpa-register");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG_SLB, 0, (u64)slb_shadow, 0, 0, 0), H_SUCCESS,
		 "slb-shadow-register");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_DEREG, 0, (u64)vpa, 0, 0, 0), -16,
		 "vpa-dereg-while-slb");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_DEREG_SLB, 0, 0, 0, 0, 0), H_SUCCESS, "slb-dereg");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_DEREG, 0, (u64)vpa, 0, 0, 0), H_SUCCESS,
		 "vpa-dereg");
	check_eq(hcall(H_REGISTER_VPA, NULL, VPA_REG, 4096, (u64)vpa, 0, 0, 0), H_PARAMETER,
		 "vpa-bad-cpu");

	/* H_RANDOM: two draws differ (2^-64 chance of a false failure) */
	if (!qemu_bad("h-random", "QEMU has H_RANDOM only with a spapr-rng device")) {
		check_eq(hcall(H_RANDOM, out, 0, 0, 0, 0, 0, 0), H_SUCCESS, "h-random");
		r1 = out[0];
		hcall(H_RANDOM, out, 0, 0, 0, 0, 0, 0);
		r2 = out[0];
		check(r1 != r2, "h-random-differs");
	}

	/* H_PAGE_INIT */
	for (i = 0; i < 4096; i++) {
		page_a[i] = (u8)(i * 7 + 1);
		page_b[i] = 0x55;
	}
	check_eq(hcall(H_PAGE_INIT, NULL, H_COPY_PAGE, (u64)page_b, (u64)page_a, 0, 0, 0),
		 H_SUCCESS, "page-init-copy");
	check_eq(memcmp(page_a, page_b, 4096), 0, "page-copied");
	check_eq(hcall(H_PAGE_INIT, NULL, H_ZERO_PAGE, (u64)page_a, 0, 0, 0, 0), H_SUCCESS,
		 "page-init-zero");
	for (ok = 1, i = 0; i < 4096; i++)
		ok &= page_a[i] == 0;
	check(ok, "page-zeroed");
	check_eq(hcall(H_PAGE_INIT, NULL, H_ZERO_PAGE, (u64)page_a + 8, 0, 0, 0, 0), H_PARAMETER,
		 "page-init-misaligned");

	/* speculation characteristics: answered */
	check_eq(hcall(H_GET_CPU_CHAR, out, 0, 0, 0, 0, 0, 0), H_SUCCESS, "get-cpu-char");

	/* RTAS: nothing to report, no system parameter */
	if (rtas_token("event-scan"))
		check_eq(rtas_call("event-scan", 4, 1, rets, 0xffffffffu, 0, 0, 0), 1,
			 "event-scan-no-event");
	else
		skip("event-scan-no-event", "no event-scan token");
	check_eq((u32)rtas_call("ibm,get-system-parameter", 3, 1, rets, 9999, 0, 0), (u32)-3,
		 "get-system-parameter-unknown");
	return 0;
}
