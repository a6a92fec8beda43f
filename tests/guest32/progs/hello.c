/* Smallest program: the console and the RESULT protocol work. */
#include "guest32.h"

int main(void)
{
	check(1 + 1 == 2, "hello.arith");
	check_eq(mfmsr() & (MSR_IR | MSR_DR | MSR_EE | MSR_PR | MSR_IP), 0, "hello.entry-msr");
	return 0;
}
