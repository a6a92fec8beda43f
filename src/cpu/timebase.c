/* SPDX-License-Identifier: MIT */
/*
 * Timebase and decrementer (ISA 2.07 Book II 5, Book III-S 7): TB counts at
 * 512 MHz from the host monotonic clock; DEC counts down with it and is
 * computed from the TB value at which it reaches zero, so nothing ticks.
 * Book3S-64 decrementers are level triggered: the exception exists while
 * DEC's most significant bit is 1.
 */
#include <time.h>

#include "cpu/cpu.h"

static uint64_t host_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* 512 MHz = 0.512 ticks per ns */
	return (uint64_t)ts.tv_sec * 512000000ull +
	       (uint64_t)ts.tv_nsec * 64 / 125;
}

uint64_t cpu_get_tb(const struct ppc_cpu *cpu)
{
	return host_ticks() + (uint64_t)cpu->tb_offset;
}

void cpu_set_tb(struct ppc_cpu *cpu, uint64_t tb)
{
	uint32_t dec = cpu_get_dec(cpu);

	cpu->tb_offset = (int64_t)(tb - host_ticks());
	cpu_set_dec(cpu, dec);
}

uint32_t cpu_get_dec(const struct ppc_cpu *cpu)
{
	return (uint32_t)(cpu->dec_expiry - cpu_get_tb(cpu));
}

static void update_dec_pending(struct ppc_cpu *cpu, uint32_t dec)
{
	if (dec & 0x80000000u)
		__atomic_fetch_or(&cpu->pending, PEND_DEC, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&cpu->pending, ~PEND_DEC, __ATOMIC_RELAXED);
}

void cpu_set_dec(struct ppc_cpu *cpu, uint32_t dec)
{
	cpu->dec_expiry = cpu_get_tb(cpu) + dec;
	update_dec_pending(cpu, dec);
	/* Look at the clock again soon so a short DEC fires on time */
	cpu->check_count = 1;
}

void cpu_check_timers(struct ppc_cpu *cpu)
{
	update_dec_pending(cpu, cpu_get_dec(cpu));
}

uint64_t cpu_dec_ns_left(const struct ppc_cpu *cpu)
{
	uint32_t dec = cpu_get_dec(cpu);

	if (dec & 0x80000000u)
		return 0;
	/* DEC ticks to ns, rounding up, plus one tick for the sign change */
	return ((uint64_t)dec + 1) * 125 / 64 + 1;
}
