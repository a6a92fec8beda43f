/*
 * SMP (PAPR 7.3.19, 14.5.4.3): RTAS start-cpu / stop-self /
 * query-cpu-stopped-state, the entry state of a started CPU, a counter
 * incremented with lwarx/stwcx. by every CPU at once, H_CEDE sleeping until
 * H_PROD, IPIs between CPUs through the XICS presentation layer, and a CPU
 * restarted after stop-self.
 * guest-cpus: 3
 */
#include "guest.h"
#include "smp.h"

#define ITERS 20000

static volatile u32 counter __attribute__((aligned(128)));
static volatile u64 go;

static void atomic_inc(volatile u32 *p)
{
	u32 t;

	asm volatile("1: lwarx %0,0,%1\n"
		     "   addi %0,%0,1\n"
		     "   stwcx. %0,0,%1\n"
		     "   bne- 1b\n"
		     : "=&r"(t)
		     : "r"(p)
		     : "cr0", "memory");
}

static void count_loop(void)
{
	for (int i = 0; i < ITERS; i++)
		atomic_inc(&counter);
}

static void stop_self(void)
{
	u32 r[1];

	rtas_call("stop-self", 0, 1, r);
	for (;;) /* never reached: stop-self does not return */
		percpu[0].val[7]++;
}

/* What a started CPU does: report, count, cede, take an IPI, stop */
static void secondary(struct percpu *me)
{
	u64 xirr;

	mtspr(22, 0x7fffffff); /* DEC */
	me->val[0] = mfmsr();
	me->val[1] = mfspr(1023); /* PIR */
	me->state = 1;		  /* alive */
	while (!go)
		;
	count_loop();
	me->state = 2; /* counted */
	/* sleep in H_CEDE until CPU 0 prods us (EE is on: no interrupt pending) */
	h_cppr(0); /* nothing may interrupt the cede */
	me->val[2] = hcall(H_CEDE, NULL, 0, 0, 0, 0, 0, 0);
	ee_off();
	me->state = 3; /* woken */
	/* take an IPI: CPPR open, cede with EE on, ext_handler counts */
	h_cppr(0xff);
	while (me->state != 4)
		;
	while (!me->ext_count)
		hcall(H_CEDE, NULL, 0, 0, 0, 0, 0, 0);
	ee_off();
	h_xirr(&xirr);
	me->val[3] = xirr;
	h_ipi(me->id, 0xff);
	h_eoi(xirr);
	me->state = 5; /* IPI taken */
	stop_self();
}

/* Second start of a CPU: just report */
static void restarted(struct percpu *me)
{
	me->val[4] = mfspr(1023);
	me->state = 9;
	stop_self();
}

int main(void)
{
	int n = xics_nservers(), i, rc;
	u64 xirr;

	smp_self_init();
	smp_ext_install();
	check(n >= 2, "fdt-servers");
	if (n < 2)
		return 0;
	if (n > MAX_CPUS)
		n = MAX_CPUS;
	check_eq(cpu_stopped_state(1), 0, "query-stopped-before-start");
	for (i = 1; i < n; i++) {
		rc = smp_start(i, secondary);
		check_eqn(rc, 0, "start-cpu", i);
	}
	for (i = 1; i < n; i++) {
		check_eqn(wait_eq(&percpu[i].state, 1, 2000), 1, "secondary-alive", i);
		check_eqn(percpu[i].val[0], MSR_SF | MSR_ME | (mfmsr() & MSR_LE), "secondary-msr",
			  i);
		if (!qemu_bad("secondary-pir", "QEMU's pseries reads PIR as 0"))
			check_eqn(percpu[i].val[1], i, "secondary-pir", i);
		check_eqn(cpu_stopped_state(i), 2, "query-running", i);
	}
	check((int)smp_start(1, secondary) < 0, "start-running-cpu-fails");

	/* every CPU increments the same word with lwarx/stwcx. */
	asm volatile("sync" : : : "memory");
	go = 1;
	count_loop();
	for (i = 1; i < n; i++)
		check_eqn(wait_eq(&percpu[i].state, 2, 5000), 1, "secondary-counted", i);
	check_eq(counter, (u64)n * ITERS, "larx-stcx-counter");

	/* H_CEDE sleeps until H_PROD */
	delay_ms(20);
	check_eq(percpu[1].state, 2, "cede-sleeps");
	check_eq(hcall(H_PROD, NULL, 1, 0, 0, 0, 0, 0), H_SUCCESS, "h-prod");
	check_eq(wait_eq(&percpu[1].state, 3, 2000), 1, "prod-wakes-cede");
	check_eq(percpu[1].val[2], H_SUCCESS, "cede-rc");
	check_eq(hcall(H_PROD, NULL, 4096, 0, 0, 0, 0, 0), H_PARAMETER, "h-prod-bad-cpu");
	rc = hcall(H_CONFER, NULL, -1UL, 0, 0, 0, 0, 0);
	if (!qemu_bad("h-confer-all", "QEMU TCG leaves r3 unset after a confer to all"))
		check_eq(rc, H_SUCCESS, "h-confer-all");
	for (i = 2; i < n; i++) {
		hcall(H_PROD, NULL, i, 0, 0, 0, 0, 0);
		wait_eq(&percpu[i].state, 3, 2000);
	}

	/* IPIs: CPU 0 sends, each secondary takes XISR 2 */
	for (i = 1; i < n; i++) {
		percpu[i].state = 4;
		delay_ms(5);
		check_eqn(h_ipi(i, 5), H_SUCCESS, "h-ipi", i);
		check_eqn(wait_eq(&percpu[i].state, 5, 2000), 1, "ipi-taken", i);
		check_eqn(percpu[i].ext_count, 1, "ipi-one-interrupt", i);
		check_eqn(percpu[i].val[3], 0xff000000UL | XICS_IPI, "ipi-xirr", i);
	}
	/* they stop themselves */
	for (i = 1; i < n; i++) {
		u64 end = mftb() + 2 * TB_HZ;

		while (cpu_stopped_state(i) != 0 && mftb() < end)
			;
		check_eqn(cpu_stopped_state(i), 0, "stop-self-stopped", i);
	}
	check_eq(h_ipoll(0, &xirr, &xirr), H_SUCCESS, "ipoll-self");
	check_eq(percpu[0].val[7], 0, "stop-self-no-return");

	/* a stopped CPU starts again */
	rc = smp_start(1, restarted);
	check_eq(rc, 0, "restart-cpu");
	check_eq(wait_eq(&percpu[1].state, 9, 2000), 1, "restarted-runs");
	if (!qemu_bad("restarted-pir", "QEMU's pseries reads PIR as 0"))
		check_eq(percpu[1].val[4], 1, "restarted-pir");
	return 0;
}
