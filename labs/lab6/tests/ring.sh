# ring - the block ring's backend (tasks 5, 6, 7; progs/ring.s): three
# read chains in one batch and one kick, HC_BLOCK until the disk's
# interrupt, the data, the status bytes (an I/O error for the read past
# the disk's end), the used ring, and the ack.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=100000
yes "vmlab disk pattern 0123456789" | head -c 8192 > pattern.img
DISK=pattern.img
assemble ring.elf "$LAB/tests/progs/ring.s"
pv ring ring.elf
check 1 "powers off with 0" exits $RC_VMM 0
check 2 "the kick: 3 chains not yet served" reg ring 12 0x00000003
check 2 "HC_BLOCK returns the disk's cause (18)" reg ring 14 0x00000012
check 2 "HC_BLOCK waited the disk's latency (1024 ticks)" reg ring 13 0x00000400
check 3 "sector 0 arrived in the buffer" reg ring 11 0x616c6d76
check 2 "the first chain's status: 0 (ok)" reg ring 6 0x00000000
check 2 "the second chain's status: 0 (ok)" reg ring 8 0x00000000
check 2 "the read past the disk's end: status 1 (I/O error)" reg ring 9 0x00000001
check 2 "used.idx: 3" reg ring 10 0x00000003
check 1 "used.ring[0].len: 513 (a sector and the status byte)" reg ring 7 0x00000201
check 1 "the ack lowers the disk line" reg ring 15 0x00000000
finish
