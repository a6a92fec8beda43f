/* SPDX-License-Identifier: MIT */
/* The ppcvm command: one function per subcommand (kvmtool's builtin-*.c). */
#ifndef PPCVM_CLI_H
#define PPCVM_CLI_H

#include <stdio.h>

/* Exit statuses */
#define CLI_EXIT_OK	 0
#define CLI_EXIT_ERROR	 1   /* the machine could not start or failed */
#define CLI_EXIT_USAGE	 2   /* bad command line */
#define CLI_EXIT_TIMEOUT 124 /* as timeout(1) */

int cmd_run(int argc, char **argv);
void cmd_run_help(FILE *out);

#endif
