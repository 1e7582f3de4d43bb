# testlib.sh - what a lab test script sources (labs/README.md, "Tests").
#
# grade.sh runs each test as "sh labs/labN/tests/NAME.sh" in an empty
# scratch folder, with
#   SRC    the source tree's root          BUILD  its build folder
#   BIN    $BUILD/bin (pg32-as, vmlab...)  LAB    the lab's folder
#   OUT    the file to save the guest transcripts in (build/grade/labN/NAME.out)
#   TEST   the test's name
# all absolute.  A test prints what it checks, and for each failure what
# was expected and what happened; it ends with "finish", which prints the
# partial-credit line "@score EARNED TOTAL" that grade.sh scales to the
# test's points.  A test that ends otherwise is graded by its exit status
# (0 full marks, else none).
#
# Budgets are guest instructions (vmlab --max-insns), never wall-clock time.

_earned=0 _total=0
BUDGET=${BUDGET:-10000000}	# guest ticks per run
INPUT=${INPUT:-/dev/null}	# the console input of the next run

# check WEIGHT DESCRIPTION COMMAND...: one part of the test, worth WEIGHT.
# It passes if COMMAND succeeds; COMMAND's output says why it failed.
check() {
	_w=$1 _d=$2; shift 2
	_total=$((_total + _w))
	if _msg=$("$@" 2>&1); then
		_earned=$((_earned + _w))
		echo "ok    $_d"
	else
		echo "FAIL  $_d"
		[ -n "$_msg" ] && printf '%s\n' "$_msg" | head -n 40 | sed 's/^/      /'
	fi
	return 0
}

# finish: print the score line and exit 0 on full marks, 1 otherwise.
finish() {
	echo "@score $_earned $_total"
	[ "$_earned" -eq "$_total" ]
	exit
}

# fail_all MESSAGE: the test cannot even start (e.g. a file does not
# assemble): no points.
fail_all() {
	echo "FAIL  $*"
	echo "@score 0 1"
	exit 1
}

# rc_text STATUS: what vmlab's exit status means (monitor/README, vmlab --help).
rc_text() {
	case $1 in
	124) echo "the guest ran out of its budget of $BUDGET instructions (an endless loop, or waiting forever?)" ;;
	125) echo "vmlab refused to run it (host error, status 125)" ;;
	126) echo "the machine stopped: double fault or deadlock (status 126)" ;;
	*)   if [ "$1" -gt 128 ] 2>/dev/null; then echo "vmlab crashed (status $1)"
	     else echo "the guest powered off with code $1"; fi ;;
	esac
}

# run_guest LABEL ELF [vmlab options...]: run ELF on the bare machine with
# the budget BUDGET and console input INPUT.  Output in LABEL.out and
# LABEL.err here, the exit status in RC; both appended to $OUT.
run_guest() {
	_l=$1; shift
	"$BIN/vmlab" run --bare --max-insns "$BUDGET" "$@" < "$INPUT" > "$_l.out" 2> "$_l.err"
	RC=$?
	{
		echo "=== $_l: vmlab run --bare --max-insns $BUDGET $* < ${INPUT##*/}"
		cat "$_l.out"
		[ -s "$_l.err" ] && { echo "--- stderr:"; cat "$_l.err"; }
		echo "=== $_l: $(rc_text $RC)"
	} >> "$OUT"
	return 0
}

# assemble OUT.elf [pg32-as options] FILE...: assemble, or fail the whole
# test with the assembler's messages.
assemble() {
	_o=$1; shift
	"$BIN/pg32-as" -o "$_o" "$@" > as.log 2>&1 ||
		{ sed 's/^/      /' as.log; fail_all "pg32-as ${*##*/} failed (messages above)"; }
}

# --- assertions for check: silent on success, say why on failure ---------

# exits STATUS WANT: the run ended with power-off code WANT.
exits() {
	[ "$1" -eq "$2" ] && return 0
	echo "expected: the guest powers off with code $2"
	echo "got:      $(rc_text "$1")"
	return 1
}

# finished STATUS COMMAND...: COMMAND, but only once the run ended with
# power-off code 0 (a property of a run that never got there, like "no
# register was clobbered", must not earn points by default).
finished() {
	_rc=$1; shift
	if [ "$_rc" -ne 0 ]; then
		echo "not checked: the run did not finish ($(rc_text "$_rc"))"
		return 1
	fi
	"$@"
}

# has_line FILE LINE: LINE occurs exactly once in FILE.
has_line() {
	_n=$(grep -a -c -x -F -e "$2" "$1")
	[ "$_n" -eq 1 ] && return 0
	echo "expected the line:  $2"
	if [ "$_n" -eq 0 ]; then
		_near=$(grep -a -F -e "$(printf '%s' "$2" | cut -c1-12)" "$1" | head -n 3)
		if [ -n "$_near" ]; then echo "got instead:"; printf '%s\n' "$_near" | sed 's/^/    /'
		else
			echo "got: no such line; the run ended with (transcript in ${OUT#$SRC/}):"
			tail -n 3 "$1" | cut -c1-150 | sed 's/^/    /'
		fi
	else
		echo "got it $_n times"
	fi
	return 1
}

# lacks_line FILE LINE: LINE does not occur in FILE.
lacks_line() {
	grep -a -q -x -F -e "$2" "$1" || return 0
	echo "unexpected line: $2"
	return 1
}

# lacks_match FILE REGEX: no line of FILE matches the extended REGEX; else
# the lines that do.
lacks_match() {
	grep -a -q -E -e "$2" "$1" || return 0
	grep -a -E -e "$2" "$1" | head -n 5
	return 1
}

# in_order FILE LINE...: the LINEs occur in FILE in this order.
in_order() {
	_f=$1; shift
	_prev=0 _pl="(start)"
	for _x in "$@"; do
		_at=$(grep -a -n -x -F -e "$_x" "$_f" | head -n 1 | cut -d: -f1)
		if [ -z "$_at" ]; then echo "missing line: $_x"; return 1; fi
		if [ "$_at" -le "$_prev" ]; then
			echo "expected \"$_x\" after \"$_pl\", but it comes before it"
			return 1
		fi
		_prev=$_at _pl=$_x
	done
}

# same_file EXPECTED ACTUAL: the files are equal; else the diff.
same_file() {
	cmp -s "$1" "$2" && return 0
	echo "the output differs from the expected one (- expected, + got):"
	diff -u "$1" "$2" | tail -n +3 | head -n 30
	return 1
}

# --- randomized inputs -------------------------------------------------

# seed DEFAULT: SEED = $GRADE_SEED, or DEFAULT; says which.
seed() {
	SEED=${GRADE_SEED:-$1}
	echo "seed $SEED (GRADE_SEED=N make grade ... TEST=$TEST to vary it)"
}

# rand_ints SEED COUNT LO HI: COUNT integers in LO..HI, one per line, the
# same for a seed on every machine (Park-Miller, exact in awk's doubles).
rand_ints() {
	awk -v s="$1" -v n="$2" -v lo="$3" -v hi="$4" 'BEGIN {
		x = s % 2147483647; if (x <= 0) x += 2147483646
		for (i = 0; i < n; i++) {
			x = (x * 16807) % 2147483647
			print lo + x % (hi - lo + 1)
		}
	}'
}

