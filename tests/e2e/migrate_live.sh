#!/bin/sh
# migrate_live.sh - live migration between two vmlab processes over TCP on
# the loopback interface (vm/vmm/MIGRATION.md): the guest OS moved at
# several ticks, under both shadow policies, at unlimited bandwidth and
# with a bandwidth limit that makes the pre-copy rounds visible.  Each
# time, the source's console transcript followed by the destination's
# equals the transcript of a run that never moved, and so do the disk
# image and the final guest state; both sides report the rounds.
set -u
fail=0
os="$BUILD/guestos/kernel.elf"

cp "$BUILD/guestos/disk.img" ref.img
"$BIN/vmlab" run --state --disk ref.img "$os" </dev/null >ref.out 2>ref.state
[ -s ref.out ] || { echo "FAIL: no reference run"; exit 1; }

# migrate NAME AT [source options...]
migrate() {
	name=$1 at=$2
	shift 2
	cp "$BUILD/guestos/disk.img" src.img
	cp "$BUILD/guestos/disk.img" dst.img
	rm -rf pf cons && mkfifo pf && mkdir cons
	"$BIN/vmlab" listen --port 0 --port-file pf --console-dir cons --disk dst.img \
		--state $shadow </dev/null >dst.stdout 2>dst.err &
	dpid=$!
	read port < pf
	"$BIN/vmlab" run --disk src.img --migrate-to "127.0.0.1:$port" --migrate-at "$at" \
		$shadow "$@" "$os" </dev/null >src.out 2>src.err
	src=$?
	wait $dpid
	dst=$?
	cat src.out cons/vm0.out > moved.out
	grep -v '^vmlab:' dst.err > dst.state
	if [ $src -ne 0 ] || [ $dst -ne 0 ] || ! cmp -s moved.out ref.out \
	   || ! cmp -s dst.img ref.img || ! cmp -s dst.state ref.state \
	   || [ -s dst.stdout ] || ! grep -q "^vmlab: migrate: moved at tick " src.err \
	   || [ "$(sed -n 's/^vmlab: migrate: moved at tick \([0-9]*\):.*/\1/p' src.err)" != \
		"$(sed -n 's/^vmlab: listen: received at tick \([0-9]*\):.*/\1/p' dst.err)" ]; then
		echo "FAIL $name: source $src, destination $dst"
		sed 's/^/    src: /' src.err; sed 's/^/    dst: /' dst.err
		diff ref.out moved.out | head -5; cmp dst.img ref.img; diff ref.state dst.state
		fail=1
	fi
}

for shadow in --shadow=flush --shadow=trace; do
	for at in 0 300000 1000000 1600000; do
		migrate "$shadow at $at" "$at"
	done
	# 512 pages per 10000 ticks: round 0 (the guest's 3800-odd pages)
	# takes 8 link steps, so later rounds have pages to send.
	migrate "$shadow limited" 300000 --migrate-bw 512
	n=$(grep -c '^vmlab: migrate: round' src.err)
	[ "$n" -ge 2 ] || { echo "FAIL $shadow limited: $n rounds"; cat src.err; fail=1; }
	grep -q '^vmlab: migrate: round 1: [1-9]' src.err \
		|| { echo "FAIL $shadow limited: no pages in round 1"; fail=1; }
	# the same figures on both sides
	grep '^vmlab: migrate: round' src.err | sed 's/migrate/X/' > a
	grep '^vmlab: listen: round' dst.err | sed 's/listen/X/' > b
	cmp -s a b || { echo "FAIL $shadow limited: the sides disagree"; diff a b; fail=1; }
	migrate "$shadow one round" 300000 --migrate-bw 512 --migrate-rounds 1
	grep -q 'stop-and-copy: .*(the round limit)' src.err \
		|| { echo "FAIL $shadow: --migrate-rounds 1 did not stop on the round limit"; cat src.err; fail=1; }
done
# The monitor's migrate: stepped to tick 500000, moved; the destination
# finishes the guest (its disk as the run that never moved) and the shell
# refuses to run a guest it gave away.
shadow=
cp "$BUILD/guestos/disk.img" src.img
cp "$BUILD/guestos/disk.img" dst.img
rm -f pf && mkfifo pf
"$BIN/vmlab" listen --port 0 --port-file pf --disk dst.img </dev/null >dst.out 2>dst.err &
dpid=$!
read port < pf
printf 'step 500000\nmigrate 127.0.0.1:%s\ncontinue\n' "$port" \
	| "$BIN/vmlab" monitor --disk src.img "$os" >mon.out 2>&1
wait $dpid
dst=$?
if [ $dst -ne 0 ] || ! cmp -s dst.img ref.img || ! grep -q "^migrated to 127.0.0.1:$port" mon.out \
   || ! grep -q "the guest has stopped for good" mon.out \
   || [ "$(tail -1 dst.out)" != "$(tail -1 ref.out)" ]; then
	echo "FAIL monitor migrate: destination $dst"; cat mon.out dst.err; fail=1
fi
exit $fail
