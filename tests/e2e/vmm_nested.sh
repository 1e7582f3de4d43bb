#!/bin/sh
# vmm_nested.sh - the VMM on PG32-V's hardware assist (vmlab run
# --mmu=nested, isa/ISA.md 16, vm/vmm/nested.c) beyond the equivalence that
# vmm_equiv.sh and vmm_guestos.sh check: what --stats promises (no hidden
# faults, no exits for the guest's page-table writes or TLB operations,
# exits by reason, 2-D walks of at most 8 references), several VMs on one
# machine tick for tick as their solo bare runs with VM-tagged TLB entries
# (no flush at a world switch), a snapshot, and the command line's errors.
set -u
fail=0
K=$BUILD/guestos/kernel.elf
say() { echo "FAIL: $*"; fail=1; }
stat() { sed -n "s/^$1: //p" "$2"; }

cp "$BUILD/guestos/disk.img" bare.img
"$BIN/vmlab" run --bare --stats --disk bare.img "$K" </dev/null >bare.out 2>bare.stats
ticks=$(stat ticks bare.stats)

# One guest OS: the statistics of hardware assist, against shadow paging's.
for mode in nested flush; do
	case $mode in nested) opt=--mmu=nested ;; *) opt=--shadow=$mode ;; esac
	cp "$BUILD/guestos/disk.img" $mode.img
	"$BIN/vmlab" run $opt --stats --disk $mode.img "$K" </dev/null >$mode.out 2>$mode.stats ||
		say "$mode: exit status $?"
	cmp -s bare.out $mode.out || say "$mode: the transcript differs from the bare one"
done
[ "$(stat vmm_hidden_faults nested.stats)" = 0 ] || say "nested: hidden faults"
[ "$(stat vmm_pt_writes_emulated nested.stats)" = 0 ] || say "nested: page-table writes emulated"
[ "$(stat vmm_shadow_fills nested.stats)" = 0 ] || say "nested: shadow fills"
grep -q '^vmm_exits_pf-' nested.stats && say "nested: page faults reached the VMM"
grep -q '^vmm_emulated_\(mfcr\|rfe\|tlbflush\|tlbinv\|rdst\|setie\)' nested.stats &&
	say "nested: an instruction the guest runs itself was emulated"
grep -q '^vmm_emulated_mtcr' nested.stats || say "nested: mtcr timecmp not intercepted"
grep -q '^vmm_emulated_out' nested.stats || say "nested: out not intercepted"
[ "$(stat vmm_exits_npf nested.stats)" = "$(stat vmm_nested_faults nested.stats)" ] ||
	say "nested: every NPF maps a page of the guest OS"
[ "$(stat vmm_guest_ticks nested.stats)" = "$ticks" ] || say "nested: guest ticks differ from bare"
# The flush policy's hidden faults are what nested paging removes.
[ "$(stat vmm_hidden_faults flush.stats)" -gt 1000 ] || say "flush: few hidden faults?"
w2=$(stat walks_2d nested.stats) r2=$(stat walk_refs_2d nested.stats)
[ "$w2" -gt 0 ] && [ "$(stat walks_1d nested.stats)" = 0 ] || say "nested: walks 1-D $(stat walks_1d nested.stats), 2-D $w2"
# Guest paging on: 8 references a walk, off: 2; never more than 8.
[ "$r2" -gt $((w2 * 2)) ] && [ "$r2" -le $((w2 * 8)) ] || say "nested: $r2 references in $w2 walks"
r1=$(stat walk_refs flush.stats) w1=$(stat page_walks flush.stats)
[ "$r1" -le $((w1 * 2)) ] || say "flush: $r1 references in $w1 1-D walks"
[ "$(stat vm_exit_npf nested.stats)" = "$(stat vmm_exits_npf nested.stats)" ] ||
	say "nested: the machine's and the VMM's NPF counts differ"

# Several VMs: each is its solo bare run; the world switch flushes nothing.
for n in 2 4; do
	rm -rf D && mkdir D
	args=
	i=0
	while [ $i -lt $n ]; do
		cp "$BUILD/guestos/disk.img" d$i.img
		args="$args --vm $K,disk=d$i.img"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	"$BIN/vmlab" run --mmu=nested --quantum $((n * 900 + 100)) --console-dir D --stats $args \
		</dev/null >stdout 2>stats || say "n=$n: exit status $?"
	i=0
	while [ $i -lt $n ]; do
		cmp -s D/vm$i.out bare.out || say "n=$n: vm$i's transcript differs"
		cmp -s d$i.img bare.img || say "n=$n: vm$i's disk differs"
		[ "$(stat vm${i}_vmm_guest_ticks stats)" = "$ticks" ] || say "n=$n: vm$i's ticks"
		[ "$(stat vm${i}_vmm_tlb_flushes stats)" = 0 ] || say "n=$n: vm$i flushed the TLB"
		i=$((i + 1))
	done
	sw=$(stat sched_world_switches stats)
	[ "$sw" -gt 100 ] || say "n=$n: only $sw world switches"
	# Tagged entries survive the switches: fewer than one walk more than
	# the solo runs' per switch (flushing there costs about 4 a switch).
	walks=$(stat machine_page_walks stats)
	[ "$walks" -lt $((n * $(stat page_walks nested.stats) + sw)) ] ||
		say "n=$n: $walks walks for $sw switches: the TLB seems flushed"
done

# A snapshot taken nested restores nested and goes on tick for tick (the
# nested table is not saved: the restored VM refills it by faults).
cp "$BUILD/guestos/disk.img" s1.img
"$BIN/vmlab" run --mmu=nested --state --disk s1.img --save-at 800000 snap.bin "$K" \
	</dev/null >s1.out 2>s1.state || say "save run: exit status $?"
cp "$BUILD/guestos/disk.img" s2.img
"$BIN/vmlab" run --mmu=nested --state --disk s2.img --restore snap.bin </dev/null >s2.out 2>s2.state ||
	say "restored run: exit status $?"
cmp -s s1.state s2.state || say "the restored run ends in another state"
cmp -s s1.img s2.img || say "the restored run leaves another disk"
tail -n 1 s2.out | grep -q 'powering off' || say "the restored run did not finish the boot"

# The command line.
err() {	# err WANT-TEXT ARGS...: exit status 125 and the message
	want=$1; shift
	"$BIN/vmlab" run "$@" "$K" </dev/null >/dev/null 2>err.txt
	rc=$?
	[ $rc = 125 ] || say "vmlab run $*: exit status $rc"
	grep -q "$want" err.txt || say "vmlab run $*: $(cat err.txt)"
}
err "is not shadow or nested" --mmu=tlb
"$BIN/vmlab" run --mmu </dev/null >/dev/null 2>err.txt
[ $? = 125 ] && grep -q -- "--mmu needs a kind: shadow or nested" err.txt ||
	say "vmlab run --mmu (no value): $(cat err.txt)"
err "bare machine runs no guest" --bare --mmu=nested
err "not of --mmu=nested" --mmu=nested --shadow=trace
err "not leaky" --mmu=nested --isa=leaky
err "does not combine with --mmu=nested" --mmu=nested --pv
"$BIN/vmlab" run --help | grep -q -- '--mmu=M' || say "--help does not mention --mmu"
exit $fail
