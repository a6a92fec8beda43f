// SPDX-License-Identifier: MIT
/*
 * virtio-console (virtio 1.1 section 5.3) with one port and no multiport
 * control queue: queue 0 is the port's input, queue 1 its output. Output
 * goes to the machine's console (as hvterm's does). Input is taken from the
 * console only when asked (take_input): both consoles share the terminal,
 * and Linux's virtio_console keeps receive buffers posted, so it would
 * otherwise steal the keystrokes of a shell on hvc0.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm/console.h"
#include "vmm/machine.h"
#include "vmm/virtio.h"

#define VCON_RXQ     0
#define VCON_TXQ     1
#define VCON_POLL_NS 10000000L /* input poll period: 10 ms */

struct vcon {
	bool take_input;
	pthread_t thread;
	bool thread_started;
	bool stop;
	uint8_t pending[256]; /* input read from the console, not yet delivered */
	size_t npending;
	struct virtq_req rx, tx;
	pthread_mutex_t tx_lock; /* several vCPUs may notify at once */
};

static void vcon_tx(struct virtio_dev *d)
{
	struct vcon *c = d->priv;
	struct console *con = __atomic_load_n(&d->m->con, __ATOMIC_ACQUIRE);
	unsigned int i;

	pthread_mutex_lock(&c->tx_lock);
	while (virtq_pop(d, VCON_TXQ, &c->tx) == 1) {
		for (i = 0; i < c->tx.nout; i++)
			console_write(con, c->tx.out[i].p, c->tx.out[i].len);
		virtq_push(d, VCON_TXQ, &c->tx, 0);
	}
	pthread_mutex_unlock(&c->tx_lock);
}

/* Deliver pending input into the guest's receive buffers (rx thread only) */
static void vcon_rx(struct virtio_dev *d)
{
	struct vcon *c = d->priv;
	struct console *con = __atomic_load_n(&d->m->con, __ATOMIC_ACQUIRE);
	size_t n;

	if (c->npending < sizeof(c->pending))
		c->npending += console_read(con, c->pending + c->npending,
					    sizeof(c->pending) - c->npending);
	while (c->npending && virtq_pop(d, VCON_RXQ, &c->rx) == 1) {
		n = virtq_req_write(&c->rx, 0, c->pending, c->npending);
		memmove(c->pending, c->pending + n, c->npending - n);
		c->npending -= n;
		virtq_push(d, VCON_RXQ, &c->rx, n);
	}
}

static void *vcon_thread(void *arg)
{
	struct virtio_dev *d = arg;
	struct vcon *c = d->priv;
	struct timespec ts = { 0, VCON_POLL_NS };

	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		vcon_rx(d);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void vcon_notify(struct virtio_dev *d, unsigned int q)
{
	if (q == VCON_TXQ)
		vcon_tx(d);
	/* New receive buffers are picked up by the next poll */
}

static void vcon_destroy(struct virtio_dev *d)
{
	struct vcon *c = d->priv;

	if (!c)
		return;
	if (c->thread_started) {
		__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
		pthread_join(c->thread, NULL);
	}
	pthread_mutex_destroy(&c->tx_lock);
	free(c);
	d->priv = NULL;
}

static const struct virtio_ops vcon_ops = {
	.name = "console",
	.device_id = VIRTIO_ID_CONSOLE,
	.nqueues = 2,
	.notify = vcon_notify,
	.destroy = vcon_destroy,
};

int virtio_console_create(struct machine *m, bool take_input)
{
	struct virtio_dev *d = calloc(1, sizeof(*d));
	struct vcon *c = calloc(1, sizeof(*c));
	int ret;

	if (!d || !c) {
		free(d);
		free(c);
		return -ENOMEM;
	}
	c->take_input = take_input;
	pthread_mutex_init(&c->tx_lock, NULL);
	d->ops = &vcon_ops;
	d->priv = c;
	ret = virtio_dev_register(m, d);
	if (ret) {
		pthread_mutex_destroy(&c->tx_lock);
		free(c);
		free(d);
		return ret;
	}
	if (take_input && pthread_create(&c->thread, NULL, vcon_thread, d) == 0)
		c->thread_started = true;
	return 0;
}
