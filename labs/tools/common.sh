# common.sh - shell functions the lab tools share; sourced, not run.
#
# Every tool runs from the root of a source tree (the repository or a
# handout) and names a lab by its folder, labs/labN.

# die MESSAGE: a host-side error in the tools themselves (not a test failure).
die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# lab_conf LABDIR KEY: the value of a "KEY value..." line of LABDIR/lab.conf.
lab_conf() {
	awk -v key="$2" '$1 == key { $1 = ""; sub(/^[ \t]+/, ""); print; exit }' "$1/lab.conf"
}

# lab_tests LABDIR: one line per test of the manifest, in order:
#   name points group flags      (flags comma-separated, "-" for none)
lab_tests() {
	awk '$1 == "test" {
		if (NF < 4) { printf "%s:%d: test NAME POINTS GROUP [FLAGS]\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
		print $2, $3, $4, (NF >= 5 ? $5 : "-")
	}' "$1/lab.conf"
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

# copy_tree DEST: copy the source tree (tree_files) to DEST, modes kept.
copy_tree() {
	tree_files | while IFS= read -r f; do
		mkdir -p "$1/$(dirname "$f")" && cp -p "$f" "$1/$f" || exit 1
	done
}
