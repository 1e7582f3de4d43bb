#!/bin/sh
# pg32-as --include-root DIR: .include reads only files inside DIR, so a
# grader can assemble a submission without letting it copy another file
# of the machine (a secret, a hidden test) into the assembler's messages.
# Absolute paths, '..' and symbolic links that lead out are refused with
# a located message that shows none of the file; files inside are found
# as without the option.
set -u
AS=$BIN/pg32-as
fail() { echo "FAIL: $*"; exit 1; }

mkdir -p sub/tests outside
printf 'secret words here\n' > outside/secret.s
printf '\tnop\n' > sub/tests/inc.s
ln -s ../outside/secret.s sub/link.s
printf '\t.include "tests/inc.s"\n\tnop\n' > sub/ok.s
$AS --include-root sub -o ok.elf sub/ok.s > log.txt 2>&1 || fail "inside the root: $(cat log.txt)"
$AS --include-root=sub -o ok.elf sub/ok.s > log.txt 2>&1 || fail "--include-root=DIR: $(cat log.txt)"

for inc in "$PWD/outside/secret.s" "../outside/secret.s" "link.s" "/etc/passwd"; do
	printf '\tnop\n\t.include "%s"\n' "$inc" > sub/bad.s
	$AS --include-root sub -o bad.elf sub/bad.s > log.txt 2>&1 && fail "$inc: included"
	grep -q "^sub/bad.s:2:11: error: include file '.*' is outside the include root 'sub'$" log.txt ||
		fail "$inc: $(cat log.txt)"
	grep -q -e 'secret words' -e 'root:' log.txt && fail "$inc: the file leaked: $(cat log.txt)"
	[ -e bad.elf ] && fail "$inc: output left behind"
	# Without the option, the same include is read (the test can fail).
	$AS -o bad.elf sub/bad.s > log.txt 2>&1
	grep -q -e 'outside the include root' log.txt && fail "$inc: refused without --include-root"
done
$AS --include-root > /dev/null 2>&1; [ $? -eq 2 ] || fail "--include-root without a folder: want exit 2"
$AS --include-rootx sub sub/ok.s > /dev/null 2>&1; [ $? -eq 2 ] || fail "--include-rootx: want exit 2"
exit 0
