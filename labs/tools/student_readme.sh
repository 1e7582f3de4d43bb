#!/bin/sh
# student_readme.sh - the README at the top of a lab's student tree.
#
#   sh labs/tools/student_readme.sh labs/labN DEST
#
# Run by handout.sh from the root of the source tree, once DEST holds the
# handout.  The project's README (which names CI files a handout does not
# have) moves to DEST/VMLAB.md; DEST/README.md becomes the student's: the
# lab, its handout, the two commands a student needs (what to install,
# make grade), the tests by name (from DEST's manifest: no hidden test),
# the files to hand in, and make test.
. "$(dirname "$0")/common.sh"

[ $# -eq 2 ] || die "usage: student_readme.sh labs/labN DEST"
lab=${1%/}; dest=$2; n=${lab##*/lab}
[ -f "$dest/README.md" ] && mv "$dest/README.md" "$dest/VMLAB.md"
{
	echo "# $(lab_conf "$lab" title)"
	echo
	echo "This is the student tree of lab $n of vmlab, a teaching kit for virtual machine"
	echo "monitors. The handout, with the goals, the background and your tasks in order, is"
	echo "[\`$lab/README.md\`]($lab/README.md); each folder's README.md documents that folder, and"
	echo "[\`VMLAB.md\`](VMLAB.md) the whole project."
	echo
	echo '```'
	echo "sudo apt-get install build-essential pkg-config    # once (Debian, Ubuntu): a C compiler and make"
	echo "make grade                                       # build, run lab $n's tests, print your grade"
	echo '```'
	echo
	echo "\`make grade\` grades lab $n (no \`LAB=\` needed). \`make grade TEST=NAME\` runs one test:"
	echo
	lab_tests "$dest/$lab" | awk '{ printf "- `%s` (%s points)\n", $1, $2 }'
	echo
	echo "A failed test says what was expected and what happened, keeps its files in"
	echo "\`build/grade/lab$n/NAME/\` and prints the commands that rerun it by hand."
	echo
	echo "Hand in: $(for f in $(lab_conf "$lab" submit); do printf '`%s` ' "$f"; done)"
	echo
	echo "\`make test\` runs the project's own unit and end-to-end tests (they also need"
	echo "\`sudo apt-get install libcriterion-dev\`); the parts your lab implements pass once your"
	echo "work is done."
} > "$dest/README.md"
