// SPDX-License-Identifier: MIT
/*
 * The pseries machine: guest RAM (one memory slot at 0), the vCPUs, the boot
 * state QEMU's pseries gives a kernel entered without firmware, and the run
 * loop that answers the exits of every vCPU (kvmtool's kvm_cpu__start; threads: smp.c).
 *
 * Memory map (the RMA is min(RAM, 256 MiB), reachable with the MMU off):
 *   0x400000 + (p_paddr & 0x0fffffff)   ELF segments (QEMU's KERNEL_LOAD_ADDR)
 *   after the image, 64K aligned         initrd
 *   RMA top - FDT_MAX_SIZE              flattened device tree
 *   FDT - RTAS_MAX_SIZE                 RTAS stub (20 bytes used)
 * Secondary vCPUs wait stopped in their own threads until RTAS start-cpu (smp.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/console.h"
#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/virtio.h"
#include "vmm/smp.h"
#include "vmm/xics.h"

#define FILE_MAX_SIZE	      (1ull << 30)
#define INITRD_ALIGN	      0x10000ull
#define RAM_ALIGN	      0x10000ull
#define MACHINE_HPT_ORDER_MIN 24
#define MACHINE_HPT_ORDER_MAX 34

/* Shared with fdt.c (ibm,pft-size); belongs in machine.h */

int machine_errf(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

void machine_error(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->err[0]) {
		va_start(ap, fmt);
		vsnprintf(m->err, sizeof(m->err), fmt, ap);
		va_end(ap);
	}
	machine_request_stop(m, MACHINE_ERROR);
}

/*
 * The hashed page table's size, log2 bytes (ibm,pft-size): as QEMU, RAM
 * rounded up to a power of two divided by 128 (PAPR recommends 1/64; 1/128
 * is plenty for Linux), at least 16 MB (KVM's default), at most 2^34.
 */
uint32_t machine_hpt_order(uint64_t ram_size)
{
	uint32_t order = 0;

	while (order < 63 && (1ull << order) < ram_size)
		order++;
	order = order > 7 ? order - 7 : 0;
	if (order < MACHINE_HPT_ORDER_MIN)
		order = MACHINE_HPT_ORDER_MIN;
	if (order > MACHINE_HPT_ORDER_MAX)
		order = MACHINE_HPT_ORDER_MAX;
	return order;
}

void machine_add_hypertas(struct machine *m, const char *name)
{
	if (m->nr_hypertas < MACHINE_MAX_HYPERTAS)
		m->hypertas[m->nr_hypertas++] = name;
}

int machine_add_fdt_fn(struct machine *m, machine_fdt_fn fn)
{
	if (m->nr_fdt_fns == MACHINE_MAX_FDT_FNS)
		return -ENOSPC;
	m->fdt_fns[m->nr_fdt_fns++] = fn;
	return 0;
}

int machine_init_tables(struct machine *m, const struct machine_config *cfg, char *err,
			size_t errlen)
{
	int ret;

	m->cfg = *cfg;
	if (cfg->ram_size < MACHINE_RAM_MIN)
		return machine_errf(err, errlen, -EINVAL, "guest RAM must be at least %llu MiB",
				    MACHINE_RAM_MIN >> 20);
	if (cfg->ram_size % RAM_ALIGN)
		return machine_errf(err, errlen, -EINVAL,
				    "guest RAM size must be a multiple of 64 KiB");
	if (cfg->ncpus < 1 || cfg->ncpus > PPCVM_MAX_VCPUS)
		return machine_errf(err, errlen, -EINVAL, "number of vCPUs must be 1..%d",
				    PPCVM_MAX_VCPUS);
	m->ram_size = cfg->ram_size;
	m->ncpus = cfg->ncpus;
	m->rma_size = m->ram_size < MACHINE_RMA_MAX ? m->ram_size : MACHINE_RMA_MAX;
	m->fdt_addr = m->rma_size - FDT_MAX_SIZE;
	m->rtas_addr = m->fdt_addr - RTAS_MAX_SIZE;

	hcall_init(m);
	m->nr_rtas = 0;
	m->nr_fdt_fns = 0;
	m->nr_hypertas = 0;
	if ((ret = vty_init(m)) || (ret = rtas_init(m)) || (ret = ci_init(m)) ||
	    (ret = xics_init(m)) || (ret = smp_init(m)) || (ret = hcall_misc_init(m)) ||
	    (ret = nvram_init(m)))
		return machine_errf(err, errlen, ret, "device setup failed: %s", strerror(-ret));
	/* H_SET_MODE is served in the core (LE interrupts for LE kernels) */
	machine_add_hypertas(m, "hcall-set-mode");
	/*
	 * The page-table hcalls, in the core: hcall-pft is H_ENTER, H_REMOVE,
	 * H_READ, H_PROTECT, H_CLEAR_REF/MOD; hcall-bulk is H_BULK_REMOVE
	 * (Linux's platforms/pseries/firmware.c table).
	 */
	machine_add_hypertas(m, "hcall-pft");
	machine_add_hypertas(m, "hcall-bulk");
	return 0;
}

int machine_read_file(const char *what, const char *path, void **datap, size_t *sizep, char *err,
		      size_t errlen)
{
	struct stat st;
	size_t done = 0;
	uint8_t *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return machine_errf(err, errlen, -errno, "cannot open %s '%s': %s", what, path,
				    strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return machine_errf(err, errlen, -EINVAL, "%s '%s' is not a regular file", what,
				    path);
	}
	if ((uint64_t)st.st_size > FILE_MAX_SIZE) {
		close(fd);
		return machine_errf(err, errlen, -EFBIG, "%s '%s' is too large (over 1 GiB)", what,
				    path);
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		return machine_errf(err, errlen, -ENOMEM, "out of memory reading %s '%s'", what,
				    path);
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			free(buf);
			close(fd);
			return machine_errf(err, errlen, ret, "cannot read %s '%s': %s", what, path,
					    n < 0 ? strerror(-ret) : "file shrank while reading");
		}
		done += n;
	}
	close(fd);
	*datap = buf;
	*sizep = done;
	return 0;
}

static void machine_teardown_vm(struct machine *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->vm)
		ppcvm_vm_destroy(m->vm);
	m->vm = NULL;
	memset(m->vcpus, 0, sizeof(m->vcpus));
	pthread_mutex_unlock(&m->lock);
}

/* A fresh VM for every boot: no CPU or MMU state survives a reboot. */
static int machine_setup_vm(struct machine *m, char *err, size_t errlen)
{
	struct ppcvm_vm *vm;
	int ret, max;
	uint32_t i;

	if (m->cfg.kind == MACHINE_KIND_EPAPR)
		return epapr_setup_vm(m, err, errlen); /* epapr.c */
	ret = ppcvm_vm_create(&vm);
	if (ret < 0)
		return machine_errf(err, errlen, ret, "cannot create the VM: %s", strerror(-ret));
	pthread_mutex_lock(&m->lock);
	m->vm = vm;
	max = ppcvm_check_cap(vm, PPCVM_CAP_NR_VCPUS);
	if (max > 0 && m->ncpus > (uint32_t)max) {
		ret = machine_errf(err, errlen, -EINVAL, "this library supports at most %d vCPUs",
				   max);
		goto out;
	}
	/* OSI (Mac-on-Linux ABI): the small service of osi.c */
	ret = ppcvm_enable_cap(vm, PPCVM_CAP_PPC_OSI, NULL);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot enable OSI: %s", strerror(-ret));
		goto out;
	}
	/* The KVM PV interface: on unless --no-pv, as under KVM PR (fdt.c) */
	if (!m->cfg.no_pv) {
		static const uint64_t on[4] = { 1 };

		ret = ppcvm_enable_cap(vm, PPCVM_CAP_PPC_PV, on);
		if (ret < 0) {
			ret = machine_errf(err, errlen, ret, "cannot enable the PV interface: %s",
					   strerror(-ret));
			goto out;
		}
	}
	/* The table ibm,pft-size advertises, before any vCPU exists */
	ret = ppcvm_vm_allocate_htab(vm, machine_hpt_order(m->ram_size));
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret,
				   "cannot allocate the 2^%u byte hash page table: %s",
				   machine_hpt_order(m->ram_size), strerror(-ret));
		goto out;
	}
	ret = ppcvm_set_memslot(vm, 0, 0, m->ram_size, m->ram, 0);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot map %" PRIu64 " MiB of guest RAM: %s",
				   m->ram_size >> 20, strerror(-ret));
		goto out;
	}
	/* H_LOGICAL_CI_* in the core: the IO bus sees firmware's IO (ci.c) */
	ci_enable_in_core(m);
	/* The RMA is the first memory node, which holds all of RAM */
	ret = ppcvm_vm_set_rma(vm, m->ram_size);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot set the real mode area: %s",
				   strerror(-ret));
		goto out;
	}
	for (i = 0; i < m->ncpus; i++) {
		ret = ppcvm_vcpu_create(vm, i, &m->vcpus[i]);
		if (ret < 0) {
			ret = machine_errf(err, errlen, ret, "cannot create vCPU %u: %s", i,
					   strerror(-ret));
			goto out;
		}
	}
	/* Interrupt controller state: fresh for every boot (xics.c) */
	ret = xics_machine_reset(m);
	if (ret < 0) {
		ret = machine_errf(err, errlen, ret, "cannot create the interrupt controller");
		goto out;
	}
	ret = 0;
out:
	pthread_mutex_unlock(&m->lock);
	if (ret)
		machine_teardown_vm(m);
	return ret;
}

/* Load the images into RAM and set vCPU 0's entry state (see the top). */
static int machine_boot(struct machine *m, char *err, size_t errlen)
{
	struct ppcvm_regs regs;
	uint8_t blob[RTAS_BLOB_SIZE];
	int ret;

	if (m->cfg.kind == MACHINE_KIND_EPAPR)
		return epapr_boot(m, err, errlen); /* epapr.c */
	if (m->reboots) {
		/* Anonymous private memory reads back as zeroes after this */
		if (madvise(m->ram, m->ram_size, MADV_DONTNEED) < 0)
			memset(m->ram, 0, m->ram_size);
	}
	ret = elf_load(m->kernel_data, m->kernel_size, m->ram, m->ram_size, m->rtas_addr,
		       m->rma_size, &m->kernel, err, errlen);
	if (ret)
		return ret;

	m->initrd_start = m->initrd_end = 0;
	if (m->initrd_data) {
		uint64_t start = (m->kernel.load_end + INITRD_ALIGN - 1) & ~(INITRD_ALIGN - 1);

		if (start + m->initrd_size > m->rtas_addr)
			start = m->rma_size; /* above the RMA if there is RAM there */
		if (start + m->initrd_size > m->ram_size ||
		    (start < m->rma_size && start + m->initrd_size > m->rtas_addr))
			return machine_errf(err, errlen, -ENOSPC,
					    "initrd (%zu bytes) does not fit in guest RAM",
					    m->initrd_size);
		memcpy(m->ram + start, m->initrd_data, m->initrd_size);
		m->initrd_start = start;
		m->initrd_end = start + m->initrd_size;
	}

	rtas_blob(blob);
	memcpy(m->ram + m->rtas_addr, blob, sizeof(blob));
	ret = machine_build_fdt(m, m->ram + m->fdt_addr, FDT_MAX_SIZE);
	if (ret)
		return machine_errf(err, errlen, -EINVAL, "cannot build the device tree: %s",
				    fdt_strerror(ret));

	/* r5 = 0: no Open Firmware client interface (Linux's FDT boot path) */
	memset(&regs, 0, sizeof(regs));
	regs.pc = m->kernel.entry;
	regs.msr = MACHINE_BOOT_MSR;
	regs.gpr[3] = m->fdt_addr;
	regs.gpr[4] = m->kernel.load_low;
	regs.gpr[5] = 0;
	ret = ppcvm_vcpu_set_regs(m->vcpus[0], &regs);
	if (ret < 0)
		return machine_errf(err, errlen, ret, "cannot set the boot registers: %s",
				    strerror(-ret));
	return 0;
}

static void machine_console_quit(void *opaque)
{
	machine_request_stop(opaque, MACHINE_QUIT);
}

static uint64_t host_ram_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

	return pages > 0 && psize > 0 ? (uint64_t)pages * psize : UINT64_MAX;
}

int machine_check_host_ram(uint64_t ram_size, char *err, size_t errlen)
{
	uint64_t host_ram = host_ram_bytes();

	if (ram_size > host_ram)
		return machine_errf(err, errlen, -ENOMEM,
				    "guest RAM of %" PRIu64
				    " MiB is more than this host has (%" PRIu64 " MiB)",
				    ram_size >> 20, host_ram >> 20);
	return 0;
}

int machine_start(struct machine *m, char *err, size_t errlen)
{
	int ret;

	m->ram =
		mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->ram == MAP_FAILED)
		return machine_errf(err, errlen, -ENOMEM,
				    "cannot allocate %" PRIu64 " MiB of guest RAM: %s",
				    m->ram_size >> 20, strerror(errno));
	ret = machine_setup_vm(m, err, errlen);
	if (!ret)
		ret = machine_boot(m, err, errlen);
	if (!ret && m->cfg.console) {
		ret = console_open(&m->con, STDIN_FILENO, STDOUT_FILENO, machine_console_quit, m);
		if (ret)
			ret = machine_errf(err, errlen, ret, "cannot open the console: %s",
					   strerror(-ret));
	}
	return ret;
}

int machine_create(const struct machine_config *cfg, struct machine **mp, char *err, size_t errlen)
{
	struct machine *m;
	char elf_err[200];
	int ret;

	if (cfg->kind == MACHINE_KIND_EPAPR)
		return epapr_create(cfg, mp, err, errlen); /* epapr.c */
	m = calloc(1, sizeof(*m));
	if (!m)
		return machine_errf(err, errlen, -ENOMEM, "out of memory");
	pthread_mutex_init(&m->lock, NULL);
	m->ram = MAP_FAILED;

	ret = machine_init_tables(m, cfg, err, errlen);
	if (ret)
		goto fail;
	ret = virtio_machine_init(m, err, errlen);
	if (ret)
		goto fail;
	ret = machine_check_host_ram(m->ram_size, err, errlen);
	if (ret)
		goto fail;
	if (!cfg->kernel) {
		ret = machine_errf(err, errlen, -EINVAL, "no kernel given");
		goto fail;
	}
	ret = machine_read_file("kernel", cfg->kernel, &m->kernel_data, &m->kernel_size, err,
				errlen);
	if (ret)
		goto fail;
	/* Check the ELF before anything big is allocated */
	ret = elf_load(m->kernel_data, m->kernel_size, NULL, m->ram_size, m->rtas_addr, m->rma_size,
		       &m->kernel, elf_err, sizeof(elf_err));
	if (ret) {
		machine_errf(err, errlen, ret, "kernel '%s': %s", cfg->kernel, elf_err);
		goto fail;
	}
	if (cfg->initrd) {
		ret = machine_read_file("initrd", cfg->initrd, &m->initrd_data, &m->initrd_size,
					err, errlen);
		if (ret)
			goto fail;
	}

	ret = machine_start(m, err, errlen);
	if (ret)
		goto fail;
	*mp = m;
	return 0;
fail:
	machine_destroy(m);
	return ret;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	machine_teardown_vm(m);
	epapr_free(m);	       /* after the VM: its IO bus devices are gone */
	virtio_destroy_all(m); /* its threads use the console */
	pci_destroy(m);	       /* after its devices (virtio-pci) */
	smp_free(m);
	xics_machine_free(m);
	console_close(m->con);
	m->con = NULL;
	if (m->ram && m->ram != MAP_FAILED)
		munmap(m->ram, m->ram_size);
	free(m->kernel_data);
	free(m->initrd_data);
	free(m->nvram);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void machine_request_stop(struct machine *m, enum machine_stop why)
{
	int cur;
	uint32_t i;

	pthread_mutex_lock(&m->lock);
	cur = __atomic_load_n(&m->stop, __ATOMIC_SEQ_CST);
	/* The first reason wins, but anything beats a pending reset */
	if (cur == MACHINE_RUNNING || (cur == MACHINE_RESET && why != MACHINE_RESET))
		__atomic_store_n(&m->stop, why, __ATOMIC_SEQ_CST);
	/* Every vCPU thread leaves run(), for a reset too (a new VM follows) */
	for (i = 0; i < m->ncpus; i++) {
		if (!m->vcpus[i])
			continue;
		/* immediate_exit closes the race with a vCPU about to enter run() */
		__atomic_store_n(&ppcvm_vcpu_run_data(m->vcpus[i])->immediate_exit, 1,
				 __ATOMIC_SEQ_CST);
		ppcvm_vcpu_kick(m->vcpus[i]);
	}
	pthread_mutex_unlock(&m->lock);
	smp_notify_stop(m); /* stopped vCPUs wait on a condition variable */
}

/* RTAS system-reboot: a new VM, the kernel loaded again, the boot state again */
static int machine_reset(struct machine *m)
{
	char err[sizeof(m->err)];
	int expect = MACHINE_RESET;

	machine_teardown_vm(m);
	virtio_reset_all(m);
	pci_reset_msi(m);
	m->reboots++;
	if (machine_setup_vm(m, err, sizeof(err)) || machine_boot(m, err, sizeof(err))) {
		machine_error(m, "reboot failed: %s", err);
		return -1;
	}
	__atomic_compare_exchange_n(&m->stop, &expect, MACHINE_RUNNING, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return 0;
}

/* No devices on the MMIO path yet: loads see all-ones (a bus with nothing there) */
void machine_mmio(struct machine *m, struct ppcvm_run *run)
{
	uint32_t len = run->mmio.len <= 8 ? run->mmio.len : 8;

	if (virtio_mmio_access(m, run->mmio.phys_addr, run->mmio.data, len, run->mmio.is_write))
		return;
	if (pci_mmio_access(m, run->mmio.phys_addr, run->mmio.data, len, run->mmio.is_write))
		return;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, len);
	if (!m->mmio_logged) {
		m->mmio_logged = true;
		fprintf(stderr,
			"ppcvm: guest %s of %u bytes at 0x%" PRIx64
			" outside RAM: no device there (loads read all-ones, stores are dropped; "
			"logged once)\n",
			run->mmio.is_write ? "store" : "load", run->mmio.len, run->mmio.phys_addr);
	}
}

static uint64_t vcpu_pc(struct ppcvm_vcpu *vcpu)
{
	struct ppcvm_regs regs;

	return ppcvm_vcpu_get_regs(vcpu, &regs) < 0 ? 0 : regs.pc;
}

void machine_handle_exit(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t idx, int ret)
{
	struct ppcvm_run *run = ppcvm_vcpu_run_data(vcpu);

	if (ret < 0) {
		machine_error(m, "vCPU %u cannot run: %s", idx, strerror(-ret));
		return;
	}
	switch (run->exit_reason) {
	case PPCVM_EXIT_PAPR_HCALL:
		run->papr_hcall.ret =
			hcall_dispatch(m, vcpu, run->papr_hcall.nr, run->papr_hcall.args);
		break;
	case PPCVM_EXIT_MMIO:
		machine_mmio(m, run);
		break;
	case PPCVM_EXIT_INTR:
		break; /* a kick: the stop reason is checked at the top */
	case PPCVM_EXIT_OSI:
		machine_osi(m, run); /* osi.c */
		break;
	case PPCVM_EXIT_EPAPR_HCALL:
		epapr_hcall(m, vcpu, run); /* bytechan.c */
		break;
	case PPCVM_EXIT_HLT:
		machine_error(m, "vCPU %u halted at pc 0x%" PRIx64 " with nothing to wake it", idx,
			      vcpu_pc(vcpu));
		break;
	case PPCVM_EXIT_SHUTDOWN:
		machine_error(m,
			      "guest checkstop at pc 0x%" PRIx64 " (machine check with MSR[ME]=0?)",
			      vcpu_pc(vcpu));
		break;
	case PPCVM_EXIT_DEBUG:
		machine_error(m, "unexpected debug exit at 0x%" PRIx64, run->debug.address);
		break;
	case PPCVM_EXIT_INTERNAL_ERROR:
		machine_error(m,
			      "internal emulation error (suberror %u, data 0x%" PRIx64
			      ") at pc 0x%" PRIx64,
			      run->internal.suberror,
			      run->internal.ndata ? run->internal.data[0] : 0, vcpu_pc(vcpu));
		break;
	default:
		machine_error(m, "unknown exit reason %u", run->exit_reason);
		break;
	}
}

enum machine_stop machine_run(struct machine *m)
{
	for (;;) {
		int stop = __atomic_load_n(&m->stop, __ATOMIC_SEQ_CST);

		if (stop == MACHINE_RESET) {
			if (machine_reset(m))
				return MACHINE_ERROR;
			continue;
		}
		if (stop != MACHINE_RUNNING)
			return stop;
		/* One host thread per vCPU until the machine stops (smp.c) */
		if (smp_run(m))
			return MACHINE_ERROR;
	}
}
