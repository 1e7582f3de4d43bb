/*
 * main.c - the vmlab program: dispatch to a command.
 */
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "options.h"
#include "run.h"
#include "version.h"

int main(int argc, char **argv)
{
	struct mon_run_opts o;
	int r;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")
	    || !strcmp(argv[1], "-h")) {
		mon_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? MON_EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("vmlab " VMLAB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "monitor"))
		return mon_monitor_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") && strcmp(argv[1], "listen")) {
		fprintf(stderr, "vmlab: unknown command '%s' (try 'vmlab --help')\n", argv[1]);
		return MON_EXIT_USAGE;
	}
	r = mon_parse_run(argc - 1, argv + 1, &o);
	if (r)
		return r > 0 ? 0 : MON_EXIT_USAGE;
	if (o.listen)
		return mon_listen(&o);
	if (o.nvms)
		return mon_run_host(&o);
	return o.bare ? mon_run_bare(&o) : mon_run_vmm(&o);
}
