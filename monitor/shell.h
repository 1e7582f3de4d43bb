/*
 * shell.h - "vmlab monitor": a gdb/QEMU-monitor style shell over a target
 * (target.h).  The commands are one table (shell.c) of
 * {name, abbreviation, handler, help}; the handlers live in cmd_run.c
 * (running and stopping), cmd_info.c (registers, page tables,
 * translation, statistics) and cmd_mem.c (memory, disassembly, set, trace,
 * dot).  Output formats are documented in monitor/README.md: scripts and
 * graders rely on them.
 */
#ifndef MON_SHELL_H
#define MON_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "snap.h"
#include "target.h"
#include "tracesink.h"

#define MON_MAX_POINTS 32

enum mon_point_kind { PT_BREAK, PT_WATCH, PT_CATCH };

/* Catchpoint "causes" beyond the trap causes: ways a run ends. */
enum { CATCH_POWEROFF = ISA_NCAUSE, CATCH_DOUBLE_FAULT, CATCH_DEADLOCK, CATCH_NKIND };

struct mon_point {
	unsigned id;		/* 0: free slot */
	enum mon_point_kind kind;
	uint32_t addr;		/* break, watch */
	int mode;		/* break: -1 any, 0 user, 1 kernel */
	bool physical;		/* watch: addr is guest-physical */
	bool translated;	/* watch: from guest-virtual va, when set */
	uint32_t va;
	unsigned what;		/* catch: a cause or CATCH_* */
	uint64_t hits;
	unsigned vm;		/* the VM it was set in (--vm); 0 for one */
};

/* Time travel (timetravel.c): checkpoints, oldest first. */
#define MON_TT_MAX 8
struct mon_history {
	struct { uint64_t tick; struct snap_buf b; } c[MON_TT_MAX];
	unsigned n;
	uint64_t period;	/* ticks between checkpoints */
};

struct mon_shell {
	struct target *t;
	FILE *out;		/* command output (stdout) */
	bool interactive;	/* a terminal: prompt and line editing */
	bool quit;
	int status;		/* exit status of the shell */
	unsigned errors;	/* commands that failed */
	struct mon_point pt[MON_MAX_POINTS];
	unsigned next_id;
	struct mon_sink sink;	/* trace lines and edge counts */
	const char *dot_path;	/* --dot: write the trap picture at exit */
	bool dead;		/* powered off, double fault...: run again = same */
	bool budgeted;		/* --max-insns: the session's runs are bounded */
	uint64_t budget_left;	/* guest ticks the session may still run */
	struct tgt_config cfg;
	struct mon_history hist;
	char *line_args;	/* the running command's arguments as typed */
	const char *script;	/* -x FILE: its name, for errors; else NULL */
	unsigned lineno;	/* the line of the script being run */
	uint64_t cons_seen;	/* guest console bytes when the shell last
				 * stood at the start of a line */
};

/* The flag the SIGINT handler sets; commands that run the guest poll it. */
extern volatile sig_atomic_t mon_interrupt;

/* Run the shell reading commands from script (-x FILE, whose name errors
 * cite as "NAME:LINE: error: ..."), or from stdin when script is NULL.
 * Returns the exit status: the 'quit N' status, else 0 if every command of
 * a non-interactive session succeeded, 1 if any failed. */
int mon_shell_run(struct mon_shell *sh, FILE *script, const char *name);

/* One command line; returns 0 or -1 (the error has been printed). */
int mon_exec(struct mon_shell *sh, char *line);

/* Split a command line in place into words, as mon_exec does: blanks
 * separate them, '#' starts a comment, and a command word with a format
 * ("x/4xw") gives the name (copied into name, MON_NAME_MAX bytes) and the
 * format ("/4xw").  argv has room for MON_MAXARGS + 1 pointers and ends
 * with NULL.  Returns the count, or -1 when there are more. */
#define MON_MAXARGS 16
#define MON_NAME_MAX 32
int mon_split(char *line, char **argv, char *name);

/* Print "error: ..." (one line, on the command output; from a -x script
 * "NAME:LINE: error: ...") and return -1. */
int mon_error(struct mon_shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Expressions (expr.c): numbers (decimal, 0x hex), symbols, registers
 * ($sp or sp, $pc, control registers by name), joined by + and -. */
int mon_eval(struct mon_shell *sh, const char *s, uint32_t *v);

/* Register names for completion and parsing: general registers by ABI
 * name, "pc", control registers. */
const char *mon_reg_candidate(unsigned i);

/* Command handlers: argc/argv after the command (and subcommand) name. */
typedef int mon_cmd_fn(struct mon_shell *sh, int argc, char **argv);
mon_cmd_fn cmd_continue, cmd_step, cmd_next, cmd_until_trap, cmd_finish, cmd_reset,
	cmd_break, cmd_watch, cmd_catch, cmd_delete, cmd_x, cmd_xp, cmd_disas,
	cmd_set, cmd_translate, cmd_trace, cmd_symbol,
	cmd_info_registers, cmd_info_breakpoints, cmd_info_vcpu, cmd_info_host, cmd_info_stats,
	cmd_info_tc,
	cmd_info_pagetable, cmd_info_shadow, cmd_info_symbols, cmd_dot_traps, cmd_dot_pagetable,
	cmd_savevm, cmd_loadvm, cmd_migrate, cmd_dirty, cmd_reverse_step, cmd_reverse_continue,
	cmd_vm, cmd_info_vms, cmd_info_sched;

/*
 * The command table (shell.c), one entry a command or subcommand, ended by
 * an entry with a NULL name.  The usage is what help prints and what
 * completion follows (complete.c), word by word: a lowercase word is typed
 * as it stands (kernel, --both, =), an uppercase one is a placeholder
 * (ADDR, N, CAUSE, CATEGORY, COMMAND, FILE...), [x] is optional, a|b is
 * either, X... repeats.
 */
struct mon_cmd {
	const char *name;
	const char *abbrev;	/* short forms, separated by spaces; NULL: none */
	mon_cmd_fn *fn;		/* NULL when sub is set */
	const char *usage;	/* the arguments */
	const char *summary;	/* a whole phrase, for the list 'help' prints */
	const char *help;	/* more sentences for 'help CMD', or NULL */
	const struct mon_cmd *sub;	/* subcommands ('info WHAT'), or NULL */
};
extern const struct mon_cmd mon_commands[];
/* The entry of table that word names (its name or a short form), or NULL. */
const struct mon_cmd *mon_cmd_find(const struct mon_cmd *table, const char *word);

/* Completion (complete.c): the i-th word (i = 0, 1, ...) that can stand
 * where a line whose text before the word is 'before' expects its next
 * word, following the usage in the command table; NULL after the last.
 * The word may be in a static buffer: copy it before the next call. */
const char *mon_complete(const struct mon_shell *sh, const char *before, unsigned i);

/* Shared by the handlers. */
/* "stop WHAT pc=... mode=... ticks=..." and where the guest stands. */
void mon_report(struct mon_shell *sh, const char *what);
/* The causes the shell's catchpoints in VM vm stop on; *all: every trap. */
uint32_t mon_catch_mask(const struct mon_shell *sh, unsigned vm, bool *all);
/* Several VMs (--vm): make VM i the current one (what every command
 * shows, and sets points in); the name of VM i, or NULL with one VM. */
void mon_select(struct mon_shell *sh, unsigned i);
const char *mon_vm_label(const struct mon_shell *sh, unsigned i);
/* Time travel: take a checkpoint if one is due (before running); the
 * ticks until the next is due (0: now); drop them all. */
void mon_tt_note(struct mon_shell *sh);
uint64_t mon_tt_budget(struct mon_shell *sh);
void mon_tt_reset(struct mon_shell *sh);
/* Put every breakpoint and watchpoint of the shell on the target again
 * (after loadvm replaced the machine or VM). */
void mon_points_reapply(struct mon_shell *sh);
void mon_print_where(struct mon_shell *sh, uint32_t pc);	/* "=> 0x... <sym>: insn" */
/* The name of a catch kind (a cause name, "poweroff"...); parse: -1. */
const char *mon_catch_name(unsigned what);
int mon_catch_parse(const char *s);

#endif /* MON_SHELL_H */
