/*
 * host.h - many VMs on one machine: the host level of the VMM.
 *
 * A host owns one PG32 machine, the VMM area at machine-physical 0 (the
 * shadow page pool, shared by its VMs) and up to HOST_MAXVM VMs, each with
 * its own VCPU, slice of the machine's RAM, shadow page tables, virtual
 * console and disk, guest time and statistics.  One VM at a time is on the
 * machine; the world switch (worldswitch.c) moves the machine's CPU state
 * (registers, pc, shadow root) between VMs, and the scheduler (sched.c)
 * decides which VM runs next and for how many ticks.
 *
 *	host_new(&cfg, vms, n, &h, err);
 *	for each i: vmm_load_elf(host_vm(h, i), path, err);
 *	host_run(h);			run until every VM has stopped
 *	host_vm_exit(h, i) ...		how each one ended
 *	host_free(h);
 *
 * vmm_new makes a host of one VM; its VM is run with vmm_run as before and
 * never switched.  A VM of a bigger host may also be run alone with vmm_run
 * (the monitor does): it is switched onto the machine first.
 *
 * Guest time (--time):
 *   HOST_TIME_VIRTUAL  a VM's clock advances only while it runs (its own
 *       instructions, its emulated instructions, its wfi sleeps).  Each VM
 *       is then, tick for tick, its solo run, whatever the others do.
 *   HOST_TIME_REAL     guest clocks follow the host's clock: a VM that was
 *       descheduled for d host ticks finds its icount d ticks later.  The
 *       timer compare it missed meanwhile latches once, when it runs again:
 *       missed timer interrupts arrive late and merged into one.  A disk
 *       request completes at its tick or, if the VM was off the CPU then,
 *       when it runs again.  A guest measures its steal time with icount:
 *       a loop of k instructions that took more than k ticks was stolen
 *       the difference; a timer wake-up that comes d ticks after its
 *       compare waited d ticks for the CPU (examples/probe.s).
 *
 * The host clock counts the ticks the CPU spent: a VM's ticks while it ran
 * (sleeping in wfi included unless the scheduler is work-conserving, where
 * a VM that sleeps gives the CPU away) and, in real time, idle ticks when
 * no VM can run.
 */
#ifndef VMM_HOST_H
#define VMM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct host;
struct vm;
struct vmm_config;
struct vmm_exit;
struct tracer;

#define HOST_MAXVM		8
#define HOST_NAME_MAX_LEN	24	/* with the NUL */
#define HOST_QUANTUM_DEFAULT	10000u	/* ticks */
#define HOST_PERIOD_QUANTA	3u	/* credit: an accounting period */
#define HOST_WEIGHT_DEFAULT	256u

enum host_sched { HOST_SCHED_RR, HOST_SCHED_CREDIT };
enum host_time { HOST_TIME_VIRTUAL, HOST_TIME_REAL };

struct host_config {
	enum host_sched sched;
	enum host_time time;
	uint64_t quantum;	/* ticks per turn; 0: HOST_QUANTUM_DEFAULT */
	bool idle_in_wfi;	/* not work-conserving: a VM asleep in wfi
				 * keeps the CPU for the rest of its turn */
	bool no_boost;		/* credit: no boost for a VM woken by an
				 * interrupt */
	uint64_t budget;	/* per VM, guest ticks; 0: none */
};

struct host_vm_config {
	const struct vmm_config *vm;	/* memory, console, disk, shadow, trace */
	const char *name;	/* NULL: "vmN" */
	unsigned weight;	/* credit: relative share; 0: 256 */
	unsigned cap;		/* credit: at most this % of the CPU; 0: none */
};

/* Make a host of n (1..HOST_MAXVM) VMs, each reset with pc = 0.  Returns 0,
 * or -1 with a one-line message in err (sizes that do not fit the machine,
 * a disk image that cannot be opened, a duplicate name...). */
int host_new(const struct host_config *cfg, const struct host_vm_config *vms, unsigned n,
	     struct host **out, char *err, size_t errsize);
/* Free the host and its VMs (flushing their consoles, closing disks). */
void host_free(struct host *h);

unsigned host_nvms(const struct host *h);
struct vm *host_vm(struct host *h, unsigned i);
const char *host_vm_name(const struct vm *vm);

/* Switch VM vm onto the machine (a world switch, if another one is on it),
 * so that the vmm_* functions that read the machine (registers, pc,
 * statistics, vmm_check) see it.  Not the scheduler's switch: it is not
 * counted, and the schedule goes on as if it had not happened. */
void host_select(struct vm *vm);

/* Run the VMs, as the scheduler decides, until every one has stopped:
 * powered off, double-faulted, deadlocked, failed, or used up the budget.
 * Their outcomes are then host_vm_exit's. */
void host_run(struct host *h);
/* One turn of host_run: one VM's turn, or the CPU idling until a VM can
 * run.  false once every VM has stopped (nothing was done). */
bool host_run_turn(struct host *h);
/* Run the host as host_run does, but only until the host clock reaches
 * 'until' (HW_NO_BUDGET: no limit), or one guest step (step: of the VM
 * whose turn it is), or something in a VM needs the caller: a breakpoint,
 * a watchpoint, a trap it stops on (vmm_break_add, vmm_watch_add,
 * vmm_stop_on on that VM), or the VM stopped for good.  Returns that VM's
 * exit reason (*ex, *who: the VM), VMM_EXIT_BUDGET at 'until' (*who: the
 * VM that ran last), or VMM_NEXIT once every VM has stopped.  A turn cut
 * short goes on at the next call: stopping changes nothing of the
 * schedule, the VMs' runs or the statistics. */
enum vmm_exit_reason host_run_until(struct host *h, bool step, uint64_t until, unsigned *who,
				    struct vmm_exit *ex);
/* The host clock, the turn in progress included. */
uint64_t host_clock(const struct host *h);
/* How VM i stopped; .reason VMM_NEXIT while it has not. */
const struct vmm_exit *host_vm_exit(const struct host *h, unsigned i);

/* Check every VM's invariants (vmm_check) and the pool's: every page of it
 * free (and zero) or owned by one VM, the per-VM counts right.  0, or -1
 * with the first violation in err. */
int host_check(struct host *h, char *err, size_t errsize);

/* Every turn as it ends, for a picture of the schedule (monitor's
 * --schedule): VM vm (-1: the CPU idled) had the CPU for host ticks
 * [start, start + ticks); woken: it had been woken at that host tick
 * (UINT64_MAX: it had not blocked); then it was (state) still runnable,
 * blocked in wfi until wake_at, parked by its cap, or stopped. */
enum host_turn_end {
	HOST_TURN_RUNNABLE, HOST_TURN_BLOCKED, HOST_TURN_PARKED, HOST_TURN_STOPPED
};
struct host_turn {
	int vm;
	uint64_t start, ticks;
	uint64_t woken;
	enum host_turn_end end;
	uint64_t wake_at;	/* BLOCKED */
};
typedef void host_turn_fn(void *ctx, const struct host_turn *t);
void host_set_turn_hook(struct host *h, host_turn_fn *fn, void *ctx);

/* --- snapshots (hostsnap.c; the file format is vm/hw/snap.h's) ------------- */

struct snap_buf;
struct snap_rd;

/* The whole host (scheduler state and clock, the turn in progress, each
 * VM's scheduler state and guest state: vmm_state_save) as sections
 * appended to b.  0, or -1 with a message naming the VM. */
int host_state_save(struct host *h, struct snap_buf *b, char *err, size_t errsize);
/* Load it into a host fresh from host_new with the same scheduler
 * configuration and VMs (count, names, memory sizes, weights, caps):
 * false with r->what set (what differs, or what is malformed): then throw
 * the host away.  The disks' contents wait in the host for the commit. */
bool host_state_load(struct host *h, struct snap_rd *r);
/* A snapshot file (SNAP_HOST) of the host: 0, or -1 with "PATH: why". */
int host_save(struct host *h, const char *path, char *err, size_t errsize);
/* A new host made as host_new(cfg, vms, n) would, from the snapshot file
 * at path (or, path NULL, from a state in memory: state, len), its disks
 * given the snapshot's contents.  0 and *out, or -1 with one line in err
 * and no host made. */
int host_restore(const struct host_config *cfg, const struct host_vm_config *vms, unsigned n,
		 const char *path, const uint8_t *state, size_t len, struct host **out,
		 char *err, size_t errsize);

/* --- statistics ------------------------------------------------------------ */

struct host_vm_stats {
	uint64_t ticks;		/* guest ticks (its clock) */
	uint64_t ran;		/* host ticks it had the CPU */
	uint64_t slept;		/* ticks of those spent asleep in wfi */
	uint64_t turns;		/* times it was given the CPU */
	uint64_t switches_in;	/* world switches onto it */
	uint64_t wakes;		/* times it became runnable after a wait */
	uint64_t wake_wait;	/* host ticks from those wakes to running */
	uint64_t wake_wait_max;
	uint64_t boosts;
};

struct host_stats {
	uint64_t now;		/* the host clock */
	uint64_t idle;		/* host ticks no VM ran */
	uint64_t switches;	/* world switches */
	uint64_t turns;
};

void host_get_stats(const struct host *h, struct host_stats *st);

/* The scheduler now, for the monitor's 'info sched' and 'info vms'. */
struct host_sched_info {
	struct host_config cfg;	/* quantum: the one in force */
	uint64_t clock;		/* host_clock */
	uint64_t period_end;	/* credit: the next accounting */
	int turn_vm;		/* the turn in progress: its VM, or -1 */
	uint64_t turn_left;	/* guest ticks left of it */
};
void host_get_sched(const struct host *h, struct host_sched_info *si);
struct host_vm_sched {
	const char *state;	/* "runnable", "blocked", "parked", "stopped" */
	unsigned weight, cap;
	int64_t credit;
	bool boost;
	uint64_t wake_at;	/* blocked: the host tick it wakes */
	uint32_t shadow_used;	/* shadow pool pages it holds */
	uint32_t shadow_quota;	/* ... and may hold */
};
void host_get_vm_sched(const struct host *h, unsigned i, struct host_vm_sched *vs);
/* The runnable VMs in the order the scheduler would give them the CPU
 * now (the turn in progress first): their numbers into ids, the count. */
unsigned host_runqueue(const struct host *h, unsigned ids[HOST_MAXVM]);
void host_get_vm_stats(const struct host *h, unsigned i, struct host_vm_stats *st);
/* VM i's share of the CPU: host ticks it ran over the host ticks any VM
 * ran (idle excluded); 0 before any. */
double host_vm_share(const struct host *h, unsigned i);
/* Jain's fairness index over the VMs' CPU shares divided by their weights:
 * (sum x)^2 / (n sum x^2), 1 when every VM got its weight's share. */
double host_fairness(const struct host *h);
/* "name: value" lines: the scheduler's ("sched_..."), then per VM
 * ("NAME_..."). */
void host_print_stats(struct host *h, FILE *f);

#endif /* VMM_HOST_H */
