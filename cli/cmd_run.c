// SPDX-License-Identifier: MIT
/*
 * ppcvm run: parse the options, build the machine, run it, turn the reason it
 * stopped into an exit status. A watcher thread owns SIGINT/SIGTERM/SIGHUP and
 * the --timeout deadline (sigtimedwait), so no signal handler touches the VM.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <ppcvm/ppcvm.h>

#include "cli.h"
#include "vmm/console.h"
#include "vmm/epapr.h"
#include "vmm/machine.h"

#define TIMEOUT_MAX 31536000L /* one year */

struct watcher {
	struct machine *m;
	long timeout; /* seconds, 0 = none */
	sigset_t set;
	int signo; /* the signal that stopped the machine */
	pthread_t thread;
};

void cmd_run_help(FILE *out)
{
	fprintf(out,
		"Usage: ppcvm run --kernel FILE [OPTIONS]\n"
		"\n"
		"Boot a 64-bit PowerPC ELF (a Linux vmlinux or a bare-metal test program,\n"
		"big or little endian) on a pseries machine, as QEMU does without firmware:\n"
		"segments at 0x400000 + physical address, vCPU 0 entered in big-endian real\n"
		"mode with r3 = device tree, r4 = load address, r5 = 0. The console is hvterm\n"
		"(vty@71000000) on stdin/stdout; on a terminal, Ctrl-A x quits.\n"
		"\n"
		"With --machine epapr: a big-endian 32-bit (or 64-bit) ELF on one PowerPC 750\n"
		"or 7447A vCPU, segments at their physical addresses (RAM at 0, or the\n"
		"read-only boot ROM at 0xfff00000), entered in real mode with MSR = ME,\n"
		"r3 = device tree, r6 = 0x45504150 (\"EPAP\"), r7 = RAM size. The console is\n"
		"the ePAPR byte channel (hv-handle 1); a store of 0x5555 to the power\n"
		"register at 0xf0000000 powers off (0x7777 reboots).\n"
		"\n"
		"Options:\n"
		"  -k, --kernel FILE   PowerPC ELF image to boot (required)\n"
		"      --machine NAME  pseries (default: PAPR, POWER8 vCPUs) or epapr (32-bit\n"
		"                      Book3S, one vCPU, no initrd/disk/virtio/--no-pv)\n"
		"      --cpu NAME      the vCPU model: power8 (pseries, the default there);\n"
		"                      750 or g3 (epapr default), 7447a or g4 (epapr)\n"
		"  -i, --initrd FILE   initial ramdisk, put after the image (/chosen)\n"
		"  -m, --mem SIZE      guest RAM, at least 16M, a multiple of 64K (default 512M;\n"
		"                      epapr: at most 3840M); SIZE is a number with K, M, G\n"
		"                      or T (no suffix: M)\n"
		"  -c, --cpus N        vCPUs, 1..%d (default 1), one host thread each; vCPU 0\n"
		"                      boots, the others wait for RTAS start-cpu\n"
		"  -p, --append STR    kernel command line (/chosen/bootargs)\n"
		"  -t, --timeout SEC   stop the guest after SEC seconds (exit status %d)\n"
		"      --pv            offer the KVM paravirtual interface (default): the\n"
		"                      /hypervisor node, ePAPR hypercalls, the magic page\n"
		"      --no-pv         do not (sc with r0=\"KVM!\" is a plain system call)\n"
		"      --disk FILE[,ro] a raw disk image as virtio-blk (/dev/vda); ,ro: read-only\n"
		"      --virtio-console the virtio console (hvc1) takes the terminal's input\n"
		"                      instead of hvterm (hvc0): use with console=hvc1\n"
		"      --stats         at the end, print each vCPU's counters on stderr\n"
		"                      (hypercalls, exits, in-process MMIO, halts, magic page)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 when the guest powers off (RTAS, the epapr power register)\n"
		"or on Ctrl-A x, 1 on an error, 2 on a bad command line, %d on timeout, 128+N on "
		"signal N.\n",
		PPCVM_MAX_VCPUS, CLI_EXIT_TIMEOUT, CLI_EXIT_TIMEOUT);
}

/* --stats: one line per vCPU of the last boot (ppcvm_vcpu_get_stats) */
static void print_stats(struct machine *m)
{
	for (uint32_t i = 0; i < m->ncpus; i++) {
		struct ppcvm_vcpu_stats st;

		if (!m->vcpus[i] || ppcvm_vcpu_get_stats(m->vcpus[i], &st))
			continue;
		fprintf(stderr,
			"ppcvm: vcpu%u: %" PRIu64 " hypercalls, %" PRIu64 " exits (%" PRIu64
			" MMIO), %" PRIu64 " in-process MMIO, %" PRIu64 " halts, ",
			i, st.hcalls, st.exits, st.mmio_exits, st.iobus_mmio, st.halts);
		if (st.magic_page_mapped)
			fprintf(stderr, "magic page at EA 0x%" PRIx64 " RA 0x%" PRIx64 "\n",
				st.magic_page_ea, st.magic_page_pa);
		else
			fprintf(stderr, "no magic page\n");
	}
}

/* SIZE: decimal number, optional K/M/G/T (binary units), default unit M */
static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 20;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	case 't':
	case 'T':
		shift = 40;
		end++;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end)
		return -EINVAL;
	if (v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static void *watcher_thread(void *arg)
{
	struct watcher *w = arg;
	struct timespec deadline, now, left;
	int sig;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += w->timeout;
	for (;;) {
		if (w->timeout) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left.tv_sec = deadline.tv_sec - now.tv_sec;
			left.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (left.tv_nsec < 0) {
				left.tv_nsec += 1000000000L;
				left.tv_sec--;
			}
			if (left.tv_sec < 0) {
				machine_request_stop(w->m, MACHINE_TIMEOUT);
				return NULL;
			}
			sig = sigtimedwait(&w->set, NULL, &left);
		} else {
			sig = sigwaitinfo(&w->set, NULL);
		}
		if (sig < 0)
			continue; /* EINTR, or EAGAIN at the deadline: recheck */
		if (sig == SIGUSR1)
			return NULL; /* the machine has stopped */
		w->signo = sig;
		machine_request_stop(w->m, MACHINE_SIGNAL);
		return NULL;
	}
}

static void fatal_signal(int sig)
{
	console_term_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void setup_signals(sigset_t *set)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_signal;
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a closed stdout must not kill the guest */

	/* Blocked in every thread; the watcher takes them with sigtimedwait */
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "append", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "pv", no_argument, NULL, 'P' },
		{ "no-pv", no_argument, NULL, 'N' },
		{ "disk", required_argument, NULL, 'D' },
		{ "virtio-console", no_argument, NULL, 'V' },
		{ "machine", required_argument, NULL, 'M' },
		{ "cpu", required_argument, NULL, 'C' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cpu_name = NULL, *epapr_bad = NULL;
	bool cpus_given = false, stats = false;
	struct machine_config cfg = {
		.ram_size = MACHINE_RAM_DEFAULT,
		.ncpus = 1,
		.console = true,
	};
	struct watcher w = { .timeout = 0 };
	struct machine *m;
	enum machine_stop why;
	char err[256];
	long v;
	int opt, ret;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":k:i:m:c:p:t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			cfg.kernel = optarg;
			break;
		case 'i':
			cfg.initrd = optarg;
			break;
		case 'm':
			ret = parse_size(optarg, &cfg.ram_size);
			if (ret == -ERANGE) {
				fprintf(stderr, "ppcvm: --mem '%s': too large\n", optarg);
				return CLI_EXIT_USAGE;
			}
			if (ret) {
				fprintf(stderr,
					"ppcvm: --mem '%s': not a size (use e.g. 512M or 2G)\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			if (cfg.ram_size == 0) {
				fprintf(stderr, "ppcvm: --mem '%s': the guest needs some RAM\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'c':
			if (parse_long(optarg, 1, PPCVM_MAX_VCPUS, &v)) {
				fprintf(stderr, "ppcvm: --cpus '%s': must be 1..%d\n", optarg,
					PPCVM_MAX_VCPUS);
				return CLI_EXIT_USAGE;
			}
			cfg.ncpus = v;
			cpus_given = true;
			break;
		case 'M':
			if (!strcmp(optarg, "pseries")) {
				cfg.kind = MACHINE_KIND_PSERIES;
			} else if (!strcmp(optarg, "epapr")) {
				cfg.kind = MACHINE_KIND_EPAPR;
			} else {
				fprintf(stderr,
					"ppcvm: --machine '%s': unknown machine (pseries or "
					"epapr)\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'C':
			cpu_name = optarg;
			if (!strcasecmp(optarg, "power8")) {
				cfg.pvr = PPCVM_PVR_POWER8;
			} else if (!strcasecmp(optarg, "750") || !strcasecmp(optarg, "g3")) {
				cfg.pvr = PPCVM_PVR_750;
			} else if (!strcasecmp(optarg, "7447a") || !strcasecmp(optarg, "g4")) {
				cfg.pvr = PPCVM_PVR_7447A;
			} else {
				fprintf(stderr,
					"ppcvm: --cpu '%s': unknown CPU (power8, 750 or g3, 7447a "
					"or g4)\n",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'p':
			cfg.cmdline = optarg;
			break;
		case 'P':
			cfg.no_pv = false;
			break;
		case 'N':
			cfg.no_pv = true;
			break;
		case 'D': {
			static char disk[4096];
			size_t n = strlen(optarg);

			if (n == 0 || n >= sizeof(disk)) {
				fprintf(stderr, "ppcvm: --disk '%s': not a file name\n", optarg);
				return CLI_EXIT_USAGE;
			}
			memcpy(disk, optarg, n + 1);
			cfg.disk_ro = false;
			if (n > 3 && !strcmp(disk + n - 3, ",ro")) {
				disk[n - 3] = '\0';
				cfg.disk_ro = true;
			} else if (n > 3 && !strcmp(disk + n - 3, ",rw")) {
				disk[n - 3] = '\0';
			}
			cfg.disk = disk;
			break;
		}
		case 'V':
			cfg.vcon_input = true;
			break;
		case 'S':
			stats = true;
			break;
		case 't':
			if (parse_long(optarg, 1, TIMEOUT_MAX, &v)) {
				fprintf(stderr, "ppcvm: --timeout '%s': must be 1..%ld seconds\n",
					optarg, TIMEOUT_MAX);
				return CLI_EXIT_USAGE;
			}
			w.timeout = v;
			break;
		case 'h':
			cmd_run_help(stdout);
			return CLI_EXIT_OK;
		case ':':
			if (strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr, "ppcvm: run: option '-%c' needs a value\n", optopt);
			else
				fprintf(stderr, "ppcvm: run: option '%s' needs a value\n",
					argv[optind - 1]);
			return CLI_EXIT_USAGE;
		default:
			if (strncmp(argv[optind - 1], "--", 2))
				fprintf(stderr,
					"ppcvm: run: unknown option '-%c' (see 'ppcvm help run')\n",
					optopt);
			else
				fprintf(stderr,
					"ppcvm: run: unknown option '%s' (see 'ppcvm help run')\n",
					argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ppcvm: run: unexpected argument '%s' (see 'ppcvm help run')\n",
			argv[optind]);
		return CLI_EXIT_USAGE;
	}
	if (!cfg.kernel) {
		fprintf(stderr, "ppcvm: run: --kernel FILE is required (see 'ppcvm help run')\n");
		return CLI_EXIT_USAGE;
	}
	if (cfg.ram_size < MACHINE_RAM_MIN) {
		fprintf(stderr, "ppcvm: --mem: the guest needs at least %llu MiB\n",
			MACHINE_RAM_MIN >> 20);
		return CLI_EXIT_USAGE;
	}
	/* Each machine takes its own CPUs and devices (README "The epapr machine") */
	if (cfg.kind == MACHINE_KIND_PSERIES && cpu_name && cfg.pvr != PPCVM_PVR_POWER8) {
		fprintf(stderr,
			"ppcvm: --cpu %s: the pseries machine has POWER8 vCPUs only"
			" (use --machine epapr)\n",
			cpu_name);
		return CLI_EXIT_USAGE;
	}
	if (cfg.kind == MACHINE_KIND_PSERIES)
		cfg.pvr = 0;
	if (cfg.kind == MACHINE_KIND_EPAPR) {
		if (!cpu_name)
			cfg.pvr = PPCVM_PVR_750;
		if (cfg.pvr == PPCVM_PVR_POWER8) {
			fprintf(stderr,
				"ppcvm: --cpu %s: the epapr machine takes a 750 (g3) or"
				" 7447a (g4)\n",
				cpu_name);
			return CLI_EXIT_USAGE;
		}
		if (cpus_given && cfg.ncpus != 1) {
			fprintf(stderr, "ppcvm: --cpus %u: the epapr machine has one vCPU\n",
				cfg.ncpus);
			return CLI_EXIT_USAGE;
		}
		if (cfg.initrd)
			epapr_bad = "--initrd";
		else if (cfg.disk)
			epapr_bad = "--disk";
		else if (cfg.vcon_input)
			epapr_bad = "--virtio-console";
		else if (cfg.no_pv)
			epapr_bad = "--no-pv (its console is an ePAPR hypercall)";
		if (epapr_bad) {
			fprintf(stderr, "ppcvm: %s: not available on the epapr machine\n",
				epapr_bad);
			return CLI_EXIT_USAGE;
		}
		if (cfg.ram_size > EPAPR_RAM_MAX) {
			fprintf(stderr,
				"ppcvm: --mem: the epapr machine takes at most %llu MiB"
				" (devices above)\n",
				EPAPR_RAM_MAX >> 20);
			return CLI_EXIT_USAGE;
		}
	}

	setup_signals(&w.set);
	atexit(console_term_restore);
	ret = machine_create(&cfg, &m, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "ppcvm: %s\n", err);
		return CLI_EXIT_ERROR;
	}
	w.m = m;
	ret = pthread_create(&w.thread, NULL, watcher_thread, &w);
	if (ret) {
		machine_destroy(m);
		fprintf(stderr, "ppcvm: cannot start the watcher thread: %s\n", strerror(ret));
		return CLI_EXIT_ERROR;
	}

	why = machine_run(m);

	pthread_kill(w.thread, SIGUSR1);
	pthread_join(w.thread, NULL);
	if (why == MACHINE_ERROR)
		snprintf(err, sizeof(err), "%s", m->err);
	if (stats)
		print_stats(m);
	machine_destroy(m); /* restores the terminal before we print */

	switch (why) {
	case MACHINE_POWER_OFF:
	case MACHINE_QUIT:
		return CLI_EXIT_OK;
	case MACHINE_TIMEOUT:
		fprintf(stderr, "ppcvm: timeout after %ld s\n", w.timeout);
		return CLI_EXIT_TIMEOUT;
	case MACHINE_SIGNAL:
		fprintf(stderr, "ppcvm: stopped by signal %d (%s)\n", w.signo, strsignal(w.signo));
		return 128 + w.signo;
	case MACHINE_ERROR:
	default:
		fprintf(stderr, "ppcvm: %s\n", err[0] ? err : "the machine stopped");
		return CLI_EXIT_ERROR;
	}
}
