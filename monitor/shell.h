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
	bool physical;		/* watch */
	unsigned what;		/* catch: a cause or CATCH_* */
	uint64_t hits;
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
};

/* The flag the SIGINT handler sets; commands that run the guest poll it. */
extern volatile sig_atomic_t mon_interrupt;

/* Run the shell reading commands from in (stdin, or a script).  Returns
 * the exit status: the 'quit N' status, else 0 if every command of a
 * non-interactive session succeeded, 1 if any failed. */
int mon_shell_run(struct mon_shell *sh, FILE *script);

/* One command line; returns 0 or -1 (the error has been printed). */
int mon_exec(struct mon_shell *sh, char *line);

/* Print "error: ..." (one line, on the command output) and return -1. */
int mon_error(struct mon_shell *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Expressions (expr.c): numbers (decimal, 0x hex), symbols, registers
 * ($sp or sp, $pc, control registers by name), joined by + and -. */
int mon_eval(struct mon_shell *sh, const char *s, uint32_t *v);

/* Register names for completion and parsing: general registers by ABI
 * name, "pc", control registers. */
const char *mon_reg_candidate(unsigned i);

/* Command handlers: argc/argv after the command name. */
typedef int mon_cmd_fn(struct mon_shell *sh, int argc, char **argv);
mon_cmd_fn cmd_continue, cmd_step, cmd_next, cmd_until_trap, cmd_finish, cmd_reset,
	cmd_break, cmd_watch, cmd_catch, cmd_delete, cmd_info, cmd_x, cmd_xp, cmd_disas,
	cmd_set, cmd_translate, cmd_trace, cmd_dot, cmd_symbol;

/* Shared by the handlers. */
void mon_print_where(struct mon_shell *sh, uint32_t pc);	/* "=> 0x... <sym>: insn" */
void mon_info_breakpoints(struct mon_shell *sh);
void mon_info_registers(struct mon_shell *sh);
void mon_info_host(struct mon_shell *sh);
void mon_info_vcpu(struct mon_shell *sh);
int mon_info_pagetable(struct mon_shell *sh, int argc, char **argv);
int mon_info_shadow(struct mon_shell *sh, int argc, char **argv);
/* The name of a catch kind (a cause name, "poweroff"...); parse: -1. */
const char *mon_catch_name(unsigned what);
int mon_catch_parse(const char *s);
/* Write the trap picture (dot.c). */
int mon_dot_traps(struct mon_shell *sh, const char *path);
int mon_dot_pagetable(struct mon_shell *sh, const char *path);

#endif /* MON_SHELL_H */
