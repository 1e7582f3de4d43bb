/*
 * monitor.c - "vmlab monitor": open a target stopped at the image's entry
 * and hand it to the shell (shell.h).
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dot.h"
#include "lineedit.h"
#include "options.h"
#include "run.h"
#include "shell.h"

void mon_monitor_usage(FILE *f)
{
	fputs("usage: vmlab monitor [--bare | --shadow=flush|trace | --mmu=nested]\n"
	      "                     [--pv | --bt[=inline]] [--isa=pg32|leaky|virt]\n"
	      "                     [-x FILE] [--input FILE] [--console FILE] [--mem MiB]\n"
	      "                     [--disk FILE] [--trace=CATS] [--trace-file FILE]\n"
	      "                     [--dot FILE] [--stats] [--max-insns N] image.elf\n"
	      "       vmlab monitor [options] [--sched=rr|credit] [--quantum N] [--time=T]\n"
	      "                     [--console-dir DIR] [--console-in NAME]\n"
	      "                     --vm IMAGE[,...] --vm ...\n"
	      "\n"
	      "Loads a PG32 executable stopped at its entry and reads commands: step,\n"
	      "break, inspect registers and memory, page tables, traces and pictures\n"
	      "('help' inside lists them; monitor/README.md documents them).  Under the\n"
	      "VMM (without --bare) every command shows the guest's view, and 'info\n"
	      "host', 'info vcpu', 'info shadow' and 'translate' show the VMM's side.\n"
	      "\n"
	      "On a terminal: a prompt, line editing, history (~/.vmlab_history) and TAB\n"
	      "completion.  Otherwise (a pipe, or -x FILE) commands are read without a\n"
	      "prompt and the output is stable for scripts; errors are 'error: ...'\n"
	      "lines and the exit status is 1 if any command failed.\n"
	      "\n"
	      "  --bare          the bare machine (default: the VMM)\n"
	      "  -x FILE         read the commands from FILE, then quit\n"
	      "  --input FILE    the guest's console input (default: none)\n"
	      "  --console FILE  the guest's console output goes to FILE, not stdout: a\n"
	      "                  script's stdout then holds only the monitor's own lines\n"
	      "  --shadow, --mmu, --pv, --bt, --isa, --mem, --disk, --trace, --trace-file,\n"
	      "  --stats         as for 'vmlab run'\n"
	      "  --dot FILE      at exit, write the picture of the mode transitions\n"
	      "  --max-insns N   the guest runs at most N ticks in the whole session:\n"
	      "                  then 'stop budget', and the session ends with 124\n"
	      "                  (with --vm: N ticks of the host clock)\n"
	      "  --vm ...        several VMs on one host, as for 'vmlab run --vm' (its\n"
	      "                  scheduler and console options too): 'vm N' chooses the\n"
	      "                  one the commands show; continue and step run the host\n"
	      "  -h, --help      this text\n"
	      "\n"
	      "Ctrl-C stops a running guest; EOF or 'quit' leaves.\n",
	      f);
}

/* Take -x FILE, --input FILE and --console FILE out of argv (they are the
 * monitor's own); the rest is parsed as 'vmlab run' options. */
static int split_args(int argc, char **argv, char **rest, int *nrest, const char **script,
		      const char **input, const char **console)
{
	*nrest = 0;
	for (int i = 0; i < argc; i++) {
		const char **dst = !strcmp(argv[i], "-x") ? script
				  : !strcmp(argv[i], "--input") ? input
				  : !strcmp(argv[i], "--console") ? console : NULL;

		if (!strncmp(argv[i], "--input=", 8)) {
			*input = argv[i] + 8;
			continue;
		}
		if (!strncmp(argv[i], "--console=", 10)) {
			*console = argv[i] + 10;
			continue;
		}
		if (!dst) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (i + 1 >= argc || !*argv[i + 1]) {
			fprintf(stderr, "vmlab: %s needs a file (try 'vmlab monitor --help')\n", argv[i]);
			return -1;
		}
		*dst = argv[++i];
	}
	rest[*nrest] = NULL;
	return 0;
}

static int open_target(struct mon_shell *sh, const struct mon_run_opts *o,
		       struct mon_host_setup *hs)
{
	char err[512];

	if (o->nvms) {
		if (mon_host_setup(hs, o, &sh->sink.tr, sh->cfg.cons_in_fd, 0))
			return -1;
		if (tgt_open_host(hs, &sh->sink.tr, &sh->t, err, sizeof err)) {
			fprintf(stderr, "vmlab: %s\n", err);
			mon_host_setup_close(hs);
			return -1;
		}
		return 0;
	}
	if (tgt_open(&sh->cfg, o->bare, o->image, &sh->t, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		return -1;
	}
	sh->t->ops->set_tracer(sh->t, &sh->sink.tr);
	return 0;
}

int mon_monitor_main(int argc, char **argv)
{
	struct mon_run_opts o;
	struct mon_shell sh = { .out = stdout };
	struct mon_host_setup hs = { 0 };	/* the host's configuration, if --vm */
	const char *script_path = NULL, *input = NULL, *console = NULL;
	FILE *cons_out = NULL;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	char err[512];
	FILE *script = NULL;
	int nrest, status = MON_EXIT_USAGE, r;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			mon_monitor_usage(stdout);
			free(rest);
			return 0;
		}
	if (!rest || split_args(argc, argv, rest, &nrest, &script_path, &input, &console))
		goto out;
	if ((r = mon_parse_run(nrest, rest, &o)))
		goto out;
	sh.budgeted = o.max_insns != 0;
	sh.budget_left = o.max_insns;
	if (o.nvms && console) {
		fprintf(stderr, "vmlab: with --vm, the consoles go to --console-dir DIR (or stdout, "
			"prefixed), not --console\n");
		goto out;
	}
	if (o.state) {
		fprintf(stderr, "vmlab: --state is for 'vmlab run' (the monitor has 'info "
			"registers' and 'x')\n");
		goto out;
	}
	if (o.restore || o.save_file) {
		fprintf(stderr, "vmlab: --restore and --save-at are for 'vmlab run' (the monitor "
			"has loadvm and savevm)\n");
		goto out;
	}
	if (script_path && !(script = fopen(script_path, "r"))) {
		fprintf(stderr, "vmlab: %s: %s\n", script_path, strerror(errno));
		goto out;
	}
	if (console && !(cons_out = fopen(console, "w"))) {
		fprintf(stderr, "vmlab: %s: %s\n", console, strerror(errno));
		goto out;
	}
	sh.cfg = (struct tgt_config){ .mem_mib = o.mem_mib, .disk = o.disk, .cons_in_fd = -1,
				      .cons_out = cons_out ? cons_out : stdout,
				      .shadow = o.shadow_trace ? VMM_SHADOW_TRACE : VMM_SHADOW_FLUSH,
				      .pv = o.pv, .isa = o.isa, .nested = o.nested, .bt = o.bt };
	if (input && (sh.cfg.cons_in_fd = open(input, O_RDONLY)) < 0) {
		fprintf(stderr, "vmlab: %s: %s\n", input, strerror(errno));
		goto out;
	}
	if (mon_sink_open(&sh.sink, o.trace, o.trace_file, true, err, sizeof err)) {
		fprintf(stderr, "vmlab: %s\n", err);
		goto out;
	}
	sh.cfg.trace = &sh.sink.tr;
	if (open_target(&sh, &o, &hs))
		goto out_sink;
	sh.interactive = !script && isatty(STDIN_FILENO);
	if (sh.interactive && o.nvms) {
		printf("vmlab monitor: %u VMs on one host (current: %s), line editing: %s; 'info "
		       "vms' lists them, 'help' the commands\n", o.nvms, mon_vm_label(&sh, 0),
		       le_name());
		mon_print_where(&sh, sh.t->ops->get_pc(sh.t));
	} else if (sh.interactive) {
		printf("vmlab monitor: %s on the %s (%u MiB), line editing: %s; 'help' lists the "
		       "commands\n", o.image, o.bare ? "bare machine" : "VMM",
		       sh.t->ops->mem_size(sh.t) >> 20, le_name());
		mon_print_where(&sh, sh.t->ops->get_pc(sh.t));
	}
	status = mon_shell_run(&sh, script, script_path);
	fflush(stdout);
	if (o.dot && o.image) {
		const char *slash = strrchr(o.image, '/');

		if (dot_traps_file(o.dot, &sh.sink, sh.t->ops->vm != NULL,
				   slash ? slash + 1 : o.image, err, sizeof err)) {
			fprintf(stderr, "vmlab: %s\n", err);
			status = status ? status : 1;
		}
	}
	if (o.stats)
		sh.t->ops->print_stats(sh.t, stderr);
	mon_tt_reset(&sh);
	tgt_close(sh.t);
	if (o.nvms)
		mon_host_setup_close(&hs);
out_sink:
	mon_sink_close(&sh.sink);
out:
	if (script)
		fclose(script);
	if (cons_out && fclose(cons_out)) {
		fprintf(stderr, "vmlab: %s: %s\n", console, strerror(errno));
		status = status ? status : 1;
	}
	if (sh.cfg.cons_in_fd >= 0)
		close(sh.cfg.cons_in_fd);
	free(rest);
	return status;
}
