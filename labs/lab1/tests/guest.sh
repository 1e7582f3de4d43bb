# guest.sh - what lab 1's tests share (sourced after testlib.sh): user
# programs onto a disk, the guest OS booted from it.
#
#   disk NAME[=PROG]...   assemble each program (tests/progs/PROG.s, else
#                         guestos/user/PROG.s) with ulib.s, named NAME on
#                         the disk (pid order); disk.img here
#   boot LABEL            run the kernel with disk.img (run_guest)
#   free_pages_kept FILE  power-off free pages = boot free pages (no leak)

disk() {
	_elfs=
	for _p in "$@"; do
		_n=${_p%%=*} _s=${_p#*=}
		if [ -f "$LAB/tests/progs/$_s.s" ]; then _src=$LAB/tests/progs/$_s.s
		elif [ -f "$_s.s" ]; then _src=$_s.s
		else _src=$SRC/guestos/user/$_s.s; fi
		assemble "$_n.elf" -Ttext 0x40000000 "$SRC/guestos/user/ulib.s" "$_src"
		_elfs="$_elfs $_n.elf"
	done
	rec "$(q "$BUILD/guestos/mkdisk" -o disk.img $_elfs)> mkdisk.log 2>&1"
	"$BUILD/guestos/mkdisk" -o disk.img $_elfs > mkdisk.log 2>&1 ||
		{ cat mkdisk.log; fail_all "mkdisk failed"; }
}

boot() {
	run_guest "$1" "$BUILD/guestos/kernel.elf" --disk disk.img
}

# sym ELF NAME: the address of symbol NAME, as the kernel prints it (0x%08x)
sym() {
	"$BIN/pg32-objdump" -t "$1" | awk -v n="$2" '$NF == n { print "0x" $1; exit }'
}

free_pages_kept() {
	_b=$(sed -n 's/^PG32 guest OS: .* paging on, \([0-9]*\) free pages$/\1/p' "$1")
	_a=$(sed -n 's/^\[kernel\] no processes left, \([0-9]*\) free pages, powering off$/\1/p' "$1")
	[ -n "$_b" ] && [ "$_b" = "$_a" ] && return 0
	echo "expected: as many free pages at power-off as at boot ($_b)"
	echo "got:      ${_a:-no power-off line}"
	return 1
}
