#!/bin/sh
# grade.sh - build a tree, run one lab's tests, print the grade.
#
#   sh labs/tools/grade.sh [--test NAME[,NAME...]] [--json FILE] [--notes FILE] labs/labN
#
# Run from the root of the source tree (the repository, a handout, the
# autograder's tree), usually as "make grade LAB=N [TEST=NAME] [JSON=FILE]".
# Environment: BUILD (default build), MAKE (default make), GRADE_TIMEOUT
# (seconds, default 300: a guard against a hung host process only; guests
# are bounded by their instruction budgets), GRADE_SEED (randomized tests),
# GRADE_DIR (default $BUILD/grade/labN: the files below), GRADE_USER (run
# the build and the tests as this user: sandbox.sh; the autograder's),
# GRADE_FILE_MB (default 32: no file a test writes grows beyond it; the
# rest of the output is cut, and the test's log says so), GRADE_FAILFAST
# (a test stops at its first failed check, its partial score unknown:
# labs-check's mutants; testlib.sh).
#
# Builds the manifest's "build" targets, then runs each test of
# labs/labN/lab.conf (or only the NAMEs, in the manifest's order) and
# prints one line per test with the points earned and possible, the
# failures' messages, a subtotal per group and the total.  Files, in $BUILD/grade/labN/:
#   NAME.log     what the test printed       NAME.out  its guest transcripts
#   NAME/        a failed test's folder: its files and rerun.sh, the
#                commands it ran (removed when the test passes)
#   build.log    the build's messages        results.tsv  one line per test
#   and with --json, FILE: Gradescope's results.json.  A test that fails to
#   build, crashes or hangs is a failed entry with 0 points, never a
#   missing one; FILE is written (score 0) before anything can go wrong.
# Exit status: 0 on full marks, 1 otherwise, 2 on a usage error.
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/sandbox.sh"

only= json= notes=
while [ $# -gt 1 ]; do
	case $1 in
	--test) only=$2; shift 2 ;;
	--json) json=$2; shift 2 ;;
	--notes) notes=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || die "usage: grade.sh [--test NAME[,NAME...]] [--json FILE] [--notes FILE] labs/labN"
lab=${1%/}
lab_valid "$lab" || exit 2
name=${lab##*/}
title=$(lab_conf "$lab" title)
SRC=$(pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
MAKE=${MAKE:-make}
GRADE_TIMEOUT=${GRADE_TIMEOUT:-300}
GRADE_FILE_MB=${GRADE_FILE_MB:-32}
export GRADE_FILE_MB	# testlib's rc_text names the limit
dir=${GRADE_DIR:-$BUILD/grade/$name}
case $dir in /*) ;; *) dir=$SRC/$dir ;; esac
sandbox_init
case $dir/ in "$BUILD"/*) [ -n "$SANDBOX" ] &&
	die "GRADE_DIR ($dir) must be outside BUILD, which the submission's build writes" ;; esac
mkdir -p "$dir" || die "cannot create $dir"
tsv=$dir/results.tsv
: > "$tsv"

write_json() {	# write_json: results.json from results.tsv, atomically
	[ -n "$json" ] || return 0
	LC_ALL=C awk -v dir="$dir" -v title="$title" -v notefile="$notes" \
		-f "$SRC/labs/tools/json.awk" "$tsv" > "$json.tmp" && mv "$json.tmp" "$json"
}
tests=$(lab_tests "$lab") || die "$lab/lab.conf: malformed test line"
if [ -n "$only" ]; then
	all=$tests
	[ -n "$(echo "$only" | tr -d ', ')" ] || die "--test: no test named in '$only'"
	for o in $(echo "$only" | tr , ' '); do
		printf '%s\n' "$all" | awk -v t="$o" '$1 == t { f = 1 } END { exit !f }' ||
			die "$lab/lab.conf: no test named '$o'; the tests: $(printf '%s\n' "$all" | awk '{ printf "%s%s", sep, $1; sep = " " }')"
	done
	tests=$(printf '%s\n' "$all" | awk -v t=",$only," 'index(t, "," $1 ",")')
fi
if [ -n "$json" ]; then	# first every test failed, until it has run
	case $json in /*) ;; *) json=$SRC/$json ;; esac
	mkdir -p "$(dirname "$json")"
	printf '%s\n' "$tests" | while read -r t pts group flags; do
		echo "FAIL  not run: the grader stopped before this test" > "$dir/$t.log"
		: > "$dir/$t.out"
		printf '%s\t0\t%s\tfailed\t%s\t%s\tvisible\n' "$t" "$pts" "$group" "$flags"
	done > "$tsv"
	write_json
	: > "$tsv"
fi

# build_errors MAX: the compiler's and assembler's errors in build.log with
# the lines that follow them (diag.awk), or the log's end if it has none.
build_errors() {
	awk -v max="$1" -f "$SRC/labs/tools/diag.awk" "$dir/build.log" > "$dir/build.errors"
	[ -s "$dir/build.errors" ] || tail -n "$1" "$dir/build.log" > "$dir/build.errors"
	cat "$dir/build.errors"
}

for t in $(lab_tests "$lab" | awk '{ print $1 }'); do sandbox_hide "$lab" "$t"; done
targets=$(lab_conf "$lab" build)
echo "$name: $title"
sandbox_build "$BUILD"
# make sees BUILD relative to the tree when it is inside it, so that the
# dependency files it writes stay right in a copy of the tree.
if $SANDBOX $MAKE --no-print-directory BUILD="${BUILD#$SRC/}" PG32_ASFLAGS="--include-root $SRC" \
	${targets:-all} > "$dir/build.log" 2>&1; then
	built=yes
else
	built=no
	echo "  the build failed; every test fails (all the messages: ${dir#$SRC/}/build.log):"
	build_errors 30 | sed 's/^/    /'
fi
sandbox_freeze "$BUILD"
sandbox_private "$dir"

san=; [ -n "${SANITIZE:-}" ] && san=" SANITIZE=$SANITIZE"	# make grade SANITIZE=1
# rerun_hint TEST: where a failed test's files are and how to rerun it.
rerun_hint() {
	[ -d "$dir/$1" ] || return 0
	echo "its files (programs, traces, outputs): ${dir#$SRC/}/$1/"
	if [ -f "$dir/$1/rerun.sh" ]; then
		echo "rerun it: make grade LAB=${name#lab} TEST=$1$san; its commands one by one: (cd ${dir#$SRC/}/$1 && sh rerun.sh)"
		grep -v '^#' "$dir/$1/rerun.sh" | head -n 4 | sed 's/^/  $ /'
	else
		echo "rerun it: make grade LAB=${name#lab} TEST=$1$san"
	fi
}

tmo=; command -v timeout >/dev/null 2>&1 && tmo="timeout -k 10 $GRADE_TIMEOUT"

printf '%s\n' "$tests" | while read -r t pts group flags; do
	log=$dir/$t.log out=$dir/$t.out
	: > "$out"
	rc=0
	if [ $built = no ]; then
		{ echo "FAIL  the tree did not build; the errors:"
		  sed 's/^/      /' "$dir/build.errors"; } > "$log"
		rc=1
	elif [ ! -f "$lab/tests/$t.sh" ]; then
		echo "FAIL  no test script $lab/tests/$t.sh" > "$log"; rc=1
	else
		scratch=$dir/$t	# the test's folder: kept if it fails
		rm -rf "$scratch" && mkdir -p "$scratch" || die "cannot create $scratch"
		sandbox_begin "$lab" "$t" "$scratch" "$out"
		# ulimit -f counts 512-byte blocks: a write past the limit fails
		# (SIGXFSZ), so a guest printing without end fills no disk.
		(cd "$scratch" && ulimit -f $((GRADE_FILE_MB * 2048)) && SRC=$SRC BUILD=$BUILD BIN=$BUILD/bin LAB=$SRC/$lab \
			OUT=$out TEST=$t $tmo $SANDBOX sh "$SRC/$lab/tests/$t.sh") < /dev/null > "$log" 2>&1
		rc=$?
		sandbox_end "$lab" "$t" "$scratch" "$out"
		find "$scratch" "$out" -type f -size +$((GRADE_FILE_MB * 2048 - 1)) | while IFS= read -r f; do
			echo "FAIL  output cut: ${f#$dir/} reached the limit of $GRADE_FILE_MB MB per file; the rest was not written"
		done >> "$log"
		case $rc in 0|1) ;;
		124|137) echo "FAIL  killed after $GRADE_TIMEOUT s of host time: a hung host process (guest budgets count instructions, not seconds)" >> "$log" ;;
		*) echo "FAIL  the test script ended with status $rc (a crash?)" >> "$log" ;;
		esac
	fi
	# Score: the @score line scaled to the test's points, or all or
	# nothing by exit status; a crash or a hang earns nothing.
	earned=$(awk -v rc=$rc -v pts="$pts" '
		/^@score [0-9]+ [0-9]+$/ { e = $2; n = $3; seen = 1 }
		END {
			if (rc > 1) v = 0
			else if (seen && n > 0) v = pts * (e > n ? n : e) / n
			else v = (rc == 0 ? pts : 0)
			if (rc != 0 && v >= pts) v = 0	# claims full marks, yet failed
			printf "%s\n", int(v * 100 + 0.5) / 100
		}' "$log")
	status=failed
	[ $rc -eq 0 ] && [ "$earned" = "$pts" ] && status=passed
	vis=visible
	has_flag "$flags" hidden && vis=after_due_date
	for f in $(echo "$flags" | tr , ' '); do
		case $f in vis=*) vis=${f#vis=} ;; esac
	done
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$earned" "$pts" "$status" "$group" "$flags" "$vis" >> "$tsv"
	if [ $status = passed ]; then
		rm -rf "$dir/$t"
		printf '  PASS  %-24s %6s / %-3s\n' "$t" "$earned" "$pts"
	else
		printf '  FAIL  %-24s %6s / %-3s  %s\n' "$t" "$earned" "$pts" "${out#$SRC/}"
		if [ $built = yes ]; then	# the first failures, the log has all
			grep -a -v -e '^ok ' -e '^@score ' "$log" | head -n 12 | fold -s -w 150 | sed 's/^/        /'
			n=$(grep -a -vc -e '^ok ' -e '^@score ' "$log")
			[ "$n" -gt 12 ] && echo "        ... $((n - 12)) more lines in ${log#$SRC/}"
			rerun_hint "$t" | tee -a "$log" | sed 's/^/        /'
		fi
	fi
done

write_json
awk -F '\t' '
	{ if (!($5 in g)) order[++n] = $5; g[$5] += $2; gm[$5] += $3; s += $2; m += $3 }
	END {
		if (n > 1) for (i = 1; i <= n; i++)
			printf "  %-30s %6s / %s\n", "subtotal " order[i], g[order[i]], gm[order[i]]
		printf "total: %s / %s\n", s + 0, m + 0
		exit (s == m ? 0 : 1)
	}' "$tsv"
