/*
 * cpu.c - the PG32 interpreter's run loop (hw_run): instruction boundaries
 * (exits, interrupts, debug checks), traps, events, and the predecoder
 * that the two dispatch loops of cpu_loop.h run from.
 *
 * The boundary between instructions is where exits happen, interrupts are
 * taken (ISA.md: checked before each instruction; they can only become
 * pending at an event or after an instruction that leaves the loop, so
 * checking there is exact), and where mode or translation changes take
 * effect, by fetching the next instruction afresh.  From a boundary run()
 * enters the block loop, or the checking loop while debugging; the block
 * loop hands a block the next event falls inside to the checking loop.
 */
#include <stddef.h>
#include <string.h>

#include "hw_priv.h"

/* Why a dispatch loop returned to run(). */
enum {
	LOOP_EVENT,	/* the countdown reached an event tick: m->pc, ticks set */
	LOOP_FALLBACK,	/* the block loop: the next event is inside the block
			 * at s->cur, which has not been paid for */
	LOOP_EXIT,	/* hw_run returns s->exit, whose record is made */
	LOOP_WFI,	/* wfi: hw_run returns s->exit (BUDGET, DEADLOCK) */
	LOOP_RESUMED,	/* at a boundary with m->pc and ticks current: after
			 * an instruction with slow effects retired, or the
			 * host's trap handler handled a trap */
};

/* A dispatch loop's state between its returns to run(). */
struct loop {
	const struct pd *cur;
	struct pdpage *pg;
	uint32_t page_va;
	int64_t left;
	unsigned cause;
	uint32_t badva;
	enum hw_exit_reason exit;
	struct hw_exit *ex;	/* hw_run's record */
};

/* Straight instructions fall through to the next word unless they trap;
 * every other instruction ends a block (hw_priv.h "Blocks"). */
static bool straight(unsigned op)
{
	if (op >= ISA_NOPS || op == ISA_OP_jalr)
		return false;
	return !(isa_table[op].cls & (ISA_C_PRIV | ISA_C_TRAP))
		&& isa_table[op].format != ISA_FMT_B && isa_table[op].format != ISA_FMT_J;
}

struct pd cpu_stub(const struct machine *m, unsigned op)
{
	return (struct pd){ .h = m->lbl[op], .hb = m->lbl[op], .op = (uint8_t)op, .run = 0,
			    .wl = ISA_NREGS, .wp = ISA_NREGS };
}

/* Decode word into e, the predecoded entry of word index idx of its page;
 * e->run is left for the caller. */
static void predecode(const struct machine *m, struct pd *e, uint32_t word, unsigned idx)
{
	struct isa_insn d = isa_decode(word);
	unsigned fmt = d.op < ISA_NOPS ? isa_table[d.op].format : ISA_FMT_N;
	int64_t target = (int64_t)idx + (d.imm >> 2);

	e->h = e->hb = m->lbl[d.op];
	e->op = (uint8_t)d.op;
	e->rd = d.rd ? d.rd : ISA_NREGS;	/* writes to r0 go to the sink */
	e->rs1 = d.rs1;
	e->rs2 = d.rs2;
	e->near = (fmt == ISA_FMT_B || fmt == ISA_FMT_J) && target >= 0 && target < PD_WORDS;
	if (d.op == ISA_OP_ILLEGAL)
		e->imm = (int32_t)word;
	else if (e->near)	/* the distance between the entries, in bytes */
		e->imm = (d.imm >> 2) * (int32_t)sizeof(struct pd);
	else
		e->imm = d.imm;
}

static bool is_branch(unsigned op)
{
	return op >= ISA_OP_beq && op <= ISA_OP_bgeu;
}

/* The first handler of the group for op followed by a near branch on its
 * result, or 0. */
static unsigned first_of_pair(unsigned op)
{
	switch (op) {
	case ISA_OP_addi: return OP_ADDI_BR;
	case ISA_OP_add: return OP_ADD_BR;
	case ISA_OP_lbu: return OP_LBU_BR;
	case ISA_OP_lw: return OP_LW_BR;
	default: return 0;
	}
}

/* The pair handler for entry i and the near branch after it, or 0: the
 * pairs that close the loops of the benchmarks and of compiled code
 * (addi/add + branch: counted loops; lbu/lw + branch: tests of a byte or
 * word in memory; lui + branch: a comparison with a large constant). */
static unsigned pair(const struct pdpage *pg, unsigned i)
{
	const struct pd *e = &pg->e[i];
	const struct pd *n = &pg->e[i + 1];	/* i + 1 <= PD_WORDS: the sentinel */

	if (!is_branch(n->op) || !n->near)
		return 0;
	if (n->rs1 == e->rd && first_of_pair(e->op))
		return first_of_pair(e->op) + (n->rs2 ? 0 : OP_ZERO) + n->op - ISA_OP_beq;
	if (e->op == ISA_OP_lui && n->rs2 == e->rd)
		return OP_LUI_BR + n->op - ISA_OP_beq;
	return 0;
}

/* The plain block loop handler for entry i, which may depend on entry
 * i + 1: near branches and jumps go straight to their precomputed entry
 * (comparing with 0 when rs2 is r0), pairs run as one handler, and mv
 * copies without adding. */
static unsigned plain(const struct pdpage *pg, unsigned i)
{
	const struct pd *e = &pg->e[i];
	unsigned op = e->op;

	if (is_branch(op) && e->near)
		return OP_NEAR + (e->rs2 ? 0 : OP_ZERO) + op - ISA_OP_beq;
	if (op == ISA_OP_jal && e->near)
		return OP_JAL_NEAR;
	if (pair(pg, i))
		return pair(pg, i);
	if (op == ISA_OP_addi && e->imm == 0)
		return OP_MV;
	return op;
}

/* What the window holds after straight entry e ran (hw_priv.h
 * "Forwarding"): the register it wrote or, for a store, the one it
 * stored; ISA_NREGS when that is no register (a write to r0). */
static unsigned window_reg(const struct pd *e)
{
	return isa_table[e->op].cls & ISA_C_STORE ? e->rs2 : e->rd;
}

/* Where entry i, reached by falling through, finds register r: L when
 * entry i - 1 left it there, P when entry i - 2 did and entry i - 1 did
 * not write r since, else the register file. */
static unsigned window_src(const struct pdpage *pg, unsigned i, unsigned r)
{
	if (i == 0 || !straight(pg->e[i - 1].op) || pair(pg, i - 1))
		return WIN_MEM;	/* i starts a block, or is a pair's branch */
	if (window_reg(&pg->e[i - 1]) == r)
		return WIN_L;
	/* i - 2 is straight and before i - 1, so no pair */
	if (i >= 2 && straight(pg->e[i - 2].op) && window_reg(&pg->e[i - 2]) == r)
		return WIN_P;	/* and i - 1, which wrote no other, not r */
	return WIN_MEM;
}

/* The variant of pair handler v at entry i with the address from L, or 0. */
static unsigned load_pair_l(const struct pdpage *pg, unsigned i, unsigned v)
{
	if (window_src(pg, i, pg->e[i].rs1) != WIN_L)
		return 0;
	if (v >= OP_LBU_BR && v < OP_LW_BR + 6)
		return OP_LOAD_BR_L + v - OP_LBU_BR;
	if (v >= OP_ZERO + OP_LBU_BR && v < OP_ZERO + OP_LW_BR + 6)
		return OP_LOAD_BR_L + 12 + v - (OP_ZERO + OP_LBU_BR);
	return 0;
}

/* Entry i's forwarding variant (a label with a handler) or 0; *p: it
 * reads P. */
static unsigned variant(const struct machine *m, const struct pdpage *pg, unsigned i, bool *p)
{
	const struct pd *e = &pg->e[i];
	unsigned s1 = WIN_MEM, s2 = WIN_MEM, fmt, v;

	*p = false;
	if (i >= PD_WORDS || !straight(e->op))
		return 0;
	v = pair(pg, i);
	if (v)
		return load_pair_l(pg, i, v);
	fmt = isa_table[e->op].format;
	if (fmt != ISA_FMT_U)
		s1 = window_src(pg, i, e->rs1);
	if (fmt == ISA_FMT_R || fmt == ISA_FMT_S)
		s2 = window_src(pg, i, e->rs2);
	if (s1 == WIN_MEM && s2 == WIN_MEM)
		return 0;
	if (e->op == ISA_OP_addi && e->imm == 0)
		v = s1 == WIN_L ? OP_MV_L : OP_MV_P;
	else
		v = OP_WIN + 9 * e->op + 3 * s1 + s2;
	if (!m->lbl[v])
		return 0;	/* the instructions with variants have all */
	*p = s1 == WIN_P || s2 == WIN_P;
	return v;
}

static bool is_mv(const struct pd *e)
{
	return e->op == ISA_OP_addi && e->imm == 0;
}

/* The handler running entries i and i + 1 as one when both are mv (addi
 * with 0: register shuffles, li rd, 0), or 0; start: for entry i reached
 * at a block's start, where the window holds nothing.  Not when i + 1
 * heads a pair, which saves as much and keeps the branch fused.  Depends
 * on entries i - 2 to i + 2. */
static unsigned mv_pair(const struct pdpage *pg, unsigned i, bool start)
{
	const struct pd *e = &pg->e[i], *n = &pg->e[i + 1];

	if (i + 1 >= PD_WORDS || !is_mv(e) || !is_mv(n) || pair(pg, i + 1))
		return 0;
	if (start)
		return OP_MV2 + 3 * WIN_MEM + (n->rs1 == e->rd ? WIN_L : WIN_MEM);
	return OP_MV2 + 3 * window_src(pg, i, e->rs1) + window_src(pg, i + 1, n->rs1);
}

/* The handler running store entry i and the addi or add + branch pair at
 * i + 1 as one, or 0.  Depends on entries i to i + 2. */
static unsigned store_pair(const struct pdpage *pg, unsigned i)
{
	unsigned op = pg->e[i].op, p = i + 1 < PD_WORDS ? pair(pg, i + 1) : 0, s;

	if (op == ISA_OP_sb)
		s = OP_ST_BR;
	else if (op == ISA_OP_sh)
		s = OP_ST_BR + 24;
	else if (op == ISA_OP_sw)
		s = OP_ST_BR + 48;
	else
		return 0;
	for (unsigned z = 0; z < 2; z++) {	/* rs2, then r0 */
		unsigned a = OP_ADDI_BR + z * OP_ZERO, b = OP_ADD_BR + z * OP_ZERO;

		if (p >= a && p < a + 6)
			return s + 6 * z + p - a;
		if (p >= b && p < b + 6)
			return s + 12 + 6 * z + p - b;
	}
	return 0;
}

/* For store entry i heading a store pair: the pair's branch goes back to
 * i and the pair counts the store's address (rs1 = rd = the store's rs1),
 * and no other operand is the counted register (an add's rs2, the store's
 * data, the branch's rs2), so the store pair's handler may keep the
 * address in a host register from one pass to the next and the other
 * operands as they were at the loop's start (cpu_loop.h ST_LOOP). */
static bool store_loop(const struct pdpage *pg, unsigned i)
{
	const struct pd *s = &pg->e[i], *p = &pg->e[i + 1], *b = &pg->e[i + 2];

	return b->imm == -2 * (int32_t)sizeof(struct pd) && s->rs1 == p->rd && p->rs1 == p->rd
		&& (p->op == ISA_OP_addi || p->rs2 != p->rd) && s->rs2 != p->rd
		&& b->rs2 != p->rd;
}

/* Choose entry i's handlers: h (a mv pair, or a forwarding variant where
 * one applies, else the plain handler) and hb (a mv pair's block start
 * form, or PRELOAD when the entry after it reads P, else the plain
 * handler).  Depends on entries i - 2 to i + 2. */
static void specialise(const struct machine *m, struct pdpage *pg, unsigned i)
{
	struct pd *e = &pg->e[i];
	bool p_here, p_next;
	unsigned v = variant(m, pg, i, &p_here), p = plain(pg, i), f = mv_pair(pg, i, false);

	e->h = m->lbl[f ? f : v ? v : p];
	variant(m, pg, i + 1, &p_next);
	e->hb = p_next ? m->lbl[OP_PRELOAD] : m->lbl[p];
	if (f)		/* entry i + 1 is run by it; i + 2 finds L and P set */
		e->hb = m->lbl[mv_pair(pg, i, true)];
	f = store_pair(pg, i);
	if (f) {	/* the pair ends the block: nothing reads the window after */
		e->hb = m->lbl[f];
		if (!v)
			e->h = m->lbl[f];
	}
	if (e->op < ISA_NOPS && (isa_table[e->op].cls & ISA_C_STORE))
		e->near = f && store_loop(pg, i);
	e->wl = e->wp = ISA_NREGS;
	if (i > 0 && straight(pg->e[i - 1].op))
		e->wl = (uint8_t)window_reg(&pg->e[i - 1]);
	if (i > 1 && straight(pg->e[i - 2].op))
		e->wp = (uint8_t)window_reg(&pg->e[i - 2]);
}

/* Entries lo..hi - 1 changed: re-specialise them and the two entries on
 * either side (specialise's reach). */
static void respecialise(const struct machine *m, struct pdpage *pg, unsigned lo, unsigned hi)
{
	for (unsigned i = lo >= 2 ? lo - 2 : 0; i < hi + 2 && i < PD_WORDS; i++)
		specialise(m, pg, i);
}

static void runs_before(struct pdpage *pg, unsigned idx)
{
	for (; idx > 0 && straight(pg->e[idx - 1].op); idx--) {
		uint16_t r = (uint16_t)(1 + pg->e[idx].run);

		if (pg->e[idx - 1].run == r)
			break;	/* the entries before were consistent with it */
		pg->e[idx - 1].run = r;
	}
}

void cpu_entry_changed(const struct machine *m, struct pdpage *pg, unsigned idx)
{
	unsigned end = idx;

	while (end < PD_WORDS && pg->e[end].op == OP_DECODE)
		end++;		/* the entries reset with it */
	respecialise(m, pg, idx, end > idx ? end : idx + 1);
	runs_before(pg, idx);
}

void cpu_decode(const struct machine *m, struct pdpage *pg, unsigned idx)
{
	const uint32_t *words = (const uint32_t *)(m->ram + pg->pa);
	unsigned end = idx;

	/* Decoding ahead to the block's end lets the block be paid at once. */
	while (end < PD_WORDS && pg->e[end].op == OP_DECODE) {
		predecode(m, &pg->e[end], ram_ld32((const uint8_t *)&words[end]), end);
		if (!straight(pg->e[end++].op))
			break;
	}
	for (unsigned i = end; i-- > idx; )
		pg->e[i].run = (uint16_t)(straight(pg->e[i].op) ? 1 + pg->e[i + 1].run : 1);
	respecialise(m, pg, idx, end);
	runs_before(pg, idx);
}

/* The instruction word behind a predecoded entry (0 for a sentinel). */
static uint32_t cpu_word(const struct machine *m, const struct pdpage *pg, const struct pd *cur)
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

/* The decoding of the instruction at entry e, whose word is insn: the
 * predecoded fields when they are the decoder's (not for sentinels, nor
 * near branches, whose imm is an entry distance). */
static struct isa_insn decoding(const struct pd *e, uint32_t insn)
{
	if (e->op >= ISA_NOPS || e->near)
		return isa_decode(insn);
	return (struct isa_insn){ .op = e->op, .rd = e->rd == ISA_NREGS ? 0 : e->rd,
				  .rs1 = e->rs1, .rs2 = e->rs2, .imm = e->imm };
}

/* A trap of s->cause at m->pc (ticks synced) that goes to the host: the
 * TRAP record in *s->ex, then the host's handler if it has one for the
 * cause.  Returns HW_NEXIT when the handler resumed the guest, else the
 * exit to return. */
static enum hw_exit_reason host_trap(struct machine *m, const struct loop *s, uint32_t insn,
				     const struct pd *e)
{
	struct hw_exit *ex = s->ex;

	ex->u.trap.cause = s->cause;
	ex->u.trap.badva = s->badva;
	ex->u.trap.insn = insn;
	ex->u.trap.d = e ? decoding(e, insn) : isa_decode(insn);
	m->st.traps[s->cause]++;
	if ((m->trap_fn_causes >> s->cause & 1) && !m->step) {
		ex->reason = HW_EXIT_TRAP;
		ex->pc = m->pc;
		switch (m->trap_fn(m->trap_ctx, ex)) {
		case HW_TRAP_EXIT:
			break;
		case HW_TRAP_RESUME:
			return HW_NEXIT;
		case HW_TRAP_RETURN:
			return do_exit(m, ex, HW_EXIT_HANDLED);
		}
	}
	return do_exit(m, ex, HW_EXIT_TRAP);
}

/* Privileged entry e, trapping in user mode, as the host's control
 * registers serve it (hw_set_vcr): true if it ran there (the caller
 * retires it), false if it traps.  In host mode PRIVILEGED comes only from
 * user mode; in guest mode it is an intercept, never served.  (hw_step
 * and the debug checks make every tick an event: the loop does not ask.) */
static inline __attribute__((always_inline)) bool vcr_serve(struct machine *m,
							    const struct pd *e)
{
	struct hw_vcr *v = m->vcr;
	uint32_t *cr = v->cr;

	if (!(cr[ISA_CR_STATUS] & ISA_ST_KM) || m->v.gm)
		return false;
	switch (e->op) {
	case ISA_OP_mfcr:
		if (!(v->rd >> e->imm & 1))
			return false;
		m->r[e->rd] = cr[e->imm];
		v->mfcr++;
		return true;
	case ISA_OP_rdst:
		if (!(v->rd >> ISA_CR_STATUS & 1))
			return false;
		m->r[e->rd] = cr[ISA_CR_STATUS];
		v->rdst++;
		return true;
	case ISA_OP_mtcr: {
		uint32_t mask = isa_cr_wmask[e->imm], old = cr[e->imm];
		uint32_t val = (old & ~mask) | (m->r[e->rs1] & mask);

		if (!(v->wr >> e->imm & 1) || ((val ^ old) & v->own[e->imm]))
			return false;
		cr[e->imm] = val;
		v->mtcr++;
		return true;
	}
	default:
		return false;
	}
}

/* Nothing for run()'s boundary to do but what the loops do on entry:
 * where a handled trap may go on inside the loop. */
static bool quiet_boundary(const struct machine *m)
{
	return m->halt == HW_NEXIT && !m->watch_hit && m->ticks < m->budget_end
		&& !mach_debug(m) && !trap_pending_irq(m);
}

/* PG32-V: an exit from guest mode for the trap of s (ISA.md 16.5), the
 * record in *s->ex.  A C host (hw_vmrun) gets it as exit r with the
 * guest's pc; a PG32 host goes on after its vmrun (HW_NEXIT). */
static enum hw_exit_reason guest_exit(struct machine *m, const struct loop *s, uint32_t insn,
				      const struct pd *e, enum hw_exit_reason r)
{
	struct hw_exit *ex = s->ex;
	uint32_t gpc = m->pc;

	ex->u.trap.cause = s->cause;
	ex->u.trap.badva = s->badva;
	ex->u.trap.insn = insn;
	ex->u.trap.d = e ? decoding(e, insn) : isa_decode(insn);
	ex->u.trap.gpa = s->cause == ISA_CAUSE_NPF ? m->v.npf_gpa : 0;
	virt_exit(m, s->cause, s->badva, insn);
	if (!m->v.c_host)
		return HW_NEXIT;
	do_exit(m, ex, r);
	ex->pc = gpc;
	return r;
}

/* Trap entry for s->cause at m->pc, or the exit it is instead. */
static enum hw_exit_reason take_trap(struct machine *m, const struct loop *s, bool is_irq)
{
	uint32_t insn = is_irq ? 0 : cpu_word(m, s->pg, s->cur);
	struct hw_exit *ex = s->ex;

	if (unlikely(m->v.gm)) {
		if (virt_intercepted(m, s->cause))
			return guest_exit(m, s, insn, is_irq ? NULL : s->cur, HW_EXIT_TRAP);
	} else if (m->trap_to_host & (1u << s->cause)) {
		return host_trap(m, s, insn, is_irq ? NULL : s->cur);
	}
	if (!is_irq && m->ticks == m->entry_ticks && m->pc == m->cr[ISA_CR_TVEC]) {
		/* The handler's first instruction (or its fetch) trapped
		 * right after trap entry: it would trap forever.  A guest's
		 * double fault is its host's business. */
		if (unlikely(m->v.gm))
			return guest_exit(m, s, insn, NULL, HW_EXIT_DOUBLE_FAULT);
		ex->u.trap.cause = s->cause;
		ex->u.trap.badva = s->badva;
		ex->u.trap.insn = insn;
		ex->u.trap.d = isa_decode(insn);
		return halt(m, ex, HW_EXIT_DOUBLE_FAULT);
	}
	trap_enter(m, m->pc, s->cause, s->badva);
	if (unlikely(m->tr.fn))
		htrace_trap(m, is_irq);
	m->entry_ticks = m->ticks;
	return HW_NEXIT;
}

#define LOOP_BLOCK 1
#define LOOP_NAME loop_block
#include "cpu_loop.h"
#undef LOOP_BLOCK
#undef LOOP_NAME
#define LOOP_BLOCK 0
#define LOOP_NAME loop_check
#include "cpu_loop.h"
#undef LOOP_BLOCK
#undef LOOP_NAME

/* Run from the boundary at m->pc until the loops return something run()
 * must handle: never LOOP_FALLBACK. */
static int run_loops(struct machine *m, struct loop *s)
{
	int r = mach_debug(m) ? loop_check(m, s) : loop_block(m, s);

	while (r == LOOP_FALLBACK)
		r = loop_check(m, s);
	return r;
}

static enum hw_exit_reason run(struct machine *m, struct hw_exit *ex)
{
	struct loop s = { .cur = &m->jsent, .ex = ex };
	bool first = true;
	enum hw_exit_reason r;

	if (m->halt != HW_NEXIT) {
		*ex = m->halt_exit;
		return ex->reason;
	}
	mmu_fast_check(m);	/* PG32-V, tagged hosts: whose fast TLBs */
	if (unlikely(m->wfi_cut.on) && m->ticks < m->budget_end) {
		/* The last run ended inside a wfi: no boundary before it
		 * goes on (hw.h "a run cut inside wfi"). */
		switch (mach_wfi_resume(m)) {
		case WFI_BUDGET:
			return do_exit(m, ex, HW_EXIT_BUDGET);
		case WFI_DEADLOCK:
			return halt(m, ex, HW_EXIT_DEADLOCK);
		case WFI_WOKE:
			first = false;	/* it retired: a step is done */
			break;
		}
	}
	for (;;) {
		/* An instruction boundary: m->pc and m->ticks are current. */
		if (m->halt != HW_NEXIT) {	/* powered off just now */
			ex->u = m->halt_exit.u;
			return halt(m, ex, m->halt);
		}
		if (!first && m->step) {
			hw_break_pass(m);	/* a stop the user saw here */
			return do_exit(m, ex, HW_EXIT_STEP);
		}
		if (m->watch_hit) {
			m->watch_hit = false;
			ex->u.watch = m->watch_exit.u.watch;
			hw_break_pass(m);
			return do_exit(m, ex, HW_EXIT_WATCHPOINT);
		}
		if (m->ticks >= m->budget_end)
			return do_exit(m, ex, HW_EXIT_BUDGET);
		s.cause = trap_pending_irq(m);
		if (s.cause) {
			s.badva = 0;
			r = take_trap(m, &s, true);
			if (r != HW_NEXIT)
				return r;
			first = false;
			continue;
		}
		if (m->nbp && at_breakpoint(m) && !hw_bp_passes(&m->bp_pass, m->pc, m->ticks)) {
			hw_break_pass(m);
			return do_exit(m, ex, HW_EXIT_BREAKPOINT);
		}
		first = false;
		m->ev_at = mach_next_event(m);
		s.left = (int64_t)(m->ev_at - m->ticks);
		m->npc = m->pc;
		s.cur = &m->jsent;
		if (unlikely(m->tr_insn))	/* tr_insn keeps left == 1 */
			htrace_insn(m);
		switch (run_loops(m, &s)) {
		case LOOP_EVENT:
			mach_events(m);
			break;
		case LOOP_RESUMED:
			break;
		case LOOP_EXIT:
			return s.exit;
		case LOOP_WFI:
			if (s.exit == HW_EXIT_DEADLOCK)
				return halt(m, ex, s.exit);
			return do_exit(m, ex, s.exit);
		}
	}
}

void cpu_init_labels(struct machine *m)
{
	loop_block(m, NULL);
}

/* PG32-V: hw_run returns in host mode; a return from guest mode for any
 * other reason than an exit is a preempting exit (ISA.md 16.5). */
static enum hw_exit_reason preempt(struct machine *m, struct hw_exit *ex, enum hw_exit_reason r)
{
	if (unlikely(m->v.gm)) {
		uint32_t gpc = m->pc;

		virt_exit(m, 0, 0, 0);
		ex->pc = gpc;
	}
	return r;
}

enum hw_exit_reason hw_run(struct machine *m, struct hw_exit *ex)
{
	return preempt(m, ex, run(m, ex));
}

enum hw_exit_reason hw_step(struct machine *m, struct hw_exit *ex)
{
	enum hw_exit_reason r;

	m->step = true;
	hw_break_pass(m);	/* a step runs its instruction, breakpoint or not */
	r = run(m, ex);
	m->step = false;
	return preempt(m, ex, r);
}
