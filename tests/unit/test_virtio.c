// SPDX-License-Identifier: MIT
/*
 * virtio-mmio and the virtqueue: a test driver sets a device up through its
 * registers (as Linux's virtio_mmio does), puts descriptor chains in a fake
 * guest RAM and checks what the devices do with them, hostile ones included.
 */
#include <fcntl.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "vmm/console.h"
#include "vmm/machine.h"
#include "vmm/virtio.h"

#define VT_RAM	 (1u << 20)
#define VT_QNUM	 8
#define VT_DESC	 0x1000
#define VT_AVAIL 0x2000
#define VT_USED	 0x3000
#define VT_DATA	 0x10000

static struct machine *vt_machine(void)
{
	struct machine *m = calloc(1, sizeof(*m));

	m->ram = aligned_alloc(4096, VT_RAM);
	memset(m->ram, 0, VT_RAM);
	m->ram_size = VT_RAM;
	return m;
}

static void vt_free(struct machine *m)
{
	virtio_destroy_all(m);
	free(m->ram);
	free(m);
}

static struct virtio_dev *vt_dev(struct machine *m, unsigned int i)
{
	return m->virtio && i < m->virtio->ndevs ? m->virtio->devs[i] : NULL;
}

/* Register access the way the guest bus carries it (little-endian bytes) */
static uint32_t rd(struct machine *m, struct virtio_dev *d, uint32_t off)
{
	uint8_t b[4] = { 0 };

	CHECK(virtio_mmio_access(m, d->base + off, b, 4, false));
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static void wr(struct machine *m, struct virtio_dev *d, uint32_t off, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	CHECK(virtio_mmio_access(m, d->base + off, b, 4, true));
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

static uint32_t get32(struct machine *m, uint64_t a)
{
	return m->ram[a] | m->ram[a + 1] << 8 | m->ram[a + 2] << 16 | (uint32_t)m->ram[a + 3] << 24;
}

/* Queue q's rings at VT_DESC/AVAIL/USED + q * 0x4000 */
static uint64_t qbase(unsigned int q)
{
	return (uint64_t)q * 0x4000;
}

/* Linux's virtio_mmio probe and setup; returns the final status */
static uint32_t vt_setup(struct machine *m, struct virtio_dev *d, unsigned int nq)
{
	unsigned int q;

	wr(m, d, VIRTIO_MMIO_STATUS, 0);
	wr(m, d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VERSION_1 */
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES, 0);
	wr(m, d, VIRTIO_MMIO_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	for (q = 0; q < nq; q++) {
		wr(m, d, VIRTIO_MMIO_QUEUE_SEL, q);
		wr(m, d, VIRTIO_MMIO_QUEUE_NUM, VT_QNUM);
		wr(m, d, VIRTIO_MMIO_QUEUE_DESC_LOW, VT_DESC + qbase(q));
		wr(m, d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
		wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, VT_AVAIL + qbase(q));
		wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
		wr(m, d, VIRTIO_MMIO_QUEUE_USED_LOW, VT_USED + qbase(q));
		wr(m, d, VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
		wr(m, d, VIRTIO_MMIO_QUEUE_READY, 1);
	}
	wr(m, d, VIRTIO_MMIO_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
		   VIRTIO_STATUS_DRIVER_OK);
	return rd(m, d, VIRTIO_MMIO_STATUS);
}

static void desc(struct machine *m, unsigned int q, unsigned int i, uint64_t addr, uint32_t len,
		 uint16_t flags, uint16_t next)
{
	uint64_t a = VT_DESC + qbase(q) + 16 * i;

	put64(m, a, addr);
	put32(m, a + 8, len);
	put16(m, a + 12, flags);
	put16(m, a + 14, next);
}

/* Make head available (the ring's next entry) and notify */
static void avail(struct machine *m, struct virtio_dev *d, unsigned int q, uint16_t head)
{
	uint64_t a = VT_AVAIL + qbase(q);
	uint16_t idx = m->ram[a + 2] | m->ram[a + 3] << 8;

	put16(m, a + 4 + 2 * (idx % VT_QNUM), head);
	put16(m, a + 2, idx + 1);
	wr(m, d, VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

static uint16_t used_idx(struct machine *m, unsigned int q)
{
	uint64_t a = VT_USED + qbase(q);

	return m->ram[a + 2] | m->ram[a + 3] << 8;
}

static uint32_t used_len(struct machine *m, unsigned int q, unsigned int n)
{
	return get32(m, VT_USED + qbase(q) + 4 + 8 * n + 4);
}

static char vt_path[64];

static int vt_image(size_t size)
{
	int fd;

	snprintf(vt_path, sizeof(vt_path), "/tmp/ppcvm-vblk-XXXXXX");
	fd = mkstemp(vt_path);
	if (fd >= 0 && ftruncate(fd, size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(virtio_mmio_registers_and_features)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	uint8_t b[4];

	CHECK_EQ(virtio_rng_create(m), 0);
	d = vt_dev(m, 0);
	CHECK(d != NULL);
	if (!d)
		goto out;
	CHECK_EQ(d->base, VIRTIO_MMIO_BASE);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_MAGIC), 0x74726976);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_VERSION), 2);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTQ_MAX_SIZE);
	wr(m, d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_FEATURES) & 1, 1); /* VERSION_1 */
	/* Not our device's window, and not a 32-bit register access */
	CHECK(!virtio_mmio_access(m, VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE, b, 4, false));
	CHECK(!virtio_mmio_access(m, 0x1000, b, 4, false));
	CHECK(virtio_mmio_access(m, VIRTIO_MMIO_BASE, b, 2, false));
	CHECK_EQ(b[0] | b[1] << 8, 0);

	/* A legacy driver (no VERSION_1) does not get FEATURES_OK */
	wr(m, d, VIRTIO_MMIO_STATUS, 0);
	wr(m, d, VIRTIO_MMIO_STATUS, 3);
	wr(m, d, VIRTIO_MMIO_STATUS, 3 | VIRTIO_STATUS_FEATURES_OK);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* Nor does one asking for a feature we do not offer */
	wr(m, d, VIRTIO_MMIO_STATUS, 0);
	wr(m, d, VIRTIO_MMIO_STATUS, 3);
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(m, d, VIRTIO_MMIO_DRIVER_FEATURES, 1 | 2);
	wr(m, d, VIRTIO_MMIO_STATUS, 3 | VIRTIO_STATUS_FEATURES_OK);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK, 0);
	/* The proper sequence */
	CHECK_EQ(vt_setup(m, d, 1), 0xf);
	wr(m, d, VIRTIO_MMIO_QUEUE_SEL, 0);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_QUEUE_READY), 1);
	/* Reset clears everything */
	wr(m, d, VIRTIO_MMIO_STATUS, 0);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_STATUS), 0);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_QUEUE_READY), 0);
out:
	vt_free(m);
}

TEST(virtio_rng_fills_buffers)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	unsigned int i, zero = 0;

	CHECK_EQ(virtio_rng_create(m), 0);
	d = vt_dev(m, 0);
	CHECK_EQ(vt_setup(m, d, 1), 0xf);
	desc(m, 0, 0, VT_DATA, 64, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(m, 0, 1, VT_DATA + 64, 64, VIRTQ_DESC_F_WRITE, 0);
	avail(m, d, 0, 0);
	CHECK_EQ(used_idx(m, 0), 1);
	CHECK_EQ(used_len(m, 0, 0), 128);
	for (i = 0; i < 128; i++)
		zero += m->ram[VT_DATA + i] == 0;
	CHECK(zero < 16); /* 128 random bytes are not mostly zero */
	/* The used-buffer interrupt is pending until acknowledged */
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_INT_USED);
	wr(m, d, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_INT_USED);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	vt_free(m);
}

/* One block request: header at VT_DATA, data at VT_DATA + 0x100, status */
static uint8_t blk_req(struct machine *m, struct virtio_dev *d, uint32_t type, uint64_t sector,
		       uint32_t len, bool data_in)
{
	uint16_t n = used_idx(m, 0);
	unsigned int i = 0;

	put32(m, VT_DATA, type);
	put32(m, VT_DATA + 4, 0);
	put64(m, VT_DATA + 8, sector);
	m->ram[VT_DATA + 0x80] = 0xee;
	desc(m, 0, i, VT_DATA, 16, VIRTQ_DESC_F_NEXT, i + 1);
	i++;
	if (len) {
		desc(m, 0, i, VT_DATA + 0x100, len,
		     VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0), i + 1);
		i++;
	}
	desc(m, 0, i, VT_DATA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
	avail(m, d, 0, 0);
	CHECK_EQ(used_idx(m, 0), (uint16_t)(n + 1));
	return m->ram[VT_DATA + 0x80];
}

TEST(virtio_blk_read_write_flush_id)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	char err[200], buf[512];
	int fd = vt_image(64 * 512);
	const char *base;

	CHECK(fd >= 0);
	CHECK(pwrite(fd, "sector three", 12, 3 * 512) == 12);
	CHECK_EQ(virtio_blk_create(m, vt_path, false, false, err, sizeof(err)), 0);
	d = vt_dev(m, 0);
	if (!d)
		goto out;
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_CONFIG), 64);			/* capacity in sectors */
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << 5), 0); /* not RO */
	CHECK_EQ(vt_setup(m, d, 1), 0xf);

	/* Read sector 3 */
	CHECK_EQ(blk_req(m, d, 0, 3, 512, true), 0);
	CHECK(!memcmp(m->ram + VT_DATA + 0x100, "sector three", 12));
	CHECK_EQ(used_len(m, 0, 0), 513);
	/* Write sector 5 and find it in the file */
	memset(m->ram + VT_DATA + 0x100, 'w', 1024);
	CHECK_EQ(blk_req(m, d, 1, 5, 1024, false), 0);
	CHECK(pread(fd, buf, 512, 6 * 512) == 512);
	CHECK(buf[0] == 'w' && buf[511] == 'w');
	/* Flush */
	CHECK_EQ(blk_req(m, d, 4, 0, 0, false), 0);
	/* Past the end: sector 63 + 2 sectors, and a huge sector number */
	CHECK_EQ(blk_req(m, d, 0, 63, 1024, true), 1);
	CHECK_EQ(blk_req(m, d, 1, UINT64_MAX / 2, 512, false), 1);
	/* GET_ID: the image's name */
	memset(m->ram + VT_DATA + 0x100, 0, 32);
	CHECK_EQ(blk_req(m, d, 8, 0, 20, true), 0);
	base = strrchr(vt_path, '/') + 1;
	CHECK(!memcmp(m->ram + VT_DATA + 0x100, base, strlen(base)));
	/* Unknown request type */
	CHECK_EQ(blk_req(m, d, 99, 0, 0, false), 2);
out:
	vt_free(m);
	if (fd >= 0)
		close(fd);
	unlink(vt_path);
}

TEST(virtio_blk_read_only_image)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	char err[200], buf[16];
	int fd = vt_image(8 * 512);

	CHECK(pwrite(fd, "keep", 4, 0) == 4);
	CHECK_EQ(virtio_blk_create(m, vt_path, true, false, err, sizeof(err)), 0);
	d = vt_dev(m, 0);
	if (!d)
		goto out;
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << 5), 1u << 5);
	CHECK_EQ(vt_setup(m, d, 1), 0xf);
	memset(m->ram + VT_DATA + 0x100, 'x', 512);
	CHECK_EQ(blk_req(m, d, 1, 0, 512, false), 1); /* IOERR */
	CHECK(pread(fd, buf, 4, 0) == 4 && !memcmp(buf, "keep", 4));
	CHECK_EQ(blk_req(m, d, 0, 0, 512, true), 0);
	CHECK(!memcmp(m->ram + VT_DATA + 0x100, "keep", 4));
out:
	vt_free(m);
	close(fd);
	unlink(vt_path);
}

TEST(virtio_blk_iothread)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	char err[200];
	int fd = vt_image(8 * 512), i;

	CHECK(pwrite(fd, "iothread", 8, 512) == 8);
	CHECK_EQ(virtio_blk_create(m, vt_path, false, true, err, sizeof(err)), 0);
	d = vt_dev(m, 0);
	if (!d)
		goto out;
	CHECK_EQ(vt_setup(m, d, 1), 0xf);
	put32(m, VT_DATA, 0);
	put64(m, VT_DATA + 8, 1);
	desc(m, 0, 0, VT_DATA, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(m, 0, 1, VT_DATA + 0x100, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(m, 0, 2, VT_DATA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
	m->ram[VT_DATA + 0x80] = 0xee;
	avail(m, d, 0, 0);
	/* The notify only kicks the iothread: wait for it (up to 2 s) */
	for (i = 0; i < 200 && __atomic_load_n(&m->ram[VT_USED + 2], __ATOMIC_ACQUIRE) != 1; i++)
		usleep(10000);
	CHECK_EQ(used_idx(m, 0), 1);
	CHECK_EQ(m->ram[VT_DATA + 0x80], 0);
	CHECK(!memcmp(m->ram + VT_DATA + 0x100, "iothread", 8));
out:
	vt_free(m);
	close(fd);
	unlink(vt_path);
}

TEST(virtio_blk_bad_images)
{
	struct machine *m = vt_machine();
	char err[200];

	CHECK(virtio_blk_create(m, "/nonexistent/ppcvm.img", false, false, err, sizeof(err)) < 0);
	CHECK(strstr(err, "cannot open") != NULL);
	CHECK(virtio_blk_create(m, "/tmp", true, false, err, sizeof(err)) < 0);
	CHECK(m->virtio == NULL || m->virtio->ndevs == 0);
	vt_free(m);
}

/* Expect the device to refuse the chain at head and mark itself broken */
static void expect_broken(struct machine *m, struct virtio_dev *d, uint16_t head)
{
	uint16_t n = used_idx(m, 0);

	avail(m, d, 0, head);
	CHECK_EQ(used_idx(m, 0), n);
	CHECK(rd(m, d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK(rd(m, d, VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_INT_CONFIG);
	/* Further notifies are ignored until reset */
	desc(m, 0, 0, VT_DATA, 16, VIRTQ_DESC_F_WRITE, 0);
	avail(m, d, 0, 0);
	CHECK_EQ(used_idx(m, 0), n);
}

static void hostile_reset(struct machine *m, struct virtio_dev *d)
{
	memset(m->ram, 0, VT_DATA);
	CHECK_EQ(vt_setup(m, d, 1), 0xf);
}

TEST(virtio_hostile_descriptors)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;

	CHECK_EQ(virtio_rng_create(m), 0);
	d = vt_dev(m, 0);

	/* A loop: 0 -> 1 -> 0 */
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(m, 0, 1, VT_DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
	expect_broken(m, d, 0);
	/* A self loop */
	hostile_reset(m, d);
	desc(m, 0, 3, VT_DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
	expect_broken(m, d, 3);
	/* Head beyond the table, next beyond the table */
	hostile_reset(m, d);
	expect_broken(m, d, VT_QNUM);
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0xffff);
	expect_broken(m, d, 0);
	/* Buffers outside RAM, wrapping around, or huge */
	hostile_reset(m, d);
	desc(m, 0, 0, VT_RAM - 4, 8, VIRTQ_DESC_F_WRITE, 0);
	expect_broken(m, d, 0);
	hostile_reset(m, d);
	desc(m, 0, 0, UINT64_MAX - 3, 8, VIRTQ_DESC_F_WRITE, 0);
	expect_broken(m, d, 0);
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 0xffffffffu, VIRTQ_DESC_F_WRITE, 0);
	expect_broken(m, d, 0);
	/* Readable after writable; indirect (not negotiated) */
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(m, 0, 1, VT_DATA, 8, 0, 0);
	expect_broken(m, d, 0);
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
	expect_broken(m, d, 0);
	/* The avail index jumping further than the ring holds */
	hostile_reset(m, d);
	put16(m, VT_AVAIL + 2, 100);
	wr(m, d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	CHECK(rd(m, d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(used_idx(m, 0), 0);

	/* After a reset a good chain works again */
	hostile_reset(m, d);
	desc(m, 0, 0, VT_DATA, 8, VIRTQ_DESC_F_WRITE, 0);
	avail(m, d, 0, 0);
	CHECK_EQ(used_idx(m, 0), 1);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_STATUS), 0xf);
	vt_free(m);
}

TEST(virtio_hostile_queue_setup)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	static const struct {
		uint32_t num;
		uint64_t desc, avail, used;
	} bad[] = {
		{ 0, VT_DESC, VT_AVAIL, VT_USED },	  /* empty */
		{ 6, VT_DESC, VT_AVAIL, VT_USED },	  /* not a power of 2 */
		{ 512, VT_DESC, VT_AVAIL, VT_USED },	  /* above QueueNumMax */
		{ 8, VT_RAM - 64, VT_AVAIL, VT_USED },	  /* desc past RAM */
		{ 8, VT_DESC, 1ull << 40, VT_USED },	  /* avail not RAM */
		{ 8, VT_DESC, VT_AVAIL, UINT64_MAX - 7 }, /* used wraps */
		{ 8, VT_DESC + 8, VT_AVAIL, VT_USED },	  /* misaligned */
	};
	unsigned int i;

	CHECK_EQ(virtio_rng_create(m), 0);
	d = vt_dev(m, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr(m, d, VIRTIO_MMIO_STATUS, 0);
		wr(m, d, VIRTIO_MMIO_QUEUE_SEL, 0);
		wr(m, d, VIRTIO_MMIO_QUEUE_NUM, bad[i].num);
		wr(m, d, VIRTIO_MMIO_QUEUE_DESC_LOW, bad[i].desc);
		wr(m, d, VIRTIO_MMIO_QUEUE_DESC_HIGH, bad[i].desc >> 32);
		wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, bad[i].avail);
		wr(m, d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, bad[i].avail >> 32);
		wr(m, d, VIRTIO_MMIO_QUEUE_USED_LOW, bad[i].used);
		wr(m, d, VIRTIO_MMIO_QUEUE_USED_HIGH, bad[i].used >> 32);
		wr(m, d, VIRTIO_MMIO_QUEUE_READY, 1);
		CHECK_EQ(rd(m, d, VIRTIO_MMIO_QUEUE_READY), 0);
	}
	/* A queue selector beyond the device's queues reads as absent */
	wr(m, d, VIRTIO_MMIO_QUEUE_SEL, 7);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	wr(m, d, VIRTIO_MMIO_QUEUE_NOTIFY, 0x12345);
	vt_free(m);
}

static void quit_nop(void *opaque)
{
}

TEST(virtio_console_output)
{
	struct machine *m = vt_machine();
	struct virtio_dev *d;
	int in[2], out[2];
	char buf[32] = { 0 };

	CHECK(pipe(in) == 0 && pipe(out) == 0);
	CHECK_EQ(console_open(&m->con, in[0], out[1], quit_nop, NULL), 0);
	CHECK_EQ(virtio_console_create(m, false), 0);
	d = vt_dev(m, 0);
	CHECK_EQ(rd(m, d, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	CHECK_EQ(vt_setup(m, d, 2), 0xf);
	memcpy(m->ram + VT_DATA, "hello ", 6);
	memcpy(m->ram + VT_DATA + 0x40, "hvc1\n", 5);
	/* Queue 1 is the transmit queue */
	put64(m, VT_DESC + qbase(1), VT_DATA);
	put32(m, VT_DESC + qbase(1) + 8, 6);
	put16(m, VT_DESC + qbase(1) + 12, VIRTQ_DESC_F_NEXT);
	put16(m, VT_DESC + qbase(1) + 14, 1);
	put64(m, VT_DESC + qbase(1) + 16, VT_DATA + 0x40);
	put32(m, VT_DESC + qbase(1) + 24, 5);
	avail(m, d, 1, 0);
	CHECK_EQ(used_idx(m, 1), 1);
	CHECK(read(out[0], buf, sizeof(buf) - 1) == 11);
	CHECK(!strcmp(buf, "hello hvc1\n"));
	virtio_destroy_all(m);
	console_close(m->con);
	m->con = NULL;
	vt_free(m);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
}

TEST(virtio_fdt_nodes)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	static uint8_t fdt[FDT_MAX_SIZE];
	char err[200];
	const fdt32_t *p;
	int node, len, count = 0;

	CHECK_EQ(machine_init_tables(m, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(virtio_console_create(m, false), 0);
	CHECK_EQ(virtio_rng_create(m), 0);
	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	node = fdt_path_offset(fdt, "/virtio_mmio@3f0000001000");
	CHECK(node >= 0);
	if (node >= 0) {
		CHECK(!strcmp(fdt_getprop(fdt, node, "compatible", NULL), "virtio,mmio"));
		p = fdt_getprop(fdt, node, "reg", &len);
		CHECK_EQ(len, 16);
		if (p && len == 16) {
			CHECK_EQ(fdt32_to_cpu(p[0]), 0x3f00);
			CHECK_EQ(fdt32_to_cpu(p[1]), 0x1000);
			CHECK_EQ(fdt32_to_cpu(p[3]), VIRTIO_MMIO_SIZE);
		}
		p = fdt_getprop(fdt, node, "interrupts", &len);
		CHECK_EQ(len, 8);
		if (p && len == 8)
			CHECK_EQ(fdt32_to_cpu(p[0]), m->virtio->devs[1]->irq);
	}
	for (node = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "virtio,mmio"))
		count++;
	CHECK_EQ(count, 2);
	virtio_destroy_all(m);
	free(m);
}
