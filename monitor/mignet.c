/*
 * mignet.c - live migration over TCP: the source's end ("vmlab run
 * --migrate-to", the shell's migrate) and the destination ("vmlab
 * listen").  The protocol and its records are the VMM's
 * (vm/vmm/migrate.h, vm/vmm/MIGRATION.md); here are only the socket under
 * it, the reports and the run that follows.
 *
 * Both sides report on stderr, one line each:
 *
 *   vmlab: migrate: round N: P pages
 *   vmlab: migrate: stop-and-copy: P pages (RULE)
 *   vmlab: migrate: moved at tick T: P pages, B bytes, R rounds, total X ms, downtime Y ms
 *
 * (the destination says "vmlab: listen: ..." and "received" for "moved").
 * Guest time is virtual: the guest's clock does not run while it is
 * stopped, so its downtime in guest ticks is 0; the host's is Y ms, from
 * stopping the guest to the destination's OWN (source) or from STOP to
 * activation (destination).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "console.h"
#include "run.h"
#include "runtrace.h"

/* The connection.  Writes are gathered (a page record is three pieces)
 * and go out when the buffer fills, before each read (the peer's answer
 * cannot come before what it answers) and before closing. */
#define TCP_BUF	(256u << 10)

struct tcp {
	int fd;
	int die_at;		/* --die-at: the stage to be killed at */
	char why[128];
	uint8_t *buf;
	size_t len;
};

static int send_all(struct tcp *t, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t k = send(t->fd, b, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			snprintf(t->why, sizeof t->why, "%s", strerror(errno));
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

static int tcp_flush(struct tcp *t)
{
	size_t n = t->len;

	t->len = 0;
	return send_all(t, t->buf, n);
}

static int tcp_write(void *ctx, const void *p, size_t n)
{
	struct tcp *t = ctx;

	if (t->len + n > TCP_BUF && tcp_flush(t))
		return -1;
	if (n > TCP_BUF)
		return send_all(t, p, n);
	memcpy(t->buf + t->len, p, n);
	t->len += n;
	return 0;
}

static int tcp_read(void *ctx, void *p, size_t n)
{
	struct tcp *t = ctx;
	uint8_t *b = p;

	if (t->len && tcp_flush(t))
		return -1;
	while (n) {
		ssize_t k = recv(t->fd, b, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			snprintf(t->why, sizeof t->why, "%s",
				 k == 0 ? "the connection was closed" : strerror(errno));
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Send what is gathered (best effort: the peer may be gone) and close. */
static void tcp_close(struct tcp *t)
{
	if (t->len)
		tcp_flush(t);
	close(t->fd);
	free(t->buf);
}

static const char *tcp_why(void *ctx)
{
	return ((struct tcp *)ctx)->why;
}

/* A stage begins: what the last one wrote goes out (so that "the source
 * sent CMIT" means the bytes left this process); and for the tests of
 * failures, this side dies here, as if killed. */
static void tcp_stage(void *ctx, enum mig_stage s)
{
	struct tcp *t = ctx;

	if (t->len)
		tcp_flush(t);	/* a failure shows at the next write or read */
	if (t->die_at == (int)s) {
		fflush(stdout);
		raise(SIGKILL);
	}
}

static void report(const char *who, const struct mig_stats *st, bool stopped, uint64_t tick)
{
	for (unsigned i = 0; i < st->rounds; i++)
		fprintf(stderr, "vmlab: %s: round %u: %u pages\n", who, i, st->round_pages[i]);
	if (!stopped)
		return;
	fprintf(stderr, "vmlab: %s: stop-and-copy: %u pages", who, st->stop_pages);
	if (st->rule)
		fprintf(stderr, " (%s)", st->rule);
	fprintf(stderr, "\nvmlab: %s: %s at tick %llu: %llu pages, %llu bytes, %u rounds, "
		"total %.3f ms, downtime %.3f ms host, 0 guest ticks\n", who,
		strcmp(who, "migrate") ? "received" : "moved", (unsigned long long)tick,
		(unsigned long long)st->pages, (unsigned long long)st->bytes, st->rounds,
		st->total_ms, st->down_ms);
}

int mon_check_hostport(const char *to, char *err, size_t errsize)
{
	const char *colon = strrchr(to, ':');
	char *end;
	unsigned long port;

	if (!colon || colon == to || (size_t)(colon - to) >= MON_HOST_MAX) {
		snprintf(err, errsize, "'%s' is not HOST:PORT", to);
		return -1;
	}
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || colon[1] == '-' || colon[1] == '+' || port < 1 || port > 65535) {
		snprintf(err, errsize, "'%s' is not a port number from 1 to 65535", colon + 1);
		return -1;
	}
	return 0;
}

static int connect_to(const char *to, char *err, size_t errsize)
{
	char host[MON_HOST_MAX];
	const char *colon = strrchr(to, ':');
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *ai;
	int fd, rc, one = 1;

	if (mon_check_hostport(to, err, errsize))
		return -1;
	memcpy(host, to, (size_t)(colon - to));
	host[colon - to] = 0;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai))) {
		snprintf(err, errsize, "%s: %s", to, gai_strerror(rc));
		return -1;
	}
	fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
		snprintf(err, errsize, "cannot connect to %s: %s", to, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

enum mig_outcome mon_migrate(struct vm *vm, const char *to, const struct mon_run_opts *o,
			     uint64_t end, enum vmm_exit_reason *r, struct vmm_exit *ex)
{
	struct tcp t = { .die_at = o->die_at };
	struct mig_io io = { .write = tcp_write, .read = tcp_read, .stage = tcp_stage,
			     .why = tcp_why, .ctx = &t };
	struct mig_params p = { .bw = o->migrate_bw, .max_rounds = o->migrate_rounds,
				.end = end, .name = "vm0" };
	struct mig_stats st;
	enum mig_outcome out;
	char err[400];

	fflush(stdout);
	*r = VMM_EXIT_BUDGET;
	if (!(t.buf = malloc(TCP_BUF))) {
		fprintf(stderr, "vmlab: migrate: out of memory; the guest runs on here\n");
		return MIG_FAILED;
	}
	if ((t.fd = connect_to(to, err, sizeof err)) < 0) {
		fprintf(stderr, "vmlab: migrate: %s; the guest runs on here\n", err);
		free(t.buf);
		return MIG_FAILED;
	}
	out = vmm_migrate_out(vm, &io, &p, &st, r, ex, err, sizeof err);
	tcp_close(&t);
	fflush(stdout);
	report("migrate", &st, out == MIG_MOVED, st.stop_tick);
	if (out == MIG_FAILED)
		fprintf(stderr, "vmlab: migrate to %s failed: %s; the guest runs on here\n", to, err);
	else if (out == MIG_GUEST_STOPPED)
		fprintf(stderr, "vmlab: migrate to %s: %s\n", to, err);
	return out;
}

/* Listen on 127.0.0.1:port; say where (stderr, --port-file). */
static int listen_on(const struct mon_run_opts *o)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	FILE *f;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one)
	    || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 1)
	    || getsockname(fd, (struct sockaddr *)&a, &alen)) {
		fprintf(stderr, "vmlab: listen: cannot listen on 127.0.0.1:%d: %s\n", o->port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fprintf(stderr, "vmlab: listen: listening on 127.0.0.1:%u\n", ntohs(a.sin_port));
	if (o->port_file) {
		if (!(f = fopen(o->port_file, "w")) || fprintf(f, "%u\n", ntohs(a.sin_port)) < 0
		    || fclose(f)) {
			fprintf(stderr, "vmlab: listen: %s: %s\n", o->port_file, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* --console-dir: the VM's console to DIR/NAME.out. */
static int console_to_dir(struct vm *vm, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.out", dir, name[0] ? name : "vm0");
	if (strchr(name, '/') || !(f = fopen(path, "w"))) {
		fprintf(stderr, "vmlab: listen: %s: %s\n", path,
			strchr(name, '/') ? "a VM name with '/'" : strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	vmm_console(vm)->out = f;
	return 0;
}

int mon_listen(const struct mon_run_opts *o)
{
	struct vmm_config cfg = mon_vmm_config(o);
	struct mon_runtrace rt;
	struct tcp t = { .die_at = o->die_at };
	struct mig_io io = { .write = tcp_write, .read = tcp_read, .stage = tcp_stage,
			     .why = tcp_why, .ctx = &t };
	struct mig_stats st;
	struct vm *vm;
	char err[400];
	int lfd, status, one = 1;
	FILE *cons = NULL;

	if (mon_runtrace_open(&rt, o))
		return MON_EXIT_USAGE;
	cfg.trace = mon_runtrace_tracer(&rt);
	if ((lfd = listen_on(o)) < 0)
		return MON_EXIT_USAGE;
	do
		t.fd = accept(lfd, NULL, NULL);
	while (t.fd < 0 && errno == EINTR);
	close(lfd);
	if (t.fd < 0 || !(t.buf = malloc(TCP_BUF))) {
		fprintf(stderr, "vmlab: listen: %s\n", t.fd < 0 ? strerror(errno) : "out of memory");
		if (t.fd >= 0)
			close(t.fd);
		return MON_EXIT_USAGE;
	}
	setsockopt(t.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (vmm_migrate_in(&cfg, &io, &vm, &st, err, sizeof err)) {
		tcp_close(&t);
		report("listen", &st, false, 0);
		fprintf(stderr, "vmlab: listen: migration failed: %s; the partial VM is "
			"discarded\n", err);
		return MON_EXIT_USAGE;
	}
	tcp_close(&t);
	report("listen", &st, true, vmm_ticks(vm));
	if (o->console_dir) {
		if (console_to_dir(vm, o->console_dir, st.name)) {
			vmm_free(vm);
			return MON_EXIT_USAGE;
		}
		cons = vmm_console(vm)->out;
	}
	status = mon_run_vm(o, vm, &rt);
	if (cons && fclose(cons) && status == 0)
		status = MON_EXIT_USAGE;
	return status;
}
