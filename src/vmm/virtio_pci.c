// SPDX-License-Identifier: MIT
/*
 * The virtio-pci transport, modern interface only (virtio 1.1 section 4.1):
 * vendor 0x1af4, device 0x1040 + device id, revision 1, and four vendor
 * capabilities (4.1.4) pointing into one 64-bit memory BAR (BAR 4, as QEMU):
 *   0x0000 common configuration (4.1.4.3)
 *   0x1000 ISR status, read-to-clear (4.1.4.5)
 *   0x2000 device configuration (the back end's d->config)
 *   0x3000 notifications, queue q at 0x3000 + 4 * q (multiplier 4)
 * and an MSI-X capability (4.1.5.1.2) of nqueues + 1 vectors whose table
 * (0x1800) and PBA (0x1c00) sit in the unused rest of the ISR page (pci.c
 * serves them). With MSI-X enabled the driver's config_msix_vector and
 * queue_msix_vector choose the messages; else interrupts are legacy INTx: the
 * device's XICS source is asserted while the ISR is non-zero (virtio.c). The
 * queues and the back ends are virtio.c's, shared with virtio-mmio.
 *
 * A back end with an iothread (ops->queue_eventfd) has its queues' notify
 * addresses bound with ppcvm_ioeventfd wherever the guest's BAR 4 puts them
 * while memory decoding is on, as QEMU's virtio-pci with KVM ioeventfds: a
 * notify then wakes the iothread from the vCPU, with no exit. The binding
 * follows config writes (pci_host.cfg_written) and is checked again on every
 * exit to the BAR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/virtio.h"

#define VPCI_VENDOR	 0x1af4
#define VPCI_DEVICE_BASE 0x1040
#define VPCI_BAR	 4
#define VPCI_BAR_SIZE	 0x4000
#define VPCI_COMMON	 0x0000
#define VPCI_ISR	 0x1000
#define VPCI_DEVCFG	 0x2000
#define VPCI_NOTIFY	 0x3000
#define VPCI_NOTIFY_MULT 4
#define VPCI_REGION	 0x1000
#define VPCI_NO_VECTOR	 VIRTIO_MSI_NO_VECTOR
#define VPCI_MSIX_TABLE	 0x1800
#define VPCI_MSIX_PBA	 0x1c00
#define VPCI_MSIX_CAP	 0x84

/* cfg_type of struct virtio_pci_cap (4.1.4) */
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG	  3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define PCI_CAP_ID_VNDR		  0x09

/* struct virtio_pci_common_cfg offsets (4.1.4.3) */
#define VC_DFSELECT 0x00
#define VC_DF	    0x04
#define VC_GFSELECT 0x08
#define VC_GF	    0x0c
#define VC_MSIX	    0x10
#define VC_NUMQ	    0x12
#define VC_STATUS   0x14
#define VC_CFGGEN   0x15
#define VC_Q_SELECT 0x16
#define VC_Q_SIZE   0x18
#define VC_Q_MSIX   0x1a
#define VC_Q_ENABLE 0x1c
#define VC_Q_NOFF   0x1e
#define VC_Q_DESC   0x20
#define VC_Q_AVAIL  0x28
#define VC_Q_USED   0x30
#define VC_SIZE	    0x38

struct virtio_pci {
	struct pci_dev pdev;
	struct virtio_dev *d;
};

static void put_le(uint8_t *p, uint64_t v, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = v >> (8 * i);
}

static uint64_t get_le(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < len; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* d->lock held: the common configuration structure as the driver reads it */
static void common_snapshot(struct virtio_dev *d, uint8_t *c)
{
	struct virtq *vq = d->queue_sel < d->ops->nqueues ? &d->vq[d->queue_sel] : NULL;

	memset(c, 0, VC_SIZE);
	put_le(c + VC_DFSELECT, d->dev_feat_sel, 4);
	put_le(c + VC_DF, d->dev_feat_sel < 2 ? d->host_features >> (32 * d->dev_feat_sel) : 0, 4);
	put_le(c + VC_GFSELECT, d->drv_feat_sel, 4);
	put_le(c + VC_GF, d->drv_feat_sel < 2 ? d->driver_features >> (32 * d->drv_feat_sel) : 0,
	       4);
	put_le(c + VC_MSIX, d->msix_config, 2);
	put_le(c + VC_NUMQ, d->ops->nqueues, 2);
	c[VC_STATUS] = d->status;
	c[VC_CFGGEN] = d->config_gen;
	put_le(c + VC_Q_SELECT, d->queue_sel, 2);
	put_le(c + VC_Q_MSIX, vq ? d->msix_queue[d->queue_sel] : VPCI_NO_VECTOR, 2);
	if (!vq)
		return; /* 4.1.4.3.1: queue_size 0 for a queue that does not exist */
	/* The device offers its maximum until the driver picks a size */
	put_le(c + VC_Q_SIZE, vq->num ? vq->num : VIRTQ_MAX_SIZE, 2);
	put_le(c + VC_Q_ENABLE, vq->ready, 2);
	put_le(c + VC_Q_NOFF, d->queue_sel, 2);
	put_le(c + VC_Q_DESC, vq->desc, 8);
	put_le(c + VC_Q_AVAIL, vq->avail, 8);
	put_le(c + VC_Q_USED, vq->used, 8);
}

static void set_part(uint64_t *r, uint32_t off, uint32_t len, uint64_t val)
{
	/* A 64-bit field written whole or as two 32-bit halves (4.1.3.1) */
	if (len == 8)
		*r = val;
	else if (off & 4)
		*r = (*r & 0xffffffffull) | val << 32;
	else
		*r = (*r & ~0xffffffffull) | (uint32_t)val;
}

/*
 * A vector the driver picked: one past the table reads back NO_VECTOR, which
 * tells the driver it failed (4.1.5.1.2.1; Linux vp_modern_queue_vector)
 */
static uint16_t vpci_vector(struct virtio_dev *d, uint64_t val)
{
	return val < d->ops->nqueues + 1u ? (uint16_t)val : VPCI_NO_VECTOR;
}

/* A driver write to the common configuration; fields must be written whole */
static void common_write(struct virtio_dev *d, uint32_t off, uint32_t len, uint64_t val)
{
	struct virtq *vq;

	pthread_mutex_lock(&d->lock);
	vq = d->queue_sel < d->ops->nqueues ? &d->vq[d->queue_sel] : NULL;
	switch (off) {
	case VC_DFSELECT:
		if (len == 4)
			d->dev_feat_sel = val;
		break;
	case VC_GFSELECT:
		if (len == 4)
			d->drv_feat_sel = val;
		break;
	case VC_GF:
		/* 3.1.1: features are fixed once FEATURES_OK is set */
		if (len == 4 && d->drv_feat_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK))
			set_part(&d->driver_features, d->drv_feat_sel ? 4 : 0, 4, val);
		break;
	case VC_STATUS:
		if (len == 1)
			virtio_set_status_locked(d, val);
		break;
	case VC_Q_SELECT:
		if (len == 2)
			d->queue_sel = val;
		break;
	case VC_Q_SIZE:
		if (len == 2 && vq && !vq->ready)
			vq->num = val;
		break;
	case VC_Q_ENABLE:
		/* 4.1.4.3.2: the driver never writes 0 here; reset disables */
		if (len == 2 && vq && val == 1 && !vq->ready) {
			if (!vq->num)
				vq->num = VIRTQ_MAX_SIZE;
			virtio_queue_enable_locked(d, vq, true);
		}
		break;
	case VC_Q_DESC:
	case VC_Q_DESC + 4:
		if (vq && !vq->ready && (len == 4 || (len == 8 && !(off & 4))))
			set_part(&vq->desc, off, len, val);
		break;
	case VC_Q_AVAIL:
	case VC_Q_AVAIL + 4:
		if (vq && !vq->ready && (len == 4 || (len == 8 && !(off & 4))))
			set_part(&vq->avail, off, len, val);
		break;
	case VC_Q_USED:
	case VC_Q_USED + 4:
		if (vq && !vq->ready && (len == 4 || (len == 8 && !(off & 4))))
			set_part(&vq->used, off, len, val);
		break;
	case VC_MSIX:
		if (len == 2)
			d->msix_config = vpci_vector(d, val);
		break;
	case VC_Q_MSIX:
		if (len == 2 && vq)
			d->msix_queue[d->queue_sel] = vpci_vector(d, val);
		break;
	default: /* read-only fields */
		break;
	}
	pthread_mutex_unlock(&d->lock);
}

static void vpci_bar_access(struct pci_dev *p, unsigned int bar, uint64_t off, uint8_t *data,
			    uint32_t len, bool is_write)
{
	struct virtio_pci *vp = p->opaque;
	struct virtio_dev *d = vp->d;
	uint64_t val = is_write ? get_le(data, len) : 0;
	uint32_t region = off / VPCI_REGION * VPCI_REGION, roff = off % VPCI_REGION;
	uint8_t c[VC_SIZE];
	unsigned int q;
	bool notify;

	/* An exit in a new VM (boot, reboot): bind the notify region there */
	virtio_pci_sync_ioeventfd(d);
	if (bar != VPCI_BAR || roff + len > VPCI_REGION)
		return;
	switch (region) {
	case VPCI_COMMON:
		if (roff + len > VC_SIZE)
			break;
		if (is_write) {
			common_write(d, roff, len, val);
			break;
		}
		pthread_mutex_lock(&d->lock);
		common_snapshot(d, c);
		pthread_mutex_unlock(&d->lock);
		memcpy(data, c + roff, len);
		break;
	case VPCI_ISR:
		/* 4.1.4.5.1: reading the ISR clears it and deasserts INTx */
		if (is_write || roff != 0)
			break;
		pthread_mutex_lock(&d->lock);
		data[0] = d->isr;
		d->isr = 0;
		virtio_irq_update_locked(d);
		pthread_mutex_unlock(&d->lock);
		break;
	case VPCI_DEVCFG:
		/* None of the back ends has a writable config field */
		if (is_write)
			break;
		pthread_mutex_lock(&d->lock);
		for (q = 0; q < len && roff + q < d->config_size; q++)
			data[q] = d->config[roff + q];
		pthread_mutex_unlock(&d->lock);
		break;
	case VPCI_NOTIFY:
		/* The queue is the one whose notify address was written */
		if (!is_write || roff % VPCI_NOTIFY_MULT)
			break;
		q = roff / VPCI_NOTIFY_MULT;
		pthread_mutex_lock(&d->lock);
		d->notify_exits++;
		notify = q < d->ops->nqueues && d->vq[q].ready && !d->broken &&
			 (d->status & VIRTIO_STATUS_DRIVER_OK);
		pthread_mutex_unlock(&d->lock);
		if (notify && d->ops->notify)
			d->ops->notify(d, q);
		break;
	default:
		break;
	}
}

/* Host lock held: the address a 64-bit BAR decodes (PCI 3.0, 6.2.5.1) */
static uint64_t cfg_bar64(const struct pci_dev *p, unsigned int bar)
{
	return get_le(p->cfg + PCI_BAR0 + 4 * bar, 8) & ~15ull;
}

/*
 * Host lock held: the guest address of vp's notify region if an access there
 * reaches vp now (pci_mmio_access: memory decoding on, inside the window, no
 * earlier function's BAR in front of it), else 0.
 */
static uint64_t vpci_notify_decoded(struct pci_host *h, struct virtio_pci *vp)
{
	const struct pci_dev *p = &vp->pdev;
	uint64_t bar = cfg_bar64(p, VPCI_BAR), start, len;
	unsigned int i, b;

	if (!(p->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
		return 0;
	start = bar + VPCI_NOTIFY;
	len = (uint64_t)VPCI_NOTIFY_MULT * vp->d->ops->nqueues;
	if (bar > UINT64_MAX - VPCI_BAR_SIZE || start < PCI_MEM_BASE ||
	    start - PCI_MEM_BASE > PCI_MEM_SIZE - len)
		return 0;
	for (i = 0; i < h->ndevs && h->devs[i] != p; i++) {
		const struct pci_dev *o = h->devs[i];

		if (!(o->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
			continue;
		for (b = 0; b < 6; b++) {
			uint64_t ob = cfg_bar64(o, b);

			/* Overlap, without a wrap at a BAR the guest put at the top */
			if (o->bar_size[b] &&
			    (start >= ob ? start - ob < o->bar_size[b] : ob - start < len))
				return 0;
		}
	}
	return i < h->ndevs ? start : 0;
}

void virtio_pci_sync_ioeventfd(struct virtio_dev *d)
{
	struct virtio_pci *vp = d->transport;
	struct pci_host *h = d->m->pci;
	uint64_t base;

	if (!d->pci || !vp || !h || !d->ops->queue_eventfd)
		return;
	/*
	 * efd_lock across the read and the binding: every config write is
	 * followed by a sync that reads after it, so the last binding made
	 * is for the newest decode state.
	 */
	pthread_mutex_lock(&d->efd_lock);
	pthread_mutex_lock(&h->lock);
	base = vpci_notify_decoded(h, vp);
	pthread_mutex_unlock(&h->lock);
	virtio_ioeventfd_bind_locked(d, base, VPCI_NOTIFY_MULT);
	pthread_mutex_unlock(&d->efd_lock);
}

/*
 * After any config write (pci_host.cfg_written): every virtio-pci function's
 * binding follows the BARs and command registers (a moved BAR, memory
 * decoding off, another function's BAR in front).
 */
static void vpci_cfg_written(struct machine *m)
{
	struct virtio_bus *bus = m->virtio;
	unsigned int i;

	for (i = 0; bus && i < bus->ndevs; i++) {
		struct virtio_dev *d = bus->devs[i];

		virtio_pci_sync_ioeventfd(d);
		/* MSI-X switched on or off: INTx follows (off while it is on) */
		if (d->pci) {
			pthread_mutex_lock(&d->lock);
			virtio_irq_update_locked(d);
			pthread_mutex_unlock(&d->lock);
		}
	}
}

bool virtio_pci_msix_enabled(struct virtio_dev *d)
{
	struct virtio_pci *vp = d->transport;

	return vp && d->m->pci && pci_msix_enabled(d->m->pci, &vp->pdev);
}

bool virtio_pci_msix_notify(struct virtio_dev *d, uint16_t vec)
{
	struct virtio_pci *vp = d->transport;

	return vp && d->m->pci && pci_msix_notify(d->m->pci, &vp->pdev, vec);
}

static bool vpci_intx_irq(struct pci_dev *p, uint32_t *irq)
{
	struct virtio_pci *vp = p->opaque;

	virtio_dev_bind_irq(vp->d);
	*irq = vp->d->irq;
	return true;
}

static const struct pci_dev_ops vpci_ops = {
	.bar_access = vpci_bar_access,
	.intx_irq = vpci_intx_irq,
	.name = "virtio",
};

/* One vendor capability (struct virtio_pci_cap) at pos; returns its length */
static unsigned int add_cap(uint8_t *cfg, unsigned int pos, unsigned int next, uint8_t type,
			    uint32_t offset, uint32_t length)
{
	unsigned int len = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16;

	cfg[pos] = PCI_CAP_ID_VNDR;
	cfg[pos + 1] = next;
	cfg[pos + 2] = len;
	cfg[pos + 3] = type;
	cfg[pos + 4] = VPCI_BAR;
	put_le(cfg + pos + 8, offset, 4);
	put_le(cfg + pos + 12, length, 4);
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
		put_le(cfg + pos + 16, VPCI_NOTIFY_MULT, 4);
	return len;
}

/* PCI class codes (PCI code and ID assignment spec) by virtio device id */
static uint32_t vpci_class(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_BLOCK:
		return 0x018000; /* mass storage, other */
	case VIRTIO_ID_CONSOLE:
		return 0x078000; /* communication, other */
	default:
		return 0xff0000; /* unassigned class */
	}
}

int virtio_pci_attach(struct machine *m, struct virtio_dev *d)
{
	struct virtio_pci *vp = calloc(1, sizeof(*vp));
	struct pci_dev *p;
	int ret;

	if (!vp)
		return -ENOMEM;
	vp->d = d;
	p = &vp->pdev;
	p->ops = &vpci_ops;
	p->opaque = vp;
	/* 4.1.2.1: non-transitional: revision 1, subsystem id 0x40 or more */
	pci_dev_init(p, VPCI_VENDOR, VPCI_DEVICE_BASE + d->ops->device_id,
		     vpci_class(d->ops->device_id), 1, VPCI_VENDOR, 0x40);
	p->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	p->cfg[PCI_CAPABILITY_LIST] = 0x40;
	add_cap(p->cfg, 0x40, 0x50, VIRTIO_PCI_CAP_COMMON_CFG, VPCI_COMMON, VC_SIZE);
	add_cap(p->cfg, 0x50, 0x60, VIRTIO_PCI_CAP_ISR_CFG, VPCI_ISR, 1);
	add_cap(p->cfg, 0x60, VPCI_MSIX_CAP, VIRTIO_PCI_CAP_DEVICE_CFG, VPCI_DEVCFG, VPCI_REGION);
	add_cap(p->cfg, 0x70, 0, VIRTIO_PCI_CAP_NOTIFY_CFG, VPCI_NOTIFY, VPCI_REGION);
	/* One vector per queue and one for configuration changes, as QEMU */
	pci_dev_add_msix(p, VPCI_MSIX_CAP, 0x70, d->ops->nqueues + 1, VPCI_BAR, VPCI_MSIX_TABLE,
			 VPCI_MSIX_PBA);
	pci_dev_add_bar64(p, VPCI_BAR, VPCI_BAR_SIZE);
	ret = pci_dev_add(m, p);
	if (ret) {
		free(vp);
		return ret;
	}
	d->transport = vp;
	m->pci->cfg_written = vpci_cfg_written;
	return 0;
}
