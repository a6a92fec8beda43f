/* SPDX-License-Identifier: MIT */
/*
 * VM object: memory slots, capabilities and the enabled-hcall bitmap
 * (KVM_CAP_PPC_ENABLE_HCALL semantics).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/core.h"

const char *ppcvm_version(void)
{
	return PPCVM_VERSION;
}

int ppcvm_vm_create(struct ppcvm_vm **vmp)
{
	struct ppcvm_vm *vm;

	if (!vmp)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->hpt_lock, NULL);
	if (iobus_init(vm)) {
		free(vm);
		return -ENOMEM;
	}
	vm->pm.mmio_piece = iobus_piece;
	vm->papr = true;
	core_hcall_defaults(vm);
	decode_init();
	*vmp = vm;
	return 0;
}

/*
 * Clear an unpublished slot. s->used is left alone (already false): vCPUs
 * scanning the table read it atomically at any time.
 */
static void slot_free(struct memslot *s)
{
	free(s->code);
	free(s->dirty);
	s->code = NULL;
	s->dirty = NULL;
	s->host = NULL;
	s->gpa = s->size = 0;
	s->flags = 0;
}

/* ---- The hashed page table ------------------------------------------- */

/* Above this the table comes straight from mmap (lazily zeroed, no reserve) */
#define HPT_MMAP_ORDER 26

static struct hpt *hpt_new(unsigned order)
{
	struct hpt *h = calloc(1, sizeof(*h));
	size_t bytes = (size_t)1 << order;

	if (!h)
		return NULL;
	if (order > HPT_MMAP_ORDER) {
		void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		h->base = p == MAP_FAILED ? NULL : p;
	} else {
		/* 16-byte entries; an aligned, zeroed allocation */
		h->base = aligned_alloc(4096, bytes);
		if (h->base)
			memset(h->base, 0, bytes);
	}
	if (!h->base) {
		free(h);
		return NULL;
	}
	h->order = order;
	/* 128-byte groups of 8 entries (ISA 2.07 5.7.7.2) */
	h->nptegs = 1ull << (order - 7);
	h->hash_mask = h->nptegs - 1;
	h->nptes = h->nptegs * HPTES_PER_GROUP;
	return h;
}

static void hpt_free(struct hpt *h)
{
	if (!h)
		return;
	if (h->order > HPT_MMAP_ORDER)
		munmap(h->base, (size_t)1 << h->order);
	else
		free(h->base);
	free(h);
}

/* Install h as the VM's table; vm->lock and vm->hpt_lock held */
static struct hpt *hpt_install(struct ppcvm_vm *vm, struct hpt *h)
{
	struct hpt *old = vm->hpt;

	__atomic_store_n(&vm->hpt, h, __ATOMIC_RELEASE);
	for (int i = 0; i < PPCVM_MAX_VCPUS; i++)
		if (vm->vcpu[i])
			__atomic_store_n(&vm->vcpu[i]->cpu.hpt, h, __ATOMIC_RELEASE);
	return old;
}

int vm_hpt_ensure_locked(struct ppcvm_vm *vm)
{
	struct hpt *h;

	if (vm->hpt)
		return 0;
	h = hpt_new(HPT_DEFAULT_ORDER);
	if (!h)
		return -ENOMEM;
	pthread_mutex_lock(&vm->hpt_lock);
	hpt_install(vm, h);
	pthread_mutex_unlock(&vm->hpt_lock);
	return 0;
}

/*
 * KVM_PPC_ALLOCATE_HTAB: a new, empty table of 2^order bytes. vCPUs may be
 * running: each is pointed at the new table, then every vCPU drops its TLB
 * and acknowledges (vm_flush_tlbs), and only then is the old table freed,
 * so no translation in flight can read freed memory. hpt_lock keeps the
 * HPTE hypercalls off both tables meanwhile.
 */
int ppcvm_vm_allocate_htab(struct ppcvm_vm *vm, uint32_t order)
{
	struct hpt *h, *old;

	if (!vm || order < HPT_MIN_ORDER || order > HPT_MAX_ORDER)
		return -EINVAL;
	h = hpt_new(order);
	if (!h)
		return -ENOMEM;
	pthread_mutex_lock(&vm->lock);
	pthread_mutex_lock(&vm->hpt_lock);
	old = hpt_install(vm, h);
	if (old)
		vm_flush_tlbs(vm);
	pthread_mutex_unlock(&vm->hpt_lock);
	pthread_mutex_unlock(&vm->lock);
	hpt_free(old);
	return 0;
}

void ppcvm_vm_destroy(struct ppcvm_vm *vm)
{
	if (!vm)
		return;
	for (int i = 0; i < PPCVM_MAX_VCPUS; i++) {
		if (vm->vcpu[i]) {
			cpu_fini(&vm->vcpu[i]->cpu);
			free(vm->vcpu[i]);
		}
	}
	for (int i = 0; i < PHYSMAP_SLOTS; i++)
		slot_free(&vm->pm.slot[i]);
	hpt_free(vm->hpt);
	iobus_fini(vm);
	pthread_mutex_destroy(&vm->hpt_lock);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

int ppcvm_check_cap(struct ppcvm_vm *vm, int cap)
{
	(void)vm;
	switch (cap) {
	case PPCVM_CAP_PPC_PAPR:
	case PPCVM_CAP_PPC_OSI:
	case PPCVM_CAP_ONE_REG:
	case PPCVM_CAP_PPC_ENABLE_HCALL:
	case PPCVM_CAP_PPC_GET_PVINFO:
	case PPCVM_CAP_PPC_PV:
	case PPCVM_CAP_PPC_EPAPR_HCALL_EXIT:
		return 1;
	case PPCVM_CAP_NR_VCPUS:
		return PPCVM_MAX_VCPUS;
	default:
		return 0;
	}
}

int ppcvm_enable_cap(struct ppcvm_vm *vm, int cap, const uint64_t args[4])
{
	static const uint64_t none[4];

	if (!vm)
		return -EINVAL;
	if (!args)
		args = none;
	switch (cap) {
	case PPCVM_CAP_PPC_PAPR:
		vm->papr = true;
		return 0;
	case PPCVM_CAP_PPC_OSI:
		vm->osi = true;
		return 0;
	case PPCVM_CAP_PPC_PV:
		if (args[0] > 1)
			return -EINVAL;
		__atomic_store_n(&vm->pv, args[0] == 1, __ATOMIC_RELAXED);
		return 0;
	case PPCVM_CAP_PPC_EPAPR_HCALL_EXIT:
		if (args[0] > 1)
			return -EINVAL;
		__atomic_store_n(&vm->epapr_exit, args[0] == 1, __ATOMIC_RELAXED);
		return 0;
	case PPCVM_CAP_PPC_ENABLE_HCALL: {
		uint64_t nr = args[0];

		/* As KVM: a multiple of 4, in range, and implemented in-core */
		if (nr > MAX_HCALL_OPCODE || (nr & 3) || args[1] > 1 || !core_hcall_implemented(nr))
			return -EINVAL;
		if (args[1])
			__atomic_fetch_or(&vm->hcall_enabled[nr / 4 / 64], 1ull << (nr / 4 % 64),
					  __ATOMIC_RELAXED);
		else
			__atomic_fetch_and(&vm->hcall_enabled[nr / 4 / 64],
					   ~(1ull << (nr / 4 % 64)), __ATOMIC_RELAXED);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/*
 * Make every vCPU drop its TLBs and decoded code and wait until each one
 * that is executing has done so, so that after a slot change returns no vCPU
 * touches the old mapping.
 */
static void flush_vcpus(struct ppcvm_vm *vm)
{
	for (int i = 0; i < PPCVM_MAX_VCPUS; i++) {
		struct ppcvm_vcpu *v = vm->vcpu[i];
		uint64_t gen;

		if (!v)
			continue;
		gen = __atomic_add_fetch(&v->cpu.flush_gen, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&v->in_exec, __ATOMIC_SEQ_CST) &&
		       __atomic_load_n(&v->cpu.ack_gen, __ATOMIC_ACQUIRE) < gen)
			sched_yield();
	}
}

/*
 * Translation changed (an HPTE hcall, tlbie): every vCPU drops its soft TLB
 * (decoded code is keyed by physical address and stays) before this returns.
 * The caller's own vCPU is not executing, so it is flushed directly.
 */
void vm_flush_tlbs(struct ppcvm_vm *vm)
{
	for (int i = 0; i < PPCVM_MAX_VCPUS; i++) {
		struct ppcvm_vcpu *v = vm->vcpu[i];
		uint64_t gen;

		if (!v)
			continue;
		gen = __atomic_add_fetch(&v->cpu.tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&v->in_exec, __ATOMIC_SEQ_CST) &&
		       __atomic_load_n(&v->cpu.tlb_ack_gen, __ATOMIC_ACQUIRE) < gen)
			sched_yield();
	}
}

/*
 * A vCPU made a page code that no vCPU had as code (exec.c decode_page):
 * every other executing vCPU drops its soft TLB, so its next store to the
 * page takes the slow path and invalidates the decode, and finishes any
 * store in flight before we read the page. Called inside cpu_exec: while
 * waiting we answer flush requests aimed at us, so two vCPUs doing this at
 * once cannot wait for each other forever.
 */
void vm_code_page_new(struct ppc_cpu *cpu)
{
	struct ppcvm_vcpu *self = (struct ppcvm_vcpu *)cpu;
	struct ppcvm_vm *vm = self->vm;

	for (int i = 0; i < PPCVM_MAX_VCPUS; i++) {
		struct ppcvm_vcpu *v = __atomic_load_n(&vm->vcpu[i], __ATOMIC_ACQUIRE);
		uint64_t gen;

		if (!v || v == self)
			continue;
		gen = __atomic_add_fetch(&v->cpu.tlb_flush_gen, 1, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&v->in_exec, __ATOMIC_SEQ_CST) &&
		       __atomic_load_n(&v->cpu.tlb_ack_gen, __ATOMIC_ACQUIRE) < gen) {
			cpu_ack_tlb_flush(cpu);
			sched_yield();
		}
	}
}

static bool overlaps(const struct memslot *s, uint64_t gpa, uint64_t size)
{
	return s->used && gpa < s->gpa + s->size && s->gpa < gpa + size;
}

int ppcvm_set_memslot(struct ppcvm_vm *vm, uint32_t slot, uint64_t guest_phys, uint64_t size,
		      void *host_ptr, uint32_t flags)
{
	struct memslot *s;
	uint8_t *code = NULL;
	uint64_t *dirty = NULL;
	uint64_t pages;

	if (!vm || slot >= PHYSMAP_SLOTS || (flags & ~(PPCVM_MEM_READONLY | PPCVM_MEM_LOG_DIRTY)))
		return -EINVAL;
	if ((guest_phys | size | (uintptr_t)host_ptr) & 0xfff)
		return -EINVAL;
	if (size &&
	    (!host_ptr || guest_phys + size < guest_phys || guest_phys + size > (1ull << 60)))
		return -EINVAL;
	pages = size >> 12;
	if (size) {
		code = calloc(pages, 1);
		if (flags & PPCVM_MEM_LOG_DIRTY)
			dirty = calloc((pages + 63) / 64, 8);
		if (!code || ((flags & PPCVM_MEM_LOG_DIRTY) && !dirty)) {
			free(code);
			free(dirty);
			return -ENOMEM;
		}
	}
	pthread_mutex_lock(&vm->lock);
	for (int i = 0; size && i < PHYSMAP_SLOTS; i++) {
		if (i != (int)slot && overlaps(&vm->pm.slot[i], guest_phys, size)) {
			pthread_mutex_unlock(&vm->lock);
			free(code);
			free(dirty);
			return -EEXIST;
		}
	}
	s = &vm->pm.slot[slot];
	/* Unpublish first, flush every vCPU, then change (see flush_vcpus) */
	if (s->used) {
		__atomic_store_n(&s->used, false, __ATOMIC_RELEASE);
		flush_vcpus(vm);
		slot_free(s);
	}
	if (size) {
		s->gpa = guest_phys;
		s->size = size;
		s->host = host_ptr;
		s->flags = flags;
		s->code = code;
		s->dirty = dirty;
		__atomic_store_n(&s->used, true, __ATOMIC_RELEASE);
		flush_vcpus(vm);
	}
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

int ppcvm_vm_set_rma(struct ppcvm_vm *vm, uint64_t size)
{
	if (!vm || (size & 0xfff))
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	__atomic_store_n(&vm->pm.rma_size, size, __ATOMIC_RELAXED);
	/* Real-mode TLB entries above the new bound must go */
	vm_flush_tlbs(vm);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

/* Copy between the host and guest RAM, slot by slot */
static int phys_copy(struct ppcvm_vm *vm, uint64_t gpa, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;

	if (!vm || (!buf && len))
		return -EINVAL;
	/* vm->lock: a slot cannot be removed (its memory freed) under us */
	pthread_mutex_lock(&vm->lock);
	while (len) {
		struct memslot *s = physmap_find(&vm->pm, gpa);
		uint64_t off, n;

		if (!s) {
			pthread_mutex_unlock(&vm->lock);
			return -EFAULT;
		}
		off = gpa - s->gpa;
		n = s->size - off;
		if (n > len)
			n = len;
		if (write) {
			for (uint64_t pg = off >> 12; pg <= (off + n - 1) >> 12; pg++) {
				/* The VMM wrote code: drop stale decodes */
				if (s->code[pg]) {
					flush_vcpus(vm);
					break;
				}
			}
			memcpy(s->host + off, p, n);
		} else {
			memcpy(p, s->host + off, n);
		}
		p += n;
		gpa += n;
		len -= n;
	}
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

int ppcvm_read_phys(struct ppcvm_vm *vm, uint64_t gpa, void *buf, size_t len)
{
	return phys_copy(vm, gpa, buf, len, false);
}

int ppcvm_write_phys(struct ppcvm_vm *vm, uint64_t gpa, const void *buf, size_t len)
{
	return phys_copy(vm, gpa, (void *)buf, len, true);
}

/*
 * H_ENTER's H_ZERO_PAGE: clear [gpa, gpa + len) of RAM. Pages that were
 * decoded as code make every vCPU drop its decoded copies first, as a VMM
 * write does. -EFAULT if part of the range is not RAM (nothing written).
 */
int vm_zero_phys(struct ppcvm_vm *vm, uint64_t gpa, uint64_t len)
{
	bool code = false;

	for (int pass = 0; pass < 2; pass++) {
		uint64_t pa = gpa, left = len;

		if (pass == 1 && code)
			flush_vcpus(vm);
		while (left) {
			struct memslot *s = physmap_find(&vm->pm, pa);
			uint64_t off, n;

			if (!s)
				return -EFAULT;
			off = pa - s->gpa;
			n = s->size - off;
			if (n > left)
				n = left;
			if (pass == 0) {
				for (uint64_t pg = off >> 12; pg <= (off + n - 1) >> 12; pg++)
					code |= s->code[pg] != 0;
			} else if (!(s->flags & PPCVM_MEM_READONLY)) {
				memset(s->host + off, 0, n);
				/* The guest asked for it (H_ZERO_PAGE): a guest write */
				for (uint64_t pg = off >> 12; s->dirty && pg <= (off + n - 1) >> 12;
				     pg++)
					__atomic_fetch_or(&s->dirty[pg / 64], 1ull << (pg % 64),
							  __ATOMIC_RELAXED);
			}
			pa += n;
			left -= n;
		}
	}
	return 0;
}

int ppcvm_get_dirty_log(struct ppcvm_vm *vm, uint32_t slot, uint64_t *bitmap)
{
	struct memslot *s;
	int ret = 0;

	if (!vm || !bitmap || slot >= PHYSMAP_SLOTS)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	s = &vm->pm.slot[slot];
	if (!s->used) {
		ret = -ENOENT;
	} else if (!(s->flags & PPCVM_MEM_LOG_DIRTY) || !s->dirty) {
		ret = -EINVAL;
	} else {
		/*
		 * Fetch-and-clear word by word: a store racing with this is in
		 * this copy or the next. Stores to LOG_DIRTY slots never hit a
		 * soft TLB (mem.c), so every one reaches the bitmap.
		 */
		for (uint64_t w = 0; w < ((s->size >> 12) + 63) / 64; w++)
			bitmap[w] = __atomic_exchange_n(&s->dirty[w], 0, __ATOMIC_ACQ_REL);
	}
	pthread_mutex_unlock(&vm->lock);
	return ret;
}
