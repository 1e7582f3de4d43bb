# sandbox.sh - running a submission's code as another user (sourced by
# grade.sh; labs/README.md, "The autograder").
#
# With GRADE_USER set (autograde.sh sets it when it runs as root, as on
# Gradescope), the build and every test script run as that user, who owns
# nothing else: it cannot write the tree (the tests, the reference, the
# tools), the grader's files (GRADE_DIR: logs, results.tsv) or the results;
# it can read a hidden test only while that test runs.  Only grade.sh, as
# root, turns the tests' logs into a score and writes it.  Nothing a
# submission starts outlives its step (the build, one test): each runs in
# its own PID namespace where the kernel allows one (unshare), whose
# processes all die with it; elsewhere (a container without unshare)
# every process of GRADE_USER is killed after it, so graders that run at
# once on one machine need a GRADE_USER each.  Without GRADE_USER (a
# student's "make grade") every function here is a no-op and commands run
# as the caller.

SANDBOX=	# the command prefix that runs as GRADE_USER, or nothing

# sandbox_init: check GRADE_USER and set SANDBOX; dies if it cannot work.
sandbox_init() {
	[ -n "${GRADE_USER:-}" ] || return 0
	[ "$(id -u)" -eq 0 ] || die "GRADE_USER=$GRADE_USER needs root"
	_su=$(id -u "$GRADE_USER" 2>/dev/null) || die "GRADE_USER: no user $GRADE_USER"
	_sg=$(id -g "$GRADE_USER")
	[ "$_su" -ne 0 ] || die "GRADE_USER: $GRADE_USER is root"
	command -v setpriv >/dev/null 2>&1 || die "GRADE_USER: setpriv (util-linux) is not installed"
	SANDBOX="setpriv --reuid=$_su --regid=$_sg --clear-groups --"
	_ns=no
	if unshare --pid --fork --kill-child true 2>/dev/null; then
		_ns=yes
		SANDBOX="unshare --pid --fork --kill-child $SANDBOX"
	fi
	$SANDBOX test -r "$SRC/Makefile" ||
		die "GRADE_USER: $GRADE_USER cannot read $SRC (a folder on the way is private?)"
}

# sandbox_reap: kill every process of GRADE_USER (a submission's leftovers).
sandbox_reap() {
	[ -n "$SANDBOX" ] && [ "$_ns" = no ] || return 0
	$SANDBOX kill -KILL -1 2>/dev/null
	return 0
}

# sandbox_build BUILD: let GRADE_USER build in BUILD (and only there).
sandbox_build() {
	[ -n "$SANDBOX" ] || return 0
	mkdir -p "$1" && chown -R "$_su:$_sg" "$1"
}

# sandbox_freeze BUILD: after the build, BUILD belongs to root again: the
# programs the tests run cannot be changed by what the tests run.
sandbox_freeze() {
	[ -n "$SANDBOX" ] || return 0
	sandbox_reap
	chown -R 0:0 "$1" && chmod -R go-w "$1"
}

# sandbox_private GRADEDIR: from here on (the tests), what grade.sh writes
# is root's alone (umask 077) and GRADEDIR can be entered but not listed
# or read: a test cannot read another's log, a hidden one's included.
sandbox_private() {
	[ -n "$SANDBOX" ] || return 0
	umask 077
	chmod -R go-rwx "$1" && chmod 711 "$1"
}

# sandbox_begin LAB TEST DIR OUT: before TEST runs, GRADE_USER may write
# in its folder DIR and to its transcript OUT, and nowhere else; a hidden
# test's files become readable.
sandbox_begin() {
	[ -n "$SANDBOX" ] || return 0
	chown "$_su:$_sg" "$3" "$4"
	_hidden "$1" "$2" o+rX
}

# sandbox_end LAB TEST DIR OUT: after it: GRADE_USER's processes killed,
# DIR and OUT root's again, a hidden test's files unreadable.
sandbox_end() {
	[ -n "$SANDBOX" ] || return 0
	sandbox_reap
	chown -R 0:0 "$3" "$4" && chmod -R go-w "$3" "$4"
	_hidden "$1" "$2" go-rwx
}

# sandbox_hide LAB TEST: make a hidden test's files unreadable to GRADE_USER.
sandbox_hide() {
	[ -n "$SANDBOX" ] || return 0
	_hidden "$1" "$2" go-rwx
}

# _hidden LAB TEST MODE: chmod MODE a test's files (tests/TEST.*, tests/TEST/)
# if it is hidden (not visible before the due date).
_hidden() {
	case ,$(lab_tests "$1" | awk -v t="$2" '$1 == t { print $4 }'), in
	*,vis=visible,*) return 0 ;;
	*,hidden,*|*,vis=*) ;;
	*) return 0 ;;
	esac
	for _f in "$1"/tests/"$2".* "$1/tests/$2"; do
		[ -e "$_f" ] && chmod -R "$3" "$_f"
	done
	return 0
}
