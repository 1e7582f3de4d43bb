#!/bin/sh
# handout.sh - make the student tree of one lab.
#
#   sh labs/tools/handout.sh [--with-hidden] labs/labN DEST
#
# Run from the root of the source tree.  DEST (removed first) becomes a
# copy of the tree in which
#   - every region marked with the lab's tag (lab.conf "tag") is replaced
#     by its stub (stub.awk; in any file but *.md and labs/tools/); regions of other labs keep their reference
#     code, so a later lab starts from working earlier ones;
#   - the other labs' folders, this lab's mutants/, CI files and the lab
#     framework's own CI tests are left out;
#   - hidden tests (flag "hidden" in lab.conf) are left out, their
#     manifest lines too, unless --with-hidden (the autograder's tree).
# Exit status 0, or 1 with "file:line: message" for a malformed marker,
# 2 for a usage or host error.
. "$(dirname "$0")/common.sh"

hidden=no
[ "$1" = --with-hidden ] && { hidden=yes; shift; }
[ $# -eq 2 ] || die "usage: handout.sh [--with-hidden] labs/labN DEST"
lab=${1%/}; dest=$2
[ -f "$lab/lab.conf" ] || die "$lab/lab.conf: no such manifest"
tag=$(lab_conf "$lab" tag)
[ -n "$tag" ] || die "$lab/lab.conf: no 'tag' line"

# Files to leave out, as grep -E patterns over tree-relative paths.
skip="^\.ci/|^tests/e2e/labs_|^$lab/mutants/"
for d in labs/*/; do
	d=${d%/}
	[ -f "$d/lab.conf" ] && [ "$d" != "$lab" ] && skip="$skip|^$d/"
done
if [ $hidden = no ]; then
	for t in $(lab_tests "$lab" | awk '$4 ~ /(^|,)hidden(,|$)/ { print $1 }'); do
		skip="$skip|^$lab/tests/$t(\.|/)"
	done
fi

rm -rf "$dest" && mkdir -p "$dest" || die "cannot create $dest"
status=0
tree_files | grep -Ev "$skip" > "$dest/.files" || die "no files to copy"
while IFS= read -r f; do
	mkdir -p "$dest/$(dirname "$f")" || exit 2
	case $f in *.md|labs/tools/*) marked=no ;; *) marked=yes ;; esac
	if [ $marked = yes ] && grep -Iq "$tag BEGIN" "$f"; then
		awk -v tag="$tag" -f labs/tools/stub.awk "$f" > "$dest/$f" || status=1
		chmod --reference="$f" "$dest/$f" 2>/dev/null
	else
		cp -p "$f" "$dest/$f" || exit 2
	fi
done < "$dest/.files"
rm -f "$dest/.files"

if [ $hidden = no ]; then
	awk '!($1 == "test" && $5 ~ /(^|,)hidden(,|$)/)' "$lab/lab.conf" > "$dest/$lab/lab.conf"
fi
echo "${lab##*/}" > "$dest/labs/.handout"
sh labs/tools/student_readme.sh "$lab" "$dest" || status=1
exit $status
