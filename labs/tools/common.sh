# common.sh - shell functions the lab tools share; sourced, not run.
#
# Every tool runs from the root of a source tree (the repository or a
# handout) and names a lab by its folder, labs/labN.

# The Debian packages a handout's tree needs to build (a subset of what
# .ci/deps installs: the compiler, pkg-config, zlib for the snapshot
# files); the autograder's setup.sh installs them, the student's README
# names them.
LAB_BUILD_DEPS="build-essential pkg-config zlib1g-dev"

# die MESSAGE: a host-side error in the tools themselves (not a test failure).
die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# The tools' folder (common.sh is sourced by labs/tools/*.sh).
LAB_TOOLS_DIR=${0%/*}
[ "$LAB_TOOLS_DIR" = "$0" ] && LAB_TOOLS_DIR=.

# lab_manifest LABDIR: LABDIR/lab.conf parsed and checked by conf.awk, as
# tab-separated records (conf.awk's header); or its mistakes on stderr,
# each "LABDIR/lab.conf:LINE: message", and status 1.
lab_manifest() {
	awk -f "$LAB_TOOLS_DIR/conf.awk" "$1/lab.conf"
}

# lab_valid LABDIR: status 0 if the manifest is right, else 1 with its
# mistakes on stderr.  The tools call it first, so that a mistake stops
# them before anything is built or copied.
lab_valid() {
	[ -f "$1/lab.conf" ] || { echo "$1/lab.conf: no such manifest" >&2; return 1; }
	lab_manifest "$1" > /dev/null
}

# lab_conf LABDIR KEY: the value of the manifest's KEY (title, tag,
# submit, build), comments removed.
lab_conf() {
	_m=$(lab_manifest "$1") || return 1
	printf '%s\n' "$_m" | awk -F '\t' -v key="$2" '$1 == key { print $2; exit }'
}

# lab_tests LABDIR: one line per test of the manifest, in order:
#   name points group flags      (flags comma-separated, "-" for none)
lab_tests() {
	_m=$(lab_manifest "$1") || return 1
	printf '%s\n' "$_m" | awk -F '\t' '$1 == "test" { print $2, $3, $4, $5 }'
}

# lab_test_lines LABDIR: "name flags line" per test (line: its line in
# lab.conf).
lab_test_lines() {
	_m=$(lab_manifest "$1") || return 1
	printf '%s\n' "$_m" | awk -F '\t' '$1 == "test" { print $2, $5, $7 }'
}

# lab_numbers: the numbers of the labs of this tree (labs/labN/lab.conf),
# in course order.
lab_numbers() {
	for _c in labs/lab*/lab.conf; do
		[ -f "$_c" ] || continue
		_n=${_c#labs/lab}; _n=${_n%/lab.conf}
		case $_n in ''|*[!0-9]*) continue ;; esac
		echo "$_n"
	done | sort -n
}

# has_flag FLAGS FLAG: FLAGS (comma-separated) contains FLAG.
has_flag() {
	case ",$1," in *",$2,"*) return 0 ;; esac
	return 1
}

# tree_files: the source tree's files (not build/, not .git), one per line,
# relative to the current directory.  In a git work tree: the files git
# knows or would know (untracked ones that are not ignored included);
# elsewhere (a handout) every file.
tree_files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	   [ "$(git rev-parse --show-prefix)" = "" ]; then
		git ls-files -co --exclude-standard | while IFS= read -r f; do
			[ -f "$f" ] && printf '%s\n' "$f"
		done
	else
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print |
			sed 's|^\./||'
	fi
}

# copy_tree DEST: copy the source tree (tree_files) to DEST, modes and
# times kept, in one archive pipe.
copy_tree() {
	mkdir -p "$1" && tree_files | tar -cf - -T - | tar -xpf - -C "$1"
}

# copy_dir FROM DEST: copy the folder FROM (a tree with its build/) to
# DEST in one archive pipe, times kept: make then rebuilds in DEST only
# what is changed after the copy.
copy_dir() {
	mkdir -p "$2" && tar -cf - -C "$1" . | tar -xpf - -C "$2"
}
