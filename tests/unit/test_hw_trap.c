/*
 * test_hw_trap.c - traps and interrupts against ISA.md sections 5, 7 and
 * 8: every exception cause with its epc/cause/badva/status, rfe, nesting,
 * priority, masking, the IE-enable edge, and double faults.
 */
#include "test_hw_util.h"

/* A handler that stops the machine with the cause as exit code; the
 * control registers are then read from the stopped machine. */
#define STOP_HANDLER \
	"handler:	mfcr	a0, cause\n" \
	"		out	a0, 0x20(zero)\n"

/* Prologue: tvec = handler; then enter user mode at 'user' by rfe with
 * status = st (KM = 1, PKM = 0, PIE = the IE wanted in user mode). */
#define TO_USER(st) \
	"	la	t0, handler\n" \
	"	mtcr	tvec, t0\n" \
	"	la	t0, user\n" \
	"	mtcr	epc, t0\n" \
	"	li	t0, " st "\n" \
	"	mtcr	status, t0\n" \
	"	rfe\n"

static void run_expect_cause(struct hwt *t, unsigned cause)
{
	cr_assert_eq(hwt_run_off(t), cause, "cause %u (%s), wanted %s", CR(t, CAUSE),
		     isa_cause_name(CR(t, CAUSE)), isa_cause_name(cause));
	cr_assert_eq(CR(t, CAUSE), cause);
}

Test(hw_trap, syscall_break_hcall_epc_is_the_instruction_badva_0)
{
	static const char *const insn[] = { "syscall", "break", "hcall" };
	static const unsigned cause[] = { ISA_CAUSE_SYSCALL, ISA_CAUSE_BREAK, ISA_CAUSE_HCALL };

	for (int i = 0; i < 3; i++) {
		struct hwt t;
		char src[1024];

		hwt_init(&t);
		snprintf(src, sizeof src,
			 "_start:\n" TO_USER("0x9")
			 "user:	addi	t1, zero, 77\n"
			 "here:	%s\n"
			 "	addi	t1, zero, 1\n"
			 STOP_HANDLER, insn[i]);
		hwt_asm(&t, src);
		hw_set_cr(t.m, ISA_CR_BADVA, 0x5555);
		run_expect_cause(&t, cause[i]);
		cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "here"), "%s: epc = its own address", insn[i]);
		cr_expect_eq(CR(&t, BADVA), 0, "%s: badva = 0", insn[i]);
		/* From user mode with IE = 1: PKM = 0, PIE = 1, KM = 1, IE = 0. */
		cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_KM, "%s: status 0x%x", insn[i],
			     CR(&t, STATUS));
		cr_expect_eq(REG(&t, T1), 77, "%s does not retire into the next insn", insn[i]);
		hwt_fini(&t);
	}
}

Test(hw_trap, trap_from_kernel_sets_pkm)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start:	la t0, handler\n	mtcr tvec, t0\n	syscall\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_SYSCALL);
	cr_expect_eq(CR(&t, STATUS), ISA_ST_PKM | ISA_ST_KM);
	hwt_fini(&t);
}

Test(hw_trap, every_privileged_instruction_traps_in_user_mode)
{
	static const char *const insn[] = {
		"mfcr a0, status", "mtcr status, zero", "rfe", "wfi", "tlbflush",
		"tlbinv a0", "in a0, 0x21(zero)", "out zero, 0x20(zero)", "rdst a0", "setie a0",
	};

	for (size_t i = 0; i < sizeof insn / sizeof insn[0]; i++) {
		struct hwt t;
		char src[1024];
		uint32_t word;

		hwt_init(&t);
		snprintf(src, sizeof src, "_start:\n" TO_USER("0x1")
			 "user:	li	a0, 7\n	%s\n	li a0, 9\n" STOP_HANDLER, insn[i]);
		hwt_asm(&t, src);
		run_expect_cause(&t, ISA_CAUSE_PRIVILEGED);
		word = hwt_word(&t, CR(&t, EPC));
		cr_expect_eq(CR(&t, BADVA), word, "%s: badva = the instruction word", insn[i]);
		cr_expect_eq(isa_table[isa_decode(word).op].cls & ISA_C_PRIV, ISA_C_PRIV);
		cr_expect_eq(CR(&t, STATUS), ISA_ST_KM, "%s: from user, IE off", insn[i]);
		hwt_fini(&t);
	}
}

/* ISA.md 15: on PG32-L the LEAK rows run in user mode without a trap:
 * rdst reads the real status, setie changes nothing.  The same program
 * on PG32 traps PRIVILEGED at the first of them. */
Test(hw_trap, pg32l_rdst_and_setie_do_not_trap_in_user_mode)
{
	static const char src[] =
		"_start:\n" TO_USER("0x9")
		"user:	rdst	s1\n"		/* KM = 0, IE = 1, PIE = 1: 0xa */
		"	setie	zero\n"	/* POPF: IE = 0 silently ignored */
		"	rdst	s2\n"
		"	syscall\n" STOP_HANDLER;
	struct hwt t;

	hwt_init_isa(&t, 1, -1, NULL, ISA_PG32L);
	hwt_asm(&t, src);
	run_expect_cause(&t, ISA_CAUSE_SYSCALL);
	cr_expect_eq(REG(&t, S1), ISA_ST_PIE | ISA_ST_IE, "rdst in user mode: 0x%x", REG(&t, S1));
	cr_expect_eq(REG(&t, S2), ISA_ST_PIE | ISA_ST_IE, "IE after setie zero: 0x%x",
		     REG(&t, S2));
	/* The trap entry saw IE = 1 (PIE): setie really did nothing. */
	cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_KM);
	hwt_fini(&t);

	hwt_init(&t);
	hwt_asm(&t, src);
	run_expect_cause(&t, ISA_CAUSE_PRIVILEGED);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "user"), "PG32: rdst traps");
	hwt_fini(&t);
}

/* In kernel mode the variants agree: rdst = status, setie sets IE with the
 * effect of a status write (a pending interrupt is taken at once). */
Test(hw_trap, rdst_and_setie_in_kernel_mode_on_both_variants)
{
	for (int v = 0; v < ISA_NVARIANT; v++) {
		struct hwt t;

		hwt_init_isa(&t, 1, -1, NULL, (enum isa_variant)v);
		hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n"
			    " rdst s1\n"
			    " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
			    " addi s0, s0, 1\n addi s0, s0, 1\n"	/* pending, IE off */
			    " li t0, 3\n"			/* bit 0 set: IE = 1 */
			    " setie t0\n"
			    "after: addi s0, s0, 1\n" STOP_HANDLER);
		run_expect_cause(&t, ISA_CAUSE_TIMER);
		cr_expect_eq(REG(&t, S1), ISA_ST_KM, "%s: rdst at reset", isa_variant_name(v));
		cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "after"), "%s: epc after setie",
			     isa_variant_name(v));
		cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_PKM | ISA_ST_KM);
		cr_expect_eq(REG(&t, S0), 2);
		hwt_fini(&t);
	}
}

Test(hw_trap, illegal_has_the_word_as_badva_and_comes_before_privileged)
{
	/* 0x604c0000 is mfcr a0, cr12: no such control register. */
	static const uint32_t words[] = { 0x00000000, 0xffffffff, 0x604c0000, 0x01000001 };

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct hwt t;
		char src[1024];

		hwt_init(&t);
		snprintf(src, sizeof src, "_start:\n" TO_USER("0x1")
			 "user:	.word 0x%08x\n" STOP_HANDLER, words[i]);
		hwt_asm(&t, src);
		run_expect_cause(&t, ISA_CAUSE_ILLEGAL);
		cr_expect_eq(CR(&t, BADVA), words[i]);
		hwt_fini(&t);
	}
}

Test(hw_trap, bus_for_memory_outside_ram_and_unassigned_ports)
{
	struct hwt t;

	hwt_init(&t);	/* 1 MiB */
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t1, 0x100000\n"
		    " lw a0, 4(t1)\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_BUS);
	cr_expect_eq(CR(&t, BADVA), 0x100004);
	hwt_fini(&t);

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t1, 0x30\n"
		    " li a0, 5\n in a0, 3(t1)\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_BUS);
	cr_expect_eq(CR(&t, BADVA), 0x33, "badva = the port");
	hwt_fini(&t);

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n"
		    " out a0, 0x16(zero)\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_BUS);
	cr_expect_eq(CR(&t, BADVA), 0x16);
	hwt_fini(&t);

	/* A jump outside RAM: fetch BUS, badva = epc = the target. */
	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t1, 0x200000\n"
		    " jalr ra, 0(t1)\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_BUS);
	cr_expect_eq(CR(&t, BADVA), 0x200000);
	cr_expect_eq(CR(&t, EPC), 0x200000);
	hwt_fini(&t);
}

Test(hw_trap, rfe_restores_mode_and_ie_but_not_pkm_pie)
{
	struct hwt t;

	hwt_init(&t);
	/* status = PIE|PKM|KM; rfe -> KM = 1 (PKM), IE = 1 (PIE), PKM/PIE kept. */
	hwt_asm(&t, "_start: la t0, next\n mtcr epc, t0\n li t0, 0xd\n mtcr status, t0\n"
		    " rfe\n"
		    "next: mfcr a0, status\n out a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), ISA_ST_PIE | ISA_ST_PKM | ISA_ST_IE | ISA_ST_KM);
	hwt_fini(&t);
}

Test(hw_trap, rfe_to_user_then_syscall_and_back)
{
	struct hwt t;

	hwt_init(&t);
	/* The kernel handler skips the syscall (epc += 4) and returns to
	 * user mode, which then loops until a counter reaches 3. */
	hwt_asm(&t, "_start:\n" TO_USER("0x9")
		    "user:	addi	s0, s0, 1\n"
		    "	syscall\n"
		    "	li	t0, 3\n"
		    "	bne	s0, t0, user\n"
		    "	syscall\n"		/* the 4th: s1 = 4 */
		    "handler:\n"
		    "	addi	s1, s1, 1\n"
		    "	li	t0, 4\n"
		    "	beq	s1, t0, done\n"
		    "	mfcr	t0, epc\n"
		    "	addi	t0, t0, 4\n"
		    "	mtcr	epc, t0\n"
		    "	rfe\n"
		    "done:	mfcr	a0, status\n"
		    "	out	a0, 0x20(zero)\n");
	cr_assert_eq(hwt_run_off(&t), ISA_ST_PIE | ISA_ST_KM, "user mode, IE on before the trap");
	cr_expect_eq(REG(&t, S0), 3);
	cr_expect_eq(REG(&t, S1), 4);
	hwt_fini(&t);
}

/* ISA.md 7.5: a handler that saves epc and status can take a nested
 * syscall and still return to the right place in the right mode. */
Test(hw_trap, nested_trap_with_saved_state)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start:\n" TO_USER("0x9")
		    "user:	li	s0, 1\n"
		    "	syscall\n"		/* outer trap */
		    "back:	mfcr	a0, status\n"	/* user: PRIVILEGED, cause 2 */
		    "handler:\n"
		    "	mfcr	t0, cause\n"
		    "	li	t1, 2\n"
		    "	beq	t0, t1, privileged\n"
		    "	bnez	s2, inner\n"	/* second entry: the nested syscall */
		    "	li	s2, 1\n"
		    "	mfcr	s3, epc\n"	/* save the outer state */
		    "	mfcr	s1, status\n"
		    "	syscall\n"		/* nested trap, from kernel mode */
		    "	mtcr	status, s1\n"	/* restore */
		    "	addi	s3, s3, 4\n"
		    "	mtcr	epc, s3\n"
		    "	rfe\n"
		    "inner:	mfcr	t0, status\n"
		    "	li	t1, 0x5\n"	/* PKM = 1 (from kernel), KM = 1 */
		    "	bne	t0, t1, bad\n"
		    "	mfcr	t0, epc\n"
		    "	addi	t0, t0, 4\n"
		    "	mtcr	epc, t0\n"
		    "	li	s2, 2\n"
		    "	rfe\n"
		    "privileged:\n"
		    "	mfcr	a0, epc\n"
		    "	out	a0, 0x20(zero)\n"
		    "bad:	li	a0, 0xee\n"
		    "	out	a0, 0x20(zero)\n");
	/* The PRIVILEGED trap comes from 'back' in user mode. */
	cr_assert_eq(hwt_run_off(&t), hwt_sym(&t, "back") & 0xff);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "back"));
	cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_KM, "trapped from user mode with IE");
	cr_expect_eq(REG(&t, S2), 2);
	hwt_fini(&t);
}

/* --- interrupts ------------------------------------------------------- */

Test(hw_trap, timer_interrupt_beats_the_exception_of_the_next_instruction)
{
	struct hwt t;

	hwt_init(&t);
	/* timecmp = icount + 3 latches at the tick of the mtcr (ISA.md 10.2);
	 * with IE on the interrupt is taken before the syscall. */
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n"
		    " li t0, 3\n mtcr status, t0\n"
		    " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
		    "sc: syscall\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_TIMER);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "sc"), "epc = the syscall, not executed");
	cr_expect_eq(CR(&t, BADVA), 0);
	cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_PKM | ISA_ST_KM);
	cr_expect_eq(CR(&t, IPEND) & ISA_IRQ_TIMER, ISA_IRQ_TIMER, "still latched");
	hwt_fini(&t);
}

Test(hw_trap, masked_by_ie_and_by_imask)
{
	static const char *const setup[] = {
		" li t0, 1\n mtcr imask, t0\n",		/* IE off */
		" li t0, 3\n mtcr status, t0\n",	/* imask off */
	};

	for (int i = 0; i < 2; i++) {
		struct hwt t;
		char src[1024];

		hwt_init(&t);
		snprintf(src, sizeof src,
			 "_start: la t0, handler\n mtcr tvec, t0\n%s"
			 " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
			 " addi s0, s0, 1\n addi s0, s0, 1\n mfcr a0, ipend\n"
			 " out a0, 0x20(zero)\n" STOP_HANDLER, setup[i]);
		hwt_asm(&t, src);
		cr_expect_eq(hwt_run_off(&t), ISA_IRQ_TIMER, "case %d: pending but not taken", i);
		cr_expect_eq(REG(&t, S0), 2);
		hwt_fini(&t);
	}
}

Test(hw_trap, interrupt_taken_right_after_mtcr_status_enables_ie)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n"
		    " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
		    " addi s0, s0, 1\n addi s0, s0, 1\n"	/* pending, IE off */
		    " li t0, 3\n"
		    " mtcr status, t0\n"
		    "after: addi s0, s0, 1\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_TIMER);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "after"), "epc = the instruction after the mtcr");
	cr_expect_eq(REG(&t, S0), 2);
	hwt_fini(&t);
}

Test(hw_trap, interrupt_taken_after_rfe_enables_ie)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n mtcr imask, t0\n"
		    " la t0, user\n mtcr epc, t0\n li t0, 0x9\n mtcr status, t0\n"
		    " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
		    " nop\n rfe\n"
		    "user: addi s0, s0, 1\n" STOP_HANDLER);
	run_expect_cause(&t, ISA_CAUSE_TIMER);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "user"), "epc = the user entry, not executed");
	cr_expect_eq(CR(&t, STATUS), ISA_ST_PIE | ISA_ST_KM, "taken in user mode with IE");
	cr_expect_eq(REG(&t, S0), 0);
	hwt_fini(&t);
}

Test(hw_trap, several_pending_lowest_line_first)
{
	struct hwt t;
	int pipefd[2];

	/* Console input pending with RXIE (line 1) and the timer (line 0):
	 * the timer goes first; with the timer masked, the console. */
	for (int mask = 3; mask >= 2; mask--) {
		char src[1024];

		cr_assert_eq(pipe(pipefd), 0);
		cr_assert_eq(write(pipefd[1], "x", 1), 1);
		hwt_init_cfg(&t, 1, pipefd[0], NULL);
		snprintf(src, sizeof src,
			 "_start: la t0, handler\n mtcr tvec, t0\n li t0, 1\n out t0, 2(zero)\n"
			 " in t0, 1(zero)\n"		/* poll: RXREADY */
			 " mfcr t0, icount\n addi t0, t0, 3\n mtcr timecmp, t0\n"
			 " li t0, %d\n mtcr imask, t0\n"
			 " mfcr s0, ipend\n"
			 " li t0, 3\n mtcr status, t0\n nop\n" STOP_HANDLER, mask);
		hwt_asm(&t, src);
		run_expect_cause(&t, mask == 3 ? ISA_CAUSE_TIMER : ISA_CAUSE_CONSOLE);
		cr_expect_eq(REG(&t, S0), ISA_IRQ_TIMER | ISA_IRQ_CONSOLE, "both pending");
		hwt_fini(&t);
		close(pipefd[0]);
		close(pipefd[1]);
	}
}

/* --- double fault -------------------------------------------------------- */

Test(hw_trap, double_fault_when_the_handler_fetch_faults)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: li t0, 0x400000\n mtcr tvec, t0\nsc: syscall\n");
	cr_assert_eq(hwt_run(&t), HW_EXIT_DOUBLE_FAULT);
	cr_expect_eq(t.ex.pc, 0x400000);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_BUS);
	cr_expect_eq(t.ex.u.trap.badva, 0x400000);
	/* ISA.md 7.6: the state is as the first trap entry left it. */
	cr_expect_eq(hw_get_pc(t.m), 0x400000);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_SYSCALL);
	cr_expect_eq(CR(&t, EPC), hwt_sym(&t, "sc"));
	/* The machine stays stopped. */
	cr_expect_eq(hwt_run(&t), HW_EXIT_DOUBLE_FAULT);
	hwt_fini(&t);
}

Test(hw_trap, double_fault_when_the_handler_first_instruction_traps)
{
	struct hwt t;

	hwt_init(&t);
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n syscall\n"
		    "handler: .word 0\n");
	cr_assert_eq(hwt_run(&t), HW_EXIT_DOUBLE_FAULT);
	cr_expect_eq(t.ex.u.trap.cause, ISA_CAUSE_ILLEGAL);
	cr_expect_eq(CR(&t, CAUSE), ISA_CAUSE_SYSCALL);
	hwt_fini(&t);
}

Test(hw_trap, a_later_fault_in_the_handler_is_a_nested_trap)
{
	struct hwt t;

	hwt_init(&t);
	/* The handler's second instruction faults: an ordinary trap,
	 * re-entering the handler, which then stops on s0 == 2. */
	hwt_asm(&t, "_start: la t0, handler\n mtcr tvec, t0\n syscall\n"
		    "handler: addi s0, s0, 1\n li t0, 2\n beq s0, t0, out\n"
		    " lw t0, 1(zero)\n"
		    "out: mfcr a0, cause\n out a0, 0x20(zero)\n");
	run_expect_cause(&t, ISA_CAUSE_MISALIGNED);
	hwt_fini(&t);
}
