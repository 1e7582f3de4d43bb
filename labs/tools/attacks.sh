#!/bin/sh
# attacks.sh - labs-check's proof that a submission cannot grade itself
# (labs/README.md, "The autograder"): each attack, submitted to the
# autograder's tree, leaves the grade what the same submission earns
# without it, and leaks nothing into results.json.
#
#   sh labs/tools/attacks.sh labs/labN HANDOUT AGTREE WORKDIR [EMPTY_JSON]
#
# HANDOUT is the lab's student tree (its stubs), AGTREE the autograder's
# tree (unzipped), WORKDIR a folder for the submissions and results;
# EMPTY_JSON, if given, the results of an empty submission to this
# autograder (check.sh has graded it): the grade of the stubs, which lab
# 2's attack then need not grade again.
#   lab 0: ".include "/etc/passwd"" in lab0.s: refused, nothing of the
#          file in the results; a program that prints the monitor's "stop"
#          lines itself earns the monitor test nothing more than the same
#          session on an honest program;
#   lab 2: the handout's stubs plus a C constructor that rewrites every
#          test script and appends a full score to the grader's files:
#          the free points only, the scripts unchanged.
# The sandbox switches users, so this needs root (CI runs as root); as
# another user it says it skipped.  Prints "ok"/"FAIL" lines like
# check.sh; exit status 1 if an attack changed the grade.
. "$(dirname "$0")/common.sh"

[ $# -eq 4 ] || [ $# -eq 5 ] || die "usage: attacks.sh labs/labN HANDOUT AGTREE WORKDIR [EMPTY_JSON]"
lab=${1%/}; handout=$2; ag=$3; work=$4/attacks; empty=${5:-}
MAKE=${MAKE:-make}
case $lab in */lab0|*/lab2) ;; *) exit 0 ;; esac
if [ "$(id -u)" -ne 0 ]; then
	echo "  skip  attacks: the sandbox needs root"
	exit 0
fi
rm -rf "$work" && mkdir -p "$work" || die "cannot create $work"
bad=0
ok()   { echo "  ok    attack: $*"; }
fail() { echo "  FAIL  attack: $*"; bad=1; }

# grade SUB: grade the submission folder SUB in the autograder's tree, as
# run_autograder does; the results in SUB.json, the log in SUB.log.
grade() {
	(cd "$ag" && MAKE=$MAKE sh labs/tools/autograde.sh "$lab" "$1" "$1.json") > "$1.log" 2>&1
	LC_ALL=C awk -f labs/tools/results_check.awk "$1.json" > "$1.check" 2>&1 ||
		fail "${1##*/}: results.json is not Gradescope's format: $(cat "$1.check")"
}
# score JSON [TEST]: the top-level score, or one test's.
score() {
	if [ -z "$2" ]; then sed -n 's/^  "score": \(.*\),$/\1/p' "$1"
	else sed -n "s/^    {\"name\": \"$2\", \"score\": \([^,]*\),.*/\1/p" "$1"; fi
}

case $lab in
*/lab0)
	mkdir -p "$work/include" "$work/honest" "$work/fake"
	cp labs/lab0/lab0.s labs/lab0/sortnums.s labs/lab0/monitor.cmds "$work/include/"
	printf '\t.include "/etc/passwd"\n' >> "$work/include/lab0.s"
	grade "$work/include"
	first=$(head -n 1 /etc/passwd)
	if grep -q -F -e "$first" "$work/include.json" "$work/include.log"; then
		fail ".include \"/etc/passwd\": the file is in the results"
	elif ! grep -q 'outside the include root' "$work/include.json"; then
		fail ".include \"/etc/passwd\": not refused ($work/include.log)"
	else ok ".include \"/etc/passwd\" refused, nothing of it in the results"
	fi

	# The same session ("continue"), on sortnums and on a program that
	# prints what the monitor test looks for.
	for s in honest fake; do
		cp labs/lab0/lab0.s "$work/$s/"
		printf 'continue\n' > "$work/$s/monitor.cmds"
	done
	cp labs/lab0/sortnums.s "$work/honest/"
	cat > "$work/fake/sortnums.s" <<'S'
	.text
	.globl	_start
_start:	la	s3, fake
1:	lbu	a0, 0(s3)
	beqz	a0, 2f
	call	putc
	addi	s3, s3, 1
	j	1b
2:	out	zero, 0x20(zero)
	.data
fake:	.ascii	"stop breakpoint 1 pc=0x00001000 isort\nr5   a1   0x00000003\n"
	.ascii	"0x00002000: 3 1 2\n0x00002000: 1 2 3\nstop poweroff code=0 pc=0x00001000\n\0"
S
	grade "$work/honest"; grade "$work/fake"
	h=$(score "$work/honest.json" monitor) f=$(score "$work/fake.json" monitor)
	if [ -n "$h" ] && [ "$h" = "$f" ]; then ok "a guest printing stop lines: monitor $f, as without them"
	else fail "a guest printing stop lines: monitor '$f', without them '$h' ($work/fake.log)"
	fi
	;;
*/lab2)
	mkdir -p "$work/stubs" "$work/ctor"
	for f in $(lab_conf "$lab" submit); do cp "$handout/$f" "$work/stubs/"; cp "$handout/$f" "$work/ctor/"; done
	cat >> "$work/ctor/vm.c" <<'C'

/* A hostile submission: rewrite every test script to claim full marks,
 * and append full marks to whatever the grader keeps. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
__attribute__((constructor)) static void take_the_grade(void)
{
	const char *src = getenv("SRC"), *gd = getenv("GRADE_DIR");
	char dir[2048], p[4096];
	struct dirent *e;
	DIR *d;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/labs/lab2/tests", src ? src : ".");
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (strstr(e->d_name, ".sh")) {
				snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
				if ((f = fopen(p, "w"))) {
					fputs("echo '@score 1 1'; exit 0\n", f);
					fclose(f);
				}
			}
		closedir(d);
	}
	if (gd && (d = opendir(gd))) {
		while ((e = readdir(d))) {
			snprintf(p, sizeof p, "%s/%s", gd, e->d_name);
			if ((f = fopen(p, "a"))) {
				fputs("@score 1 1\n", f);
				fclose(f);
			}
		}
		closedir(d);
	}
}
C
	# The stubs alone: an empty submission grades the same files.
	if [ -n "$empty" ] && [ -s "$empty" ]; then cp "$empty" "$work/stubs.json"
	else grade "$work/stubs"
	fi
	grade "$work/ctor"
	s=$(score "$work/stubs.json") c=$(score "$work/ctor.json")
	changed=$(cd "$ag" && for t in labs/lab2/tests/*.sh; do
		cmp -s "$t" "$handout/$t" || [ ! -f "$handout/$t" ] || echo "$t"; done)
	if [ -z "$s" ] || [ "$s" != "$c" ]; then
		fail "a constructor rewriting the tests: $c points, the stubs alone $s ($work/ctor.log)"
	elif [ -n "$changed" ]; then
		fail "a constructor rewriting the tests: it changed $changed"
	else ok "a constructor rewriting the tests: $c points, as the stubs alone; no test changed"
	fi
	;;
esac
exit $bad
