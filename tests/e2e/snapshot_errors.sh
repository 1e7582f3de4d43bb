#!/bin/sh
# snapshot_errors.sh - vmlab run --save-at/--restore refuse what does not
# fit with one "vmlab: FILE: why" line and status 125, and run nothing:
# a corrupt, truncated, wrong-version or empty file, a VM's snapshot
# restored bare (and the reverse), a paravirtual guest restored without
# --pv (and the reverse), another memory size, a missing or
# wrong-sized disk, an image next to --restore, a save point never reached.
set -u
fail=0
os="$BUILD/guestos/kernel.elf"

# expect NAME PATTERN CMD...: status 125, one stderr line matching PATTERN,
# nothing on stdout.
expect() {
	name=$1 pat=$2
	shift 2
	"$@" </dev/null >out 2>err
	rc=$?
	if [ "$rc" -ne 125 ] || [ "$(wc -l < err)" -ne 1 ] || ! grep -q -- "$pat" err \
	   || [ -s out ]; then
		echo "FAIL $name: status $rc, stderr:"; sed 's/^/    /' err; fail=1
	fi
}

cp "$BUILD/guestos/disk.img" d.img
"$BIN/vmlab" run --bare --disk d.img --save-at 400000 bare.snap --max-insns 400000 "$os" \
	</dev/null >/dev/null 2>&1
"$BIN/vmlab" run --disk d.img --save-at 400000 vm.snap --max-insns 400000 "$os" \
	</dev/null >/dev/null 2>&1
"$BIN/vmlab" run --pv --disk d.img --save-at 400000 pv.snap --max-insns 400000 "$os" \
	</dev/null >/dev/null 2>&1
[ -s bare.snap ] && [ -s vm.snap ] && [ -s pv.snap ] || { echo "FAIL: no snapshots"; exit 1; }

# the guest OS chose its drivers when it probed at boot (HYPERCALLS.md)
expect "pv without --pv" "pv.snap: the snapshot's guest is paravirtual: restore it with --pv" \
	"$BIN/vmlab" run --disk d.img --restore pv.snap
expect "native with --pv" "vm.snap: the snapshot's guest is not paravirtual: restore it without --pv" \
	"$BIN/vmlab" run --pv --disk d.img --restore vm.snap

expect "vm as bare" "vm.snap: a snapshot of a VM, not of a bare machine" \
	"$BIN/vmlab" run --bare --disk d.img --restore vm.snap
expect "bare as vm" "bare.snap: a snapshot of a bare machine, not of a VM" \
	"$BIN/vmlab" run --disk d.img --restore bare.snap
expect "memory size" "bare.snap: a snapshot of a 16 MiB machine, not 32 MiB" \
	"$BIN/vmlab" run --bare --mem 32 --disk d.img --restore bare.snap
expect "no disk" "bare.snap: the snapshot's machine has a disk" \
	"$BIN/vmlab" run --bare --restore bare.snap
head -c 1024 /dev/zero > small.img
expect "disk size" "vm.snap: the snapshot's disk has 91 sectors, --disk has 2" \
	"$BIN/vmlab" run --disk small.img --restore vm.snap
head -c 1024 /dev/zero | cmp -s - small.img ||
	{ echo "FAIL: a refused restore wrote the disk"; fail=1; }
head -c 1000 bare.snap > cut.snap
expect "truncated" "cut.snap: truncated snapshot" \
	"$BIN/vmlab" run --bare --disk d.img --restore cut.snap
cp bare.snap flip.snap
printf 'X' | dd of=flip.snap bs=1 seek=3000 conv=notrunc 2>/dev/null
expect "flipped" "flip.snap: corrupt snapshot" \
	"$BIN/vmlab" run --bare --disk d.img --restore flip.snap
cp bare.snap ver.snap
printf '\011' | dd of=ver.snap bs=1 seek=8 conv=notrunc 2>/dev/null
expect "version" "ver.snap: corrupt snapshot (header checksum mismatch)" \
	"$BIN/vmlab" run --bare --disk d.img --restore ver.snap
: > empty.snap
expect "empty" "empty.snap: not a vmlab snapshot" \
	"$BIN/vmlab" run --bare --disk d.img --restore empty.snap
expect "missing" "nosuch.snap: cannot open snapshot" \
	"$BIN/vmlab" run --bare --disk d.img --restore nosuch.snap
expect "image too" "no image" \
	"$BIN/vmlab" run --bare --disk d.img --restore bare.snap "$os"
expect "save at needs a file" "needs a file" "$BIN/vmlab" run --bare --save-at 5
expect "before the start" "--save-at 10: the run starts at tick 400000" \
	"$BIN/vmlab" run --bare --disk d.img --save-at 10 x.snap --restore bare.snap
[ -e x.snap ] && { echo "FAIL: x.snap written"; fail=1; }
cp "$BUILD/guestos/disk.img" d.img
"$BIN/vmlab" run --bare --disk d.img --save-at 999999999 late.snap "$os" </dev/null \
	>/dev/null 2>err
rc=$?
[ "$rc" -eq 125 ] && grep -q "late.snap not written" err && [ ! -e late.snap ] ||
	{ echo "FAIL: a save point after the end: status $rc"; cat err; fail=1; }
exit $fail
