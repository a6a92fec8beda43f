// SPDX-License-Identifier: MIT
/*
 * Console backend. A thread reads the input so that Ctrl-A x works even when
 * the guest never polls H_GET_TERM_CHAR; the guest takes bytes from the ring
 * without blocking. The saved termios is global because there is one
 * controlling terminal per process and a signal handler must restore it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vmm/console.h"

#define CONSOLE_RING 4096
#define CTRL_A	     0x01

struct console {
	int in_fd, out_fd;
	bool tty;
	bool eof;
	bool escape; /* last input byte was Ctrl-A */
	int wake[2]; /* console_close() wakes the thread */
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	uint8_t ring[CONSOLE_RING];
	size_t head, count; /* guarded by lock */
	void (*quit)(void *opaque);
	void *opaque;
};

static struct termios saved_tio;
static volatile sig_atomic_t tio_saved_fd = -1;

void console_term_restore(void)
{
	int fd = tio_saved_fd;

	if (fd >= 0) {
		tcsetattr(fd, TCSANOW, &saved_tio);
		tio_saved_fd = -1;
	}
}

static int console_raw(int fd)
{
	struct termios tio;

	if (tcgetattr(fd, &saved_tio) < 0)
		return -errno;
	tio = saved_tio;
	/* Everything goes to the guest (Ctrl-C too); output keeps OPOST as QEMU */
	tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	tio.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	tio.c_cflag &= ~(CSIZE | PARENB);
	tio.c_cflag |= CS8;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tio_saved_fd = fd;
	if (tcsetattr(fd, TCSANOW, &tio) < 0) {
		tio_saved_fd = -1;
		return -errno;
	}
	return 0;
}

static void console_push(struct console *c, uint8_t b)
{
	pthread_mutex_lock(&c->lock);
	if (c->count < CONSOLE_RING) {
		c->ring[(c->head + c->count) % CONSOLE_RING] = b;
		c->count++;
	}
	pthread_mutex_unlock(&c->lock);
}

static size_t console_space(struct console *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = CONSOLE_RING - c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}

static const char console_help[] =
	"\r\nC-a x    exit ppcvm\r\nC-a a    send C-a\r\nC-a h    this help\r\n";

/* Terminal escapes (QEMU's mux keys): returns false when the user quits. */
static bool console_key(struct console *c, uint8_t b)
{
	if (!c->tty) {
		console_push(c, b);
		return true;
	}
	if (c->escape) {
		c->escape = false;
		switch (b) {
		case 'x':
		case 'X':
			if (c->quit)
				c->quit(c->opaque);
			return false;
		case 'a':
		case CTRL_A:
			console_push(c, CTRL_A);
			break;
		case 'h':
		case 'H':
			console_write(c, console_help, sizeof(console_help) - 1);
			break;
		default:
			break;
		}
		return true;
	}
	if (b == CTRL_A)
		c->escape = true;
	else
		console_push(c, b);
	return true;
}

static void *console_thread(void *arg)
{
	struct console *c = arg;
	uint8_t buf[256];
	sigset_t all;

	/* Signals are for the CLI's threads, not this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = c->wake[0], .events = POLLIN },
			{ .fd = c->in_fd, .events = POLLIN },
		};
		size_t space = console_space(c);
		int nfds = (!c->eof && space) ? 2 : 1;
		ssize_t n;
		ssize_t i;

		/* With a full ring, look again every 10 ms for room. */
		if (poll(fds, nfds, (!c->eof && !space) ? 10 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[0].revents)
			break;
		if (nfds < 2 || !fds[1].revents)
			continue;
		n = read(c->in_fd, buf, space < sizeof(buf) ? space : sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			c->eof = true; /* EOF or error: no more input */
			continue;
		}
		for (i = 0; i < n; i++)
			if (!console_key(c, buf[i]))
				return NULL;
	}
	return NULL;
}

int console_open(struct console **cp, int in_fd, int out_fd, void (*quit)(void *opaque),
		 void *opaque)
{
	struct console *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->in_fd = in_fd;
	c->out_fd = out_fd;
	c->quit = quit;
	c->opaque = opaque;
	pthread_mutex_init(&c->lock, NULL);
	if (pipe(c->wake) < 0) {
		ret = -errno;
		free(c);
		return ret;
	}
	if (in_fd < 0 || fcntl(in_fd, F_GETFL) < 0)
		c->eof = true;
	else if (isatty(in_fd) && console_raw(in_fd) == 0)
		c->tty = true;
	ret = pthread_create(&c->thread, NULL, console_thread, c);
	if (ret) {
		console_close(c);
		return -ret;
	}
	c->thread_started = true;
	*cp = c;
	return 0;
}

void console_close(struct console *c)
{
	if (!c)
		return;
	if (c->thread_started) {
		ssize_t r = write(c->wake[1], "q", 1);

		(void)r;
		pthread_join(c->thread, NULL);
	}
	if (c->tty)
		console_term_restore();
	close(c->wake[0]);
	close(c->wake[1]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void console_write(struct console *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (c && len) {
		ssize_t n = write(c->out_fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* output closed: drop, the guest goes on */
		p += n;
		len -= n;
	}
}

size_t console_read(struct console *c, void *buf, size_t max)
{
	uint8_t *p = buf;
	size_t n = 0;

	if (!c)
		return 0;
	pthread_mutex_lock(&c->lock);
	while (n < max && c->count) {
		p[n++] = c->ring[c->head];
		c->head = (c->head + 1) % CONSOLE_RING;
		c->count--;
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}
