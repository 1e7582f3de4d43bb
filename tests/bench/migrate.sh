#!/bin/sh
# migrate.sh - live migration of the guest OS between two vmlab processes
# on the loopback interface (vm/vmm/MIGRATION.md): while memtest runs (a
# writable working set: migrated at tick 300000) and while the OS is idle
# (only the sleeper left: tick 1400000), at unlimited bandwidth and with
# the link at 1024 and 256 pages per 10000 guest ticks.  For each: the
# rounds, the pages of each round and of the stop-and-copy (the same on
# every run: deterministic), the total time and the downtime in host ms,
# as the source measures them (the median of 5 runs).
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
cd "$dir" || exit 1
os=$BUILD/guestos/kernel.elf
status=0

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for load in memtest:300000 idle:1400000; do
	name=${load%%:*} at=${load#*:}
	for bw in 0 1024 256; do
		label=${name}_$( [ $bw -eq 0 ] && echo unlimited || echo "bw$bw" )
		: > totals; : > downs
		for i in 1 2 3 4 5; do
			cp "$BUILD/guestos/disk.img" s.img; cp "$BUILD/guestos/disk.img" d.img
			rm -f pf && mkfifo pf
			"$BIN/vmlab" listen --port 0 --port-file pf --disk d.img </dev/null \
				>/dev/null 2>dst.err &
			dpid=$!
			read port < pf
			set -- --migrate-to "127.0.0.1:$port" --migrate-at "$at"
			[ $bw -gt 0 ] && set -- "$@" --migrate-bw $bw
			"$BIN/vmlab" run --disk s.img "$@" "$os" </dev/null >/dev/null 2>src.err
			wait $dpid
			if ! grep -q '^vmlab: migrate: moved' src.err; then
				echo "# migrate $label failed:" >&2; cat src.err >&2; status=1; continue 2
			fi
			sed -n 's/.* total \([0-9.]*\) ms, downtime \([0-9.]*\) ms.*/\1 \2/p' src.err \
				| { read t d; echo "$t" >> totals; echo "$d" >> downs; }
		done
		rounds=$(grep -c '^vmlab: migrate: round' src.err)
		pages=$(sed -n 's/^vmlab: migrate: round [0-9]*: \([0-9]*\) pages/\1/p' src.err | paste -sd, -)
		stop=$(sed -n 's/^vmlab: migrate: stop-and-copy: \([0-9]*\) pages.*/\1/p' src.err)
		echo "migrate_${label}_rounds $rounds rounds"
		echo "migrate_${label}_round_pages $pages pages"
		echo "migrate_${label}_stop_pages $stop pages"
		echo "migrate_${label}_total $(median < totals) ms"
		echo "migrate_${label}_downtime $(median < downs) ms"
	done
done
exit $status
