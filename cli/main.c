// SPDX-License-Identifier: MIT
/*
 * ppcvm: run a PowerPC pseries (or 32-bit epapr) guest on the emulated CPU.
 * main() picks the subcommand from a {name, fn, help} table (kvmtool style).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ppcvm/ppcvm.h>

#include "cli.h"

struct cli_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	void (*help)(FILE *out);
	const char *summary;
};

static const struct cli_cmd cli_cmds[] = {
	{ "run", cmd_run, cmd_run_help,
	  "boot a kernel or test program on a pseries or epapr machine" },
};

#define NR_CMDS (sizeof(cli_cmds) / sizeof(cli_cmds[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: ppcvm COMMAND [OPTIONS]\n"
		     "       ppcvm help COMMAND\n"
		     "       ppcvm --help | --version\n"
		     "\n"
		     "ppcvm is a user-space PowerPC hypervisor: a PAPR (pseries) machine on an\n"
		     "emulated POWER8 CPU, or an ePAPR machine (--machine epapr) on an emulated\n"
		     "32-bit PowerPC 750 or 7447A.\n"
		     "\n"
		     "Commands:\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(out, "  %-6s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fprintf(out, "\n"
		     "Options:\n"
		     "  -h, --help     show this help\n"
		     "  -V, --version  show the version\n");
}

static const struct cli_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(cli_cmds[i].name, name))
			return &cli_cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	const char *arg = argc > 1 ? argv[1] : NULL;

	if (!arg) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
		printf("ppcvm %s (libppcvm %s)\n", PPCVM_VERSION, ppcvm_version());
		return CLI_EXIT_OK;
	}
	if (!strcmp(arg, "help")) {
		if (argc == 2) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		cmd = find_cmd(argv[2]);
		if (!cmd || argc > 3) {
			fprintf(stderr, "ppcvm: help: unknown command '%s' (see 'ppcvm --help')\n",
				argv[2]);
			return CLI_EXIT_USAGE;
		}
		cmd->help(stdout);
		return CLI_EXIT_OK;
	}
	cmd = find_cmd(arg);
	if (!cmd) {
		fprintf(stderr, "ppcvm: unknown %s '%s' (see 'ppcvm --help')\n",
			arg[0] == '-' ? "option" : "command", arg);
		return CLI_EXIT_USAGE;
	}
	return cmd->fn(argc - 1, argv + 1);
}
