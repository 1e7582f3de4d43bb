/*
 * jit_spike.c - a measured spike of the translation engine sketched in
 * vm/hw/README.md ("A portable translation engine"): not the engine, a
 * benchmark.  It translates the PG32 subset the benchmark loops use into
 * x86-64 code and runs the rest in the interpreter (hw_run), so that the
 * figures the sketch predicts can be measured instead.
 *
 *	jit_spike [--sync-blocks] image.elf
 *		run to power-off; print <ticks> <seconds> <MIPS> <interpreted ticks>
 *	jit_spike [--sync-blocks] --check image.elf N|all...
 *		for each budget run the image with the spike and with the
 *		interpreter alone, compare registers, pc, control registers,
 *		ticks, the exit and all of RAM; exit 1 on a mismatch
 * --sync-blocks keeps guest registers in host registers only inside a
 * block (sync_regs).
 *
 * What it does, and where it is simpler than the engine would be:
 * - Blocks: straight ALU, load and store instructions ended by a branch or
 *   jump (or by an instruction it does not translate, the page's end, 64
 *   instructions), translated at first execution into an mmap'd buffer that
 *   is written RW and then made RX (also around every chaining patch).
 * - Registers: ten guest registers (a0, a1, t0-t3, s0-s3) live in host
 *   registers across chained blocks; the others in the frame (rbp).  They go
 *   back to the frame only when translated code returns to the dispatcher.
 * - Exact ticks: each block starts with "sub left, n; jl out", the block
 *   loop's rule; left is the distance to the next tick the translated code
 *   must not reach (budget, timer compare, console poll point when the
 *   console can interrupt, as the machine's events.c decides), and the
 *   block that does not fit runs in the interpreter up to that tick.
 * - Chaining: a direct branch's exits first go to stubs that return to the
 *   dispatcher, which patches the jump to the target block.
 * - Memory (paging off only; with paging on everything is interpreted): a
 *   load checks alignment and "address < memsize"; a store checks alignment
 *   and one byte per page, set for pages inside RAM that hold no translated
 *   code once a store to them took the slow path.  Any failing check is a
 *   side exit: left gets back the block's unretired ticks, the frame the pc
 *   of the instruction, and the interpreter runs that one instruction (and
 *   takes its trap, if it has one).  So traps are precise without host
 *   signals.
 * - Invalidation: after each interpreter run the source words of every
 *   block are compared with RAM and all translations dropped on a change;
 *   before it, the pages translated code may have stored to are reported
 *   with hw_mem_written so the interpreter's predecoded code stays right.
 * Not translated (interpreted): register shifts, mulh*, div*, rem*, traps,
 * privileged instructions; the spike assumes no disk (it has none).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "hw.h"

#if defined(__x86_64__)
#include <sys/mman.h>

#include "jit_x86.h"

#define CODE_SIZE	(4u << 20)
#define MAX_BLOCKS	4096
#define HASH_SIZE	8192		/* power of two, > 2 * MAX_BLOCKS */
#define MAX_RUN		64		/* guest instructions per block */
#define POLL_TICKS	65536u		/* console poll points (ISA.md 10.1) */

/* What translated code sees; rbp points here while it runs. */
struct frame {
	uint32_t r[ISA_NREGS];	/* guest registers (those not in host registers) */
	uint32_t pc;		/* where to go on after an exit */
	int64_t left;		/* ticks translated code may still run */
	uint64_t exit;		/* EXIT_*, or the rel32 field to chain */
	uint8_t *ram;
};
enum { F_PC = offsetof(struct frame, pc), F_LEFT = offsetof(struct frame, left),
       F_EXIT = offsetof(struct frame, exit), F_RAM = offsetof(struct frame, ram) };
enum { EXIT_SIDE, EXIT_TICKS, EXIT_JUMP, EXIT_NEXIT };

struct block {
	uint32_t pc, n;		/* n guest instructions from pc */
	uint8_t *entry;		/* NULL: pc's instruction is not translated */
};

/* Exits whose stubs follow the block: kind EXIT_SIDE or EXIT_TICKS (pc,
 * unretired ticks to give back) or EXIT_NEXIT (a chainable jump to pc). */
struct pending { uint32_t field, pc, give_back; int kind; };
struct xlate {
	struct pending p[3 * MAX_RUN + 4];
	unsigned np;
	uint32_t read, wrote;		/* guest registers, a bit each */
};

struct spike {
	struct machine *m;
	struct frame f;
	uint64_t t, interp;	/* ticks so far; of them, interpreted */
	uint32_t memsize;
	struct x86_buf c;	/* CODE_SIZE bytes; the prologue first */
	uint32_t epilogue;	/* offset of the epilogue in c */
	uint8_t *wtab;		/* one byte per 4 KiB page of the 4 GiB space */
	uint8_t *codepage;	/* one byte per page of RAM: has blocks */
	uint32_t *wpages, nwpages;	/* pages with wtab set */
	struct block blocks[MAX_BLOCKS];
	uint32_t nblocks;
	uint32_t *src;		/* the guest words each block was made from */
	uint32_t nsrc;
	int32_t hash[HASH_SIZE];	/* block index + 1, 0 empty */
	uint64_t flushes;
	struct xlate x;			/* the block being translated */
	bool sync;			/* --sync-blocks */
};

/* Host registers in translated code: rax and rcx scratch, rbp the frame,
 * r14 the ticks left (64-bit, signed), r15 the host address of guest
 * physical 0, and ten for guest registers: host_of[g], where 0 (rax)
 * means the frame. */
#define LEFT	R14
#define RAM	R15
static const uint8_t host_of[ISA_NREGS] = {
	[4] = RBX, [5] = RDX, [8] = RSI, [9] = RDI, [10] = R8, [11] = R9,
	[12] = R10, [13] = R11, [14] = R12, [15] = R13,
};

/* --- translation ------------------------------------------------------------ */

/* A guest register's value in a host register: its own, or scratch. */
static int src(struct spike *s, unsigned g, int scratch)
{
	if (g == 0) {
		mov_imm(&s->c, scratch, 0);
		return scratch;
	}
	if (host_of[g])
		return host_of[g];
	rmd(&s->c, 0x8b, 0, scratch, RBP, (int32_t)(4 * g));
	return scratch;
}

static int dst(unsigned g) { return g && host_of[g] ? host_of[g] : RAX; }

static void commit(struct spike *s, unsigned g, int h)
{
	if (g && !host_of[g])
		rmd(&s->c, 0x89, 0, h, RBP, (int32_t)(4 * g));
}

static void later(struct xlate *x, uint32_t field, int kind, uint32_t pc, uint32_t give_back)
{
	x->p[x->np++] = (struct pending){ field, pc, give_back, kind };
}

static bool translated(unsigned op)
{
	switch (op) {	/* register shifts want cl; mulh, div and rem rdx:rax */
	case ISA_OP_sll: case ISA_OP_srl: case ISA_OP_sra: case ISA_OP_mulh: case ISA_OP_mulhu:
	case ISA_OP_div: case ISA_OP_divu: case ISA_OP_rem: case ISA_OP_remu:
		return false;
	}
	/* the rest of the ALU, loads, stores, branches and jumps */
	return op < ISA_NOPS && !(isa_table[op].cls & ~(ISA_C_LOAD | ISA_C_STORE));
}

static bool ends_block(unsigned op)
{
	return (op >= ISA_OP_beq && op <= ISA_OP_bgeu) || op == ISA_OP_jal || op == ISA_OP_jalr;
}

/* With --sync-blocks, guest registers go back to the frame at every block
 * exit and come from it at every entry, as TCG's do, instead of staying in
 * host registers across chained blocks: the difference, measured. */
static void sync_regs(struct spike *s, uint32_t mask, bool store)
{
	for (unsigned g = 1; s->sync && g < ISA_NREGS; g++)
		if (host_of[g] && (mask >> g & 1))
			rmd(&s->c, store ? 0x89 : 0x8b, 0, host_of[g], RBP, (int32_t)(4 * g));
}

/* rd = rs1 op rs2 for the two-address ALU (op: the r/m, reg opcode). */
static void alu3(struct spike *s, struct isa_insn d, unsigned op, bool commutes)
{
	int a = src(s, d.rs1, RAX), b = src(s, d.rs2, RCX), h = dst(d.rd);

	if (h == b && h != a) {
		if (commutes) {
			op == 0x0faf ? rr(&s->c, op, 0, h, a) : rr(&s->c, op, 0, a, h);
			commit(s, d.rd, h);
			return;
		}
		mov(&s->c, RCX, b);
		b = RCX;
	}
	mov(&s->c, h, a);
	op == 0x0faf ? rr(&s->c, op, 0, h, b) : rr(&s->c, op, 0, b, h);
	commit(s, d.rd, h);
}

/* rd = (a cc b) ? 1 : 0, after the compare was emitted. */
static void setcc(struct spike *s, unsigned rd, int cc)
{
	int h = dst(rd);

	rr(&s->c, 0x0f90 | (unsigned)cc, 0, 0, RAX);
	rr(&s->c, 0x0fb6, 0, h, RAX);
	commit(s, rd, h);
}

/* eax = rs1 + imm, then the alignment check: a side exit before the access. */
static void address(struct spike *s, struct xlate *x, struct isa_insn d, unsigned size,
		    uint32_t pc, uint32_t give_back)
{
	if (d.rs1 == 0)
		mov_imm(&s->c, RAX, (uint32_t)d.imm);
	else
		rmd(&s->c, 0x8d, 0, RAX, src(s, d.rs1, RAX), d.imm);	/* lea */
	if (size > 1) {
		b1(&s->c, 0xa8);		/* test al, size - 1 */
		b1(&s->c, size - 1);
		later(x, jump(&s->c, CC_NE), EXIT_SIDE, pc, give_back);
	}
}

static void load(struct spike *s, struct xlate *x, struct isa_insn d, unsigned size,
		 unsigned op, uint32_t pc, uint32_t give_back)
{
	int h = dst(d.rd);

	address(s, x, d, size, pc, give_back);
	alu_imm(&s->c, A_CMP, 0, RAX, (int32_t)s->memsize);
	later(x, jump(&s->c, CC_AE), EXIT_SIDE, pc, give_back);
	rm_idx(&s->c, op, h, RAM, RAX, 0);
	commit(s, d.rd, h);
}

static void store(struct spike *s, struct xlate *x, struct isa_insn d, unsigned size,
		  uint32_t pc, uint32_t give_back)
{
	int v;

	address(s, x, d, size, pc, give_back);
	mov(&s->c, RCX, RAX);
	rr(&s->c, 0xc1, 0, 5, RCX);		/* shr ecx, 12: the page */
	b1(&s->c, 12);
	b1(&s->c, 0x80);			/* cmp byte [rcx + wtab], 0 */
	b1(&s->c, 0xb9);
	b4(&s->c, (uint32_t)(uintptr_t)s->wtab);
	b1(&s->c, 0);
	later(x, jump(&s->c, CC_E), EXIT_SIDE, pc, give_back);
	v = src(s, d.rs2, RCX);
	if (size == 2)
		b1(&s->c, 0x66);
	rm_idx(&s->c, size == 1 ? 0x88 : 0x89, v, RAM, RAX, size == 1);
}

/* One straight instruction, or a block's last (branch or jump). */
static void insn(struct spike *s, struct xlate *x, struct isa_insn d, uint32_t pc, uint32_t give_back)
{
	static const int bcc[] = { CC_E, CC_NE, CC_L, CC_GE, CC_B, CC_AE };
	int a, h = dst(d.rd);

	switch (d.op) {
	case ISA_OP_add: alu3(s, d, 0x01, true); return;
	case ISA_OP_sub: alu3(s, d, 0x29, false); return;
	case ISA_OP_and: alu3(s, d, 0x21, true); return;
	case ISA_OP_or:  alu3(s, d, 0x09, true); return;
	case ISA_OP_xor: alu3(s, d, 0x31, true); return;
	case ISA_OP_mul: alu3(s, d, 0x0faf, true); return;
	case ISA_OP_slt: case ISA_OP_sltu:
		a = src(s, d.rs1, RAX);
		rr(&s->c, 0x39, 0, src(s, d.rs2, RCX), a);
		setcc(s, d.rd, d.op == ISA_OP_slt ? CC_L : CC_B);
		return;
	case ISA_OP_slti: case ISA_OP_sltiu:
		alu_imm(&s->c, A_CMP, 0, src(s, d.rs1, RAX), d.imm);
		setcc(s, d.rd, d.op == ISA_OP_slti ? CC_L : CC_B);
		return;
	case ISA_OP_lui:
		mov_imm(&s->c, h, (uint32_t)d.imm);
		commit(s, d.rd, h);
		return;
	case ISA_OP_addi: case ISA_OP_andi: case ISA_OP_ori: case ISA_OP_xori:
	case ISA_OP_slli: case ISA_OP_srli: case ISA_OP_srai:
		if (d.rs1 == 0 && d.op < ISA_OP_slli) {	/* li: 0 op imm */
			mov_imm(&s->c, h, d.op == ISA_OP_andi ? 0 : (uint32_t)d.imm);
		} else if (d.op >= ISA_OP_slli) {	/* shl /4, shr /5, sar /7 */
			mov(&s->c, h, src(s, d.rs1, RAX));
			rr(&s->c, 0xc1, 0, d.op == ISA_OP_slli ? 4 : d.op == ISA_OP_srli ? 5 : 7, h);
			b1(&s->c, (unsigned)d.imm);
		} else {
			mov(&s->c, h, src(s, d.rs1, RAX));
			if (d.imm || d.op != ISA_OP_addi)
				alu_imm(&s->c, d.op == ISA_OP_addi ? A_ADD : d.op == ISA_OP_andi ? A_AND
					: d.op == ISA_OP_ori ? A_OR : A_XOR, 0, h, d.imm);
		}
		commit(s, d.rd, h);
		return;
	case ISA_OP_lb:  load(s, x, d, 1, 0x0fbe, pc, give_back); return;
	case ISA_OP_lbu: load(s, x, d, 1, 0x0fb6, pc, give_back); return;
	case ISA_OP_lh:  load(s, x, d, 2, 0x0fbf, pc, give_back); return;
	case ISA_OP_lhu: load(s, x, d, 2, 0x0fb7, pc, give_back); return;
	case ISA_OP_lw:  load(s, x, d, 4, 0x8b, pc, give_back); return;
	case ISA_OP_sb:  store(s, x, d, 1, pc, give_back); return;
	case ISA_OP_sh:  store(s, x, d, 2, pc, give_back); return;
	case ISA_OP_sw:  store(s, x, d, 4, pc, give_back); return;
	case ISA_OP_jal:
		mov_imm(&s->c, h, pc + 4);
		commit(s, d.rd, h);
		sync_regs(s, x->wrote, true);
		later(x, jump(&s->c, -1), EXIT_NEXIT, pc + (uint32_t)d.imm, 0);
		return;
	case ISA_OP_jalr:
		address(s, x, d, 4, pc, give_back);
		rmd(&s->c, 0x89, 0, RAX, RBP, F_PC);
		mov_imm(&s->c, h, pc + 4);
		commit(s, d.rd, h);
		mov_imm(&s->c, RAX, EXIT_JUMP);
		patch(&s->c, jump(&s->c, -1), s->epilogue);
		return;
	}
	/* a conditional branch */
	a = src(s, d.rs1, RAX);
	if (d.rs2 == 0)
		rr(&s->c, 0x85, 0, a, a);		/* test a, a */
	else
		rr(&s->c, 0x39, 0, src(s, d.rs2, RCX), a);
	sync_regs(s, x->wrote, true);		/* mov keeps the flags */
	later(x, jump(&s->c, bcc[d.op - ISA_OP_beq]), EXIT_NEXIT, pc + (uint32_t)d.imm, 0);
	later(x, jump(&s->c, -1), EXIT_NEXIT, pc + 4, 0);
}

/* The stubs: give ticks back, record the pc, say why, go to the epilogue. */
static void stubs(struct spike *s, struct xlate *x)
{
	for (unsigned i = 0; i < x->np; i++) {
		struct pending *p = &x->p[i];

		patch(&s->c, p->field, s->c.len);
		if (p->give_back)
			alu_imm(&s->c, A_ADD, 1, LEFT, (int32_t)p->give_back);
		rmd(&s->c, 0xc7, 0, 0, RBP, F_PC);
		b4(&s->c, p->pc);
		if (p->kind == EXIT_NEXIT) {	/* lea rax, [rip + to the field] */
			b1(&s->c, 0x48); b1(&s->c, 0x8d); b1(&s->c, 0x05);
			b4(&s->c, p->field - (s->c.len + 4));
		} else {
			mov_imm(&s->c, RAX, (uint32_t)p->kind);
		}
		patch(&s->c, jump(&s->c, -1), s->epilogue);
	}
}

static void writable(struct spike *s, bool rw)
{
	if (mprotect(s->c.code, CODE_SIZE, rw ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC)) {
		perror("jit_spike: mprotect");
		exit(1);
	}
}

/* Enter(frame, entry, left) and the epilogue every exit jumps to. */
static void prologue(struct spike *s)
{
	static const uint8_t saved[] = { RBX, RBP, R12, R13, R14, R15 };

	s->c.len = 0;
	for (unsigned i = 0; i < sizeof saved; i++)
		rex(&s->c, 0, 0, 0, saved[i], 0), b1(&s->c, 0x50 + (saved[i] & 7));	/* push */
	rr(&s->c, 0x89, 1, RDI, RBP);
	rr(&s->c, 0x89, 1, RDX, LEFT);
	rmd(&s->c, 0x8b, 1, RAM, RBP, F_RAM);
	rr(&s->c, 0x89, 1, RSI, RAX);
	for (unsigned g = 1; g < ISA_NREGS; g++)
		if (host_of[g])
			rmd(&s->c, 0x8b, 0, host_of[g], RBP, (int32_t)(4 * g));
	b1(&s->c, 0xff); b1(&s->c, 0xe0);				/* jmp rax */
	s->epilogue = s->c.len;
	rmd(&s->c, 0x89, 1, RAX, RBP, F_EXIT);
	rmd(&s->c, 0x89, 1, LEFT, RBP, F_LEFT);
	for (unsigned g = 1; g < ISA_NREGS; g++)
		if (host_of[g])
			rmd(&s->c, 0x89, 0, host_of[g], RBP, (int32_t)(4 * g));
	for (unsigned i = sizeof saved; i-- > 0; )
		rex(&s->c, 0, 0, 0, saved[i], 0), b1(&s->c, 0x58 + (saved[i] & 7));	/* pop */
	b1(&s->c, 0xc3);
}

static void flush(struct spike *s)
{
	memset(s->hash, 0, sizeof s->hash);
	memset(s->codepage, 0, s->memsize >> ISA_PAGE_SHIFT);
	s->nblocks = s->nsrc = 0;
	s->flushes++;
	writable(s, true);
	prologue(s);
	writable(s, false);
}

static uint32_t word_at(struct spike *s, uint32_t pa)
{
	uint32_t w;

	memcpy(&w, hw_mem(s->m) + pa, 4);
	return w;
}

/* Translate the block at physical pc (paging is off): its entry, or NULL. */
static struct block *translate(struct spike *s, uint32_t pc)
{
	struct xlate *x = &s->x;
	struct block *b;
	uint32_t n = 0;

	x->read = x->wrote = 0;
	if (s->nblocks == MAX_BLOCKS || s->c.len > CODE_SIZE - 64 * 1024)
		flush(s);
	b = &s->blocks[s->nblocks];
	while (pc % 4 == 0 && n < MAX_RUN && pc + 4 * n < s->memsize && ((pc + 4 * n) & (ISA_PAGE_SIZE - 1)) + 4 <= ISA_PAGE_SIZE) {
		struct isa_insn d = isa_decode(word_at(s, pc + 4 * n));

		if (!translated(d.op))
			break;
		s->src[s->nsrc + n] = word_at(s, pc + 4 * n);
		n++;
		x->read |= 1u << d.rs1 | 1u << d.rs2;
		x->wrote |= 1u << d.rd;		/* 0 where there is no rd */
		if (ends_block(d.op))
			break;
	}
	*b = (struct block){ pc, n, NULL };
	s->nblocks++;
	s->nsrc += n;
	if (n == 0)
		return b;
	writable(s, true);
	x->np = 0;
	b->entry = s->c.code + s->c.len;
	alu_imm(&s->c, A_SUB, 1, LEFT, (int32_t)n);
	later(x, jump(&s->c, CC_L), EXIT_TICKS, pc, n);
	sync_regs(s, x->read, false);
	for (uint32_t i = 0; i < n; i++)
		insn(s, x, isa_decode(word_at(s, pc + 4 * i)), pc + 4 * i, n - i);
	if (!ends_block(isa_decode(word_at(s, pc + 4 * (n - 1))).op)) {
		sync_regs(s, x->wrote, true);
		later(x, jump(&s->c, -1), EXIT_NEXIT, pc + 4 * n, 0);
	}
	stubs(s, x);
	writable(s, false);
	s->codepage[pc >> ISA_PAGE_SHIFT] = 1;
	s->wtab[pc >> ISA_PAGE_SHIFT] = 0;
	return b;
}

static struct block *lookup(struct spike *s, uint32_t pc)
{
	uint32_t h = (pc >> 2) * 2654435761u;

	struct block *b;
	uint32_t i;

	for (i = h >> 19; s->hash[i]; i = (i + 1) & (HASH_SIZE - 1))
		if (s->blocks[s->hash[i] - 1].pc == pc)
			return &s->blocks[s->hash[i] - 1];
	b = translate(s, pc);		/* may flush: probe again */
	for (i = h >> 19; s->hash[i]; i = (i + 1) & (HASH_SIZE - 1))
		;
	s->hash[i] = (int32_t)(b - s->blocks) + 1;
	return b;
}

/* --- the dispatcher ----------------------------------------------------------- */

/* Run the interpreter for at most ticks ticks from the spike's state. */
static enum hw_exit_reason interpret(struct spike *s, uint64_t ticks, struct hw_exit *ex)
{
	uint64_t before = (uint32_t)s->t;
	uint32_t at = 0;

	for (uint32_t i = 0; i < s->nwpages; i++)
		hw_mem_written(s->m, s->wpages[i] << ISA_PAGE_SHIFT, ISA_PAGE_SIZE);
	hw_set_regs(s->m, s->f.r);
	hw_set_pc(s->m, s->f.pc);
	hw_set_cr(s->m, ISA_CR_ICOUNT, (uint32_t)s->t);
	hw_set_budget(s->m, ticks);
	enum hw_exit_reason r = hw_run(s->m, ex);
	hw_get_regs(s->m, s->f.r);
	s->f.pc = hw_get_pc(s->m);
	s->t += hw_ticks(s->m) - before;
	s->interp += hw_ticks(s->m) - before;
	for (uint32_t i = 0; i < s->nblocks; i++) {
		struct block *b = &s->blocks[i];

		for (uint32_t k = 0; k < b->n; k++)
			if (word_at(s, b->pc + 4 * k) != s->src[at + k]) {
				flush(s);
				return r;
			}
		at += b->n;
	}
	return r;
}

/* A store took the side exit: let later ones to its page take the fast
 * path if the page is in RAM and holds no translated code. */
static void store_page(struct spike *s)
{
	struct isa_insn d = isa_decode(word_at(s, s->f.pc));
	uint32_t a = s->f.r[d.rs1] + (uint32_t)d.imm, p = a >> ISA_PAGE_SHIFT;

	if ((isa_table[d.op].cls & ISA_C_STORE) && a < s->memsize && !s->codepage[p] && !s->wtab[p]) {
		s->wtab[p] = 1;
		s->wpages[s->nwpages++] = p;
	}
}

/* How many ticks translated code may run from now, and in *stop how many
 * the interpreter runs when the next block does not fit: up to the end of
 * the budget, or up to the next event (a timer compare while the timer is
 * not pending, a console poll point while the console can interrupt: the
 * machine's own rule, events.c), whose tick is the interpreter's. */
static int64_t horizon(struct spike *s, uint64_t end, uint64_t *stop)
{
	uint64_t to_ev = UINT64_MAX, poll = POLL_TICKS - s->t % POLL_TICKS;
	uint64_t left = end - s->t < INT64_MAX ? end - s->t : INT64_MAX;	/* left is signed */

	if (!(hw_get_cr(s->m, ISA_CR_IPEND) & ISA_IRQ_TIMER)) {
		uint32_t d = hw_get_cr(s->m, ISA_CR_TIMECMP) - (uint32_t)s->t;

		to_ev = d ? d : UINT64_C(1) << 32;
	}
	if (cons_can_interrupt(hw_console(s->m)) && poll < to_ev)
		to_ev = poll;
	if (left < to_ev) {
		*stop = left;
		return (int64_t)*stop;
	}
	*stop = to_ev;
	return (int64_t)to_ev - 1;
}

/* Run until the tick count is end or the interpreter stops for good. */
static enum hw_exit_reason spike_run(struct spike *s, uint64_t end, struct hw_exit *ex)
{
	typedef void enter_fn(struct frame *, const uint8_t *, int64_t);
	enter_fn *enter = (enter_fn *)(void *)s->c.code;

	while (s->t < end) {
		uint64_t stop;
		int64_t lim = horizon(s, end, &stop);
		bool paging = hw_get_cr(s->m, ISA_CR_PTB) & ISA_PTB_PG;

		if (paging || ((hw_get_cr(s->m, ISA_CR_STATUS) & ISA_ST_IE) &&
			       (hw_get_cr(s->m, ISA_CR_IPEND) & hw_get_cr(s->m, ISA_CR_IMASK)))) {
			/* the interrupt is the interpreter's to take */
			if (interpret(s, paging ? stop : 1, ex) != HW_EXIT_BUDGET)
				return ex->reason;
			continue;
		}
		struct block *b = lookup(s, s->f.pc);
		if (!b->entry || (int64_t)b->n > lim) {
			if (interpret(s, b->entry ? stop : 1, ex) != HW_EXIT_BUDGET)
				return ex->reason;
			continue;
		}
		enter(&s->f, b->entry, lim);
		s->t += (uint64_t)(lim - s->f.left);
		if (s->f.exit == EXIT_SIDE) {
			store_page(s);
			if (interpret(s, 1, ex) != HW_EXIT_BUDGET)
				return ex->reason;
		} else if (s->f.exit >= EXIT_NEXIT) {	/* chain the jump */
			uint32_t field = (uint32_t)((uint8_t *)s->f.exit - s->c.code);
			uint64_t gen = s->flushes;
			struct block *t = lookup(s, s->f.pc);

			if (t->entry && s->flushes == gen) {	/* the field still exists */
				writable(s, true);
				patch(&s->c, field, (uint32_t)(t->entry - s->c.code));
				writable(s, false);
			}
		}
	}
	ex->reason = HW_EXIT_BUDGET;
	ex->pc = s->f.pc;
	return HW_EXIT_BUDGET;
}

static int spike_new(struct spike *s, struct machine *m, bool sync)
{
	memset(s, 0, sizeof *s);
	s->m = m;
	s->sync = sync;
	s->memsize = hw_mem_size(m);
	s->f.ram = hw_mem(m);
	hw_get_regs(m, s->f.r);
	s->f.pc = hw_get_pc(m);
	s->t = hw_ticks(m);
	/* Below 2 GiB: its address is a disp32 in the store check. */
	s->wtab = mmap(NULL, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	s->c.code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s->codepage = calloc(s->memsize >> ISA_PAGE_SHIFT, 1);
	s->wpages = calloc(s->memsize >> ISA_PAGE_SHIFT, sizeof *s->wpages);
	s->src = calloc((size_t)MAX_BLOCKS * MAX_RUN, sizeof *s->src);
	if (s->wtab == MAP_FAILED || s->c.code == MAP_FAILED || !s->codepage || !s->wpages || !s->src) {
		fprintf(stderr, "jit_spike: out of memory\n");
		return -1;
	}
	flush(s);
	return 0;
}

static void spike_free(struct spike *s)
{
	munmap(s->wtab, 1u << 20);
	munmap(s->c.code, CODE_SIZE);
	free(s->codepage);
	free(s->wpages);
	free(s->src);
}

/* Leave the machine as the interpreter would have: registers, pc, ticks. */
static void spike_sync(struct spike *s)
{
	hw_set_regs(s->m, s->f.r);
	hw_set_pc(s->m, s->f.pc);
	hw_set_cr(s->m, ISA_CR_ICOUNT, (uint32_t)s->t);
}

/* --- the benchmark and the check ---------------------------------------------- */

static struct machine *machine_from(const char *path)
{
	struct hw_config cfg = { .mem_mib = 16, .cons_in_fd = -1 };
	struct machine *m;
	char err[512];

	if (hw_new(&cfg, &m, err, sizeof err) || hw_load_elf(m, path, err, sizeof err)) {
		fprintf(stderr, "jit_spike: %s\n", err);
		exit(1);
	}
	return m;
}

/* What the check compares besides RAM. */
enum { V_EXIT, V_PC, V_TICKS, V_R, V_CR = V_R + ISA_NREGS, V_N = V_CR + ISA_NCR };

static void state(const struct machine *m, enum hw_exit_reason r, uint32_t v[V_N])
{
	v[V_EXIT] = r;
	v[V_PC] = hw_get_pc(m);
	v[V_TICKS] = (uint32_t)hw_ticks(m);	/* the spike sets icount's 32 bits */
	hw_get_regs(m, v + V_R);
	for (unsigned c = 0; c < ISA_NCR; c++)
		v[V_CR + c] = hw_get_cr(m, c);
}

/* Compare the spike's machine with the interpreter's: 0 if they agree,
 * else 1 after naming the first difference. */
static int compare(const char *path, const char *budget, struct machine *a, enum hw_exit_reason ra,
		   struct machine *b, enum hw_exit_reason rb)
{
	static const char *const names[] = { "exit reason", "pc", "tick count" };
	const uint8_t *ma = hw_mem(a), *mb = hw_mem(b);
	uint32_t x[V_N], y[V_N], i;

	state(a, ra, x);
	state(b, rb, y);
	for (i = 0; i < V_N; i++)
		if (x[i] != y[i]) {
			fprintf(stderr, "%s: budget %s: %s%.0u is 0x%08x, the interpreter's 0x%08x\n",
				path, budget, i < V_R ? names[i] : i < V_CR ? "r" : "cr",
				i < V_R ? 0 : i < V_CR ? i - V_R : i - V_CR, x[i], y[i]);
			return 1;
		}
	if (!memcmp(ma, mb, hw_mem_size(a)))
		return 0;
	for (i = 0; ma[i] == mb[i]; i++)
		;
	fprintf(stderr, "%s: budget %s: RAM at 0x%08x is 0x%02x, the interpreter's 0x%02x\n",
		path, budget, i, ma[i], mb[i]);
	return 1;
}

static int check(bool sync, const char *path, int nb, char **budgets)
{
	int bad = 0;

	for (int i = 0; i < nb; i++) {
		uint64_t n = strcmp(budgets[i], "all") ? strtoull(budgets[i], NULL, 0) : HW_NO_BUDGET;
		struct machine *a = machine_from(path), *b = machine_from(path);
		struct spike *s = malloc(sizeof *s);
		struct hw_exit ea, eb;
		enum hw_exit_reason ra, rb;

		if (!s || spike_new(s, a, sync))
			return 1;
		ra = spike_run(s, n, &ea);
		spike_sync(s);
		hw_set_budget(b, n);
		rb = hw_run(b, &eb);
		bad |= compare(path, budgets[i], a, ra, b, rb);
		spike_free(s);
		free(s);
		hw_free(a);
		hw_free(b);
	}
	return bad;
}

static double cpu_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(bool sync, const char *path)
{
	struct machine *m = machine_from(path);
	struct spike *s = malloc(sizeof *s);
	struct hw_exit ex;
	double t0, sec;

	if (!s || spike_new(s, m, sync))
		return 1;
	t0 = cpu_seconds();
	enum hw_exit_reason r = spike_run(s, HW_NO_BUDGET, &ex);
	sec = cpu_seconds() - t0;
	if (r != HW_EXIT_POWEROFF) {
		fprintf(stderr, "jit_spike: %s: stopped (reason %d) at pc 0x%08x\n", path, r, ex.pc);
		return 1;
	}
	printf("%llu %.6f %.0f %llu\n", (unsigned long long)s->t, sec, (double)s->t / sec / 1e6,
	       (unsigned long long)s->interp);
	spike_free(s);
	free(s);
	hw_free(m);
	return 0;
}

int main(int argc, char **argv)
{
	bool sync = argc > 1 && !strcmp(argv[1], "--sync-blocks");

	argc -= sync;
	argv += sync;
	if (argc == 2)
		return bench(sync, argv[1]);
	if (argc >= 4 && !strcmp(argv[1], "--check"))
		return check(sync, argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: jit_spike [--sync-blocks] image.elf\n"
		"       jit_spike [--sync-blocks] --check image.elf N|all...\n");
	return 2;
}

#else

int main(void)
{
	printf("# jit_spike: x86-64 hosts only: skipped\n");
	return 0;
}

#endif
