/* Smallest guest: console, device tree, RTAS tokens. */
#include "guest.h"

int main(void)
{
	int len;
	const char *c = fdt_getprop("/vdevice/vty@71000000", "compatible", &len);

	check(c && !strcmp(c, "hvterm1"), "hello.vty-compatible");
	check(rtas_token("power-off") != 0xffffffff, "hello.rtas-power-off-token");
	check_eq(rtas_token("display-character"), 0x2000, "hello.rtas-display-character");
	check_eq(rtas_token("get-time-of-day"), 0x2001, "hello.rtas-get-time-of-day");
	check_eq(rtas_token("power-off"), 0x2003, "hello.rtas-power-off");
	check_eq(rtas_token("system-reboot"), 0x2004, "hello.rtas-system-reboot");
	check((mfmsr() & (MSR_SF | MSR_IR | MSR_DR | MSR_PR)) == MSR_SF, "hello.msr-64bit-real");
#ifdef __LITTLE_ENDIAN__
	check(mfmsr() & MSR_LE, "hello.msr-le");
#else
	check(!(mfmsr() & MSR_LE), "hello.msr-be");
#endif
	{
		u32 r[8];
		int rc = rtas_call("get-time-of-day", 0, 8, r);

		check_eq(rc, 0, "hello.rtas-get-time-of-day-status");
		check(r[1] >= 2000 && r[1] < 2200, "hello.rtas-get-time-of-day-year");
	}
	return 0;
}
