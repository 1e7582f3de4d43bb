/*
 * hw_priv.h - the inside of the PG32 machine, shared by the files of vm/hw only.
 *
 * Speed comes from host-side caches and counting, each invisible to the
 * guest:
 *
 *  - Predecoded code.  Every physical page the CPU has fetched from gets a
 *    struct pdpage: one struct pd (handler address + operands) per word,
 *    decoded lazily (the handler starts as the DECODE stub), plus a
 *    sentinel entry after the last word that moves to the next page.  Any
 *    write to such a page (a store, host write, DMA) resets the words it
 *    touches to the stub.  Each entry also knows its block: 'run' is the
 *    number of instructions from it to the end of its basic block (see
 *    "Blocks" below), which is what the block loop charges at once.
 *
 *  - Fast-path TLBs, per mode (user, kernel) and access (load, store,
 *    fetch): direct-mapped, indexed like the architectural TLB, holding a
 *    tag (the virtual page; for data also the alignment bits, so a
 *    misaligned access misses) and a host addend or predecoded page.  An
 *    entry is only filled after the slow path checked the permission, and
 *    it is derived from architectural entry i: replacing or invalidating
 *    that entry clears index i of the running tag's fast tables (each TLB
 *    tag has a set of them, struct fastset, cleared with its tag's
 *    flush).  The store table never maps a page with predecoded code (nor
 *    anything while watchpoints are set), nor a page whose PTE.D is clear.
 *
 *  - Time by countdown: the CPU keeps 'left', the ticks until the next
 *    event (timer compare, disk completion, console poll point, budget,
 *    single step); the checking loop retires an instruction with a
 *    decrement and a branch, the block loop a whole block at once (below).
 *    Between blocks the true tick count is ev_at - left.
 *
 *  - Blocks.  A block is a run of straight instructions (ALU, loads,
 *    stores: they fall through unless they trap) ended by one "ender"
 *    (branch, jump, trap-always, privileged, illegal) or cut short by a
 *    stub or sentinel, which are not instructions:
 *        run(ender) = 1, run(stub) = run(sentinel) = 0,
 *        run(straight entry i) = 1 + run(entry i + 1).
 *    The block loop (cpu_loop.h) pays a block's ticks when it enters it
 *    and never counts inside it; a block that the next event falls
 *    inside is handed to the checking loop, which counts each tick.  So
 *    between blocks, ticks = ev_at - left; inside a block, before entry
 *    c retires, ticks = ev_at - left - run(c).  Every writer of an entry
 *    keeps the rule above true (cpu_decode, cpu_entry_changed).
 *
 *  - Forwarding.  A guest register written by one instruction and read
 *    by the next or the one after would make the host wait on a store
 *    forwarded to a load, twice on the fib loop's critical path.  So the
 *    block loop keeps a window of two host registers: after a straight
 *    entry runs, L holds the value it wrote (a store: the value it
 *    stored) and P what L held before; the register file is still
 *    written.  An entry reached by falling through from a straight entry
 *    may read an operand from L or P instead of the register file (its
 *    h is a forwarding variant, chosen at predecode from the two entries
 *    before it: cpu.c window_src).  An entry reached at a block's start
 *    runs hb: its plain handler, or PRELOAD (load L and P from the
 *    register file, as named by wl and wp) when the entry after it reads
 *    P.  A variant therefore depends on the two entries before it and a
 *    PRELOAD on the one after: every writer of entries re-specialises
 *    their neighbours (cpu_decode, cpu_entry_changed).
 *
 * The architectural TLB (struct atlb, TLB_N entries, direct-mapped by
 * virtual page number) caches {virtual page, PTE as read, PTE address}.
 */
#ifndef HW_PRIV_H
#define HW_PRIV_H

#include "console.h"
#include "disk.h"
#include "hw.h"
#include "trace.h"

/* Guest memory is little-endian and accessed with host loads. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PG32 needs a little-endian host");

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* Predecode */
struct pd {
	const void *h;		/* block loop handler, reached by falling
				 * through from the entry before */
	const void *hb;		/* block loop handler, reached at a block's
				 * start (jump, branch, slow path, refetch) */
	int32_t imm;		/* the instruction word itself for ILLEGAL; for a
				 * near branch or jal, the distance to the
				 * target's entry in bytes */
	uint16_t run;		/* instructions to the end of the block */
	uint8_t op;		/* enum isa_op or OP_*: the checking loop's
				 * handler, and what the entry is */
	uint8_t rd;		/* 16 when the instruction names r0 (a dummy) */
	uint8_t rs1, rs2;
	uint8_t near;		/* branch/jal: the target is in the same page;
				 * a store: it and the pair after it are a
				 * loop (cpu.c store_loop) */
	uint8_t wl, wp;		/* the registers the window holds before this
				 * entry ("Forwarding"; 16: none) */
};
#define PD_WORDS	1024u
struct pdpage {
	struct pd e[PD_WORDS + 1];	/* e[PD_WORDS]: the PAGEEND sentinel */
	uint32_t pa;			/* physical address of the page */
};
/* Handler numbers beyond the table's: the loops' label tables are indexed
 * by enum isa_op and then these. */
enum {
	OP_DECODE = ISA_OP_ILLEGAL + 1,	/* decode this word, then run it */
	OP_PAGEEND,			/* fell off the page: fetch the next */
	OP_REFETCH,			/* fetch m->npc through the MMU */
	OP_NLABELS,			/* the checking loop's handlers */
	/* Specialised handlers, block loop only: chosen for an entry's h at
	 * predecode (cpu.c specialise), while its op stays the instruction's.
	 * Each group is in the order of the branches in pg32.def. */
	OP_NEAR = OP_NLABELS,		/* beq..bgeu with a near target */
	OP_ADDI_BR = OP_NEAR + 6,	/* addi rd; b<cc> rd, rs2 (near) */
	OP_ADD_BR = OP_ADDI_BR + 6,	/* add rd; b<cc> rd, rs2 (near) */
	OP_LBU_BR = OP_ADD_BR + 6,	/* lbu rd; b<cc> rd, rs2 (near) */
	OP_LW_BR = OP_LBU_BR + 6,	/* lw rd; b<cc> rd, rs2 (near) */
	/* The same five groups for a branch whose rs2 is r0 (beqz, bnez,
	 * bltz...), which compares with 0 instead of loading r0: */
	OP_ZERO = OP_LW_BR + 6 - OP_NEAR,	/* their distance */
	OP_LUI_BR = OP_NEAR + 2 * OP_ZERO,	/* lui rd; b<cc> rs1, rd (near) */
	OP_JAL_NEAR = OP_LUI_BR + 6,
	OP_PRELOAD,			/* hb: load the window, then h */
	OP_MV,				/* addi rd, rs1, 0 (mv, li rd, 0) */
	OP_MV_L,			/* ... with rs1 from the window */
	OP_MV_P,
	/* mv; mv as one handler: OP_MV2 + 3 * (where the first's rs1 comes
	 * from) + (where the second's comes from, as its own variant would
	 * read it: L is the first's result, P the L before the first); the
	 * block start form reads both from the register file or the first's
	 * result. */
	OP_MV2,
	OP_MV2_END = OP_MV2 + 9,
	/* lbu/lw + branch with the address register from L: the four
	 * groups OP_LBU_BR, OP_LW_BR and their OP_ZERO forms, in order. */
	OP_LOAD_BR_L = OP_MV2_END,
	OP_LOAD_BR_L_END = OP_LOAD_BR_L + 24,
	/* A store (sources from the register file) followed by an addi or
	 * add + near branch pair, as one handler: OP_ST_BR + 24 * (sb, sh,
	 * sw) + 12 * (addi, add) + 6 * (the branch compares with r0) + the
	 * branch; counted store loops (memset, strided marking). */
	OP_ST_BR = OP_LOAD_BR_L_END,
	OP_ST_BR_END = OP_ST_BR + 72,
	/* Forwarding variants of straight instructions: OP_WIN + 9 * op +
	 * 3 * (where rs1 comes from) + (where rs2 comes from), each a WIN_*;
	 * WIN_MEM for both is the plain handler, not in this range. */
	OP_WIN = OP_ST_BR_END,
	OP_NBLOCK = OP_WIN + 9 * ISA_NOPS
};
enum { WIN_MEM, WIN_L, WIN_P };	/* the register file, the window's L or P */

/* TLBs */
/* Direct-mapped, indexed by the virtual page number folded onto itself so
 * that buffers a power-of-two distance apart (1 MiB, 2 MiB...) do not
 * evict each other. */
#define TLB_BITS	9
#define TLB_N		(1u << TLB_BITS)
#define TLB_IDX(va)	((((uint32_t)(va) >> ISA_PAGE_SHIFT)			\
			  ^ ((uint32_t)(va) >> (ISA_PAGE_SHIFT + TLB_BITS))) & (TLB_N - 1))
/* The architectural entry of va: the fast tables' index, salted with the
 * VM tag's (m->tlb_salt, 0 in host mode) so that guests using the same
 * addresses do not evict each other (PG32-V, ISA.md 16.4).  The fast
 * entry at index i is derived from the architectural entry at
 * i ^ tlb_salt; the fast tables only ever hold the running tag's. */
#define TLB_AIDX(m, va)	(TLB_IDX(va) ^ (m)->tlb_salt)
#define TLB_SALT(vmid)	(((vmid) * 0x9du) & (TLB_N - 1))
#define TAG_NONE	0xffffffffu	/* matches no address */
#define TLB_FILLED_MAX	64	/* more fills than this: a flush clears all */
#define TLB_FILLED_ALL	(TLB_FILLED_MAX + 1)
#define PAGE_MASK	0xfffff000u

struct ftlb {			/* data fast path: host = (uint8_t *)(add + va) */
	uint32_t tag;
	uintptr_t add;
};
struct itlb {			/* fetch fast path */
	uint32_t tag;
	struct pdpage *pg;
};
struct fastmode {
	struct ftlb ld[TLB_N], st[TLB_N];
	struct itlb it[TLB_N];
};
/* The fast TLBs of one TLB tag (a PG32-V guest's vmid, a C host's address
 * space tag, 0 untagged), per mode, with the indexes filled since they were
 * last cleared.  The machine keeps FAST_SETS of them, so that switching
 * between a few tags (a VMM's shadows of one guest in user and kernel mode,
 * two guests) finds each one's fast entries again instead of refilling
 * them from the architectural TLB or a walk. */
#define FAST_SETS	4
struct fastset {
	struct fastmode mode[2];	/* [0] user, [1] kernel */
	uint32_t vmid;			/* whose: TAG_NONE for no one's */
	uint64_t used;			/* when last chosen (least recent goes) */
	uint16_t filled[TLB_FILLED_MAX];
	unsigned nfilled;		/* TLB_FILLED_ALL: clear them all */
	uint8_t is_filled[TLB_N];
};
struct atlb {			/* architectural TLB entry */
	uint32_t tag;		/* virtual page | vmid, TAG_NONE if empty */
	uint32_t pte;		/* the PTE as cached (A, maybe D, set) */
	uint32_t pte_pa;	/* where it lives, for setting D */
};

enum { KIND_FETCH, KIND_LOAD, KIND_STORE };

#define HW_MAXBP 16

struct machine {
	/* The CPU, hot fields first. */
	uint32_t r[ISA_NREGS + 1];	/* r[16]: sink for writes to r0 */
	uint32_t pc;		/* valid outside hw_run and at sync points */
	uint32_t cr[ISA_NCR];	/* ipend: the live lines; icount: unused */
	uint64_t ticks;		/* the tick counter (icount = low 32 bits) */
	uint64_t ev_at;		/* tick of the next event */
	uint8_t *ram;
	uint32_t memsize;
	struct fastmode *fast;	/* = fset->mode: [0] user, [1] kernel */
	struct fastset *fset;	/* the running tag's fast TLBs */
	struct atlb tlb[TLB_N];
	/* The architectural TLB's indexes filled since the last flush, so
	 * that a flush clears only those: a VMM changes ptb at every guest
	 * trap and return, and clearing all of the TLB was most of that cost.
	 * Each fast set keeps its own list. */
	uint16_t filled[TLB_FILLED_MAX];
	unsigned nfilled;	/* TLB_FILLED_ALL: unknown, clear them all */
	uint8_t is_filled[TLB_N];
	struct pdpage **pdp;	/* per physical page, NULL: no code seen */
	uint32_t npages;
	const void *const *lbl;	/* the dispatch loop's label table */
	struct pd jsent;	/* "fetch m->npc" pseudo-instruction */
	uint32_t npc;
	uint32_t fault_va;	/* badva of the last MMU fault */

	enum isa_variant isa;	/* ISA_PG32, ISA_PG32L (LEAK rows unprivileged)
				 * or ISA_PG32V (the extension, virt.c) */
	/* PG32-V (ISA.md 16).  In host mode (and on the other variants) every
	 * one of these is 0, so the privileged handlers' intercept tests and
	 * the TLB's tag compare cost what they cost before. */
	uint32_t icpt;		/* guest mode: GSA icpt (by opcode - 0x60) */
	uint32_t icrw;		/* guest mode: GSA icrw */
	uint32_t vmid;		/* TLB tag of the running mode: in host mode
				 * v.host_tag (0 unless a C host tags its
				 * address spaces, hw_set_ptb_tagged) */
	uint32_t tlb_salt;	/* TLB_SALT(vmid) */
	uint32_t icount_off;	/* guest icount = ticks + icount_off */
	struct virt {
		bool gm;		/* guest mode */
		bool c_host;		/* entered by hw_vmrun: exits return */
		bool tagged;		/* a guest has run or the host used a
					 * tag: flushes honour tags */
		uint32_t host_tag;	/* host mode's tag (hw_set_ptb_tagged) */
		uint32_t gsa;		/* physical address of the GSA */
		uint32_t icause, nptb;
		/* The host's state, saved by vmrun. */
		uint32_t cr[ISA_NCR];
		uint32_t pc;
		uint32_t trap_fn_causes;
		uint64_t entry_ticks;
		/* The last nested page fault (mmu.c). */
		uint32_t npf_gpa;
	} v;

	/* Run control. */
	uint64_t budget_end;
	uint64_t entry_ticks;	/* ticks at the last trap entry */
	struct hw_wficut wfi_cut;	/* the last run ended inside this wfi */
	uint32_t trap_to_host;
	uint32_t trap_fn_causes;	/* hw_set_trap_handler */
	hw_trap_fn *trap_fn;
	void *trap_ctx;
	struct hw_vcr *vcr;	/* hw_set_vcr: NULL, or served in the loop */
	bool step;
	enum hw_exit_reason halt;	/* HW_NEXIT, or the sticky exit */
	struct hw_exit halt_exit;
	uint32_t bp[HW_MAXBP];
	unsigned nbp;
	struct hw_bp_pass bp_pass;
	struct { uint32_t addr; bool phys; } wp[HW_MAXBP];
	unsigned nwp;
	bool watch_hit;
	struct hw_exit watch_exit;

	struct fastset fsets[FAST_SETS];
	uint64_t fset_clock;

	/* Devices. */
	struct cons cons;
	struct disk disk;
	struct dev_dma dma;

	/* Tracing: the sink, and tr_insn = the sink wants TRACE_INSN (then
	 * the loop checks between every two instructions). */
	struct tracer tr;
	bool tr_insn;

	struct hw_stats st;	/* insns and tlb_hits are brought up to date
				 * at exits */
	uint64_t tick_adjust;	/* ticks not from retiring (wfi, host sets) */
};

/* mmu.c */
void mmu_flush(struct machine *m);
void mmu_inv(struct machine *m, uint32_t va);
void mmu_flush_stores(struct machine *m);
/* Slow paths of the CPU's accesses.  Return 0, or the ISA_CAUSE_* with
 * m->fault_va = badva.  Loads give the value zero-extended. */
unsigned mmu_load(struct machine *m, uint32_t va, unsigned size, uint32_t *val);
unsigned mmu_store(struct machine *m, uint32_t va, unsigned size, uint32_t val);
unsigned mmu_fetch(struct machine *m, uint32_t va, struct pdpage **pg);
void mmu_code_written(struct machine *m, uint32_t pa, uint32_t len);
void mmu_free_code(struct machine *m);

/* mmu.c, PG32-V */
/* Make the running tag's (m->vmid's) fast set current: the one that holds
 * its entries, else the least recently chosen, cleared. */
void mmu_select_fast(struct machine *m);
static inline void mmu_fast_check(struct machine *m)
{
	if (unlikely(m->fset->vmid != m->vmid))
		mmu_select_fast(m);
}
/* Forget the fast sets' contents (a machine reset or restore). */
void mmu_fast_reset(struct machine *m);
/* Nested translation of guest-physical gpa for an access of kind (in
 * guest mode): 0 and *mpa, or ISA_CAUSE_NPF with m->v.npf_gpa set.
 * *refs counts the memory references. */
unsigned mmu_nested(const struct machine *m, uint32_t gpa, int kind, uint32_t *mpa,
		    unsigned *refs);

/* virt.c: PG32-V's guest mode (ISA.md 16) */
/* vmrun: 0, or ISA_CAUSE_BUS for a GSA outside RAM.  'insn': the vmrun
 * instruction, whose own tick is still to come. */
unsigned virt_enter(struct machine *m, uint32_t gsa, bool insn);
/* An exit from guest mode with cause (0: preempted), badva, gpa, insn:
 * the guest into its GSA, the host's state back. */
void virt_exit(struct machine *m, unsigned cause, uint32_t badva, uint32_t insn);
/* A trap of cause in guest mode: true if it exits (intercepted) rather
 * than entering the guest's handler. */
bool virt_intercepted(const struct machine *m, unsigned cause);

/* trap.c */
void trap_enter(struct machine *m, uint32_t pc, unsigned cause, uint32_t badva);
void trap_rfe(struct machine *m);
uint32_t trap_read_cr(const struct machine *m, unsigned cr);
void trap_write_cr(struct machine *m, unsigned cr, uint32_t val);
/* The interrupt to take now (an ISA_CAUSE_*), or 0. */
unsigned trap_pending_irq(const struct machine *m);

/* machine.c */
/* Debugging needs the checking loop and an event at every tick. */
static inline bool mach_debug(const struct machine *m)
{
	return m->step || m->nbp || m->nwp || m->tr_insn;
}
uint64_t mach_next_event(const struct machine *m);
void mach_events(struct machine *m);
enum { WFI_WOKE, WFI_BUDGET, WFI_DEADLOCK, WFI_NONE };
/* wfi at m->pc sleeps until a line in imask is pending (WFI_WOKE: the
 * caller retires it), the budget ends (WFI_BUDGET: m->wfi_cut notes it)
 * or nothing can wake it (WFI_DEADLOCK). */
int mach_wfi(struct machine *m);
/* At a run's start: the wfi the last run was cut in (m->wfi_cut) goes on
 * as mach_wfi, and retires here if it wakes (WFI_WOKE); WFI_NONE if there
 * is none to go on with. */
int mach_wfi_resume(struct machine *m);
/* Port access: 0, or ISA_CAUSE_BUS for a port that does not exist. */
unsigned mach_port_in(struct machine *m, uint32_t port, uint32_t *val);
unsigned mach_port_out(struct machine *m, uint32_t port, uint32_t val);

/* hwtrace.c: the machine's event emitters; call only when htrace_on. */
static inline bool htrace_on(const struct machine *m, enum trace_cat cat)
{
	return unlikely(m->tr.fn != NULL) && (m->tr.mask & cat);
}
void htrace_emit(const struct machine *m, enum trace_cat cat, uint32_t pc, bool kernel,
		 bool kernel_after, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void htrace_insn(const struct machine *m);
void htrace_lines(const struct machine *m, uint32_t before, uint32_t after);
void htrace_trap(const struct machine *m, bool irq);
void htrace_rfe(const struct machine *m, uint32_t pc);
void htrace_port(const struct machine *m, uint32_t pc, bool out, uint32_t port,
		 uint32_t val, unsigned cause);

/* cpu.c */
void cpu_init_labels(struct machine *m);
/* The entry every predecoded word starts as, and the page-end sentinel. */
struct pd cpu_stub(const struct machine *m, unsigned op);
/* Decode the stub at index idx of pg and the stubs after it up to the end
 * of its block, and bring the runs of the entries before it up to date. */
void cpu_decode(const struct machine *m, struct pdpage *pg, unsigned idx);
/* Bring the entries around idx up to date after entry idx (and the stubs
 * right after it) changed: the runs before it (hw_priv.h "Blocks") and
 * the handlers of the two entries on either side ("Forwarding"). */
void cpu_entry_changed(const struct machine *m, struct pdpage *pg, unsigned idx);

static inline uint32_t ram_ld32(const uint8_t *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, 4);
	return v;
}

static inline void ram_st32(uint8_t *p, uint32_t v)
{
	__builtin_memcpy(p, &v, 4);
}

#endif /* HW_PRIV_H */
