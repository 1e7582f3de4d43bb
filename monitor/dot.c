/*
 * dot.c - Graphviz pictures of traps and page tables.  See dot.h.
 */
#include "dot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pagetable.h"
#include "shell.h"

#define FONT "Helvetica"
#define USER_COLOR "#dbeafe"
#define KERNEL_COLOR "#fde68a"
#define VMM_COLOR "#fecaca"
#define SHADOW_COLOR "#e9d5ff"

/* --- traps --------------------------------------------------------------------- */

static const char *mode_node(int k) { return k ? "kernel" : "user"; }

/* Line width: 1 + the number of decimal digits past the first, at most 5. */
static double pen(uint64_t n)
{
	double w = 1.0;

	while (n >= 10 && w < 5.0) {
		n /= 10;
		w += 1.0;
	}
	return w;
}

/* Edges from -> to of the guest (not VMM) kind, as one label: "cause N"
 * lines, the largest first. */
/* The traps the guest itself saw from mode 'from' to mode 'to', most
 * frequent first, into e[]; returns how many, and their total in *total. */
static unsigned guest_traps(const struct mon_sink *s, int from, int to,
			    const struct mon_edge **e, uint64_t *total)
{
	unsigned n = 0;

	*total = 0;
	for (unsigned i = 0; i < s->nedges; i++)
		if (!s->edge[i].vmm && s->edge[i].from == from && s->edge[i].to == to) {
			e[n++] = &s->edge[i];
			*total += s->edge[i].count;
		}
	for (unsigned i = 1; i < n; i++)	/* insertion sort, by count down */
		for (unsigned j = i; j > 0 && e[j]->count > e[j - 1]->count; j--) {
			const struct mon_edge *x = e[j];
			e[j] = e[j - 1];
			e[j - 1] = x;
		}
	return n;
}

/* The guest-level edge from -> to.  Bare, it is the picture, labelled with
 * every cause.  Under the VMM it is dotted and carries only the count: the
 * causes go in the guest's note (guest_note), since a long label on an edge
 * between two nodes of one rank lands on the cluster's title. */
static void guest_edge(FILE *f, const struct mon_sink *s, int from, int to, bool vmm)
{
	const struct mon_edge *e[MON_MAX_EDGES];
	uint64_t total;
	unsigned n = guest_traps(s, from, to, e, &total);

	if (!n)
		return;
	fprintf(f, "  %s -> %s [label=\"", mode_node(from), mode_node(to));
	if (vmm)
		fprintf(f, "%llu", (unsigned long long)total);
	else
		for (unsigned i = 0; i < n; i++)
			fprintf(f, "%s %llu\\l", e[i]->what, (unsigned long long)e[i]->count);
	fprintf(f, "\", penwidth=%.1f%s];\n", pen(total),
		vmm ? ", style=dotted, color=\"#64748b\", fontcolor=\"#475569\"" : "");
}

/* Under the VMM: a note in the guest's cluster with the causes of the
 * traps the guest saw, per pair of modes; false if it saw none. */
static bool guest_note(FILE *f, const struct mon_sink *s)
{
	static const char *const mode[2] = { "user", "kernel" };
	bool any = false;

	for (int from = 0; from < 2; from++)
		for (int to = 0; to < 2; to++) {
			const struct mon_edge *e[MON_MAX_EDGES];
			uint64_t total;
			unsigned n = guest_traps(s, from, to, e, &total);

			if (!n)
				continue;
			if (!any)
				fputs("    saw [shape=note, style=filled, fillcolor=white, color=\"#64748b\","
				      " fontsize=11, label=\"what the guest saw\\l", f);
			any = true;
			fprintf(f, "%s -> %s:", mode[from], mode[to]);
			for (unsigned i = 0; i < n; i++)
				fprintf(f, "%s %s %llu", i ? "," : "", e[i]->what,
					(unsigned long long)e[i]->count);
			fputs("\\l", f);
		}
	if (any)
		fputs("\"];\n", f);
	return any;
}

/* Is edge i the first VMM edge of its handler? */
static bool first_of(const struct mon_sink *s, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (s->edge[j].vmm && !strcmp(s->edge[j].what, s->edge[i].what))
			return false;
	return true;
}

/* Exits from guest mode k to handler h: one edge in, labelled with the
 * causes (unless they are all 'privileged', the emulations), and one edge
 * back per mode resumed in; a round trip to the same mode is one
 * two-headed edge. */
static void vmm_edges(FILE *f, const struct mon_sink *s, const char *h, int k)
{
	uint64_t in = 0, out[2] = { 0, 0 };
	bool only_priv = true;
	char label[512] = "";

	for (unsigned i = 0; i < s->nedges; i++) {
		const struct mon_edge *e = &s->edge[i];

		if (!e->vmm || e->from != k || strcmp(e->what, h))
			continue;
		in += e->count;
		out[e->to] += e->count;
		only_priv &= e->cause && !strcmp(e->cause, "privileged");
	}
	if (!in)
		return;
	if (only_priv) {
		snprintf(label, sizeof label, "%llu", (unsigned long long)in);
	} else {	/* the causes, summed over the modes resumed in */
		for (unsigned i = 0; i < s->nedges; i++) {
			const struct mon_edge *e = &s->edge[i];
			uint64_t n = 0;
			bool dup = false;

			if (!e->vmm || e->from != k || strcmp(e->what, h))
				continue;
			for (unsigned j = 0; j < i; j++)
				dup |= s->edge[j].vmm && s->edge[j].from == k
				       && !strcmp(s->edge[j].what, h) && s->edge[j].cause == e->cause;
			if (dup)
				continue;
			for (unsigned j = i; j < s->nedges; j++)
				if (s->edge[j].vmm && s->edge[j].from == k && !strcmp(s->edge[j].what, h)
				    && s->edge[j].cause == e->cause)
					n += s->edge[j].count;
			snprintf(label + strlen(label), sizeof label - strlen(label), "%s %llu\\l",
				 e->cause ? e->cause : "?", (unsigned long long)n);
		}
	}
	if (out[k] == in) {
		fprintf(f, "  %s -> \"h_%s\" [dir=both, label=\"%s\", penwidth=%.1f, color=\"#be123c\"];\n",
			mode_node(k), h, label, pen(in));
		return;
	}
	fprintf(f, "  %s -> \"h_%s\" [label=\"%s\", penwidth=%.1f, color=\"#be123c\"];\n",
		mode_node(k), h, label, pen(in));
	for (int to = 0; to < 2; to++)
		if (out[to])
			fprintf(f, "  \"h_%s\" -> %s [label=\"%llu\", penwidth=%.1f, color=\"#be123c\","
				   " style=dashed];\n", h, mode_node(to), (unsigned long long)out[to],
				pen(out[to]));
}

void dot_traps(FILE *f, const struct mon_sink *s, bool vmm, const char *title)
{
	uint64_t total = 0;
	bool note;

	for (unsigned i = 0; i < s->nedges; i++)
		total += s->edge[i].count;
	fprintf(f, "digraph traps {\n"
		   "  graph [rankdir=%s, fontname=\"" FONT "\", labelloc=t, fontsize=18, nodesep=0.5,"
		   " ranksep=1.2, label=\"%s\\n%s, %llu transitions\"];\n"
		   "  node [fontname=\"" FONT "\", style=\"rounded,filled\", shape=box, fontsize=14];\n"
		   "  edge [fontname=\"" FONT "\", fontsize=11];\n",
		vmm ? "TB" : "LR", title,
		vmm ? "trap-and-emulate under the VMM (dotted: what the guest saw)"
		    : "traps on the bare machine",
		(unsigned long long)total);
	fprintf(f, "  subgraph cluster_guest {\n"
		   "    label=\"guest%s\"; style=\"rounded,dashed\"; color=\"#64748b\";\n"
		   "    user [label=\"user mode\", fillcolor=\"" USER_COLOR "\"];\n"
		   "    kernel [label=\"kernel mode\", fillcolor=\"" KERNEL_COLOR "\"];\n",
		vmm ? " (virtual modes)" : "");
	note = vmm && guest_note(f, s);
	fprintf(f, "    { rank=same; user; kernel;%s }\n"
		   "  }\n", note ? " saw;" : "");
	if (!vmm) {
		for (int from = 0; from < 2; from++)
			for (int to = 0; to < 2; to++)
				guest_edge(f, s, from, to, vmm);
		fputs("}\n", f);
		return;
	}
	/* Under the VMM: the handlers in their cluster below the guest. */
	fputs("  subgraph cluster_vmm {\n"
	      "    label=\"VMM (the machine in kernel mode)\"; labelloc=b; style=\"rounded,filled\";"
	      " fillcolor=\"#fff1f2\"; color=\"#be123c\";\n", f);
	for (unsigned i = 0; i < s->nedges; i++)
		if (s->edge[i].vmm && first_of(s, i))
			fprintf(f, "    \"h_%s\" [label=\"%s\", shape=ellipse, fillcolor=\"" VMM_COLOR "\"];\n",
				s->edge[i].what, s->edge[i].what);
	fputs("  }\n", f);
	for (unsigned i = 0; i < s->nedges; i++)
		if (s->edge[i].vmm && first_of(s, i))
			for (int k = 0; k < 2; k++)
				vmm_edges(f, s, s->edge[i].what, k);
	/* What the guest saw: the traps delivered to it. */
	for (int from = 0; from < 2; from++)
		for (int to = 0; to < 2; to++)
			guest_edge(f, s, from, to, vmm);
	fputs("}\n", f);
}

int dot_traps_file(const char *path, const struct mon_sink *s, bool vmm, const char *title,
		   char *err, size_t errsize)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	dot_traps(f, s, vmm, title);
	if (fclose(f)) {
		snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- page tables ------------------------------------------------------------------ */

#define MAX_TABLES 12	/* second-level tables drawn per side */
#define MAX_ROWS 8	/* runs drawn per table */

static void table_node(FILE *f, const char *side, const struct pt_list *l, size_t lo, size_t hi,
		       const char *pa_name, struct target *mpa_of, const char *color)
{
	struct pt_list part = { .v = l->v + lo, .n = hi - lo };
	size_t n;
	struct pt_run *r = pt_runs(&part, &n);
	uint32_t dir = l->v[lo].va >> 22;

	fprintf(f, "  %s_t%u [shape=plaintext, label=<<table border=\"0\" cellborder=\"1\" "
		   "cellspacing=\"0\" cellpadding=\"4\">\n"
		   "    <tr><td bgcolor=\"%s\"><b>page table</b> at %s 0x%08x<br/>"
		   "va 0x%08x-0x%08x</td></tr>\n",
		side, dir, color, pa_name, l->v[lo].table, dir << 22, (dir << 22) + 0x3fffffu);
	for (size_t i = 0; r && i < n; i++) {
		char fl[8];
		uint32_t t0 = ISA_VA_TBL(r[i].va);

		if (i == MAX_ROWS - 1 && n > MAX_ROWS) {
			fprintf(f, "    <tr><td><i>... %zu more runs ...</i></td></tr>\n", n - i);
			break;
		}
		pt_flags(fl, &r[i]);
		fprintf(f, "    <tr><td align=\"left\">PTE[%u", t0);
		if (r[i].npages > 1)
			fprintf(f, "..%u", t0 + r[i].npages - 1);
		fprintf(f, "] %s 0x%08x", pa_name, r[i].pa);
		if (r[i].npages > 1)
			fprintf(f, "-0x%08x", r[i].pa + r[i].npages * ISA_PAGE_SIZE - 1);
		if (mpa_of)
			fprintf(f, " (mpa 0x%08x)", vmm_gpa_to_mpa(mpa_of->ops->vm(mpa_of), r[i].pa));
		fprintf(f, " <font face=\"Courier\">%s</font></td></tr>\n", fl);
	}
	fputs("  </table>>];\n", f);
	free(r);
}

/* One side: root node, directory, tables, edges. */
static void side(FILE *f, const char *name, const char *title, uint32_t root,
		 const struct pt_list *l, const char *pa_name, struct target *mpa_of,
		 const char *color)
{
	unsigned ntables = 0;
	size_t i = 0;

	fprintf(f, "  subgraph cluster_%s {\n  label=\"%s\"; style=\"rounded,dashed\";\n", name, title);
	fprintf(f, "  %s_dir [shape=plaintext, label=<<table border=\"0\" cellborder=\"1\" "
		   "cellspacing=\"0\" cellpadding=\"4\">\n"
		   "    <tr><td bgcolor=\"%s\"><b>directory</b> at %s 0x%08x</td></tr>\n",
		name, color, pa_name, root);
	for (size_t j = 0; j < l->n; j++)
		if (j == 0 || (l->v[j].va >> 22) != (l->v[j - 1].va >> 22)) {
			uint32_t d = l->v[j].va >> 22;

			if (++ntables > MAX_TABLES)
				continue;
			fprintf(f, "    <tr><td port=\"p%u\" align=\"left\">PDE[%u] = 0x%08x</td></tr>\n",
				d, d, l->v[j].pde);
		}
	if (ntables > MAX_TABLES)
		fprintf(f, "    <tr><td><i>... %u more tables ...</i></td></tr>\n", ntables - MAX_TABLES);
	if (!l->n)
		fputs("    <tr><td><i>no valid entries</i></td></tr>\n", f);
	fputs("  </table>>];\n", f);
	ntables = 0;
	while (i < l->n) {
		size_t j = i;
		uint32_t d = l->v[i].va >> 22;

		while (j < l->n && (l->v[j].va >> 22) == d)
			j++;
		if (++ntables <= MAX_TABLES) {
			table_node(f, name, l, i, j, pa_name, mpa_of, color);
			fprintf(f, "  %s_dir:p%u -> %s_t%u;\n", name, d, name, d);
		}
		i = j;
	}
	fputs("  }\n", f);
}

void dot_pagetable(FILE *f, struct target *t)
{
	uint32_t ptb = t->ops->get_cr(t, ISA_CR_PTB);
	struct pt_list g;
	bool vmm = t->ops->vm != NULL, k = t->ops->kernel(t);
	char title[128];

	fprintf(f, "digraph pagetable {\n"
		   "  graph [rankdir=LR, fontname=\"" FONT "\", labelloc=t, fontsize=16, label=\"%s\"];\n"
		   "  node [fontname=\"" FONT "\", fontsize=11];\n"
		   "  edge [color=\"#475569\"];\n",
		vmm ? "the guest's page table and the VMM's shadow table"
		    : "the guest's page table (bare machine)");
	if (!(ptb & ISA_PTB_PG)) {
		fprintf(f, "  off [shape=box, label=\"guest paging is off (ptb 0x%08x):\\n"
			   "virtual address = physical address\"];\n}\n", ptb);
		return;
	}
	pt_collect_guest(t, &g);
	fprintf(f, "  gptb [shape=box, style=\"rounded,filled\", fillcolor=\"" KERNEL_COLOR "\", "
		   "label=\"guest ptb\\n0x%08x\"];\n  gptb -> guest_dir;\n", ptb);
	snprintf(title, sizeof title, "guest page table (guest-physical%s)",
		 vmm ? ", machine-physical in ()" : "");
	side(f, "guest", title, ISA_PTB_ROOT(ptb), &g, "gpa", vmm ? t : NULL, USER_COLOR);
	if (vmm) {
		struct pt_list s;
		struct machine *m = t->ops->host(t);
		uint32_t hptb = hw_get_cr(m, ISA_CR_PTB);

		pt_collect_shadow(t, k, &s);
		fprintf(f, "  sptb [shape=box, style=\"rounded,filled\", fillcolor=\"" VMM_COLOR "\", "
			   "label=\"machine ptb (VMM)\\n0x%08x\"];\n  sptb -> shadow_dir;\n", hptb);
		snprintf(title, sizeof title, "shadow page table, guest %s mode (machine-physical)",
			 k ? "kernel" : "user");
		side(f, "shadow", title, s.n ? s.v[0].dir : ISA_PTB_ROOT(hptb), &s, "mpa", NULL,
		     SHADOW_COLOR);
		pt_free(&s);
	}
	fputs("}\n", f);
	pt_free(&g);
}

/* --- the shell's commands ----------------------------------------------------------- */

int cmd_dot_traps(struct mon_shell *sh, int argc, char **argv)
{
	char err[512];
	const char *slash = strrchr(sh->t->image, '/');
	const char *path = argv[0];

	if (argc != 1)
		return mon_error(sh, "usage: dot traps FILE");
	if (dot_traps_file(path, &sh->sink, sh->t->ops->vm != NULL,
			   slash ? slash + 1 : sh->t->image, err, sizeof err))
		return mon_error(sh, "%s", err);
	fprintf(sh->out, "wrote %s\n", path);
	return 0;
}

int cmd_dot_pagetable(struct mon_shell *sh, int argc, char **argv)
{
	const char *path = argv[0];
	FILE *f;

	if (argc != 1)
		return mon_error(sh, "usage: dot pagetable FILE");
	if (!(f = fopen(path, "w")))
		return mon_error(sh, "%s: cannot write: %s", path, strerror(errno));
	dot_pagetable(f, sh->t);
	if (fclose(f))
		return mon_error(sh, "%s: cannot write: %s", path, strerror(errno));
	fprintf(sh->out, "wrote %s\n", path);
	return 0;
}
