#!/bin/sh
# check.sh - CI's test of the labs and of their grader ("make labs-check").
#
#   sh labs/tools/check.sh [--seed BUILD] WORKDIR N...
#
# For each lab N, from the root of the repository:
#   manifest    lab.conf parses (conf.awk); the README's points table and
#               sums agree with it (points.awk);
#   reference   the tree as it is earns full marks (hidden tests included);
#   handout     the student tree holds no line of a withheld region (this
#               lab's and every later lab's reference; leak.awk), nor the
#               hidden tests, and earns exactly the points of the tests
#               flagged "free" and nothing of the others (graded once, as
#               the autograder's empty submission: the same sources);
#   autograder  the zip's tree, built by its build.sh as Gradescope's
#               setup.sh does, gives full marks to the reference's files
#               and only the free points to an empty submission, in a
#               well-formed results.json with every test, recompiling
#               nothing but the submitted files;
#   mutants     at least five; each labs/labN/mutants/NAME.patch, applied
#               to a copy of the tree, fails every test its "Expect-fail:"
#               header line names (each a test of the manifest), and so
#               loses points: the mutant is graded on those tests, each
#               stopping at its first failed check (GRADE_FAILFAST).
# The reference is built once (WORKDIR/ref); every other tree is a copy of
# a built tree (one archive pipe, times kept), so make recompiles only what
# differs.  With --seed BUILD (labs.mk's, once make has built the labs'
# targets there), the reference's build starts from BUILD's products, made
# from the same sources with the same flags: its make then compiles
# nothing.  The first lab's autograder tree is built from scratch, which
# proves that the handout's files build on a machine of their own (the
# labs' handouts differ in nothing else but their labs/labN folders); the
# others' build.sh runs over a copy of the reference's build, and
# recompiles the files the handout stubbed.  Trees are graded in parallel,
# LABS_JOBS at a time (default: the machine's cores).  Prints a line per
# check, lab by lab; exit status 1 if any failed.
. "$(dirname "$0")/common.sh"

MAKE=${MAKE:-make}
ok()   { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; }
indent() { sed 's/^/        /'; }

# tsv_sum TSV: "earned max" over results.tsv lines.
tsv_sum() { awk -F '\t' '{ s += $2; m += $3 } END { print s + 0, m + 0 }' "$1"; }

# grade_in DIR N LOG [TESTS]: "make grade LAB=N [TEST=TESTS]" in the tree
# DIR; its results.tsv path on stdout.
grade_in() {
	(cd "$1" && $MAKE --no-print-directory grade LAB=$2 BUILD=build ${4:+TEST=$4}) > "$3" 2>&1
	echo "$1/build/grade/lab$2/results.tsv"
}

# copy_built FROM DEST: a built tree, without its grade results.
copy_built() {
	rm -rf "$2" && mkdir -p "$2" &&
	tar -cf - -C "$1" --exclude=./build/grade . | tar -xpf - -C "$2"
}

# times_cpu FILE: the children's CPU time (user and system), in seconds,
# in FILE, what "times" printed (its second line: "1m2.50s 0m0.25s").
times_cpu() {
	awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, k, "m")
		printf "%.1f\n", u[1] * 60 + u[2] + k[1] * 60 + k[2] }' "$1"
}
# cpu_now FILE: cpu= the shell's children's CPU seconds so far (FILE: a
# scratch file).  Not in a subshell, which would have no children.
cpu_now() { times > "$1"; cpu=$(times_cpu "$1"); }

sums() {	# sums N: free= all= of lab N's manifest
	free=$(lab_tests "labs/lab$1" | awk '$4 ~ /(^|,)free(,|$)/ { s += $2 } END { print s + 0 }')
	all=$(lab_tests "labs/lab$1" | awk '{ s += $2 } END { print s + 0 }')
}

# --- the jobs, each run by "check.sh --job WORKDIR KIND N [ARG]" ---------

job_reference() {	# the reference tree, as it is
	tsv=$(grade_in "$work/ref" "$n" "$w/reference.log")
	set -- $(tsv_sum "$tsv")
	if [ "$1" = "$all" ] && [ "$2" = "$all" ]; then ok "reference: $1 / $2"
	else fail "reference: $1 / $all (log: $w/reference.log)"; head -n 30 "$w/reference.log" | indent
	fi
}

# grade_handout TSV LOG: the handout's rule on the grade of its sources
# (the autograder's empty submission: the handout's tree and its hidden
# tests): each free test passed, every other test earned nothing.
grade_handout() {
	wrong=$(awk -F '\t' '
		$6 ~ /(^|,)free(,|$)/ && $4 != "passed" { print $1 " (free, not passed)" }
		$6 !~ /(^|,)free(,|$)/ && $2 != 0 { print $1 " (" $2 " points without work)" }' "$1")
	set -- $(tsv_sum "$1") "$2"
	if [ -z "$wrong" ] && [ "$1" = "$free" ]; then ok "handout: $1 / $2 (the free points)"
	else fail "handout: $1 / $2, expected $free: $(echo $wrong) (log: $3)"
	fi
}

# The zip's tree, built by its build.sh as Gradescope's setup.sh does (from
# scratch for the first lab, else over the reference's build), then two
# submissions are graded: the empty one is the handout.
job_autograder() {
	if [ "$n" != "$(cat "$work/scratch")" ]; then
		# The reference's build, then every file that the handout changed
		# (stubbed, prebuilt, left out of the reference) made newer than it.
		tar -cf - -C "$work/ref" --exclude=./build/grade ./build | tar -xpf - -C "$w/ag/tree"
		(cd "$w/ag/tree" && find . -path ./build -prune -o -type f -print) |
			while IFS= read -r f; do
				cmp -s "$w/ag/tree/$f" "$work/ref/$f" || touch "$w/ag/tree/$f"
			done
	fi
	if ! sh "$w/ag/build.sh" > "$w/ag-build.log" 2>&1; then
		fail "autograder: build.sh failed (log: $w/ag-build.log):"; tail -n 15 "$w/ag-build.log" | indent
		fail "handout: not graded: the autograder's tree, the same sources, did not build"
		return
	fi
	ntests=$(lab_tests "$lab" | wc -l)
	for s in empty ref; do
		t=$w/ag-$s/source/tree	# Gradescope's layout, run_autograder as it runs there
		copy_built "$w/ag" "$w/ag-$s/source" && cp -R "$w/sub-$s" "$w/ag-$s/submission" ||
			{ fail "autograder: cannot copy the tree"; return; }
		AUTOGRADER=$w/ag-$s MAKE=$MAKE sh "$w/ag-$s/source/run_autograder" > "$w/autograde-$s.log" 2>&1
		cp "$w/ag-$s/results/results.json" "$w/results-$s.json" 2>/dev/null
		score=$(sed -n 's/^  "score": \(.*\),$/\1/p' "$w/results-$s.json")
		got=$(grep -c '^    {"name": ' "$w/results-$s.json")
		want=$free; [ $s = ref ] && want=$all
		valid=yes
		if command -v python3 >/dev/null 2>&1; then
			python3 -m json.tool "$w/results-$s.json" >/dev/null 2>&1 || valid=no
		fi
		# What the build step compiled or assembled: the submitted files only
		# (the build log is outside the build folder when the autograder
		# grades in its sandbox, as root).
		gd=$t/grade/lab$n; [ -f "$gd/build.log" ] || gd=$t/build/grade/lab$n
		bl=$gd/build.log
		[ $s = empty ] && grade_handout "$gd/results.tsv" "$w/autograde-empty.log"
		extra=$(awk -v subm=" $(lab_conf "$lab" submit) " '
			/ -c [^ ]+\.c / { for (i = 1; i < NF; i++) if ($i == "-c" && index(subm, " " $(i + 1) " ") == 0) print $(i + 1) }' \
			"$bl" | sort -u | tr '\n' ' ')
		if [ "$score" = "$want" ] && [ "$got" -eq "$ntests" ] && [ $valid = yes ] && [ -z "$extra" ]; then
			ok "autograder, $s submission: $score / $all"
		else
			fail "autograder, $s submission: score '$score' (want $want), $got tests (want $ntests), valid JSON: $valid${extra:+, recompiled files not submitted: $extra} ($w/autograde-$s.log)"
		fi
	done
	sh labs/tools/attacks.sh "$lab" "$w/handout" "$w/ag-ref/source/tree" "$w" "$w/results-empty.json"
}

job_mutant() {	# one mutant, in a copy of the built reference
	p=$lab/mutants/$1.patch m=$1
	expect=$(sed -n 's/^Expect-fail://p' "$p")
	t=$w/mutant-$m
	copy_built "$work/ref" "$t" || { fail "mutant $m: cannot copy the tree"; return; }
	if ! (cd "$t" && patch -p1 -s --no-backup-if-mismatch) < "$p" > "$w/mutant-$m.log" 2>&1; then
		fail "mutant $m: the patch does not apply:"; indent < "$w/mutant-$m.log"
		return
	fi
	if [ -z "$expect" ]; then
		fail "mutant $m: no Expect-fail line"; return
	fi
	for x in $expect; do
		lab_tests "$lab" | awk -v t="$x" '$1 == t { f = 1 } END { exit !f }' ||
			{ fail "mutant $m: $p: Expect-fail names '$x', not a test of $lab/lab.conf"; return; }
	done
	# Whether each test fails is all a mutant's check needs: a test stops
	# at its first failed check (testlib.sh).
	GRADE_FAILFAST=1 && export GRADE_FAILFAST
	tsv=$(grade_in "$t" "$n" "$w/mutant-$m.log" "$(echo $expect | tr ' ' ,)")
	set -- $(tsv_sum "$tsv")
	missed=
	for x in $expect; do
		awk -F '\t' -v t="$x" '$1 == t && $4 == "failed" { f = 1 } END { exit !f }' "$tsv" ||
			missed="$missed $x"
	done
	failed=$(awk -F '\t' '$4 == "failed" { printf " %s", $1 }' "$tsv")
	if [ -z "$missed" ] && [ "$(echo "$1 < $2" | awk '{ print ($1 < $3) }')" = 1 ]; then
		ok "mutant $m: $1 / $2 on the tests it names, failed:$failed"
		rm -rf "$t"
	else
		fail "mutant $m: $1 / $2, failed:${failed:- none}; expected to fail:$expect (tree: $t)"
	fi
}

if [ "$1" = --job ]; then	# a worker (below): one job, its lines to a file
	work=$2 kind=$3 n=$4
	lab=labs/lab$n w=$work/lab$n
	sums "$n"
	case $kind in
	reference|autograder) job_$kind ;;
	mutant) job_mutant "$5" ;;
	*) die "unknown job $kind" ;;
	esac > "$work/res/$n.$kind${5:+.$5}" 2>&1
	cpu_now "$work/res/$n.$kind${5:+.$5}.cpu"
	echo "$cpu" > "$work/res/$n.$kind${5:+.$5}.cpu"
	exit 0
fi

# --- the checks that need no grading, and the trees -----------------------

# prepare N: the manifest and README, the handout (leaks, hidden tests),
# the autograder's zip; the trees the jobs grade.
prepare() {
	if ! lab_valid "$lab" 2> "$w/manifest.log"; then
		fail "manifest:"; indent < "$w/manifest.log"; return 1
	fi
	lab_manifest "$lab" > "$w/manifest"
	if awk -f labs/tools/points.awk "$w/manifest" "$lab/README.md" 2> "$w/points.log"; then
		ok "README: the points table and sums agree with lab.conf"
	else
		fail "README: the points disagree with lab.conf:"; indent < "$w/points.log"
	fi
	if ! sh labs/tools/handout.sh "$lab" "$w/handout" > "$w/handout.log" 2>&1; then
		fail "handout: handout.sh failed:"; indent < "$w/handout.log"; return 1
	fi
	check_leaks
	nm=$(ls "$lab"/mutants/*.patch 2>/dev/null | wc -l)
	[ "$nm" -ge 5 ] || fail "mutants: $nm in $lab/mutants/, a lab needs at least five (labs/README.md, \"Adding a lab\")"
	for t in $(lab_tests "$lab" | awk '$4 ~ /(^|,)hidden(,|$)/ { print $1 }'); do
		[ -e "$w/handout/$lab/tests/$t.sh" ] && fail "handout: hidden test $t is in it"
	done

	if sh labs/tools/autograder.sh "$lab" "$w" > "$w/autograder.log" 2>&1 &&
	   (cd "$w" && unzip -q "lab$n.zip" -d ag); then
		mkdir -p "$w/sub-empty" "$w/sub-ref"
		for f in $(lab_conf "$lab" submit); do cp "$f" "$w/sub-ref/"; done
		echo "autograder $n" >> "$work/jobs"
	else
		fail "autograder: the zip was not made:"; indent < "$w/autograder.log"
	fi
}

# check_leaks: no line of a withheld region (this lab's reference and every
# later lab's) in any text file of the handout.  The lines, and what counts
# as one: leak.awk.
check_leaks() {
	tags=
	for m in $(lab_numbers); do [ "$m" -ge "$n" ] && tags="$tags${tags:+ }LAB$m"; done
	alts=$(echo $tags | sed 's/ /|/g')
	tree_files | grep -v -E -e '\.md$' -e '^labs/tools/' -e '^labs/lab[0-9]+/mutants/' |
		tr '\n' '\0' | xargs -0 grep -l -I -E "($alts) BEGIN" > "$w/marked"
	awk -v tags="$tags" -v mode=withheld -f labs/tools/stub.awk $(cat "$w/marked") > "$w/withheld"
	# What the handout shows by design: the code outside labs/ and
	# documentation, with its regions stubbed.
	tree_files | grep -v -e '\.md$' -e '^labs/' -e '^\.ci/' | tr '\n' '\0' |
		xargs -0 grep -l -I '' | tr '\n' '\0' |
		xargs -0 awk -v tags="$tags" -v mode=public -f labs/tools/stub.awk > "$w/public"
	(cd "$w/handout" && find . -type f -print | sed 's|^\./||' | tr '\n' '\0' |
		xargs -0 grep -l -I '' | tr '\n' '\0' |
		xargs -0 awk -v public="$w/public" -f "$root/labs/tools/leak.awk" "$w/withheld") > "$w/leaks"
	nw=$(wc -l < "$w/withheld")
	if [ -s "$w/leaks" ]; then
		fail "handout: withheld reference lines in it ($tags):"; head -n 20 "$w/leaks" | indent
	else
		ok "handout: none of the $nw lines withheld ($tags) is in it"
	fi
}

seed=
[ "$1" = --seed ] && { seed=$2; shift 2; }
[ $# -ge 2 ] || die "usage: check.sh [--seed BUILD] WORKDIR N..."
mkdir -p "$1" && work=$(cd "$1" && pwd) || die "cannot create $1"
shift
root=$(pwd)
jobs=${LABS_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
rm -rf "$work/res" "$work/ref" "$work/jobs" && mkdir -p "$work/res"

# The reference, built once in a copy (so that a broken build elsewhere in
# the work tree shows up here the same as in CI), with every lab's targets,
# while the labs are prepared.
targets=$(for n in "$@"; do lab_conf "labs/lab$n" build 2>/dev/null; done | tr ' ' '\n' | sort -u)
copy_tree "$work/ref" || die "cannot copy the tree"
# What make's "all" writes (a folder left out is built in the copy).
for d in obj lib bin guestos; do
	[ -n "$seed" ] && [ -d "$seed/$d" ] || continue
	copy_dir "$seed/$d" "$work/ref/build/$d" || die "cannot copy $seed/$d"
done
(cd "$work/ref" && $MAKE --no-print-directory BUILD=build $targets; st=$?
 times > "$work/res/ref-build.cpu"; exit $st) > "$work/ref-build.log" 2>&1 &
refbuild=$!
echo "$1" > "$work/scratch"	# the lab whose autograder tree is built from scratch

for n in "$@"; do
	lab=labs/lab$n w=$work/lab$n
	rm -rf "$w" && mkdir -p "$w"
	sums "$n" 2>/dev/null
	cpu_now "$w/cpu"; c0=$cpu
	prepare > "$work/res/$n.0prepare" 2>&1
	st=$?
	cpu_now "$w/cpu"; echo "$cpu $c0" | awk '{ printf "%.1f\n", $1 - $2 }' > "$work/res/$n.0prepare.cpu"
	[ $st -eq 0 ] || continue
	echo "reference $n" >> "$work/jobs"
	for p in "$lab"/mutants/*.patch; do
		[ -f "$p" ] && echo "mutant $n $(basename "$p" .patch)" >> "$work/jobs"
	done
done

if ! wait $refbuild; then
	echo "labs-check: the reference does not build ($work/ref-build.log):"
	tail -n 20 "$work/ref-build.log" | indent
	echo "labs-check: FAILED"
	exit 1
fi

# The autograders first (each builds its tree, the first from scratch),
# then the rest.
touch "$work/jobs"
{ grep "^autograder $1\$" "$work/jobs"; grep '^autograder ' "$work/jobs" | grep -v "^autograder $1\$"
  grep -v '^autograder ' "$work/jobs"; } |
	xargs -P "$jobs" -L 1 sh "$0" --job "$work"

# cpu_sum FILE...: the sum of the seconds in the files (res/*.cpu)
cpu_sum() { cat "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s }'; }

bad=0
for n in "$@"; do
	echo "lab$n: $(lab_conf "labs/lab$n" title 2>/dev/null)"
	for f in 0prepare reference autograder; do
		[ -f "$work/res/$n.$f" ] && cat "$work/res/$n.$f"
	done
	for f in "$work/res/$n.mutant."*; do
		case $f in *.cpu) ;; *) [ -f "$f" ] && cat "$f" ;; esac
	done
	nm=$(ls "$work/res/$n.mutant."*.cpu 2>/dev/null | wc -l)
	echo "  time  CPU seconds: handout and zip $(cpu_sum "$work/res/$n.0prepare.cpu"), reference $(cpu_sum "$work/res/$n.reference.cpu"), autograder $(cpu_sum "$work/res/$n.autograder.cpu"), $nm mutants $(cpu_sum "$work/res/$n.mutant."*.cpu)"
done > "$work/report"
cat "$work/report"
grep -q '^  FAIL ' "$work/report" && bad=1
cpu_now "$work/cpu"
echo "labs-check: $cpu s of CPU, the reference's build $(times_cpu "$work/res/ref-build.cpu") s"
[ $bad -eq 0 ] && echo "labs-check: all passed" || echo "labs-check: FAILED"
exit $bad
