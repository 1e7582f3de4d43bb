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

/*
 * The picture is laid out for a slide (monitor/README.md, "Pictures"): the
 * edges carry counts only, and the causes sit in tables inside the nodes,
 * one column per guest mode a trap came from.  Bare machine, left to
 * right: user mode, kernel mode and the table of the traps.  Under the VMM,
 * top to bottom: the guest's modes and the table of the traps it saw, then
 * the VMM's handlers, each a table of the machine traps it took; the
 * emulations of privileged instructions that return to the mode they came
 * from are one node, a row per instruction.
 */

static const char *mode_node(int k) { return k ? "kernel" : "user"; }

/* Line width: 1 + the number of decimal digits past the first, at most 4. */
static double pen(uint64_t n)
{
	double w = 1.0;

	while (n >= 10 && w < 4.0) {
		n /= 10;
		w += 1.0;
	}
	return w;
}

/* A table's rows: a name and a count per column (a guest mode), most
 * frequent first. */
#define TCOLS 2
#define TROWS 32	/* more distinct names share the last row, "other" */
struct trow {
	const char *name;
	uint64_t n[TCOLS];
};
struct ttable {
	struct trow row[TROWS];
	unsigned nrows;
	uint64_t col[TCOLS];	/* column totals */
};

static void tadd(struct ttable *t, const char *name, unsigned col, uint64_t n)
{
	unsigned i;

	for (i = 0; i < t->nrows && strcmp(t->row[i].name, name); i++)
		;
	if (i == TROWS) {
		i = TROWS - 1;
		t->row[i].name = "other";
	} else if (i == t->nrows) {
		t->row[t->nrows++] = (struct trow){ .name = name };
	}
	t->row[i].n[col] += n;
	t->col[col] += n;
}

static uint64_t trow_total(const struct trow *r)
{
	uint64_t n = 0;

	for (unsigned c = 0; c < TCOLS; c++)
		n += r->n[c];
	return n;
}

static void tsort(struct ttable *t)
{
	for (unsigned i = 1; i < t->nrows; i++)	/* insertion sort, by total down */
		for (unsigned j = i; j > 0 && trow_total(&t->row[j]) > trow_total(&t->row[j - 1]); j--) {
			struct trow x = t->row[j];

			t->row[j] = t->row[j - 1];
			t->row[j - 1] = x;
		}
}

/* An HTML-like label: the title, a header row when more than one column
 * has counts, one row per name ("-" for none), and a row of the totals
 * when there is more than one name. */
static void tlabel(FILE *f, const char *title, const struct ttable *t, const char *const head[TCOLS])
{
	unsigned used = 0;

	for (unsigned c = 0; c < TCOLS; c++)
		used += t->col[c] != 0;
	fprintf(f, "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">"
		   "<TR><TD COLSPAN=\"%u\"><B>%s</B></TD></TR>", used + 1, title);
	if (used > 1) {
		fputs("<TR><TD></TD>", f);
		for (unsigned c = 0; c < TCOLS; c++)
			if (t->col[c])
				fprintf(f, "<TD ALIGN=\"RIGHT\"><I>&#160;&#160;%s</I></TD>", head[c]);
		fputs("</TR>", f);
	}
	for (unsigned i = 0; i < t->nrows; i++) {
		fprintf(f, "<TR><TD ALIGN=\"LEFT\">%s</TD>", t->row[i].name);
		for (unsigned c = 0; c < TCOLS; c++)
			if (t->col[c]) {
				if (t->row[i].n[c])
					fprintf(f, "<TD ALIGN=\"RIGHT\">%llu</TD>",
						(unsigned long long)t->row[i].n[c]);
				else
					fputs("<TD ALIGN=\"RIGHT\">-</TD>", f);
			}
		fputs("</TR>", f);
	}
	if (t->nrows > 1) {
		fputs("<TR><TD ALIGN=\"LEFT\"><I>all</I></TD>", f);
		for (unsigned c = 0; c < TCOLS; c++)
			if (t->col[c])
				fprintf(f, "<TD ALIGN=\"RIGHT\"><I>%llu</I></TD>", (unsigned long long)t->col[c]);
		fputs("</TR>", f);
	}
	fputs("</TABLE>>", f);
}

static const char *const from_head[TCOLS] = { "user", "kernel" };

static void edge_style(FILE *f, uint64_t n, const char *style)
{
	fprintf(f, "penwidth=%.1f%s%s];\n", pen(n), *style ? ", " : "", style);
}

/* The guest's side: its two modes and the table of the traps it took (bare)
 * or saw (VMM: reflected or injected), edges for the traps and the rfe
 * (dotted under the VMM, where they are the guest's belief). */
static int guest_part(FILE *f, const struct mon_sink *s, bool vmm)
{
	static const char *const dotted = "style=dotted, color=\"#475569\", fontcolor=\"#475569\"";
	struct ttable *t = calloc(1, sizeof *t);
	uint64_t rfe[2][2] = { { 0, 0 }, { 0, 0 } };

	if (!t)
		return -1;
	for (unsigned i = 0; i < s->nedges; i++) {
		const struct mon_edge *e = &s->edge[i];

		if (e->vmm)
			continue;
		if (!strcmp(e->what, "rfe"))
			rfe[e->from][e->to] += e->count;
		else
			tadd(t, e->what, e->from, e->count);
	}
	tsort(t);
	fprintf(f, "  subgraph cluster_guest {\n"
		   "    label=\"guest%s\"; style=\"rounded,dashed\"; color=\"#64748b\";\n"
		   "    user [label=\"user mode\", fillcolor=\"" USER_COLOR "\"];\n"
		   "    kernel [label=\"kernel mode\", fillcolor=\"" KERNEL_COLOR "\"];\n",
		vmm ? " (virtual modes)" : "");
	if (t->nrows) {
		fputs("    traps [shape=box, style=filled, fillcolor=white, color=\"#64748b\", label=", f);
		tlabel(f, vmm ? "traps the guest saw" : "traps", t, from_head);
		fputs("];\n", f);
	}
	fprintf(f, "    { rank=same; %s%s }\n  }\n", vmm ? "user; kernel;" : "kernel;",
		t->nrows ? " traps;" : "");
	/* Bare: labelled edges, one loop on kernel for its traps and rfe.
	 * Under the VMM: dotted, unlabelled (the table has the counts). */
	for (int k = 0; k < 2; k++)
		for (int to = 0; to < 2; to++) {
			uint64_t traps = to ? t->col[k] : 0, n = traps + rfe[k][to];
			char label[64] = "";

			if (!n)
				continue;
			if (!vmm)
				snprintf(label, sizeof label, "%s%.0llu%s%s%.0llu", traps ? "traps " : "",
					 (unsigned long long)traps, traps && rfe[k][to] ? "\\n" : "",
					 rfe[k][to] ? "rfe " : "", (unsigned long long)rfe[k][to]);
			fprintf(f, "  %s -> %s [", mode_node(k), mode_node(to));
			if (*label)
				fprintf(f, "label=\"%s\", ", label);
			edge_style(f, n, vmm ? dotted : "");
		}
	free(t);
	return 0;
}

/* A node of the VMM's side: a handler, or the group of the plain
 * emulations; in[k] exits from guest mode k, out[k][to] of them resumed in
 * mode to. */
struct hnode {
	const char *name;
	struct ttable t;
	uint64_t in[2], out[2][2];
};

#define EMULATE "emulate-"

/* A plain emulation: every exit to handler 'what' is a privileged
 * instruction that returns to the mode it came from (mtcr, out...). */
static bool plain_emulation(const struct mon_sink *s, const char *what)
{
	if (strncmp(what, EMULATE, strlen(EMULATE)))
		return false;
	for (unsigned i = 0; i < s->nedges; i++) {
		const struct mon_edge *e = &s->edge[i];

		if (e->vmm && !strcmp(e->what, what)
		    && (e->from != e->to || !e->cause || strcmp(e->cause, "privileged")))
			return false;
	}
	return true;
}

/* The VMM's nodes from the exits; returns how many (0 if out of memory). */
static unsigned vmm_nodes(const struct mon_sink *s, struct hnode **out)
{
	struct hnode *h = calloc(s->nedges + 1, sizeof *h);
	unsigned n = 0;

	*out = h;
	if (!h)
		return 0;
	for (unsigned i = 0; i < s->nedges; i++) {
		const struct mon_edge *e = &s->edge[i];
		bool group;
		const char *name;
		unsigned j;

		if (!e->vmm)
			continue;
		group = plain_emulation(s, e->what);
		name = group ? "emulate" : e->what;
		for (j = 0; j < n && strcmp(h[j].name, name); j++)
			;
		if (j == n)
			h[n++].name = name;
		tadd(&h[j].t, group ? e->what + strlen(EMULATE) : e->cause ? e->cause : "?", e->from,
		     e->count);
		h[j].in[e->from] += e->count;
		h[j].out[e->from][e->to] += e->count;
	}
	for (unsigned j = 0; j < n; j++)
		tsort(&h[j].t);
	return n;
}

/* Exits from guest mode k to node h and back: one two-headed edge when
 * every one returns to k, else an edge in and a dashed edge per mode
 * resumed in.  The node's table has the counts; an edge back is labelled
 * only when the exits from k return to both modes (emulate-rfe). */
static void vmm_edges(FILE *f, const struct hnode *h, int k)
{
	static const char *const red = "color=\"#be123c\"";
	bool split = h->out[k][0] && h->out[k][1];

	if (!h->in[k])
		return;
	if (h->out[k][k] == h->in[k]) {
		fprintf(f, "  %s -> \"h_%s\" [dir=both, %s, ", mode_node(k), h->name, red);
		edge_style(f, h->in[k], "");
		return;
	}
	fprintf(f, "  %s -> \"h_%s\" [%s, ", mode_node(k), h->name, red);
	edge_style(f, h->in[k], "");
	for (int to = 0; to < 2; to++)
		if (h->out[k][to]) {
			fprintf(f, "  \"h_%s\" -> %s [", h->name, mode_node(to));
			if (split)
				fprintf(f, "label=\"%llu to %s\", ", (unsigned long long)h->out[k][to],
					mode_node(to));
			fprintf(f, "%s, ", red);
			edge_style(f, h->out[k][to], "style=dashed");
		}
}

static int vmm_part(FILE *f, const struct mon_sink *s)
{
	struct hnode *h;
	unsigned n = vmm_nodes(s, &h);

	if (!h)
		return -1;
	fputs("  subgraph cluster_vmm {\n"
	      "    label=\"VMM (the machine in kernel mode): its handlers and the machine traps"
	      " they took\"; labelloc=b; style=\"rounded,filled\"; fillcolor=\"#fff1f2\";"
	      " color=\"#be123c\";\n", f);
	for (unsigned j = 0; j < n; j++) {
		fprintf(f, "    \"h_%s\" [fillcolor=\"" VMM_COLOR "\", label=", h[j].name);
		tlabel(f, !strcmp(h[j].name, "emulate") ? "emulate (instructions)" : h[j].name, &h[j].t,
		       from_head);
		fputs("];\n", f);
	}
	fputs("  }\n", f);
	for (unsigned j = 0; j < n; j++)
		for (int k = 0; k < 2; k++)
			vmm_edges(f, &h[j], k);
	free(h);
	return 0;
}

int dot_traps(FILE *f, const struct mon_sink *s, bool vmm, const char *title)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < s->nedges; i++)
		total += s->edge[i].count;
	fprintf(f, "digraph traps {\n"
		   "  graph [rankdir=%s, fontname=\"" FONT "\", labelloc=t, fontsize=16, nodesep=%s,"
		   " ranksep=%s, label=\"%s: %s, %llu transitions\\n%s\"];\n"
		   "  node [fontname=\"" FONT "\", style=\"rounded,filled\", shape=box, fontsize=13,"
		   " margin=\"0.12,0.06\"];\n"
		   "  edge [fontname=\"" FONT "\", fontsize=12];\n",
		vmm ? "TB" : "LR", vmm ? "0.25" : "0.5", vmm ? "0.8" : "1.2", title,
		vmm ? "trap-and-emulate under the VMM" : "traps on the bare machine",
		(unsigned long long)total,
		vmm ? "solid: a trap to the VMM, dashed: back to the guest, two heads: both;"
		      " dotted: what the guest saw"
		    : "the table counts the traps by cause and by the mode they came from");
	if (guest_part(f, s, vmm) || (vmm && vmm_part(f, s)))
		return -1;
	fputs("}\n", f);
	return 0;
}

int dot_traps_file(const char *path, const struct mon_sink *s, bool vmm, const char *title,
		   char *err, size_t errsize)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		snprintf(err, errsize, "%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	if (dot_traps(f, s, vmm, title)) {
		fclose(f);
		snprintf(err, errsize, "%s: out of memory", path);
		return -1;
	}
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
	uint32_t nroot = vmm ? vmm_nested_root(t->ops->vm(t)) : 0;
	char title[128];

	fprintf(f, "digraph pagetable {\n"
		   "  graph [rankdir=LR, fontname=\"" FONT "\", labelloc=t, fontsize=16, label=\"%s\"];\n"
		   "  node [fontname=\"" FONT "\", fontsize=11];\n"
		   "  edge [color=\"#475569\"];\n",
		nroot ? "the guest's page table and the VMM's nested table (--mmu=nested)"
		: vmm ? "the guest's page table and the VMM's shadow table"
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
	if (nroot) {	/* the second dimension: every gpa above goes through it */
		struct pt_list n;

		pt_collect_nested(t, &n);
		fprintf(f, "  nptb [shape=box, style=\"rounded,filled\", fillcolor=\"" VMM_COLOR "\", "
			   "label=\"nested root (GSA nptb)\\n0x%08x\"];\n  nptb -> nested_dir;\n", nroot);
		side(f, "nested", "nested page table (guest-physical page -> machine-physical)", nroot,
		     &n, "mpa", NULL, SHADOW_COLOR);
		pt_free(&n);
	} else if (vmm) {
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
