#!/bin/sh
# monitor_commands.sh - every command of 'vmlab monitor', scripted through
# stdin on the bare machine, checked against the output formats of
# monitor/README.md.
set -u
fail() { echo "FAIL: $*"; echo "--- output:"; cat out; exit 1; }
has() { grep -qE -- "$1" out || fail "no line matching '$1'"; }
hasnt() { ! grep -qE -- "$1" out || fail "unexpected line matching '$1'"; }

cat > p.s <<'S'
_start:	la	t0, handler
	mtcr	tvec, t0
	li	a0, 5
	call	double
	la	t1, buf
	sw	a0, 0(t1)
	syscall
	li	a0, 0
	out	a0, 0x20(zero)
double:	add	a0, a0, a0
	ret
handler: mfcr	t2, epc
	addi	t2, t2, 4
	mtcr	epc, t2
	rfe
	.data
buf:	.word	0x11223344
msg:	.asciz	"hi\n"
S
"$BIN/pg32-as" -o p.elf p.s || fail "cannot assemble"
mon() { "$BIN/vmlab" monitor --bare p.elf > out 2>err; }

# help, step, next over a call, finish, info registers.
mon <<'C'
help
help step
step
step 2
next
next
info registers
C
[ $? -eq 0 ] || fail "status $? for a clean script"
has '^  continue \(c\) +run the guest'
has '^  quit \(q\)'
has '^step \[N\]$'
has '^  \(abbreviation: s\)$'
has '^stop step pc=0x00001004 mode=K ticks=1$'
has '^=> 0x00001004 <_start\+0x4>: ori +t0, t0, 0x1034$'
has '^stop step pc=0x0000100c mode=K ticks=3$'
has '^stop next pc=0x00001010 mode=K ticks=4$'
has '^=> 0x00001010 <_start\+0x10>: jal +ra, double$'
# next over the call: double ran (a0 = 10), we are after the call.
has '^stop next pc=0x00001014 mode=K ticks=7$'
has '^r4  a0   0x0000000a$'
has '^pc       0x00001014  <_start\+0x14>$'
has '^r2  sp   0x01000000$'
has '^status   0x00000001  KM \(kernel\)$'
has '^tvec     0x00001034$'
has '^icount   0x00000007$'
[ "$(grep -c '^r[0-9]' out)" -eq 16 ] || fail "16 general registers"

# break (any mode, kernel only), finish, info breakpoints, delete.
mon <<'C'
break double
break handler user
break handler kernel
info breakpoints
continue
finish
delete 1 2
info breakpoints
continue
delete
info breakpoints
C
has '^breakpoint 1 at 0x0000102c <double>$'
has '^breakpoint 2 at 0x00001034 <handler> user$'
has '^breakpoint 3 at 0x00001034 <handler> kernel$'
has '^1 breakpoint 0x0000102c <double> any hits=0$'
has '^stop breakpoint 1 pc=0x0000102c mode=K ticks=5$'
has '^stop finish pc=0x00001014 mode=K ticks=7$'
has '^3 breakpoint 0x00001034 <handler> kernel hits=0$'
# the user-mode breakpoint 2 was deleted; 3 (kernel) stops in the handler
has '^stop breakpoint 3 pc=0x00001034 mode=K ticks=10$'
has '^no breakpoints, watchpoints or catchpoints$'

# a breakpoint for the other mode does not stop; the program powers off.
mon <<'C'
break handler user
continue
C
has '^stop poweroff code=0 pc=0x0000102c mode=K ticks=16$'
hasnt '^stop breakpoint'

# watch (virtual and -p physical), catch, until-trap.
mon <<'C'
watch buf
catch syscall
continue
continue
delete
watch -p buf
set $pc = _start
set *buf = 0
continue
until-trap
catch poweroff
c
C
has '^watchpoint 1 at 0x00002000 virtual$'
has '^catchpoint 2 syscall$'
has '^stop watchpoint 1 addr=0x00002000 old=0x11223344 new=0x0000000a pc=0x00001020 mode=K ticks=10$'
has '^stop catch 2 syscall from=K at=0x00001020 badva=0x00000000 pc=0x00001034 mode=K ticks=10$'
has '^=> 0x00001034 <handler>: mfcr +t2, epc$'
has '^watchpoint 3 at 0x00002000 physical$'
has '^stop watchpoint 3 addr=0x00002000 old=0x00000000 new=0x0000000a pc=0x00001020'
has '^stop trap syscall from=K at=0x00001020 badva=0x00000000 pc=0x00001034 mode=K'
has '^catchpoint 4 poweroff$'
has '^stop catch 4 poweroff code=0 '

# memory: x in every format and size, xp, disas, set, symbol.
mon <<'C'
x/4xw $pc
x/2dw buf
x/s msg
x/4xb buf
x/2xh buf
x/2uw buf
x/3c msg
x/3i _start
xp/1xw buf
disas double 2
set a1 = 0x1234
set $t3 = a1 + 4 - 2
set *buf = -1
x/1dw buf
set -p *buf = 7
xp/1uw buf
set status = 0
info registers
symbol double+4
symbol 0x10
info symbols dou
C
has '^0x00001000 <_start>: 0x2f800000 0x24881034 0x61180000 0x21400005$'
has '^0x00002000 <buf>: 287454020 682344$'
has '^0x00002004 <msg>: "hi\\n"$'
has '^0x00002000 <buf>: 0x44 0x33 0x22 0x11$'
has '^0x00002000 <buf>: 0x3344 0x1122$'
has '^0x00002000 <buf>: 287454020 682344$'
has "^0x00002004 <msg>: 'h' 'i' '\\\\x0a'$"
has '^=> 0x00001000 <_start>: 2f800000  lui +t0, 0x0$'
has '^   0x00001008 <_start\+0x8>: 61180000  mtcr +tvec, t0$'
has '^0x00002000: 0x11223344$'
has '^   0x0000102c <double>: 01444000  add +a0, a0, a0$'
has '^   0x00001030 <double\+0x4>: 49010000  jalr +zero, 0\(ra\)$'
has '^0x00002000 <buf>: -1$'
has '^0x00002000: 7$'
has '^r5  a1   0x00001234$'
has '^r11 t3   0x00001236$'
has '^status   0x00000000  \(user\)$'
has '^0x00001030 <double\+0x4>$'
has '^0x00000010 \(no symbol\)$'
has '^0x0000102c double$'

# translate, page tables, stats, host, vcpu, trace, dot, reset, quit N.
mon <<'C'
translate buf
info pagetable
info stats
info host
info vcpu
trace
trace on trap irq
trace off irq
continue
dot traps t.dot
dot pagetable p.dot
reset
info registers
quit 3
info registers
C
st=$?
[ $st -eq 3 ] || fail "quit 3: status $st"
has '^va       0x00002000  dir=0 table=2 offset=0x000$'
has '^guest    ptb=0x00000000 paging off$'
has '^gpa      0x00002000$'
has '^access   load=ok store=ok fetch=ok \(kernel mode\)$'
has '^guest paging is off \(ptb=0x00000000\): virtual = physical$'
has '^insns: 0$'
has '^bare machine: the guest runs on the machine itself, guest view = host view$'
has '^status   0x00000001   0x00000001$'
has '^no VCPU: this is the bare machine'
has '^trace: none$'
has '^trace: trap,irq$'
has '^trace: trap$'
has '^wrote t.dot$'
has '^wrote p.dot$'
has '^stop reset pc=0x00001000 mode=K ticks=0$'
[ "$(grep -c '^r15 s3' out)" -eq 1 ] || fail "a command after quit ran"
grep -q '^[0-9]* K>K\|^[0-9]* K 0x00001020 trap syscall epc=0x00001020 badva=0x00000000 tvec=0x00001034$' err \
	|| { cat err; fail "trace line of the syscall"; }
grep -q ' K 0x00001040 trap rfe epc=0x00001024$' err || { cat err; fail "trace line of rfe"; }
grep -q 'kernel -> kernel \[label="traps 1\\nrfe 1"' t.dot \
	|| { cat t.dot; fail "dot traps: the kernel -> kernel edge"; }
grep -q '<TD ALIGN="LEFT">syscall</TD><TD ALIGN="RIGHT">1</TD>' t.dot \
	|| { cat t.dot; fail "dot traps: the syscall in the table"; }
grep -q 'guest paging is off' p.dot || fail "dot pagetable with paging off"
exit 0
