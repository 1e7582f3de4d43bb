#!/bin/sh
# build_env.sh - the top-level Makefile builds into the tree's own folder
# (build/, build/san/ with SANITIZE=1) or the one named on its command line,
# never into a BUILD found in the environment: tests/e2e.sh and
# tests/bench/run.sh export theirs, and a make their scripts ran in another
# tree (a lab's autograder copy) wrote that tree's objects into this one's
# build folder, with .d files naming other targets, so that a later change
# to a header rebuilt nothing that included it.
set -u
fail() { echo "FAIL: $*"; exit 1; }
unset MAKEFLAGS MFLAGS MAKELEVEL SANITIZE	# this make is not e2e's sub-make, nor its SANITIZE=1
show='print-build: ; @echo $(BUILD)'
build() { make -s --no-print-directory -C "$SRC" --eval "$show" "$@" print-build; }
got=$(BUILD=$PWD/other build) || fail "make"
[ "$got" = build ] || fail "the environment's BUILD chose the build folder: $got"
got=$(BUILD=$PWD/other build SANITIZE=1) || fail "make SANITIZE=1"
[ "$got" = build/san ] || fail "SANITIZE=1: the environment's BUILD chose the build folder: $got"
got=$(BUILD=$PWD/env build BUILD="$PWD/cmd") || fail "make BUILD=dir"
[ "$got" = "$PWD/cmd" ] || fail "make BUILD=dir built into $got"
# This tree's own folder named by its absolute path is the same folder,
# named as plain make names it (or its .d files' targets would not match).
got=$(build BUILD="$SRC/build") || fail "make BUILD=\$SRC/build"
[ "$got" = build ] || fail "make BUILD=\$SRC/build: named $got, not build"
exit 0
