// SPDX-License-Identifier: MIT
/*
 * virtio-rng (virtio 1.1 section 5.4): one request queue whose writable
 * buffers are filled from the host's getrandom().
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/random.h>

#include "vmm/machine.h"
#include "vmm/virtio.h"

struct vrng {
	pthread_mutex_t lock; /* req is used by one notifier at a time */
	struct virtq_req req;
};

static uint32_t rng_fill(const struct virtq_req *req)
{
	uint32_t written = 0;
	unsigned int i;

	for (i = 0; i < req->nin; i++) {
		uint32_t done = 0;

		while (done < req->in[i].len) {
			ssize_t n = getrandom(req->in[i].p + done, req->in[i].len - done, 0);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return written + done;
			done += n;
		}
		written += done;
	}
	return written;
}

static void rng_notify(struct virtio_dev *d, unsigned int q)
{
	struct vrng *r = d->priv;

	pthread_mutex_lock(&r->lock);
	while (virtq_pop(d, 0, &r->req) == 1)
		virtq_push(d, 0, &r->req, rng_fill(&r->req));
	pthread_mutex_unlock(&r->lock);
}

static void rng_destroy(struct virtio_dev *d)
{
	struct vrng *r = d->priv;

	if (r) {
		pthread_mutex_destroy(&r->lock);
		free(r);
	}
	d->priv = NULL;
}

static const struct virtio_ops rng_ops = {
	.name = "rng",
	.device_id = VIRTIO_ID_RNG,
	.nqueues = 1,
	.notify = rng_notify,
	.destroy = rng_destroy,
};

int virtio_rng_create(struct machine *m)
{
	struct virtio_dev *d = calloc(1, sizeof(*d));
	struct vrng *r = calloc(1, sizeof(*r));
	int ret;

	if (!d || !r) {
		free(d);
		free(r);
		return -ENOMEM;
	}
	pthread_mutex_init(&r->lock, NULL);
	d->ops = &rng_ops;
	d->priv = r;
	ret = virtio_dev_register(m, d);
	if (ret) {
		rng_destroy(d);
		free(d);
	}
	return ret;
}
