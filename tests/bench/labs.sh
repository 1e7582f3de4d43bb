#!/bin/sh
# The labs' graders (labs/README.md, "Speed"), for each lab of BENCH_LABS
# (default: every lab):
#   labN_ag_setup        seconds: the Gradescope image's one build of the
#                        autograder's tree (its build.sh, as setup.sh runs it)
#   labN_ag_submission   seconds: one submission graded after setup (the
#                        reference's files): run_autograder, from copying
#                        the files in to results.json, best of 3
#   labN_ag_submission_cpu  CPU seconds (user + system) of that run, best
#                        of 3: what it costs on a machine of its own
#   labN_grade_built     seconds: "make grade LAB=N" in a built tree with
#                        nothing changed, best of 3
# Figures, not a test: nothing here fails on a slow machine.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM HUP	# dash runs no EXIT trap on a signal
# As root the grader runs each test as an unprivileged user (labs/tools/
# sandbox.sh), who must be able to reach the tree: mktemp's folder is private.
chmod 755 "$dir" || exit 1
cd "$SRC" || exit 1
labs=${BENCH_LABS:-$(for c in labs/lab*/lab.conf; do n=${c#labs/lab}; echo "${n%/lab.conf}"; done | sort -n)}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
best() { tr ' ' '\n' | sort -n | head -n 1; }
for n in $labs; do
	sh labs/tools/autograder.sh "labs/lab$n" "$dir" > /dev/null 2>&1 &&
	(cd "$dir" && rm -rf ag && unzip -q "lab$n.zip" -d ag) ||
		{ echo "# labs.sh: no autograder for lab $n" >&2; exit 1; }
	t0=$(now); sh "$dir/ag/build.sh" > "$dir/setup.log" 2>&1 ||
		{ echo "# labs.sh: lab $n's build.sh failed" >&2; exit 1; }
	echo "lab${n}_ag_setup $(secs "$t0" "$(now)") s"
	rm -rf "$dir/sub" && mkdir "$dir/sub"
	all=$(awk -f labs/tools/conf.awk "labs/lab$n/lab.conf" | awk -F "\t" '$1 == "test" { s += $3 } END { print s + 0 }')
	for f in $(awk -f labs/tools/conf.awk "labs/lab$n/lab.conf" | awk -F "\t" '$1 == "submit" { print $2 }'); do cp "$f" "$dir/sub/"; done
	ts= cs=
	for i in 1 2 3; do	# Gradescope's layout: source/ (built), submission/
		rm -rf "$dir/run" && mkdir -p "$dir/run/source" &&
		tar -cf - -C "$dir/ag" . | tar -xpf - -C "$dir/run/source" &&
		cp -R "$dir/sub" "$dir/run/submission"
		t0=$(now)
		# times: the shell's, then its children's user and system time
		c=$(AUTOGRADER=$dir/run sh "$dir/run/source/run_autograder" > /dev/null 2>&1; times)
		ts="$ts $(secs "$t0" "$(now)")"
		# A figure only for a grading that worked: the reference earns all.
		grep -q "^  \"score\": $all,\$" "$dir/run/results/results.json" 2>/dev/null ||
			{ echo "# labs.sh: lab $n: the reference did not score $all" >&2; exit 1; }
		cs="$cs $(echo "$c" | sed -n 2p | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] } printf "%.2f", t }')"
	done
	echo "lab${n}_ag_submission $(echo $ts | best) s"
	echo "lab${n}_ag_submission_cpu $(echo $cs | best) s"
	ts=
	(cd "$dir/run/source/tree" && make -s grade LAB=$n > /dev/null 2>&1)
	for i in 1 2 3; do
		t0=$(now)
		(cd "$dir/run/source/tree" && make -s grade LAB=$n > /dev/null 2>&1)
		ts="$ts $(secs "$t0" "$(now)")"
	done
	echo "lab${n}_grade_built $(echo $ts | best) s"
done
