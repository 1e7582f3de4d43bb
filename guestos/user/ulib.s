# ulib.s - the user library, linked into every user program (first, so
# that _start is where the text begins).
#
# System calls (guestos/README.md): the number in t0, the arguments in
# a0-a2, `syscall`; the result comes back in a0, negative on error, and
# every other register is preserved.  So each wrapper is two instructions
# and follows the ordinary calling convention.

	.equ	SYS_EXIT, 0
	.equ	SYS_WRITE, 1
	.equ	SYS_READ, 2
	.equ	SYS_GETPID, 3
	.equ	SYS_YIELD, 4
	.equ	SYS_SLEEP, 5
	.equ	SYS_SBRK, 6

	.text
	.globl	_start, exit, write, read, getpid, yield, sleep, sbrk
	.globl	strlen, puts, printf

# The process starts here with sp at the top of its stack and every other
# register 0.  main's return value is the exit status.
_start:
	call	main
	# fall through

exit:	li	t0, SYS_EXIT		# exit(status): does not return
	syscall
write:	li	t0, SYS_WRITE		# write(fd, buf, len) -> len
	syscall
	ret
read:	li	t0, SYS_READ		# read(fd, buf, len) -> n, 0 at the end
	syscall
	ret
getpid:	li	t0, SYS_GETPID		# getpid() -> pid
	syscall
	ret
yield:	li	t0, SYS_YIELD		# yield() -> 0
	syscall
	ret
sleep:	li	t0, SYS_SLEEP		# sleep(ticks) -> 0
	syscall
	ret
sbrk:	li	t0, SYS_SBRK		# sbrk(pages) -> old end of the heap
	syscall
	ret

# strlen(a0 = string) -> a0 = its length
strlen:
	mv	t0, a0
1:	lbu	t1, 0(t0)
	beqz	t1, 2f
	addi	t0, t0, 1
	j	1b
2:	sub	a0, t0, a0
	ret

# puts(a0 = string) -> what write returns.  No newline is added.
puts:
	addi	sp, sp, -8
	sw	ra, 0(sp)
	sw	a0, 4(sp)
	call	strlen
	mv	a2, a0
	lw	a1, 4(sp)
	li	a0, 1
	call	write
	lw	ra, 0(sp)
	addi	sp, sp, 8
	ret

# printf(a0 = format, a1, a2, a3 = up to three arguments) -> what write
# returns.  Conversions: %d (signed decimal), %u, %x (8 hex digits), %s,
# %c, %%.  The text is built in a buffer and written with one write, so a
# line is never split by another process's output.  At most 120 bytes.
	.equ	PF_BUF, 32		# the frame: 8 saved words, then the buffer
	.equ	PF_SIZE, 128
printf:
	addi	sp, sp, -(PF_BUF + PF_SIZE)
	sw	ra, 0(sp)
	sw	s0, 4(sp)
	sw	s1, 8(sp)
	sw	s2, 12(sp)
	sw	s3, 16(sp)
	sw	a1, 20(sp)		# the arguments, in order
	sw	a2, 24(sp)
	sw	a3, 28(sp)
	mv	s0, a0			# s0 = format
	addi	s1, sp, PF_BUF		# s1 = next free byte of the buffer
	addi	s2, sp, 20		# s2 = next argument
	addi	s3, sp, PF_BUF + PF_SIZE - 8	# s3 = end of the usable buffer
pf_loop:
	lbu	a0, 0(s0)
	beqz	a0, pf_done
	addi	s0, s0, 1
	li	t0, 37			# '%'
	bne	a0, t0, pf_char
	lbu	a0, 0(s0)
	beqz	a0, pf_done
	addi	s0, s0, 1
	li	t0, 37
	beq	a0, t0, pf_char
	li	t0, 99			# 'c'
	beq	a0, t0, pf_c
	li	t0, 115			# 's'
	beq	a0, t0, pf_s
	li	t0, 120			# 'x'
	beq	a0, t0, pf_x
	li	t0, 117			# 'u'
	beq	a0, t0, pf_u
	li	t0, 100			# 'd'
	bne	a0, t0, pf_char		# unknown: print the letter
	lw	a0, 0(s2)		# %d
	addi	s2, s2, 4
	bgez	a0, 1f
	neg	a0, a0
	li	t0, 45			# '-'
	jal	ra, pf_put
1:	jal	ra, pf_dec
	j	pf_loop
pf_u:	lw	a0, 0(s2)
	addi	s2, s2, 4
	jal	ra, pf_dec
	j	pf_loop
pf_c:	lw	a0, 0(s2)
	addi	s2, s2, 4
pf_char:
	mv	t0, a0
	jal	ra, pf_put
	j	pf_loop
pf_s:	lw	t1, 0(s2)
	addi	s2, s2, 4
1:	lbu	t0, 0(t1)
	beqz	t0, pf_loop
	jal	ra, pf_put
	addi	t1, t1, 1
	j	1b
pf_x:	lw	a0, 0(s2)
	addi	s2, s2, 4
	li	t1, 28
1:	srl	t0, a0, t1
	andi	t0, t0, 15
	addi	t0, t0, 48		# '0'
	li	t2, 58
	blt	t0, t2, 2f
	addi	t0, t0, 39		# 'a' - '0' - 10
2:	jal	ra, pf_put
	addi	t1, t1, -4
	bgez	t1, 1b
	j	pf_loop
pf_done:
	li	a0, 1
	addi	a1, sp, PF_BUF
	sub	a2, s1, a1
	call	write
	lw	ra, 0(sp)
	lw	s0, 4(sp)
	lw	s1, 8(sp)
	lw	s2, 12(sp)
	lw	s3, 16(sp)
	addi	sp, sp, PF_BUF + PF_SIZE
	ret

# pf_put(t0 = byte): append to the buffer if there is room.  Uses nothing
# else.
pf_put:
	bgeu	s1, s3, 1f
	sb	t0, 0(s1)
	addi	s1, s1, 1
1:	ret

# pf_dec(a0 = unsigned value): append it in decimal.  The digits come out
# last first: push them on the stack, then pop.  Uses t0-t3, a0.
pf_dec:
	mv	t3, ra
	mv	t1, sp
	li	t2, 10
1:	remu	t0, a0, t2
	addi	t0, t0, 48
	addi	sp, sp, -4
	sw	t0, 0(sp)
	divu	a0, a0, t2
	bnez	a0, 1b
2:	lw	t0, 0(sp)
	addi	sp, sp, 4
	jal	ra, pf_put
	bne	sp, t1, 2b
	jr	t3
