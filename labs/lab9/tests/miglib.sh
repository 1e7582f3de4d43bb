# miglib.sh - lab 9's helpers (sourced after testlib.sh): the monitor with
# a script, and a live migration between two vmlab processes on the
# loopback interface, each recorded in rerun.sh and the transcript.
#
#   monitor LABEL SCRIPT ELF [vmlab options]  LABEL.out (the shell's lines),
#                                             LABEL.cons (the guest's console),
#                                             RC
#   reference LABEL ELF [options]    the run that never moved, under the VMM:
#                                    LABEL.out, LABEL.err (--state), LABEL.img
#   migrate LABEL AT ELF [options]   move ELF at tick AT: LABEL.src.out/.err,
#                                    LABEL.dst.out (its console), LABEL.dst.err,
#                                    LABEL.img (the destination's disk),
#                                    RC_SRC, RC_DST; DIE_DST=STAGE kills the
#                                    destination there (--die-at)
# Both ends get the budget BUDGET.  DISK (if set) is copied for each run.

# guestos: the guest OS as the tests move it ($os, DISK, BUDGET), and its
# run that never moved (ref.out, ref.err, ref.img).
guestos() {
	BUDGET=20000000
	DISK=$BUILD/guestos/disk.img
	os=$BUILD/guestos/kernel.elf
	reference ref "$os"
}

monitor() {
	_l=$1 _s=$2; shift 2
	rec "$(q "$BIN/vmlab" monitor --max-insns "$BUDGET" --console "$_l.cons" "$@") < $(q "$_s") > $_l.out 2>&1"
	"$BIN/vmlab" monitor --max-insns "$BUDGET" --console "$_l.cons" "$@" < "$_s" > "$_l.out" 2>&1
	RC=$? RC_ERR=$_l.out
	{ echo "=== $_l: vmlab monitor $* < $_s"; cat "$_l.out"; echo "=== $_l: status $RC"; } >> "$OUT"
	return 0
}

_disk() {	# _disk FILE: a fresh copy of DISK, or nothing
	[ -n "${DISK:-}" ] && cp "$DISK" "$1" && echo "--disk $1"
}

reference() {
	_l=$1 _e=$2; shift 2
	_d=$(_disk "$_l.img")
	rec "$(q "$BIN/vmlab" run --state --max-insns "$BUDGET" $_d "$@" "$_e") < /dev/null > $_l.out 2> $_l.err"
	"$BIN/vmlab" run --state --max-insns "$BUDGET" $_d "$@" "$_e" < /dev/null > "$_l.out" 2> "$_l.err"
	RC_REF=$?
	{ echo "=== $_l: the run that never moved"; cat "$_l.out"; echo "=== $_l: $(rc_text $RC_REF "$_l.err")"; } >> "$OUT"
}

migrate() {
	_l=$1 _at=$2 _e=$3; shift 3
	_sd=$(_disk "$_l.src.img")
	_dd=$(_disk "$_l.img")
	rm -rf "$_l.pf" "$_l.cons" && mkfifo "$_l.pf" && mkdir "$_l.cons"
	_die=${DIE_DST:+--die-at $DIE_DST}
	rec "$(q "$BIN/vmlab" listen --port 0 --port-file "$_l.pf" --console-dir "$_l.cons" --state --max-insns "$BUDGET" $_dd $_die) > $_l.dst.stdout 2> $_l.dst.err &"
	"$BIN/vmlab" listen --port 0 --port-file "$_l.pf" --console-dir "$_l.cons" --state \
		--max-insns "$BUDGET" $_dd $_die < /dev/null > "$_l.dst.stdout" 2> "$_l.dst.err" &
	_dpid=$!
	read _port < "$_l.pf"
	rec "read port < $_l.pf   # the port the destination listens on"
	rec "$(q "$BIN/vmlab" run --max-insns "$BUDGET" $_sd --migrate-to) 127.0.0.1:\$port $(q --migrate-at "$_at" "$@" "$_e") < /dev/null > $_l.src.out 2> $_l.src.err"
	"$BIN/vmlab" run --max-insns "$BUDGET" $_sd --migrate-to "127.0.0.1:$_port" \
		--migrate-at "$_at" "$@" "$_e" < /dev/null > "$_l.src.out" 2> "$_l.src.err"
	RC_SRC=$?
	# A source that never reached the destination leaves it listening.
	grep -q '^vmlab: migrate' "$_l.src.err" || kill "$_dpid" 2>/dev/null
	wait "$_dpid"
	RC_DST=$?
	cat "$_l.cons/vm0.out" > "$_l.dst.out" 2>/dev/null || : > "$_l.dst.out"
	cat "$_l.src.out" "$_l.dst.out" > "$_l.moved"
	grep -v '^vmlab:' "$_l.dst.err" > "$_l.dst.state"
	{
		echo "=== $_l: source (vmlab run ... --migrate-at $_at $*)"
		cat "$_l.src.out"; echo "--- stderr:"; cat "$_l.src.err"
		echo "=== $_l: source $(rc_text $RC_SRC "$_l.src.err")"
		echo "=== $_l: destination (vmlab listen)"
		cat "$_l.dst.out"; echo "--- stderr:"; grep '^vmlab:' "$_l.dst.err"
		echo "=== $_l: destination $(rc_text $RC_DST "$_l.dst.err")"
	} >> "$OUT"
	return 0
}

# --- assertions ------------------------------------------------------------------

# moved LABEL REF: the source handed over (status 0) and the destination
# finished the guest as REF did: the transcripts, source part then
# destination part, are REF's.
moved() {
	if [ "$RC_SRC" -ne 0 ]; then
		echo "the source: $(rc_text "$RC_SRC" "$1.src.err")"; return 1
	fi
	if ! grep -q '^vmlab: migrate: moved at tick' "$1.src.err"; then
		echo "the source never handed the VM over:"; grep '^vmlab:' "$1.src.err"; return 1
	fi
	if [ "$RC_DST" -ne "$RC_REF" ]; then
		echo "the destination: $(rc_text "$RC_DST" "$1.dst.err"), the run that never moved: $(rc_text "$RC_REF" "$2.err")"
		return 1
	fi
	same_file "$2.out" "$1.moved"
}

# same_state LABEL REF: the destination's final guest state (--state) is REF's.
end_state() {
	grep -v '^vmlab:' "$2.err" > "$2.state"
	same_file "$2.state" "$1.dst.state"
}

# figure LABEL SIDE what: the report's lines (SIDE migrate or listen).
figure() {
	sed -n "s/^vmlab: $2: $3//p" "$1.$( [ "$2" = migrate ] && echo src || echo dst ).err"
}

# said LABEL SIDE TEXT: the side (migrate or listen) reported a line
# beginning with TEXT (a basic regular expression).
said() {
	_f=$1.$( [ "$2" = migrate ] && echo src || echo dst ).err
	grep -q "^vmlab: $2: $3" "$_f" && return 0
	echo "expected a line 'vmlab: $2: $3...'; it said:"
	grep '^vmlab:' "$_f"
	return 1
}

# after_move LABEL CMD...: CMD, once the source handed the VM over (a
# migration that never happened must not earn the comparisons of what it
# would have left alone)
after_move() {
	_l=$1; shift
	grep -q '^vmlab: migrate: moved at tick' "$_l.src.err" \
		|| { echo "not checked: the VM never moved"; return 1; }
	"$@"
}
