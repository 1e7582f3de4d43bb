#!/bin/sh
# migrate_faults.sh - live migration's failures (vm/vmm/MIGRATION.md,
# "Failures"): either side killed (SIGKILL, by --die-at) as each stage
# begins; a destination that refuses (no listener, another disk size); a
# destination fed a stream of another version, a bad magic, a damaged or a
# cut record.  Before commitment the source keeps the VM and its guest's
# transcript is the run that never moved; after it the destination owns
# it; never both, never neither.  A destination that fails discards the
# partial VM (nothing run, its disk untouched) and says why in one line,
# exit status 125.
set -u
fail=0
os="$BUILD/guestos/kernel.elf"

cp "$BUILD/guestos/disk.img" ref.img
"$BIN/vmlab" run --disk ref.img "$os" </dev/null >ref.out 2>/dev/null

bad() { echo "FAIL $*"; sed 's/^/    src: /' src.err; sed 's/^/    dst: /' dst.err; fail=1; }

# listen [options]: a destination in the background ($dpid, $port).
listen() {
	rm -rf pf cons && mkfifo pf && mkdir cons
	cp "$BUILD/guestos/disk.img" dst.img
	"$BIN/vmlab" listen --port 0 --port-file pf --console-dir cons --disk "${DSTDISK:-dst.img}" "$@" \
		</dev/null >dst.stdout 2>dst.err &
	dpid=$!
	read port < pf
}

# source [options]: the source, migrating at tick 1000000 ($src).
source() {
	cp "$BUILD/guestos/disk.img" src.img
	"$BIN/vmlab" run --disk src.img --migrate-to "127.0.0.1:$port" \
		--migrate-at 1000000 "$@" "$os" </dev/null >src.out 2>src.err
	src=$?
	wait $dpid
	dst=$?
}

# The source kept the VM: it ran to the end here; the destination ran
# nothing and left its disk alone.
source_kept() {
	what=$1
	if [ $src -ne 0 ] || ! cmp -s src.out ref.out || ! cmp -s src.img ref.img \
	   || [ -s cons/vm0.out ] || ! cmp -s dst.img "$BUILD/guestos/disk.img"; then
		bad "$what: the source did not keep the VM (source $src, destination $dst)"
	fi
}

# The destination owns the VM: source part then destination part.
destination_owns() {
	what=$1
	cat src.out cons/vm0.out > moved.out 2>/dev/null
	if [ $dst -ne 0 ] || ! cmp -s moved.out ref.out || ! cmp -s dst.img ref.img; then
		bad "$what: the destination does not own the VM (source $src, destination $dst)"
	fi
}

for stage in reservation pre-copy stop-and-copy commitment; do
	listen --die-at "$stage"
	source
	source_kept "destination killed at $stage"
	[ $dst -eq 137 ] || bad "destination killed at $stage: status $dst"
	grep -q "^vmlab: migrate to 127.0.0.1:$port failed: .*; the guest runs on here$" src.err \
		|| bad "destination killed at $stage: no one-line failure"
done

for stage in reservation pre-copy stop-and-copy commitment; do
	listen
	source --die-at "$stage"
	[ $src -eq 137 ] || bad "source killed at $stage: status $src"
	[ $dst -eq 125 ] && [ ! -s cons/vm0.out ] && cmp -s dst.img "$BUILD/guestos/disk.img" \
		|| bad "source killed at $stage: the destination kept a partial VM"
	[ "$(grep -c 'migration failed' dst.err)" -eq 1 ] \
		&& grep -q "^vmlab: listen: migration failed: .*; the partial VM is discarded$" dst.err \
		|| bad "source killed at $stage: no one-line failure"
done

# Killed after it sent CMIT: the destination owns the VM.
listen
source --die-at activation
[ $src -eq 137 ] || bad "source killed at activation: status $src"
destination_owns "source killed at activation"

# Nobody listening: the source runs on.
listen
kill -9 $dpid; wait $dpid 2>/dev/null
cp "$BUILD/guestos/disk.img" src.img
"$BIN/vmlab" run --disk src.img --migrate-to "127.0.0.1:$port" --migrate-at 1000000 "$os" \
	</dev/null >src.out 2>src.err
src=$?
source_kept "no listener"
grep -q "^vmlab: migrate: cannot connect to 127.0.0.1:$port: .*; the guest runs on here$" \
	src.err || bad "no listener: no one-line failure"

# A disk of another size: refused at the reservation, by both.
head -c 512 "$BUILD/guestos/disk.img" > small.img
DSTDISK=small.img listen
source
source_kept "another disk size"
[ $dst -eq 125 ] || bad "another disk size: destination status $dst"
grep -q "the VM's disk has [0-9]* sectors, the destination's --disk 1" dst.err \
	&& grep -q "the destination refused the VM: the VM's disk has" src.err \
	|| bad "another disk size: not named"

# Streams no vmlab sends: one line each, status 125, nothing run.  (bash
# for its /dev/tcp.)
feed() {
	what=$1 want=$2 bytes=$3
	listen
	bash -c "printf '$bytes' >/dev/tcp/127.0.0.1/$port" 2>/dev/null
	wait $dpid
	dst=$?
	if [ $dst -ne 125 ] || ! grep -q "^vmlab: listen: migration failed: $want; the partial VM is discarded$" dst.err \
	   || [ -s cons/vm0.out ] || [ -s dst.stdout ]; then
		echo "FAIL $what: status $dst"; sed 's/^/    /' dst.err; fail=1
	fi
}
if command -v bash >/dev/null; then
	feed "another version" "migration stream version 3, this vmlab speaks version 2" \
		'PG32MIGR\003\000\000\000'
	feed "bad magic" "not a vmlab migration stream (bad magic)" 'PG32SNAP\001\000\000\000'
	# a reservation whose CRC does not match its body
	feed "damaged record" "corrupt migration stream (record 'RSRV': checksum mismatch)" \
		'PG32MIGR\002\000\000\000RSRV\064\000\000\000\001\002\003\004\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000vm0\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
	# closed, or reset: bash leaves the destination's preamble unread
	feed "cut record" "the source failed during the reservation ([a-zA-Z ]*)" \
		'PG32MIGR\002\000\000\000RSRV\064\000\000\000'
	feed "not a record" "corrupt migration stream (not a record tag)" \
		'PG32MIGR\002\000\000\000\377\377\377\377\000\000\000\000\000\000\000\000'
fi
# Options: one line each, status 125.
opt() {
	want=$1; shift
	"$BIN/vmlab" "$@" </dev/null >out 2>err
	rc=$?
	if [ $rc -ne 125 ] || ! grep -q -- "$want" err; then
		echo "FAIL vmlab $*: status $rc"; sed 's/^/    /' err; fail=1
	fi
}
cp "$BUILD/guestos/disk.img" o.img
opt "live migration needs the VMM" run --bare --migrate-to 127.0.0.1:1 --migrate-at 0 "$os"
opt "go with --migrate-to" run --migrate-bw 4 "$os"
opt "--mmu=nested has none" run --mmu=nested --migrate-to 127.0.0.1:1 "$os"
opt "listen needs --port" listen
opt "'99999' is not a port number from 1 to 65535 (try 'vmlab run --help')" \
	run --migrate-to 127.0.0.1:99999 "$os"
opt "':1' is not HOST:PORT" run --migrate-to :1 "$os"
opt "(try 'vmlab listen --help')" listen --port x
opt "(try 'vmlab monitor --help')" monitor --migrate-to 127.0.0.1:0 "$os"
opt "the VM comes from the stream" listen --port 0 "$os"
opt "is not reservation, pre-copy" listen --port 0 --die-at never
opt "--migrate-at 99999999: the run ended at tick 1727144, before it; not migrated" \
	run --disk o.img --migrate-to 127.0.0.1:1 --migrate-at 99999999 "$os"

# The monitor's migrate: one that cannot run here is refused before it
# connects (a destination would take the connection and wait for nothing);
# one that fails leaves the guest running and the script's status 1.
for o in --bt "--isa=virt --mmu=nested" ""; do
	printf 'step\nmigrate 127.0.0.1:1\nstep\n' > mig.x
	# shellcheck disable=SC2086
	"$BIN/vmlab" monitor $o -x mig.x "$BUILD/examples/hello.elf" </dev/null >out 2>&1
	rc=$?
	case $o in
	"") want="error: migrate to 127.0.0.1:1 failed; the guest runs on here" ;;
	*) want="error: migrate: the dirty log" ;;
	esac
	if [ $rc -ne 1 ] || ! grep -q "$want" out || [ "$(grep -c '^stop step' out)" -ne 2 ] ||
	   { [ -n "$o" ] && grep -q connect out; }; then
		echo "FAIL monitor $o migrate: status $rc"; sed 's/^/    /' out; fail=1
	fi
done
exit $fail
