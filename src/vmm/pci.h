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
 *    PHB's interrupt-map;
 *  - MSI-X (PCI 3.0 6.8.2) as QEMU's spapr_pci gives it: the guest asks
 *    ibm,change-msi for n vectors, the PHB takes n edge XICS sources and
 *    writes each table entry (address PCI_MSI_WINDOW, data = the source);
 *    ibm,query-interrupt-source-number names the source of a vector. A
 *    function "writes" a message in-process (pci_msix_notify): the PHB
 *    raises the source if the message is one it handed out;
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
/* Ours (QEMU's numbers are taken by nvram here): PAPR 7.3.10.5 */
#define RTAS_IBM_QUERY_INTR_SOURCE 0x201a
#define RTAS_IBM_CHANGE_MSI	   0x201b

/* ibm,change-msi function numbers and result types (Linux pseries/msi.c) */
#define RTAS_CHANGE_FN	     1 /* MSI if the function has it, else MSI-X */
#define RTAS_CHANGE_MSI_FN   3
#define RTAS_CHANGE_MSIX_FN  4
#define RTAS_CHANGE_32MSI_FN 5
#define RTAS_TYPE_MSI	     1
#define RTAS_TYPE_MSIX	     2

/* Where MSI messages go: QEMU's SPAPR_PCI_MSI_WINDOW (not RAM, not MMIO) */
#define PCI_MSI_WINDOW 0x40000000000ull
/* Vectors of one function's MSI-X table */
#define PCI_MSIX_MAX 16
/* MSI-X capability (PCI 3.0 6.8.2) */
#define PCI_CAP_ID_MSIX	       0x11
#define PCI_MSIX_FLAGS	       2 /* message control */
#define PCI_MSIX_FLAGS_MASKALL 0x4000
#define PCI_MSIX_FLAGS_ENABLE  0x8000
#define PCI_MSIX_ENTRY_SIZE    16
#define PCI_MSIX_ENTRY_CTRL    12
#define PCI_MSIX_ENTRY_MASKED  1

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
	/* MSI-X (pci_dev_add_msix), guarded by the host's lock */
	unsigned int msix_cap;	/* config offset of the capability, 0: none */
	unsigned int msix_nvec; /* table entries */
	unsigned int msix_bar;	/* the BAR holding table and PBA */
	uint32_t msix_table_off, msix_pba_off;
	uint8_t msix_table[PCI_MSIX_MAX * PCI_MSIX_ENTRY_SIZE];
	uint32_t msix_pba; /* pending bits */
	/* The XICS sources ibm,change-msi gave the function (msi_num 0: none) */
	uint32_t msi_first, msi_num;
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
/*
 * An MSI-X capability at config offset pos (next: the capability after it)
 * for nvec (<= PCI_MSIX_MAX) vectors whose table and PBA are at table_off /
 * pba_off (8-byte aligned) of BAR bar; pci_mmio_access serves them. Call
 * after pci_dev_init. Vectors start masked, MSI-X disabled.
 */
void pci_dev_add_msix(struct pci_dev *p, unsigned int pos, unsigned int next, unsigned int nvec,
		      unsigned int bar, uint32_t table_off, uint32_t pba_off);
/* MSI-X enabled in the message control (the function must not use INTx) */
bool pci_msix_enabled(struct pci_host *h, struct pci_dev *p);
/*
 * The function signals vector vec (PCI 3.0 6.8.3.4): with the vector or the
 * function masked the PBA bit is set and the message waits for the unmask;
 * else the message is sent. False if MSI-X is off (the caller uses INTx).
 */
bool pci_msix_notify(struct pci_host *h, struct pci_dev *p, unsigned int vec);
/* A message reaching the PHB: raises data's source if it is in owner's block */
void pci_msi_write(struct pci_host *h, struct pci_dev *owner, uint64_t addr, uint32_t data);
/* Free the host bridge (the devices belong to their owners) */
void pci_destroy(struct machine *m);
/* Reboot: MSI-X disabled, vectors masked, interrupt sources released */
void pci_reset_msi(struct machine *m);

#endif
