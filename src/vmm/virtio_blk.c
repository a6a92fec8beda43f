// SPDX-License-Identifier: MIT
/*
 * virtio-blk (virtio 1.1 section 5.2) on a raw image file. Requests are done
 * by an iothread woken through an eventfd. The transport binds the queue's
 * notify address to it with ppcvm_ioeventfd (queue_eventfd), so a guest
 * notify signals it from the vCPU inside the library with no exit to the
 * VMM, as KVM's ioeventfd; a notify that still exits (before the binding
 * exists) signals it from blk_notify. Without an iothread requests are done
 * in blk_notify on the vCPU thread. Flush is fsync; a read-only image offers
 * VIRTIO_BLK_F_RO and fails writes with IOERR.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/machine.h"
#include "vmm/virtio.h"

#define VIRTIO_BLK_F_SEG_MAX  (1ull << 2)
#define VIRTIO_BLK_F_RO	      (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH    (1ull << 9)

#define VIRTIO_BLK_T_IN	    0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK	    0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define SECTOR	     512u
#define BLK_ID_BYTES 20

struct vblk {
	int fd;
	bool ro;
	uint64_t size; /* bytes, a whole number of sectors */
	char id[BLK_ID_BYTES];
	int efd; /* the queue's notify eventfd, -1 without an iothread */
	pthread_t thread;
	bool thread_started;
	bool stop;
	struct virtq_req req; /* used by one thread at a time */
};

static int do_io(int fd, bool write, uint8_t *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = write ? pwrite(fd, p, len, off) : pread(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (write)
				return -EIO;
			memset(p, 0, len); /* past the end of a shrunk file */
			return 0;
		}
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

/* Move len bytes between the image at off and the chain's buffers */
static int blk_rw(struct vblk *b, const struct virtq_req *req, bool write, uint64_t skip,
		  uint64_t len, uint64_t off)
{
	const struct virtq_buf *bufs = write ? req->out : req->in;
	unsigned int i, n = write ? req->nout : req->nin;
	int ret;

	for (i = 0; i < n && len; i++) {
		uint64_t blen = bufs[i].len, chunk;

		if (skip >= blen) {
			skip -= blen;
			continue;
		}
		chunk = blen - skip;
		if (chunk > len)
			chunk = len;
		ret = do_io(b->fd, write, bufs[i].p + skip, chunk, off);
		if (ret)
			return ret;
		off += chunk;
		len -= chunk;
		skip = 0;
	}
	return 0;
}

/* One request: returns the bytes written into the writable buffers */
static uint32_t blk_request(struct vblk *b, const struct virtq_req *req)
{
	uint8_t hdr[16], status;
	uint32_t type;
	uint64_t sector, len = 0, written = 0;

	/* Without a header and a status byte there is nothing to answer */
	if (virtq_req_read(req, 0, hdr, sizeof(hdr)) != sizeof(hdr) || req->in_len < 1)
		return 0;
	type = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
	sector = 0;
	for (int i = 7; i >= 0; i--)
		sector = sector << 8 | hdr[8 + i];

	switch (type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT: {
		bool wr = type == VIRTIO_BLK_T_OUT;

		len = wr ? req->out_len - sizeof(hdr) : req->in_len - 1;
		if (wr && b->ro) {
			status = VIRTIO_BLK_S_IOERR;
			break;
		}
		/* sector * 512 + len <= size, without overflow */
		if (sector > b->size / SECTOR || len > b->size - sector * SECTOR) {
			status = VIRTIO_BLK_S_IOERR;
			len = 0;
			break;
		}
		status = blk_rw(b, req, wr, wr ? sizeof(hdr) : 0, len, sector * SECTOR)
				 ? VIRTIO_BLK_S_IOERR
				 : VIRTIO_BLK_S_OK;
		if (!wr)
			written = len;
		break;
	}
	case VIRTIO_BLK_T_FLUSH:
		status = (b->ro || fsync(b->fd) == 0) ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_GET_ID:
		written = virtq_req_write(req, 0, b->id,
					  req->in_len - 1 < BLK_ID_BYTES ? req->in_len - 1
									 : BLK_ID_BYTES);
		status = VIRTIO_BLK_S_OK;
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	virtq_req_write(req, req->in_len - 1, &status, 1);
	return written + 1;
}

static void blk_process(struct virtio_dev *d)
{
	struct vblk *b = d->priv;

	while (virtq_pop(d, 0, &b->req) == 1)
		virtq_push(d, 0, &b->req, blk_request(b, &b->req));
}

static void *blk_iothread(void *arg)
{
	struct virtio_dev *d = arg;
	struct vblk *b = d->priv;
	uint64_t v;

	for (;;) {
		ssize_t n = read(b->efd, &v, sizeof(v));

		if (n < 0 && errno == EINTR)
			continue;
		if (__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE))
			return NULL;
		blk_process(d);
	}
}

static void blk_notify(struct virtio_dev *d, unsigned int q)
{
	struct vblk *b = d->priv;
	uint64_t one = 1;

	if (b->efd < 0) {
		blk_process(d);
		return;
	}
	while (write(b->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static int blk_queue_eventfd(struct virtio_dev *d, unsigned int q)
{
	struct vblk *b = d->priv;

	return b && q == 0 ? b->efd : -1;
}

/* The transport has unbound the eventfd already (virtio_destroy_all) */
static void blk_destroy(struct virtio_dev *d)
{
	struct vblk *b = d->priv;
	uint64_t one = 1;

	if (!b)
		return;
	if (b->thread_started) {
		__atomic_store_n(&b->stop, true, __ATOMIC_RELEASE);
		if (write(b->efd, &one, sizeof(one)) < 0)
			perror("ppcvm: virtio-blk: waking the iothread");
		pthread_join(b->thread, NULL);
	}
	if (b->efd >= 0)
		close(b->efd);
	if (b->fd >= 0)
		close(b->fd);
	free(b);
	d->priv = NULL;
}

static const struct virtio_ops blk_ops = {
	.name = "blk",
	.device_id = VIRTIO_ID_BLOCK,
	.nqueues = 1,
	.notify = blk_notify,
	.destroy = blk_destroy,
	.queue_eventfd = blk_queue_eventfd,
};

int virtio_blk_create(struct machine *m, const char *path, bool ro, bool iothread, char *err,
		      size_t errlen)
{
	struct virtio_dev *d;
	struct vblk *b;
	struct stat st;
	const char *base;
	off_t end;
	int ret, i;

	d = calloc(1, sizeof(*d));
	b = calloc(1, sizeof(*b));
	if (!d || !b) {
		free(d);
		free(b);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	b->efd = -1;
	b->ro = ro;
	b->fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (b->fd < 0) {
		ret = -errno;
		if (!ro && (errno == EACCES || errno == EROFS || errno == EPERM) &&
		    access(path, R_OK) == 0)
			snprintf(err, errlen,
				 "disk image '%s' is read-only: %s (add ,ro to open it read-only)",
				 path, strerror(-ret));
		else
			snprintf(err, errlen, "cannot open disk image '%s': %s", path,
				 strerror(-ret));
		goto fail;
	}
	if (fstat(b->fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		snprintf(err, errlen, "disk image '%s' is not a regular file or block device",
			 path);
		ret = -EINVAL;
		goto fail;
	}
	end = lseek(b->fd, 0, SEEK_END);
	if (end < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot size disk image '%s': %s", path, strerror(-ret));
		goto fail;
	}
	/* A partial last sector is not visible to the guest */
	b->size = (uint64_t)end / SECTOR * SECTOR;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	/* The serial the guest sees (/sys/block/vda/serial): 20 bytes, NUL padded */
	snprintf(b->id, sizeof(b->id), "%.*s", BLK_ID_BYTES - 1, base);

	d->ops = &blk_ops;
	d->priv = b;
	d->host_features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH |
			   (ro ? VIRTIO_BLK_F_RO : 0);
	/* Config (5.2.4): capacity in sectors, size_max, seg_max, ..., blk_size */
	for (i = 0; i < 8; i++)
		d->config[i] = (b->size / SECTOR) >> (8 * i);
	d->config[12] = (VIRTQ_MAX_SIZE - 2) & 0xff;
	d->config[13] = (VIRTQ_MAX_SIZE - 2) >> 8;
	d->config[20] = SECTOR & 0xff;
	d->config[21] = SECTOR >> 8;
	d->config_size = 24;

	if (iothread) {
		b->efd = eventfd(0, EFD_CLOEXEC);
		if (b->efd < 0) {
			ret = -errno;
			snprintf(err, errlen, "virtio-blk: eventfd: %s", strerror(-ret));
			goto fail;
		}
	}
	ret = virtio_dev_register(m, d);
	if (ret) {
		snprintf(err, errlen, "virtio-blk: %s", strerror(-ret));
		goto fail;
	}
	if (iothread) {
		ret = pthread_create(&b->thread, NULL, blk_iothread, d);
		if (ret) {
			/* Registered: the bus frees it; work inline instead */
			close(b->efd);
			b->efd = -1;
		} else {
			b->thread_started = true;
		}
	}
	return 0;
fail:
	if (b->fd >= 0)
		close(b->fd);
	if (b->efd >= 0)
		close(b->efd);
	free(b);
	free(d);
	return ret;
}
