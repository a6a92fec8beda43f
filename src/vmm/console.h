/* SPDX-License-Identifier: MIT */
/*
 * Console backend for hvterm: output to a file descriptor, input from a
 * terminal in raw mode (Ctrl-A x quits, as QEMU) or from a pipe/file read by
 * a small input thread into a ring buffer.
 */
#ifndef PPCVM_VMM_CONSOLE_H
#define PPCVM_VMM_CONSOLE_H

#include <stddef.h>

struct console;

/*
 * Open a console on in_fd/out_fd. If in_fd is a terminal it is put in raw
 * mode until console_close(). quit(opaque) is called (from the input thread)
 * on Ctrl-A x. Returns 0 or -errno.
 */
int console_open(struct console **cp, int in_fd, int out_fd, void (*quit)(void *opaque),
		 void *opaque);
void console_close(struct console *c);
/* Write guest output (all of it, unless the output is gone). */
void console_write(struct console *c, const void *buf, size_t len);
/* Take up to max bytes of pending input without blocking; returns count. */
size_t console_read(struct console *c, void *buf, size_t max);
/* Put the terminal back as it was. Async-signal-safe, idempotent. */
void console_term_restore(void);

#endif
