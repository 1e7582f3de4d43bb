# builds - the tree builds, and shows why this lab exists: on PG32-L the
# trap-and-emulate VMM runs the guest OS only until its first interrupt
# window (its setie never traps), while on PG32 it runs it as the bare
# machine does.  Needs no work.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=20000000
HANG=60
DISK=$BUILD/guestos/disk.img
both te "$BUILD/guestos/kernel.elf"
check 2 "trap and emulate on PG32: the bare machine's output" same_output te
check 1 "trap and emulate on PG32: the same disk" same_disk te
VMM_OPTS=--isa=leaky
both leaky "$BUILD/guestos/kernel.elf" --isa=leaky
check 2 "trap and emulate on PG32-L: does not end as the bare machine does (the leak)" \
	test "$RC_VMM" -ne "$RC_BARE"
finish
