#!/bin/sh
# autograde.sh - grade a submission in this tree (the autograder's).
#
#   sh labs/tools/autograde.sh labs/labN SUBMISSION_DIR RESULTS_JSON
#
# Copies each file of lab.conf's "submit" list from SUBMISSION_DIR over
# this tree's copy: SUBMISSION_DIR/PATH, or else the one file of that name
# anywhere in SUBMISSION_DIR (students upload loose files or a whole tree).
# A file not found, or not a regular file (a symbolic link is refused),
# is graded as the handout's stub (kept in labs/labN/.stubs/ at the first
# run, restored at each) and is named in the results' output.  Then grades with grade.sh --json RESULTS_JSON.
# RESULTS_JSON exists afterwards, whatever happened (a score of 0 if the
# grading itself failed).  Exit status: grade.sh's.
#
# Run as root (Gradescope runs it so), it grades in a sandbox
# (sandbox.sh): the build and the tests run as the user vmlab-student
# (created if missing; GRADE_USER overrides the name), who cannot write the
# tree, the grader's files or the results, nor read a hidden test but
# while it runs.  As any other user (a student trying it locally) it
# grades as that user.
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || die "usage: autograde.sh labs/labN SUBMISSION_DIR RESULTS_JSON"
lab=${1%/}; sub=$2; json=$3
notes=$(mktemp "${TMPDIR:-/tmp}/notes.XXXXXX")
# The handout's stubs, kept at the first run, so that every run starts from
# them: a file left out of this submission is the stub, never the one of the
# submission graded before in the same tree.  A restored stub is newer than
# the build, so make recompiles it.
stubs=$lab/.stubs
subdir=$(cd "$sub" 2>/dev/null && pwd -P)	# none: every file is missing
for f in $(lab_conf "$lab" submit); do
	if [ ! -f "$stubs/$f" ]; then
		mkdir -p "$(dirname "$stubs/$f")" && cp "$f" "$stubs/$f" ||
			echo "grader: cannot keep the stub of $f in $stubs" >> "$notes"
	elif ! cmp -s "$stubs/$f" "$f"; then
		cp "$stubs/$f" "$f" || echo "grader: cannot restore the stub of $f from $stubs" >> "$notes"
	fi
	src=
	# Only a regular file, reached without a symbolic link on its way: a link
	# would be followed by root, before the sandbox, to any file of the
	# machine (the hidden tests).  The name search (find -type f) follows none.
	if [ -e "$sub/$f" ] || [ -L "$sub/$f" ]; then
		if [ -f "$sub/$f" ] && [ ! -L "$sub/$f" ] &&
		   [ "$(readlink -f "$sub/$f")" = "$subdir/$f" ]; then
			src=$sub/$f
		else
			echo "submission: $f is a symbolic link or not a regular file: refused" >> "$notes"
		fi
	else
		n=$(find "$sub" -type f -name "${f##*/}" | wc -l)
		[ "$n" -eq 1 ] && src=$(find "$sub" -type f -name "${f##*/}")
		[ "$n" -gt 1 ] && echo "submission: $n files named ${f##*/}; put yours at $f" >> "$notes"
	fi
	if [ -n "$src" ]; then
		cp "$src" "$f" && echo "submission: $f" >> "$notes"
	else
		echo "submission: $f MISSING: graded as the handout's stub" >> "$notes"
	fi
done
cat "$notes"
if [ "$(id -u)" -eq 0 ]; then
	GRADE_USER=${GRADE_USER:-vmlab-student}
	id -u "$GRADE_USER" >/dev/null 2>&1 ||
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
			"$GRADE_USER" || die "cannot create the user $GRADE_USER"
	# The tree is root's and nobody else may change it; the grader's
	# files go outside the build folder, which the submission's build owns.
	chown -R 0:0 . && chmod -R go-w . || die "cannot take the tree"
	GRADE_DIR=$(pwd)/grade/${lab##*/}
	export GRADE_USER GRADE_DIR
fi
# The tree's own build folder, the one build.sh made, whatever BUILD the
# caller exported (tests/bench/run.sh exports its repository's).
BUILD=build sh labs/tools/grade.sh --json "$json" --notes "$notes" "$lab"
status=$?
if [ ! -s "$json" ]; then	# grade.sh died before writing anything
	printf '{"score": 0, "output": "the grader failed (status %s); please tell the staff", "tests": []}\n' \
		"$status" > "$json"
fi
rm -f "$notes"
exit $status
