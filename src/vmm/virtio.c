// SPDX-License-Identifier: MIT
/*
 * virtio-mmio version 2 (virtio 1.1 section 4.2.2) and the split virtqueue
 * (section 2.6) shared by the console, block and rng devices. Each device
 * adds its own device-tree node (compatible "virtio,mmio", reg, interrupts).
 *
 * The guest is hostile: a ring address outside RAM, an index beyond the
 * queue, a descriptor loop, a readable buffer after a writable one or an
 * indirect descriptor (not offered) makes the device broken
 * (DEVICE_NEEDS_RESET, section 2.1.2) until the driver resets it.
 */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/machine.h"
#include "vmm/virtio.h"
#include "vmm/xics.h"

static inline uint16_t le16(const uint8_t *p)
{
	return p[0] | (uint16_t)p[1] << 8;
}

static inline uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

/* Host pointer to [gpa, gpa + len) if all of it is guest RAM, else NULL */
static uint8_t *guest_ptr(struct machine *m, uint64_t gpa, uint64_t len)
{
	if (!m->ram || gpa > m->ram_size || len > m->ram_size - gpa)
		return NULL;
	return m->ram + gpa;
}

/* A 16-bit ring index the guest may be writing concurrently */
static uint16_t ring_load16(const uint8_t *p)
{
	uint16_t v = __atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE);

	return le16((const uint8_t *)&v);
}

void virtio_irq_update_locked(struct virtio_dev *d)
{
	struct virtio_bus *bus = d->m->virtio;
	/* PCI 3.0 6.8.2: a function with MSI-X enabled does not use INTx */
	bool level = d->isr != 0 && !(d->pci && virtio_pci_msix_enabled(d));

	if (level == d->irq_level)
		return;
	d->irq_level = level;
	if (bus && bus->irq_fn) {
		bus->irq_fn(bus->irq_opaque, d->irq, level);
	} else if (d->irq_alloced) {
		/* A level source: asserted while InterruptStatus is non-zero */
		xics_set_irq(d->m, d->irq, level);
	} else if (bus && level && !bus->irq_warned) {
		bus->irq_warned = true;
		fprintf(stderr, "ppcvm: virtio: no interrupt controller yet, device interrupts are "
				"lost (logged once)\n");
	}
}

void virtio_notify_locked(struct virtio_dev *d, int q)
{
	uint16_t vec;

	if (d->pci && virtio_pci_msix_enabled(d)) {
		/* 4.1.4.5.1: the config bit is set even when a vector carries it */
		if (q < 0)
			d->isr |= VIRTIO_INT_CONFIG;
		vec = q < 0 ? d->msix_config : d->msix_queue[q];
		/* NO_VECTOR: the driver wants no interrupt for it (4.1.5.1.2) */
		if (vec == VIRTIO_MSI_NO_VECTOR || virtio_pci_msix_notify(d, vec))
			return;
		/* MSI-X went off between the two looks: INTx */
	}
	d->isr |= q < 0 ? VIRTIO_INT_CONFIG : VIRTIO_INT_USED;
	virtio_irq_update_locked(d);
}

void virtio_set_irq_handler(struct machine *m, virtio_irq_fn fn, void *opaque)
{
	if (!m->virtio)
		return;
	m->virtio->irq_fn = fn;
	m->virtio->irq_opaque = opaque;
}

/* d->lock held */
void virtio_dev_broken_locked(struct virtio_dev *d, const char *why)
{
	if (d->broken)
		return;
	d->broken = true;
	/* A guest that breaks the device in a loop must not flood the log */
	if (d->nr_broken_logged < 4) {
		d->nr_broken_logged++;
		fprintf(stderr, "ppcvm: virtio-%s: %s; device needs reset%s\n", d->ops->name, why,
			d->nr_broken_logged == 4 ? " (not logged again)" : "");
	}
	if (d->status & VIRTIO_STATUS_DRIVER_OK) {
		d->status |= VIRTIO_STATUS_NEEDS_RESET;
		virtio_notify_locked(d, -1);
	}
}

void virtio_dev_broken(struct virtio_dev *d, const char *why)
{
	pthread_mutex_lock(&d->lock);
	virtio_dev_broken_locked(d, why);
	pthread_mutex_unlock(&d->lock);
}

/* Every MSI-X vector unassigned, as after power-on */
static void virtio_msix_vectors_reset(struct virtio_dev *d)
{
	unsigned int q;

	d->msix_config = VIRTIO_MSI_NO_VECTOR;
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++)
		d->msix_queue[q] = VIRTIO_MSI_NO_VECTOR;
}

/* d->lock held: back to the state after power-on (section 2.1, status 0) */
void virtio_dev_reset_locked(struct virtio_dev *d)
{
	d->driver_features = 0;
	d->dev_feat_sel = d->drv_feat_sel = d->queue_sel = 0;
	d->status = 0;
	d->isr = 0;
	d->broken = false;
	d->resets++;
	memset(d->vq, 0, sizeof(d->vq));
	virtio_msix_vectors_reset(d);
	virtio_irq_update_locked(d);
	if (d->ops->reset)
		d->ops->reset(d);
}

/* The rings of a queue must be aligned (2.6) and lie in guest RAM */
static bool vq_valid(struct virtio_dev *d, const struct virtq *vq)
{
	uint64_t n = vq->num;

	if (!n || n > VIRTQ_MAX_SIZE || (n & (n - 1)))
		return false;
	if ((vq->desc & 15) || (vq->avail & 1) || (vq->used & 3))
		return false;
	return guest_ptr(d->m, vq->desc, 16 * n) && guest_ptr(d->m, vq->avail, 6 + 2 * n) &&
	       guest_ptr(d->m, vq->used, 6 + 8 * n);
}

int virtq_pop(struct virtio_dev *d, unsigned int q, struct virtq_req *req)
{
	struct virtq *vq;
	const uint8_t *avail, *desc;
	uint16_t avail_idx, head, i;
	unsigned int count;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	if (q >= d->ops->nqueues || d->broken || !(d->status & VIRTIO_STATUS_DRIVER_OK))
		goto out;
	vq = &d->vq[q];
	if (!vq->ready)
		goto out;
	/* Checked when QueueReady was set; RAM does not move */
	avail = guest_ptr(d->m, vq->avail, 6 + 2 * vq->num);
	desc = guest_ptr(d->m, vq->desc, 16 * vq->num);
	if (!avail || !desc)
		goto bad_ring;
	avail_idx = ring_load16(avail + 2);
	if (avail_idx == vq->last_avail)
		goto out;
	/* More new entries than the ring holds: the index is garbage */
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num) {
		virtio_dev_broken_locked(d, "avail index ran ahead of the ring");
		ret = -1;
		goto out;
	}
	head = le16(avail + 4 + 2 * (vq->last_avail % vq->num));
	req->head = head;
	req->gen = d->resets;
	req->nout = req->nin = 0;
	req->out_len = req->in_len = 0;
	for (i = head, count = 0;; count++) {
		const uint8_t *dp;
		uint64_t addr;
		uint32_t len;
		uint16_t flags;
		uint8_t *p;

		if (i >= vq->num) {
			virtio_dev_broken_locked(d, "descriptor index out of range");
			ret = -1;
			goto out;
		}
		/* A chain longer than the table must revisit a descriptor */
		if (count >= vq->num) {
			virtio_dev_broken_locked(d, "descriptor chain loops");
			ret = -1;
			goto out;
		}
		dp = desc + 16 * i;
		addr = le64(dp);
		len = le32(dp + 8);
		flags = le16(dp + 12);
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			virtio_dev_broken_locked(d, "indirect descriptor (not negotiated)");
			ret = -1;
			goto out;
		}
		p = guest_ptr(d->m, addr, len);
		if (!p) {
			virtio_dev_broken_locked(d, "buffer outside guest RAM");
			ret = -1;
			goto out;
		}
		if (flags & VIRTQ_DESC_F_WRITE) {
			req->in[req->nin].p = p;
			req->in[req->nin].len = len;
			req->nin++;
			req->in_len += len;
		} else {
			/* 2.6.4.2: readable buffers come before writable ones */
			if (req->nin) {
				virtio_dev_broken_locked(d, "readable buffer after a writable one");
				ret = -1;
				goto out;
			}
			req->out[req->nout].p = p;
			req->out[req->nout].len = len;
			req->nout++;
			req->out_len += len;
		}
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		i = le16(dp + 14);
	}
	vq->last_avail++;
	ret = 1;
	goto out;
bad_ring:
	virtio_dev_broken_locked(d, "ring outside guest RAM");
	ret = -1;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void virtq_push(struct virtio_dev *d, unsigned int q, const struct virtq_req *req, uint32_t written)
{
	struct virtq *vq;
	uint8_t *used;
	const uint8_t *avail;
	uint16_t idx;

	pthread_mutex_lock(&d->lock);
	/* A chain from before a reset belongs to a driver that is gone */
	if (q >= d->ops->nqueues || req->gen != d->resets || d->broken)
		goto out;
	vq = &d->vq[q];
	if (!vq->ready)
		goto out;
	used = guest_ptr(d->m, vq->used, 6 + 8 * vq->num);
	avail = guest_ptr(d->m, vq->avail, 6 + 2 * vq->num);
	if (!used || !avail)
		goto out;
	if (written > req->in_len)
		written = req->in_len;
	put_le32(used + 4 + 8 * (vq->used_idx % vq->num), req->head);
	put_le32(used + 4 + 8 * (vq->used_idx % vq->num) + 4, written);
	vq->used_idx++;
	put_le16((uint8_t *)&idx, vq->used_idx);
	/* The element is visible before the index that publishes it (2.6.8) */
	__atomic_store_n((uint16_t *)(used + 2), idx, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(ring_load16(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT))
		virtio_notify_locked(d, q);
out:
	pthread_mutex_unlock(&d->lock);
}

size_t virtq_req_read(const struct virtq_req *req, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < req->nout && done < len; i++) {
		uint32_t n;

		if (off >= req->out[i].len) {
			off -= req->out[i].len;
			continue;
		}
		n = req->out[i].len - off;
		if (n > len - done)
			n = len - done;
		memcpy((uint8_t *)buf + done, req->out[i].p + off, n);
		done += n;
		off = 0;
	}
	return done;
}

size_t virtq_req_write(const struct virtq_req *req, uint64_t off, const void *buf, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < req->nin && done < len; i++) {
		uint32_t n;

		if (off >= req->in[i].len) {
			off -= req->in[i].len;
			continue;
		}
		n = req->in[i].len - off;
		if (n > len - done)
			n = len - done;
		memcpy(req->in[i].p + off, (const uint8_t *)buf + done, n);
		done += n;
		off = 0;
	}
	return done;
}

uint32_t virtio_mmio_read(struct virtio_dev *d, uint32_t off, uint32_t len)
{
	struct virtq *vq;
	uint32_t v = 0;

	pthread_mutex_lock(&d->lock);
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint32_t c = off - VIRTIO_MMIO_CONFIG, i;

		for (i = 0; i < len && c + i < d->config_size; i++)
			v |= (uint32_t)d->config[c + i] << (8 * i);
		goto out;
	}
	/* 4.2.2.2: the driver uses only 32-bit accesses below the config space */
	if (len != 4 || (off & 3))
		goto out;
	vq = d->queue_sel < d->ops->nqueues ? &d->vq[d->queue_sel] : NULL;
	switch (off) {
	case VIRTIO_MMIO_MAGIC:
		v = VIRTIO_MMIO_MAGIC_VALUE;
		break;
	case VIRTIO_MMIO_VERSION:
		v = 2;
		break;
	case VIRTIO_MMIO_DEVICE_ID:
		v = d->ops->device_id;
		break;
	case VIRTIO_MMIO_VENDOR_ID:
		v = VIRTIO_MMIO_VENDOR;
		break;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		v = d->dev_feat_sel < 2 ? d->host_features >> (32 * d->dev_feat_sel) : 0;
		break;
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		v = vq ? VIRTQ_MAX_SIZE : 0;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		v = vq ? vq->ready : 0;
		break;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		v = d->isr;
		break;
	case VIRTIO_MMIO_STATUS:
		v = d->status;
		break;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		v = d->config_gen;
		break;
	default:
		break;
	}
out:
	pthread_mutex_unlock(&d->lock);
	return v;
}

void virtio_queue_enable_locked(struct virtio_dev *d, struct virtq *vq, bool on)
{
	if (!on) {
		vq->ready = false;
		return;
	}
	/* A queue whose rings are not in RAM never becomes ready */
	if (vq_valid(d, vq)) {
		vq->ready = true;
		vq->last_avail = 0;
		vq->used_idx = 0;
	} else {
		virtio_dev_broken_locked(d, "queue rings invalid or outside guest RAM");
	}
}

void virtio_set_status_locked(struct virtio_dev *d, uint32_t val)
{
	if (val == 0) {
		virtio_dev_reset_locked(d);
		return;
	}
	/*
	 * 3.1.1 step 5: FEATURES_OK only for a subset of what we offer
	 * that includes VERSION_1 (no legacy interface here)
	 */
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(d->status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((d->driver_features & ~d->host_features) ||
	     !(d->driver_features & VIRTIO_F_VERSION_1)))
		val &= ~VIRTIO_STATUS_FEATURES_OK;
	/* DRIVER_OK needs FEATURES_OK */
	if (!(val & VIRTIO_STATUS_FEATURES_OK))
		val &= ~VIRTIO_STATUS_DRIVER_OK;
	d->status = (val & 0xff) | (d->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void set_half(uint64_t *r, bool high, uint32_t val)
{
	if (high)
		*r = (*r & 0xffffffffull) | (uint64_t)val << 32;
	else
		*r = (*r & ~0xffffffffull) | val;
}

void virtio_mmio_write(struct virtio_dev *d, uint32_t off, uint32_t len, uint32_t val)
{
	struct virtq *vq;
	bool notify = false;

	/* Config space: none of our devices has a writable field */
	if (off >= VIRTIO_MMIO_CONFIG || len != 4 || (off & 3))
		return;
	pthread_mutex_lock(&d->lock);
	vq = d->queue_sel < d->ops->nqueues ? &d->vq[d->queue_sel] : NULL;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		d->dev_feat_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		/* 3.1.1: features are fixed once FEATURES_OK is set */
		if (d->drv_feat_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK)) {
			set_half(&d->driver_features, d->drv_feat_sel, val);
		}
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		d->drv_feat_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		d->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (vq && !vq->ready)
			vq->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (!vq)
			break;
		virtio_queue_enable_locked(d, vq, val & 1);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (vq && !vq->ready)
			set_half(&vq->desc, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		if (vq && !vq->ready)
			set_half(&vq->avail, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		if (vq && !vq->ready)
			set_half(&vq->used, off == VIRTIO_MMIO_QUEUE_USED_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		d->notify_exits++;
		notify = val < d->ops->nqueues && d->vq[val].ready && !d->broken &&
			 (d->status & VIRTIO_STATUS_DRIVER_OK);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		d->isr &= ~val;
		virtio_irq_update_locked(d);
		break;
	case VIRTIO_MMIO_STATUS:
		virtio_set_status_locked(d, val);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&d->lock);
	if (notify && d->ops->notify)
		d->ops->notify(d, val);
}

bool virtio_mmio_access(struct machine *m, uint64_t gpa, uint8_t *data, uint32_t len, bool is_write)
{
	struct virtio_bus *bus = m->virtio;
	struct virtio_dev *d;
	uint64_t n, off;
	uint32_t v, i;

	if (!bus || gpa < VIRTIO_MMIO_BASE || len == 0 || len > 8)
		return false;
	n = (gpa - VIRTIO_MMIO_BASE) / VIRTIO_MMIO_STRIDE;
	off = (gpa - VIRTIO_MMIO_BASE) % VIRTIO_MMIO_STRIDE;
	if (n >= bus->ndevs || off + len > VIRTIO_MMIO_SIZE)
		return false;
	d = bus->devs[n];
	if (d->pci)
		return false;
	/*
	 * The register block never moves: bind QueueNotify on the first exit
	 * in each VM (the devices outlive the VM across a reboot).
	 */
	if (d->ops->queue_eventfd) {
		pthread_mutex_lock(&d->efd_lock);
		if (d->efd_vm != m->vm)
			virtio_ioeventfd_bind_locked(d, d->base + VIRTIO_MMIO_QUEUE_NOTIFY, 0);
		pthread_mutex_unlock(&d->efd_lock);
	}
	if (len > 4) {
		/* A 64-bit access: only meaningful in the config space */
		if (!is_write) {
			memset(data, 0, len);
			if (off >= VIRTIO_MMIO_CONFIG) {
				put_le32(data, virtio_mmio_read(d, off, 4));
				put_le32(data + 4, virtio_mmio_read(d, off + 4, 4));
			}
		}
		return true;
	}
	if (is_write) {
		for (v = 0, i = 0; i < len; i++)
			v |= (uint32_t)data[i] << (8 * i);
		virtio_mmio_write(d, off, len, v);
	} else {
		v = virtio_mmio_read(d, off, len);
		for (i = 0; i < len; i++)
			data[i] = v >> (8 * i);
	}
	return true;
}

/* Assign or remove queue q's binding at addr (see virtio_ioeventfd_bind_locked) */
static int efd_op(struct virtio_dev *d, struct ppcvm_vm *vm, unsigned int q, uint64_t addr, int fd,
		  bool assign)
{
	uint32_t flags = assign ? 0 : PPCVM_IOEVENTFD_DEASSIGN;

	if (d->pci) /* the address names the queue (4.1.4.4); any width */
		return ppcvm_ioeventfd(vm, addr, 0, fd, 0, flags);
	/* 4.2.2: QueueNotify is one 32-bit LE register; the value is the queue */
	return ppcvm_ioeventfd(vm, addr, 4, fd, q,
			       flags | PPCVM_IOEVENTFD_DATAMATCH | PPCVM_IOEVENTFD_LITTLE_ENDIAN);
}

void virtio_ioeventfd_bind_locked(struct virtio_dev *d, uint64_t base, uint32_t mult)
{
	struct ppcvm_vm *vm = d->m->vm;
	unsigned int q;

	for (q = 0; q < d->ops->nqueues && q < VIRTIO_MAX_QUEUES; q++) {
		int fd = d->ops->queue_eventfd ? d->ops->queue_eventfd(d, q) : -1;
		uint64_t want = vm && base && fd >= 0 ? base + (uint64_t)mult * q : 0;
		uint64_t one = 1;

		if (d->efd_vm == vm && d->efd_addr[q] == want)
			continue;
		/* Once DEASSIGN returns no vCPU signals the old address */
		if (d->efd_addr[q] && d->efd_vm == vm)
			efd_op(d, vm, q, d->efd_addr[q], fd, false);
		d->efd_addr[q] = 0;
		/* Bus full or the like: notifies keep coming as exits */
		if (!want || efd_op(d, vm, q, want, fd, true))
			continue;
		d->efd_addr[q] = want;
		/*
		 * A notify written while the binding moved went to neither
		 * place (the old address no longer decodes): run the queue once.
		 */
		if (write(fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			perror("ppcvm: virtio: kicking the queue");
	}
	d->efd_vm = vm;
}

static int virtio_fdt(struct machine *m, void *fdt)
{
	struct virtio_bus *bus = m->virtio;
	unsigned int i;
	int ret;

	if (!bus)
		return 0;
	/* Nodes go in front of their siblings: add the last device first */
	for (i = bus->ndevs; i-- > 0;) {
		struct virtio_dev *d = bus->devs[i];
		fdt64_t reg[2] = { cpu_to_fdt64(d->base), cpu_to_fdt64(VIRTIO_MMIO_SIZE) };
		/* XICS cells: source number, sense (xics.h: 0 = level) */
		fdt32_t irq[2] = { cpu_to_fdt32(d->irq), cpu_to_fdt32(0) };
		char name[40];
		int node;

		if (d->pci)
			continue; /* virtio_pci.c describes it under the PHB */
		if (virtio_dev_bind_irq(d))
			irq[0] = cpu_to_fdt32(d->irq);
		snprintf(name, sizeof(name), "virtio_mmio@%" PRIx64, d->base);
		node = fdt_add_subnode(fdt, 0, name);
		if (node < 0)
			return node;
		if ((ret = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio")) ||
		    (ret = fdt_setprop(fdt, node, "reg", reg, sizeof(reg))) ||
		    (ret = fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq))) ||
		    (ret = fdt_setprop_u32(fdt, node, "interrupt-parent", XICS_PHANDLE)) ||
		    (ret = fdt_setprop_empty(fdt, node, "dma-coherent")))
			return ret;
	}
	return 0;
}

/*
 * Devices are created before the VM and its XICS exist: a device whose source
 * could not be allocated then gets one when the device tree is built (the
 * XICS exists by then; allocations survive its resets). True if it changed.
 */
bool virtio_dev_bind_irq(struct virtio_dev *d)
{
	int irq;

	if (d->irq_alloced)
		return false;
	irq = xics_alloc_irq(d->m, true);
	if (irq < 0)
		return false;
	pthread_mutex_lock(&d->lock);
	d->irq = irq;
	d->irq_alloced = true;
	pthread_mutex_unlock(&d->lock);
	return true;
}

static struct virtio_bus *bus_get(struct machine *m)
{
	struct virtio_bus *bus = m->virtio;

	if (!bus) {
		bus = calloc(1, sizeof(*bus));
		if (!bus)
			return NULL;
		if (machine_add_fdt_fn(m, virtio_fdt)) {
			free(bus);
			return NULL;
		}
		m->virtio = bus;
	}
	return bus;
}

int virtio_dev_register(struct machine *m, struct virtio_dev *d)
{
	struct virtio_bus *bus = bus_get(m);
	int ret, irq;

	if (!bus)
		return -ENOMEM;
	if (bus->ndevs == VIRTIO_MAX_DEVS)
		return -ENOSPC;
	d->m = m;
	d->index = bus->ndevs;
	d->base = VIRTIO_MMIO_BASE + d->index * VIRTIO_MMIO_STRIDE;
	if (bus->use_pci) {
		/* virtio_pci.c: a function on the PCI host bridge instead */
		d->pci = true;
		d->base = 0;
		ret = virtio_pci_attach(m, d);
		if (ret)
			return ret;
	}
	/* A level source of the machine's XICS (none in some unit tests) */
	irq = xics_alloc_irq(m, true);
	d->irq_alloced = irq >= 0;
	d->irq = irq >= 0 ? (uint32_t)irq : VIRTIO_IRQ_BASE + d->index;
	d->host_features |= VIRTIO_F_VERSION_1;
	virtio_msix_vectors_reset(d);
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->efd_lock, NULL);
	bus->devs[bus->ndevs++] = d;
	return 0;
}

void virtio_reset_all(struct machine *m)
{
	unsigned int i;

	if (!m->virtio)
		return;
	for (i = 0; i < m->virtio->ndevs; i++) {
		struct virtio_dev *d = m->virtio->devs[i];

		/*
		 * A reboot destroys the VM first, and its ioeventfds with it:
		 * forget them (a new VM may reuse the address). Live ones stay
		 * bound across a device reset: the back end finds no work.
		 */
		pthread_mutex_lock(&d->efd_lock);
		if (d->efd_vm != m->vm) {
			d->efd_vm = NULL;
			memset(d->efd_addr, 0, sizeof(d->efd_addr));
		}
		pthread_mutex_unlock(&d->efd_lock);
		pthread_mutex_lock(&d->lock);
		virtio_dev_reset_locked(d);
		pthread_mutex_unlock(&d->lock);
	}
}

void virtio_destroy_all(struct machine *m)
{
	struct virtio_bus *bus = m->virtio;
	unsigned int i;

	if (!bus)
		return;
	for (i = 0; i < bus->ndevs; i++) {
		struct virtio_dev *d = bus->devs[i];

		/*
		 * Unbind first (if the VM still exists): after that no vCPU
		 * signals the eventfd that destroy() stops and closes.
		 */
		pthread_mutex_lock(&d->efd_lock);
		if (d->efd_vm && d->efd_vm == m->vm)
			virtio_ioeventfd_bind_locked(d, 0, 0);
		pthread_mutex_unlock(&d->efd_lock);
		if (d->ops->destroy)
			d->ops->destroy(d);
		pthread_mutex_destroy(&d->efd_lock);
		pthread_mutex_destroy(&d->lock);
		free(d->transport);
		free(d);
	}
	free(bus);
	m->virtio = NULL;
}

/* The machine's devices: console, rng, and a disk if one was given */
int virtio_machine_init(struct machine *m, char *err, size_t errlen)
{
	struct virtio_bus *bus = bus_get(m);
	int ret;

	if (!bus) {
		snprintf(err, errlen, "cannot create the virtio bus: out of memory");
		return -ENOMEM;
	}
	/* Linux's pseries finds PCI devices, not root-level virtio,mmio nodes */
	bus->use_pci = !m->cfg.virtio_mmio;
	if (m->cfg.disk) {
		ret = virtio_blk_create(m, m->cfg.disk, m->cfg.disk_ro, true, err, errlen);
		if (ret)
			return ret;
	}
	ret = virtio_console_create(m, m->cfg.vcon_input);
	if (!ret)
		ret = virtio_rng_create(m);
	if (ret)
		snprintf(err, errlen, "cannot create the virtio devices: %s", strerror(-ret));
	return ret;
}
