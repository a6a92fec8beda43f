/* SPDX-License-Identifier: MIT */
/*
 * virtio-mmio version 2 transport (virtio 1.1 section 4.2.2) and split
 * virtqueues (section 2.6). Every index, address and length the guest gives is
 * checked against the queue size and guest RAM; a device that sees an
 * impossible ring sets DEVICE_NEEDS_RESET and stops touching its queues.
 */
#ifndef PPCVM_VMM_VIRTIO_H
#define PPCVM_VMM_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct ppcvm_vcpu;

/* Device n's registers: VIRTIO_MMIO_BASE + n * VIRTIO_MMIO_STRIDE (above RAM) */
#define VIRTIO_MMIO_BASE   0x3f0000000000ull
#define VIRTIO_MMIO_STRIDE 0x1000ull
#define VIRTIO_MMIO_SIZE   0x200u
#define VIRTIO_MAX_DEVS	   8
/* Interrupt numbers when the machine has no XICS (xics_alloc_irq fails) */
#define VIRTIO_IRQ_BASE 0x1100u

#define VIRTIO_MAX_QUEUES 4
#define VIRTQ_MAX_SIZE	  256

/* Registers (virtio 1.1 table 4.1) */
#define VIRTIO_MMIO_MAGIC		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW	0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u /* "virt" */
#define VIRTIO_MMIO_VENDOR	0x4d565050u /* "PPVM" */

/* Device status bits (section 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER	  2u
#define VIRTIO_STATUS_DRIVER_OK	  4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 0x40u
#define VIRTIO_STATUS_FAILED	  0x80u

#define VIRTIO_MSI_NO_VECTOR 0xffffu /* 4.1.4.3: no MSI-X vector */

#define VIRTIO_INT_USED	  1u
#define VIRTIO_INT_CONFIG 2u

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTQ_DESC_F_NEXT	   1u
#define VIRTQ_DESC_F_WRITE	   2u
#define VIRTQ_DESC_F_INDIRECT	   4u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u

/* Device ids (section 5) */
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_BLOCK	  2
#define VIRTIO_ID_RNG	  4

struct virtq {
	uint32_t num; /* QueueNum */
	bool ready;
	uint64_t desc, avail, used;
	uint16_t last_avail; /* next avail ring entry to take */
	uint16_t used_idx;   /* our copy of used->idx */
};

/* One guest buffer, already checked to lie inside guest RAM */
struct virtq_buf {
	uint8_t *p;
	uint32_t len;
};

/* A popped descriptor chain: device-readable (out) then device-writable (in) */
struct virtq_req {
	uint16_t head;
	uint32_t gen; /* device reset count when popped */
	unsigned int nout, nin;
	uint64_t out_len, in_len;
	struct virtq_buf out[VIRTQ_MAX_SIZE];
	struct virtq_buf in[VIRTQ_MAX_SIZE];
};

struct virtio_dev;

struct virtio_ops {
	const char *name;
	uint32_t device_id;
	unsigned int nqueues;
	/* The guest wrote QueueNotify for queue q (no lock held) */
	void (*notify)(struct virtio_dev *d, unsigned int q);
	/* The driver reset the device (d->lock held): drop pending work */
	void (*reset)(struct virtio_dev *d);
	/* Free priv; the device is already off the bus */
	void (*destroy)(struct virtio_dev *d);
	/*
	 * Optional: the eventfd that serves queue q's notifications (an
	 * iothread waits on it), or -1. The transport binds the queue's
	 * notify address to it with ppcvm_ioeventfd, so a guest notify
	 * signals it from the vCPU with no exit; notify() serves the rest.
	 * The fd must stay open until destroy().
	 */
	int (*queue_eventfd)(struct virtio_dev *d, unsigned int q);
};

struct virtio_dev {
	struct machine *m; /* guest RAM is m->ram, m->ram_size */
	const struct virtio_ops *ops;
	void *priv;
	unsigned int index; /* position on the bus */
	uint64_t base;
	uint32_t irq;
	bool irq_alloced; /* irq is a source of the machine's XICS */
	bool pci;	  /* virtio-pci (virtio_pci.c), not virtio-mmio */
	void *transport;  /* virtio_pci.c's state */

	/* ioeventfd bindings of the notify addresses (virtio_ioeventfd_bind) */
	pthread_mutex_t efd_lock;	      /* taken before d->lock and the PHB's */
	struct ppcvm_vm *efd_vm;	      /* the VM holding them; NULL: none */
	uint64_t efd_addr[VIRTIO_MAX_QUEUES]; /* 0: queue q not bound */

	pthread_mutex_t lock; /* everything below */
	uint64_t host_features, driver_features;
	uint32_t dev_feat_sel, drv_feat_sel, queue_sel;
	uint32_t status, isr, config_gen;
	uint32_t resets;
	bool broken;
	unsigned int nr_broken_logged;
	bool irq_level;
	uint64_t notify_exits; /* notifies that reached the VMM (an exit) */
	struct virtq vq[VIRTIO_MAX_QUEUES];
	/* virtio-pci MSI-X vectors (4.1.4.3): config_msix_vector, queue_msix_vector */
	uint16_t msix_config;
	uint16_t msix_queue[VIRTIO_MAX_QUEUES];
	uint8_t config[64]; /* device configuration space (little-endian) */
	uint32_t config_size;
};

typedef void (*virtio_irq_fn)(void *opaque, uint32_t irq, int level);

struct virtio_bus {
	struct virtio_dev *devs[VIRTIO_MAX_DEVS];
	unsigned int ndevs;
	virtio_irq_fn irq_fn;
	void *irq_opaque;
	bool irq_warned;
	bool use_pci; /* new devices go on the PCI host bridge */
};

/* Initialise d (ops, priv set by the caller) and put it on m's bus. */
int virtio_dev_register(struct machine *m, struct virtio_dev *d);
/*
 * Route device interrupts (level-triggered, as XICS LSIs): the interrupt
 * controller calls this once it exists. Until then interrupts are dropped.
 */
void virtio_set_irq_handler(struct machine *m, virtio_irq_fn fn, void *opaque);
/* An MMIO exit: true if a virtio device owns gpa (data: bus byte order) */
bool virtio_mmio_access(struct machine *m, uint64_t gpa, uint8_t *data, uint32_t len,
			bool is_write);
/* Reset every device (guest reboot) */
void virtio_reset_all(struct machine *m);
/* Destroy every device and the bus */
void virtio_destroy_all(struct machine *m);
/* Register/offset access, also used by the unit tests */
uint32_t virtio_mmio_read(struct virtio_dev *d, uint32_t off, uint32_t len);
void virtio_mmio_write(struct virtio_dev *d, uint32_t off, uint32_t len, uint32_t val);

/* For the transports (virtio.c: mmio, virtio_pci.c), all with d->lock held */
void virtio_irq_update_locked(struct virtio_dev *d);
void virtio_dev_reset_locked(struct virtio_dev *d);
void virtio_dev_broken_locked(struct virtio_dev *d, const char *why);
/*
 * A used-buffer notification of queue q, or a configuration change one
 * (q < 0): the MSI-X vector the driver chose when virtio-pci's MSI-X is on
 * (4.1.5.1.2), else the ISR bit and INTx / the virtio-mmio interrupt
 */
void virtio_notify_locked(struct virtio_dev *d, int q);
/* The driver wrote the device status (section 2.1); 0 resets the device */
void virtio_set_status_locked(struct virtio_dev *d, uint32_t val);
/* QueueReady / queue_enable: the rings are checked first */
void virtio_queue_enable_locked(struct virtio_dev *d, struct virtq *vq, bool on);
/*
 * d->efd_lock held: bind each queue's notify address in d->m->vm to the
 * back end's eventfd (ops->queue_eventfd): virtio-pci at base + mult * q
 * (any length), virtio-mmio (mult 0) at base with datamatch q (4 bytes, LE).
 * base 0 (or no VM) unbinds. Bindings in a VM that is no longer m->vm are
 * forgotten (it was destroyed with them). Each new binding gets one kick.
 */
void virtio_ioeventfd_bind_locked(struct virtio_dev *d, uint64_t base, uint32_t mult);
/* Allocate the XICS source if registration could not (no d->lock held) */
bool virtio_dev_bind_irq(struct virtio_dev *d);
/* virtio_pci.c: put d on the machine's PCI host bridge */
int virtio_pci_attach(struct machine *m, struct virtio_dev *d);
/* virtio_pci.c: MSI-X enabled on d's function (d->lock may be held) */
bool virtio_pci_msix_enabled(struct virtio_dev *d);
/* virtio_pci.c: signal MSI-X vector vec; false if MSI-X is off */
bool virtio_pci_msix_notify(struct virtio_dev *d, uint16_t vec);
/* virtio_pci.c: bind d's notify region where its BAR decodes now (an exit) */
void virtio_pci_sync_ioeventfd(struct virtio_dev *d);

/*
 * Take the next available chain of queue q. Returns 1 with req filled, 0 if
 * the queue is empty (or not ready), -1 if the ring is invalid (the device
 * is then broken and refuses all further work until reset).
 */
int virtq_pop(struct virtio_dev *d, unsigned int q, struct virtq_req *req);
/* Return a chain with written bytes in its writable buffers; interrupts */
void virtq_push(struct virtio_dev *d, unsigned int q, const struct virtq_req *req,
		uint32_t written);
/* Mark the device broken (guest error): NEEDS_RESET and a config interrupt */
void virtio_dev_broken(struct virtio_dev *d, const char *why);
/* Copy len bytes at offset off of the request's readable/writable buffers */
size_t virtq_req_read(const struct virtq_req *req, uint64_t off, void *buf, size_t len);
size_t virtq_req_write(const struct virtq_req *req, uint64_t off, const void *buf, size_t len);

/* Create the machine's devices from m->cfg (machine_create) */
int virtio_machine_init(struct machine *m, char *err, size_t errlen);

/* The devices */
int virtio_console_create(struct machine *m, bool take_input);
int virtio_blk_create(struct machine *m, const char *path, bool ro, bool iothread, char *err,
		      size_t errlen);
int virtio_rng_create(struct machine *m);

#endif
