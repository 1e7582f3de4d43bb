/*
 * options.h - the vmlab command line: parsing and help texts.  Kept apart
 * from main.c so the monitor shell and the VMM options can grow here.
 */
#ifndef MON_OPTIONS_H
#define MON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pg32.h"

/* vmlab's own exit statuses; any other status is the guest's power-off
 * code (value & 0xff). */
enum {
	MON_EXIT_BUDGET = 124,	/* --max-insns exhausted */
	MON_EXIT_USAGE = 125,	/* bad option, unreadable or invalid image */
	MON_EXIT_MACHINE = 126,	/* the machine stopped: double fault, deadlock,
				 * or the VMM could not go on */
	/* 128 + N: interrupted by signal N (SIGINT, SIGTERM, SIGHUP) */
};

/* One --vm IMAGE[,disk=FILE][,mem=MiB][,name=NAME][,weight=W][,cap=PCT]. */
#define MON_MAXVM 8
struct mon_vm_opts {
	const char *image;
	const char *disk;	/* NULL: no disk */
	const char *name;	/* NULL: vmN */
	uint32_t mem_mib;	/* 0: --mem, or 16 */
	unsigned weight;	/* 0: the default */
	unsigned cap;		/* 0: none */
	enum { MON_PV_ASK, MON_PV_YES, MON_PV_NO } pv;	/* pv=: ASK, as --pv */
};

struct mon_run_opts {
	const char *cmd;	/* argv[0]: "run", "listen" or "monitor" */
	bool bare;		/* --bare: run on the bare machine */
	uint32_t mem_mib;	/* --mem, 0 = default */
	const char *disk;	/* --disk FILE */
	uint64_t max_insns;	/* --max-insns N, 0 = unlimited */
	bool stats;		/* --stats */
	uint32_t trace;		/* --trace=CATEGORIES: TRACE_* mask, 0 = none */
	const char *trace_file;	/* --trace-file FILE, NULL = stderr */
	const char *dot;	/* --dot FILE: the picture of the traps at exit */
	bool shadow_trace;	/* --shadow=trace (default flush): VMM policy */
	bool shadow_set;	/* --shadow was given (an error with --bare) */
	bool pv;		/* --pv: the VMM offers hypercalls */
	bool slow_exits;	/* --exits=slow: no in-machine fast path */
	bool exits_set;		/* --exits was given (an error with --bare) */
	bool nested;		/* --mmu=nested: PG32-V guest mode, nested paging */
	int bt;			/* --bt[=inline]: VMM_BT_* (vm/vmm/btrun.c) */
	bool state;		/* --state: guest-visible state at exit */
	enum isa_variant isa;	/* --isa=pg32 (default) or leaky: PG32-L */
	uint64_t save_at;	/* --save-at TICKS FILE: save at this tick */
	const char *save_file;	/* ... into this file (NULL: no save) */
	const char *restore;	/* --restore FILE: start from a snapshot */
	const char *image;	/* the ELF executable (NULL with --restore) */
	const char *migrate_to;	/* --migrate-to HOST:PORT (live migration) */
	uint64_t migrate_at;	/* --migrate-at TICKS: when to begin */
	uint32_t migrate_bw;	/* --migrate-bw PAGES per step, 0: unlimited */
	uint32_t migrate_rounds;	/* --migrate-rounds N, 0: the default */
	int die_at;		/* --die-at STAGE (tests): SIGKILL at it */

	/* vmlab listen (the destination of a migration). */
	bool listen;
	int port;		/* --port P (0: any free port) */
	const char *port_file;	/* --port-file FILE: the port, once listening */

	/* Many VMs (--vm ...; vm/vmm/host.h). */
	struct mon_vm_opts vm[MON_MAXVM];
	unsigned nvms;		/* 0: one image, the classic run */
	bool sched_credit;	/* --sched=credit (default rr) */
	uint64_t quantum;	/* --quantum N ticks, 0 = default */
	bool time_real;		/* --time=real (default virtual) */
	bool idle_in_wfi;	/* --idle-in-wfi: not work-conserving */
	bool no_boost;		/* --no-boost: credit without the wake boost */
	const char *console_dir;	/* --console-dir DIR: DIR/NAME.out */
	const char *console_in;	/* --console-in NAME: who reads stdin */
	const char *schedule;	/* --schedule FILE.svg: the schedule's picture */
};

/* Parse the arguments of "vmlab run" (argv[0] is "run").  Returns 0 and
 * fills *o; 1 if --help was given (the help is printed on stdout); or -1
 * after printing one "vmlab: ..." line on stderr. */
int mon_parse_run(int argc, char **argv, struct mon_run_opts *o);

/* The name of --vm number i: its name=, or "vmI" written into buf. */
#define MON_VM_NAME_BUF 8
const char *mon_vm_name(const struct mon_run_opts *o, unsigned i, char *buf);

void mon_usage(FILE *f);
void mon_run_usage(FILE *f);

#endif /* MON_OPTIONS_H */
