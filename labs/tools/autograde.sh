#!/bin/sh
# autograde.sh - grade a submission in this tree (the autograder's).
#
#   sh labs/tools/autograde.sh labs/labN SUBMISSION_DIR RESULTS_JSON
#
# Copies each file of lab.conf's "submit" list from SUBMISSION_DIR over
# this tree's copy: SUBMISSION_DIR/PATH, or else the one file of that name
# anywhere in SUBMISSION_DIR (students upload loose files or a whole tree).
# A file not found keeps this tree's version (the stub) and is named in
# the results' output.  Then grades with grade.sh --json RESULTS_JSON.
# RESULTS_JSON exists afterwards, whatever happened (a score of 0 if the
# grading itself failed).  Exit status: grade.sh's.
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || die "usage: autograde.sh labs/labN SUBMISSION_DIR RESULTS_JSON"
lab=${1%/}; sub=$2; json=$3
notes=$(mktemp "${TMPDIR:-/tmp}/notes.XXXXXX")
for f in $(lab_conf "$lab" submit); do
	src=
	if [ -f "$sub/$f" ]; then src=$sub/$f
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
sh labs/tools/grade.sh --json "$json" --notes "$notes" "$lab"
status=$?
if [ ! -s "$json" ]; then	# grade.sh died before writing anything
	printf '{"score": 0, "output": "the grader failed (status %s); please tell the staff", "tests": []}\n' \
		"$status" > "$json"
fi
rm -f "$notes"
exit $status
