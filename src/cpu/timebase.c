/* SPDX-License-Identifier: MIT */
/*
 * Timebase and decrementer (ISA 2.07 Book II 5, Book III-S 7): TB counts at
 * 512 MHz from the host monotonic clock; DEC counts down with it and is
 * computed from the TB value at which it reaches zero, so nothing ticks.
 * Book3S-64 decrementers are level triggered: the exception exists while
 * DEC's most significant bit is 1.
 *
 * The 32-bit models (750, 7447A) are edge triggered (PEM32 2.3.14.2, 750 UM
 * 4.5.10): the exception is signalled when DEC steps from 0 to -1 (bit 0
 * goes 0 -> 1) and stays pending until it is taken, whatever DEC does
 * meanwhile; mtdec of a negative value over a non-negative one signals at
 * once (QEMU PPC_DECR_UNDERFLOW_TRIGGERED). The TB of the next such step is
 * kept in dec_next_edge (valid while dec_edge_armed), so an edge is never
 * lost however long nothing looked at the clock.
 */
#include <time.h>

#include "cpu/cpu.h"

static uint64_t host_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* 512 MHz = 0.512 ticks per ns */
	return (uint64_t)ts.tv_sec * 512000000ull + (uint64_t)ts.tv_nsec * 64 / 125;
}

uint64_t cpu_get_tb(const struct ppc_cpu *cpu)
{
	return host_ticks() + (uint64_t)cpu->tb_offset;
}

void cpu_set_tb(struct ppc_cpu *cpu, uint64_t tb)
{
	uint64_t old = cpu_get_tb(cpu);
	uint32_t dec = (uint32_t)(cpu->dec_expiry - old);

	cpu->tb_offset = (int64_t)(tb - host_ticks());
	if (unlikely(cpu->book3s32)) {
		/* DEC keeps its value: move its zero and its next edge along */
		uint64_t delta = cpu_get_tb(cpu) - old;

		cpu->dec_expiry += delta;
		cpu->dec_next_edge += delta;
		cpu->check_count = 1;
		return;
	}
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

/* 32-bit models: signal the 0 -> -1 step if TB passed it (once) */
static void dec32_check(struct ppc_cpu *cpu, uint64_t tb)
{
	uint64_t late;

	if (!cpu->dec_edge_armed || (int64_t)(tb - cpu->dec_next_edge) < 0)
		return;
	__atomic_fetch_or(&cpu->pending, PEND_DEC, __ATOMIC_RELAXED);
	/* The next step comes 2^32 ticks later; edges missed meanwhile merge */
	late = tb - cpu->dec_next_edge;
	cpu->dec_next_edge += ((late >> 32) + 1) << 32;
}

static void dec32_set(struct ppc_cpu *cpu, uint64_t tb, uint32_t dec)
{
	uint32_t old;

	/* An edge that already happened is signalled before it is overwritten */
	dec32_check(cpu, tb);
	old = (uint32_t)(cpu->dec_expiry - tb);
	cpu->dec_expiry = tb + dec;
	/* DEC + 1 ticks until it steps from 0 to -1 (2^32 if DEC = -1) */
	cpu->dec_next_edge = tb + (uint64_t)dec + 1;
	cpu->dec_edge_armed = true;
	if ((dec & 0x80000000u) && !(old & 0x80000000u))
		__atomic_fetch_or(&cpu->pending, PEND_DEC, __ATOMIC_RELAXED);
}

void cpu_set_dec(struct ppc_cpu *cpu, uint32_t dec)
{
	uint64_t tb = cpu_get_tb(cpu);

	if (unlikely(cpu->book3s32)) {
		dec32_set(cpu, tb, dec);
	} else {
		cpu->dec_expiry = tb + dec;
		update_dec_pending(cpu, dec);
	}
	/* Look at the clock again soon so a short DEC fires on time */
	cpu->check_count = 1;
}

void cpu_check_timers(struct ppc_cpu *cpu)
{
	if (unlikely(cpu->book3s32)) {
		dec32_check(cpu, cpu_get_tb(cpu));
		return;
	}
	update_dec_pending(cpu, cpu_get_dec(cpu));
}

uint64_t cpu_dec_ns_left(const struct ppc_cpu *cpu)
{
	uint32_t dec = cpu_get_dec(cpu);

	if (unlikely(cpu->book3s32)) {
		uint64_t tb = cpu_get_tb(cpu), ticks;

		if (__atomic_load_n(&cpu->pending, __ATOMIC_RELAXED) & PEND_DEC)
			return 0;
		ticks = cpu->dec_edge_armed ? cpu->dec_next_edge - tb : (uint64_t)dec + 1;
		if ((int64_t)ticks <= 0)
			return 0;
		return ticks * 125 / 64 + 1;
	}
	if (dec & 0x80000000u)
		return 0;
	/* DEC ticks to ns, rounding up, plus one tick for the sign change */
	return ((uint64_t)dec + 1) * 125 / 64 + 1;
}
