# input - hidden: the guest OS paravirtual with console input (its echo
# program copies it) under both shadow policies, and with 4 MiB of RAM:
# the bare machine's output and disk.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
. "$LAB/tests/pvlib.sh"
BUDGET=20000000
DISK=$BUILD/guestos/disk.img
printf 'hello from the host\nsecond line\n' > input
INPUT=$PWD/input
both echo "$BUILD/guestos/kernel.elf"
BASE=echo
for POLICY in flush trace; do
	pv echo_$POLICY "$BUILD/guestos/kernel.elf"
	check 3 "$POLICY, with input: the bare machine's output" same_output echo_$POLICY
	check 1 "$POLICY, with input: the same disk" same_disk echo_$POLICY
done
INPUT=/dev/null
both small "$BUILD/guestos/kernel.elf" --mem 4
BASE=small
pv small_pv "$BUILD/guestos/kernel.elf" --mem 4
check 2 "4 MiB of RAM: the bare machine's output" same_output small_pv
finish
