/*
 * cpu.c - the PG32 interpreter and the run loop (hw_run).
 *
 * Threaded dispatch over predecoded code (hw_priv.h): the label table is
 * generated from pg32.def, so an instruction without a handler (op_<name>)
 * does not compile.  Each handler does every check that can trap before
 * any effect (precise traps), then retires: 'cur' moves to the next
 * predecoded word and the countdown 'left' drops by one tick; at zero the
 * loop leaves the fast path to handle events.
 *
 * State kept in locals while running, written back at sync points:
 *   cur      the predecoded entry of the next instruction (or a sentinel)
 *   pg       the predecoded page cur points into; page_va its virtual page
 *   left     ticks to the next event: the tick count is m->ev_at - left
 *   lt/st/it the fast TLBs of the current mode
 * pc is not kept: it is page_va + 4 * (cur - pg->e), or m->npc when cur is
 * the "refetch" sentinel m->jsent.
 *
 * The slow path between instructions ("boundary") is where exits happen,
 * interrupts are taken (ISA.md: checked before each instruction; they can
 * only become pending at an event or after an instruction that takes the
 * slow path, so checking there is exact), and where mode or translation
 * changes take effect, by fetching the next instruction afresh.
 */
#include <string.h>

#include "hw_priv.h"

void cpu_predecode(const struct machine *m, struct pd *e, uint32_t word, unsigned idx)
{
	struct isa_insn d = isa_decode(word);
	unsigned fmt = d.op < ISA_NOPS ? isa_table[d.op].format : ISA_FMT_N;
	int64_t target = (int64_t)idx + (d.imm >> 2);

	e->h = m->lbl[d.op];
	e->rd = d.rd ? d.rd : ISA_NREGS;	/* writes to r0 go to the sink */
	e->rs1 = d.rs1;
	e->rs2 = d.rs2;
	e->imm = d.op == ISA_OP_ILLEGAL ? (int32_t)word : d.imm;
	e->near = (fmt == ISA_FMT_B || fmt == ISA_FMT_J) && target >= 0 && target < PD_WORDS;
}

/* The instruction word behind a predecoded entry (0 for a sentinel). */
static uint32_t word_of(const struct machine *m, const struct pdpage *pg, const struct pd *cur)
{
	if (!pg || cur < pg->e || cur >= pg->e + PD_WORDS)
		return 0;
	return ram_ld32(m->ram + pg->pa + 4 * (uint32_t)(cur - pg->e));
}

static bool at_breakpoint(const struct machine *m)
{
	for (unsigned i = 0; i < m->nbp; i++)
		if (m->bp[i] == m->pc)
			return true;
	return false;
}

static enum hw_exit_reason do_exit(struct machine *m, struct hw_exit *ex,
				   enum hw_exit_reason r)
{
	ex->reason = r;
	ex->pc = m->pc;
	m->st.insns = m->ticks - m->tick_adjust;
	return r;
}

static enum hw_exit_reason halt(struct machine *m, struct hw_exit *ex, enum hw_exit_reason r)
{
	do_exit(m, ex, r);
	m->halt = r;
	m->halt_exit = *ex;
	return r;
}

/* One indirect jump per handler (no tail merging) lets the host's branch
 * predictor learn each instruction's successor.  (GCC's attribute; clang
 * has none such.) */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-crossjumping", "no-gcse")))
#endif
static enum hw_exit_reason run(struct machine *m, struct hw_exit *ex)
{
	static const void *const labels[OP_NLABELS] = {
#define INSN(n, opc, fmt, ops, cls, sem) [ISA_OP_##n] = &&op_##n,
#include "pg32.def"
#undef INSN
		[ISA_OP_ILLEGAL] = &&op_illegal,
		[OP_DECODE] = &&op_decode,
		[OP_PAGEEND] = &&op_pageend,
		[OP_REFETCH] = &&op_refetch,
	};
	uint32_t *const R = m->r;
	const struct pd *cur = &m->jsent;
	struct pdpage *pg = NULL;
	uint32_t page_va = 0;
	int64_t left = 0;
	struct ftlb *lt, *st;
	struct itlb *it;
	unsigned cause = 0;
	uint32_t badva = 0;
	bool first = true, is_irq = false;

	if (!ex) {		/* cpu_init_labels */
		m->lbl = labels;
		return HW_NEXIT;
	}
	if (m->halt != HW_NEXIT) {
		*ex = m->halt_exit;
		return ex->reason;
	}

#define PC_OF(c)	((c) == &m->jsent ? m->npc : PC_IN(c))
#define PC_IN(c)	(page_va + 4 * (uint32_t)((c) - pg->e))	/* c in pg */
#define SYNC()		(m->ticks = m->ev_at - (uint64_t)left)
#define MODE_RELOAD()	do { struct fastmode *f_ = &m->fast[m->cr[ISA_CR_STATUS] & ISA_ST_KM]; \
			     lt = f_->ld; st = f_->st; it = f_->it; } while (0)
#define DISPATCH()	goto *cur->h
#define TICK()		do { if (unlikely(--left == 0)) goto event; DISPATCH(); } while (0)
#define NEXT()		do { cur++; TICK(); } while (0)
#define TRAP(c, v)	do { cause = (c); badva = (v); goto trap; } while (0)
#define RD		R[cur->rd]
#define RS1		R[cur->rs1]
#define RS2		R[cur->rs2]
#define IMM		cur->imm
	/* Control transfer to t, then retire. */
#define JUMP(t) do {							\
		uint32_t t_ = (t);					\
		if (((t_ ^ page_va) & PAGE_MASK) == 0) {		\
			cur = pg->e + ((t_ & ~PAGE_MASK) >> 2);		\
		} else {						\
			struct itlb *ie_ = &it[TLB_IDX(t_)];		\
			if (likely(ie_->tag == (t_ & PAGE_MASK))) {	\
				pg = ie_->pg; page_va = ie_->tag;	\
				cur = pg->e + ((t_ & ~PAGE_MASK) >> 2);	\
			} else {					\
				m->npc = t_; cur = &m->jsent;		\
			}						\
		}							\
		TICK();							\
	} while (0)
#define BRANCH(cond) do {						\
		if (cond) {						\
			if (likely(cur->near)) {			\
				cur += IMM >> 2;			\
				TICK();					\
			}						\
			JUMP(PC_IN(cur) + (uint32_t)IMM);		\
		}							\
		NEXT();							\
	} while (0)
#define LOAD(type, size, conv) do {					\
		uint32_t va_ = RS1 + (uint32_t)IMM, v_;			\
		const struct ftlb *e_ = &lt[TLB_IDX(va_)];		\
		if (likely(e_->tag == (va_ & (PAGE_MASK | ((size) - 1))))) { \
			type x_;					\
			memcpy(&x_, (const void *)(e_->add + va_), size); \
			RD = conv x_;					\
			NEXT();						\
		}							\
		unsigned c_ = mmu_load(m, va_, size, &v_);		\
		if (c_)							\
			TRAP(c_, m->fault_va);				\
		RD = conv (type)v_;					\
		NEXT();							\
	} while (0)
#define STORE(type, size) do {						\
		uint32_t va_ = RS1 + (uint32_t)IMM;			\
		const struct ftlb *e_ = &st[TLB_IDX(va_)];		\
		type x_ = (type)RS2;					\
		if (likely(e_->tag == (va_ & (PAGE_MASK | ((size) - 1))))) { \
			memcpy((void *)(e_->add + va_), &x_, size);	\
			NEXT();						\
		}							\
		unsigned c_ = mmu_store(m, va_, size, x_);		\
		if (c_)							\
			TRAP(c_, m->fault_va);				\
		NEXT();							\
	} while (0)
#define PRIV() do {							\
		if (unlikely(!(m->cr[ISA_CR_STATUS] & ISA_ST_KM)))	\
			TRAP(ISA_CAUSE_PRIVILEGED, word_of(m, pg, cur)); \
	} while (0)
	/* A LEAK row: PRIVILEGED in user mode on PG32; on PG32-L no trap, and
	 * the handler runs its user-mode behaviour (ISA.md 15). */
#define USER()		(!(m->cr[ISA_CR_STATUS] & ISA_ST_KM))
#define PRIV_UNLESS_LEAKY() do { if (m->isa != ISA_PG32L) PRIV(); } while (0)
	/* Leave the fast path after a retiring instruction whose handler set
	 * m->pc (and synced the ticks before its effects). */
#define RETIRE_SLOW()	goto retire_slow

	/* ---- between instructions ---------------------------------------- */
boundary:
	/* m->pc and m->ticks are current; cur is not. */
	if (m->halt != HW_NEXIT) {	/* powered off just now */
		ex->u = m->halt_exit.u;
		return halt(m, ex, m->halt);
	}
	if (!first && m->step)
		return do_exit(m, ex, HW_EXIT_STEP);
	if (m->watch_hit) {
		m->watch_hit = false;
		ex->u.watch = m->watch_exit.u.watch;
		return do_exit(m, ex, HW_EXIT_WATCHPOINT);
	}
	if (m->ticks >= m->budget_end)
		return do_exit(m, ex, HW_EXIT_BUDGET);
	cause = trap_pending_irq(m);
	if (cause) {
		m->npc = m->pc;
		cur = &m->jsent;
		m->ev_at = m->ticks;
		left = 0;
		badva = 0;
		is_irq = true;
		goto trap;
	}
	if (m->nbp && !first && at_breakpoint(m))
		return do_exit(m, ex, HW_EXIT_BREAKPOINT);
	first = false;
	MODE_RELOAD();
	m->ev_at = mach_next_event(m);
	left = (int64_t)(m->ev_at - m->ticks);
	m->npc = m->pc;
	cur = &m->jsent;
	if (unlikely(m->tr_insn))	/* tr_insn keeps left == 1 */
		htrace_insn(m);
	DISPATCH();

event:
	/* An instruction retired and the countdown ran out: this tick is
	 * an event (or the end of the budget, or a debug check). */
	m->pc = PC_OF(cur);
	SYNC();
	mach_events(m);
	goto boundary;

retire_slow:
	m->ticks++;
	mach_events(m);
	goto boundary;

trap:
	/* cur is the faulting instruction (or, for an interrupt or a fetch
	 * fault, the sentinel with m->npc); nothing has been changed. */
	m->pc = PC_OF(cur);
	SYNC();
	if (m->trap_to_host & (1u << cause)) {
		ex->u.trap.cause = cause;
		ex->u.trap.badva = badva;
		ex->u.trap.insn = is_irq ? 0 : word_of(m, pg, cur);
		ex->u.trap.d = isa_decode(ex->u.trap.insn);
		m->st.traps[cause]++;
		return do_exit(m, ex, HW_EXIT_TRAP);
	}
	if (!is_irq && m->ticks == m->entry_ticks && m->pc == m->cr[ISA_CR_TVEC]) {
		/* The handler's first instruction (or its fetch) trapped
		 * right after trap entry: it would trap forever. */
		ex->u.trap.cause = cause;
		ex->u.trap.badva = badva;
		ex->u.trap.insn = word_of(m, pg, cur);
		ex->u.trap.d = isa_decode(ex->u.trap.insn);
		return halt(m, ex, HW_EXIT_DOUBLE_FAULT);
	}
	trap_enter(m, m->pc, cause, badva);
	if (unlikely(m->tr.fn))
		htrace_trap(m, is_irq);
	m->entry_ticks = m->ticks;
	is_irq = false;
	first = false;
	goto boundary;

	/* ---- pseudo-instructions ------------------------------------------ */
op_pageend:
	m->npc = page_va + ISA_PAGE_SIZE;
	cur = &m->jsent;
	/* fall through */
op_refetch: {
	uint32_t pc = m->npc;
	struct itlb *ie = &it[TLB_IDX(pc)];

	if (likely(ie->tag == (pc & PAGE_MASK))) {
		pg = ie->pg;
	} else {
		unsigned c = mmu_fetch(m, pc, &pg);
		if (c)
			TRAP(c, pc);
	}
	page_va = pc & PAGE_MASK;
	cur = pg->e + ((pc & ~PAGE_MASK) >> 2);
	DISPATCH();
}
op_decode: {
	struct pd *e = &pg->e[cur - pg->e];

	cpu_predecode(m, e, word_of(m, pg, cur), (unsigned)(cur - pg->e));
	DISPATCH();
}
op_illegal:
	TRAP(ISA_CAUSE_ILLEGAL, (uint32_t)IMM);

	/* ---- ALU ------------------------------------------------------------ */
op_add:	RD = RS1 + RS2; NEXT();
op_sub:	RD = RS1 - RS2; NEXT();
op_and:	RD = RS1 & RS2; NEXT();
op_or:	RD = RS1 | RS2; NEXT();
op_xor:	RD = RS1 ^ RS2; NEXT();
op_sll:	RD = RS1 << (RS2 & 31); NEXT();
op_srl:	RD = RS1 >> (RS2 & 31); NEXT();
op_sra:	RD = (uint32_t)((int32_t)RS1 >> (RS2 & 31)); NEXT();
op_slt:	RD = (int32_t)RS1 < (int32_t)RS2; NEXT();
op_sltu: RD = RS1 < RS2; NEXT();
op_mul:	RD = RS1 * RS2; NEXT();
op_mulh:
	RD = (uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32);
	NEXT();
op_mulhu: RD = (uint32_t)(((uint64_t)RS1 * RS2) >> 32); NEXT();
op_div: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = b == 0 ? 0xffffffffu : (a == INT32_MIN && b == -1) ? (uint32_t)a
		: (uint32_t)(a / b);
	NEXT();
}
op_divu: RD = RS2 == 0 ? 0xffffffffu : RS1 / RS2; NEXT();
op_rem: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = b == 0 ? (uint32_t)a : (a == INT32_MIN && b == -1) ? 0 : (uint32_t)(a % b);
	NEXT();
}
op_remu: RD = RS2 == 0 ? RS1 : RS1 % RS2; NEXT();
op_addi: RD = RS1 + (uint32_t)IMM; NEXT();
op_andi: RD = RS1 & (uint32_t)IMM; NEXT();
op_ori:	RD = RS1 | (uint32_t)IMM; NEXT();
op_xori: RD = RS1 ^ (uint32_t)IMM; NEXT();
op_slli: RD = RS1 << IMM; NEXT();
op_srli: RD = RS1 >> IMM; NEXT();
op_srai: RD = (uint32_t)((int32_t)RS1 >> IMM); NEXT();
op_slti: RD = (int32_t)RS1 < IMM; NEXT();
op_sltiu: RD = RS1 < (uint32_t)IMM; NEXT();
op_lui:	RD = (uint32_t)IMM; NEXT();

	/* ---- memory --------------------------------------------------------- */
op_lb:	LOAD(int8_t, 1, (uint32_t)(int32_t));
op_lh:	LOAD(int16_t, 2, (uint32_t)(int32_t));
op_lw:	LOAD(uint32_t, 4, (uint32_t));
op_lbu:	LOAD(uint8_t, 1, (uint32_t));
op_lhu:	LOAD(uint16_t, 2, (uint32_t));
op_sb:	STORE(uint8_t, 1);
op_sh:	STORE(uint16_t, 2);
op_sw:	STORE(uint32_t, 4);

	/* ---- control transfer ----------------------------------------------- */
op_beq:	BRANCH(RS1 == RS2);
op_bne:	BRANCH(RS1 != RS2);
op_blt:	BRANCH((int32_t)RS1 < (int32_t)RS2);
op_bge:	BRANCH((int32_t)RS1 >= (int32_t)RS2);
op_bltu: BRANCH(RS1 < RS2);
op_bgeu: BRANCH(RS1 >= RS2);
op_jal: {
	uint32_t pc = PC_IN(cur);
	RD = pc + 4;
	JUMP(pc + (uint32_t)IMM);
}
op_jalr: {
	uint32_t t = RS1 + (uint32_t)IMM, pc = PC_IN(cur);
	if (unlikely(t & 3))
		TRAP(ISA_CAUSE_MISALIGNED, t);
	RD = pc + 4;		/* after t: jalr ra, 0(ra) works */
	JUMP(t);
}
op_syscall: TRAP(ISA_CAUSE_SYSCALL, 0);
op_break: TRAP(ISA_CAUSE_BREAK, 0);
op_hcall: TRAP(ISA_CAUSE_HCALL, 0);

	/* ---- privileged: all leave the fast path ------------------------------ */
op_mfcr:
	PRIV();
	SYNC();
	RD = trap_read_cr(m, (unsigned)IMM);
	NEXT();
op_mtcr:
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	trap_write_cr(m, (unsigned)IMM, RS1);
	RETIRE_SLOW();
op_rfe:
	PRIV();
	SYNC();
	trap_rfe(m);
	if (unlikely(m->tr.fn))
		htrace_rfe(m, PC_IN(cur));
	RETIRE_SLOW();
op_wfi:
	PRIV();
	m->pc = PC_IN(cur);
	SYNC();
	switch (mach_wfi(m)) {
	case WFI_BUDGET:
		return do_exit(m, ex, HW_EXIT_BUDGET);
	case WFI_DEADLOCK:
		return halt(m, ex, HW_EXIT_DEADLOCK);
	}
	m->pc += 4;
	RETIRE_SLOW();
op_tlbflush:
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	mmu_flush(m);
	m->st.tlb_flushes++;
	RETIRE_SLOW();
op_tlbinv:
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	mmu_inv(m, RS1);
	RETIRE_SLOW();
op_rdst:	/* PG32-L user mode: the real status, as x86 PUSHF and SMSW */
	PRIV_UNLESS_LEAKY();
	SYNC();
	RD = trap_read_cr(m, ISA_CR_STATUS);
	NEXT();
op_setie:	/* PG32-L user mode: silently no effect, as x86 POPF on IF */
	PRIV_UNLESS_LEAKY();
	if (USER())
		NEXT();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	trap_write_cr(m, ISA_CR_STATUS, (m->cr[ISA_CR_STATUS] & ~ISA_ST_IE) |
		      ((RS1 & 1u) ? ISA_ST_IE : 0));
	RETIRE_SLOW();
op_in: {
	uint32_t port = RS1 + (uint32_t)IMM, v;
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	if (mach_port_in(m, port, &v))
		TRAP(ISA_CAUSE_BUS, port);
	RD = v;
	RETIRE_SLOW();
}
op_out: {
	uint32_t port = RS1 + (uint32_t)IMM;
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	if (mach_port_out(m, port, RS2))
		TRAP(ISA_CAUSE_BUS, port);
	RETIRE_SLOW();
}
#undef PC_OF
#undef PC_IN
#undef SYNC
#undef MODE_RELOAD
#undef DISPATCH
#undef TICK
#undef NEXT
#undef TRAP
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef JUMP
#undef BRANCH
#undef LOAD
#undef STORE
#undef PRIV
#undef USER
#undef PRIV_UNLESS_LEAKY
#undef RETIRE_SLOW
}

void cpu_init_labels(struct machine *m)
{
	run(m, NULL);
}

enum hw_exit_reason hw_run(struct machine *m, struct hw_exit *ex)
{
	return run(m, ex);
}

enum hw_exit_reason hw_step(struct machine *m, struct hw_exit *ex)
{
	enum hw_exit_reason r;

	m->step = true;
	r = run(m, ex);
	m->step = false;
	return r;
}
