/*
 * vmm_priv.h - the inside of the VMM, shared by the files of vm/vmm only
 * (and by its unit tests).  One file per concept:
 *
 *   vcpu.c      the virtual CPU: trap entry, rfe, reset
 *   vm.c        the run loop (the dispatcher), guest time, the control registers
 *   vmlife.c    struct vm's life: made, reset, loaded, destroyed
 *   vmview.c    a VM from outside: registers, pc, memory, console
 *   emulate.c   one handler per privileged instruction run in virtual kernel mode
 *   reflect.c   delivering a trap to the guest; the virtual double fault
 *   shadow.c    shadow page tables: guest walk, hidden faults, policies
 *   shadowctx.c    the shadow contexts: pool pages, activation, TLB tags
 *   shadowtrack.c  tracked page tables (trace): reverse map, write protection
 *   virq.c      virtual interrupts and guest time events, wfi
 *   vdev.c      virtual devices: console, disk, power, memsize
 *   inspect.c   translations explained, mappings, invariants, statistics
 *   host.c      many VMs on one machine: the layout, the pool, the VMs' life
 *   worldswitch.c  moving a VM's CPU state onto and off the machine
 *   sched.c     which VM runs next, for how long: round robin, credit
 *   btrun.c     binary translation: guest kernel code run from translations
 *   nested.c    the VMM on PG32-V: guest mode, the nested table, its faults
 *   dirtylog.c  the dirty log: guest pages written since the last sync
 *   migrate.c   live migration, the source: pre-copy rounds, stop-and-copy
 *   migrecv.c   live migration, the destination: a VM from a stream
 *   migwire.c   the migration stream's records (MIGRATION.md)
 */
#ifndef VMM_PRIV_H
#define VMM_PRIV_H

#include "console.h"
#include "disk.h"
#include "hypercall.h"
#include "hw.h"
#include "host.h"
#include "vcpu.h"
#include "vmm.h"

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/*
 * Machine-physical memory (host.c), for a host of n VMs (n = 1: vmm_new):
 *
 *   0             +---------------------------------+
 *                 | VMM area: the shadow page pool  |  sum of VMM_AREA_MIB(mem_i),
 *                 | (roots and second-level tables) |  never mapped by a shadow PTE
 *   vm0->area     +---------------------------------+
 *                 | VM 0: guest-physical 0 .. gmem0 |  mpa = vm->area + gpa
 *   vm1->area     +---------------------------------+
 *                 | VM 1: guest-physical 0 .. gmem1 |
 *                 +---------------------------------+
 *                 | ...                             |
 *   last's end    +---------------------------------+  = the machine's memsize
 *
 * vm->area is the machine-physical base of that VM's slice (for one VM, the
 * size of the VMM area, as it always was).
 */
#define VMM_AREA_MIB(guest_mib)	(4u + (guest_mib) / 128u)

enum { KIND_FETCH, KIND_LOAD, KIND_STORE };	/* as in fault causes: 8 + 2*kind */

#define VMM_MAXBP	16
#define SH_MAXCTX	32	/* shadow contexts (trace policy caches them) */
/* The machine's TLB tag of context c of a VM (hw_set_ptb_tagged): above
 * the vmids nested.c gives PG32-V guests, one range per VM of the host. */
#define SH_TAG(vm, c)	(ISA_VMID_MAX + 1u + (vm)->id * SH_MAXCTX + (unsigned)(c))
#define NO_PAGE		(-1)
#define NO_SLOT		(-1)
#define NO_SRC		0xffffffffu

/* One page of the shadow pool (shadowctx.c). */
enum { SP_FREE, SP_ROOT, SP_TABLE, SP_NESTED };	/* SP_NESTED: nested.c's */
struct spage {
	uint8_t kind;		/* SP_* */
	uint8_t ctx;		/* owning context */
	uint8_t vm;		/* owning VM (its index in the host) */
	uint16_t dir;		/* SP_TABLE: its slot in the root */
	uint32_t src;		/* guest-physical page it shadows (the guest's
				 * directory for a root, table for a table);
				 * NO_SRC if none (paging off, flush policy) */
	int32_t prev, next;	/* list of pages with the same src; the free
				 * list uses next */
};

/* A shadow context: the machine-walkable copy of one guest address space
 * (guest ptb) as seen from one guest mode. */
struct sctx {
	int32_t root;		/* pool page, NO_PAGE: slot unused */
	uint32_t gptb;		/* the guest ptb it shadows (0: paging off) */
	int8_t kernel;		/* 1 kernel, 0 user, -1 both (paging off) */
	uint64_t used;		/* LRU stamp */
	uint32_t flood;		/* trace: stores to its page tables while
				 * not in use (see shadow_pt_written) */
};

/* The pool: every page of the VMM area, one free list for the host's VMs.
 * Each VM has a quota (what its solo VMM area would hold); the quotas add
 * up to the pool, so a VM under its quota always finds a free page, and a
 * VM that exhausts its own quota resets only its own shadows. */
struct spool {
	uint32_t npages;	/* pool pages = the VMM area's pages */
	uint32_t nused;
	struct spage *pg;	/* indexed by machine-physical page number */
	int32_t free_head;
	int32_t *rmap_next, *rmap_prev;	/* trace policy: per slot (page * 1024
					 * + entry), the VMs' reverse maps */
};

struct shadow {
	struct spool *pool;	/* the host's */
	struct spage *pg;	/* = pool->pg */
	uint32_t quota;		/* pages reserved for this VM */
	uint32_t limit;		/* how many it may use: <= quota (tests lower it) */
	uint32_t nused;		/* pages this VM uses */
	int32_t *src_head;	/* per guest page: shadow pages shadowing it;
				 * != NO_PAGE means "tracked" (trace policy) */
	/* Trace policy: the reverse map of writable shadow leaves, so that
	 * write-protecting a guest page visits only the leaves onto it.  A
	 * slot is a shadow leaf's place, pool page << 10 | entry; slot s is
	 * on the list of guest page g exactly when the leaf at s is writable
	 * onto g.  NULL under the flush policy. */
	int32_t *rmap_head;	/* per guest page: first slot, NO_SLOT */
	int32_t *rmap_next, *rmap_prev;	/* per slot: = the pool's arrays */
	struct sctx ctx[SH_MAXCTX];
	int cur[2];		/* context for the current guest ptb, per mode
				 * ([0] user, [1] kernel), -1 if not chosen */
	uint32_t mptb;		/* the machine's ptb as last set */
	unsigned mtag;		/* and its TLB tag */
	uint64_t clock;
	uint32_t tlb_stale;	/* per context (bit c): entries dropped from
				 * its shadow may linger in the machine's TLB
				 * under its tag, until it is flushed */
};

/* Counters beyond struct vmm_stats, printed by vmm_print_stats. */
struct vmm_xstats {
	uint64_t ptb_switches;		/* machine ptb changes (mode switches...) */
	uint64_t tlb_flushes;		/* machine TLB flushes the VMM asked for */
	uint64_t pool_resets;		/* shadow pool exhausted: all dropped */
	uint64_t ctx_evictions;		/* trace: cached contexts dropped */
	uint64_t downgrades;		/* trace: pages newly write-protected */
	uint64_t flood_drops;		/* trace: contexts dropped, write-flooded */
	uint64_t wfi_sleep;		/* guest ticks slept in wfi */
	uint64_t visits;		/* shadow entries (PDEs, PTEs) read or
					 * written to keep the shadows coherent:
					 * pages cleared, roots scanned, entries
					 * dropped or write-protected (fills not
					 * counted); bounded per guest tick */
	uint64_t emulated_by_op[ISA_NOPS];
};

/* The dirty log (dirtylog.c): while it is on, a shadow leaf is writable
 * only onto a guest page already marked dirty, so the guest's first store
 * to a clean page faults (hidden) and marks it; every host write to guest
 * RAM marks what it wrote.  A sync hands the marks over, clears them and
 * write-protects every leaf again. */
struct dirtylog {
	bool on;
	uint32_t npages;	/* guest pages */
	uint64_t *bits;		/* one bit per guest page: written since the
				 * last sync */
	uint64_t protected_;	/* leaves write-protected by syncs */
};

/* A VM as the scheduler sees it (sched.c). */
enum vm_run_state {
	VMS_RUNNABLE,
	VMS_BLOCKED,	/* real time, work-conserving: in wfi until wake_at */
	VMS_PARKED,	/* credit: used its cap in this period */
	VMS_DONE,	/* stopped for good: exit */
};

struct vm_sched {
	enum vm_run_state state;
	unsigned weight, cap;	/* credit: share, % of the CPU (0: none) */
	int64_t credit;		/* credit: ticks it may still use */
	bool boost;		/* credit: woken by an interrupt, runs first */
	bool block_in_wfi;	/* real time, work-conserving: wfi with
				 * nothing pending ends the turn (emu_wfi) */
	bool blocked;		/* emu_wfi: the turn ended in wfi, asleep */
	uint64_t wake_guest;	/* blocked: its next event tick (guest) */
	uint64_t wake_at;	/* BLOCKED: host tick it can be woken */
	uint64_t woken_at;	/* host tick it became runnable after a wait,
				 * UINT64_MAX if none is pending */
	uint64_t period_ran;	/* credit: host ticks run this period */
	int64_t skew;		/* real time: guest ticks - host ticks */
	uint64_t budget_end;	/* the caller's budget, guest ticks */
	struct vmm_exit exit;	/* DONE: how it ended */
	struct host_vm_stats st;
};

/* The CPU state of a VM while another one is on the machine
 * (worldswitch.c).  Its virtual state (vcpu, shadows, devices) stays in
 * struct vm all along: only what lives in the machine moves. */
struct ws_saved {
	uint32_t r[ISA_NREGS];
	uint32_t pc;
	uint64_t now;		/* guest ticks when it left */
	uint64_t direct;	/* its direct instructions so far */
	uint64_t host_now;	/* host clock when it left */
};

/* The paravirtual interface (hypercall.c). */
struct pvstate {
	bool offered;		/* vmlab run --pv: hcall is a hypercall */
	uint32_t shared;	/* guest-physical shared page, 0: none */
	uint64_t calls[HC_N + 1];	/* by number; [HC_N]: unknown numbers */
	uint64_t bounced;	/* user traps saved into the guest's frame */
	uint32_t blk_ring;	/* pvblk.c: the ring page, 0: none */
	uint32_t blk_n;		/* queue size */
	uint16_t blk_seen;	/* avail.idx up to which chains were served */
	uint64_t blk_due;	/* completion tick of the kicked batch, or
				 * UINT64_MAX: none in flight */
	uint64_t blk_requests, blk_bytes, blk_errors;
};

/* --mmu=nested (nested.c): the VM's guest-state area and nested table,
 * pool pages of its quota (machine-physical addresses; 0: none). */
struct nstate {
	bool have;		/* gsa and root are allocated */
	uint32_t gsa, root;
	uint64_t fills;		/* nested page faults that mapped a page */
	uint64_t tables;	/* nested tables allocated */
};

struct vm {
	struct machine *m;	/* the host's machine */
	bool nested;		/* --mmu=nested: guest mode, no shadows */
	struct nstate ns;
	struct host *host;
	unsigned id;		/* index in the host */
	char name[HOST_NAME_MAX_LEN];
	struct ws_saved saved;	/* valid while host->cur != this VM */
	uint64_t direct_off;	/* direct instructions = hw_ticks(m) - direct_off */
	struct vm_sched sc;	/* the scheduler's view (sched.c) */
	struct vcpu vc;
	uint32_t gmem;		/* guest memsize in bytes */
	uint32_t area;		/* VMM area size = machine-physical base of guest RAM */
	uint8_t *gram;		/* host address of guest-physical 0 */
	enum vmm_shadow_policy policy;
	const struct tracer *tr;

	/* Guest time: guest ticks = hw_ticks(m) + tick_off. */
	uint64_t tick_off;
	uint64_t events_at;	/* the last tick whose end-of-tick events ran */
	struct hw_wficut wfi_cut;	/* the last run ended inside this wfi */
	uint64_t budget_end;	/* caller's budget, guest ticks */
	/* Host work without guest progress: the dispatcher's turns (exits,
	 * injections) since guest time last moved.  A correct VMM needs a few
	 * per instruction; one that never retires anything (an emulation that
	 * leaves pc and time alone, a fault it handles forever) is stopped
	 * with exit BUDGET after stall_limit turns. */
	uint64_t stall_at;	/* guest tick the count is for */
	uint64_t stall;
	uint64_t stall_limit;	/* set with the budget; UINT64_MAX: none */

	/* Virtual devices (vdev.c). */
	struct cons cons;
	struct disk disk;
	struct dev_dma dma;

	/* Run control. */
	uint32_t stop_causes;
	bool stop_all;
	uint32_t bp[VMM_MAXBP];
	unsigned nbp;
	/* The last breakpoint exit, at a guest pc and tick (hw.h): the next
	 * run passes it there, but not once the guest has moved (an
	 * event-only turn of the loop, a switch, must not forget it). */
	struct hw_bp_pass bp_pass;
	uint32_t wp[VMM_MAXBP];
	unsigned nwp;
	bool watch_hit;		/* an emulated store changed a watched word */
	bool fast_exits;	/* vmm_set_fast_exits: the machine calls the
				 * dispatcher from its loop (vm.c fast_trap) */
	struct vmm_exit watch_exit;
	bool powered;		/* the guest wrote POWER (halt after retiring) */
	uint32_t power_code;
	enum vmm_exit_reason halt;	/* VMM_NEXIT, or the sticky exit */
	struct vmm_exit halt_exit;
	char message[192];	/* halt_exit.message points here */

	struct shadow sh;
	struct vmm_stats st;
	struct vmm_xstats xs;
	struct pvstate pv;
	struct btrun *bt;	/* --bt: binary translation (btrun.c); NULL: off */
	struct dirtylog dl;
};

/* The turn in progress (host.c).  A caller that stops the host (a
 * breakpoint, a step, a limit on the host clock: host_run_until) cuts a
 * turn short without ending it: the next run goes on with it, so the
 * schedule is the one of a run never stopped. */
struct host_turn_state {
	int vm;			/* whose turn; -1: none in progress */
	uint64_t left;		/* guest ticks left of it */
	uint64_t used, slept;	/* guest ticks run so far, of them asleep */
	uint64_t woken;		/* as struct host_turn's */
};

/* Many VMs on one machine (host.h). */
struct host {
	struct machine *m;
	struct spool pool;
	struct vm *vm[HOST_MAXVM];
	unsigned nvm;
	struct vm *cur;		/* the VM on the machine (worldswitch.c) */
	int sched_cur;		/* the VM the scheduler last put on it */
	struct host_turn_state turn;
	struct host_config cfg;
	uint64_t now;		/* the host clock */
	uint64_t period_end;	/* credit: next accounting */
	unsigned last;		/* the VM that ran last (round robin) */
	struct host_stats st;
	const struct tracer *tr;	/* the first VM's, for sched events */
	host_turn_fn *turn_fn;	/* host_set_turn_hook */
	void *turn_ctx;
	/* A snapshot being restored (hostsnap.c): each VM's disk contents,
	 * written once every section has been read. */
	const uint8_t *snap_disk[HOST_MAXVM];
};

/* --- vmlife.c ----------------------------------------------------------- */

/* Make VM id of host h over the slice at machine-physical 'area' (the pool
 * and machine exist).  Returns 0, or -1 with a message. */
int vm_create(struct host *h, unsigned id, const struct vmm_config *cfg, const char *name,
	      uint32_t area, struct vm **out, char *err, size_t errsize);
void vm_destroy(struct vm *vm);

/* --- vm.c --------------------------------------------------------------- */

/* The machine handles this VM's exceptions in its loop (vm.c's fast path,
 * hw_set_trap_handler), unless vmm_set_fast_exits turned it off: installed
 * at reset and at each world switch, as the handler's context is the VM on
 * the machine. */
void vm_install_fast_trap(struct vm *vm);

static inline uint64_t vm_now(const struct vm *vm)
{
	return hw_ticks(vm->m) + vm->tick_off;
}

/* Retire one emulated instruction: one guest tick and its events. */
void vm_tick(struct vm *vm);
/* Stop the VM for good with this exit (POWEROFF, DOUBLE_FAULT, ...). */
void vm_halt(struct vm *vm, enum vmm_exit_reason r, const char *message);
/* A lab's stub (labs/README.md, "Markers"): stop the VM for good with
 * VMM_EXIT_FAILURE and the message "WHAT not implemented", which vmlab
 * prints before exiting with status 126.  An earlier halt is kept.  The
 * reference never calls it; the student trees of labs 2-4 do. */
void vmm_not_implemented(struct vm *vm, const char *what);
/* Trace an event (call only when trace_on). */
void vm_trace(const struct vm *vm, enum trace_cat cat, uint32_t pc, bool kernel,
	      bool kernel_after, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static inline bool vm_tracing(const struct vm *vm, enum trace_cat cat)
{
	return unlikely(vm->tr != NULL) && trace_on(vm->tr, cat);
}

/* --- emulate.c ---------------------------------------------------------- */

enum emu_result {
	EMU_NEXT,	/* retired: pc += 4, one tick */
	EMU_JUMPED,	/* retired: the handler set pc; one tick */
	EMU_FAULTED,	/* raised a guest-visible exception (reflected or
			 * a double fault): nothing retired */
	EMU_WAIT,	/* wfi: handled its own time; the caller stops */
};
/* Emulate the privileged instruction d (word insn, at pc) that the guest
 * executed in virtual kernel mode.  Returns the handler's name. */
const char *emu_privileged(struct vm *vm, const struct isa_insn *d, uint32_t insn,
			   uint32_t pc, enum emu_result *res);
/* Emulate a store d at va to guest-physical gpa (trace policy: a store to
 * a tracked page-table page); the guest walk allowed it. */
void emu_store(struct vm *vm, const struct isa_insn *d, uint32_t va, uint32_t gpa);
/* Emulate a load d from guest-physical gpa (the guest walk allowed it). */
void emu_load(struct vm *vm, const struct isa_insn *d, uint32_t gpa);

/* --- reflect.c ---------------------------------------------------------- */

/* Deliver exception 'cause' raised by the instruction at pc to the guest
 * (trap entry on the VCPU, pc = tvec, shadow for kernel mode).  If it is
 * the first instruction of the handler right after a trap entry, the
 * guest double-faults instead: the VM halts.  Returns false then. */
bool reflect_exception(struct vm *vm, unsigned cause, uint32_t badva, uint32_t pc);
/* Deliver interrupt 'cause' before the instruction at the current pc. */
void reflect_interrupt(struct vm *vm, unsigned cause);

/* --- shadow.c, shadowctx.c, shadowtrack.c (their own: shadow.h) --------- */

/* The host's pool over the first npages pages of machine-physical memory. */
int spool_init(struct spool *p, uint32_t npages, char *err, size_t errsize);
void spool_free(struct spool *p);
/* A VM's shadows, with 'quota' pages of the host's pool reserved. */
int shadow_init(struct vm *vm, uint32_t quota, char *err, size_t errsize);
void shadow_free(struct vm *vm);
/* Drop every shadow page (pool back to all-free, all zero). */
void shadow_reset(struct vm *vm);
/* Make the machine's ptb the shadow root for the guest's current ptb and
 * virtual mode (after a mode or ptb change). */
void shadow_activate(struct vm *vm);
/* The guest's tlbflush, tlbinv va, and ptb write, per the policy. */
void shadow_guest_flush(struct vm *vm);
void shadow_guest_inv(struct vm *vm, uint32_t va);
void shadow_guest_ptb(struct vm *vm);
/* The host or a device wrote guest memory [gpa, gpa+len): keep the
 * shadows of page tables in it honest. */
void shadow_guest_written(struct vm *vm, uint32_t gpa, uint32_t len);

/* The guest's own page walk (ISA.md 9.4) on guest-physical memory. */
struct gwalk {
	uint32_t pde_addr, pde, pte_addr, pte;
	uint32_t gpa;
};
unsigned shadow_guest_walk(const struct vm *vm, uint32_t va, int kind, bool kernel,
			   struct gwalk *w);

enum { SHF_HIDDEN = 0, SHF_EMULATE = 0x100, SHF_LOAD = 0x101 };	/* or a guest cause */
/* A page fault or BUS the machine raised for an access of 'kind' at va.
 * Returns SHF_HIDDEN after filling the shadow (the guest did not see it),
 * SHF_EMULATE with *gpa for a store the VMM must do itself (a tracked page
 * table; under --bt translated code, or the translation window),
 * SHF_LOAD with *gpa for a load the VMM must do (--bt: the window), or the
 * ISA_CAUSE_* the guest takes (a true fault). */
unsigned shadow_fault(struct vm *vm, uint32_t va, int kind, uint32_t *gpa);
/* Trace policy: a guest store to tracked page-table page gpa (word
 * aligned) has been done: drop the shadow entries derived from that word. */
void shadow_pt_written(struct vm *vm, uint32_t gpa);
bool shadow_tracked(const struct vm *vm, uint32_t gpa);
/* Drop every shadow and reload the machine's ptb and TLB: after a change
 * the shadows cannot follow entry by entry. */
void shadow_start_over(struct vm *vm);
/* The guest kernel's instruction fetch at va as the hardware's walk does
 * it (A set in the guest's PTE), without touching the shadows: 0 and
 * *gpa, or the cause the guest takes. */
unsigned shadow_guest_fetch(struct vm *vm, uint32_t va, uint32_t *gpa);
/* Map the page at machine-physical mpa at va in the guest kernel's
 * shadow with perms (ISA_PTE_*; U and A added): a page of translations or
 * the VCPU page (btrun.c). */
void shadow_map_tc(struct vm *vm, uint32_t va, uint32_t mpa, uint32_t perms);
/* Let the pool use only this many pages (at least 2; for tests of pool
 * exhaustion).  Drops every shadow. */
void shadow_set_limit(struct vm *vm, uint32_t pages);

/* Dirty logging (dirtylog.c): leaf slot e of shadow page 'page' loses W
 * (and D), and leaves the reverse map. */
void shadow_leaf_protect(struct vm *vm, int32_t page, unsigned e);
/* The machine's TLB loses every entry (after leaves lost W). */
void shadow_tlb_flush(struct vm *vm);

/* --- dirtylog.c ---------------------------------------------------------- */

/* Guest RAM [gpa, gpa+len) was written: mark its pages (no-op when off). */
void dirtylog_mark(struct vm *vm, uint32_t gpa, uint32_t len);
/* May a shadow leaf onto guest page gpa be writable? (always when off) */
bool dirtylog_writable(const struct vm *vm, uint32_t gpa);

/* --- virq.c ------------------------------------------------------------- */

/* End-of-tick events at guest tick 'now' (ISA.md 10.1): timer latch, disk
 * completion, console polling.  Runs at most once per tick. */
void virq_events(struct vm *vm, uint64_t now);
/* The next guest tick after now at which an event can happen, or the
 * caller's budget if earlier. */
uint64_t virq_next_event(const struct vm *vm, uint64_t now);
/* wfi at pc (ISA.md 10.3).  Returns EMU_NEXT when it woke (the caller
 * retires it), EMU_WAIT if the budget ran out first (pc unchanged) or the
 * guest deadlocked (VM halted). */
enum emu_result virq_wfi(struct vm *vm);
/* Device line hook (struct dev_irq) for the virtual devices. */
void virq_line(void *ctx, uint32_t lines, bool level);
/* The interrupt the guest takes before its next instruction (an
 * ISA_CAUSE_*, lowest line first), or 0: IE = 1 and (ipend & imask). */
unsigned virq_pending(const struct vcpu *v);

/* --- vdev.c ------------------------------------------------------------- */

int vdev_init(struct vm *vm, const struct vmm_config *cfg, char *err, size_t errsize);
void vdev_free(struct vm *vm);
void vdev_reset(struct vm *vm);
/* Port access at guest tick now: 0, or ISA_CAUSE_BUS for no such port.
 * A POWER write halts the VM (after the caller retires the out). */
unsigned vdev_in(struct vm *vm, uint32_t port, uint32_t *val);
unsigned vdev_out(struct vm *vm, uint32_t port, uint32_t val, bool *power);

/* --- worldswitch.c ------------------------------------------------------ */

/* Put VM 'to' on the host's machine: save the CPU state of the one there
 * into it, load to's (registers, pc, guest time, shadow root: the
 * machine's TLB is flushed, as it has no VM tag).  sched: the scheduler's
 * switch, counted in the statistics; false: only to look at the VM. */
void ws_switch(struct host *h, struct vm *to, bool sched);

/* --- sched.c ------------------------------------------------------------ */

/* The VM to run next and for how many host ticks, or NULL if none can run
 * now (then *ticks is how long the CPU idles; 0 if no VM will ever run). */
struct vm *sched_pick(struct host *h, uint64_t *ticks);
/* The host ticks a turn took that ran 'used' guest ticks, 'slept' of them
 * asleep in wfi: work-conserving in virtual time, the sleep is free. */
uint64_t sched_turn_ticks(const struct host *h, uint64_t used, uint64_t slept);
/* VM vm ran 'ran' host ticks of its turn (sched_turn_ticks'): its
 * statistics, and under credit its credit, boost and cap. */
void sched_charge(struct host *h, struct vm *vm, uint64_t ran);
/* The host clock moved: wake what is due, refill credits. */
void sched_tick(struct host *h);
void sched_init_vm(struct vm *vm, unsigned weight, unsigned cap);

/* --- virq.c (outside the labs) --------------------------------------------- */

/* A VM that gave the CPU away in wfi (emu_wfi) runs again: if a line in
 * imask is pending now, the wfi retires (pc += 4, one tick), as it would
 * have on waking; else the guest executes it again. */
void virq_wfi_resume(struct vm *vm);
/* wfi at pc, emulated: virq_wfi, and a sleep the budget cut is noted in
 * vm->wfi_cut (vm/hw/hw.h "a run cut inside wfi"). */
enum emu_result virq_wfi_sleep(struct vm *vm, uint32_t pc);
/* At a run's start, before any boundary: the wfi the last run was cut in
 * (or HC_BLOCK's hypercall, hypercall.c) sleeps on, and retires if it
 * wakes (true).  false: there was none (or the guest is no longer there),
 * it sleeps to the budget again, or the guest deadlocked. */
bool virq_wfi_continue(struct vm *vm);
/* Real time: guest time jumps from now to 'to' (the VM was off the CPU).
 * The end-of-tick events of the timer compare passed meanwhile (one
 * latch), of the last console poll point passed, and of 'to' (a disk
 * request due meanwhile completes) run, in that order. */
void virq_catch_up(struct vm *vm, uint64_t to);

/* Guest-physical words for the paravirtual structures (hypercall.c,
 * pvblk.c): gpa must lie inside guest RAM (the caller checked); stores go
 * through vmm_guest_write, so shadows of page tables stay honest. */
/* A page of guest RAM the guest may register (the shared page, the ring). */
static inline bool pv_page_ok(const struct vm *vm, uint32_t gpa)
{
	return !(gpa & (ISA_PAGE_SIZE - 1)) && vm->gmem >= ISA_PAGE_SIZE
	       && gpa <= vm->gmem - ISA_PAGE_SIZE;
}

static inline uint32_t pv_ld32(const struct vm *vm, uint32_t gpa)
{
	uint32_t v;

	__builtin_memcpy(&v, vm->gram + gpa, 4);
	return v;
}

static inline uint16_t pv_ld16(const struct vm *vm, uint32_t gpa)
{
	uint16_t v;

	__builtin_memcpy(&v, vm->gram + gpa, 2);
	return v;
}

static inline void pv_st32(struct vm *vm, uint32_t gpa, uint32_t v)
{
	vmm_guest_write(vm, gpa, &v, 4);
}

/* --- hypercall.c -------------------------------------------------------- */

/* An hcall in virtual kernel mode of a VM run with --pv, at pc.  *retired:
 * it completed (pc += 4, a tick); false: HC_BLOCK ran out of budget and
 * runs again on the next vmm_run.  Returns the handler's name. */
const char *hc_dispatch(struct vm *vm, uint32_t pc, bool *retired);
/* With a shared page, in virtual kernel mode with IE = 0: the interrupt
 * to deliver because the guest's virtual flag lets it in (the flag is
 * cleared), or 0 (the held-back lines are posted in the page). */
unsigned hc_virtual_if(struct vm *vm);
/* Whether hc_virtual_if would do anything now (deliver, or post the lines
 * it holds back): a pending line in imask, virtual kernel mode, IE off.
 * No side effect. */
static inline bool hc_virtual_if_due(const struct vm *vm)
{
	return (vcpu_ipend(&vm->vc) & vm->vc.cr[ISA_CR_IMASK]) && vcpu_kernel(&vm->vc)
	       && !(vm->vc.cr[ISA_CR_STATUS] & ISA_ST_IE);
}
/* A trap from virtual user mode was just delivered: if the guest
 * registered a frame, save the user registers and pc there, post cause
 * and badva, and enter at the registered entry with sp = the frame. */
void hc_bounce(struct vm *vm, unsigned cause, uint32_t badva, uint32_t pc);
/* "vmm_hcall_NAME: count" lines. */
void hc_print_stats(const struct vm *vm, FILE *f);
const char *hc_name(unsigned n);

/* --- pvblk.c ------------------------------------------------------------ */

/* HC_BLK_SETUP: the ring page (0: none) and its queue size.  0 or -HC_E*. */
int32_t pvblk_setup(struct vm *vm, uint32_t ring, uint32_t n);
/* A ring the guest may register: a page of guest RAM, n a power of two
 * up to PVBLK_MAXQ. */
bool pvblk_ring_ok(const struct vm *vm, uint32_t ring, uint32_t n);
/* HC_BLK_NOTIFY: ACK lowers the completion line; KICK starts the device
 * (completion ISA_DISK_LATENCY ticks later) if it is idle.  Returns the
 * chains not yet served, or -HC_EINVAL with no ring. */
int32_t pvblk_notify(struct vm *vm, uint32_t flags);
/* At the completion tick (pv.blk_due): serve every available chain, fill
 * the used ring, raise the disk line. */
void pvblk_complete(struct vm *vm);
/* The next guest event, counting the block ring's completion. */
static inline uint64_t pv_next_event(const struct vm *vm, uint64_t now)
{
	uint64_t e = virq_next_event(vm, now);

	return unlikely(vm->pv.blk_due < e) ? vm->pv.blk_due : e;
}
/* End-of-tick events at now, the block ring's completion included. */
static inline void pv_events(struct vm *vm, uint64_t now)
{
	virq_events(vm, now);
	if (unlikely(vm->pv.blk_due <= now))
		pvblk_complete(vm);
}

/* --- btrun.c ------------------------------------------------------------ */

/* The guest-virtual window where the kernel's shadows map the translation
 * cache (the top 4 MiB's first BT_TC_MIB; the guest kernel's own loads and
 * stores there are done by the VMM), and its size in machine RAM, just
 * below the guest's slice, the VCPU page (bt.h BT_VCPU_VA) its last. */
#define BT_TC_VA	0xffc00000u
#define BT_TC_MIB	1u

bool btrun_in_window(uint32_t va);
/* vm->bt for a VM run with --bt, its translations at machine-physical
 * tc_mpa (inline_cr: --bt=inline, bt.h).  Returns 0, or -1 with a message
 * (out of host memory). */
int btrun_init(struct vm *vm, uint32_t tc_mpa, bool inline_cr, char *err, size_t errsize);
void btrun_free(struct vm *vm);
/* Empty cache, statistics zero (vmm_reset). */
void btrun_reset(struct vm *vm);
/* Throw every translation away (a breakpoint set or cleared). */
void btrun_flush(struct vm *vm);
/* Before the machine runs: in virtual kernel mode, the machine's pc (a
 * guest pc) becomes its translation's, translated on a miss.  Returns
 * false if the guest's fetch there faulted (reflected: the caller goes
 * back to its boundary). */
bool btrun_enter(struct vm *vm);
/* After the machine stopped: its pc (and hx->pc) back to the guest's.
 * Returns true if it handled the exit itself (a callout, the mapping of a
 * translation page; *retired: a guest instruction retired); false for the
 * dispatcher to handle hx, a callout for a sensitive instruction included
 * (rewritten into the trap it raises when privileged). */
bool btrun_leave(struct vm *vm, struct hw_exit *hx, bool *retired);
/* Guest-physical gpa lies in a page code was translated from: no shadow
 * leaf onto it may be writable. */
bool btrun_protects(const struct vm *vm, uint32_t gpa);
/* A shadow leaf onto the translation cache (for vmm_check). */
bool btrun_tc_leaf(const struct vm *vm, uint32_t pte);
/* The guest stores to gpa (its walk allows it): if translated code is
 * there, the cache is flushed (an invalidation); returns whether it was. */
bool btrun_store(struct vm *vm, uint32_t gpa);
/* The host or a device wrote guest memory [gpa, gpa+len). */
void btrun_written(struct vm *vm, uint32_t gpa, uint32_t len);
void btrun_print_stats(const struct vm *vm, FILE *f);

/* --- nested.c ----------------------------------------------------------- */

/* A page of the VM's pool quota for nested.c (zeroed), NO_PAGE if none;
 * and back (shadowctx.c). */
int32_t shadow_page_alloc(struct vm *vm);
void shadow_page_free(struct vm *vm, int32_t i);
/* The GSA and an empty nested root, the intercepts written (after
 * shadow_reset).  0, or -1 with the VM halted. */
int nested_reset(struct vm *vm);
void nested_free(struct vm *vm);
/* The GSA's controls: which instructions, registers and causes exit. */
void nested_intercepts(struct vm *vm);
/* Around hw_run: the VCPU and pc into the GSA and hw_vmrun; after the
 * exit, back from the GSA. */
void nested_enter(struct vm *vm);
void nested_leave(struct vm *vm);
/* An NPF exit: map the guest page (hidden from the guest: returns
 * nested_fill), or reflect BUS for a gpa outside the guest's RAM. */
const char *nested_fault(struct vm *vm, const struct hw_exit *hx);
extern const char nested_fill[];
int nested_check(const struct vm *vm, char *err, size_t errsize);
void nested_print_stats(const struct vm *vm, FILE *f);

/* --- inspect.c ---------------------------------------------------------- */

/* Check every invariant of the shadow pool and the machine (see README);
 * returns 0, or -1 with the first violation in err. */
int vmm_check_internal(const struct vm *vm, char *err, size_t errsize);
/* The same but for the free pages of the pool, which vmm_check_internal
 * checks for every VM at once: a host checks them once, then each VM. */
int vmm_check_vm(const struct vm *vm, char *err, size_t errsize);

#endif /* VMM_PRIV_H */
