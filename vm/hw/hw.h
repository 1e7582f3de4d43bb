/*
 * hw.h - the PG32 computer: CPU, MMU/TLB, traps and interrupts, timer,
 * console, DMA disk, power and memsize ports, and a run loop shaped like
 * KVM's.  This is the public interface of vm/hw/; the machine's state is
 * opaque (hw_priv.h holds it) and is reached through these functions.
 *
 * The life of a machine:
 *
 *	hw_new(&cfg, &m, err)          RAM, devices, no program
 *	hw_load_elf(m, path, err)      copy the segments in, then hw_reset
 *	for (;;) {
 *		hw_run(m, &exit)           run until something needs the caller
 *		switch (exit.reason) ...   handle it, maybe change state, run again
 *	}
 *	hw_free(m)
 *
 * Everything is deterministic: the same program, inputs and calls give the
 * same run, tick for tick.  Time is counted in ticks (ISA.md "Time"): one
 * per retired instruction, plus the ticks that wfi sleeps.
 */
#ifndef HW_H
#define HW_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pg32.h"

struct machine;
struct pgelf;
struct cons;
struct disk;
struct tracer;

struct hw_config {
	uint32_t mem_mib;	/* RAM in MiB, 1..2048; 0 means 16 */
	FILE *cons_out;		/* console output; NULL: discarded */
	int cons_in_fd;		/* console input; -1: none (RXEOF at once) */
	const char *disk_path;	/* disk image, opened read-write; NULL: no disk */
	/* NULL, or a flag a signal handler sets: while it is non-zero a wfi
	 * waiting for console input does not block the host (it sleeps to
	 * its budget in guest time instead), so a run in budget slices
	 * comes back to its caller. */
	const volatile sig_atomic_t *interrupt;
	/* ISA_PG32 (0, the default), ISA_PG32L, the variant whose LEAK
	 * instructions run in user mode without trapping (ISA.md 15), or
	 * ISA_PG32V, with the virtualization extension (ISA.md 16). */
	enum isa_variant isa;
};

/* Create a machine with zeroed RAM, in the reset state with pc = 0.
 * Returns 0, or -1 with a one-line message in err (bad size, disk image
 * that cannot be opened, whose size is not a multiple of 512, or that has
 * more than 2^32-1 sectors). */
int hw_new(const struct hw_config *cfg, struct machine **out, char *err, size_t errsize);
void hw_free(struct machine *m);

/* Reset per ISA.md: registers 0 except sp = memsize, pc = entry,
 * status = KM, other control registers 0, icount 0, TLB empty, timer and
 * interrupt lines clear, console ctrl 0, disk idle.  RAM is kept. */
void hw_reset(struct machine *m, uint32_t entry);

/* Load an executable (loader.c): check it as ISA.md section 12 says
 * (pgelf_check_load: every PT_LOAD segment inside RAM, p_paddr + p_memsz
 * <= memsize, none overlapping, the entry a multiple of 4 in an executable
 * segment's physical range), copy the segments to p_paddr (zero-filling
 * memsz - filesz), then hw_reset(m, entry).
 * Returns 0, or -1 with "FILE: problem" in err; on failure RAM is
 * unchanged. */
int hw_load_elf(struct machine *m, const char *path, char *err, size_t errsize);
int hw_load_pgelf(struct machine *m, const struct pgelf *elf, const char *name,
		  char *err, size_t errsize);

/* --- the run loop ------------------------------------------------------- */

enum hw_exit_reason {
	HW_EXIT_POWEROFF,	/* guest wrote the POWER port: .code */
	HW_EXIT_BUDGET,		/* the tick budget is used up */
	HW_EXIT_BREAKPOINT,	/* pc reached a breakpoint (not executed yet) */
	HW_EXIT_WATCHPOINT,	/* a store changed a watched word: .watch */
	HW_EXIT_STEP,		/* hw_step() did its one step */
	HW_EXIT_DOUBLE_FAULT,	/* the trap handler's first fetch faulted: .trap */
	HW_EXIT_DEADLOCK,	/* wfi that nothing can ever wake */
	HW_EXIT_TRAP,		/* a trap whose cause is in trap_to_host: .trap */
	HW_EXIT_HANDLED,	/* the trap handler handled a trap and asked to
				 * return (HW_TRAP_RETURN): .trap */
	HW_NEXIT
};

struct hw_exit {
	enum hw_exit_reason reason;
	uint32_t pc;		/* pc of the next instruction to execute */
	union {
		struct {	/* POWEROFF */
			uint32_t code;	/* value & 0xff */
		} power;
		struct {	/* TRAP, DOUBLE_FAULT */
			uint32_t cause;	/* ISA_CAUSE_* */
			uint32_t badva;	/* what trap entry would write to badva */
			uint32_t insn;	/* the instruction word (0 for fetch
					 * faults and interrupts) */
			struct isa_insn d;	/* isa_decode(insn) */
			uint32_t gpa;	/* NPF (PG32-V): the guest-physical
					 * address that failed */
		} trap;
		struct {	/* WATCHPOINT */
			uint32_t addr;	/* the watched address that changed */
			bool physical;	/* addr is physical, else virtual */
			uint32_t old, new_;	/* the aligned word around addr */
		} watch;
	} u;
};

/* Run until something needs the caller; fill *exit and return its reason.
 * Exits and re-entry are cheap (no allocation, no cache flush).
 * In TRAP exits the CPU state is exactly as before the trapping instruction
 * (or, for an interrupt, before the instruction about to execute): no trap
 * entry was done; the caller may emulate the instruction (set registers,
 * pc += 4) or reflect the trap, and run again.  After POWEROFF,
 * DOUBLE_FAULT and DEADLOCK running again exits again the same way. */
enum hw_exit_reason hw_run(struct machine *m, struct hw_exit *exit);

/* Execute exactly one step: one instruction retires (exit STEP), or one
 * trap is entered (exit STEP, pc = tvec), or another exit happens first. */
enum hw_exit_reason hw_step(struct machine *m, struct hw_exit *exit);

/* Budget: hw_run exits BUDGET once this many more ticks have passed
 * (HW_NO_BUDGET: never). */
#define HW_NO_BUDGET UINT64_MAX
void hw_set_budget(struct machine *m, uint64_t ticks);

/* Traps to the host: bit c set (c an ISA_CAUSE_*) makes a trap of cause c
 * exit to the caller (HW_EXIT_TRAP) instead of vectoring to tvec. */
void hw_set_trap_to_host(struct machine *m, uint32_t causes);

/* Traps handled inside the machine, as KVM handles some exits in the
 * kernel: for a trap of a cause in 'causes' (which must also be in
 * trap_to_host), hw_run calls fn(ctx, exit) with the record a TRAP exit
 * would carry instead of returning it, saving the round trip out of the
 * run loop and back.  fn returns
 *   HW_TRAP_EXIT    not handled, nothing changed: hw_run returns the TRAP;
 *   HW_TRAP_RESUME  handled through the setters of this header (pc,
 *                   registers, control registers, budget...): the machine
 *                   goes on from its pc as if hw_run had been called again;
 *   HW_TRAP_RETURN  handled, but the host wants control: hw_run returns
 *                   HW_EXIT_HANDLED with the same record.
 * hw_step never calls fn.  fn must not call hw_run or hw_step.  fn = NULL
 * or causes = 0 turns this off. */
enum hw_trap_action { HW_TRAP_EXIT, HW_TRAP_RESUME, HW_TRAP_RETURN };
typedef enum hw_trap_action hw_trap_fn(void *ctx, const struct hw_exit *exit);
void hw_set_trap_handler(struct machine *m, uint32_t causes, hw_trap_fn *fn, void *ctx);

/* Control registers served in the loop, as VT-x serves a guest's
 * control-register reads from its read shadows, VMCS shadowing its
 * VMREADs, and lets it write the CR0 bits its guest/host mask leaves to
 * it: a host that keeps a virtual CPU's control registers (a
 * trap-and-emulate VMM, whose guest kernel runs in the machine's user mode)
 * lets the machine run the privileged instructions that only read or store
 * one of them, without a trap.  While vcr->cr[status].KM = 1 (the virtual
 * CPU in kernel mode; in its user mode these are the guest's own PRIVILEGED
 * traps), an mfcr of a register whose bit is set in rd, an rdst when rd
 * holds status, and an mtcr of a register in wr (cr = (cr & ~wmask) | (rs1
 * & wmask), ISA.md 4.9) that changes none of the bits own[cr] keeps for
 * the host, which the machine would trap as PRIVILEGED in its user mode,
 * retire there as ordinary instructions on vcr->cr: one tick each, counted
 * in mfcr, mtcr, rdst.  The host must set in wr only registers whose writes
 * have no side effect for it unless they change a bit of own, and in rd
 * only registers it keeps current in cr.  Not on an event tick (the
 * budget's end included), where the trap goes to the host, which may have
 * that tick's events to handle after it; so never in guest mode (PG32-V),
 * in hw_step, nor while breakpoints, watchpoints or instruction tracing
 * make every tick one.  The host owns *vcr and keeps it alive while it is
 * set; NULL turns this off. */
struct hw_vcr {
	uint32_t *cr;			/* ISA_NCR registers */
	uint32_t rd, wr;		/* bit c: control register c */
	uint32_t own[ISA_NCR];		/* bits whose change traps */
	uint64_t mfcr, mtcr, rdst;	/* instructions served */
};
void hw_set_vcr(struct machine *m, struct hw_vcr *vcr);

/* Breakpoints on virtual pc; watchpoints on the 4-byte-aligned word holding
 * addr, virtual or physical, hit when a store changes its value.  Each
 * returns 0, or -1 if the table (16 each) is full.  While any is set the
 * machine runs a slower checking loop. */
int hw_break_add(struct machine *m, uint32_t va);
int hw_break_del(struct machine *m, uint32_t va);
int hw_watch_add(struct machine *m, uint32_t addr, bool physical);
void hw_watch_clear(struct machine *m);

/* A run stops before the instruction at a breakpoint, the first of the run
 * included, unless the guest was last shown stopped there, at this pc and
 * tick (at that breakpoint, or at the end of a step or on a watchpoint):
 * continuing from where one stopped passes the breakpoint there once,
 * while arriving in any other way (a reset, a set pc, a restored snapshot)
 * stops there.  A step always runs its instruction.  The record of that
 * last stop, kept by the machine for its own breakpoints and by the VMM for
 * a guest's, so that the two stop at the same places: */
struct hw_bp_pass {
	bool set;
	uint32_t pc;
	uint64_t tick;
};

static inline void hw_bp_stopped(struct hw_bp_pass *p, uint32_t pc, uint64_t tick)
{
	*p = (struct hw_bp_pass){ .set = true, .pc = pc, .tick = tick };
}

/* Whether a run at pc at tick passes a breakpoint there. */
static inline bool hw_bp_passes(const struct hw_bp_pass *p, uint32_t pc, uint64_t tick)
{
	return p->set && p->pc == pc && p->tick == tick;
}

/* The next run passes a breakpoint at the current pc and tick: for a caller
 * that checked this boundary's breakpoints itself (the VMM, whose guest's
 * breakpoints the machine also holds), or that put back a state it had
 * shown stopped (a debugger's time travel). */
void hw_break_pass(struct machine *m);

/* --- state -------------------------------------------------------------- */

uint32_t hw_get_reg(const struct machine *m, unsigned r);	/* r < 16 */
void hw_set_reg(struct machine *m, unsigned r, uint32_t v);	/* r0: ignored */
/* All of them at once (a VMM saving or loading a trap frame): r[0] = 0;
 * hw_set_regs ignores r[0]. */
void hw_get_regs(const struct machine *m, uint32_t r[ISA_NREGS]);
void hw_set_regs(struct machine *m, const uint32_t r[ISA_NREGS]);
uint32_t hw_get_pc(const struct machine *m);
void hw_set_pc(struct machine *m, uint32_t pc);
/* Control registers, raw: no write mask.  icount reads/sets the tick
 * counter's low 32 bits (setting it sets the whole counter); ipend reads the
 * lines and setting it sets the timer's pending bit only (device lines
 * follow the devices).  Writing ptb or status flushes the TLB and the
 * fast-path caches as needed; timecmp reschedules the timer. */
uint32_t hw_get_cr(const struct machine *m, unsigned cr);
void hw_set_cr(struct machine *m, unsigned cr, uint32_t v);
uint64_t hw_ticks(const struct machine *m);
/* How many bytes the guest has written to the console, and in *last the
 * last of them (-1 if none yet): for a host tool that shares the console's
 * output stream and starts its own lines on a fresh line. */
uint64_t hw_cons_out(const struct machine *m, int *last);

/* Physical memory.  read/write return 0, or -1 if [pa, pa+len) is not all
 * inside RAM (then nothing is copied).  Writes invalidate predecoded code.
 * hw_mem gives the raw RAM (hw_mem_size bytes) for DMA windows; whoever
 * writes code through it calls hw_mem_written afterwards. */
int hw_phys_read(const struct machine *m, uint32_t pa, void *buf, size_t len);
int hw_phys_write(struct machine *m, uint32_t pa, const void *buf, size_t len);
uint8_t *hw_mem(struct machine *m);
uint32_t hw_mem_size(const struct machine *m);
/* The ISA variant the machine runs (hw_config.isa). */
enum isa_variant hw_isa_variant(const struct machine *m);
void hw_mem_written(struct machine *m, uint32_t pa, uint32_t len);

/* Translate va as the MMU would for an access of kind 'kind' (ISA_C_LOAD,
 * ISA_C_STORE, or 0 for fetch) in mode 'kernel', without touching the TLB
 * or A/D bits.  Returns 0 and *pa, or the ISA_CAUSE_* it would raise. */
unsigned hw_translate(const struct machine *m, uint32_t va, unsigned kind, bool kernel,
		      uint32_t *pa);

/* Invalidate the whole TLB and every cache derived from it (as tlbflush;
 * once tags are in use, the running tag's entries only). */
void hw_tlb_flush(struct machine *m);

/* --- a run cut inside wfi ------------------------------------------------ */

/* A run whose budget ends while wfi sleeps stops with pc on the wfi, not
 * retired: the budget is a tick the run must not pass.  ISA.md 10.3 has no
 * instruction boundary inside wfi (the sleep ends, wfi retires one tick
 * later, then the interrupt is taken), so the next run must go on with the
 * wfi's sleep and retire it there, not take an interrupt at the wfi or stop
 * at a breakpoint on it.  pc on a wfi with a line pending is also a boundary
 * reached normally, so the cut is state of its own, kept by whoever runs
 * the wfi (the bare machine; the VMM for each VM), saved in snapshots and
 * sent in migration.  It holds only while the guest is where the run left
 * it: the same pc at the same tick (a debugger's edit of pc or of the
 * clock drops it). */
struct hw_wficut {
	bool on;
	uint32_t pc;		/* the wfi's */
	uint64_t at;		/* the tick the cut run ended at */
};

static inline void hw_wficut_set(struct hw_wficut *c, uint32_t pc, uint64_t at)
{
	*c = (struct hw_wficut){ .on = true, .pc = pc, .at = at };
}

/* Whether a run that starts at pc at tick now goes on with the cut wfi;
 * the cut is used up either way. */
static inline bool hw_wficut_take(struct hw_wficut *c, uint32_t pc, uint64_t now)
{
	bool go = c->on && c->pc == pc && c->at == now;

	c->on = false;
	return go;
}

/* Address-space tags for a host written in C, as x86's PCID or VT-x's
 * VPID: no PG32 instruction reaches them, so they change nothing a PG32
 * program can see.  hw_set_ptb_tagged loads ptb (in host mode) and makes
 * 'tag' (1..HW_TAG_MAX) the TLB tag of what runs next, without a flush:
 * the translations cached under other tags stay, to be found again when
 * their tag runs again, and those cached under 'tag' are used as they
 * are.  The host must therefore drop a tag's entries (hw_tlb_flush_tag,
 * or hw_tlb_flush_all) whenever the tables behind it change in a way that
 * would need a flush on PG32 (an entry removed or its permissions cut),
 * and before reusing the tag for other tables.  PG32-V guests' vmids
 * (1..ISA_VMID_MAX) share the tag space: a host using both keeps them
 * apart.  Once a tag was set, hw_set_cr(PTB) and a program's tlbflush
 * flush only the running tag's entries. */
#define HW_TAG_MAX	1023u
void hw_set_ptb_tagged(struct machine *m, uint32_t ptb, unsigned tag);
void hw_tlb_flush_tag(struct machine *m, unsigned tag);

/* --- PG32-V (ISA.md 16) ---------------------------------------------------- */

/* vmrun for a host written in C: enter guest mode on the guest-state area
 * at physical gsa (ISA_GSA_* in pg32.h), without a host tick.  Every exit
 * then returns from hw_run with the machine back in host mode and the
 * guest stored in the GSA: HW_EXIT_TRAP for an exit the GSA's intercepts
 * ask for (cause, badva, insn, gpa for ISA_CAUSE_NPF; pc = the guest's),
 * HW_EXIT_DOUBLE_FAULT for the guest's double fault, and any other reason
 * (BUDGET, STEP, BREAKPOINT...) as a preempting exit (GSA xcause 0).
 * Returns 0, or -1 if the machine is not PG32-V, is already in guest mode,
 * or gsa is not a 4-aligned GSA inside RAM. */
int hw_vmrun(struct machine *m, uint32_t gsa);
/* Invalidate the TLB entries of every tag, the VMs' and the host's
 * address spaces' (a host that rebuilt a nested table, a reset VM). */
void hw_tlb_flush_all(struct machine *m);
/* True while the machine is in guest mode (never between hw_run calls of
 * a C host). */
bool hw_guest_mode(const struct machine *m);
/* The nested translation of gpa as the hardware would do it for an
 * access of kind (ISA_C_LOAD, ISA_C_STORE, 0 fetch) under root nptb,
 * without side effects: 0 and *mpa, or ISA_CAUSE_NPF.  steps[0..1] get
 * the nested PDE and PTE addresses read (for the monitor's translate). */
unsigned hw_nested_translate(const struct machine *m, uint32_t nptb, uint32_t gpa,
			     unsigned kind, uint32_t *mpa, uint32_t steps[2]);

/* Interrupt lines (ISA_IRQ_* mask) driven by device models: level true
 * raises, false lowers.  The timer line is the machine's own. */
void hw_irq_set(struct machine *m, uint32_t lines, bool level);

/* The machine's own devices, for the caller to inspect. */
struct cons *hw_console(struct machine *m);
struct disk *hw_disk(struct machine *m);

/* --- snapshots (hwsnap.c; the file format is in snap.h) ------------------ */

struct snap_buf;
struct snap_rd;

/* The machine's whole architectural state (RAM, CPU, TLB, devices, the
 * disk's contents, time) as sections appended to b; host caches and run
 * control are not state.  Returns 0, or -1 with a message in err (the
 * machine has stopped, the disk image cannot be read). */
int hw_state_save(const struct machine *m, struct snap_buf *b, char *err, size_t errsize);
/* Load what hw_state_save wrote into a machine fresh from hw_new with the
 * same memory size.  *disk_image: the disk's contents for disk_put_image
 * (nothing is written to the image here).  false with r->what set if the
 * state is malformed or does not fit the machine: then throw m away. */
bool hw_state_load(struct machine *m, struct snap_rd *r, const uint8_t **disk_image);
/* The ISA variant the machine runs (--isa), as a section of its own, also
 * for a VM's snapshot: hw_isa_load is false, with the reason in r, unless
 * the snapshot's variant is m's (a PG32-L guest may rely on rdst and
 * setie not trapping in user mode). */
void hw_isa_save(const struct machine *m, struct snap_buf *b);
bool hw_isa_load(const struct machine *m, struct snap_rd *r);
/* The cut wfi (struct hw_wficut) as a section "WFI " of its own, for the
 * machine's snapshot and a VM's: hw_wficut_load is false, with the reason in
 * r, if the section is missing or malformed. */
void hw_wficut_save(const struct hw_wficut *c, struct snap_buf *b);
bool hw_wficut_load(struct hw_wficut *c, struct snap_rd *r);
/* A new machine from a state in memory (what hw_state_save appended to a
 * snap_buf, e.g. a checkpoint), as hw_restore; name names it in errors. */
int hw_restore_state(const struct hw_config *cfg, const char *name, const uint8_t *state,
		     size_t len, struct machine **out, char *err, size_t errsize);
/* Save the machine to a snapshot file (SNAP_BARE). */
int hw_save(const struct machine *m, const char *path, char *err, size_t errsize);
/* A new machine from a snapshot file, with cfg's console and disk (which
 * must have the snapshot's size; its contents are overwritten with the
 * snapshot's) and the snapshot's memory size (cfg->mem_mib: 0, or it must
 * match).  Returns 0, or -1 with one line naming the file in err; then no
 * machine exists and nothing was written. */
int hw_restore(const struct hw_config *cfg, const char *path, struct machine **out,
	       char *err, size_t errsize);

/* --- tracing (trace.h) --------------------------------------------------- */

/* Install a copy of *t as the machine's event sink (NULL: none).  Events,
 * all emitted from the machine's slow paths, so a sink costs nothing while
 * the guest runs in the fast path:
 *   TRACE_TRAP  each trap entry (what = isa_cause_name, kernel = the mode
 *               trapped from, kernel_after = true) and each rfe (what =
 *               "rfe", kernel_after = the mode it returns to)
 *   TRACE_IRQ   a line raised or lowered ("raise", "lower"), an interrupt
 *               taken ("take"); text = the line's name
 *   TRACE_DEV   port I/O ("in", "out", pc = the instruction's) and disk
 *               DMA at completion ("dma")
 *   TRACE_INSN  each instruction as it starts (what = the mnemonic, text =
 *               the word and its disassembly); while on, the machine runs
 *               its checking loop (one instruction per pass)
 * Traps that exit to the host (hw_set_trap_to_host) are not entered and
 * emit nothing: the host reports what it does with them. */
void hw_set_tracer(struct machine *m, const struct tracer *t);

/* --- statistics --------------------------------------------------------- */

struct hw_stats {
	uint64_t insns;			/* instructions retired */
	uint64_t traps[ISA_NCAUSE];	/* trap entries (and trap exits) by cause */
	uint64_t tlb_hits;		/* data accesses and fetch-page lookups
					 * served by a cached translation */
	uint64_t tlb_misses;		/* ... that needed a page walk */
	uint64_t page_walks;		/* walks, including D-bit re-walks */
	uint64_t walk_refs;		/* ... their memory references */
	uint64_t walks_2d, walk_refs_2d;	/* of those, walks in guest mode
					 * with nested paging, and their refs
					 * (up to 8 each, ISA.md 16.3) */
	uint64_t vm_entries;		/* vmrun (PG32-V) */
	uint64_t vm_exits[ISA_NCAUSE];	/* exits by cause (0: preempted) */
	uint64_t tlb_flushes;		/* tlbflush, ptb writes */
	uint64_t cons_in, cons_out;	/* console bytes */
	uint64_t disk_reads, disk_writes, disk_errors;	/* completed commands */
	uint64_t wfi_sleep_ticks;	/* ticks spent asleep in wfi */
};
/* A snapshot of the counters (current as of the last exit). */
void hw_get_stats(const struct machine *m, struct hw_stats *st);
/* Print "name: value" lines, one per counter (traps only for causes seen):
 * the machine's, or a snapshot (st) and its tick count. */
void hw_print_stats(const struct machine *m, FILE *f);
void hw_stats_print(const struct hw_stats *st, uint64_t ticks, FILE *f);

#endif /* HW_H */
