/*
 * hypercall.h - the paravirtual interface vmlab's VMM offers a guest kernel
 * that asks for it (vm/vmm/HYPERCALLS.md is the specification; the guest
 * OS's kernel.inc repeats these numbers for the assembler).
 *
 *   hcall in virtual kernel mode, VMM run with --pv:
 *	a0 = number, a1..a3 = arguments  ->  a0 = result (< 0: -HC_E*),
 *	pc += 4, one guest tick.
 *   without --pv, or from virtual user mode: reflected like on the bare
 *   machine (cause HCALL), which is how a guest finds no hypervisor.
 */
#ifndef VMM_HYPERCALL_H
#define VMM_HYPERCALL_H

enum hc_number {
	HC_PROBE,		/* -> a0 = HC_MAGIC, a1 = HC_VERSION */
	HC_CONSOLE_WRITE,	/* (va, len) -> len: bytes to the console */
	HC_MMU_UPDATE,		/* (va of {ptr, val, va} triples, n) -> n applied */
	HC_SET_PTB,		/* (ptb) -> 0: mtcr ptb if it differs */
	HC_SET_TIMER,		/* (delta) -> timecmp = icount + delta */
	HC_BLOCK,		/* (lines) -> the cause of the lowest pending one */
	HC_SHARED,		/* (gpa of the shared page, 0: none) -> 0 */
	HC_IRET,		/* (gpa of a trap frame) -> does not return */
	HC_BLK_SETUP,		/* (gpa of the ring page, N) -> 0 (pvblk.c) */
	HC_BLK_NOTIFY,		/* (PVBLK_KICK | PVBLK_ACK) -> requests served */
	HC_N
};

#define HC_MAGIC	0x50474856u	/* "VHGP" in memory: PG HyperVisor */
#define HC_VERSION	1u

enum { HC_ENOSYS = 1, HC_EFAULT = 2, HC_EINVAL = 3 };

enum { PVBLK_KICK = 1, PVBLK_ACK = 2, PVBLK_MAXQ = 64 };

/* The shared page, guest-physical, page-aligned, registered by HC_SHARED:
 *
 *   +0   vif      virtual interrupt flag of virtual kernel mode: the guest
 *                 stores 1 to let interrupts in, 0 to keep them out; the
 *                 VMM reads it only when it has an interrupt to deliver
 *   +4   pending  the VMM stores the lines it held back because vif was 0
 *   +8   frame    guest-physical trap frame for traps from user mode (0:
 *                 no bounce, traps arrive as on the bare machine)
 *   +12  entry    where a bounced trap enters the guest kernel
 *   +16  cause    +20 badva   of the last bounced trap
 */
enum { HC_SH_VIF = 0, HC_SH_PENDING = 4, HC_SH_FRAME = 8, HC_SH_ENTRY = 12,
       HC_SH_CAUSE = 16, HC_SH_BADVA = 20 };

/* The trap frame of HC_IRET and of a bounce: word n holds rn (n = 1..15;
 * word 0 unused), word 16 the user pc. */
enum { HC_TF_EPC = 64, HC_TF_SIZE = 68 };

#endif /* VMM_HYPERCALL_H */
