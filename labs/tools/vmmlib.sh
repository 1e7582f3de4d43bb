# vmmlib.sh - what the VMM labs' tests share (sourced after testlib.sh): a
# guest run twice, on the bare machine and under the VMM, and the checks
# that the guest could not tell the two apart (equivalence, the grading
# oracle of labs 2-4).
#
#   both LABEL ELF [vmlab options]   run ELF with --state and --trace=trap,
#           once with --bare and once under the VMM (--shadow=$POLICY,
#           default flush; --exits=trap: every privileged instruction of
#           the guest kernel reaches the VMM's handlers, the student's,
#           none served by the machine); with DISK=IMG each run gets its own copy of
#           IMG (LABEL.bare.img, LABEL.vmm.img); VMM_OPTS, options for
#           the VMM's run only (lab 7: --bt).  Files LABEL.bare.* and
#           LABEL.vmm.* (out, err, state, tr); RC_BARE and RC_VMM.
#   run_pair LABEL ELF VMM TRACE [options]   the two runs, VMM's options
#           for the second (below)
#   pattern_disk FILE   the 8 KiB disk tests/e2e/vmm's programs read
#   same_status LABEL   the same power-off code, or the same stop (a VMM
#                       failure, such as a stub's, is never the same)
#   same_output LABEL   the same console output
#   same_traps LABEL    the same trap entries (cause, epc, badva, tvec,
#                       modes) and returns (rfe, epc) at the same ticks
#   same_state LABEL [NAME...]  the same end state: pc, r1-r15, every
#                       control register as mfcr reads it, ticks, a RAM
#                       checksum; but the NAMEs (e.g. icount ipend)
#   same_disk LABEL     the same disk contents
#   (output, traps, state and disk only count when both runs ended alike;
#   otherwise each says so once, with the first trap entry that differs,
#   rather than blame what the different end explains)
#   reg LABEL N VALUE   the VMM run powered off with 0 and register rN =
#                       VALUE (a run stopped by a stub earns nothing)
#   stat LABEL NAME     a counter of the VMM run's --stats (vmm_... lines)
#   stat_above LABEL NAME N WHAT   that counter is above N
#
# Each run is killed after HANG seconds of host time (status 137): guests
# are bounded by their instruction budgets, but a VMM can loop without
# retiring any guest instruction.

POLICY=${POLICY:-flush}
DISK=${DISK:-}
VMM_OPTS=${VMM_OPTS:-}
HANG=${HANG:-15}	# seconds: a VMM that loops without the guest advancing


both() {
	_l=$1 _e=$2; shift 2
	run_pair "$_l" "$_e" "--shadow=$POLICY --exits=trap $VMM_OPTS" "--trace=trap --trace-file" "$@"
	grep -v ' trap rfe ' "$_l.bare.tr" > "$_l.bare.entries"
}

# run_pair LABEL ELF VMM TRACE [vmlab options]: both's two runs (and lab
# 8's nested's): ELF with --stats --state, once with --bare and once with
# the options VMM; TRACE, if not empty, the options that trace to a file,
# each run's file (LABEL.MODE.tr) added after them.  Files LABEL.MODE.*
# (out, err, state, rc, img with DISK); RC_BARE and RC_VMM.
run_pair() {
	_l=$1 _e=$2 _v=$3 _t=$4; shift 4
	for _m in bare vmm; do
		if [ $_m = bare ]; then _o=--bare; else _o=$_v; fi
		_tr=
		[ -n "$_t" ] && _tr="$_t $_l.$_m.tr"
		_d=
		if [ -n "$DISK" ]; then cp "$DISK" "$_l.$_m.img"; _d="--disk $_l.$_m.img"; fi
		rec "$(q "$BIN/vmlab" run $_o --stats --state $_tr --max-insns "$BUDGET" $_d "$@" "$_e")< $(q "$INPUT")> $_l.$_m.out 2> $_l.$_m.err"
		timeout -s KILL "$HANG" "$BIN/vmlab" run $_o --stats --state $_tr \
			--max-insns "$BUDGET" $_d "$@" "$_e" < "$INPUT" > "$_l.$_m.out" 2> "$_l.$_m.err"
		_rc=$?
		sanitizer_report "$_l.$_m.err" "$_l, $_m"
		sed -n '/^pc: /,$p' "$_l.$_m.err" > "$_l.$_m.state"
		{
			echo "=== $_l ($_m): vmlab run $_o --state --max-insns $BUDGET $_d $* ${_e##*/} < ${INPUT##*/}"
			cat "$_l.$_m.out"
			grep -a '^vmlab: ' "$_l.$_m.err"
			echo "=== $_l ($_m): $(rc_text $_rc "$_l.$_m.err")"
		} >> "$OUT"
		echo $_rc > "$_l.$_m.rc"
		if [ $_m = bare ]; then RC_BARE=$_rc; else RC_VMM=$_rc; fi
	done
}

# pattern_disk FILE: the disk tests/e2e/vmm's programs expect (disk.s
# reads it back): 8 KiB of one line repeated.
pattern_disk() {
	yes "vmlab disk pattern 0123456789" | head -c 8192 > "$1"
}

# how LABEL MODE: how that run ended, with vmlab's message if any.
_how() {
	_r=$(grep -a '^vmlab: ' "$1.$2.err" | head -n 1)
	if [ $2 = bare ]; then _c=$RC_BARE; else _c=$RC_VMM; fi
	if [ "$_c" -eq 137 ]; then
		echo "vmlab was killed after $HANG s: the VMM loops without the guest advancing (a fault it handles forever?)"
	else
		case $_c in 125|126) echo "$(rc_text $_c "$1.$2.err")" ;;
		*) echo "$(rc_text $_c "$1.$2.err")${_r:+ ($_r)}" ;;
		esac
	fi
}

# _ended_alike LABEL: both runs ended the same way (a VMM failure, such as
# a stub's, never ends like anything on the bare machine).
_ended_alike() {
	[ "$RC_BARE" = "$RC_VMM" ] && ! grep -a -q '^vmlab: VMM failure' "$1.vmm.err"
}

same_status() {
	_ended_alike "$1" && return 0
	echo "bare machine: $(_how "$1" bare)"
	echo "under the VMM: $(_how "$1" vmm)"
	_first_trap "$1"
	return 1
}

# _first_trap LABEL: the first line of --trace=trap (a trap entry or an
# rfe) in which the two runs differ, if any: often the one line that
# finds the bug, even when the runs ended differently.
_first_trap() {
	cmp -s "$1.bare.tr" "$1.vmm.tr" && return 0
	awk -v b="$1.bare.tr" -v v="$1.vmm.tr" 'BEGIN {
		for (n = 1; ; n++) {
			rb = getline x < b; rv = getline y < v
			if (rb <= 0) x = "(none: no more traps)"
			if (rv <= 0) y = "(none: no more traps)"
			if (x != y || (rb <= 0 && rv <= 0)) break
		}
		print "trap line " n " differs (tick mode pc trap cause|rfe epc [badva tvec]):"
		print "  bare machine:  " x
		print "  under the VMM: " y
	}'
	echo "(vmlab run --trace=trap shows them all; the commands: rerun.sh in the test's folder)"
}

# _alike LABEL: both runs ended the same way; else say so, once, pointing
# at the status check: output, traps, state and disk contents only count
# then (a run that stopped early has written nothing wrong yet, and its
# registers differ because it stopped elsewhere).
_alike() {
	_ended_alike "$1" && return 0
	echo "not compared: the runs ended differently (see \"the same exit status\" above)"
	return 1
}

same_output() {
	_alike "$1" || return 1
	cmp -s "$1.bare.out" "$1.vmm.out" && return 0
	echo "the console output differs (- bare machine, + under the VMM):"
	diff -a -u "$1.bare.out" "$1.vmm.out" | tail -n +3 | head -n 20
	echo "(under the VMM: $(_how "$1" vmm))"
	return 1
}

same_traps() {
	_alike "$1" || return 1
	cmp -s "$1.bare.tr" "$1.vmm.tr" && return 0
	_first_trap "$1"
	echo "(under the VMM: $(_how "$1" vmm))"
	return 1
}

same_state() {
	_alike "$1" || return 1
	_l=$1; shift
	_skip=" $* "
	_diff=$(awk -v skip="$_skip" 'NR == FNR { b[$1] = $2; next }
		index(skip, " " substr($1, 1, length($1) - 1) " ") { seen[$1] = 1; next }
		{ seen[$1] = 1; if (b[$1] != $2) printf "  %-10s bare %-12s VMM %s\n", $1, b[$1], $2 }
		END { for (k in b) if (!(k in seen)) printf "  %-10s bare %-12s VMM (none)\n", k, b[k] }' \
		"$_l.bare.state" "$_l.vmm.state")
	[ -z "$_diff" ] && return 0
	echo "the guest's end state differs (vmlab run --state):"
	printf '%s\n' "$_diff" | head -n 12
	echo "(under the VMM: $(_how "$_l" vmm))"
	return 1
}

same_disk() {
	_alike "$1" || return 1
	cmp -s "$1.bare.img" "$1.vmm.img" && return 0
	echo "the disk contents differ after the run: $(cmp "$1.bare.img" "$1.vmm.img" 2>&1 | head -n 1)"
	return 1
}

stat() {
	sed -n "s/^$2: //p" "$1.vmm.err" | head -n 1
}

# stat_above LABEL NAME N WHAT: the VMM run's counter NAME is above N;
# else say what that means (WHAT).
stat_above() {
	_v=$(stat "$1" "$2")
	[ "${_v:-0}" -gt "$3" ] 2>/dev/null && return 0
	echo "expected: $4 ($2 > $3), got $2: ${_v:-none}"
	return 1
}

# equivalent WEIGHTS LABEL WHAT: the four checks of one program, each
# worth one of WEIGHTS ("status output traps state").
equivalent() {
	set -- $1 "$2" "$3"
	check "$1" "$6: the same exit status" same_status "$5"
	check "$2" "$6: the same console output" same_output "$5"
	check "$3" "$6: the same traps at the same ticks" same_traps "$5"
	check "$4" "$6: the same end state" same_state "$5"
}

reg() {
	finished "$RC_VMM" _reg "$@"
}

_reg() {
	_v=$(sed -n "s/^r$2: //p" "$1.vmm.state")
	[ "$_v" = "$3" ] && return 0
	echo "expected: r$2 = $3 when the guest powers off"
	echo "got:      r$2 = ${_v:-(none)}"
	return 1
}
