#!/bin/sh
# --version: vmlab, pg32-as and pg32-objdump each print their name and the
# one version of the kit (isa/version.h), on stdout, with exit status 0.
set -u
fail() { echo "FAIL: $*"; exit 1; }

want=$(sed -n 's/^#define VMLAB_VERSION[^"]*"\(.*\)"$/\1/p' "$SRC/isa/version.h")
[ -n "$want" ] || fail "no VMLAB_VERSION in isa/version.h"
for tool in vmlab pg32-as pg32-objdump; do
	out=$("$BIN/$tool" --version 2>err.txt); rc=$?
	[ $rc -eq 0 ] || fail "$tool --version: exit $rc, $(cat err.txt)"
	[ ! -s err.txt ] || fail "$tool --version wrote to stderr: $(cat err.txt)"
	case $out in
	"$tool "*"$want") ;;
	*) fail "$tool --version: '$out', want '$tool ... $want'" ;;
	esac
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$tool --version: more than one line"
done
# An unknown long option is named whole.
"$BIN/pg32-objdump" --bogus x.elf 2>err.txt; [ $? -eq 2 ] || fail "objdump --bogus: want exit 2"
grep -q "unknown option '--bogus'" err.txt || fail "objdump --bogus: $(cat err.txt)"
"$BIN/vmlab" --help | grep -q -- '--version' || fail "vmlab --help does not mention --version"
"$BIN/pg32-objdump" --help | grep -q -- '--version' || fail "pg32-objdump --help does not mention --version"
echo ok
