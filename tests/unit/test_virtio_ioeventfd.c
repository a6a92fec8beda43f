// SPDX-License-Identifier: MIT
/*
 * virtio-blk's queue notify bound to its iothread's eventfd with
 * ppcvm_ioeventfd: a real VM runs a guest store to the notify address and
 * the request completes with no MMIO exit to the VMM (the transport's notify
 * path counts every exit it sees: d->notify_exits). virtio-mmio binds
 * QueueNotify with datamatch (another queue's value still exits); virtio-pci
 * follows the guest's BAR and memory decoding through config writes made
 * by RTAS, unbinding the old address; a reboot (new VM) binds again.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "mmio_env.h"
#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/virtio.h"

#define IV_RAM	  (1u << 20)
#define IV_CODE	  0x8000
#define IV_DESC	  0x1000
#define IV_AVAIL  0x2000
#define IV_USED	  0x3000
#define IV_DATA	  0x10000
#define IV_QNUM	  16
#define IV_BAR4	  0x20
#define IV_NOTIFY 0x3000

static char iv_path[64];

/* An 8-sector image; sector s starts with "sector<s>" */
static int iv_image(void)
{
	int fd, s;

	snprintf(iv_path, sizeof(iv_path), "/tmp/ppcvm-iveventfd-XXXXXX");
	fd = mkstemp(iv_path);
	if (fd < 0 || ftruncate(fd, 8 * 512) < 0)
		return -1;
	for (s = 0; s < 8; s++) {
		char t[24];

		snprintf(t, sizeof(t), "sector%d", s);
		if (pwrite(fd, t, strlen(t), 512 * s) < 0)
			return -1;
	}
	return fd;
}

/* A VM on m's RAM (slot 0) with one vCPU; every vector is "sc 1" */
static struct ppcvm_vcpu *iv_vm(struct machine *m)
{
	struct ppcvm_vcpu *v = NULL;
	unsigned int i;

	for (i = 0x100; i < 0x1000; i += 0x20)
		me_put32(m->ram + i, I_SC1);
	if (ppcvm_vm_create(&m->vm) || ppcvm_set_memslot(m->vm, 0, 0, m->ram_size, m->ram, 0) ||
	    ppcvm_vcpu_create(m->vm, 0, &v))
		return NULL;
	return v;
}

/*
 * The guest stores len (2 or 4) bytes of val (big-endian, real mode) at
 * addr, then sc 1. MMIO exits are served as machine_mmio does; returns
 * their number.
 */
static unsigned int iv_store(struct machine *m, struct ppcvm_vcpu *v, uint64_t addr,
			     unsigned int len, uint64_t val)
{
	struct ppcvm_run *run = ppcvm_vcpu_run_data(v);
	struct ppcvm_regs regs;
	uint8_t w[4];
	unsigned int exits = 0;

	/* sth/stw r6,0(r4); sc 1 */
	me_put32(w, I_D(len == 2 ? 44u : 36u, 6u, 4u, 0));
	ppcvm_write_phys(m->vm, IV_CODE, w, 4);
	me_put32(w, I_SC1);
	ppcvm_write_phys(m->vm, IV_CODE + 4, w, 4);
	ppcvm_vcpu_get_regs(v, &regs);
	regs.pc = IV_CODE;
	regs.msr = 0x8000000000001000ull;
	regs.gpr[4] = addr;
	regs.gpr[6] = val;
	ppcvm_vcpu_set_regs(v, &regs);
	for (;;) {
		CHECK_EQ(ppcvm_vcpu_run(v), 0);
		if (run->exit_reason != PPCVM_EXIT_MMIO)
			break;
		exits++;
		CHECK(run->mmio.is_write);
		CHECK_EQ(run->mmio.phys_addr, addr);
		if (!virtio_mmio_access(m, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
					true))
			pci_mmio_access(m, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
					true);
		if (exits > 4)
			break;
	}
	CHECK_EQ(run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(v, &regs);
	CHECK_EQ(regs.pc, IV_CODE + 8);
	return exits;
}

static void put16(struct machine *m, uint64_t a, uint16_t v)
{
	m->ram[a] = v;
	m->ram[a + 1] = v >> 8;
}

static void put32(struct machine *m, uint64_t a, uint32_t v)
{
	put16(m, a, v);
	put16(m, a + 2, v >> 16);
}

static void put64(struct machine *m, uint64_t a, uint64_t v)
{
	put32(m, a, v);
	put32(m, a + 4, v >> 32);
}

static uint16_t used_idx(struct machine *m)
{
	return __atomic_load_n(&m->ram[IV_USED + 2], __ATOMIC_ACQUIRE) | m->ram[IV_USED + 3] << 8;
}

/* Request n (0, 1, ...): read sector s into IV_DATA + 0x200 * n, made available */
static void iv_read_req(struct machine *m, unsigned int n, unsigned int s)
{
	uint64_t hdr = IV_DATA + 0x1000 + 0x20 * n, st = hdr + 0x10;
	unsigned int dsc = 3 * n;

	put32(m, hdr, 0); /* VIRTIO_BLK_T_IN */
	put32(m, hdr + 4, 0);
	put64(m, hdr + 8, s);
	m->ram[st] = 0xee;
	memset(m->ram + IV_DATA + 0x200 * n, 0, 512);
#define IV_DESC_AT(i, a, l, f, nx)                                             \
	(put64(m, IV_DESC + 16 * (i), a), put32(m, IV_DESC + 16 * (i) + 8, l), \
	 put16(m, IV_DESC + 16 * (i) + 12, f), put16(m, IV_DESC + 16 * (i) + 14, nx))
	IV_DESC_AT(dsc, hdr, 16, VIRTQ_DESC_F_NEXT, dsc + 1);
	IV_DESC_AT(dsc + 1, IV_DATA + 0x200 * n, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
		   dsc + 2);
	IV_DESC_AT(dsc + 2, st, 1, VIRTQ_DESC_F_WRITE, 0);
#undef IV_DESC_AT
	put16(m, IV_AVAIL + 4 + 2 * (n % IV_QNUM), dsc);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	put16(m, IV_AVAIL + 2, n + 1);
}

/* The iothread completes request n (up to 2 s); its data and status are right */
static bool iv_done(struct machine *m, unsigned int n, unsigned int s)
{
	char t[16];
	int i;

	for (i = 0; i < 200 && used_idx(m) != n + 1; i++)
		usleep(10000);
	snprintf(t, sizeof(t), "sector%u", s);
	return used_idx(m) == n + 1 && m->ram[IV_DATA + 0x1000 + 0x20 * n + 0x10] == 0 &&
	       !memcmp(m->ram + IV_DATA + 0x200 * n, t, strlen(t));
}

static void mmio_wr(struct machine *m, struct virtio_dev *d, uint32_t off, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	CHECK(virtio_mmio_access(m, d->base + off, b, 4, true));
}

TEST(virtio_blk_mmio_notify_ioeventfd_no_exit)
{
	struct machine *m = calloc(1, sizeof(*m));
	uint64_t notify;
	struct ppcvm_vcpu *v;
	struct virtio_dev *d;
	char err[200];
	int fd = iv_image();

	m->ram = aligned_alloc(4096, IV_RAM);
	memset(m->ram, 0, IV_RAM);
	m->ram_size = IV_RAM;
	CHECK(fd >= 0);
	CHECK_EQ(virtio_blk_create(m, iv_path, false, true, err, sizeof(err)), 0);
	d = m->virtio->devs[0];
	notify = d->base + VIRTIO_MMIO_QUEUE_NOTIFY;
	v = iv_vm(m);
	CHECK(v != NULL);
	if (!v)
		goto out;
	/* Linux's virtio_mmio setup, as exits the VMM serves */
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0);
	CHECK(d->efd_vm == m->vm && d->efd_addr[0] == notify);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 3);
	mmio_wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	mmio_wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0xb);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_SEL, 0);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_NUM, IV_QNUM);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_DESC_LOW, IV_DESC);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, IV_AVAIL);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_USED_LOW, IV_USED);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_READY, 1);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0xf);

	/* The guest's notify of queue 0 (LE 0): no exit, the iothread serves it */
	iv_read_req(m, 0, 3);
	CHECK_EQ(iv_store(m, v, notify, 4, 0), 0u);
	CHECK(iv_done(m, 0, 3));
	CHECK_EQ(d->notify_exits, 0u);
	/* Datamatch: queue 1's value (LE 1) is not the binding's; it exits */
	CHECK_EQ(iv_store(m, v, notify, 4, 0x01000000), 1u);
	CHECK_EQ(d->notify_exits, 1u);

	/* A reboot: the VM goes (and its bindings), devices reset, a new VM */
	ppcvm_vm_destroy(m->vm);
	m->vm = NULL;
	virtio_reset_all(m);
	CHECK(d->efd_vm == NULL && d->efd_addr[0] == 0);
	v = iv_vm(m);
	CHECK(v != NULL);
	if (!v)
		goto out;
	memset(m->ram + IV_USED, 0, 16);
	memset(m->ram + IV_AVAIL, 0, 16);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0); /* the first exit binds again */
	CHECK(d->efd_vm == m->vm && d->efd_addr[0] == notify);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 3);
	mmio_wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	mmio_wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0xb);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_NUM, IV_QNUM);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_DESC_LOW, IV_DESC);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, IV_AVAIL);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_USED_LOW, IV_USED);
	mmio_wr(m, d, VIRTIO_MMIO_QUEUE_READY, 1);
	mmio_wr(m, d, VIRTIO_MMIO_STATUS, 0xf);
	iv_read_req(m, 0, 5);
	CHECK_EQ(iv_store(m, v, notify, 4, 0), 0u);
	CHECK(iv_done(m, 0, 5));
	CHECK_EQ(d->notify_exits, 1u);
out:
	/* Unbinds in the live VM, then stops the iothread and closes its fd */
	virtio_destroy_all(m);
	if (m->vm)
		ppcvm_vm_destroy(m->vm);
	free(m->ram);
	free(m);
	close(fd);
	unlink(iv_path);
}

/* A config write the way the guest makes it: RTAS write-pci-config */
static void rtas_cfg_wr(struct machine *m, unsigned int slot, uint32_t reg, uint32_t size,
			uint32_t val)
{
	uint32_t args[3] = { (slot << 11) | reg, size, val }, ret = ~0u;
	unsigned int i;

	for (i = 0; i < m->nr_rtas && m->rtas[i].token != RTAS_WRITE_PCI_CONFIG; i++)
		;
	CHECK(i < m->nr_rtas);
	if (i == m->nr_rtas)
		return;
	m->rtas[i].fn(m, NULL, RTAS_WRITE_PCI_CONFIG, 3, args, 1, &ret);
	CHECK_EQ(ret, (uint32_t)RTAS_OUT_SUCCESS);
}

static void bar_wr(struct machine *m, uint64_t gpa, uint32_t len, uint64_t v)
{
	uint8_t b[8];
	uint32_t i;

	for (i = 0; i < len; i++)
		b[i] = v >> (8 * i);
	CHECK(pci_mmio_access(m, gpa, b, len, true));
}

/* Is queue 0's ioeventfd bound at addr in m->vm? (removing it proves it) */
static bool bound_at(struct machine *m, struct virtio_dev *d, uint64_t addr, int efd)
{
	if (ppcvm_ioeventfd(m->vm, addr, 0, efd, 0, PPCVM_IOEVENTFD_DEASSIGN))
		return false;
	CHECK_EQ(ppcvm_ioeventfd(m->vm, addr, 0, efd, 0, 0), 0);
	return true;
}

TEST(virtio_blk_pci_notify_ioeventfd_follows_bar)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	uint64_t bar = PCI_MEM_BASE, c = bar + 0, moved = PCI_MEM_BASE + 0x800000;
	struct ppcvm_vcpu *v;
	struct virtio_dev *d;
	char err[200];
	int fd = iv_image(), efd;

	CHECK(fd >= 0);
	cfg.disk = iv_path;
	CHECK_EQ(machine_init_tables(m, &cfg, err, sizeof(err)), 0);
	m->ram = aligned_alloc(4096, IV_RAM);
	memset(m->ram, 0, IV_RAM);
	m->ram_size = IV_RAM;
	CHECK_EQ(virtio_machine_init(m, err, sizeof(err)), 0);
	d = m->virtio->devs[0]; /* the disk, in slot 0 */
	CHECK(d->pci && d->ops->device_id == VIRTIO_ID_BLOCK);
	efd = d->ops->queue_eventfd(d, 0);
	CHECK(efd >= 0);
	v = iv_vm(m);
	CHECK(v != NULL);
	if (!v)
		goto out;
	/* Memory decoding off: nothing bound; on: bound in the BAR */
	rtas_cfg_wr(m, 0, PCI_COMMAND, 2, 0);
	CHECK_EQ(d->efd_addr[0], 0u);
	rtas_cfg_wr(m, 0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(d->efd_addr[0], bar + IV_NOTIFY);
	CHECK(bound_at(m, d, bar + IV_NOTIFY, efd));
	/* Linux's virtio_pci_modern setup, as exits the VMM serves */
	bar_wr(m, c + 0x14, 1, 0);
	bar_wr(m, c + 0x14, 1, 3);
	bar_wr(m, c + 0x08, 4, 1);
	bar_wr(m, c + 0x0c, 4, 1);
	bar_wr(m, c + 0x14, 1, 0xb);
	bar_wr(m, c + 0x16, 2, 0);
	bar_wr(m, c + 0x18, 2, IV_QNUM);
	bar_wr(m, c + 0x20, 8, IV_DESC);
	bar_wr(m, c + 0x28, 8, IV_AVAIL);
	bar_wr(m, c + 0x30, 8, IV_USED);
	bar_wr(m, c + 0x1c, 2, 1);
	bar_wr(m, c + 0x14, 1, 0xf);

	/* Linux's vp_notify: a 16-bit store of the queue index; no exit */
	iv_read_req(m, 0, 2);
	CHECK_EQ(iv_store(m, v, bar + IV_NOTIFY, 2, 0), 0u);
	CHECK(iv_done(m, 0, 2));
	CHECK_EQ(d->notify_exits, 0u);

	/* The guest moves the BAR: the old address is unbound, the new bound */
	rtas_cfg_wr(m, 0, IV_BAR4, 4, (uint32_t)moved);
	rtas_cfg_wr(m, 0, IV_BAR4 + 4, 4, moved >> 32);
	CHECK_EQ(d->efd_addr[0], moved + IV_NOTIFY);
	CHECK(!bound_at(m, d, bar + IV_NOTIFY, efd));
	CHECK(bound_at(m, d, moved + IV_NOTIFY, efd));
	/* A store to the old place exits (nobody decodes it), no notify */
	CHECK_EQ(iv_store(m, v, bar + IV_NOTIFY, 2, 0), 1u);
	CHECK_EQ(d->notify_exits, 0u);
	iv_read_req(m, 1, 6);
	CHECK_EQ(iv_store(m, v, moved + IV_NOTIFY, 2, 0), 0u);
	CHECK(iv_done(m, 1, 6));
	CHECK_EQ(d->notify_exits, 0u);

	/* Decoding off: unbound, a store exits and notifies nobody */
	rtas_cfg_wr(m, 0, PCI_COMMAND, 2, 0);
	CHECK_EQ(d->efd_addr[0], 0u);
	CHECK(!bound_at(m, d, moved + IV_NOTIFY, efd));
	CHECK_EQ(iv_store(m, v, moved + IV_NOTIFY, 2, 0), 1u);
	CHECK_EQ(d->notify_exits, 0u);
	/* On again: bound, and the exit path still works for what is unbound */
	rtas_cfg_wr(m, 0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK(bound_at(m, d, moved + IV_NOTIFY, efd));
	iv_read_req(m, 2, 7);
	CHECK_EQ(ppcvm_ioeventfd(m->vm, moved + IV_NOTIFY, 0, efd, 0, PPCVM_IOEVENTFD_DEASSIGN), 0);
	CHECK_EQ(iv_store(m, v, moved + IV_NOTIFY, 2, 0), 1u);
	CHECK(iv_done(m, 2, 7));
	CHECK_EQ(d->notify_exits, 1u);
out:
	virtio_destroy_all(m);
	pci_destroy(m);
	if (m->vm)
		ppcvm_vm_destroy(m->vm);
	free(m->ram);
	free(m);
	close(fd);
	unlink(iv_path);
}
