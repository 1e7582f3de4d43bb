#!/bin/sh
# vmm_bt.sh - binary translation (vmlab run --bt, vm/vmm/btrun.c) is
# equivalent to the bare machine, on PG32 and on PG32-L (--isa=leaky),
# where trap-and-emulate is not (vmm_leaky.sh): the guest OS (console
# output, exit status, --state, disk image; with console input; other
# memory sizes; with --bt=inline too) and every equivalence program of
# vmm_equiv.sh, under both shadow policies.  And the translation is really used: the guest OS's
# kernel runs translated, with callouts, chained jumps and its own
# addresses in every trap.
set -u
fail=0
no() { echo "FAIL $*"; fail=1; }
disk() { yes "vmlab disk pattern 0123456789" | head -c 8192 > "$1"; }

# same A B: every artifact of run A equals run B's
same() {
	for f in rc out state img; do
		cmp -s "$1.$f" "$2.$f" || {
			no "$2 differs from $1 in $f"
			diff "$1.$f" "$2.$f" 2>/dev/null | head -10 | sed 's/^/    /'
		}
	done
}

# The guest OS.
os() {	# os NAME [vmlab options...] <input
	name=$1; shift
	cp "$BUILD/guestos/disk.img" "$name.img"
	"$BIN/vmlab" run "$@" --state --max-insns 200000000 --disk "$name.img" \
		"$BUILD/guestos/kernel.elf" >"$name.out" 2>"$name.state"
	echo $? > "$name.rc"
}
for isa in pg32 leaky; do
	os "os-$isa-bare" --bare --isa=$isa </dev/null
	[ "$(cat os-$isa-bare.rc)" = 0 ] || no "guest OS on bare $isa: exit $(cat os-$isa-bare.rc)"
	for p in flush trace; do
		os "os-$isa-$p" --bt --isa=$isa --shadow=$p </dev/null
		same "os-$isa-bare" "os-$isa-$p"
	done
done
diff -u "$SRC/guestos/tests/boot.expected" os-leaky-flush.out || fail=1

# --bt=inline: the guest OS's control register accesses become loads and
# stores of the VCPU page; it runs as on the bare machine, with fewer exits.
for isa in pg32 leaky; do
	for p in flush trace; do
		os "os-$isa-inline-$p" --bt=inline --isa=$isa --shadow=$p </dev/null
		same "os-$isa-bare" "os-$isa-inline-$p"
	done
done
for m in bt bt=inline; do
	cp "$BUILD/guestos/disk.img" "$m.img"
	"$BIN/vmlab" run --$m --stats --disk "$m.img" "$BUILD/guestos/kernel.elf" \
		</dev/null >/dev/null 2>"$m.stats"
done
priv() { sed -n 's/^vmm_exits_privileged: //p' "$1.stats"; }
[ "$(priv bt=inline)" -gt 0 ] && [ "$(priv bt=inline)" -lt "$(priv bt)" ] ||
	no "--bt=inline: $(priv bt=inline) privileged exits, not fewer than --bt's $(priv bt)"

printf 'hello from the host\nsecond line\n' > input
os ebare --bare --isa=leaky <input
os ebt --bt --isa=leaky <input
grep -q 'second line' ebt.out || no "echo did not copy the input under --bt"
same ebare ebt
for mib in 2 64; do
	os "b$mib" --bare --isa=leaky --mem $mib </dev/null
	os "t$mib" --bt --isa=leaky --shadow=trace --mem $mib </dev/null
	same "b$mib" "t$mib"
done

# The kernel really ran translated: translations, callouts for its
# sensitive instructions, calls and returns, chained jumps.
cp "$BUILD/guestos/disk.img" st.img
"$BIN/vmlab" run --bt --isa=leaky --stats --disk st.img "$BUILD/guestos/kernel.elf" \
	</dev/null >/dev/null 2>stats
stat() { sed -n "s/^vmm_bt_$1: //p" stats; }
for s in translations callouts_emulate callouts_call callouts_indirect chained_jumps; do
	[ "$(stat $s)" -gt 0 ] 2>/dev/null || no "--stats: vmm_bt_$s is '$(stat $s)', want > 0"
done
# Its privileged exits are its emulation callouts, and the one of the
# user program that tries to power the machine off (pid 7, priv).
[ "$(sed -n 's/^vmm_exits_privileged: //p' stats)" = "$(($(stat callouts_emulate) + 1))" ] ||
	no "privileged exits are not the emulation callouts and priv's one"

# --bt runs one VM under the VMM: refused with --bare, --pv, --vm and
# live migration (the dirty log and translated code share write protection).
for o in "--bare $BUILD/examples/hello.elf" "--pv $BUILD/examples/hello.elf" \
	 "--vm $BUILD/examples/hello.elf" \
	 "--migrate-to 127.0.0.1:1 --migrate-at 1000 $BUILD/examples/hello.elf"; do
	"$BIN/vmlab" run --bt $o </dev/null >/dev/null 2>err
	rc=$?
	[ $rc -eq 125 ] && grep -q -- "--bt is a way to run one VM" err ||
		no "--bt $o: exit $rc, $(cat err)"
done

# The equivalence programs, on both variants and under both shadow
# policies: each program runs translated once per ISA, one ISA under each
# policy (which one alternates from program to program), against its bare
# run on that ISA.  The policies only differ for programs that page, and
# the ISAs only in which instructions must be translated: every program
# meets both of each, and the guest OS above runs the whole product.
compare() {	# compare NAME ELF NUMBER
	k=$3	# even: pg32 under flush, leaky under trace; odd: the reverse
	for isa in pg32 leaky; do
		if [ $((k % 2)) = 0 ]; then policy=flush; else policy=trace; fi
		k=$((k + 1))
		for mode in bare $policy; do
			case $mode in
			bare) opt=--bare ;; *) opt="--bt --shadow=$mode" ;;
			esac
			r="$1.$isa.$mode"
			disk "$r.img"
			"$BIN/vmlab" run $opt --isa=$isa --state --max-insns 50000000 \
				--disk "$r.img" "$2" </dev/null >"$r.out" 2>"$r.state"
			echo $? > "$r.rc"
		done
		same "$1.$isa.bare" "$1.$isa.$policy"
	done
}
n=0
for s in "$SRC"/tests/e2e/vmm/*.s; do
	name=$(basename "$s" .s)
	"$BIN/pg32-as" -o "$name.elf" "$s" || { no "$name: does not assemble"; continue; }
	compare "$name" "$name.elf" $n
	n=$((n + 1))
done
for e in "$BUILD"/examples/*.elf; do
	compare "example-$(basename "$e" .elf)" "$e" $n
	n=$((n + 1))
done
[ "$n" -ge 13 ] || no "only $n programs compared"
exit $fail
