/*
 * shell.c - the monitor shell: the command table, reading and splitting
 * lines, help, completion, and SIGINT.  See shell.h.
 */
#include "shell.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"

volatile sig_atomic_t mon_interrupt;

static mon_cmd_fn cmd_help, cmd_quit;

struct mon_cmd {
	const char *name;
	const char *abbrev;	/* NULL: none */
	mon_cmd_fn *fn;
	const char *usage;	/* arguments, for help */
	const char *help;	/* first line: the summary */
};

static const struct mon_cmd commands[] = {
	{ "continue", "c", cmd_continue, "",
	  "run the guest until something stops it (Ctrl-C stops it too)" },
	{ "step", "s", cmd_step, "[N]",
	  "execute N instructions (default 1); a trap entry or an interrupt taken\n"
	  "counts as one step" },
	{ "next", "n", cmd_next, "[N]",
	  "like step, but a call (jal/jalr that writes ra) runs until it returns" },
	{ "until-trap", "ut", cmd_until_trap, "",
	  "run until the next trap: on the bare machine, the next trap entry (the\n"
	  "guest then stands at tvec); under the VMM, the next trap that reaches\n"
	  "the VMM (an exit), whatever the VMM does with it" },
	{ "finish", "fin", cmd_finish, "",
	  "run until the current function returns: until pc = the value ra has now\n"
	  "with sp at least its value now (exact at a function's first instruction)" },
	{ "reset", NULL, cmd_reset, "",
	  "load the image again and reset the guest to its entry (the disk image\n"
	  "keeps what the guest wrote; breakpoints stay)" },
	{ "break", "b", cmd_break, "ADDR [kernel|user]",
	  "stop before the instruction at guest-virtual ADDR executes, in either\n"
	  "mode or only in the one named" },
	{ "watch", NULL, cmd_watch, "[-p] ADDR",
	  "stop after a guest store changes the word at ADDR: guest-virtual, or\n"
	  "guest-physical with -p" },
	{ "catch", NULL, cmd_catch, "CAUSE|all|poweroff|double-fault|deadlock",
	  "stop once a trap of CAUSE (as the trace names it: syscall, pf-load,\n"
	  "timer, ...) has been delivered; 'all' for every trap.  The ends of a\n"
	  "run (poweroff, double-fault, deadlock) always stop the guest; catching\n"
	  "them only names the catchpoint" },
	{ "delete", "d", cmd_delete, "[N...]",
	  "delete breakpoints, watchpoints, catchpoints by number (all without N)" },
	{ "info", "i", cmd_info, "WHAT",
	  "show state: registers (r), breakpoints (b), vcpu, host, stats,\n"
	  "pagetable [--both], shadow [kernel|user], symbols" },
	{ "x", NULL, cmd_x, "[/NFS] ADDR",
	  "examine guest-virtual memory: N units, format F (x hex, d signed,\n"
	  "u unsigned, c char, s string, i instruction), size S (b h w)" },
	{ "xp", NULL, cmd_xp, "[/NFS] ADDR", "the same as x on guest-physical memory" },
	{ "disas", "di", cmd_disas, "[ADDR [N]]",
	  "disassemble N instructions (default 8) from ADDR (default pc)" },
	{ "set", NULL, cmd_set, "REG = EXPR | *ADDR = EXPR",
	  "write a register ($pc, sp, a0, status...) or the word at guest-virtual\n"
	  "ADDR (*ADDR) or guest-physical ADDR (*p ADDR)" },
	{ "translate", "tr", cmd_translate, "VA [kernel|user]",
	  "walk VA through the guest's page table step by step (and, under the\n"
	  "VMM, the shadow table)" },
	{ "trace", NULL, cmd_trace, "on|off CATEGORY...",
	  "print trace events of the categories (insn trap exit shadow irq dev all)\n"
	  "on the trace output (--trace-file, default stderr); 'trace' shows them" },
	{ "dot", NULL, cmd_dot, "traps|pagetable FILE",
	  "write a Graphviz picture: the mode transitions of the run so far, or\n"
	  "the guest's page table (beside the shadow table under the VMM)" },
	{ "symbol", "sym", cmd_symbol, "ADDR|NAME", "the symbol at an address or a symbol's value" },
	{ "help", "h", cmd_help, "[COMMAND]", "list the commands, or explain one" },
	{ "quit", "q", cmd_quit, "[STATUS]", "leave the monitor (EOF does too)" },
};
#define NCMDS (sizeof commands / sizeof commands[0])

int mon_error(struct mon_shell *sh, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", sh->out);
	va_start(ap, fmt);
	vfprintf(sh->out, fmt, ap);
	va_end(ap);
	fputc('\n', sh->out);
	return -1;
}

static const struct mon_cmd *find_cmd(const char *name)
{
	for (unsigned i = 0; i < NCMDS; i++)
		if (!strcmp(commands[i].name, name)
		    || (commands[i].abbrev && !strcmp(commands[i].abbrev, name)))
			return &commands[i];
	return NULL;
}

static int cmd_help(struct mon_shell *sh, int argc, char **argv)
{
	const struct mon_cmd *c;

	if (argc == 0) {
		for (unsigned i = 0; i < NCMDS; i++) {
			char head[64];
			const char *nl = strchr(commands[i].help, '\n');

			snprintf(head, sizeof head, "%s%s%s%s", commands[i].name,
				 commands[i].abbrev ? " (" : "",
				 commands[i].abbrev ? commands[i].abbrev : "",
				 commands[i].abbrev ? ")" : "");
			fprintf(sh->out, "  %-20s %.*s\n", head,
				nl ? (int)(nl - commands[i].help) : (int)strlen(commands[i].help),
				commands[i].help);
		}
		fputs("Addresses are expressions: 0x1000, main+8, $sp-4, a0.  'help CMD' explains one.\n",
		      sh->out);
		return 0;
	}
	if (!(c = find_cmd(argv[0])))
		return mon_error(sh, "no command '%s' (try 'help')", argv[0]);
	fprintf(sh->out, "%s %s\n", c->name, c->usage);
	if (c->abbrev)
		fprintf(sh->out, "  (abbreviation: %s)\n", c->abbrev);
	for (const char *p = c->help; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(sh->out, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	return 0;
}

static int cmd_quit(struct mon_shell *sh, int argc, char **argv)
{
	uint32_t v;

	if (argc > 0) {
		if (mon_eval(sh, argv[0], &v))
			return -1;
		if (v > 255)	/* an exit status: 300 would be 44 */
			return mon_error(sh, "the exit status must be from 0 to 255");
		sh->status = (int)v;
	}
	sh->quit = true;
	return 0;
}

/* "x/4xw" splits as "x" and "/4xw". */
#define MAXARGS 16

int mon_exec(struct mon_shell *sh, char *line)
{
	char *argv[MAXARGS + 1];
	int argc = 0;
	char *p = line, *slash;
	char name[32];
	const struct mon_cmd *c;

	while (*p && argc < MAXARGS) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		argv[argc++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (argc == 0)
		return 0;
	if (*p && argc == MAXARGS)
		return mon_error(sh, "too many arguments");
	argv[argc] = NULL;
	slash = strchr(argv[0], '/');
	if (slash && slash != argv[0] && argc < MAXARGS) {	/* x/4xw: "x" "/4xw" */
		size_t n = (size_t)(slash - argv[0]);

		if (n >= sizeof name)	/* longer than any command */
			return mon_error(sh, "unknown command '%.*s' (try 'help')", (int)n, argv[0]);
		memcpy(name, argv[0], n);
		name[n] = '\0';
		memmove(argv + 2, argv + 1, (size_t)argc * sizeof *argv);
		argv[0] = name;
		argv[1] = slash;
		argc++;
	}
	if (!(c = find_cmd(argv[0])))
		return mon_error(sh, "unknown command '%s' (try 'help')", argv[0]);
	return c->fn(sh, argc - 1, argv + 1);
}

/* --- completion ----------------------------------------------------------- */

/* The shell for the completion callback, which has no context pointer. */
static struct mon_shell *completing;

static const char *const info_words[] = {
	"registers", "breakpoints", "vcpu", "host", "stats", "pagetable", "shadow", "symbols",
};

static const char *candidate(const char *before, unsigned i)
{
	char first[32];
	const struct target *t = completing ? completing->t : NULL;
	unsigned n;

	if (sscanf(before, "%31s", first) != 1) {	/* the command word */
		return i < NCMDS ? commands[i].name : NULL;
	}
	if (!strcmp(first, "info") || !strcmp(first, "i")) {
		n = sizeof info_words / sizeof info_words[0];
		if (i < n)
			return info_words[i];
		i -= n;
	} else if (!strcmp(first, "help") || !strcmp(first, "h")) {
		return i < NCMDS ? commands[i].name : NULL;
	} else if (!strcmp(first, "trace") || !strcmp(first, "catch")) {
		static const char *const words[] = { "on", "off", "insn", "trap", "exit",
						     "shadow", "irq", "dev", "all" };
		if (!strcmp(first, "trace"))
			return i < 9 ? words[i] : NULL;
		if (i < CATCH_NKIND)
			return mon_catch_name(i);
		return i == CATCH_NKIND ? "all" : NULL;
	} else if (!strcmp(first, "dot")) {
		return i == 0 ? "traps" : i == 1 ? "pagetable" : NULL;
	}
	/* Registers, then symbols. */
	for (n = 0; mon_reg_candidate(n); n++)
		;
	if (i < n)
		return mon_reg_candidate(i);
	i -= n;
	if (t && t->have_elf && i < t->elf.nsyms)
		return t->elf.syms[i].name;
	return NULL;
}

/* --- the loop -------------------------------------------------------------- */

static void on_sigint(int sig)
{
	(void)sig;
	mon_interrupt = 1;
	le_interrupt();
}

static void history_path(char *buf, size_t size)
{
	const char *home = getenv("HOME");

	if (home && *home)
		snprintf(buf, size, "%s/.vmlab_history", home);
	else
		buf[0] = '\0';
}

int mon_shell_run(struct mon_shell *sh, FILE *script)
{
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART */
	char hist[1024];
	char *line;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	history_path(hist, sizeof hist);
	completing = sh;
	if (!script)
		le_init(sh->interactive, hist[0] ? hist : NULL, candidate);
	while (!sh->quit) {
		if (script) {
			char *buf = NULL;
			size_t cap = 0;
			ssize_t n = getline(&buf, &cap, script);

			if (n < 0) {
				free(buf);
				break;
			}
			if (n && buf[n - 1] == '\n')
				buf[n - 1] = '\0';
			line = buf;
		} else {
			line = le_read("(vmlab) ");
			if (!line)
				break;
		}
		mon_interrupt = 0;
		if (mon_exec(sh, line))
			sh->errors++;
		free(line);
		fflush(sh->out);
	}
	if (!script)
		le_fini();
	if (!sh->quit && sh->interactive)
		fputc('\n', sh->out);	/* EOF at the prompt */
	completing = NULL;
	if (sh->status == 0 && !sh->interactive && sh->errors)
		return 1;
	return sh->status;
}
