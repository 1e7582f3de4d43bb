#!/bin/sh
# handout.sh - make the student tree of one lab.
#
#   sh labs/tools/handout.sh [--with-hidden] labs/labN DEST
#
# Run from the root of the source tree.  DEST (removed first) becomes a
# copy of the tree in which
#   - every region marked with the tag of lab N or of a later lab is
#     replaced by its stub (stub.awk; in any file but *.md and
#     labs/tools/); regions of earlier labs keep their reference code, so
#     a later lab starts from working earlier ones;
#   - a C file holding a later lab's regions (the VMM's shadow paging in
#     lab 2's handout) is also compiled from the reference into
#     labs/prebuilt/FILE.o, which labs.mk links in place of its stubbed
#     source (labs/README.md, "Withheld labs");
#   - the other labs' folders, this lab's mutants/, CI files and the lab
#     framework's own CI tests are left out;
#   - hidden tests (flag "hidden" in lab.conf) are left out, their
#     manifest lines too, unless --with-hidden (the autograder's tree).
# Fails (status 1, "file:line: message") on a wrong manifest, a malformed
# marker, a lab tag that marks no region, or a later lab's region that
# cannot be withheld (in a header, or in a file the student edits);
# status 2 for a usage or host error.
. "$(dirname "$0")/common.sh"

hidden=no
[ "$1" = --with-hidden ] && { hidden=yes; shift; }
[ $# -eq 2 ] || die "usage: handout.sh [--with-hidden] labs/labN DEST"
lab=${1%/}; dest=$2
lab_valid "$lab" || exit 1
n=${lab##*/lab}
tag=$(lab_conf "$lab" tag)
later=
for m in $(lab_numbers); do [ "$m" -gt "$n" ] && later="$later LAB$m"; done
MAKE=${MAKE:-make}

# Files to leave out, as grep -E patterns over tree-relative paths.
skip="^\.ci/|^tests/e2e/labs_|^$lab/mutants/|^labs/prebuilt/"
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
meta=$dest/.handout-meta
mkdir "$meta" || die "cannot create $meta"
tree_files | grep -Ev "$skip" > "$meta/files" || die "no files to copy"

# The files with markers of the withheld labs go through stub.awk, the
# others are copied as they are (one archive pipe).
alts=$(echo "$tag$later" | sed 's/ /|/g')
grep -v -e '\.md$' -e '^labs/tools/' "$meta/files" |
	tr '\n' '\0' | xargs -0 grep -l -I -E "($alts) BEGIN" > "$meta/marked"
grep -vxF -f "$meta/marked" "$meta/files" | tar -cf - -T - | tar -xpf - -C "$dest" ||
	die "cannot copy the tree"
status=0
while IFS= read -r f; do
	mkdir -p "$dest/$(dirname "$f")" || exit 2
	awk -v tags="$tag$later" -v report="$meta/regions" -f labs/tools/stub.awk "$f" > "$dest/$f" || status=1
	chmod --reference="$f" "$dest/$f" 2>/dev/null
done < "$meta/marked"
touch "$meta/regions"

conf_line() {	# conf_line DIRECTIVE: its line in the manifest
	awk -v d="$1" '$1 == d { print NR; exit }' "$lab/lab.conf"
}
if ! awk -F '\t' -v t="$tag" '$1 == t { f = 1 } END { exit !f }' "$meta/regions"; then
	echo "$lab/lab.conf:$(conf_line tag): tag $tag marks no region in the tree (a marker opens its comment: '# $tag BEGIN', '/* $tag BEGIN')" >&2
	status=1
fi

# A later lab's C file: its object code, compiled from the reference.
# Such a file must not be one the student edits (its object would replace
# their work), and a header cannot be shipped as object code at all.
submit=" $(lab_conf "$lab" submit) "
for f in $(awk -F '\t' -v t="$tag" '$1 != t { print $2 }' "$meta/regions" | sort -u); do
	line=$(awk -F '\t' -v f="$f" -v t="$tag" '$2 == f && $1 != t { print $3; exit }' "$meta/regions")
	what=$(awk -F '\t' -v f="$f" -v t="$tag" '$2 == f && $1 != t { print $1; exit }' "$meta/regions")
	case $f in
	*.c)	if awk -F '\t' -v f="$f" -v t="$tag" '$2 == f && $1 == t { x = 1 } END { exit !x }' "$meta/regions" ||
		   case $submit in *" $f "*) true ;; *) false ;; esac; then
			echo "$f:$line: a $what region in a file that lab $n's student edits: it cannot be withheld from lab $n's handout as object code; move it into a file of its own concept" >&2
			status=1; continue
		fi
		echo "${f%.c}.o" >> "$meta/prebuilt" ;;
	*.h)	echo "$f:$line: a $what region in a header cannot be withheld from lab $n's handout (only a .c file's object code can be shipped); move it into a function of a .c file" >&2
		status=1 ;;
	*)	;;	# other languages: stubbed; no lab runs a later lab's guest code
	esac
done
if [ -s "$meta/prebuilt" ] && [ $status -eq 0 ]; then
	# Compiled by the tree's own Makefile into a build folder of its own,
	# position-independent so that it links into PIE and non-PIE alike.
	pb=build/labs-prebuilt
	objs=$(sed "s|^|$pb/obj/|" "$meta/prebuilt")
	if ! $MAKE --no-print-directory -s BUILD="$pb" CFLAGS=-fPIC $objs > "$meta/make.log" 2>&1; then
		cat "$meta/make.log" >&2; die "cannot compile the prebuilt objects"
	fi
	while IFS= read -r o; do
		mkdir -p "$dest/labs/prebuilt/$(dirname "$o")" &&
		cp "$pb/obj/$o" "$dest/labs/prebuilt/$o" || die "cannot copy $o"
		c=${o%.o}.c
		{ echo "/* Lab $n's handout: this file's regions of later labs are withheld."
		  echo " * The build links labs/prebuilt/$o, compiled from the"
		  echo " * full file, in its place (labs/README.md, \"Withheld labs\"). */"
		  cat "$dest/$c"; } > "$meta/c" && cat "$meta/c" > "$dest/$c"
	done < "$meta/prebuilt"
fi

if [ $hidden = no ]; then
	drop=$(lab_test_lines "$lab" | awk '$2 ~ /(^|,)hidden(,|$)/ { print $3 }')
	awk -v drop=" $(echo $drop) " 'index(drop, " " NR " ") == 0' "$lab/lab.conf" > "$dest/$lab/lab.conf"
fi
echo "${lab##*/}" > "$dest/labs/.handout"
rm -rf "$meta"
sh labs/tools/student_readme.sh "$lab" "$dest" || status=1
exit $status
