/*
 * test_hw_block.c - the block loop (vm/hw/cpu_loop.h) is exact: it pays a
 * block's ticks when it enters it, so each test puts an event, a trap or
 * a code change inside a block and checks the tick it lands on.  The
 * oracle for "exact" is single-stepping, which runs the checking loop and
 * counts every tick: for every budget b, hw_run stopping after b ticks
 * must leave the machine exactly as b ticks of hw_step do.
 */
#include "test_hw_util.h"

/* The program's observable state: pc, ticks, registers, control
 * registers, and the first 8 KiB of RAM (its code and data). */
struct snap {
	uint32_t pc, r[ISA_NREGS], cr[ISA_NCR];
	uint64_t ticks;
	uint8_t ram[8192];
};

static void take(struct hwt *t, struct snap *s)
{
	memset(s, 0, sizeof *s);
	s->pc = hw_get_pc(t->m);
	s->ticks = hw_ticks(t->m);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		s->r[i] = hw_get_reg(t->m, i);
	for (unsigned i = 0; i < ISA_NCR; i++)
		s->cr[i] = hw_get_cr(t->m, i);
	cr_assert_eq(hw_phys_read(t->m, 0, s->ram, sizeof s->ram), 0);
}

static void expect_same(const struct snap *a, const struct snap *b, uint64_t budget)
{
	cr_assert_eq(a->ticks, b->ticks, "budget %llu: ticks %llu, stepping %llu",
		     (unsigned long long)budget, (unsigned long long)a->ticks,
		     (unsigned long long)b->ticks);
	cr_assert_eq(a->pc, b->pc, "budget %llu: pc 0x%x, stepping 0x%x",
		     (unsigned long long)budget, a->pc, b->pc);
	for (unsigned i = 0; i < ISA_NREGS; i++)
		cr_assert_eq(a->r[i], b->r[i], "budget %llu: r%u = 0x%x, stepping 0x%x",
			     (unsigned long long)budget, i, a->r[i], b->r[i]);
	for (unsigned i = 0; i < ISA_NCR; i++)
		cr_assert_eq(a->cr[i], b->cr[i], "budget %llu: cr%u = 0x%x, stepping 0x%x",
			     (unsigned long long)budget, i, a->cr[i], b->cr[i]);
	cr_assert_eq(memcmp(a->ram, b->ram, sizeof a->ram), 0, "budget %llu: RAM differs",
		     (unsigned long long)budget);
}

/* Running the program with this budget equals stepping that many ticks;
 * returns the run's exit (BUDGET or POWEROFF) and its state in *a. */
static enum hw_exit_reason same_at_budget(const char *src, uint64_t budget, struct snap *a)
{
	static struct snap b;
	struct hwt t;
	enum hw_exit_reason r;

	hwt_init(&t);
	hwt_asm(&t, src);
	hw_set_budget(t.m, budget);
	r = hwt_run(&t);
	cr_assert(r == HW_EXIT_BUDGET || r == HW_EXIT_POWEROFF, "budget %llu: exit %d",
		  (unsigned long long)budget, r);
	take(&t, a);
	hwt_fini(&t);

	hwt_init(&t);
	hwt_asm(&t, src);
	while (hw_ticks(t.m) < budget && hw_step(t.m, &t.ex) == HW_EXIT_STEP)
		;
	take(&t, &b);
	hwt_fini(&t);

	expect_same(a, &b, budget);
	return r;
}

/* For every budget 1..the program's length: running with that budget
 * equals stepping that many ticks.  Returns the program's total ticks. */
static uint64_t same_as_stepping(const char *src)
{
	static struct snap a;

	for (uint64_t budget = 1;; budget++) {
		if (same_at_budget(src, budget, &a) == HW_EXIT_POWEROFF)
			return a.ticks;
		cr_assert_lt(budget, 5000, "the program does not power off");
	}
}

/* Thirty straight instructions: one block of the block loop. */
#define STRAIGHT10 \
	" addi s1, s1, 1\n add s2, s2, s1\n xori s3, s2, 5\n slli a3, s1, 2\n sub a2, a3, s3\n" \
	" addi s1, s1, 1\n add s2, s2, s1\n xori s3, s2, 5\n slli a3, s1, 2\n sub a2, a3, s3\n"
#define STRAIGHT30 STRAIGHT10 STRAIGHT10 STRAIGHT10

Test(hw_block, a_budget_ending_inside_a_block_stops_on_its_tick)
{
	uint64_t n = same_as_stepping("_start: li s0, 3\nl:" STRAIGHT30
				      " addi s0, s0, -1\n bnez s0, l\n out s1, 0x20(zero)\n");

	cr_expect_eq(n, 1 + 3 * 32 + 1, "ticks: %llu", (unsigned long long)n);
}

/* The timer latches at tick 45 and again every 23 ticks, inside the
 * blocks; the handler records icount and epc of the first interrupt. */
#define TIMER_PROGRAM \
	"_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n" \
	" li t0, 45\n mtcr timecmp, t0\n li t0, 3\n mtcr status, t0\n li s0, 4\n" \
	"l:" STRAIGHT30 " addi s0, s0, -1\n bnez s0, l\n out s1, 0x20(zero)\n" \
	"handler: mfcr t0, icount\n bnez gp, 1f\n mv gp, t0\n mfcr t1, epc\n la t2, seen\n" \
	" sw t1, 0(t2)\n1: addi t0, t0, 23\n mtcr timecmp, t0\n rfe\n" \
	" .data\nseen: .word 0\n"

Test(hw_block, a_timer_interrupt_inside_a_block_is_taken_on_its_tick)
{
	struct hwt t;

	same_as_stepping(TIMER_PROGRAM);
	hwt_init(&t);
	hwt_asm(&t, TIMER_PROGRAM);
	hwt_run_off(&t);
	/* ticks 0..44 are the 10 set-up instructions and 35 of the loop (32
	 * a pass): the interrupt comes before the second pass's 4th */
	cr_expect_eq(REG(&t, GP), 45, "icount in the handler");
	cr_expect_eq(hwt_word(&t, hwt_sym(&t, "seen")), hwt_sym(&t, "l") + 3 * 4,
		     "epc: the 4th instruction of the loop");
	hwt_fini(&t);
}

Test(hw_block, a_fault_inside_a_block_traps_on_its_tick)
{
	/* The 6th load of each pass faults (BUS, beyond the 1 MiB of RAM);
	 * the handler skips it. */
	uint64_t n = same_as_stepping(
		"_start: la t0, handler\n mtcr tvec, t0\n li s0, 3\n lui a1, 0x7000\n"
		"l: addi s1, s1, 1\n addi s1, s1, 1\n addi s1, s1, 1\n addi s1, s1, 1\n"
		" addi s1, s1, 1\nbad: lw a2, 0(a1)\n addi s1, s1, 1\n addi s1, s1, 1\n"
		" addi s0, s0, -1\n bnez s0, l\n out s1, 0x20(zero)\n"
		"handler: mfcr t0, icount\n add s2, s2, t0\n mfcr t0, epc\n addi t0, t0, 4\n"
		" mtcr epc, t0\n rfe\n");

	cr_expect_eq(n, 5 + 3 * 9 + 3 * 6 + 1, "the faulting loads do not retire (ticks: %llu)",
		     (unsigned long long)n);
}

/* The block rewrites its own 4th instruction, two words ahead of the
 * store: the second pass must run the new one. */
#define SMC_PROGRAM \
	"_start: li s0, 2\n la t0, patch\n la t1, new\n lw t1, 0(t1)\n" \
	"l: addi s1, s1, 1\n sw t1, 0(t0)\n addi s2, s2, 1\n" \
	"patch: addi s3, s3, 1\n addi s2, s2, 1\n addi s0, s0, -1\n bnez s0, l\n" \
	" out s3, 0x20(zero)\n" \
	"new: addi s3, s3, 100\n"

Test(hw_block, self_modifying_code_inside_a_block_runs_the_new_instruction)
{
	struct hwt t;
	uint64_t n = same_as_stepping(SMC_PROGRAM);

	cr_expect_eq(n, 6 + 2 * 7 + 1, "ticks: %llu", (unsigned long long)n);
	hwt_init(&t);
	hwt_asm(&t, SMC_PROGRAM);
	cr_expect_eq(hwt_run_off(&t), 200, "the store came before the patched word, twice");
	hwt_fini(&t);
}

/* A store turns a straight instruction of the running block into a
 * branch (ending the block early) and later back. */
Test(hw_block, a_store_that_ends_the_running_block_early)
{
	uint64_t n = same_as_stepping(
		"_start: li s0, 3\n la t0, patch\n la t1, jump\n lw t1, 0(t1)\n"
		" la t2, plain\n lw t2, 0(t2)\n"
		"l: sw t1, 0(t0)\n addi s1, s1, 1\n"
		"patch: addi s1, s1, 1\n addi s1, s1, 1\n addi s1, s1, 1\n"
		"skip: sw t2, 0(t0)\n addi s0, s0, -1\n bnez s0, l\n out s1, 0x20(zero)\n"
		"jump: beq zero, zero, . + (skip - patch)\n"
		"plain: addi s1, s1, 1\n");

	cr_expect_eq(n, 9 + 3 * 6 + 1, "ticks: %llu", (unsigned long long)n);
}

/* Data stores into the code page of the running block (a counter next
 * to the loop) keep its ticks and the pairs exact. */
Test(hw_block, stores_to_the_running_blocks_page)
{
	uint64_t n = same_as_stepping(
		"_start: li s0, 5\n la t0, count\n"
		"l: lw t1, 0(t0)\n addi t1, t1, 3\n sw t1, 0(t0)\n sb s0, 4(t0)\n"
		" addi s0, s0, -1\n bnez s0, l\n lw a0, 0(t0)\n out a0, 0x20(zero)\n"
		"count: .word 0, 0\n");

	cr_expect_eq(n, 3 + 5 * 6 + 2, "ticks: %llu", (unsigned long long)n);
}

/* addi + bnez run as one handler; rewriting the branch (here into a bge
 * on the same register) must split them. */
Test(hw_block, rewriting_the_branch_of_a_fused_pair)
{
	struct hwt t;
	const char *src =
		"_start: li s0, 10\n li a1, 3\n la t0, br\n la t1, new\n lw t1, 0(t1)\n"
		"l: addi s1, s1, 1\n li a0, 4\n bne s1, a0, 1f\n sw t1, 0(t0)\n"
		"1: addi s0, s0, -1\nbr: bnez s0, l\n out s0, 0x20(zero)\n"
		"new: bge s0, a1, . + (l - br)\n";

	same_as_stepping(src);
	hwt_init(&t);
	hwt_asm(&t, src);
	cr_expect_eq(hwt_run_off(&t), 2, "bge s0, 3 loops down to 2");
	hwt_fini(&t);
}

/* The pair's branch may compare the new value with itself or another. */
Test(hw_block, fused_pairs_compare_the_value_just_written)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li s0, 0\n li a1, 7\n"
		    "l: addi s0, s0, 1\n bltu s0, a1, l\n"	/* 7 passes */
		    " add s1, s0, s0\n beq s1, s1, 1f\n li s1, 99\n"
		    "1: add a0, s1, s0\n bge a0, s1, 2f\n li a0, 98\n"
		    "2: out a0, 0x20(zero)\n");
	cr_expect_eq(hwt_run_off(&t), 21);
	cr_expect_eq(hw_ticks(t.m), 2 + 7 * 2 + 2 + 2 + 1);
	hwt_fini(&t);
}

/* lbu/lw + branch on the loaded value, lui + branch comparing with the
 * constant: the load's first access misses the fast path (the plain load
 * runs), later ones hit; a faulting load in a pair traps on its tick. */
Test(hw_block, load_and_lui_pairs)
{
	struct hwt t;
	const char *src =
		"_start: la t0, handler\n mtcr tvec, t0\n la s0, bytes\n la s2, bytes\n"
		"l: lbu a0, 0(s0)\n beqz a0, done\n add s1, s1, a0\n lw a1, 0(s2)\n"
		" bltu a1, s1, 1f\n addi s1, s1, 1000\n1: addi s0, s0, 1\n"
		" lui a2, 0x7000\n bltu a2, a2, l\n lui a2, 0x7000\n bgeu s1, a2, l\n"
		" beq zero, zero, l\n"
		"done: lw a3, 0(a2)\n bnez a3, done\n out s1, 0x20(zero)\n"
		"handler: mfcr t0, icount\n add s1, s1, t0\n out s1, 0x20(zero)\n"
		" .data\nbytes: .byte 3, 5, 7, 0, 0, 0, 0, 0\n";

	same_as_stepping(src);
	hwt_init(&t);
	hwt_asm(&t, src);
	/* Each byte, and 1000 each time the word 0x00070503 is not below the
	 * sum; then the lw at 0x70000000 faults (BUS) on its tick. */
	uint32_t code = hwt_run_off(&t);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_BUS);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "done"));
	cr_expect_eq(code, (3 + 5 + 7 + 3000 + (uint32_t)hw_ticks(t.m) - 3) & 0xff);
	hwt_fini(&t);
}

/* Forwarding (hw_priv.h "Forwarding"): operands read from the last two
 * results, in every combination the variants cover: R-type with L and P
 * on either side and both, immediates, a load's address, a store's
 * address and data, mv from either; a write to r0 forwards nothing (r0 reads 0); a
 * register written again by the instruction in between is not taken
 * from P; a store forwards the value it stored. */
#define FORWARD_PROGRAM \
	"_start: li s0, 3\n li s1, 5\n li s2, 7\n la s3, buf\n" \
	"l: add t0, s1, s2\n sub t1, t0, s1\n xor t2, t0, t1\n slli t3, t2, 2\n" \
	" sw t3, 0(s3)\n lw a0, 0(s3)\n add a1, a0, t3\n addi zero, a1, 9\n" \
	" add a2, zero, a1\n addi a2, a2, 1\n addi a2, a2, 1\n add a3, a2, a2\n" \
	" sb a3, 4(s3)\n lbu a3, 4(s3)\n or t0, a3, a3\n addi t0, t0, 0\n" \
	" and t1, t0, a3\n addi t0, s3, 8\n sw t1, 0(t0)\n lw t2, 0(t0)\n" \
	" add s1, s1, t2\n addi a0, s1, 0\n addi a1, s2, 3\n mv s1, a0\n" \
	" addi s0, s0, -1\n bnez s0, l\n out s1, 0x20(zero)\n" \
	" .data\nbuf: .word 0, 0, 0\n"

Test(hw_block, forwarded_operands_are_the_registers_values)
{
	struct hwt t;
	uint32_t s1 = 5;

	for (int pass = 0; pass < 3; pass++) {
		uint32_t t3 = ((s1 + 7) ^ 7) << 2;

		s1 += ((2 * t3 + 2) * 2) & 0xff;
	}
	same_as_stepping(FORWARD_PROGRAM);
	hwt_init(&t);
	hwt_asm(&t, FORWARD_PROGRAM);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S1), s1, "s1 = %u, expected %u", REG(&t, S1), s1);
	hwt_fini(&t);
}

/* The third pass jumps to m, into the window's middle: the add after it
 * reads t0 from P, which no instruction before it in this pass put there
 * (the window holds s3 and a2 from the jump's block), so m's block start
 * must load it.  Expected: 2 * (30 + 21) + (1000 + 21). */
Test(hw_block, a_jump_into_a_forwarding_window)
{
	struct hwt t;
	const char *src =
		"_start: li s1, 10\n li s2, 20\n li s3, 3\n"
		"l: add t0, s1, s2\n"
		"m: addi t1, s2, 1\n add a0, t0, t1\n add s0, s0, a0\n"
		" li t0, 1000\n li a2, 6\n addi s3, s3, -1\n andi a3, s3, 1\n bnez a3, m\n"
		" bnez s3, l\n out s0, 0x20(zero)\n";

	same_as_stepping(src);
	hwt_init(&t);
	hwt_asm(&t, src);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S0), 1123, "s0 = %u", REG(&t, S0));
	hwt_fini(&t);
}

/* The first lw and sw miss the fast TLBs: their slow paths end the block
 * there, and the instruction after each starts a block whose successor
 * reads the loaded or stored value from P. */
Test(hw_block, a_slow_load_or_store_before_a_forwarded_read)
{
	struct hwt t;
	const char *src =
		"_start: la s0, word\n li s1, 3\n"
		" lw t0, 0(s0)\n addi t1, s1, 1\n add a0, t0, t1\n"
		" sw a0, 4(s0)\n addi t1, s1, 2\n add a1, a0, t1\n"
		" add a0, a0, a1\n out a0, 0x20(zero)\n"
		" .data\nword: .word 40, 0\n";

	same_as_stepping(src);
	hwt_init(&t);
	hwt_asm(&t, src);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, A0), 44 + 49, "a0 = %u", REG(&t, A0));
	hwt_fini(&t);
}

/* The block rewrites the instruction whose result the next two read
 * from L and P; on the second pass it writes another register, so they
 * must read a3 from the register file again.  Expected: 2 passes of
 * a0 = 2 * a3 = 200. */
Test(hw_block, rewriting_the_producer_of_a_forwarded_value)
{
	struct hwt t;
	const char *src =
		"_start: li s0, 2\n la t0, patch\n la t1, new\n lw t1, 0(t1)\n"
		" li a1, 100\n li a2, 200\n"
		"l: addi s1, s1, 1\n"
		"patch: add a3, a1, zero\n add a0, a3, zero\n add a0, a0, a3\n add s2, s2, a0\n"
		" sw t1, 0(t0)\n addi s0, s0, -1\n bnez s0, l\n out s2, 0x20(zero)\n"
		"new: add a2, a2, a1\n";

	same_as_stepping(src);
	hwt_init(&t);
	hwt_asm(&t, src);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S2), 400, "s2 = %u", REG(&t, S2));
	cr_expect_eq(REG(&t, A2), 300);
	hwt_fini(&t);
}

/* Pairs and near branches comparing with r0 (beqz, bnez, bltz, bgez and
 * the unsigned forms, which are never / always taken) test the value
 * against 0 without reading r0: every kind after addi, add, lbu and lw,
 * each taken on some passes and not on others; and lbu/lw pairs whose
 * address register the instruction before computed (taken from L). */
Test(hw_block, branches_comparing_with_zero)
{
	struct hwt t;
	static const char *const br[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu" };
	char src[8192];
	int n = snprintf(src, sizeof src,
			 "_start: la s0, vals\n li s2, 4\n"
			 "l: lw a3, 0(s0)\n lbu a2, 0(s0)\n");

	for (unsigned i = 0; i < 6; i++)
		n += snprintf(src + n, sizeof src - (size_t)n,
			      " addi a0, a3, -1\n %s a0, zero, 1f\n addi s1, s1, 1\n"
			      "1: add a1, a3, a3\n %s a1, zero, 1f\n addi s1, s1, 2\n"
			      "1: lbu a0, 0(s0)\n %s a0, zero, 1f\n addi s1, s1, 4\n"
			      "1: lw a1, 0(s0)\n %s a1, zero, 1f\n addi s1, s1, 8\n"
			      "1: %s a2, zero, 1f\n addi s1, s1, 16\n"
			      "1: add t0, s0, zero\n lbu a0, 0(t0)\n %s a0, zero, 1f\n addi s1, s1, 32\n"
			      "1: add t1, s0, zero\n lw a1, 0(t1)\n %s a1, a2, 1f\n addi s1, s1, 64\n"
			      "1: slli s1, s1, 1\n",
			      br[i], br[i], br[i], br[i], br[i], br[i], br[i]);
	snprintf(src + n, sizeof src - (size_t)n,
		 " addi s0, s0, 4\n addi s2, s2, -1\n bnez s2, l\n out s1, 0x20(zero)\n"
		 " .data\nvals: .word 1, 0, 0x80000000, 0x7fffff00\n");
	same_as_stepping(src);

	/* The same through the checking loop alone. */
	uint32_t expect;
	hwt_init(&t);
	hwt_asm(&t, src);
	while (hw_step(t.m, &t.ex) == HW_EXIT_STEP)
		;
	expect = REG(&t, S1);
	hwt_fini(&t);
	hwt_init(&t);
	hwt_asm(&t, src);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S1), expect, "s1 = 0x%x, stepping 0x%x", REG(&t, S1), expect);
	hwt_fini(&t);
}

/* mv; mv runs as one handler (cpu.c mv_pair) in the nine combinations of
 * where the two sources come from (the register file, the window's L or
 * P, the first's result), with the results entering the window as two
 * instructions' would; entered at a block's start, where the window
 * holds other registers than the fall-through's; writing r0; and split
 * again when a store rewrites the second mv.  Each pair is set up by two
 * results (y then x) and followed by an add reading both copies from the
 * window. */
#define MV_PAIR(first, second) \
	" addi a0, s1, 1\n addi a1, s2, 2\n mv t1, " first "\n mv t2, " second "\n" \
	" add a2, t1, t2\n add s3, s3, a2\n slli s3, s3, 1\n"
#define MV_PAIR_PROGRAM \
	"_start: li s0, 3\n li s1, 5\n li s2, 7\n la t0, patch\n la a3, new\n lw a3, 0(a3)\n" \
	"l:" MV_PAIR("s1", "s2") MV_PAIR("s1", "t1") MV_PAIR("s1", "a1") \
	MV_PAIR("a1", "s2") MV_PAIR("a1", "t1") MV_PAIR("a1", "a1") \
	MV_PAIR("a0", "s2") MV_PAIR("a0", "t1") MV_PAIR("a0", "a1") \
	" mv t1, t2\n mv t2, t1\n mv t2, s1\n add s3, s3, t2\n" \
	" mv zero, a1\n mv t1, zero\n add s3, s3, t1\n" \
	" andi a2, s0, 1\n beqz a2, m\n addi a1, s0, 50\n" \
	"m: mv t1, a1\n mv t2, a1\n add s3, s3, t1\n add s3, s3, t2\n" \
	" mv t1, s1\n" \
	"patch: mv t2, s2\n add s3, s3, t2\n sw a3, 0(t0)\n" \
	" addi s1, s1, 3\n addi s2, s2, 11\n addi s0, s0, -1\n bnez s0, l\n" \
	" out s3, 0x20(zero)\n" \
	"new: addi t2, t1, 100\n"

Test(hw_block, mv_pairs_take_their_sources_from_the_right_place)
{
	struct hwt t;
	uint32_t s1 = 5, s2 = 7, s3 = 0;

	for (int pass = 3; pass > 0; pass--) {
		uint32_t a0 = s1 + 1, a1 = s2 + 2;
		uint32_t firsts[3] = { s1, a1, a0 }, seconds[3] = { s2, 0, a1 };

		for (int f = 0; f < 3; f++)
			for (int s = 0; s < 3; s++) {
				uint32_t t1 = firsts[f], t2 = s == 1 ? t1 : seconds[s];

				s3 = (s3 + t1 + t2) << 1;
			}
		s3 += s1;		/* mv t2, s1 after the swap */
		/* m: reached by falling through (a1 from L and P) or by the
		 * branch (a1 from the register file) */
		s3 += 2 * (pass & 1 ? (uint32_t)pass + 50 : a1);
		s3 += pass == 3 ? s2 : s1 + 100;	/* patch: rewritten after pass 1 */
		s1 += 3;
		s2 += 11;
	}
	same_as_stepping(MV_PAIR_PROGRAM);
	hwt_init(&t);
	hwt_asm(&t, MV_PAIR_PROGRAM);
	hwt_run_off(&t);
	cr_expect_eq(REG(&t, S3), s3, "s3 = 0x%x, expected 0x%x", REG(&t, S3), s3);
	hwt_fini(&t);
}

/* A store followed by an addi or add + branch pair runs as one handler
 * (cpu.c store_pair): sb, sh and sw, with addi and add, comparing with a
 * register and with r0; its first store misses the fast TLB (the plain
 * store runs, then the pair); a store into its own pair's addi (a code
 * page: the slow path) must run the new instruction; a store that faults
 * traps on its tick.  l1, l7 and l8 are loops of the one handler, which
 * keeps the address in a host register from pass to pass (cpu.c
 * store_loop): l7 runs from a data page into the code page (the slow
 * path, rewriting the program's first words), l8 off the end of RAM
 * (a page per pass; run twice, so that the second run finds its first
 * pages in the fast TLB and must still fault beyond them); l9 stores the
 * address it counts, so its data changes from pass to pass. */
#define STORE_PAIR_PROGRAM \
	"_start: la t0, handler\n mtcr tvec, t0\n la s0, buf\n addi s2, s0, 8\n li s1, 0x12345a\n" \
	"l1: sb s1, 0(s0)\n addi s0, s0, 1\n bltu s0, s2, l1\n" \
	" li s3, 4\n" \
	"l2: sh s1, 0(s0)\n addi s3, s3, -1\n bnez s3, l2\n" \
	" li a1, 3\n li a2, 12\n" \
	"l3: sw s1, 4(s0)\n add a0, a0, a1\n blt a0, a2, l3\n" \
	" li s3, -9\n" \
	"l4: sb s3, 8(s0)\n add s3, s3, a1\n bltz s3, l4\n" \
	" la t0, patch\n la t1, new\n lw t1, 0(t1)\n li a2, 5\n" \
	"l5: sw t1, 0(t0)\n" \
	"patch: addi gp, gp, 1\n bltu gp, a2, l5\n" \
	" lui a3, 0x7000\n li s2, 2\n" \
	"l6: sw s1, 0(a3)\n addi s2, s2, -1\n bnez s2, l6\n" \
	" li a3, 0xff0\n li a1, 0x1010\n" \
	"l7: sw s1, 0(a3)\n addi a3, a3, 4\n bltu a3, a1, l7\n" \
	" li a2, 0x8000\n li a1, 0x110000\n li sp, 2\n" \
	"l8o: li t3, 0xe8000\n" \
	"l8: sb s1, 0(t3)\n add t3, t3, a2\n bltu t3, a1, l8\n" \
	" addi sp, sp, -1\n bnez sp, l8o\n" \
	" la a3, buf2\n addi a1, a3, 16\n" \
	"l9: sw a3, 0(a3)\n addi a3, a3, 4\n bltu a3, a1, l9\n" \
	" lw a0, 0(s0)\n add a0, a0, gp\n out a0, 0x20(zero)\n" \
	"handler: mfcr t2, icount\n add ra, ra, t2\n mfcr t2, epc\n addi t2, t2, 4\n" \
	" mtcr epc, t2\n rfe\n" \
	"new: addi gp, gp, 2\n" \
	" .data\nbuf: .word 0, 0, 0, 0, 0\nbuf2: .word 0, 0, 0, 0\n"

Test(hw_block, store_pairs_store_then_count_and_branch)
{
	struct hwt t;

	same_as_stepping(STORE_PAIR_PROGRAM);
	hwt_init(&t);
	hwt_asm(&t, STORE_PAIR_PROGRAM);
	hwt_run_off(&t);
	cr_expect_eq(hwt_word(&t, hwt_sym(&t, "buf")), 0x5a5a5a5a);
	cr_expect_eq(hwt_word(&t, hwt_sym(&t, "buf") + 8), 0x345a, "sh");
	cr_expect_eq(hwt_word(&t, hwt_sym(&t, "buf") + 12), 0x12345a, "sw");
	cr_expect_eq(hwt_word(&t, hwt_sym(&t, "buf") + 16) & 0xff, 0xfd, "sb: -3");
	cr_expect_eq(REG(&t, GP), 6, "the patched addi adds 2 from the first pass on");
	cr_expect_eq(REG(&t, S2), 0, "both faulting stores were skipped");
	cr_expect_neq(REG(&t, RA), 0, "the handler ran");
	cr_expect_eq(hwt_word(&t, 0xffc), 0x12345a, "l7, in the data page");
	cr_expect_eq(hwt_word(&t, 0x100c), 0x12345a, "l7, in the code page");
	cr_expect_eq(REG(&t, T3), 0x110000, "l8: 5 passes, the last 2 faulting");
	cr_expect_eq(REG(&t, SP), 0);
	for (uint32_t a = hwt_sym(&t, "buf2"); a < hwt_sym(&t, "buf2") + 16; a += 4)
		cr_expect_eq(hwt_word(&t, a), a, "l9 stores its own address at 0x%x", a);
	hwt_fini(&t);
}

/* A store loop whose branch compares the counted register with itself
 * (beq a3, a3: taken for ever) must read its new value at every pass,
 * not the one it had when the loop started (cpu.c store_loop); it never
 * powers off, so it is compared with stepping at every budget up to 300
 * ticks, 100 passes. */
Test(hw_block, a_store_loop_branching_on_its_counter_alone)
{
	static struct snap a;
	const char *src = "_start: la a3, buf\n li s1, 7\n"
			  "l: sw s1, 0(a3)\n addi a3, a3, 4\n beq a3, a3, l\n"
			  " .data\nbuf: .space 512\n";

	for (uint64_t budget = 1; budget <= 300; budget++)
		cr_assert_eq(same_at_budget(src, budget, &a), HW_EXIT_BUDGET);
}
