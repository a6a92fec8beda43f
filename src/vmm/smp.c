// SPDX-License-Identifier: MIT
/*
 * One host thread per vCPU (see smp.h). Each thread runs its vCPU and
 * answers its exits (machine_handle_exit); a stopped vCPU waits on a
 * condition variable. The RTAS services that start and stop processors
 * (PAPR 7.3.19; QEMU hw/ppc/spapr_rtas.c has the same contract):
 *   start-cpu(server, pc, r3): MSR = SF | ME, big-endian, MMU off; LPCR's
 *     ILE and AIL from the caller; the timebase of the caller;
 *   stop-self(): the caller stops until the next start-cpu;
 *   query-cpu-stopped-state(server): 0 stopped, 1 stopping, 2 running.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/machine.h"
#include "vmm/smp.h"

#define RTAS_QUERY_CPU_STOPPED_STATE 0x2005
#define RTAS_START_CPU		     0x2006
#define RTAS_STOP_SELF		     0x2007

#define LPCR_ILE (1ull << 25)
#define LPCR_AIL (3ull << 23)

enum { CPU_STOPPED, CPU_STOPPING, CPU_RUNNING };

struct smp {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int state[PPCVM_MAX_VCPUS];
	pthread_t thread[PPCVM_MAX_VCPUS];
	bool have_thread[PPCVM_MAX_VCPUS];
};

struct vcpu_arg {
	struct machine *m;
	uint32_t idx;
};

int machine_vcpu_index(struct machine *m, struct ppcvm_vcpu *vcpu)
{
	for (uint32_t i = 0; i < m->ncpus; i++)
		if (m->vcpus[i] == vcpu)
			return (int)i;
	return -1;
}

static bool machine_running(struct machine *m)
{
	return __atomic_load_n(&m->stop, __ATOMIC_SEQ_CST) == MACHINE_RUNNING;
}

/* Run vCPU idx until the machine stops; it sleeps while stopped */
static void vcpu_loop(struct machine *m, uint32_t idx)
{
	struct smp *s = m->smp;
	struct ppcvm_vcpu *vcpu = m->vcpus[idx];

	for (;;) {
		int ret;

		pthread_mutex_lock(&s->lock);
		if (s->state[idx] == CPU_STOPPING) {
			s->state[idx] = CPU_STOPPED;
			pthread_cond_broadcast(&s->cond);
		}
		while (s->state[idx] != CPU_RUNNING && machine_running(m))
			pthread_cond_wait(&s->cond, &s->lock);
		pthread_mutex_unlock(&s->lock);
		if (!machine_running(m))
			return;
		ret = ppcvm_vcpu_run(vcpu);
		machine_handle_exit(m, vcpu, idx, ret);
	}
}

static void *vcpu_thread(void *p)
{
	struct vcpu_arg a = *(struct vcpu_arg *)p;

	free(p);
	vcpu_loop(a.m, a.idx);
	return NULL;
}

void smp_notify_stop(struct machine *m)
{
	struct smp *s = m->smp;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static int smp_alloc(struct machine *m)
{
	struct smp *s;

	if (m->smp)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	m->smp = s;
	return 0;
}

void smp_free(struct machine *m)
{
	struct smp *s = m->smp;

	if (!s)
		return;
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
	m->smp = NULL;
}

int smp_run(struct machine *m)
{
	struct smp *s;
	int ret = smp_alloc(m);

	if (ret) {
		machine_error(m, "out of memory for the vCPU threads");
		return ret;
	}
	s = m->smp;
	pthread_mutex_lock(&s->lock);
	for (uint32_t i = 0; i < m->ncpus; i++) {
		s->state[i] = i == 0 ? CPU_RUNNING : CPU_STOPPED;
		s->have_thread[i] = false;
	}
	pthread_mutex_unlock(&s->lock);
	/* The signal mask is inherited: the CLI's signals stay with its watcher */
	for (uint32_t i = 1; i < m->ncpus; i++) {
		struct vcpu_arg *a = malloc(sizeof(*a));

		if (a) {
			a->m = m;
			a->idx = i;
			ret = pthread_create(&s->thread[i], NULL, vcpu_thread, a);
			if (ret)
				free(a);
		} else {
			ret = ENOMEM;
		}
		if (ret) {
			machine_error(m, "cannot create the thread of vCPU %u: %s", i,
				      strerror(ret));
			ret = -ret;
			break;
		}
		s->have_thread[i] = true;
	}
	if (!ret)
		vcpu_loop(m, 0);
	/* Stopped (power-off, reset, error, timeout): every thread leaves run() */
	for (uint32_t i = 0; i < m->ncpus; i++) {
		__atomic_store_n(&ppcvm_vcpu_run_data(m->vcpus[i])->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
		ppcvm_vcpu_kick(m->vcpus[i]);
	}
	smp_notify_stop(m);
	for (uint32_t i = 1; i < m->ncpus; i++)
		if (s->have_thread[i])
			pthread_join(s->thread[i], NULL);
	return ret;
}

static struct ppcvm_vcpu *rtas_cpu(struct machine *m, uint32_t id)
{
	return id < m->ncpus ? m->vcpus[id] : NULL;
}

static void rtas_start_cpu(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			   uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	struct ppcvm_vcpu *t;
	struct ppcvm_sregs caller, sr;
	struct ppcvm_regs regs;
	struct smp *s = m->smp;
	uint32_t id;

	if (nargs != 3 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	id = args[0];
	t = rtas_cpu(m, id);
	if (!t || !s) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	pthread_mutex_lock(&s->lock);
	if (s->state[id] != CPU_STOPPED) {
		pthread_mutex_unlock(&s->lock);
		rets[0] = RTAS_OUT_HW_ERROR; /* already running (QEMU does the same) */
		return;
	}
	/* Its thread waits on s->cond: its registers are ours to set */
	if (ppcvm_vcpu_get_sregs(vcpu, &caller) || ppcvm_vcpu_get_sregs(t, &sr)) {
		pthread_mutex_unlock(&s->lock);
		rets[0] = RTAS_OUT_HW_ERROR;
		return;
	}
	sr.lpcr = (sr.lpcr & ~(LPCR_ILE | LPCR_AIL)) | (caller.lpcr & (LPCR_ILE | LPCR_AIL));
	sr.tb = caller.tb; /* one timebase for the partition */
	sr.dec = 0x7fffffff;
	memset(&regs, 0, sizeof(regs));
	regs.pc = args[1];
	regs.msr = MACHINE_BOOT_MSR;
	regs.gpr[3] = args[2];
	if (ppcvm_vcpu_set_sregs(t, &sr) || ppcvm_vcpu_set_regs(t, &regs)) {
		pthread_mutex_unlock(&s->lock);
		rets[0] = RTAS_OUT_HW_ERROR;
		return;
	}
	ppcvm_vcpu_set_irq(t, 0);
	s->state[id] = CPU_RUNNING;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	rets[0] = RTAS_OUT_SUCCESS;
}

static void rtas_stop_self(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			   uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	int idx = machine_vcpu_index(m, vcpu);
	struct smp *s = m->smp;

	if (idx < 0 || !s) {
		rets[0] = RTAS_OUT_HW_ERROR;
		return;
	}
	/* Its thread parks itself after this exit (vcpu_loop); no return */
	pthread_mutex_lock(&s->lock);
	s->state[idx] = CPU_STOPPING;
	pthread_mutex_unlock(&s->lock);
	rets[0] = RTAS_OUT_SUCCESS;
}

static void rtas_query_cpu_stopped_state(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
					 uint32_t nargs, const uint32_t *args, uint32_t nret,
					 uint32_t *rets)
{
	struct smp *s = m->smp;
	int st;

	if (nargs != 1 || nret != 2 || !rtas_cpu(m, args[0]) || !s) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	pthread_mutex_lock(&s->lock);
	st = s->state[args[0]];
	pthread_mutex_unlock(&s->lock);
	rets[0] = RTAS_OUT_SUCCESS;
	rets[1] = st == CPU_STOPPED ? 0 : st == CPU_STOPPING ? 1 : 2;
}

int smp_init(struct machine *m)
{
	int ret;

	if ((ret = rtas_register(m, RTAS_QUERY_CPU_STOPPED_STATE, "query-cpu-stopped-state",
				 rtas_query_cpu_stopped_state)) ||
	    (ret = rtas_register(m, RTAS_START_CPU, "start-cpu", rtas_start_cpu)) ||
	    (ret = rtas_register(m, RTAS_STOP_SELF, "stop-self", rtas_stop_self)))
		return ret;
	return 0;
}
