/*
 * tracesink.c - trace lines and transition counts.  See tracesink.h.
 */
#include "tracesink.h"

#include <errno.h>
#include <string.h>

#include "pg32.h"

static const enum trace_cat cats[] = {
	TRACE_INSN, TRACE_TRAP, TRACE_EXIT, TRACE_SHADOW, TRACE_IRQ, TRACE_DEV, TRACE_HCALL,
	TRACE_SCHED,
};
#define NCATS (sizeof cats / sizeof cats[0])

int mon_trace_parse(const char *list, uint32_t *mask, const char **bad)
{
	static char badname[32];
	uint32_t m = 0;
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", \t");
		bool found = n == 3 && !strncmp(p, "all", 3);

		if (found)
			m |= TRACE_ALL;
		for (unsigned i = 0; i < NCATS && !found; i++) {
			const char *name = trace_cat_name(cats[i]);

			if (strlen(name) == n && !strncmp(p, name, n)) {
				m |= cats[i];
				found = true;
			}
		}
		if (!found && n) {
			snprintf(badname, sizeof badname, "%.*s", (int)n, p);
			*bad = badname;
			return -1;
		}
		p += n;
		p += strspn(p, ", \t");
	}
	*mask = m;
	return 0;
}

const char *mon_trace_category(unsigned i)
{
	return i < NCATS ? trace_cat_name(cats[i]) : i == NCATS ? "all" : NULL;
}

const char *mon_trace_names(uint32_t mask)
{
	static char buf[64];

	buf[0] = '\0';
	for (unsigned i = 0; i < NCATS; i++)
		if (mask & cats[i]) {
			if (buf[0])
				strcat(buf, ",");
			strcat(buf, trace_cat_name(cats[i]));
		}
	return buf[0] ? buf : "none";
}

int mon_sink_open(struct mon_sink *s, uint32_t print, const char *path, bool count,
		  char *err, size_t errsize)
{
	memset(s, 0, sizeof *s);
	s->out = stderr;
	if (path && strcmp(path, "-")) {
		s->out = fopen(path, "w");
		if (!s->out) {
			snprintf(err, errsize, "%s: cannot write the trace: %s", path,
				 strerror(errno));
			return -1;
		}
		s->own = true;
	}
	s->count = count;
	s->tr.fn = mon_sink_event;
	s->tr.ctx = s;
	mon_sink_set_print(s, print);
	return 0;
}

void mon_sink_set_print(struct mon_sink *s, uint32_t print)
{
	s->print = print;
	s->tr.mask = print | (s->count ? TRACE_TRAP | TRACE_EXIT : 0);
}

void mon_sink_close(struct mon_sink *s)
{
	if (s->out)
		fflush(s->out);
	if (s->own && s->out)
		fclose(s->out);
	s->out = NULL;
	s->own = false;
}

/* The cause named by "cause=NAME" in a VMM exit's text, as the static
 * string isa_cause_name gives; NULL if none. */
static const char *exit_cause(const char *text)
{
	const char *p = text ? strstr(text, "cause=") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += 6;
	n = strcspn(p, " ");
	for (unsigned c = 0; c < ISA_NCAUSE; c++)
		if (strlen(isa_cause_name(c)) == n && !strncmp(isa_cause_name(c), p, n))
			return isa_cause_name(c);
	return NULL;
}

static void count_edge(struct mon_sink *s, const struct trace_event *ev)
{
	uint8_t from = ev->kernel, to = ev->kernel_after;
	bool vmm = ev->cat == TRACE_EXIT;
	const char *cause = vmm ? exit_cause(ev->text) : NULL;

	for (unsigned i = 0; i < s->nedges; i++) {
		struct mon_edge *e = &s->edge[i];

		if (e->from == from && e->to == to && e->vmm == vmm && e->cause == cause
		    && (e->what == ev->what || !strcmp(e->what, ev->what))) {
			e->count++;
			return;
		}
	}
	if (s->nedges < MON_MAX_EDGES)
		s->edge[s->nedges++] = (struct mon_edge){ .what = ev->what, .cause = cause,
							  .from = from, .to = to, .vmm = vmm,
							  .count = 1 };
}

void mon_sink_event(void *ctx, const struct trace_event *ev)
{
	struct mon_sink *s = ctx;

	if (s->count && (ev->cat == TRACE_TRAP || ev->cat == TRACE_EXIT))
		count_edge(s, ev);
	if (!(s->print & ev->cat) || !s->out)
		return;
	fprintf(s->out, "%llu %s 0x%08x %s %s%s%s\n", (unsigned long long)ev->tick,
		ev->kernel == ev->kernel_after ? (ev->kernel ? "K" : "U")
					       : (ev->kernel ? "K>U" : "U>K"),
		ev->pc, trace_cat_name(ev->cat), ev->what, ev->text && *ev->text ? " " : "",
		ev->text ? ev->text : "");
	s->events++;
}
