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
ASM_ROOT=${ASM_ROOT:-$SRC}	# what .include may read (assemble)
RC_ERR=				# the last run's stderr (rc_text)

# check WEIGHT DESCRIPTION COMMAND...: one part of the test, worth WEIGHT.
# It passes if COMMAND succeeds; COMMAND's output says why it failed.
# With GRADE_FAILFAST set (labs-check grading a mutant, which only needs
# to know whether each test fails), the first failed check ends the test:
# failed as it would have been, its partial score left unknown (what it
# earned of the checks so far).
check() {
	_w=$1 _d=$2; shift 2
	_total=$((_total + _w))
	if _msg=$("$@" 2>&1); then
		_earned=$((_earned + _w))
		printf 'ok    %s\n' "$_d"
	else
		printf 'FAIL  %s\n' "$_d"
		[ -n "$_msg" ] && printf '%s\n' "$_msg" | head -n 40 | sed 's/^/      /'
		if [ -n "${GRADE_FAILFAST:-}" ]; then
			echo "(GRADE_FAILFAST: the test stops at its first failed check)"
			finish
		fi
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
	printf 'FAIL  %s\n' "$*"
	echo "@score 0 1"
	exit 1
}

# rc_text STATUS [ERRFILE]: what vmlab's exit status means (monitor/README,
# vmlab --help); with ERRFILE (the run's stderr, default $RC_ERR), vmlab's
# own message in full: a VMM failure's text, a sanitizer's finding.
rc_text() {
	_ef=${2:-$RC_ERR}
	[ -n "$_ef" ] && [ -f "$_ef" ] || _ef=/dev/null
	_san=$(grep -a -m 1 -E -e '(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|: runtime error: ' "$_ef")
	_why=$(grep -a -m 1 '^vmlab: ' "$_ef")
	if [ -n "$_san" ]; then
		echo "vmlab's host code failed a sanitizer check (status $1), not the guest: ${_san#==*==}"
		return
	fi
	case $1 in
	124) echo "the guest ran out of its budget of $BUDGET instructions (an endless loop, or waiting forever?)" ;;
	125) echo "vmlab refused to run it (host error, status 125)${_why:+: ${_why#vmlab: }}" ;;
	126) case $_why in
	     "vmlab: VMM failure"*) echo "${_why#vmlab: } (status 126)" ;;
	     "") echo "the machine stopped: double fault, deadlock or VMM failure (status 126)" ;;
	     *)  echo "the machine stopped: ${_why#vmlab: } (status 126)" ;;
	     esac ;;
	*)   if [ "$1" -gt 128 ] 2>/dev/null && [ "$(kill -l "$(($1 - 128))" 2>/dev/null)" = XFSZ ]; then
		     echo "the run's output reached the limit of ${GRADE_FILE_MB:-?} MB per file and was cut (status $1): a guest printing without end?"
	     elif [ "$1" -gt 128 ] 2>/dev/null; then
		     echo "vmlab crashed: signal SIG$(kill -l "$(($1 - 128))" 2>/dev/null || echo "$(($1 - 128))") (status $1)"
	     else echo "the guest powered off with code $1"; fi ;;
	esac
}

# sanitizer_report ERRFILE LABEL: print the sanitizer's report in ERRFILE,
# if there is one (make grade SANITIZE=1), so that it reaches the log.
sanitizer_report() {
	grep -a -q -E -e '(Address|Leak|UndefinedBehavior)Sanitizer|: runtime error: ' "$1" || return 0
	echo "vmlab's sanitizer report ($2, the first lines; all of it in the test's folder, $1):"
	grep -a -v '^vmlab: ' "$1" | grep -a -E -A 20 -m 1 -e 'Sanitizer|: runtime error: ' | head -n 20 | sed 's/^/    /'
}

# rec COMMAND-LINE: note a command in rerun.sh, this folder's record of
# what the test ran, so that a student can rerun a failed test by hand.
rec() {
	[ -f rerun.sh ] || printf '# %s: the commands of test %s; rerun them here: sh rerun.sh
' \
		"${LAB##*/}" "$TEST" > rerun.sh
	printf '%s\n' "$*" >> rerun.sh
}

# q ARG...: the arguments quoted for sh, for rec.
q() {
	for _a in "$@"; do
		case $_a in
		*[!A-Za-z0-9_./=:,+@%-]*|"") printf "'%s' " "$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s ' "$_a" ;;
		esac
	done
}

# run_guest LABEL ELF [vmlab options...]: run ELF on the bare machine with
# the budget BUDGET and console input INPUT.  Output in LABEL.out and
# LABEL.err here, the exit status in RC; both appended to $OUT.
run_guest() {
	_l=$1; shift
	rec "$(q "$BIN/vmlab" run --bare --max-insns "$BUDGET" "$@")< $(q "$INPUT")> $_l.out 2> $_l.err"
	"$BIN/vmlab" run --bare --max-insns "$BUDGET" "$@" < "$INPUT" > "$_l.out" 2> "$_l.err"
	RC=$? RC_ERR=$_l.err
	sanitizer_report "$_l.err" "$_l"
	{
		echo "=== $_l: vmlab run --bare --max-insns $BUDGET $* < ${INPUT##*/}"
		cat "$_l.out"
		[ -s "$_l.err" ] && { echo "--- stderr:"; cat "$_l.err"; }
		echo "=== $_l: $(rc_text $RC)"
	} >> "$OUT"
	return 0
}

# assemble OUT.elf [pg32-as options] FILE...: assemble, or fail the whole
# test with the assembler's messages.  .include reads only files inside
# ASM_ROOT (default: the tree, SRC): a submission cannot copy another file
# of the machine into the log.
assemble() {
	_o=$1; shift
	rec "$(q "$BIN/pg32-as" --include-root "$ASM_ROOT" -o "$_o" "$@")"
	"$BIN/pg32-as" --include-root "$ASM_ROOT" -o "$_o" "$@" > as.log 2>&1 ||
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

