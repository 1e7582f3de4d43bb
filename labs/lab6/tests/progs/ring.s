# ring.s - the block ring (vm/vmm/HYPERCALLS.md, "The block ring") under
# vmlab run --pv with a disk of the pattern "vmlab disk pattern 0123456789\n":
# three read chains in one batch, one kick; HC_BLOCK waits for the disk
# line; an ack lowers it.  The third reads past the disk's end.  Results:
#   s0 (r12) = 3, the kick's chains not yet served
#   s1 (r13) = the ticks HC_BLOCK waited (at least 1024, the disk latency)
#   s2 (r14) = 18, the cause HC_BLOCK returned (disk)
#   s3 (r15) = ipend after the ack (the disk line, 4, down)
#   t3 (r11) = the first word of sector 0 read ("vmla": 0x616c6d76)
#   a2, t0, t1 (r6, r8, r9) = the three status bytes: 0, 0, 1 (I/O error)
#   t2 (r10) = used.idx: 3      a3 (r7) = used.ring[0].len: 513
	li	a0, 8
	la	a1, ring
	li	a2, 16
	hcall
	la	t0, ring
	la	t1, hdr0
	sw t1, 0(t0)
	li t1, 8
	sw t1, 4(t0)
	li	t1, 0x10001
	sw t1, 8(t0)
	la	t1, buf0
	sw t1, 12(t0)
	li t1, 512
	sw t1, 16(t0)
	li	t1, 0x20003
	sw t1, 20(t0)
	la	t1, st0
	sw t1, 24(t0)
	li t1, 1
	sw t1, 28(t0)
	li	t1, 2
	sw t1, 32(t0)
	la	t1, hdr1
	sw t1, 36(t0)
	li t1, 8
	sw t1, 40(t0)
	li	t1, 0x40001
	sw t1, 44(t0)
	la	t1, buf1
	sw t1, 48(t0)
	li t1, 512
	sw t1, 52(t0)
	li	t1, 0x50003
	sw t1, 56(t0)
	la	t1, st1
	sw t1, 60(t0)
	li t1, 1
	sw t1, 64(t0)
	li	t1, 2
	sw t1, 68(t0)
	la	t1, hdr2
	sw t1, 72(t0)
	li t1, 8
	sw t1, 76(t0)
	li	t1, 0x70001
	sw t1, 80(t0)
	la	t1, buf1
	sw t1, 84(t0)
	li t1, 512
	sw t1, 88(t0)
	li	t1, 0x80003
	sw t1, 92(t0)
	la	t1, st2
	sw t1, 96(t0)
	li t1, 1
	sw t1, 100(t0)
	li	t1, 2
	sw t1, 104(t0)
	li	t1, 0
	sh t1, 1028(t0)
	li	t1, 3
	sh t1, 1030(t0)
	li	t1, 6
	sh t1, 1032(t0)
	li	t1, 3
	sh t1, 1026(t0)
	li	a0, 9
	li	a1, 1
	hcall
	mv	s0, a0
	mfcr	s1, icount
	li	a0, 5
	li	a1, 4
	hcall
	mv	s2, a0
	mfcr	t1, icount
	sub	s1, t1, s1
	li	a0, 9
	li	a1, 2
	hcall
	mfcr	s3, ipend
	la	t0, buf0
	lw	t3, 0(t0)
	la	t0, st0
	lb	a2, 0(t0)
	lb	t1, 2(t0)
	lb	t0, 1(t0)
	la	t2, ring
	lw	a3, 2056(t2)		# used.ring[0] = { id, len }: its len
	lhu	t2, 2050(t2)
	out	zero, 0x20(zero)
	.data
hdr0:	.word	0, 0
hdr1:	.word	0, 1
hdr2:	.word	0, 99
st0:	.byte	9
st1:	.byte	9
st2:	.byte	9
	.align	512
buf0:	.space	512
buf1:	.space	512
	.align	4096
ring:	.space	4096
