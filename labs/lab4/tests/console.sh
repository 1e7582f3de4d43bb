# console - console input under the VMM: the guest OS's echo program reads
# host input through console interrupts (RXIE, polled every 65536 guest
# ticks), at the bare machine's ticks; then end of input.
. "$SRC/labs/tools/testlib.sh"
. "$SRC/labs/tools/vmmlib.sh"
BUDGET=20000000
assemble echo.elf -Ttext 0x40000000 "$SRC/guestos/user/ulib.s" "$SRC/guestos/user/echo.s"
"$BUILD/guestos/mkdisk" -o echo.img echo.elf > mkdisk.log 2>&1 ||
	{ cat mkdisk.log; fail_all "mkdisk failed"; }
DISK=echo.img
printf 'hello from the host\nsecond line\n' > input.txt
INPUT=input.txt
both echo "$BUILD/guestos/kernel.elf"
check 3 "echo: the input comes back" has_line echo.vmm.out "second line"
equivalent "1 2 2 2" echo "guest OS, echo"
finish
