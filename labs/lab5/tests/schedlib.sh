# schedlib.sh - lab 5's runs of many VMs on one host (sourced after
# testlib.sh).  Every run is bounded by guest ticks: with --time=real a
# VM's clock follows the host's, so --max-insns T stops every VM once the
# host clock reaches T, and the shares in --stats are the shares of the
# first T host ticks.
#
#   host LABEL [vmlab run options] --vm IMAGE,... --vm ...
#           vmlab run --stats --max-insns $BUDGET --console-dir LABEL.d
#           with the options: stderr (the statistics, how each VM ended)
#           in LABEL.err, VM NAME's console in LABEL.d/NAME.out; RC_HOST.
#           Appended to $OUT.
#   val LABEL NAME          the statistic NAME of that run ("NAME: value")
#   share LABEL VM WANT TOL WHY   VM's CPU share (NAME_cpu_share) is WANT
#                           within TOL (absolute); WHY says why WANT
#   within LABEL NAME LO HI WHY   LO <= statistic NAME <= HI
#   console LABEL VM LINE   VM's console printed LINE (exactly once)
#   after LABEL COMMAND...  COMMAND (testlib's has_line, same_file...)
# Each assertion first checks that the run ended as the test expects
# (status 124: every VM used its budget, or the EXPECT_RC of the run)
# and printed its statistics; otherwise it says how the run ended: a
# stub's "vmlab: lab5: ... not implemented", a crash, a hang.

HANG=${HANG:-30}	# seconds: a scheduler that loops without the host clock moving
EXPECT_RC=${EXPECT_RC:-124}

host() {
	_l=$1; shift
	rm -rf "$_l.d" && mkdir "$_l.d"
	rec "$(q "$BIN/vmlab" run --stats --max-insns "$BUDGET" --console-dir "$_l.d" "$@")< /dev/null > $_l.stdout 2> $_l.err"
	timeout -s KILL "$HANG" "$BIN/vmlab" run --stats --max-insns "$BUDGET" --console-dir "$_l.d" \
		"$@" < /dev/null > "$_l.stdout" 2> "$_l.err"
	RC_HOST=$?
	eval "RC_$_l=\$RC_HOST EXP_$_l=\$EXPECT_RC"
	sanitizer_report "$_l.err" "$_l"
	{
		echo "=== $_l: vmlab run --max-insns $BUDGET $*"
		for _f in "$_l.d"/*.out; do
			[ -s "$_f" ] || continue
			_n=${_f##*/}
			sed "s/^/${_n%.out}| /" "$_f"
		done
		grep -a -E '^vmlab: |^sched_|_cpu_share: |_ran: |_wake_latency_max: |_boosts: ' "$_l.err"
		echo "=== $_l: $(_host_how "$_l" "$RC_HOST")"
	} >> "$OUT"
}

# _host_how LABEL STATUS: how the run ended, in words.
_host_how() {
	if [ "$2" -eq 137 ]; then
		echo "vmlab was killed after $HANG s: the host loops without its clock moving (an idle of 0 ticks forever?)"
		return
	fi
	_r=$(grep -a -m 1 '^vmlab: lab5: ' "$1.err")
	if [ -n "$_r" ]; then
		echo "it reached a stub: ${_r#vmlab: } (vmlab aborted, status $2)"
		return
	fi
	case $2 in
	124) echo "every VM ran until its budget of $BUDGET ticks (status 124)" ;;
	*)   rc_text "$2" "$1.err" ;;
	esac
}

# _ran LABEL: the run ended as expected and printed its statistics.
_ran() {
	eval "_rc=\$RC_$1 _want=\$EXP_$1"
	if [ "$_rc" -eq "$_want" ] && grep -a -q '^sched_host_ticks: ' "$1.err"; then
		return 0
	fi
	echo "not checked: the run $1 did not end as expected: $(_host_how "$1" "$_rc")"
	return 1
}

val() {
	sed -n "s/^$2: //p" "$1.err" | head -n 1
}

# _cmp V LO HI: LO <= V <= HI, in awk's arithmetic.
_cmp() {
	awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo + 0 && v + 0 <= hi + 0) }'
}

share() {
	_ran "$1" || return 1
	_v=$(val "$1" "$2_cpu_share")
	_lo=$(awk -v w="$3" -v t="$4" 'BEGIN { printf "%.4f", w - t }')
	_hi=$(awk -v w="$3" -v t="$4" 'BEGIN { printf "%.4f", w + t }')
	_cmp "$_v" "$_lo" "$_hi" && return 0
	echo "expected: $2's share of the CPU $3 +- $4 ($5)"
	echo "got:      ${_v:-no $2_cpu_share line}"
	_all=$(grep -a -E '_cpu_share: ' "$1.err" | tr '\n' ' ')
	[ -n "$_all" ] && echo "all shares: $_all"
	return 1
}

within() {
	_ran "$1" || return 1
	_v=$(val "$1" "$2")
	_cmp "$_v" "$3" "$4" && return 0
	echo "expected: $2 between $3 and $4 ($5)"
	echo "got:      $2: ${_v:-none}"
	return 1
}

console() {
	_ran "$1" || return 1
	has_line "$1.d/$2.out" "$3"
}

# after LABEL COMMAND...: the run ended as expected, and COMMAND.
after() {
	_ran "$1" || return 1
	shift
	"$@"
}
