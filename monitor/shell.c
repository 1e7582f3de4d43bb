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

static mon_cmd_fn cmd_help, cmd_quit, cmd_complete;

/* 'info WHAT': the subcommands. */
static const struct mon_cmd info_cmds[] = {
	{ "registers", "r reg", cmd_info_registers, "",
	  "pc, the general and the control registers, decoded", NULL, NULL },
	{ "breakpoints", "b break", cmd_info_breakpoints, "",
	  "the breakpoints, watchpoints, catchpoints and hits", NULL, NULL },
	{ "vcpu", NULL, cmd_info_vcpu, "",
	  "the VMM's virtual CPU and its pending interrupts", NULL, NULL },
	{ "host", NULL, cmd_info_host, "",
	  "the guest's view beside the machine running it", NULL, NULL },
	{ "stats", NULL, cmd_info_stats, "",
	  "the machine's or the VMM's counters", NULL, NULL },
	{ "pagetable", "pt", cmd_info_pagetable, "[--both]",
	  "the guest's mappings in runs",
	  "With --both, beside the VMM's shadow table of the current guest mode.", NULL },
	{ "shadow", NULL, cmd_info_shadow, "[kernel|user]",
	  "the VMM's shadow table for a guest mode",
	  "By default the guest's current mode.  Frames are machine-physical.", NULL },
	{ "tc", NULL, cmd_info_tc, "[ADDR]",
	  "binary translation's cache: each block, guest and translation addresses",
	  "With ADDR (a guest pc), the block holding it: each guest instruction beside its\n"
	  "translation, then the exit stubs.  Under 'vmlab monitor --bt' only.", NULL },
	{ "symbols", "sym", cmd_info_symbols, "[TEXT]",
	  "the image's symbols (those containing TEXT)", NULL, NULL },
	{ "vms", NULL, cmd_info_vms, "",
	  "each VM (--vm): state, ticks, exits, shadow pages",
	  "One line a VM, '*' at the current one: number, name, state (runnable,\n"
	  "blocked, parked, or how it stopped), then ticks (its clock), ran (host\n"
	  "ticks it had the CPU), exits (to the VMM), shadow (pool pages held/may\n"
	  "hold), weight, cap, credit, out (console bytes).", NULL },
	{ "sched", NULL, cmd_info_sched, "",
	  "the scheduler (--vm): policy, clock, turn, run queue",
	  "The run queue lists the runnable VMs in the order the scheduler would\n"
	  "give them the CPU, the turn in progress first.", NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

/* 'dot WHAT FILE': the pictures. */
static const struct mon_cmd dot_cmds[] = {
	{ "traps", NULL, cmd_dot_traps, "FILE",
	  "the mode transitions of the run so far", NULL, NULL },
	{ "pagetable", "pt", cmd_dot_pagetable, "FILE",
	  "the guest's page table now",
	  "Under the VMM, beside the shadow table of the current guest mode.", NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct mon_cmd mon_commands[] = {
	{ "continue", "c", cmd_continue, "",
	  "run the guest until something stops it",
	  "Ctrl-C stops it too.", NULL },
	{ "step", "s", cmd_step, "[N]",
	  "execute N instructions (default 1)",
	  "A trap entry or an interrupt taken counts as one step.", NULL },
	{ "next", "n", cmd_next, "[N]",
	  "like step, but run over calls",
	  "A call (jal or jalr that writes ra) runs until it returns.", NULL },
	{ "until-trap", "ut", cmd_until_trap, "",
	  "run until the next trap",
	  "On the bare machine: the next trap entry (the guest then stands at\n"
	  "tvec).  Under the VMM: the next trap that reaches the VMM (an exit),\n"
	  "whatever the VMM does with it.", NULL },
	{ "finish", "fin", cmd_finish, "",
	  "run until the current function returns",
	  "Runs until pc = the value ra has now, with sp at least its value now\n"
	  "(exact at a function's first instruction).", NULL },
	{ "reset", NULL, cmd_reset, "",
	  "load the image again and restart the guest",
	  "The guest starts at its entry again.  The disk image keeps what the\n"
	  "guest wrote; breakpoints stay.", NULL },
	{ "savevm", NULL, cmd_savevm, "FILE",
	  "save the whole machine or VM to a snapshot file",
	  "CPU, control registers, RAM, devices (a disk request in flight\n"
	  "included), the disk's contents and time: what 'vmlab run --restore\n"
	  "FILE' and loadvm continue from, tick for tick.  With --vm, the whole\n"
	  "host: every VM and the scheduler.", NULL },
	{ "loadvm", NULL, cmd_loadvm, "FILE",
	  "replace the guest by a snapshot's",
	  "The snapshot must be of this kind of target (bare or VMM) and memory\n"
	  "size; the disk image gets its contents.  A refused file changes\n"
	  "nothing.  Breakpoints, watchpoints, catchpoints and tracing stay.\n"
	  "With --vm, the whole host (the same VMs and scheduler options).", NULL },
	{ "migrate", NULL, cmd_migrate, "HOST:PORT [PAGES-PER-STEP]",
	  "move the running VM live to 'vmlab listen' at HOST:PORT",
	  "Pre-copy rounds while the guest runs (PAGES-PER-STEP pages per 10000\n"
	  "ticks, default unlimited), then stop-and-copy and commitment\n"
	  "(vm/vmm/MIGRATION.md).\n"
	  "On success the guest runs at the destination and no more here; on\n"
	  "failure it runs on here, as if nothing had happened.  VMM only, one\n"
	  "VM (not --vm), not under --bt or --mmu=nested.", NULL },
	{ "dirty", NULL, cmd_dirty, "on|sync|off",
	  "the dirty log: which guest pages were written",
	  "With 'on' the log starts (the shadow leaves lose W until their page\n"
	  "is written); 'sync' lists the pages written since 'on' or the last\n"
	  "sync (guest-physical, runs as FIRST-LAST), clears them and\n"
	  "write-protects again; 'off' stops it.  What live migration's pre-copy\n"
	  "uses.  VMM only, not under --bt or --mmu=nested.", NULL },
	{ "reverse-step", "rs", cmd_reverse_step, "[N]",
	  "go back N steps (default 1)",
	  "Re-executes from an in-memory checkpoint (one at least every 131072\n"
	  "ticks while the guest runs, at most 8 kept, older ones thinned) to the\n"
	  "state N steps before this one: step N then leads back here.  The\n"
	  "replay's console output is not shown again; console input is not\n"
	  "replayed.  One VM only (not --vm).", NULL },
	{ "reverse-continue", "rc", cmd_reverse_continue, "",
	  "go back to the previous breakpoint, watchpoint or catch",
	  "The last stop a continue from the recorded history would have made\n"
	  "before the present, found by re-executing from checkpoints.  One VM\n"
	  "only (not --vm).", NULL },
	{ "vm", NULL, cmd_vm, "[VM]",
	  "choose the VM the other commands show (--vm)",
	  "VM is a number (0, 1, ...) or a name; without it, the current one.\n"
	  "Registers, memory, translate, info vcpu and the points set from now\n"
	  "on are that VM's.  continue and step run the whole host, as its\n"
	  "scheduler decides; a stop makes the VM that stopped the current one\n"
	  "and names it (vm=NAME).", NULL },
	{ "break", "b", cmd_break, "ADDR [kernel|user]",
	  "stop before the instruction at ADDR",
	  "ADDR is guest-virtual.  The breakpoint holds in either mode, or only in\n"
	  "the one named.  A run stops at one where the guest stands, unless the\n"
	  "guest was just shown stopped there (at it, or after a step); a step\n"
	  "always runs its instruction.", NULL },
	{ "watch", NULL, cmd_watch, "[-p] ADDR",
	  "stop after a store changes the word at ADDR",
	  "ADDR is guest-virtual, or guest-physical with -p.  Under the VMM every\n"
	  "watchpoint is guest-physical: a virtual ADDR is translated once, now,\n"
	  "through the guest's page table.", NULL },
	{ "catch", NULL, cmd_catch, "CAUSE|all|poweroff|double-fault|deadlock",
	  "stop once a trap of CAUSE has been delivered",
	  "CAUSE as the trace names it: syscall, pf-load, timer, ...; 'all' for\n"
	  "every trap.  The ends of a run (poweroff, double-fault, deadlock)\n"
	  "always stop the guest; catching them only names the catchpoint.", NULL },
	{ "delete", "d", cmd_delete, "[N...]",
	  "delete breakpoints, watchpoints, catchpoints",
	  "By number; all of them without N.", NULL },
	{ "info", "i", NULL, "WHAT",
	  "show the state of the guest or of the VMM", NULL, info_cmds },
	{ "x", NULL, cmd_x, "[/NFS] ADDR",
	  "examine guest-virtual memory",
	  "N units, format F (x hex, d signed, u unsigned, c char, s string,\n"
	  "i instruction), size S (b h w).", NULL },
	{ "xp", NULL, cmd_xp, "[/NFS] ADDR",
	  "examine guest-physical memory",
	  "The same as x, on guest-physical addresses.", NULL },
	{ "disas", "di", cmd_disas, "[ADDR [N]]",
	  "disassemble N instructions (default 8) from ADDR",
	  "ADDR defaults to pc; '=>' marks pc.", NULL },
	{ "set", NULL, cmd_set, "[-p] REG|*ADDR = EXPR",
	  "write a register or a word of memory",
	  "REG: pc, sp or $sp, a0, status ...  *ADDR: the word at guest-virtual\n"
	  "ADDR, or with -p at guest-physical ADDR.", NULL },
	{ "translate", "tr", cmd_translate, "VA [kernel|user]",
	  "walk VA through the guest's page table",
	  "Step by step; under the VMM the shadow table's walk too, down to the\n"
	  "machine-physical address; under --mmu=nested the two-dimensional walk\n"
	  "instead.", NULL },
	{ "trace", NULL, cmd_trace, "[on|off CATEGORY...]",
	  "show or change the traced categories",
	  "Categories: insn trap exit shadow irq dev hcall sched all.  Trace lines\n"
	  "go to --trace-file (default stderr).", NULL },
	{ "dot", NULL, NULL, "WHAT FILE",
	  "write a Graphviz picture", NULL, dot_cmds },
	{ "symbol", "sym", cmd_symbol, "ADDR|NAME",
	  "the symbol at an address, or a symbol's value", NULL, NULL },
	{ "complete", NULL, cmd_complete, "TEXT",
	  "list the completions of a command line",
	  "What TAB would offer at the end of TEXT, one completed line each.", NULL },
	{ "help", "h", cmd_help, "[COMMAND [SUBCOMMAND]]",
	  "list the commands, or explain one", NULL, NULL },
	{ "quit", "q", cmd_quit, "[STATUS]",
	  "leave the monitor (EOF does too)", NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

int mon_error(struct mon_shell *sh, const char *fmt, ...)
{
	va_list ap;

	if (sh->script)
		fprintf(sh->out, "%s:%u: ", sh->script, sh->lineno);
	fputs("error: ", sh->out);
	va_start(ap, fmt);
	vfprintf(sh->out, fmt, ap);
	va_end(ap);
	fputc('\n', sh->out);
	return -1;
}

/* Does word name the command: its name or one of its short forms? */
static bool names(const struct mon_cmd *c, const char *word)
{
	size_t n = strlen(word);

	if (!strcmp(c->name, word))
		return true;
	for (const char *a = c->abbrev; a && *a; a += strspn(a, " ")) {
		size_t len = strcspn(a, " ");

		if (len == n && !strncmp(a, word, n))
			return true;
		a += len;
	}
	return false;
}

const struct mon_cmd *mon_cmd_find(const struct mon_cmd *table, const char *word)
{
	for (const struct mon_cmd *c = table; c->name; c++)
		if (names(c, word))
			return c;
	return NULL;
}

/* "r, reg" from "r reg". */
static void short_forms(char *buf, size_t size, const char *abbrev)
{
	size_t at = 0;

	buf[0] = '\0';
	for (const char *a = abbrev; *a && at < size; a += strspn(a, " ")) {
		size_t n = strcspn(a, " ");
		int w = snprintf(buf + at, size - at, "%s%.*s", at ? ", " : "", (int)n, a);

		if (w < 0)
			break;
		at += (size_t)w;
		a += n;
	}
}

/* "name (a, b)" */
static void cmd_head(char *buf, size_t size, const struct mon_cmd *c)
{
	char forms[32];

	if (!c->abbrev) {
		snprintf(buf, size, "%s", c->name);
		return;
	}
	short_forms(forms, sizeof forms, c->abbrev);
	snprintf(buf, size, "%s (%s)", c->name, forms);
}

/* One line a command: "  name (abbrev)   summary". */
static void help_list(struct mon_shell *sh, const struct mon_cmd *table, const char *indent)
{
	char head[48];
	int width = 18;

	for (const struct mon_cmd *c = table; c->name; c++) {
		cmd_head(head, sizeof head, c);
		if ((int)strlen(head) > width)
			width = (int)strlen(head);
	}
	for (const struct mon_cmd *c = table; c->name; c++) {
		cmd_head(head, sizeof head, c);
		fprintf(sh->out, "%s%-*s  %s\n", indent, width, head, c->summary);
	}
}

/* "help CMD [SUB]": the usage, the short forms, the summary, the details,
 * the subcommands. */
static void help_one(struct mon_shell *sh, const char *prefix, const struct mon_cmd *c)
{
	fprintf(sh->out, "%s%s%s%s\n", prefix, c->name, *c->usage ? " " : "", c->usage);
	if (c->abbrev) {
		char forms[32];

		short_forms(forms, sizeof forms, c->abbrev);
		fprintf(sh->out, "  (abbreviation: %s)\n", forms);
	}
	fprintf(sh->out, "  %s\n", c->summary);
	for (const char *p = c->help; p && *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(sh->out, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	if (c->sub) {
		fprintf(sh->out, "  %s WHAT is one of ('help %s WHAT' explains it):\n", c->name,
			c->name);
		help_list(sh, c->sub, "    ");
	}
}

static int cmd_help(struct mon_shell *sh, int argc, char **argv)
{
	const struct mon_cmd *c, *sub;
	char prefix[64];

	if (argc == 0) {
		help_list(sh, mon_commands, "  ");
		fputs("Addresses are expressions: 0x1000, main+8, $sp-4, a0.  'help CMD' explains one.\n",
		      sh->out);
		return 0;
	}
	if (argc > 2)
		return mon_error(sh, "usage: help [COMMAND [SUBCOMMAND]]");
	if (!(c = mon_cmd_find(mon_commands, argv[0])))
		return mon_error(sh, "no command '%s' (try 'help')", argv[0]);
	if (argc == 1) {
		help_one(sh, "", c);
		return 0;
	}
	if (!c->sub || !(sub = mon_cmd_find(c->sub, argv[1])))
		return mon_error(sh, "no '%s %s' (try 'help %s')", c->name, argv[1], c->name);
	snprintf(prefix, sizeof prefix, "%s ", c->name);
	help_one(sh, prefix, sub);
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

/* The subcommands' names, for messages: "registers breakpoints ...". */
static void sub_names(char *buf, size_t size, const struct mon_cmd *table)
{
	size_t at = 0;

	buf[0] = '\0';
	for (const struct mon_cmd *c = table; c->name && at < size; c++) {
		int n = snprintf(buf + at, size - at, "%s%s", at ? " " : "", c->name);

		if (n < 0)
			break;
		at += (size_t)n;
	}
}

/* "info WHAT ...": run WHAT's handler on the rest. */
static int exec_sub(struct mon_shell *sh, const struct mon_cmd *c, int argc, char **argv)
{
	const struct mon_cmd *sub;
	char list[256];

	sub_names(list, sizeof list, c->sub);
	if (argc == 0)
		return mon_error(sh, "%s what? %s", c->name, list);
	if (!(sub = mon_cmd_find(c->sub, argv[0])))
		return mon_error(sh, "no '%s %s' (%s)", c->name, argv[0], list);
	return sub->fn(sh, argc - 1, argv + 1);
}

int mon_split(char *line, char **argv, char *name)
{
	int argc = 0;
	char *p = line, *slash;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == MON_MAXARGS)
			return -1;
		argv[argc++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	slash = argc ? strchr(argv[0], '/') : NULL;
	if (slash && slash != argv[0] && (size_t)(slash - argv[0]) < MON_NAME_MAX
	    && argc < MON_MAXARGS) {	/* x/4xw: "x" "/4xw" */
		size_t n = (size_t)(slash - argv[0]);

		memcpy(name, argv[0], n);
		name[n] = '\0';
		memmove(argv + 2, argv + 1, (size_t)argc * sizeof *argv);
		argv[0] = name;
		argv[1] = slash;
		argc++;
	}
	return argc;
}

static int exec_words(struct mon_shell *sh, char *line)
{
	char *argv[MON_MAXARGS + 1];
	char name[MON_NAME_MAX];
	int argc = mon_split(line, argv, name);
	const struct mon_cmd *c;

	if (argc < 0)
		return mon_error(sh, "too many arguments");
	if (argc == 0)
		return 0;
	if (!(c = mon_cmd_find(mon_commands, argv[0])))
		return mon_error(sh, "unknown command '%s' (try 'help')", argv[0]);
	if (c->sub)
		return exec_sub(sh, c, argc - 1, argv + 1);
	return c->fn(sh, argc - 1, argv + 1);
}

int mon_exec(struct mon_shell *sh, char *line)
{
	const char *raw = line + strspn(line, " \t");
	int r;

	/* The arguments as typed, for 'complete' (spaces matter there). */
	raw += strcspn(raw, " \t");
	raw += strspn(raw, " \t");
	if (!(sh->line_args = strdup(raw)))
		return mon_error(sh, "out of memory");
	r = exec_words(sh, line);
	free(sh->line_args);
	sh->line_args = NULL;
	return r;
}

/* --- completion ----------------------------------------------------------- */

/* The shell for the completion callback, which has no context pointer. */
static struct mon_shell *completing;

static const char *candidate(const char *before, unsigned i)
{
	return completing ? mon_complete(completing, before, i) : NULL;
}

/* complete TEXT: what TAB would offer at the end of TEXT, one completed
 * line each (gdb's 'complete'). */
static int cmd_complete(struct mon_shell *sh, int argc, char **argv)
{
	const char *text = sh->line_args ? sh->line_args : "";
	size_t start = strlen(text), len;
	const char *c;
	char *before;

	(void)argc;
	(void)argv;
	while (start > 0 && !isspace((unsigned char)text[start - 1]))
		start--;
	len = strlen(text + start);
	if (!(before = strndup(text, start)))
		return mon_error(sh, "out of memory");
	for (unsigned i = 0; (c = mon_complete(sh, before, i)); i++)
		if (!strncmp(c, text + start, len))
			fprintf(sh->out, "%s%s\n", before, c);
	free(before);
	return 0;
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

int mon_shell_run(struct mon_shell *sh, FILE *script, const char *name)
{
	struct sigaction sa = { .sa_handler = on_sigint };	/* no SA_RESTART */
	char hist[1024];
	char *line;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	history_path(hist, sizeof hist);
	completing = sh;
	sh->script = script ? name : NULL;
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
			sh->lineno++;
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
	sh->script = NULL;
	if (sh->status == 0 && !sh->interactive && sh->errors)
		return 1;
	return sh->status;
}
