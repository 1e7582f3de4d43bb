/*
 * schedpic.c - the picture of a host's schedule (vmlab run --vm ...
 * --schedule FILE.svg): time runs left to right in host ticks, one row per
 * VM and one for the idle CPU; a bar where a VM had the CPU, a thin grey
 * line while it was blocked in wfi, a red mark where it was woken and an
 * orange line from there to when it ran (its wake-to-run latency).
 *
 * Written as SVG directly: a timeline is rectangles and lines on a time
 * axis, which SVG says in a few lines per turn; Graphviz lays out graphs,
 * not timelines, and gnuplot would be a new dependency and a data file
 * plus a script for the same rectangles.
 */
#include "schedpic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TURNS	100000	/* more are dropped (the picture says so) */
#define LEFT		90
#define WIDTH		1000
#define ROW		26
#define TOP		40

static const char *const colours[] = { "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1",
				       "#76b7b2", "#edc948", "#ff9da7", "#9c755f" };

int mon_schedpic_open(struct mon_schedpic *p, const char *path)
{
	memset(p, 0, sizeof *p);
	if (!path)
		return 0;
	p->f = fopen(path, "w");
	if (!p->f) {
		fprintf(stderr, "vmlab: %s: cannot write the schedule: %s\n", path, strerror(errno));
		return -1;
	}
	p->path = path;
	return 0;
}

void mon_schedpic_turn(void *ctx, const struct host_turn *t)
{
	struct mon_schedpic *p = ctx;
	struct host_turn *last = p->n ? &p->t[p->n - 1] : NULL;

	/* One bar for a VM's consecutive turns. */
	if (last && last->vm == t->vm && last->start + last->ticks == t->start
	    && last->end == HOST_TURN_RUNNABLE && t->woken == UINT64_MAX) {
		last->ticks += t->ticks;
		last->end = t->end;
		last->wake_at = t->wake_at;
		return;
	}
	if (p->n == MAX_TURNS) {
		p->dropped++;
		return;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 1024;
		struct host_turn *n = realloc(p->t, cap * sizeof *n);

		if (!n) {
			p->dropped++;
			return;
		}
		p->t = n;
		p->cap = cap;
	}
	p->t[p->n++] = *t;
}

static double x_of(uint64_t tick, uint64_t end)
{
	return LEFT + (double)tick * WIDTH / (double)(end ? end : 1);
}

static void axis(FILE *f, uint64_t end, unsigned rows)
{
	for (unsigned i = 0; i <= 5; i++) {
		uint64_t t = end / 5 * i;
		double x = x_of(t, end);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%u\" stroke=\"#ddd\"/>\n", x,
			TOP - 4, x, TOP + rows * ROW);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%llu</text>\n", x,
			TOP - 8, (unsigned long long)t);
	}
}

static void turn(FILE *f, const struct host_turn *t, unsigned nvm, uint64_t end)
{
	unsigned row = t->vm < 0 ? nvm : (unsigned)t->vm;
	double y = TOP + row * ROW, x0 = x_of(t->start, end), x1 = x_of(t->start + t->ticks, end);
	double w = x1 - x0 < 1 ? 1 : x1 - x0;	/* a short turn stays visible */

	fprintf(f, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n", x0,
		y + 4, w, ROW - 8, t->vm < 0 ? "#ccc" : colours[row % 8]);
	if (t->woken != UINT64_MAX) {
		double xw = x_of(t->woken, end);

		fprintf(f, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"orange\" "
			"stroke-width=\"2\"/>\n", xw, y + ROW / 2.0, x0, y + ROW / 2.0);
		fprintf(f, "<path d=\"M%.2f %.1f l-3 -5 h6 z\" fill=\"red\"/>\n", xw, y + 4);
	}
	if (t->end == HOST_TURN_BLOCKED && t->wake_at > t->start + t->ticks)
		fprintf(f, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#999\" "
			"stroke-dasharray=\"2,2\"/>\n", x1, y + ROW / 2.0,
			x_of(t->wake_at < end ? t->wake_at : end, end), y + ROW / 2.0);
}

int mon_schedpic_close(struct mon_schedpic *p, const char *const *names, unsigned nvm,
		       uint64_t end, const char *title)
{
	FILE *f = p->f;
	unsigned rows = nvm + 1;
	int r = 0;

	if (!f)
		return 0;
	if (!names) {		/* the run never happened: nothing to draw */
		fclose(f);
		remove(p->path);
		free(p->t);
		return 0;
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n", LEFT + WIDTH + 50,
		TOP + rows * ROW + 40);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"14\">%s (host ticks)%s</text>\n", LEFT, title,
		p->dropped ? "; later turns not drawn" : "");
	axis(f, end, rows);
	for (unsigned i = 0; i < rows; i++)
		fprintf(f, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">%s</text>\n", LEFT - 6,
			TOP + i * ROW + ROW / 2 + 4, i < nvm ? names[i] : "idle");
	for (size_t i = 0; i < p->n; i++)
		turn(f, &p->t[i], nvm, end);
	fprintf(f, "<text x=\"%d\" y=\"%u\">bar: on the CPU; red mark: woken; orange: woken, "
		"waiting for the CPU; dashes: blocked in wfi</text>\n", LEFT,
		TOP + rows * ROW + 24);
	fprintf(f, "</svg>\n");
	if (ferror(f))
		r = -1;
	if (fclose(f))
		r = -1;
	if (r)
		fprintf(stderr, "vmlab: %s: cannot write the schedule\n", p->path);
	free(p->t);
	return r;
}
