/*
 * vmm.h - the trap-and-emulate virtual machine monitor: run an unmodified
 * PG32 guest with its kernel in physical user mode.
 *
 * A struct vm is one guest: a VCPU (the guest's virtual mode and control
 * registers), a slice of the machine's RAM as guest-physical memory, shadow
 * page tables the machine's MMU walks, and virtual devices.  The guest's
 * general registers and pc live in the machine's CPU while it runs (direct
 * execution); every trap comes back here (vm/hw's trap_to_host), and the
 * VMM emulates, reflects, or fills a shadow entry, then runs the guest again.
 *
 * Machine-physical memory, as the VMM lays it out:
 *
 *	0                 VMM area: shadow page-table pages, never mapped
 *	                  by any shadow entry, so no guest can reach it
 *	VMM_AREA          guest-physical 0 .. guest memsize: the guest's RAM
 *	                  (machine-physical = VMM_AREA + guest-physical)
 *
 * The life of a VM is the machine's (hw.h), one level up:
 *
 *	vmm_new(&cfg, &vm, err); vmm_load_elf(vm, path, err);
 *	while (vmm_run(vm, &exit) != VMM_EXIT_POWEROFF) ...;
 *	vmm_free(vm);
 *
 * Equivalence: a guest sees exactly what it would see on the bare machine
 * with the same memory size, devices and inputs: the same instructions
 * retire at the same ticks, the same traps and interrupts arrive at the
 * same ticks, the same console output and disk contents result.
 */
#ifndef VMM_H
#define VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw.h"
#include "trace.h"

struct vm;
struct cons;

enum vmm_shadow_policy {
	VMM_SHADOW_FLUSH,	/* drop shadow entries on guest tlbflush, tlbinv
				 * and ptb writes (the ISA's TLB rule) */
	VMM_SHADOW_TRACE,	/* write-protect guest page-table pages and
				 * update the shadow on each store to them */
};

/* The largest guest RAM under the VMM: the machine's 2048 MiB hold the
 * guest's RAM and the VMM area (its shadow page pool) below it. */
#define VMM_MAX_MEM_MIB	2029

struct vmm_config {
	uint32_t mem_mib;	/* guest RAM in MiB, 1..VMM_MAX_MEM_MIB; 0 means 16 */
	FILE *cons_out;		/* guest console output; NULL: discarded */
	int cons_in_fd;		/* guest console input; -1: none */
	const char *disk_path;	/* guest disk image; NULL: no disk */
	enum vmm_shadow_policy shadow;
	const struct tracer *trace;	/* NULL: no tracing */
	const volatile sig_atomic_t *interrupt;	/* as hw_config's */
	bool pv;		/* offer the paravirtual interface (hcall from
				 * virtual kernel mode is a hypercall,
				 * vm/vmm/HYPERCALLS.md); false: reflect it */
	/* The machine under the VMM: ISA_PG32, or ISA_PG32L, on which the
	 * guest kernel's rdst and setie never reach the VMM (ISA.md 15). */
	enum isa_variant isa;
	/* Every exit returns from hw_run to the VMM's run loop, as in the
	 * picture of vm/vmm/README.md; false (the default): the machine calls
	 * the dispatcher from its own loop (vmm_set_fast_exits). */
	bool slow_exits;
	/* Every mfcr, mtcr and rdst of the guest kernel traps to the VMM's
	 * handlers (vmlab run --exits=trap, what the labs' graders run);
	 * false (the default): the machine serves those of the plain control
	 * registers itself (vmm_set_served_crs). */
	bool trap_crs;
	/* Hardware assist (vmlab run --mmu=nested): run the guest in PG32-V's
	 * guest mode with nested paging instead of on shadow page tables;
	 * the machine is then PG32-V (isa must be ISA_PG32 or ISA_PG32V). */
	bool nested;
	/* Binary translation (vm/vmm/btrun.c): the guest kernel runs from a
	 * translation cache, its sensitive instructions as callouts; user
	 * code runs directly.  One VM per host.  VMM_BT_INLINE: control
	 * register accesses translated inline (vm/vmm/bt.h). */
	enum { VMM_BT_OFF, VMM_BT_CALLOUTS, VMM_BT_INLINE } bt;
};

/* Create a VM (and the machine under it).  Returns 0, or -1 with a one-line
 * message in err (a memory size above VMM_MAX_MEM_MIB, out of host memory). */
int vmm_new(const struct vmm_config *cfg, struct vm **out, char *err, size_t errsize);
void vmm_free(struct vm *vm);

/* Load an executable into guest-physical memory (the checks of
 * hw_load_elf, against the guest's memory size) and reset the VCPU as the
 * ISA resets a CPU (sp = guest memsize, pc = entry, status = KM).
 * Returns 0, or -1 with "FILE: problem" in err. */
int vmm_load_elf(struct vm *vm, const char *path, char *err, size_t errsize);
void vmm_reset(struct vm *vm, uint32_t entry);

/* --- running -------------------------------------------------------------- */

enum vmm_exit_reason {
	VMM_EXIT_POWEROFF,	/* the guest powered off: .code */
	VMM_EXIT_BUDGET,	/* the guest-tick budget is used up */
	VMM_EXIT_BREAKPOINT,	/* guest pc reached a breakpoint */
	VMM_EXIT_WATCHPOINT,	/* a guest store changed a watched word */
	VMM_EXIT_STEP,		/* vmm_step did one guest step */
	VMM_EXIT_TRAP,		/* a trap the caller asked to stop on
				 * (vmm_stop_on) was handled: .trap */
	VMM_EXIT_DOUBLE_FAULT,	/* the guest's trap handler could not start */
	VMM_EXIT_DEADLOCK,	/* guest wfi that nothing can ever wake */
	VMM_EXIT_FAILURE,	/* the VMM cannot go on: .message */
	VMM_NEXIT
};

struct vmm_exit {
	enum vmm_exit_reason reason;
	uint32_t pc;		/* guest pc of the next instruction */
	uint32_t code;		/* POWEROFF: the exit code */
	struct {		/* TRAP, DOUBLE_FAULT */
		uint32_t cause;	/* the machine trap that reached the VMM */
		uint32_t pc;	/* the guest pc it happened at */
		uint32_t badva;
		uint32_t insn;	/* instruction word, 0 if none */
		bool kernel;	/* guest mode when it happened */
		const char *handler;	/* what the VMM did: "emulate-mtcr",
					 * "reflect", "hidden-fault", ... */
	} trap;
	struct {		/* WATCHPOINT: guest-physical word */
		uint32_t gpa, old, new_;
	} watch;
	const char *message;	/* FAILURE, DOUBLE_FAULT, DEADLOCK: why;
				 * BUDGET: set if the VMM made no progress */
};

/* Run the guest until something needs the caller. */
enum vmm_exit_reason vmm_run(struct vm *vm, struct vmm_exit *exit);

/* One guest step: one guest instruction retires (directly or emulated),
 * or one trap or interrupt is delivered to the guest. */
enum vmm_exit_reason vmm_step(struct vm *vm, struct vmm_exit *exit);

/* Exit BUDGET once this many more guest ticks have passed
 * (HW_NO_BUDGET: never), or once the VMM has handled that many exits
 * (at least 64) in a row without guest time moving: a VMM that never
 * retires an instruction is stopped by the budget too (.message says so).
 * Each call starts both counts afresh. */
void vmm_set_budget(struct vm *vm, uint64_t ticks);

/* Stop (exit TRAP) after handling a machine trap of a cause in the mask
 * (bit c for ISA_CAUSE_c); all_exits: after every exit the VMM handles. */
void vmm_stop_on(struct vm *vm, uint32_t causes, bool all_exits);

/* On (the default): the machine calls the VMM's dispatcher from inside its
 * loop for each exception the guest raises, and the guest goes on without
 * leaving hw_run when nothing else needs the VMM's run loop (vm.c,
 * fast_trap).  Off: every exit returns from hw_run to that loop.  The guest
 * sees no difference, nor do the statistics and traces; for tests and
 * measurements. */
void vmm_set_fast_exits(struct vm *vm, bool on);

/* On (the default, with the fast exits on): while the guest runs in
 * virtual kernel mode the machine itself runs its mfcr and rdst of every
 * control register but ipend and icount, and its mtcr of those without a
 * side effect (tvec, epc, cause, badva, scratch; ipend and icount, whose
 * writes are ignored; status when KM and IE stay), on the VCPU's
 * registers (hw_set_vcr), as VT-x serves a guest's control-register reads
 * from its read shadows: no exit at all.  Off while exits are traced, breakpoints set, PRIVILEGED
 * stopped on (vmm_stop_on) or the guest stepped, and under --bt and
 * --mmu=nested.  They count as emulated instructions and PRIVILEGED exits
 * in the statistics, as on the trap path: nothing the guest, the traces or
 * the statistics show can tell the two apart.  Off: every one traps to
 * emulate.c's handlers. */
void vmm_set_served_crs(struct vm *vm, bool on);

/* Breakpoints on guest-virtual pc, watchpoints on guest-physical words
 * (hit when a guest store changes the word).  0, or -1 if full. */
int vmm_break_add(struct vm *vm, uint32_t va);
int vmm_break_del(struct vm *vm, uint32_t va);
/* The next run passes a breakpoint where the guest stands (hw.h,
 * hw_break_pass): for a debugger that put back a state it had shown. */
void vmm_break_pass(struct vm *vm);
int vmm_watch_add(struct vm *vm, uint32_t gpa);
void vmm_watch_clear(struct vm *vm);

/* --- the guest's view ----------------------------------------------------- */

uint32_t vmm_get_reg(const struct vm *vm, unsigned r);
void vmm_set_reg(struct vm *vm, unsigned r, uint32_t v);
uint32_t vmm_get_pc(const struct vm *vm);
void vmm_set_pc(struct vm *vm, uint32_t pc);
/* Control registers as the guest reads them with mfcr (virtual status,
 * virtual ipend, guest icount...).  vmm_set_cr writes raw, no mask, with
 * the side effects an mtcr would have (ptb: shadow switch, ...). */
uint32_t vmm_get_cr(const struct vm *vm, unsigned cr);
void vmm_set_cr(struct vm *vm, unsigned cr, uint32_t v);
bool vmm_guest_kernel(const struct vm *vm);	/* virtual mode */
uint64_t vmm_ticks(const struct vm *vm);	/* guest ticks */
uint32_t vmm_guest_mem_size(const struct vm *vm);
/* The bytes the guest has written to its (virtual) console, and the last
 * of them (as hw_cons_out). */
uint64_t vmm_cons_out(const struct vm *vm, int *last);

/* The guest's console model (vm/hw/console.h), as hw_console: e.g. to
 * point its output elsewhere for a while. */
struct cons *vmm_console(struct vm *vm);

/* Guest-physical memory: 0, or -1 if not all inside guest RAM. */
int vmm_guest_read(const struct vm *vm, uint32_t gpa, void *buf, size_t len);
int vmm_guest_write(struct vm *vm, uint32_t gpa, const void *buf, size_t len);

/* --- the host's view ------------------------------------------------------ */

/* The machine the guest runs on: its CPU state is the host view (physical
 * mode, shadow ptb ...).  Read it; don't run it. */
struct machine *vmm_machine(struct vm *vm);
/* Machine-physical address of guest-physical gpa. */
uint32_t vmm_gpa_to_mpa(const struct vm *vm, uint32_t gpa);

/* One translation explained, step by step, on both sides: the guest's
 * walk of its own page table (va -> gpa) and the shadow walk the machine
 * would do (va -> mpa) for an access in the given guest mode. */
struct vmm_walk {
	uint32_t va;
	bool guest_paging;		/* guest ptb.PG */
	uint32_t g_pde_addr, g_pde;	/* guest-physical address, value */
	uint32_t g_pte_addr, g_pte;
	uint32_t gpa;
	unsigned g_cause;		/* 0, or the fault the guest would take */
	uint32_t s_root;		/* machine-physical shadow root */
	uint32_t s_pde_addr, s_pde;	/* machine-physical address, value */
	uint32_t s_pte_addr, s_pte;
	uint32_t mpa;
	unsigned s_cause;		/* 0 if the shadow maps it, else the
					 * fault the machine would raise */
};
void vmm_translate(const struct vm *vm, uint32_t va, unsigned kind, bool kernel,
		   struct vmm_walk *w);	/* kind: 0 fetch, ISA_C_LOAD, ISA_C_STORE */

/* Every valid leaf mapping of a table, in va order: the guest's current
 * table (pa = guest-physical, table addresses guest-physical) or the
 * shadow for one guest mode (pa and tables machine-physical). */
struct vmm_mapping {
	uint32_t va;
	uint32_t dir, pde;	/* directory address, the PDE */
	uint32_t table, pte;	/* second-level table address, the PTE */
	uint32_t pa;
};
typedef void vmm_map_fn(void *ctx, const struct vmm_mapping *map);
void vmm_guest_mappings(const struct vm *vm, vmm_map_fn *fn, void *ctx);
void vmm_shadow_mappings(const struct vm *vm, bool kernel, vmm_map_fn *fn, void *ctx);
/* --mmu=nested: the guest-state area (its guest registers, the intercept
 * masks decoded, the nested root, the VM tag, the last exit) as lines for
 * 'info vcpu'; nothing under shadow paging. */
void vmm_print_nested(const struct vm *vm, FILE *f);
/* One dimension of the 2-D walk: the nested walk of guest-physical gpa
 * for an access of kind, as the machine does it (no side effects).
 * Returns 0 with *mpa, or ISA_CAUSE_NPF; the nested PDE and PTE read go to
 * n_addr[0..1] (machine-physical, 0 if not reached) and n_val[0..1]. */
unsigned vmm_nested_translate(const struct vm *vm, uint32_t gpa, unsigned kind, uint32_t *mpa,
			      uint32_t n_addr[2], uint32_t n_val[2]);
/* Every valid leaf of the nested table (va = guest-physical page, pa and
 * tables machine-physical). */
void vmm_nested_mappings(const struct vm *vm, vmm_map_fn *fn, void *ctx);

/* Check the VMM's invariants (every shadow leaf inside the guest's slice,
 * the pool consistent and free pages zero, the machine in user mode on the
 * current shadow root...; vm/vmm/README.md lists them).  Returns 0, or -1
 * with the first violation in err.  For tests and the monitor. */
int vmm_check(const struct vm *vm, char *err, size_t errsize);

/* --- snapshots (vmsnap.c; the file format is vm/hw/snap.h's) --------------- */

struct snap_buf;
struct snap_rd;

/* One VM's guest state (VCPU, registers, guest time, virtual devices, the
 * disk's contents, guest RAM) as sections appended to b; shadows are not
 * saved but rebuilt.  0, or -1 with a message (the VM has stopped, the
 * disk image cannot be read). */
int vmm_state_save(const struct vm *vm, struct snap_buf *b, char *err, size_t errsize);
/* Load it into a VM fresh from vmm_new with the same memory size (either
 * shadow policy).  *disk_image as hw_state_load.  false with r->what set:
 * then throw vm away. */
bool vmm_state_load(struct vm *vm, struct snap_rd *r, const uint8_t **disk_image);
/* The same with or without the "GRAM" section (ram false: live migration
 * sends guest RAM page by page, vm/vmm/MIGRATION.md; the load then keeps
 * the RAM the VM has). */
int vmm_state_save_ex(const struct vm *vm, struct snap_buf *b, bool ram, char *err,
		      size_t errsize);
bool vmm_state_load_ex(struct vm *vm, struct snap_rd *r, const uint8_t **disk_image, bool ram);
/* A new VM from a state in memory (what vmm_state_save appended), as
 * hw_restore_state. */
int vmm_restore_state(const struct vmm_config *cfg, const char *name, const uint8_t *state,
		      size_t len, struct vm **out, char *err, size_t errsize);
/* A snapshot file (SNAP_VM) of the VM. */
int vmm_save(const struct vm *vm, const char *path, char *err, size_t errsize);
/* A new VM from a snapshot file, as hw_restore: cfg's devices and policy,
 * the snapshot's memory size (cfg->mem_mib 0 or equal).  0, or -1 with one
 * line naming the file; then no VM exists and nothing was written. */
int vmm_restore(const struct vmm_config *cfg, const char *path, struct vm **out, char *err,
		size_t errsize);

/* --- the dirty log (dirtylog.c; live migration) ----------------------------- */

/* Start logging the guest pages written (by the guest through its shadow
 * leaves, which lose W until their page is marked, or by a device or the
 * host): nothing is marked at first.  0, or -1 (out of memory) with a
 * message.  Invisible to the guest. */
int vmm_dirtylog_start(struct vm *vm, char *err, size_t errsize);
/* Whether this VM can keep a dirty log at all (not under --mmu=nested or
 * --bt): 0, or -1 with why; for a caller that must know before it starts
 * (a migration, before it connects). */
int vmm_dirtylog_check(const struct vm *vm, char *err, size_t errsize);
void vmm_dirtylog_stop(struct vm *vm);
bool vmm_dirtylog_on(const struct vm *vm);
/* Copy the marks into bits (one bit per guest page, bit p of word p / 64;
 * NULL: drop them), clear them and write-protect the guest's memory
 * again.  Returns the number of pages that were marked. */
uint32_t vmm_dirtylog_sync(struct vm *vm, uint64_t *bits);

/* The paravirtual interface (vm/vmm/HYPERCALLS.md) as the guest set it up:
 * whether it is offered, the shared page and its words (the virtual
 * interrupt flag...), the block ring.  Lines for the monitor's info vcpu. */
void vmm_print_pv(const struct vm *vm, FILE *f);

/* --- statistics ----------------------------------------------------------- */

struct vmm_stats {
	uint64_t direct;		/* guest instructions run by the machine */
	uint64_t emulated;		/* guest instructions emulated */
	uint64_t exits[ISA_NCAUSE];	/* machine traps by cause */
	uint64_t budget_exits;		/* exits for guest time events */
	uint64_t hidden_faults, true_faults;
	uint64_t shadow_fills, shadow_flushes, shadow_pages;
	uint64_t pt_writes_emulated;	/* trace policy: stores to guest PTs */
	uint64_t reflected;		/* traps delivered to the guest */
	uint64_t injected;		/* virtual interrupts delivered */
	/* The virtual devices' counters, as the bare machine's (hw_stats). */
	uint64_t cons_in, cons_out;	/* console bytes */
	uint64_t disk_reads, disk_writes, disk_errors;	/* completed commands */
};
void vmm_get_stats(const struct vm *vm, struct vmm_stats *st);

/* Binary translation's counters (a VM run with bt; all 0 otherwise). */
struct btrun_stats {
	uint64_t blocks, translated_insns;	/* translations made */
	uint64_t callouts, by_kind[4];		/* exits from translated code,
						 * by enum bt_kind */
	uint64_t chains;			/* exits turned into direct jumps */
	uint64_t hits, misses;			/* lookups by guest pc */
	uint64_t flushes, invalidations;	/* of them by guest writes */
	uint64_t tc_blocks, tc_bytes;		/* in the cache now */
	uint64_t tc_maps;			/* translation pages mapped */
};
void vmm_bt_stats(const struct vm *vm, struct btrun_stats *st);

/* Block i (0, 1, ...) of the translation cache, in the order of their
 * translation addresses, for the monitor's 'info tc'.  Returns 0, or -1
 * past the last one (or for a VM run without bt). */
#define VMM_TC_MAX_CALLOUTS 16
struct vmm_tc_block {
	uint32_t guest_pc, gpa;		/* its guest code: virtual, physical */
	uint32_t tc_pc;			/* its translation's address */
	uint32_t ninsns, nwords;	/* guest instructions, translation words */
	const uint32_t *words;		/* the translation */
	unsigned ncallouts;
	struct {
		const char *kind;	/* "emulate", "exit", "call", "indirect" */
		uint32_t guest_pc;	/* the guest instruction it stands for */
		uint32_t target;	/* exit, call: where the guest goes */
		unsigned stub;		/* its word in the translation */
	} callout[VMM_TC_MAX_CALLOUTS];
};
int vmm_bt_block(const struct vm *vm, unsigned i, struct vmm_tc_block *out);

/* --mmu=nested: machine-physical addresses of the VM's nested root and
 * guest-state area (ISA.md 16); 0 under shadow paging. */
uint32_t vmm_nested_root(const struct vm *vm);
uint32_t vmm_gsa(const struct vm *vm);
/* "name: value" lines, including the direct-execution ratio. */
void vmm_print_stats(const struct vm *vm, FILE *f);

#endif /* VMM_H */
