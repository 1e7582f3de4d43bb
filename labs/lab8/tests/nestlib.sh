# nestlib.sh - lab 8's runs under hardware assist (sourced after
# testlib.sh and vmmlib.sh).  vmmlib's both runs a guest bare and under
# shadow paging; nested runs it bare and under --mmu=nested, the VMM on the
# PG32-V machine's guest mode and nested paging (isa/ISA.md 16):
#
#   nested LABEL ELF [vmlab options]   run ELF with --stats --state, once
#           with --bare and once with --mmu=nested (with DISK=IMG each run
#           its own copy).  Files LABEL.bare.* and LABEL.vmm.* (out, err,
#           state, img) and RC_BARE, RC_VMM, as both leaves them, so that
#           vmmlib's same_status, same_output, same_state, same_disk, stat
#           and stat_above read them.  Traps are the machine's in guest
#           mode, not the VMM's: there is no same_traps here.
#   none LABEL NAME WHAT   LABEL's nested run powered off with 0 and its
#                          --stats has no NAME counter (or 0)
#   above LABEL NAME N WHAT  ... and its counter NAME is above N

nested() {
	_l=$1 _e=$2; shift 2
	for _m in bare vmm; do
		if [ $_m = bare ]; then _o=--bare; else _o=--mmu=nested; fi
		_d=
		if [ -n "$DISK" ]; then cp "$DISK" "$_l.$_m.img"; _d="--disk $_l.$_m.img"; fi
		rec "$(q "$BIN/vmlab" run $_o --stats --state --max-insns "$BUDGET" $_d "$@" "$_e")< $(q "$INPUT")> $_l.$_m.out 2> $_l.$_m.err"
		timeout -s KILL "$HANG" "$BIN/vmlab" run $_o --stats --state --max-insns "$BUDGET" \
			$_d "$@" "$_e" < "$INPUT" > "$_l.$_m.out" 2> "$_l.$_m.err"
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
	RC_ERR=$_l.vmm.err
}

none() {
	finished "$(cat "$1.vmm.rc")" _none "$@"
}

above() {
	finished "$(cat "$1.vmm.rc")" stat_above "$@"
}

_none() {
	_v=$(stat "$1" "$2")
	[ "${_v:-0}" = 0 ] && return 0
	echo "expected: no $2 ($3)"
	echo "got:      $2 = $_v"
	return 1
}
