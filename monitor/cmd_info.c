/*
 * cmd_info.c - looking at the guest: info (registers, vcpu, host, stats,
 * breakpoints, pagetable, shadow, symbols) and translate.
 *
 * The lesson of trap-and-emulate is in the difference between two views of
 * one CPU: the guest's (what mfcr would return: its virtual mode, its page
 * table) and the host's (the machine really running it: user mode, a
 * shadow page table).  'info registers' is the first, 'info host' puts the
 * two side by side.
 */
#include <stdlib.h>
#include <string.h>

#include "shell.h"

static void cr_note(char *buf, size_t size, unsigned cr, uint32_t v)
{
	static const char *const line[ISA_NIRQ] = { "timer", "console", "disk" };

	buf[0] = '\0';
	switch (cr) {
	case ISA_CR_STATUS:
		snprintf(buf, size, "%s%s%s%s(%s)", v & ISA_ST_KM ? "KM " : "", v & ISA_ST_IE ? "IE " : "",
			 v & ISA_ST_PKM ? "PKM " : "", v & ISA_ST_PIE ? "PIE " : "",
			 v & ISA_ST_KM ? "kernel" : "user");
		break;
	case ISA_CR_PTB:
		snprintf(buf, size, "root=0x%08x paging %s", ISA_PTB_ROOT(v), v & ISA_PTB_PG ? "on" : "off");
		break;
	case ISA_CR_CAUSE:
		snprintf(buf, size, "%s", v < ISA_NCAUSE ? isa_cause_name(v) : "?");
		break;
	case ISA_CR_IPEND:
	case ISA_CR_IMASK:
		for (unsigned i = 0; i < ISA_NIRQ; i++)
			if (v & (1u << i)) {
				strncat(buf, line[i], size - strlen(buf) - 1);
				strncat(buf, " ", size - strlen(buf) - 1);
			}
		break;
	}
}

int cmd_info_registers(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	uint32_t pc = t->ops->get_pc(t);
	char note[96];

	(void)argv;
	if (argc)
		return mon_error(sh, "usage: info registers");
	fprintf(sh->out, "pc       0x%08x", pc);
	if (tgt_symbolize(t, pc, note, sizeof note))
		fprintf(sh->out, "  <%s>", note);
	fputc('\n', sh->out);
	for (unsigned r = 0; r < ISA_NREGS; r++) {
		char rn[8];

		snprintf(rn, sizeof rn, "r%u", r);
		fprintf(sh->out, "%-3s %-4s 0x%08x\n", rn, isa_reg_name(r), t->ops->get_reg(t, r));
	}
	for (unsigned c = 0; c < ISA_NCR; c++) {
		uint32_t v = t->ops->get_cr(t, c);

		cr_note(note, sizeof note, c, v);
		fprintf(sh->out, "%-8s 0x%08x%s%s\n", isa_cr_name(c), v, note[0] ? "  " : "", note);
	}
	return 0;
}

/* The guest's view and the machine's, side by side. */
int cmd_info_host(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct machine *m = t->ops->host(t);
	bool vmm = t->ops->vm != NULL;

	(void)argv;
	if (argc)
		return mon_error(sh, "usage: info host");
	if (!vmm)
		fputs("bare machine: the guest runs on the machine itself, guest view = host view\n",
		      sh->out);
	else
		fputs("guest: what the guest reads (mfcr); host: the machine running it\n", sh->out);
	fprintf(sh->out, "%-8s %-12s %-12s\n", "", "guest", "host");
	fprintf(sh->out, "%-8s %-12s %-12s%s\n", "mode", t->ops->kernel(t) ? "kernel" : "user",
		hw_get_cr(m, ISA_CR_STATUS) & ISA_ST_KM ? "kernel" : "user",
		t->ops->kernel(t) != !!(hw_get_cr(m, ISA_CR_STATUS) & ISA_ST_KM) ? "  *" : "");
	fprintf(sh->out, "%-8s 0x%08x   0x%08x%s\n", "pc", t->ops->get_pc(t), hw_get_pc(m),
		t->ops->get_pc(t) != hw_get_pc(m) ? "  *" : "");
	fprintf(sh->out, "%-8s 0x%08x   0x%08x%s\n", "sp", t->ops->get_reg(t, ISA_R_SP),
		hw_get_reg(m, ISA_R_SP),
		t->ops->get_reg(t, ISA_R_SP) != hw_get_reg(m, ISA_R_SP) ? "  *" : "");
	for (unsigned c = 0; c < ISA_NCR; c++) {
		uint32_t g = t->ops->get_cr(t, c), h = hw_get_cr(m, c);

		fprintf(sh->out, "%-8s 0x%08x   0x%08x%s\n", isa_cr_name(c), g, h, g != h ? "  *" : "");
	}
	fprintf(sh->out, "%-8s %-12llu %-12llu\n", "ticks", (unsigned long long)t->ops->ticks(t),
		(unsigned long long)hw_ticks(m));
	fprintf(sh->out, "%-8s %-12s %-12s\n", "memory", "guest RAM", "machine RAM");
	fprintf(sh->out, "%-8s 0x%08x   0x%08x\n", "memsize", t->ops->mem_size(t), hw_mem_size(m));
	if (vmm)
		fputs("(* = differs: the VMM keeps the guest's value and runs the machine with its own)\n",
		      sh->out);
	return 0;
}

int cmd_info_vcpu(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	uint32_t st, pend;
	char note[96];

	(void)argv;
	if (argc)
		return mon_error(sh, "usage: info vcpu");
	if (!t->ops->vm) {
		fputs("no VCPU: this is the bare machine (start the monitor without --bare for the VMM)\n",
		      sh->out);
		return 0;
	}
	st = t->ops->get_cr(t, ISA_CR_STATUS);
	fprintf(sh->out, "virtual mode       %s\n", t->ops->kernel(t) ? "kernel" : "user");
	fprintf(sh->out, "virtual interrupts %s\n", st & ISA_ST_IE ? "enabled" : "disabled");
	for (unsigned c = 0; c < ISA_NCR; c++) {
		uint32_t v = t->ops->get_cr(t, c);

		cr_note(note, sizeof note, c, v);
		fprintf(sh->out, "v%-7s 0x%08x%s%s\n", isa_cr_name(c), v, note[0] ? "  " : "", note);
	}
	pend = t->ops->get_cr(t, ISA_CR_IPEND) & t->ops->get_cr(t, ISA_CR_IMASK);
	cr_note(note, sizeof note, ISA_CR_IPEND, pend);
	fprintf(sh->out, "pending virtual interrupts: %s%s\n", pend ? note : "none",
		pend && !(st & ISA_ST_IE) ? "(held: virtual IE is off)" : "");
	vmm_print_pv(t->ops->vm(t), sh->out);
	vmm_print_nested(t->ops->vm(t), sh->out);
	return 0;
}

int cmd_info_symbols(struct mon_shell *sh, int argc, char **argv)
{
	const struct target *t = sh->t;

	if (argc > 1)
		return mon_error(sh, "usage: info symbols [TEXT]");
	if (!t->have_elf)
		return mon_error(sh, "the image has no symbols");
	for (unsigned i = 0; i < t->elf.nsyms; i++)
		if (!argc || strstr(t->elf.syms[i].name, argv[0]))
			fprintf(sh->out, "0x%08x %s\n", t->elf.syms[i].value, t->elf.syms[i].name);
	return 0;
}

int cmd_info_stats(struct mon_shell *sh, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return mon_error(sh, "usage: info stats");
	sh->t->ops->print_stats(sh->t, sh->out);
	return 0;
}

static void pte_flags(char *buf, uint32_t pte)
{
	static const char letters[] = "VRWXUAD";

	for (int i = 0; i < 7; i++)
		buf[i] = pte & (1u << i) ? letters[i] : '-';
	buf[7] = '\0';
}

static void print_walk_fault(struct mon_shell *sh, const char *who, unsigned cause)
{
	fprintf(sh->out, "%-8s %s\n", who, cause ? isa_cause_name(cause) : "none");
}

/* One guest-physical address through the nested table (--mmu=nested):
 * the two references of that dimension; the machine-physical result, 0
 * if it faults. */
static uint32_t nested_step(struct mon_shell *sh, struct vm *vm, const char *what, uint32_t gpa,
			    unsigned kind, unsigned *refs)
{
	uint32_t mpa = 0, a[2], v[2];
	unsigned c = vmm_nested_translate(vm, gpa, kind, &mpa, a, v);

	fprintf(sh->out, "%-8s gpa 0x%08x\n", what, gpa);
	for (int i = 0; i < 2 && a[i]; i++)
		fprintf(sh->out, "  %u. %s [0x%08x] = 0x%08x\n", ++*refs, i ? "npte" : "npde", a[i], v[i]);
	if (c) {
		fprintf(sh->out, "  -> npf (the VMM maps the page on the fault)\n");
		return 0;
	}
	fprintf(sh->out, "  -> mpa 0x%08x\n", mpa);
	return mpa;
}

/* The two-dimensional walk of va under --mmu=nested, reference by
 * reference (ISA.md 16.3): each guest-physical address of the guest's
 * walk, and the data's, through the nested table. */
static void translate_2d(struct mon_shell *sh, struct vm *vm, const struct vmm_walk *w)
{
	unsigned refs = 0;
	uint32_t mpa;

	fprintf(sh->out, "2-D walk (nested root 0x%08x):\n", vmm_nested_root(vm));
	if (w->guest_paging) {
		mpa = nested_step(sh, vm, "g-pde", w->g_pde_addr, ISA_C_LOAD, &refs);
		if (!mpa)
			return;
		fprintf(sh->out, "  %u. pde  [0x%08x] = 0x%08x (guest's)\n", ++refs, mpa, w->g_pde);
		if (!(w->g_pde & ISA_PTE_V))
			goto fault;
		mpa = nested_step(sh, vm, "g-pte", w->g_pte_addr, ISA_C_LOAD, &refs);
		if (!mpa)
			return;
		fprintf(sh->out, "  %u. pte  [0x%08x] = 0x%08x (guest's)\n", ++refs, mpa, w->g_pte);
	}
	if (w->g_cause)
		goto fault;
	if (nested_step(sh, vm, "data", w->gpa, ISA_C_LOAD, &refs))
		fprintf(sh->out, "%u memory references (2-D walk)\n", refs);
	return;
fault:
	fprintf(sh->out, "the guest's own fault: %s (entered in the guest, no exit)\n",
		isa_cause_name(w->g_cause));
}

int cmd_translate(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct tgt_walk w;
	uint32_t va;
	bool k = t->ops->kernel(t);
	char f[8];

	if (argc < 1 || argc > 2)
		return mon_error(sh, "usage: translate VA [kernel|user]");
	if (mon_eval(sh, argv[0], &va))
		return -1;
	if (argc == 2) {
		if (strcmp(argv[1], "kernel") && strcmp(argv[1], "user"))
			return mon_error(sh, "'%s': the mode is kernel or user", argv[1]);
		k = !strcmp(argv[1], "kernel");
	}
	tgt_walk(t, va, &w);
	fprintf(sh->out, "va       0x%08x  dir=%u table=%u offset=0x%03x\n", va, ISA_VA_DIR(va),
		ISA_VA_TBL(va), va & (ISA_PAGE_SIZE - 1));
	fprintf(sh->out, "guest    ptb=0x%08x paging %s\n", t->ops->get_cr(t, ISA_CR_PTB),
		w.paging ? "on" : "off");
	if (w.paging) {
		fprintf(sh->out, "pde      [0x%08x] = 0x%08x\n", w.pde_addr, w.pde);
		if (w.pte_addr || w.pte) {
			pte_flags(f, w.pte);
			fprintf(sh->out, "pte      [0x%08x] = 0x%08x %s\n", w.pte_addr, w.pte, f);
		}
	}
	if (w.fault)
		fprintf(sh->out, "gpa      none (%s)\n", w.fault);
	else
		fprintf(sh->out, "gpa      0x%08x\n", w.pa);
	if (t->ops->vm) {
		struct vmm_walk vw;
		struct vm *vm = t->ops->vm(t);

		vmm_translate(vm, va, ISA_C_LOAD, k, &vw);
		print_walk_fault(sh, "g-fault", vw.g_cause);
		if (vmm_nested_root(vm)) {
			translate_2d(sh, vm, &vw);
			return 0;
		}
		fprintf(sh->out, "shadow   root=0x%08x (%s)\n", vw.s_root, k ? "kernel" : "user");
		fprintf(sh->out, "spde     [0x%08x] = 0x%08x\n", vw.s_pde_addr, vw.s_pde);
		if (vw.s_pde & ISA_PTE_V) {
			pte_flags(f, vw.s_pte);
			fprintf(sh->out, "spte     [0x%08x] = 0x%08x %s\n", vw.s_pte_addr, vw.s_pte, f);
		}
		if (vw.s_cause)
			fprintf(sh->out, "mpa      none (shadow: %s)\n", isa_cause_name(vw.s_cause));
		else
			fprintf(sh->out, "mpa      0x%08x\n", vw.mpa);
	} else {
		static const struct { unsigned kind; const char *name; } acc[] = {
			{ ISA_C_LOAD, "load" }, { ISA_C_STORE, "store" }, { 0, "fetch" } };
		struct machine *m = t->ops->host(t);

		fprintf(sh->out, "access  ");
		for (unsigned i = 0; i < 3; i++) {
			uint32_t pa;
			unsigned c = hw_translate(m, va, acc[i].kind, k, &pa);

			fprintf(sh->out, " %s=%s", acc[i].name, c ? isa_cause_name(c) : "ok");
		}
		fprintf(sh->out, " (%s mode)\n", k ? "kernel" : "user");
	}
	return 0;
}

/* One word of a translation, beside the guest's (k < ninsns) or, for a
 * stub after the block, what it is. */
static void tc_word(struct mon_shell *sh, const struct vmm_tc_block *b, unsigned k)
{
	struct vm *vm = sh->t->ops->vm(sh->t);
	uint32_t tc = b->tc_pc + 4 * k, g = 0;
	char gd[64] = "", td[64];
	const char *note = "";
	char nb[64];

	isa_disasm(b->words[k], tc, td, sizeof td, NULL, NULL);
	for (unsigned i = 0; i < b->ncallouts; i++)
		if (b->callout[i].stub == k) {
			if (b->callout[i].target && strcmp(b->callout[i].kind, "emulate")
			    && strcmp(b->callout[i].kind, "indirect"))
				snprintf(nb, sizeof nb, "callout %u: %s -> 0x%08x", i,
					 b->callout[i].kind, b->callout[i].target);
			else
				snprintf(nb, sizeof nb, "callout %u: %s", i, b->callout[i].kind);
			note = nb;
			snprintf(td, sizeof td, ".word 0x%08x", b->words[k]);
		}
	if (k < b->ninsns && !vmm_guest_read(vm, b->gpa + 4 * k, &g, 4))
		isa_disasm(g, b->guest_pc + 4 * k, gd, sizeof gd, NULL, NULL);
	if (k < b->ninsns)
		fprintf(sh->out, "  0x%08x  %-28s 0x%08x  %-28s %s\n", b->guest_pc + 4 * k, gd, tc,
			td, note);
	else
		fprintf(sh->out, "  %-40s 0x%08x  %-28s %s\n", "", tc, td, note);
}

int cmd_info_tc(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	struct vmm_tc_block b;
	struct btrun_stats st;
	struct vm *vm;
	uint32_t at = 0;
	unsigned shown = 0;

	if (argc > 1)
		return mon_error(sh, "usage: info tc [ADDR]");
	if (!t->ops->vm || !sh->cfg.bt) {
		fputs("no translation cache: start the monitor with --bt\n", sh->out);
		return 0;
	}
	if (argc && mon_eval(sh, argv[0], &at))
		return -1;
	vm = t->ops->vm(t);
	vmm_bt_stats(vm, &st);
	if (!argc)
		fprintf(sh->out, "%llu blocks, %llu bytes; %llu translated, %llu flushes (%llu by "
			"guest writes), %llu chained jumps\n", (unsigned long long)st.tc_blocks,
			(unsigned long long)st.tc_bytes, (unsigned long long)st.blocks,
			(unsigned long long)st.flushes, (unsigned long long)st.invalidations,
			(unsigned long long)st.chains);
	for (unsigned i = 0; !vmm_bt_block(vm, i, &b); i++) {
		if (!argc) {
			fprintf(sh->out, "guest 0x%08x (gpa 0x%08x) -> tc 0x%08x  %u insns, %u words\n",
				b.guest_pc, b.gpa, b.tc_pc, b.ninsns, b.nwords);
			continue;
		}
		if (at - b.guest_pc >= 4 * (b.ninsns ? b.ninsns : 1))
			continue;
		fprintf(sh->out, "guest 0x%08x (gpa 0x%08x) -> tc 0x%08x  %u insns, %u words\n",
			b.guest_pc, b.gpa, b.tc_pc, b.ninsns, b.nwords);
		for (unsigned k = 0; k < b.nwords; k++)
			tc_word(sh, &b, k);
		shown++;
	}
	if (argc && !shown)
		fprintf(sh->out, "no block holds 0x%08x\n", at);
	return 0;
}
