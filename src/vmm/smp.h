/* SPDX-License-Identifier: MIT */
/*
 * SMP for the pseries machine: one host thread per vCPU. vCPU 0 starts
 * running at boot; the others wait stopped (no host CPU spent) until RTAS
 * start-cpu, and go back to waiting after stop-self (PAPR 7.3.19, as QEMU's
 * pseries: secondaries are not spun at 0x60 the kvmtool way).
 */
#ifndef PPCVM_VMM_SMP_H
#define PPCVM_VMM_SMP_H

#include <ppcvm/ppcvm.h>

struct machine;

/* Register start-cpu, stop-self, query-cpu-stopped-state (no allocation) */
int smp_init(struct machine *m);
/*
 * Run every vCPU of the current boot, vCPU 0 in the calling thread, until
 * the machine stops (m->stop != MACHINE_RUNNING); all threads are joined on
 * return. 0, or -errno if a thread could not be created (m->err set).
 */
int smp_run(struct machine *m);
/* machine_request_stop(): wake vCPUs that wait stopped */
void smp_notify_stop(struct machine *m);
void smp_free(struct machine *m);
/* The index (= XICS server, = device-tree reg) of vcpu, or -1 */
int machine_vcpu_index(struct machine *m, struct ppcvm_vcpu *vcpu);

#endif
