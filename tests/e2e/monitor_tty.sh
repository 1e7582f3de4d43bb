#!/bin/sh
# monitor_tty.sh - the monitor in a real terminal (tmux): the prompt, TAB
# completion of a command, a symbol and a subcommand, Up-arrow history, Ctrl-C
# stopping a 'continue' of a guest that loops forever (the shell carries
# on), and the history saved in ~/.vmlab_history.  Needs tmux; without it
# the test says SKIP and passes.
set -u
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 0; }
SOCK=vmlab-tty-$$
T="tmux -L $SOCK"
fail() { echo "FAIL: $*"; echo "--- screen:"; screen; $T kill-server 2>/dev/null; exit 1; }
screen() { $T capture-pane -p -S -200 -t mon 2>/dev/null; }
# Wait (up to 10 s) until the screen shows a line matching $1, $2 times.
wait_for() {
	n=0
	while [ $n -lt 100 ]; do
		[ "$(screen | grep -cE -- "$1")" -ge "${2:-1}" ] && return 0
		sleep 0.1
		n=$((n + 1))
	done
	fail "timed out waiting for '$1'"
}

cat > loop.s <<'S'
_start:	li	a0, 1
spin:	addi	a0, a0, 1
	j	spin
S
"$BIN/pg32-as" -o loop.elf loop.s || { echo "FAIL: cannot assemble"; exit 1; }
mkdir home
HOME=$PWD/home $T new-session -d -x 120 -y 40 -s mon \
	"HOME=$PWD/home $BIN/vmlab monitor --bare loop.elf; echo MONITOR-EXITED \$?; sleep 30"
wait_for '^\(vmlab\) ?$'
screen | grep -q '^vmlab monitor: loop.elf on the bare machine' || fail "banner"
# Built without a line editor (LINEEDIT=none) there is no completion and
# no history: test the prompt and Ctrl-C only.
editor=$(screen | sed -n 's/.*line editing: \([a-z]*\);.*/\1/p')
if [ "$editor" = none ]; then
	$T send-keys -t mon -l 'step'
	$T send-keys -t mon Enter
	wait_for '^stop step pc=0x00001004 mode=K ticks=1$'
	$T send-keys -t mon -l 'break spin'
	$T send-keys -t mon Enter
	wait_for '^breakpoint 1 at 0x00001004 <spin>$'
else

# TAB completes a command ("ste" -> "step") ...
$T send-keys -t mon -l 'ste'
$T send-keys -t mon Tab
wait_for '^\(vmlab\) step ?$'
$T send-keys -t mon Enter
wait_for '^stop step pc=0x00001004 mode=K ticks=1$'
# ... and a symbol ("sp" -> "spin"; "sp" the register is also a candidate,
# so type enough to make it unique).
$T send-keys -t mon -l 'break spi'
$T send-keys -t mon Tab
wait_for '^\(vmlab\) break spin ?$'
$T send-keys -t mon Enter
wait_for '^breakpoint 1 at 0x00001004 <spin>$'

# After 'info ', TAB offers its subcommands (not registers and symbols)
# and completes a partial one.
$T send-keys -t mon -l 'info '
$T send-keys -t mon Tab Tab
wait_for 'registers +.*symbols|symbols +.*registers'
screen | grep -q 'timecmp' && fail "TAB after 'info ' offers registers"
$T send-keys -t mon C-u
$T send-keys -t mon -l 'info pa'
$T send-keys -t mon Tab
wait_for '^\(vmlab\) info pagetable ?$'
$T send-keys -t mon Enter
wait_for '^guest paging is off'

# Up-arrow brings back the last command.
$T send-keys -t mon -l 'info registers'
$T send-keys -t mon Enter
wait_for '^r15 s3 +0x00000000$'
$T send-keys -t mon Up
wait_for '^\(vmlab\) info registers$'
$T send-keys -t mon Enter
wait_for '^r15 s3 +0x00000000$' 2
fi

# Ctrl-C stops a guest that never stops by itself; the shell goes on.
$T send-keys -t mon -l 'delete'
$T send-keys -t mon Enter
$T send-keys -t mon -l 'continue'
$T send-keys -t mon Enter
sleep 1
[ "$(screen | grep -c '^stop ')" -eq 1 ] || fail "the loop stopped by itself"
$T send-keys -t mon C-c
wait_for '^stop interrupted pc=0x0000100[48] mode=K ticks=[0-9]+$'
$T send-keys -t mon -l 'step'
$T send-keys -t mon Enter
wait_for '^stop step pc=0x0000100[48] mode=K ticks=[0-9]+$' 2

# Ctrl-C at the prompt drops the line; the shell stays.
$T send-keys -t mon -l 'info junk'
# Echoed first: the terminal drops input not yet read when it sends SIGINT.
wait_for '^\(vmlab\) info junk$'
$T send-keys -t mon C-c
wait_for '^\(vmlab\) info junk\^C$'
$T send-keys -t mon -l 'quit'
$T send-keys -t mon Enter
wait_for '^MONITOR-EXITED 0$'
screen | grep -q "no 'info junk'" && fail "the interrupted line ran"
# readline writes lines as typed, libedit with spaces as \\040.
if [ "$editor" != none ]; then
	grep -qE '^info( |\\040)registers$' home/.vmlab_history \
		|| fail "history not saved: $(cat home/.vmlab_history)"
fi
$T kill-server 2>/dev/null
exit 0
