# boots - the kernel boots and loads the ten programs of the standard
# disk.  Needs no work (the handout does it): the boot path is given.
. "$SRC/labs/tools/testlib.sh"
BUDGET=50000000
cp "$BUILD/guestos/disk.img" disk.img
run_guest boot "$BUILD/guestos/kernel.elf" --disk disk.img
check 1 "the banner" has_line boot.out "PG32 guest OS: 16384 KiB of RAM, paging on, 3835 free pages"
check 4 "ten programs loaded, in disk order" in_order boot.out \
	"[kernel] loaded pid 1: hello" "[kernel] loaded pid 2: counter" \
	"[kernel] loaded pid 3: sleeper" "[kernel] loaded pid 4: memtest" \
	"[kernel] loaded pid 5: wrtext" "[kernel] loaded pid 6: badload" \
	"[kernel] loaded pid 7: priv" "[kernel] loaded pid 8: stackbomb" \
	"[kernel] loaded pid 9: echo" "[kernel] loaded pid 10: badptr"
finish
