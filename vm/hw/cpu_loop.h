/*
 * cpu_loop.h - the dispatch loop over predecoded code, compiled twice by
 * cpu.c from this one text:
 *
 *   LOOP_BLOCK 1  loop_block: the fast loop.  It pays a block's ticks
 *                 when it enters the block (hw_priv.h "Blocks") and does
 *                 not count inside it; straight instructions are "do it,
 *                 next entry, jump".  A block that the next event falls
 *                 inside (left <= its run) goes to the checking loop.
 *   LOOP_BLOCK 0  loop_check: counts every tick, so that events land on
 *                 their exact tick; also the loop for single-stepping,
 *                 breakpoints, watchpoints and instruction tracing.
 *
 * Each handler does every check that can trap before any effect (precise
 * traps).  A loop returns to run() (cpu.c) with a LOOP_* reason and its
 * state in *s whenever the machine needs more than the next instruction.
 *
 * State kept in locals while running, written back at returns:
 *   cur      the predecoded entry of the next instruction (or a sentinel)
 *   pg       the predecoded page cur points into; page_va its virtual page
 *   left     ticks to the next event: the tick count is m->ev_at - left,
 *            minus cur->run inside a block of the block loop
 *   lt/st/it the fast TLBs of the current mode
 *   wL, wP   the block loop's forwarding window (hw_priv.h "Forwarding"):
 *            the values the last two straight entries wrote or stored
 * pc is not kept: it is page_va + 4 * (cur - pg->e), or m->npc when cur is
 * the "refetch" sentinel m->jsent.
 */

#ifndef CPU_LOOP_LISTS
#define CPU_LOOP_LISTS
/* The straight instructions with forwarding variants (hw_priv.h
 * "Forwarding"), each with its semantics in a (rs1) and b (rs2, or the
 * immediate as the decoder gives it); loads and stores with their access. */
#define ALU_RR(X)								\
	X(add, a + b) X(sub, a - b) X(and, a & b) X(or, a | b) X(xor, a ^ b)		\
	X(sll, a << (b & 31)) X(srl, a >> (b & 31))					\
	X(sra, (uint32_t)((int32_t)a >> (b & 31)))					\
	X(slt, (uint32_t)((int32_t)a < (int32_t)b)) X(sltu, (uint32_t)(a < b))		\
	X(mul, a * b)
#define ALU_RI(X)								\
	X(addi, a + b) X(andi, a & b) X(ori, a | b) X(xori, a ^ b) X(slli, a << b)	\
	X(srli, a >> b) X(srai, (uint32_t)((int32_t)a >> b))				\
	X(slti, (uint32_t)((int32_t)a < (int32_t)b)) X(sltiu, (uint32_t)(a < b))
#define LOADS(X)								\
	X(lb, int8_t, 1, (uint32_t)(int32_t)) X(lh, int16_t, 2, (uint32_t)(int32_t))	\
	X(lw, uint32_t, 4, (uint32_t)) X(lbu, uint8_t, 1, (uint32_t))			\
	X(lhu, uint16_t, 2, (uint32_t))
#define STORES(X)	X(sb, uint8_t, 1) X(sh, uint16_t, 2) X(sw, uint32_t, 4)
/* &table[TLB_IDX(va)] for a fast data TLB, computed as the byte offset
 * TLB_IDX(va) * 16 directly: the same fold with shifts 4 smaller. */
_Static_assert(sizeof(struct ftlb) == 16 && TLB_BITS == 9 && ISA_PAGE_SHIFT == 12,
	       "FTLB_AT's shifts");
#define FTLB_AT(table, va)						\
	((const struct ftlb *)((const char *)(table)			\
			       + ((((va) >> 8) ^ ((va) >> 17)) & ((TLB_N - 1) << 4))))

/* The passes after the first of a store loop (cpu.c store_loop: store
 * entry s, the addi or add at s + 1 counting the store's address a by
 * step, the branch at s + 2 comparing it with rhs and going back to s),
 * each paid as the block loop's BEGIN would, until the branch falls
 * through (ST_LOOP_DONE), the store misses the fast TLB (ST_LOOP_MISS: s
 * is paid for and has not run) or the next event falls inside the block
 * (ST_LOOP_EVENT: s has not been paid for), with the counted register's
 * value (not yet written back) and left as they are then.  (Returned, not
 * written through pointers: the dispatch loop keeps left in a host
 * register only while nothing takes its address.)  Nothing in a pass but
 * the store touches memory: the data, the step and the bound are not the
 * counted register and stay put, and the page the last store hit stays
 * mapped (a store cannot change the fast TLBs).  Out of line, one
 * function per store size and branch: a loop of the size of a pass keeps
 * its values in host registers, and the dispatch loop's label alignment
 * pads no pass. */
enum { ST_LOOP_DONE, ST_LOOP_MISS, ST_LOOP_EVENT };
struct st_loop {
	int64_t left;
	uint32_t a;
	int r;
};
#define ST_LOOP_FN(sn, type, size, n, cond)				\
static struct st_loop st_loop_##sn##_##n(const struct ftlb *st, const struct pd *s, \
					 uint32_t a, int64_t left, uint32_t data,	\
					 uint32_t step, uint32_t rhs)		\
{									\
	const int64_t run = s->run;					\
	const uint32_t off = (uint32_t)s->imm, mask = PAGE_MASK | ((size) - 1); \
	const type x = (type)data;					\
	uint32_t v = a, tag = TAG_NONE;					\
	int64_t l = left;						\
	uintptr_t add = 0;						\
	int r = ST_LOOP_EVENT;						\
									\
	while (likely(l > run)) {					\
		uint32_t va = v + off;					\
		l -= run;						\
		if (unlikely((va & mask) != tag)) {			\
			const struct ftlb *e = FTLB_AT(st, va);		\
			if (unlikely(e->tag != (va & mask))) {		\
				r = ST_LOOP_MISS;			\
				break;					\
			}						\
			tag = e->tag;					\
			add = e->add;					\
		}							\
		memcpy((void *)(add + va), &x, size);			\
		v += step;						\
		if (!(cond)) {						\
			r = ST_LOOP_DONE;				\
			break;						\
		}							\
	}								\
	return (struct st_loop){ .left = l, .a = v, .r = r };		\
}
#define ST_LOOP_FNS(sn, type, size)					\
	ST_LOOP_FN(sn, type, size, beq, v == rhs)			\
	ST_LOOP_FN(sn, type, size, bne, v != rhs)			\
	ST_LOOP_FN(sn, type, size, blt, (int32_t)v < (int32_t)rhs)	\
	ST_LOOP_FN(sn, type, size, bge, (int32_t)v >= (int32_t)rhs)	\
	ST_LOOP_FN(sn, type, size, bltu, v < rhs)			\
	ST_LOOP_FN(sn, type, size, bgeu, v >= rhs)
ST_LOOP_FNS(sb, uint8_t, 1)
ST_LOOP_FNS(sh, uint16_t, 2)
ST_LOOP_FNS(sw, uint32_t, 4)
#undef ST_LOOP_FNS
#undef ST_LOOP_FN

/* An entry's rd, rs1 and rs2 in one host load (K_RD(k), K_RS1(k),
 * K_RS2(k)), for the ALU handlers, their forwarding variants, the mv
 * pairs and the addi/add pairs: straight code is bound by the host's
 * loads more than by its instructions (vm/hw/README.md "Speed"). */
_Static_assert(offsetof(struct pd, rs1) == offsetof(struct pd, rd) + 1
	       && offsetof(struct pd, rs2) == offsetof(struct pd, rd) + 2
	       && offsetof(struct pd, rd) + 4 <= sizeof(struct pd), "REGS");
#define REGS(e)		pd_regs(e)
#define K_RD(k)		((k) & 0xff)
#define K_RS1(k)	((k) >> 8 & 0xff)
#define K_RS2(k)	((k) >> 16 & 0xff)
static inline uint32_t pd_regs(const struct pd *e)
{
	uint32_t k;
	memcpy(&k, &e->rd, 4);
	return k;
}
#endif

/* One indirect jump per handler (no tail merging) lets the host's branch
 * predictor learn each instruction's successor.  Handlers start on 64-byte
 * boundaries (a cache line each): where they fell otherwise moved with
 * every change elsewhere in the loop, and with it the fib loop's speed by
 * up to 30 % at the same host instruction count; 32-byte boundaries still
 * left it 25 % slower in some builds (vm/hw/README.md "Speed").  The
 * padding sits after indirect jumps and is not executed.  (GCC's
 * attributes; clang has none such.) */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-crossjumping", "no-gcse", "align-labels=64")))
#endif
static int LOOP_NAME(struct machine *m, struct loop *s)
{
#if LOOP_BLOCK
	static const void *const labels[OP_NBLOCK] = {
#else
	static const void *const labels[OP_NLABELS] = {
#endif
#define INSN(n, opc, fmt, ops, cls, sem) [ISA_OP_##n] = &&op_##n,
#include "pg32.def"
#undef INSN
		[ISA_OP_ILLEGAL] = &&op_illegal,
		[OP_DECODE] = &&op_decode,
		[OP_PAGEEND] = &&op_pageend,
		[OP_REFETCH] = &&op_refetch,
#if LOOP_BLOCK
#define BRANCHES(X) X(beq, 0) X(bne, 1) X(blt, 2) X(bge, 3) X(bltu, 4) X(bgeu, 5)
#define LABELS(n, k) [OP_NEAR + k] = &&near_##n, [OP_ADDI_BR + k] = &&addi_##n, \
		[OP_ADD_BR + k] = &&add_##n, [OP_LUI_BR + k] = &&lui_##n,	\
		[OP_LBU_BR + k] = &&lbu_##n, [OP_LW_BR + k] = &&lw_##n,		\
		[OP_ZERO + OP_NEAR + k] = &&nearz_##n, [OP_ZERO + OP_ADDI_BR + k] = &&addiz_##n, \
		[OP_ZERO + OP_ADD_BR + k] = &&addz_##n, [OP_ZERO + OP_LBU_BR + k] = &&lbuz_##n, \
		[OP_ZERO + OP_LW_BR + k] = &&lwz_##n,				\
		[OP_LOAD_BR_L + k] = &&lbuL_##n, [OP_LOAD_BR_L + 6 + k] = &&lwL_##n,	\
		[OP_LOAD_BR_L + 12 + k] = &&lbuLz_##n, [OP_LOAD_BR_L + 18 + k] = &&lwLz_##n, \
		STLABELS(sb, 0, n, k) STLABELS(sh, 1, n, k) STLABELS(sw, 2, n, k)
#define STLABELS(sn, s, n, k)						\
		[OP_ST_BR + 24 * s + k] = &&sn##_addi_##n,			\
		[OP_ST_BR + 24 * s + 6 + k] = &&sn##_addiz_##n,		\
		[OP_ST_BR + 24 * s + 12 + k] = &&sn##_add_##n,		\
		[OP_ST_BR + 24 * s + 18 + k] = &&sn##_addz_##n,
		BRANCHES(LABELS)
#undef LABELS
#undef STLABELS
		[OP_JAL_NEAR] = &&near_jal,
		[OP_PRELOAD] = &&op_preload,
		[OP_MV] = &&op_mv, [OP_MV_L] = &&w_mv_L, [OP_MV_P] = &&w_mv_P,
#define WIX_M	WIN_MEM
#define WIX_L	WIN_L
#define WIX_P	WIN_P
#define WLABEL(n, s1, s2) [OP_WIN + 9 * ISA_OP_##n + 3 * WIX_##s1 + WIX_##s2] = &&w_##n##_##s1##s2,
#define WLABELS_RS1(n, ...) WLABEL(n, L, M) WLABEL(n, P, M)
#define WLABELS_BOTH(n, ...) WLABEL(n, M, L) WLABEL(n, M, P) WLABEL(n, L, M) WLABEL(n, L, L) \
		WLABEL(n, L, P) WLABEL(n, P, M) WLABEL(n, P, L) WLABEL(n, P, P)
#define MV2LABEL(s1, s2) [OP_MV2 + 3 * WIX_##s1 + WIX_##s2] = &&mv2_##s1##s2,
		MV2LABEL(M, M) MV2LABEL(M, L) MV2LABEL(M, P) MV2LABEL(L, M) MV2LABEL(L, L)
		MV2LABEL(L, P) MV2LABEL(P, M) MV2LABEL(P, L) MV2LABEL(P, P)
#undef MV2LABEL
		ALU_RR(WLABELS_BOTH)
		ALU_RI(WLABELS_RS1)
		LOADS(WLABELS_RS1)
		STORES(WLABELS_BOTH)
#undef WLABELS_RS1
#undef WLABELS_BOTH
#undef WLABEL
#endif
	};
	uint32_t *const R = m->r;
	const struct pd *cur;
	struct pdpage *pg;
	uint32_t page_va;
	int64_t left;
	struct ftlb *lt, *st;
	struct itlb *it;
#if LOOP_BLOCK
	uint32_t wL = 0, wP = 0;
	const uint32_t zero = 0;	/* r0, for the branches comparing with it */
#endif

	if (!s) {		/* cpu_init_labels: the entries' handlers */
		m->lbl = labels;
		return LOOP_EVENT;
	}
	cur = s->cur;
	pg = s->pg;
	page_va = s->page_va;
	left = s->left;

#define PC_OF(c)	((c) == &m->jsent ? m->npc : PC_IN(c))
#define PC_IN(c)	(page_va + 4 * (uint32_t)((c) - pg->e))	/* c in pg */
#define MODE_RELOAD()	do { struct fastmode *f_ = &m->fast[m->cr[ISA_CR_STATUS] & ISA_ST_KM]; \
			     lt = f_->ld; st = f_->st; it = f_->it; } while (0)
#define LEAVE(r)	do { s->cur = cur; s->pg = pg; s->page_va = page_va; \
			     s->left = left; return (r); } while (0)
#if LOOP_BLOCK
#define DISPATCH()	goto *cur->hb
	/* Ticks paid for but not yet retired, from cur to its block's end. */
#define UNPAID()	((int64_t)cur->run)
	/* cur starts a block: pay for it, unless the next event is inside. */
#define BEGIN() do {							\
		int64_t n_ = cur->run;					\
		if (likely(left > n_)) {				\
			left -= n_;					\
			DISPATCH();					\
		}							\
		LEAVE(LOOP_FALLBACK);					\
	} while (0)
#define NEXT()		do { cur++; goto *cur->h; } while (0)
#define RETIRED()	BEGIN()
	/* A straight entry falls through: the window moves on by v. */
#define SHIFT(v)	(wP = wL, wL = (v))
	/* A slow path may rewrite code (a store, an A bit set in a page
	 * table next to code): take back what the block paid for from cur
	 * on, count cur alone, and pay for the rest afresh. */
#define SLOW_BEGIN()	(left += cur->run)
#define SLOW_RETIRE()	do { cur++; if (unlikely(--left == 0)) goto event; BEGIN(); } while (0)
#else
#define DISPATCH()	goto *labels[cur->op]
#define UNPAID()	((int64_t)0)
#define TICK()		do { if (unlikely(--left == 0)) goto event; DISPATCH(); } while (0)
#define BEGIN()		DISPATCH()
#define NEXT()		do { cur++; TICK(); } while (0)
#define RETIRED()	TICK()
#define SLOW_BEGIN()	((void)0)
#define SLOW_RETIRE()	NEXT()
#define SHIFT(v)	((void)0)
#endif
	/* A straight instruction's result v: write rd, go on to the next. */
#define PRODUCE(v)	PRODUCE_TO(cur->rd, v)
#define PRODUCE_TO(rd, v) do { uint32_t p_ = (v); R[rd] = p_; SHIFT(p_); NEXT(); } while (0)
	/* The tick count before cur retires. */
#define SYNC()		(m->ticks = m->ev_at - (uint64_t)(left + UNPAID()))
#define TRAP(c, v)	do { s->cause = (c); s->badva = (v); goto trap; } while (0)
#define TRAP_SLOW(c, v)	do { s->cause = (c); s->badva = (v); goto trap_slow; } while (0)
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
		RETIRED();						\
	} while (0)
	/* A near target was turned into an entry distance at predecode. */
#define NEAR_JUMP()	do { cur = (const struct pd *)((const char *)cur + IMM); RETIRED(); } while (0)
#define BRANCH(cond) do {						\
		if (cond) {						\
			if (likely(cur->near))				\
				NEAR_JUMP();				\
			JUMP(PC_IN(cur) + (uint32_t)IMM);		\
		}							\
		cur++;							\
		RETIRED();						\
	} while (0)
	/* A load from base + imm, a store of data to base + imm. */
#define LOAD(base, type, size, conv) do {				\
		uint32_t va_ = (base) + (uint32_t)IMM, v_;		\
		const struct ftlb *e_ = FTLB_AT(lt, va_);		\
		if (likely(e_->tag == (va_ & (PAGE_MASK | ((size) - 1))))) { \
			type x_;					\
			memcpy(&x_, (const void *)(e_->add + va_), size); \
			PRODUCE(conv x_);				\
		}							\
		SLOW_BEGIN();						\
		unsigned c_ = mmu_load(m, va_, size, &v_);		\
		if (c_)							\
			TRAP_SLOW(c_, m->fault_va);			\
		RD = conv (type)v_;					\
		SLOW_RETIRE();						\
	} while (0)
#define STORE(base, data, type, size) do {				\
		uint32_t va_ = (base) + (uint32_t)IMM, d_ = (data);	\
		const struct ftlb *e_ = FTLB_AT(st, va_);		\
		type x_ = (type)d_;					\
		if (likely(e_->tag == (va_ & (PAGE_MASK | ((size) - 1))))) { \
			memcpy((void *)(e_->add + va_), &x_, size);	\
			SHIFT(d_);					\
			NEXT();						\
		}							\
		SLOW_BEGIN();						\
		unsigned c_ = mmu_store(m, va_, size, x_);		\
		if (c_)							\
			TRAP_SLOW(c_, m->fault_va);			\
		SLOW_RETIRE();						\
	} while (0)
	/* PG32-V guest mode: an intercepted instruction (m->icpt, 0 in
	 * host mode) leaves as PRIVILEGED from kernel mode: an exit. */
#define PRIV() do {							\
		if (unlikely(!(m->cr[ISA_CR_STATUS] & ISA_ST_KM)		\
			     || (m->icpt >> (cur->op - ISA_OP_mfcr) & 1)))	\
			goto privileged;				\
	} while (0)
	/* A LEAK row: PRIVILEGED in user mode on PG32; on PG32-L no trap, and
	 * the handler runs its user-mode behaviour (ISA.md 15). */
#define USER()		(!(m->cr[ISA_CR_STATUS] & ISA_ST_KM))
#define PRIV_UNLESS_LEAKY() do { if (m->isa != ISA_PG32L) PRIV(); } while (0)

	MODE_RELOAD();
	DISPATCH();

event:
	/* The countdown ran out: this tick is an event (or the end of the
	 * budget, or a debug check); cur has not run. */
	m->pc = PC_OF(cur);
	m->ticks = m->ev_at;
	LEAVE(LOOP_EVENT);
trap:
	/* cur is the faulting instruction (or, for a fetch fault, the
	 * sentinel with m->npc); nothing has been changed. */
	m->pc = PC_OF(cur);
	SYNC();
	goto trapped;
trap_slow:
	/* The same, after SLOW_BEGIN took back cur's tick. */
	m->pc = PC_OF(cur);
	m->ticks = m->ev_at - (uint64_t)left;
trapped:
	s->cur = cur;
	s->pg = pg;
	s->exit = take_trap(m, s, false);
	if (s->exit != HW_NEXIT)
		LEAVE(LOOP_EXIT);
	goto boundary;

privileged:
	/* cur is a privileged instruction in user mode.  A host that handles
	 * such traps in the machine (a VMM's emulation) is called from here,
	 * and the guest goes on without leaving the loop when nothing else
	 * needs the boundary. */
	/* The host's registers serve it (hw_set_vcr), but not on an event
	 * tick of the checking loop: the host handles that tick's events
	 * after the instruction, as it would have emulated it. */
	if (m->vcr && (LOOP_BLOCK || left > 1) && vcr_serve(m, cur)) {
		cur++;
		RETIRED();
	}
	s->cause = ISA_CAUSE_PRIVILEGED;
	s->badva = cpu_word(m, pg, cur);
	if (!(m->trap_fn_causes & m->trap_to_host & (1u << ISA_CAUSE_PRIVILEGED)) || m->step)
		goto trap;
	m->pc = PC_IN(cur);
	SYNC();
	s->exit = host_trap(m, s, s->badva, cur);
	if (s->exit != HW_NEXIT)
		LEAVE(LOOP_EXIT);
	goto boundary;
retired:
	/* An instruction with effects beyond the registers retired (its
	 * handler set m->pc and synced the ticks before it). */
	m->ticks++;
	mach_events(m);
boundary:
	/* m->pc and m->ticks are current.  The block loop goes on by itself
	 * when run()'s boundary would have nothing to do but what it does
	 * here; the checking loop always lets run() choose the next loop. */
	if (!LOOP_BLOCK || !quiet_boundary(m))
		LEAVE(LOOP_RESUMED);
	MODE_RELOAD();
	m->ev_at = mach_next_event(m);
	left = (int64_t)(m->ev_at - m->ticks);
	m->npc = m->pc;
	cur = &m->jsent;
	BEGIN();

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
	BEGIN();
}
op_decode:
	cpu_decode(m, pg, (unsigned)(cur - pg->e));
	BEGIN();
#if LOOP_BLOCK
op_preload:	/* cur starts a block and the entry after it reads P */
	wL = R[cur->wl];
	wP = R[cur->wp];
	goto *cur->h;
#endif
op_illegal:
	TRAP(ISA_CAUSE_ILLEGAL, (uint32_t)IMM);

	/* ---- ALU and memory ------------------------------------------------ */
	/* The semantics of the straight instructions, in terms of a (rs1) and
	 * b (rs2 or the immediate), for the plain handlers and the forwarding
	 * variants alike. */
#define PLAIN_RR(n, f)	op_##n: { uint32_t k = REGS(cur), a = R[K_RS1(k)], b = R[K_RS2(k)]; \
		PRODUCE_TO(K_RD(k), f); }
#define PLAIN_RI(n, f)	op_##n: { uint32_t k = REGS(cur), a = R[K_RS1(k)], b = (uint32_t)IMM; \
		PRODUCE_TO(K_RD(k), f); }
	ALU_RR(PLAIN_RR)
	ALU_RI(PLAIN_RI)
#undef PLAIN_RR
#undef PLAIN_RI
op_mulh:
	PRODUCE((uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32));
op_mulhu: PRODUCE((uint32_t)(((uint64_t)RS1 * RS2) >> 32));
op_div: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	PRODUCE(b == 0 ? 0xffffffffu : (a == INT32_MIN && b == -1) ? (uint32_t)a
		: (uint32_t)(a / b));
}
op_divu: PRODUCE(RS2 == 0 ? 0xffffffffu : RS1 / RS2);
op_rem: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	PRODUCE(b == 0 ? (uint32_t)a : (a == INT32_MIN && b == -1) ? 0 : (uint32_t)(a % b));
}
op_remu: PRODUCE(RS2 == 0 ? RS1 : RS1 % RS2);
op_lui:	PRODUCE((uint32_t)IMM);
#if LOOP_BLOCK
op_mv:	PRODUCE(RS1);		/* addi rd, rs1, 0 */
w_mv_L:	PRODUCE(wL);
w_mv_P:	PRODUCE(wP);
#endif
#define PLAIN_LOAD(n, type, size, conv)	op_##n: LOAD(RS1, type, size, conv);
#define PLAIN_STORE(n, type, size)	op_##n: STORE(RS1, RS2, type, size);
	LOADS(PLAIN_LOAD)
	STORES(PLAIN_STORE)
#undef PLAIN_LOAD
#undef PLAIN_STORE
#if LOOP_BLOCK
	/* Forwarding variants (hw_priv.h "Forwarding"): the same semantics
	 * with an operand from the window, w_<insn>_<rs1 from><rs2 from>. */
#define SRC_M(r)	R[r]
#define SRC_L(r)	wL
#define SRC_P(r)	wP
#define WV_RR(n, f, s1, s2) w_##n##_##s1##s2: {				\
		uint32_t k = REGS(cur), a = SRC_##s1(K_RS1(k)), b = SRC_##s2(K_RS2(k)); \
		PRODUCE_TO(K_RD(k), f);					\
	}
#define WV_RI(n, f, s1) w_##n##_##s1##M: {				\
		uint32_t k = REGS(cur), a = SRC_##s1(K_RS1(k)), b = (uint32_t)IMM; \
		PRODUCE_TO(K_RD(k), f);					\
	}
#define WV_LOAD(n, s1, type, size, conv) \
	w_##n##_##s1##M: LOAD(SRC_##s1(cur->rs1), type, size, conv);
#define WV_STORE(n, s1, s2, type, size) \
	w_##n##_##s1##s2: STORE(SRC_##s1(cur->rs1), SRC_##s2(cur->rs2), type, size);
#define ALL8(V, n, ...) V(n, __VA_ARGS__, M, L) V(n, __VA_ARGS__, M, P) V(n, __VA_ARGS__, L, M) \
	V(n, __VA_ARGS__, L, L) V(n, __VA_ARGS__, L, P) V(n, __VA_ARGS__, P, M)	\
	V(n, __VA_ARGS__, P, L) V(n, __VA_ARGS__, P, P)
#define WIN_RR(n, f)	ALL8(WV_RR, n, f)
#define WIN_RI(n, f)	WV_RI(n, f, L) WV_RI(n, f, P)
#define WIN_LOAD(n, type, size, conv) \
	WV_LOAD(n, L, type, size, conv) WV_LOAD(n, P, type, size, conv)
#define WV_STORE_(n, type, size, s1, s2) WV_STORE(n, s1, s2, type, size)
#define WIN_STORE(n, type, size) ALL8(WV_STORE_, n, type, size)
	ALU_RR(WIN_RR)
	ALU_RI(WIN_RI)
	LOADS(WIN_LOAD)
	STORES(WIN_STORE)
	/* mv; mv (cpu.c mv_pair): the first's source a as a variant reads it,
	 * the second's as the second's own variant would: L is a, P the L
	 * before the first.  Both results enter the window, as two entries'
	 * would; no dispatch between them. */
#define SRC2_M(r)	R[r]
#define SRC2_L(r)	a
#define SRC2_P(r)	wL
#define MV2(s1, s2) mv2_##s1##s2: {					\
		uint32_t k = REGS(cur);					\
		uint32_t a = SRC_##s1(K_RS1(k)), b = SRC2_##s2(cur[1].rs1); \
		R[K_RD(k)] = a;						\
		R[cur[1].rd] = b;					\
		wP = a;							\
		wL = b;							\
		cur += 2;						\
		goto *cur->h;						\
	}
	MV2(M, M) MV2(M, L) MV2(M, P) MV2(L, M) MV2(L, L) MV2(L, P) MV2(P, M) MV2(P, L) MV2(P, P)
#undef MV2
#undef SRC2_M
#undef SRC2_L
#undef SRC2_P
#undef SRC_M
#undef SRC_L
#undef SRC_P
#undef WV_RR
#undef WV_RI
#undef WV_LOAD
#undef WV_STORE
#undef WV_STORE_
#undef ALL8
#undef WIN_RR
#undef WIN_RI
#undef WIN_LOAD
#undef WIN_STORE
#endif

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
	if (likely(cur->near))
		NEAR_JUMP();
	JUMP(pc + (uint32_t)IMM);
}
op_jalr: {
	uint32_t t = RS1 + (uint32_t)IMM, pc = PC_IN(cur);
	if (unlikely(t & 3))
		TRAP(ISA_CAUSE_MISALIGNED, t);
	RD = pc + 4;		/* after t: jalr ra, 0(ra) works */
	JUMP(t);
}
#if LOOP_BLOCK
	/* Specialised handlers (cpu.c specialise): the same semantics as the
	 * instructions they stand for, with the near target precomputed and,
	 * for a pair, the branch testing the value just computed. */
#define COND_beq(a, b)	((a) == (b))
#define COND_bne(a, b)	((a) != (b))
#define COND_blt(a, b)	((int32_t)(a) < (int32_t)(b))
#define COND_bge(a, b)	((int32_t)(a) >= (int32_t)(b))
#define COND_bltu(a, b)	((a) < (b))
#define COND_bgeu(a, b)	((a) >= (b))
	/* cur computes value (a_) into its rd; the branch at cur + 1
	 * compares lhs with rhs, which read its registers after rd is
	 * written (either may be rd). */
#define PAIR_CMP(value, n, lhs, rhs) do {				\
		uint32_t k = REGS(cur), a_ = (value);			\
		R[K_RD(k)] = a_;					\
		cur++;							\
		if (COND_##n(lhs, rhs))					\
			NEAR_JUMP();					\
		cur++;							\
		RETIRED();						\
	} while (0)
	/* The branch's rs1 is cur's rd. */
#define PAIR(value, n, rhs)	PAIR_CMP(value, n, a_, rhs)
	/* A load whose fast path misses runs as the plain load, and the
	 * branch after it on its own. */
#define LOAD_PAIR(base, type, size, n, rhs, plain) do {		\
		uint32_t va_ = (base) + (uint32_t)IMM;			\
		const struct ftlb *e_ = FTLB_AT(lt, va_);		\
		type x_;						\
		if (unlikely(e_->tag != (va_ & (PAGE_MASK | ((size) - 1))))) \
			goto plain;					\
		memcpy(&x_, (const void *)(e_->add + va_), size);	\
		PAIR(x_, n, rhs);					\
	} while (0)
	/* The branch's rs2 is read after cur moved to it; z: it is r0. */
#define PAIRS(n, z, rhs)						\
near##z##_##n:								\
	if (COND_##n(RS1, rhs))						\
		NEAR_JUMP();						\
	cur++;								\
	RETIRED();							\
addi##z##_##n:								\
	PAIR(R[K_RS1(k)] + (uint32_t)IMM, n, rhs);			\
add##z##_##n:								\
	PAIR(R[K_RS1(k)] + R[K_RS2(k)], n, rhs);			\
lbu##z##_##n:								\
	LOAD_PAIR(RS1, uint8_t, 1, n, rhs, op_lbu);			\
lw##z##_##n:								\
	LOAD_PAIR(RS1, uint32_t, 4, n, rhs, op_lw);			\
lbuL##z##_##n:								\
	LOAD_PAIR(wL, uint8_t, 1, n, rhs, op_lbu);			\
lwL##z##_##n:								\
	LOAD_PAIR(wL, uint32_t, 4, n, rhs, op_lw);
	/* A store whose fast path misses runs as the plain store (which
	 * takes the slow path), and the pair after it on its own.  When the
	 * branch goes back to the store and the pair counts the store's
	 * address (the store entry's near, cpu.c store_loop), the passes
	 * after the first run in st_loop_<store>_<branch> (above), with the
	 * address in a host register, paying each pass as BEGIN would and
	 * leaving for an event, a miss or the branch falling through. */
#define ST_FAST(type, size, base, miss) do {				\
		uint32_t va_ = (base) + (uint32_t)s_->imm;		\
		const struct ftlb *e_ = FTLB_AT(st, va_);		\
		type x_ = (type)R[s_->rs2];				\
		if (unlikely(e_->tag != (va_ & (PAGE_MASK | ((size) - 1))))) { \
			cur = s_;					\
			goto miss;					\
		}							\
		memcpy((void *)(e_->add + va_), &x_, size);		\
	} while (0)
#define ST_PAIR(sn, type, size, op, z, n, value, step, rhs)		\
sn##_##op##z##_##n: {							\
		const struct pd *s_ = cur;				\
		uint32_t a_;						\
		ST_FAST(type, size, RS1, op_##sn);			\
		cur++;							\
		a_ = (value);						\
		RD = a_;						\
		cur++;							\
		if (!COND_##n(a_, rhs)) {				\
			cur++;						\
			RETIRED();					\
		}							\
		if (s_->near) {						\
			struct st_loop o_ = st_loop_##sn##_##n(st, s_, a_, left, \
					R[s_->rs2], (step), (rhs));	\
			R[s_[1].rd] = o_.a;				\
			left = o_.left;					\
			if (o_.r == ST_LOOP_DONE) {			\
				cur++;					\
				RETIRED();				\
			}						\
			cur = s_;					\
			if (o_.r == ST_LOOP_MISS)			\
				goto op_##sn;				\
			RETIRED();	/* the event is inside: falls back */ \
		}							\
		NEAR_JUMP();						\
	}
#define ST_PAIRS(sn, type, size, n, z, rhs)				\
	ST_PAIR(sn, type, size, addi, z, n, RS1 + (uint32_t)IMM, (uint32_t)s_[1].imm, rhs) \
	ST_PAIR(sn, type, size, add, z, n, RS1 + RS2, R[s_[1].rs2], rhs)
#define HANDLERS(n, k)							\
	ST_PAIRS(sb, uint8_t, 1, n, , RS2) ST_PAIRS(sb, uint8_t, 1, n, z, zero)	\
	ST_PAIRS(sh, uint16_t, 2, n, , RS2) ST_PAIRS(sh, uint16_t, 2, n, z, zero) \
	ST_PAIRS(sw, uint32_t, 4, n, , RS2) ST_PAIRS(sw, uint32_t, 4, n, z, zero) \
	PAIRS(n, , RS2)							\
	PAIRS(n, z, zero)						\
lui_##n:	/* the branch compares with the constant as its rs2 */	\
	PAIR_CMP((uint32_t)IMM, n, RS1, a_);
	BRANCHES(HANDLERS)
#undef HANDLERS
#undef ST_PAIRS
#undef ST_PAIR
#undef ST_FAST
#undef PAIRS
#undef LOAD_PAIR
#undef PAIR
#undef PAIR_CMP
#undef BRANCHES
#undef COND_beq
#undef COND_bne
#undef COND_blt
#undef COND_bge
#undef COND_bltu
#undef COND_bgeu
near_jal:
	RD = PC_IN(cur) + 4;
	NEAR_JUMP();
#endif
op_syscall: TRAP(ISA_CAUSE_SYSCALL, 0);
op_break: TRAP(ISA_CAUSE_BREAK, 0);
op_hcall: TRAP(ISA_CAUSE_HCALL, 0);

	/* ---- privileged: all leave the fast path but mfcr --------------------- */
	/* Those that may change what happens next (mode, translation, the
	 * interrupt state, time) set m->pc to the next instruction and sync
	 * the ticks before their effects; run() retires them. */
op_mfcr:
	PRIV();
	SYNC();
	RD = trap_read_cr(m, (unsigned)IMM);
	cur++;
	RETIRED();
op_mtcr:
	PRIV();
	if (unlikely(m->icrw >> IMM & 1))	/* PG32-V: an intercepted register */
		goto privileged;
	m->pc = PC_IN(cur) + 4;
	SYNC();
	trap_write_cr(m, (unsigned)IMM, RS1);
	goto retired;
op_rfe:
	PRIV();
	SYNC();
	trap_rfe(m);
	if (unlikely(m->tr.fn))
		htrace_rfe(m, PC_IN(cur));
	goto retired;
op_wfi:
	PRIV();
	m->pc = PC_IN(cur);
	SYNC();
	switch (mach_wfi(m)) {
	case WFI_BUDGET:
		s->exit = HW_EXIT_BUDGET;
		LEAVE(LOOP_WFI);
	case WFI_DEADLOCK:
		s->exit = HW_EXIT_DEADLOCK;
		LEAVE(LOOP_WFI);
	}
	m->pc += 4;
	goto retired;
op_tlbflush:
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	mmu_flush(m);
	m->st.tlb_flushes++;
	goto retired;
op_tlbinv:
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	mmu_inv(m, RS1);
	goto retired;
op_rdst:	/* PG32-L user mode: the real status, as x86 PUSHF and SMSW */
	PRIV_UNLESS_LEAKY();
	SYNC();
	RD = trap_read_cr(m, ISA_CR_STATUS);
	cur++;
	RETIRED();
op_setie:	/* PG32-L user mode: silently no effect, as x86 POPF on IF */
	PRIV_UNLESS_LEAKY();
	if (USER()) {
		cur++;
		RETIRED();
	}
	m->pc = PC_IN(cur) + 4;
	SYNC();
	trap_write_cr(m, ISA_CR_STATUS, (m->cr[ISA_CR_STATUS] & ~ISA_ST_IE) |
		      ((RS1 & 1u) ? ISA_ST_IE : 0));
	goto retired;
op_in: {
	uint32_t port = RS1 + (uint32_t)IMM, v;
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	if (mach_port_in(m, port, &v))
		TRAP(ISA_CAUSE_BUS, port);
	RD = v;
	goto retired;
}
op_out: {
	uint32_t port = RS1 + (uint32_t)IMM;
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	if (mach_port_out(m, port, RS2))
		TRAP(ISA_CAUSE_BUS, port);
	goto retired;
}
op_vmrun:	/* PG32-V only, and not in guest mode (ISA.md 16.2) */
	if (m->isa != ISA_PG32V || m->v.gm)
		TRAP(ISA_CAUSE_ILLEGAL, cpu_word(m, pg, cur));
	PRIV();
	m->pc = PC_IN(cur) + 4;
	SYNC();
	if (virt_enter(m, RS1, true))
		TRAP(ISA_CAUSE_BUS, RS1);
	goto retired;
#undef PC_OF
#undef PC_IN
#undef MODE_RELOAD
#undef LEAVE
#undef DISPATCH
#undef UNPAID
#undef BEGIN
#undef NEXT
#undef RETIRED
#undef SLOW_BEGIN
#undef SLOW_RETIRE
#undef SHIFT
#undef PRODUCE
#undef TICK
#undef SYNC
#undef TRAP
#undef TRAP_SLOW
#undef RD
#undef RS1
#undef RS2
#undef IMM
#undef JUMP
#undef NEAR_JUMP
#undef BRANCH
#undef LOAD
#undef STORE
#undef PRIV
#undef USER
#undef PRIV_UNLESS_LEAKY
}
