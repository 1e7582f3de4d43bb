# full_boot - the whole standard run, all ten programs, transcript equal
# to guestos/tests/boot.expected, power-off code 0.
. "$SRC/labs/tools/testlib.sh"
BUDGET=50000000
cp "$BUILD/guestos/disk.img" disk.img
run_guest boot "$BUILD/guestos/kernel.elf" --disk disk.img
check 1 "powers off with 0" exits $RC 0
check 4 "the transcript" same_file "$SRC/guestos/tests/boot.expected" boot.out
finish
