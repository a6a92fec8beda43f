/* SPDX-License-Identifier: MIT */
/*
 * A PAPR PCI host bridge (PHB, PAPR 2.7 chapter 9 / LoPAPR "PCI host bridge"),
 * as QEMU's spapr-pci-host-bridge presents it to Linux's pseries platform:
 *  - one root bus (bus 0) of conventional PCI functions (type 0 headers),
 *    described in the device tree under /pci@<buid> (Linux pseries scans the
 *    device tree, not config space: PCI_PROBE_DEVTREE), BARs preassigned in
 *    "assigned-addresses" (pseries is PCI_PROBE_ONLY);
 *  - config space through RTAS read-pci-config / write-pci-config and
 *    ibm,read-pci-config / ibm,write-pci-config (with the PHB's BUID);
 *  - one 64-bit MMIO window, PCI address = CPU address, answered on the
 *    machine's MMIO path (machine_mmio);
 *  - legacy INTx: each function's INTA is a level XICS source, routed by the
 *    PHB's interrupt-map; no MSI;
 *  - a DMA window ("ibm,dma-window", required by Linux's pseries iommu) whose
 *    TCEs H_PUT_TCE / H_GET_TCE keep. Devices here do not translate through
 *    it: virtio devices without VIRTIO_F_ACCESS_PLATFORM use guest physical
 *    addresses, as under QEMU.
 */
#ifndef PPCVM_VMM_PCI_H
#define PPCVM_VMM_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct machine;

/* QEMU's numbers (hw/ppc/spapr_pci.h): BUID of PHB 0 and its LIOBN */
#define PCI_PHB_BUID  0x800000020000000ull
#define PCI_PHB_LIOBN 0x80000000u
/* The 64-bit MMIO window, below the virtio-mmio area */
#define PCI_MEM_BASE 0x3e0000000000ull
#define PCI_MEM_SIZE 0x100000000ull
/* Each function's BARs are carved from its own slice of the window */
#define PCI_SLOT_MEM 0x100000ull
#define PCI_MAX_DEVS 16
/* DMA window: bus address 0, 4 KiB TCEs */
#define PCI_DMA_SIZE  (256ull << 20)
#define PCI_TCE_SHIFT 12
#define PCI_CFG_SIZE  256

/* QEMU's RTAS tokens (include/hw/ppc/spapr.h) */
#define RTAS_READ_PCI_CONFIG	  0x2014
#define RTAS_WRITE_PCI_CONFIG	  0x2015
#define RTAS_IBM_READ_PCI_CONFIG  0x2016
#define RTAS_IBM_WRITE_PCI_CONFIG 0x2017

/* hcalls of the TCE set (PAPR 14.5.4.2) */
#define H_GET_TCE 0x1c
#define H_PUT_TCE 0x20

/* Config space header offsets (PCI local bus 3.0, 6.1) */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_MEMORY	 0x2
#define PCI_COMMAND_MASTER	 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_CAP_LIST	 0x10
#define PCI_BAR_MEM_TYPE_64	 0x4

struct pci_dev;

struct pci_dev_ops {
	/* An access of len (1, 2, 4, 8) bytes at off of BAR bar (no lock held) */
	void (*bar_access)(struct pci_dev *p, unsigned int bar, uint64_t off, uint8_t *data,
			   uint32_t len, bool is_write);
	/* Fill *irq with INTA's XICS source; false if there is none */
	bool (*intx_irq)(struct pci_dev *p, uint32_t *irq);
	const char *name; /* device-tree node name */
};

struct pci_dev {
	const struct pci_dev_ops *ops;
	void *opaque;
	unsigned int slot; /* devfn = slot << 3, function 0 */
	/* Guarded by the host's lock */
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE]; /* bits the guest may write */
	uint64_t bar_size[6];	     /* 0: no BAR; a 64-bit BAR uses two slots */
	uint64_t bar_addr[6];	     /* preassigned address (the first slot) */
};

struct pci_host {
	struct machine *m;
	pthread_mutex_t lock;
	struct pci_dev *devs[PCI_MAX_DEVS];
	unsigned int ndevs;
	uint64_t *tce; /* PCI_DMA_SIZE >> PCI_TCE_SHIFT entries */
	/*
	 * Called after every guest config write, no lock held: a BAR or command
	 * register change of any function may move what decodes an address.
	 */
	void (*cfg_written)(struct machine *m);
};

/*
 * Put p (ops, opaque and the id fields of cfg set by the caller with
 * pci_dev_init) on the machine's host bridge, creating it on first use.
 * Its BARs get addresses here. 0 or -errno.
 */
int pci_dev_add(struct machine *m, struct pci_dev *p);
/* Header fields every function has; sets wmask for command and line */
void pci_dev_init(struct pci_dev *p, uint16_t vendor, uint16_t device, uint32_t class_code,
		  uint8_t revision, uint16_t sub_vendor, uint16_t sub_id);
/* A 64-bit memory BAR at index bar (uses bar and bar + 1); size a power of 2 */
void pci_dev_add_bar64(struct pci_dev *p, unsigned int bar, uint64_t size);
/* Config space access as the guest sees it (host lock taken inside) */
uint32_t pci_cfg_read(struct pci_host *h, struct pci_dev *p, uint32_t off, uint32_t len);
void pci_cfg_write(struct pci_host *h, struct pci_dev *p, uint32_t off, uint32_t len, uint32_t val);
/* RTAS config access by config address (Linux rtas_config_addr()): RTAS status */
int pci_rtas_config(struct machine *m, uint32_t addr, uint32_t size, uint32_t *val, bool is_write);
/* An MMIO exit: true if a BAR owns gpa (data in bus order, little-endian) */
bool pci_mmio_access(struct machine *m, uint64_t gpa, uint8_t *data, uint32_t len, bool is_write);
/* Free the host bridge (the devices belong to their owners) */
void pci_destroy(struct machine *m);

#endif
