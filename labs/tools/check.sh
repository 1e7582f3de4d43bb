#!/bin/sh
# check.sh - CI's test of the labs and of their grader ("make labs-check").
#
#   sh labs/tools/check.sh WORKDIR N...
#
# For each lab N, from the root of the repository:
#   reference   the tree as it is earns full marks (hidden tests included);
#   handout     the student tree earns exactly the points of the tests
#               flagged "free" and nothing of the others;
#   autograder  the zip's run_autograder logic gives full marks to the
#               reference's files and only the free points to an empty
#               submission, in a well-formed results.json;
#   mutants     each labs/labN/mutants/NAME.patch, applied to a copy of the
#               tree, loses points, and fails every test its
#               "Expect-fail:" header line names.
# Trees are made under WORKDIR/labN/.  Prints a line per check; exit
# status 1 if any failed.
. "$(dirname "$0")/common.sh"

[ $# -ge 2 ] || die "usage: check.sh WORKDIR N..."
work=$1; shift
mkdir -p "$work" && work=$(cd "$work" && pwd) || die "cannot create $work"
MAKE=${MAKE:-make}
root=$(pwd)
bad=0

ok()   { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; bad=1; }

# tsv_sum TSV [FILTER]: "earned max" over results.tsv lines.
tsv_sum() { awk -F '\t' '{ s += $2; m += $3 } END { print s + 0, m + 0 }' "$1"; }

# grade_in DIR N LOG: "make grade LAB=N" in the tree DIR; its results.tsv
# path on stdout.
grade_in() {
	(cd "$1" && $MAKE --no-print-directory grade LAB=$2 BUILD=build) > "$3" 2>&1
	echo "$1/build/grade/lab$2/results.tsv"
}

for n in "$@"; do
	lab=labs/lab$n
	w=$work/lab$n
	rm -rf "$w" && mkdir -p "$w"
	echo "lab$n: $(lab_conf "$lab" title)"
	free=$(lab_tests "$lab" | awk '$4 ~ /(^|,)free(,|$)/ { s += $2 } END { print s + 0 }')
	all=$(lab_tests "$lab" | awk '{ s += $2 } END { print s + 0 }')

	# The reference, in a copy (so that a broken build elsewhere in the
	# work tree shows up here the same as in CI).
	copy_tree "$w/reference" || die "cannot copy the tree"
	tsv=$(grade_in "$w/reference" "$n" "$w/reference.log")
	set -- $(tsv_sum "$tsv")
	if [ "$1" = "$all" ] && [ "$2" = "$all" ]; then ok "reference: $1 / $2"
	else fail "reference: $1 / $all (log: $w/reference.log)"; sed 's/^/        /' "$w/reference.log" | head -n 30
	fi

	# The handout.
	if sh labs/tools/handout.sh "$lab" "$w/handout" > "$w/handout.log" 2>&1; then
		tsv=$(grade_in "$w/handout" "$n" "$w/handout-grade.log")
		wrong=$(awk -F '\t' '
			$6 ~ /(^|,)free(,|$)/ && $4 != "passed" { print $1 " (free, not passed)" }
			$6 !~ /(^|,)free(,|$)/ && $2 != 0 { print $1 " (" $2 " points without work)" }' "$tsv")
		set -- $(tsv_sum "$tsv")
		if [ -z "$wrong" ] && [ "$1" = "$free" ]; then ok "handout: $1 / $2 (the free points)"
		else fail "handout: $1 / $2, expected $free: $(echo $wrong)"
		fi
		hidden=$(lab_tests "$lab" | awk '$4 ~ /(^|,)hidden(,|$)/ { print $1 }')
		for t in $hidden; do
			[ -e "$w/handout/$lab/tests/$t.sh" ] && fail "handout: hidden test $t is in it"
		done
	else
		fail "handout: handout.sh failed:"; sed 's/^/        /' "$w/handout.log"
	fi

	# The autograder: an empty submission, then the reference's files
	# (loose, as a student uploads them).
	if sh labs/tools/autograder.sh "$lab" "$w" > "$w/autograder.log" 2>&1 &&
	   (cd "$w" && unzip -q "lab$n.zip" -d ag); then
		mkdir -p "$w/sub-empty" "$w/sub-ref"
		for f in $(lab_conf "$lab" submit); do cp "$f" "$w/sub-ref/"; done
		for s in empty ref; do
			(cd "$w/ag/tree" && MAKE=$MAKE sh labs/tools/autograde.sh "$lab" \
				"$w/sub-$s" "$w/results-$s.json") > "$w/autograde-$s.log" 2>&1
			score=$(sed -n 's/^  "score": \(.*\),$/\1/p' "$w/results-$s.json")
			ntests=$(grep -c '^    {"name": ' "$w/results-$s.json")
			want=$free; [ $s = ref ] && want=$all
			valid=yes
			if command -v python3 >/dev/null 2>&1; then
				python3 -m json.tool "$w/results-$s.json" >/dev/null 2>&1 || valid=no
			fi
			if [ "$score" = "$want" ] && [ "$ntests" -eq "$(lab_tests "$lab" | wc -l)" ] && [ $valid = yes ]; then
				ok "autograder, $s submission: $score / $all"
			else
				fail "autograder, $s submission: score '$score' (want $want), $ntests tests, valid JSON: $valid ($w/autograde-$s.log)"
			fi
		done
		sh labs/tools/attacks.sh "$lab" "$w/handout" "$w/ag/tree" "$w" || bad=1
	else
		fail "autograder: the zip was not made:"; sed 's/^/        /' "$w/autograder.log"
	fi

	# The mutants.
	for p in "$lab"/mutants/*.patch; do
		[ -f "$p" ] || continue
		m=$(basename "$p" .patch)
		expect=$(sed -n 's/^Expect-fail://p' "$p")
		t=$w/mutant-$m
		copy_tree "$t" || die "cannot copy the tree"
		if ! (cd "$t" && patch -p1 -s --no-backup-if-mismatch) < "$p" > "$w/mutant-$m.log" 2>&1; then
			fail "mutant $m: the patch does not apply:"; sed 's/^/        /' "$w/mutant-$m.log"
			continue
		fi
		tsv=$(grade_in "$t" "$n" "$w/mutant-$m.log")
		set -- $(tsv_sum "$tsv")
		missed=
		for x in $expect; do
			awk -F '\t' -v t="$x" '$1 == t && $4 == "failed" { f = 1 } END { exit !f }' "$tsv" ||
				missed="$missed $x"
		done
		failed=$(awk -F '\t' '$4 == "failed" { printf " %s", $1 }' "$tsv")
		if [ -n "$expect" ] && [ -z "$missed" ] && [ "$(echo "$1 < $2" | awk '{ print ($1 < $3) }')" = 1 ]; then
			ok "mutant $m: $1 / $2, failed:$failed"
		else
			fail "mutant $m: $1 / $2, failed:${failed:- none}; expected to fail:${expect:- (no Expect-fail line)}"
		fi
		rm -rf "$t"
	done
done
[ $bad -eq 0 ] && echo "labs-check: all passed" || echo "labs-check: FAILED"
exit $bad
