# iret - HC_IRET and the bounce (tasks 3, 4; progs/iret.s): the kernel
# leaves for user mode with every register from a frame; the user's
# syscall is bounced into the frame and the registered entry, with the
# cause in the shared page and sp = the frame.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=100000
assemble iret.elf "$LAB/tests/progs/iret.s"
pv iret iret.elf
check 2 "powers off with 0 (1: the syscall entered at tvec, not bounced; 2: HC_IRET returned)" exits $RC_VMM 0
check 4 "HC_IRET loads r1..r15 from the frame, the bounce saves them back: 15 words" reg iret 12 0x0000000f
check 2 "the bounce saves the syscall's pc in the frame" reg iret 13 0x00000000
check 2 "the bounce posts the cause (3, syscall) in the shared page" reg iret 14 0x00000003
check 2 "the bounce enters with sp = the frame" reg iret 15 0x00000000
check 2 "the bounce enters in kernel mode, IE off, from user mode with IE on (status 0x9)" reg iret 11 0x00000009
finish
