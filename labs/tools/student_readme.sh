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
# The project's README, without the CI script a handout has not: its
# commands start after the packages are installed (this README says which).
if [ -f "$dest/README.md" ]; then
	{ echo "> In this lab's student tree there is no \`.ci/\`: [README.md](README.md) says what to install."
	  echo
	  sed 's|\.ci/deps && ||' "$dest/README.md"; } > "$dest/VMLAB.md" && rm "$dest/README.md"
fi
{
	echo "# $(lab_conf "$lab" title)"
	echo
	echo "This is the student tree of lab $n of vmlab, a teaching kit for virtual machine"
	echo "monitors. The handout, with the goals, the background and your tasks in order, is"
	echo "[\`$lab/README.md\`]($lab/README.md); each folder's README.md documents that folder, and"
	echo "[\`VMLAB.md\`](VMLAB.md) the whole project."
	echo
	echo '```'
	echo "sudo apt-get install $LAB_BUILD_DEPS    # once (Debian, Ubuntu): a C compiler, make, zlib"
	echo "make grade                  # build, run lab $n's tests, print your grade"
	echo "make grade SANITIZE=1       # the same under AddressSanitizer and UBSan: a crash with its line"
	echo '```'
	echo
	echo "\`make grade\` grades lab $n (no \`LAB=\` needed). \`make grade TEST=NAME\` runs one test:"
	echo
	lab_tests "$dest/$lab" | awk '{ printf "- `%s` (%s points)\n", $1, $2 }'
	echo
	echo "A failed test says what was expected and what happened, keeps its files in"
	echo "\`build/grade/lab$n/NAME/\` and prints the commands that rerun it by hand."
	echo
	echo "The build uses \`-Wall -Wextra -Werror\`: a single compiler warning fails the build, and"
	echo "then every test fails; \`make grade\` shows the warning with its line. When vmlab crashes"
	echo "(a test says \"vmlab crashed: signal SIGSEGV\"), \`make grade SANITIZE=1\` builds the tree with"
	echo "the sanitizers (in \`build/san/\`) and the failed test's log shows the report: the bad access"
	echo "and the source line it happened at."
	echo
	echo "Hand in: $(for f in $(lab_conf "$lab" submit); do printf '`%s` ' "$f"; done)"
	echo
	echo "\`make test\` runs the project's own unit and end-to-end tests (they also need"
	echo "\`sudo apt-get install libcriterion-dev\`); the parts your lab implements pass once your"
	echo "work is done."
} > "$dest/README.md"
