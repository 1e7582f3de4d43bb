# jit_mix.s - what the translation spike (jit_spike.c) must get right beyond
# the benchmark loops; jit.sh compares it with the interpreter at many
# budgets.  2000 rounds of: every translated ALU, load and store kind, with
# registers that live in the spike's frame (ra, gp, a2, a3) as well as in
# host registers; a timer interrupt every 997 ticks, landing anywhere in
# translated code; every 64th round a misaligned load, a load beyond RAM
# (BUS) and a misaligned jalr, each a trap from inside a translated block;
# every 16th a store that rewrites an instruction of the loop, which must
# run as rewritten right after it; a call and return through jal and jalr.  Powers off with
# the checksum's low byte.
	.equ	IRQ_TIMER, 0x1
	.equ	DATA, 0x80000
_start:	la	t0, handler
	mtcr	tvec, t0
	li	s0, 0			# checksum
	li	s1, 2000		# rounds left
	li	s2, 0
	li	s3, 0			# traps taken (the handler's)
	mfcr	t0, icount
	addi	t0, t0, 997
	mtcr	timecmp, t0
	li	t0, IRQ_TIMER
	mtcr	imask, t0
	li	t0, 3			# KM | IE
	mtcr	status, t0
loop:	addi	a2, s1, 12345
	slli	a3, a2, 3
	xor	gp, a2, a3
	srai	ra, gp, 2
	srli	t0, gp, 5
	sub	t1, ra, t0
	and	t2, t1, a3
	or	t3, t2, a2
	slt	a0, t1, t0
	sltu	a1, t1, t0
	add	s0, s0, a0
	add	s0, s0, a1
	slti	a0, t3, -5
	sltiu	a1, t3, 100
	add	s0, s0, a0
	sub	s0, s0, a1
	mul	ra, ra, a2
	xori	ra, ra, 0x5a5a
	ori	gp, ra, 0x0f0f
	andi	a3, gp, 0xfff0
	lui	a0, 0xbeef
	add	ra, ra, a0
	add	s0, s0, ra
	add	s0, s0, gp
	add	s0, s0, a3
	andi	t0, s1, 0x3ff		# memory at DATA + 4 * (s1 & 0x3ff)
	slli	t0, t0, 2
	li	t1, DATA
	add	t0, t0, t1
	sw	gp, 0(t0)
	sh	a2, 2(t0)
	sb	a3, 1(t0)
	lb	t1, 1(t0)
	lh	t2, 2(t0)
	lhu	t3, 2(t0)
	lw	a0, 0(t0)
	lbu	a1, 3(t0)
	add	s0, s0, t1
	add	s0, s0, t2
	add	s0, s0, t3
	add	s0, s0, a0
	add	s0, s0, a1
	andi	t0, s1, 63
	bnez	t0, smc
	li	t1, 0x102
	lw	t2, 0(t1)		# MISALIGNED, skipped by the handler
	lui	t1, 0x4000
	lbu	t2, 0(t1)		# BUS: 1 GiB is beyond RAM
	li	t1, 6
	jalr	ra, 0(t1)		# MISALIGNED jalr: ra stays
	add	s0, s0, s3
smc:	andi	t0, s1, 15
	bnez	t0, patched
	la	t0, patched		# patched's immediate = s1 & 0xff
	lw	t1, 0(t0)
	srli	t1, t1, 16
	slli	t1, t1, 16
	andi	t2, s1, 0xff
	or	t1, t1, t2
	sw	t1, 0(t0)
patched:
	addi	s2, s2, 0
	add	s0, s0, s2
	call	leaf
	addi	s1, s1, -1
	bnez	s1, loop
	add	s0, s0, s3
	out	s0, 0x20(zero)

leaf:	addi	s0, s0, 7
	ret

# Count the trap in s3; an exception resumes after the instruction, the
# timer is set 997 ticks ahead.
handler:
	mtcr	scratch, t0
	addi	s3, s3, 1
	mfcr	t0, cause
	addi	t0, t0, -16
	bltz	t0, exc
	mfcr	t0, icount
	addi	t0, t0, 997
	mtcr	timecmp, t0
	mfcr	t0, scratch
	rfe
exc:	mfcr	t0, epc
	addi	t0, t0, 4
	mtcr	epc, t0
	mfcr	t0, scratch
	rfe
