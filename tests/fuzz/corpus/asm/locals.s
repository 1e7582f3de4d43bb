_start:
1:	addi a0, a0, 1
	bnez a0, 1f
	beq a0, a1, 1b
1:	blt a0, a1, 2f
	bgtu a1, a0, 1b
2:	jal ra, 1b
	jalr t0
	jr ra
	seqz a0, a1
	snez a0, a1
	not a2, a3
	neg a2, a3
	mv s0, sp
	bgez a0, 2b
	blez a0, 2b
	bgtz a0, 2f
2:	ble a0, a1, 2b
