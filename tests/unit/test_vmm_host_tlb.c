/*
 * test_vmm_host_tlb.c - the machine's TLB across world switches
 * (vm/vmm/worldswitch.c): the switch keeps every VM's TLB entries under
 * its shadows' tags, so no VM may ever hit another's entry, and a VM's
 * remap before it was switched off must be seen when it comes back.
 *
 * Six VMs (more tags than the machine's FAST_SETS fast TLBs) run the same
 * program at the same virtual addresses: X (0x401000) maps a page of the
 * VM's own slice holding its own value, and every 16 reads the VM maps X
 * to its other page (the other value) with tlbinv, at a phase of its own.
 * Quanta of a few ticks put world switches everywhere in that loop.  Each
 * VM powers off with the number of reads that saw a value not its own.
 */
#include "test_vmm_util.h"

#include "host.h"

#define NVM	6
#define READS	3000

static char *src_of(unsigned k, unsigned phase)
{
	static const char fmt[] =
		"\t.equ V, 1\n\t.equ R, 2\n\t.equ W, 4\n\t.equ X, 8\n"
		"\t.text\n\t.globl _start\n"
		"_start:\tli s0, 0\n"
		"\tla t0, pgA\n\tli t1, %u\n\tsw t1, 0(t0)\n"
		"\tla t0, pgB\n\tli t1, %u\n\tsw t1, 0(t0)\n"
		/* pt0: pages 1..1023 at their own address (the program). */
		"\tla t0, pt0\n\tli t1, 0x1000 | V | R | W | X\n\tli t2, 1023\n\tli t3, 0x1000\n"
		"1:\taddi t0, t0, 4\n\tsw t1, 0(t0)\n\tadd t1, t1, t3\n\taddi t2, t2, -1\n"
		"\tbnez t2, 1b\n"
		"\tla t0, pd\n\tla t1, pt0\n\tori t1, t1, V\n\tsw t1, 0(t0)\n"
		"\tla t1, pt1\n\tori t1, t1, V\n\tsw t1, 4(t0)\n"
		"\tla s1, pt1\n\tla s2, pgA\n\tori s2, s2, V | R | W\n"
		"\tla s3, pgB\n\tori s3, s3, V | R | W\n\tsw s2, 4(s1)\n"
		"\tli a1, %u\n\tli a2, %u\n\tli a3, 0x401000\n"
		"\tla t0, pd\n\tori t0, t0, 1\n\tmtcr ptb, t0\n"
		"loop:\tlw a0, 0(a3)\n\tbeq a0, a1, 2f\n\taddi s0, s0, 1\n"
		"2:\tandi t0, a2, 15\n\tli t1, %u\n\tbne t0, t1, 3f\n"
		/* X to the other page, the expected value with it. */
		"\tmv t0, s2\n\tmv s2, s3\n\tmv s3, t0\n\tsw s2, 4(s1)\n\ttlbinv a3\n"
		"\txori a1, a1, 1\n"
		"3:\taddi a2, a2, -1\n\tbnez a2, loop\n"
		"\tout s0, 0x20(zero)\n"
		"\t.data\n\t.align 4096\n"
		"pd:\t.space 4096\npt0:\t.space 4096\npt1:\t.space 4096\n"
		"pgA:\t.space 4096\npgB:\t.space 4096\n";
	char *s = malloc(sizeof fmt + 64);

	cr_assert(s);
	sprintf(s, fmt, k, k + 1, k, READS, phase);
	return s;
}

static void run_vms(uint64_t quantum, enum vmm_shadow_policy p)
{
	struct host_config hc = { .quantum = quantum };
	struct vmm_config vc = { .mem_mib = 16, .cons_in_fd = -1, .shadow = p };
	struct host_vm_config hv[NVM];
	char *elf[NVM], err[256];
	struct host *h;

	for (unsigned i = 0; i < NVM; i++) {
		char *src = src_of(0x100 * (i + 1), (5 * i) & 15);

		elf[i] = vt_elf(NULL, src);
		free(src);
		hv[i] = (struct host_vm_config){ .vm = &vc };
	}
	cr_assert_eq(host_new(&hc, hv, NVM, &h, err, sizeof err), 0, "host_new: %s", err);
	for (unsigned i = 0; i < NVM; i++)
		cr_assert_eq(vmm_load_elf(host_vm(h, i), elf[i], err, sizeof err), 0,
			     "load: %s", err);
	host_run(h);
	cr_assert_eq(host_check(h, err, sizeof err), 0, "%s", err);
	for (unsigned i = 0; i < NVM; i++) {
		const struct vmm_exit *ex = host_vm_exit(h, i);

		cr_assert_eq(ex->reason, VMM_EXIT_POWEROFF, "quantum %llu: vm%u did not power off",
			     (unsigned long long)quantum, i);
		cr_expect_eq(ex->code, 0, "quantum %llu, %s: vm%u read %u values not its own",
			     (unsigned long long)quantum, p == VMM_SHADOW_TRACE ? "trace" : "flush",
			     i, ex->code);
	}
	host_free(h);
	for (unsigned i = 0; i < NVM; i++) {
		unlink(elf[i]);
		free(elf[i]);
	}
}

Test(host_tlb, no_vm_sees_another_vms_entries_or_its_own_before_a_remap)
{
	static const uint64_t quanta[] = { 7, 37, 101 };

	for (unsigned q = 0; q < sizeof quanta / sizeof quanta[0]; q++) {
		run_vms(quanta[q], VMM_SHADOW_FLUSH);
		run_vms(quanta[q], VMM_SHADOW_TRACE);
	}
}
