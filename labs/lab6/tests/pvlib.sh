# pvlib.sh - lab 6's runs under the paravirtual interface (sourced after
# testlib.sh and vmmlib.sh).  vmmlib's both runs a guest bare and fully
# virtualized; pv runs it a third way, with the hypercalls offered:
#
#   pv LABEL ELF [vmlab options]   run ELF under the VMM with --pv
#           (--shadow=$POLICY, --stats, --state; with DISK=IMG its own
#           copy LABEL.vmm.img).  Files LABEL.vmm.* (out, err, state) and
#           RC_VMM, as both leaves them, so that vmmlib's same_output,
#           same_disk, stat and stat_above read them (and RC_ERR, so that
#           exits $RC_VMM 0 says how it ended).  With BASE=B, LABEL.bare.*
#           are copies of B.bare.* (the runs of a both B) and RC_BARE stays
#           B's: same_output LABEL compares the paravirtual run with the
#           bare machine.

pv() {
	_l=$1 _e=$2; shift 2
	_d=
	if [ -n "$DISK" ]; then cp "$DISK" "$_l.vmm.img"; _d="--disk $_l.vmm.img"; fi
	for _f in out err state tr img; do
		[ -n "${BASE:-}" ] && [ -e "$BASE.bare.$_f" ] && cp "$BASE.bare.$_f" "$_l.bare.$_f"
	done
	rec "$(q "$BIN/vmlab" run --pv --shadow="$POLICY" --stats --state --max-insns "$BUDGET" $_d "$@" "$_e")< $(q "$INPUT")> $_l.vmm.out 2> $_l.vmm.err"
	timeout -s KILL "$HANG" "$BIN/vmlab" run --pv --shadow="$POLICY" --stats --state \
		--max-insns "$BUDGET" $_d "$@" "$_e" < "$INPUT" > "$_l.vmm.out" 2> "$_l.vmm.err"
	RC_VMM=$? RC_ERR=$_l.vmm.err
	sanitizer_report "$_l.vmm.err" "$_l, --pv"
	sed -n '/^pc: /,$p' "$_l.vmm.err" > "$_l.vmm.state"
	{
		echo "=== $_l (pv): vmlab run --pv --shadow=$POLICY --state --max-insns $BUDGET $_d $* ${_e##*/} < ${INPUT##*/}"
		cat "$_l.vmm.out"
		grep -a '^vmlab: ' "$_l.vmm.err"
		echo "=== $_l (pv): $(rc_text $RC_VMM "$_l.vmm.err")"
	} >> "$OUT"
}

