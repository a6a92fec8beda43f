/* SPDX-License-Identifier: MIT */
/*
 * The IO bus: devices registered with ppcvm_iobus_register() and
 * ioeventfds, consulted on the MMIO slow path (a vCPU stopped for an access
 * no RAM slot serves: vcpu.c) and by H_LOGICAL_CI_LOAD/STORE (hcall_ci.c)
 * before anything exits to the VMM, as KVM's kvm_io_bus_read/write.
 *
 * Locking: a writer-preferring rwlock. vCPUs take it for reading only on
 * the MMIO path (already the slow path), around the callback, so once a
 * writer (register/unregister) returns no callback of a removed device is
 * running or can start. An empty bus is seen without the lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "core/iobus.h"

struct iobus_dev {
	uint64_t addr, len;
	struct ppcvm_iobus_ops ops;
	void *opaque;
};

struct iobus_efd {
	uint64_t addr;
	uint32_t len; /* 0: any length */
	int fd;
	uint64_t datamatch;
	uint32_t flags;
};

struct iobus {
	pthread_rwlock_t lock;
	unsigned ndev, nefd;
	unsigned active; /* ndev + nefd, read without the lock */
	struct iobus_dev dev[PPCVM_IOBUS_MAX_DEVICES];
	struct iobus_efd efd[PPCVM_IOEVENTFD_MAX];
};

int iobus_init(struct ppcvm_vm *vm)
{
	pthread_rwlockattr_t attr;
	struct iobus *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	pthread_rwlockattr_init(&attr);
	/* Busy vCPUs must not starve a VMM thread adding a device */
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&b->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	vm->iobus = b;
	return 0;
}

void iobus_fini(struct ppcvm_vm *vm)
{
	if (!vm->iobus)
		return;
	pthread_rwlock_destroy(&vm->iobus->lock);
	free(vm->iobus);
	vm->iobus = NULL;
}

static void publish_count(struct iobus *b)
{
	__atomic_store_n(&b->active, b->ndev + b->nefd, __ATOMIC_RELEASE);
}

/*
 * Write entry i (wrlock held). addr and len are also read without the lock
 * by iobus_piece, hence the atomic stores.
 */
static void dev_set(struct iobus *b, unsigned i, uint64_t addr, uint64_t len,
		    const struct ppcvm_iobus_ops *ops, void *opaque)
{
	__atomic_store_n(&b->dev[i].addr, addr, __ATOMIC_RELAXED);
	__atomic_store_n(&b->dev[i].len, len, __ATOMIC_RELAXED);
	b->dev[i].ops = *ops;
	b->dev[i].opaque = opaque;
}

int ppcvm_iobus_register(struct ppcvm_vm *vm, uint64_t addr, uint64_t len,
			 const struct ppcvm_iobus_ops *ops, void *opaque)
{
	struct iobus *b;
	int ret = 0;

	if (!vm || !ops || !len || addr + len < addr)
		return -EINVAL;
	b = vm->iobus;
	pthread_rwlock_wrlock(&b->lock);
	for (unsigned i = 0; i < b->ndev; i++) {
		if (addr < b->dev[i].addr + b->dev[i].len && b->dev[i].addr < addr + len) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (b->ndev == PPCVM_IOBUS_MAX_DEVICES) {
		ret = -ENOSPC;
		goto out;
	}
	dev_set(b, b->ndev, addr, len, ops, opaque);
	__atomic_store_n(&b->ndev, b->ndev + 1, __ATOMIC_RELEASE);
	publish_count(b);
out:
	pthread_rwlock_unlock(&b->lock);
	return ret;
}

int ppcvm_iobus_unregister(struct ppcvm_vm *vm, uint64_t addr)
{
	struct iobus *b;
	int ret = -ENOENT;

	if (!vm)
		return -EINVAL;
	b = vm->iobus;
	pthread_rwlock_wrlock(&b->lock);
	for (unsigned i = 0; i < b->ndev; i++) {
		if (b->dev[i].addr == addr) {
			struct iobus_dev *last = &b->dev[b->ndev - 1];

			__atomic_store_n(&b->ndev, b->ndev - 1, __ATOMIC_RELEASE);
			dev_set(b, i, last->addr, last->len, &last->ops, last->opaque);
			publish_count(b);
			ret = 0;
			break;
		}
	}
	pthread_rwlock_unlock(&b->lock);
	return ret;
}

static bool efd_same(const struct iobus_efd *e, uint64_t addr, uint32_t len, int fd,
		     uint64_t datamatch, uint32_t flags)
{
	return e->addr == addr && e->len == len && e->fd == fd &&
	       (e->flags & PPCVM_IOEVENTFD_DATAMATCH) == (flags & PPCVM_IOEVENTFD_DATAMATCH) &&
	       (!(flags & PPCVM_IOEVENTFD_DATAMATCH) || e->datamatch == datamatch);
}

int ppcvm_ioeventfd(struct ppcvm_vm *vm, uint64_t addr, uint32_t len, int fd, uint64_t datamatch,
		    uint32_t flags)
{
	const uint32_t known = PPCVM_IOEVENTFD_DATAMATCH | PPCVM_IOEVENTFD_DEASSIGN |
			       PPCVM_IOEVENTFD_LITTLE_ENDIAN;
	struct iobus *b;
	int ret = -ENOENT;

	if (!vm || fd < 0 || (flags & ~known) ||
	    (len != 0 && len != 1 && len != 2 && len != 4 && len != 8) ||
	    ((flags & PPCVM_IOEVENTFD_DATAMATCH) && !len) || addr + len < addr)
		return -EINVAL;
	/* A datamatch wider than the access could never match */
	if ((flags & PPCVM_IOEVENTFD_DATAMATCH) && len < 8 && (datamatch >> (8 * len)))
		return -EINVAL;
	b = vm->iobus;
	pthread_rwlock_wrlock(&b->lock);
	for (unsigned i = 0; i < b->nefd; i++) {
		if (!efd_same(&b->efd[i], addr, len, fd, datamatch, flags))
			continue;
		if (flags & PPCVM_IOEVENTFD_DEASSIGN) {
			b->efd[i] = b->efd[--b->nefd];
			publish_count(b);
			ret = 0;
		} else {
			ret = -EEXIST;
		}
		goto out;
	}
	if (flags & PPCVM_IOEVENTFD_DEASSIGN)
		goto out;
	if (b->nefd == PPCVM_IOEVENTFD_MAX) {
		ret = -ENOSPC;
		goto out;
	}
	b->efd[b->nefd].addr = addr;
	b->efd[b->nefd].len = len;
	b->efd[b->nefd].fd = fd;
	b->efd[b->nefd].datamatch = datamatch;
	b->efd[b->nefd].flags = flags;
	b->nefd++;
	publish_count(b);
	ret = 0;
out:
	pthread_rwlock_unlock(&b->lock);
	return ret;
}

/* The written value for a datamatch compare: bus bytes read BE or LE */
static uint64_t bus_value(const uint8_t *data, uint32_t len, bool le)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < len; i++)
		v |= (uint64_t)data[i] << (8 * (le ? i : len - 1 - i));
	return v;
}

static bool efd_takes(const struct iobus_efd *e, uint64_t pa, uint32_t len, const uint8_t *data)
{
	if (e->addr != pa || (e->len && e->len != len))
		return false;
	if (!(e->flags & PPCVM_IOEVENTFD_DATAMATCH))
		return true;
	return bus_value(data, len, e->flags & PPCVM_IOEVENTFD_LITTLE_ENDIAN) == e->datamatch;
}

/* Signal an eventfd; a full counter (EAGAIN) drops it, as KVM */
static void efd_signal(int fd)
{
	uint64_t one = 1;
	ssize_t r = write(fd, &one, sizeof(one));

	(void)r;
}

bool iobus_access(struct ppcvm_vm *vm, uint64_t pa, uint32_t len, bool write, uint8_t *data)
{
	struct iobus *b = vm->iobus;
	bool done = false;

	if (!__atomic_load_n(&b->active, __ATOMIC_ACQUIRE) || !len || len > 8)
		return false;
	pthread_rwlock_rdlock(&b->lock);
	if (write) {
		for (unsigned i = 0; i < b->nefd; i++) {
			if (efd_takes(&b->efd[i], pa, len, data)) {
				efd_signal(b->efd[i].fd);
				done = true;
				goto out;
			}
		}
	}
	for (unsigned i = 0; i < b->ndev; i++) {
		const struct iobus_dev *dv = &b->dev[i];
		uint64_t off = pa - dv->addr;

		if (pa < dv->addr || off >= dv->len || len > dv->len - off)
			continue;
		if (write) {
			if (dv->ops.write)
				dv->ops.write(dv->opaque, off, data, len);
		} else if (dv->ops.read) {
			dv->ops.read(dv->opaque, off, data, len);
		} else {
			memset(data, 0xff, len);
		}
		done = true;
		break;
	}
out:
	pthread_rwlock_unlock(&b->lock);
	return done;
}

/*
 * Lock-free: it only decides where an access is split. The arrays never move
 * and a torn or stale view during a concurrent change only gives another
 * valid split (clamped to 1..len); the replay takes the parts from its log,
 * and the serving itself (iobus_access) is checked again under the lock.
 */
unsigned iobus_piece(struct physmap *pm, uint64_t pa, unsigned len)
{
	struct ppcvm_vm *vm = (struct ppcvm_vm *)((char *)pm - offsetof(struct ppcvm_vm, pm));
	struct iobus *b = vm->iobus;
	uint64_t end = pa + len;
	unsigned n;

	if (!__atomic_load_n(&b->active, __ATOMIC_ACQUIRE))
		return len;
	n = __atomic_load_n(&b->ndev, __ATOMIC_ACQUIRE);
	for (unsigned i = 0; i < n && i < PPCVM_IOBUS_MAX_DEVICES; i++) {
		uint64_t a = __atomic_load_n(&b->dev[i].addr, __ATOMIC_RELAXED);
		uint64_t e = a + __atomic_load_n(&b->dev[i].len, __ATOMIC_RELAXED);

		if (pa >= a && pa < e) {
			end = e < end ? e : end; /* inside: up to its end */
			break;
		}
		if (a > pa && a < end)
			end = a; /* outside: up to its start */
	}
	if (end <= pa || end - pa > len)
		return len;
	return (unsigned)(end - pa);
}

bool iobus_serve_mmio(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	struct mmio_access a = cpu->mmio;

	if (cpu->mmio_log_count >= MMIO_LOG_MAX ||
	    !iobus_access(v->vm, a.pa, a.len, a.is_write, a.data))
		return false;
	cpu->mmio_log[cpu->mmio_log_count++] = a;
	return true;
}
