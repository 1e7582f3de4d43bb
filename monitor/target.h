/*
 * target.h - what the monitor shell runs and inspects: one interface over
 * the bare machine (vm/hw) and a guest under the VMM (vm/vmm), so that every
 * command works the same in both modes.
 *
 * Every address and register here is the *guest's* view: guest-virtual
 * addresses translated by the guest's own page table, guest-physical
 * memory, the control registers as the guest reads them with mfcr.  On the
 * bare machine guest = host.  Under the VMM the host view (the machine the
 * guest really runs on, with physical mode = user and ptb = a shadow root)
 * is reached through ops->host and the VMM-only operations.
 *
 * A backend is a struct target_ops; target.c holds the parts common to
 * both (symbols, the guest page-table walk) and the bare backend;
 * target_vmm.c the VMM backend.
 */
#ifndef MON_TARGET_H
#define MON_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hw.h"
#include "pgelf.h"
#include "trace.h"
#include "vmm.h"

struct target;
struct snap_buf;

/* Why a run stopped. */
enum tgt_stop {
	TGT_STEP,		/* one step done */
	TGT_BUDGET,		/* the tick budget is used up */
	TGT_BREAK,		/* pc reached a breakpoint, not executed yet */
	TGT_WATCH,		/* a store changed a watched word: .watch */
	TGT_TRAP,		/* a trap selected by stop_on was delivered: .trap */
	TGT_POWEROFF,		/* the guest powered off: .code */
	TGT_DOUBLE_FAULT,	/* .trap, .message */
	TGT_DEADLOCK,		/* wfi that nothing can wake */
	TGT_FAILURE,		/* the VMM cannot go on: .message */
};

struct tgt_stop_info {
	enum tgt_stop reason;
	uint32_t pc;		/* guest pc of the next instruction */
	uint32_t code;
	struct {
		uint32_t cause;	/* ISA_CAUSE_* (under the VMM: the machine's) */
		uint32_t pc;	/* where it happened */
		uint32_t badva, insn;
		bool kernel;	/* guest mode it happened in */
		const char *handler;	/* VMM: what it did; bare: NULL */
	} trap;
	struct {
		uint32_t addr;
		bool physical;
		uint32_t old, new_;
	} watch;
	const char *message;
	/* Several VMs (target_host.c): the VM that stopped (it is the current
	 * one now), and whether another can still run; one VM: 0, false. */
	unsigned vm;
	bool others;
};

struct tgt_config {
	uint32_t mem_mib;	/* 0: 16 */
	const char *disk;	/* NULL: no disk */
	int cons_in_fd;		/* -1: no console input */
	FILE *cons_out;
	enum vmm_shadow_policy shadow;	/* VMM only */
	enum isa_variant isa;		/* the machine: PG32 or PG32-L */
	bool pv;			/* VMM only: offer hypercalls (--pv) */
	bool nested;			/* VMM only: --mmu=nested */
	int bt;				/* VMM only: --bt, VMM_BT_* */
	const struct tracer *trace;	/* VMM only: the sink, kept by pointer
					 * (its mask may change later) */
};

struct target_ops {
	const char *name;	/* "bare" or "vmm" */
	void (*free)(struct target *t);
	/* Load the executable again and reset (RAM outside it is kept). */
	int (*load)(struct target *t, const char *path, char *err, size_t errsize);
	/* One step (step true) or a run until something stops it. */
	enum tgt_stop (*run)(struct target *t, bool step, struct tgt_stop_info *si);
	void (*set_budget)(struct target *t, uint64_t ticks);
	/* Stop (TGT_TRAP) once a trap of a cause in the mask has been
	 * delivered; all: after every trap (bare) / every VMM exit. */
	void (*stop_on)(struct target *t, uint32_t causes, bool all);
	int (*break_add)(struct target *t, uint32_t va);
	int (*break_del)(struct target *t, uint32_t va);
	/* The next run passes a breakpoint where the guest stands, as after
	 * a stop there (hw.h, hw_break_pass). */
	void (*break_pass)(struct target *t);
	/* 0, or -1 (full, or a kind the backend cannot watch: then *why) */
	int (*watch_add)(struct target *t, uint32_t addr, bool physical, const char **why);
	void (*watch_clear)(struct target *t);
	uint32_t (*get_reg)(const struct target *t, unsigned r);
	void (*set_reg)(struct target *t, unsigned r, uint32_t v);
	uint32_t (*get_pc)(const struct target *t);
	void (*set_pc)(struct target *t, uint32_t pc);
	uint32_t (*get_cr)(const struct target *t, unsigned cr);
	void (*set_cr)(struct target *t, unsigned cr, uint32_t v);
	bool (*kernel)(const struct target *t);
	uint64_t (*ticks)(const struct target *t);
	/* The bytes the guest wrote to its console; *last: the last one
	 * (-1: none yet). */
	uint64_t (*cons_out)(const struct target *t, int *last);
	uint32_t (*mem_size)(const struct target *t);
	/* Guest-physical memory: 0, or -1 outside guest RAM. */
	int (*phys_read)(const struct target *t, uint32_t pa, void *buf, size_t len);
	int (*phys_write)(struct target *t, uint32_t pa, const void *buf, size_t len);
	/* The machine the guest runs on (read only). */
	struct machine *(*host)(struct target *t);
	void (*set_tracer)(struct target *t, const struct tracer *tr);
	void (*print_stats)(struct target *t, FILE *f);
	/* Snapshots (vm/hw/snap.h).  save: 0, or -1 with one line in err.
	 * restore: a fresh machine or VM from the file at path (or, path
	 * NULL, from a state in memory: a checkpoint), with cfg's devices and
	 * the current memory size, replaces the current one only on success
	 * (then run control, breakpoints and the tracer are the caller's to
	 * put back); -1 with one line in err, nothing changed. */
	int (*save)(struct target *t, const char *path, char *err, size_t errsize);
	int (*restore)(struct target *t, const struct tgt_config *cfg, const char *path,
		       const uint8_t *state, size_t len, char *err, size_t errsize);
	/* Time travel (timetravel.c): append the state to b (hw_state_save,
	 * vmm_state_save; restore takes it back); where the guest's console
	 * output goes. */
	int (*checkpoint)(struct target *t, struct snap_buf *b, char *err, size_t errsize);
	void (*set_cons_out)(struct target *t, FILE *f);
	/* VMM only (NULL on the bare machine). */
	struct vm *(*vm)(struct target *t);
	/* Several VMs on one host (vmlab monitor --vm; NULL or returning NULL
	 * otherwise): the host; choose the VM the other ops show (breakpoints,
	 * watchpoints and stop_on included: they are per VM), and which one it
	 * is.  A run (ops->run) runs the whole host, as its scheduler decides,
	 * and makes the VM that stopped the current one.  clock: the host
	 * clock, which set_budget's ticks count (one VM: ticks). */
	struct host *(*host_of)(const struct target *t);
	void (*select)(struct target *t, unsigned i);
	unsigned (*current)(const struct target *t);
	uint64_t (*clock)(const struct target *t);
};

struct target {
	const struct target_ops *ops;
	void *impl;
	struct pgelf elf;	/* symbols of the image */
	bool have_elf;
	const char *image;
};

/* Open a target with the image loaded, stopped at its entry.  0, or -1
 * with a one-line message in err. */
int tgt_open_bare(const struct tgt_config *cfg, const char *image, struct target **out,
		  char *err, size_t errsize);
int tgt_open_vmm(const struct tgt_config *cfg, const char *image, struct target **out,
		 char *err, size_t errsize);
/* Several VMs on one host, as 'vmlab run --vm' makes them (s: run.h's
 * mon_host_setup, kept by pointer: loadvm and reset make the host again
 * from it), stopped at their entries. */
struct mon_host_setup;
int tgt_open_host(struct mon_host_setup *s, const struct tracer *sink, struct target **out,
		  char *err, size_t errsize);
/* The number of VMs (1 but for a host), the current one. */
unsigned tgt_nvms(const struct target *t);
unsigned tgt_current(const struct target *t);
/* The bare machine, or the VMM. */
int tgt_open(const struct tgt_config *cfg, bool bare, const char *image, struct target **out,
	     char *err, size_t errsize);
void tgt_close(struct target *t);

/* For backends: (re)read the symbols of the image just loaded. */
void tgt_read_symbols(struct target *t, const char *image);

/* Symbols (of the image): the name for addr as "name" or "name+0x10"
 * into buf; false if none. */
bool tgt_symbolize(const struct target *t, uint32_t addr, char *buf, size_t size);
bool tgt_lookup(const struct target *t, const char *name, uint32_t *value);
/* For isa_disasm. */
const char *tgt_symbolizer(void *ctx, uint32_t addr, uint32_t *off);

/* The guest's own page-table walk, side-effect free (no A/D, no TLB),
 * permissions not checked: what the guest's tables say about va. */
struct tgt_walk {
	bool paging;
	uint32_t root;
	uint32_t pde_addr, pde;		/* guest-physical */
	uint32_t pte_addr, pte;
	uint32_t pa;
	const char *fault;		/* NULL, or why va has no mapping */
};
void tgt_walk(const struct target *t, uint32_t va, struct tgt_walk *w);

/* Guest-virtual memory through tgt_walk.  0, or -1 with *why. */
int tgt_virt_read(const struct target *t, uint32_t va, void *buf, size_t len, const char **why);
int tgt_virt_write(struct target *t, uint32_t va, const void *buf, size_t len,
		   const char **why);

/* Every valid leaf of the guest's current table, in va order (paging off:
 * nothing). */
void tgt_guest_mappings(const struct target *t, vmm_map_fn *fn, void *ctx);

#endif /* MON_TARGET_H */
