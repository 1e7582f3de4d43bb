/*
 * events.c - time and the I/O bus: what happens at a tick (timer compare,
 * disk completion, console polling), when the next such tick is, wfi's
 * sleep, and the in/out port map (ISA.md "Time", "Devices").
 *
 *   port 0x00-0x02  console (DATA, STATUS, CTRL)     console.c
 *   port 0x10-0x15  disk (SECTOR ... SIZE)           disk.c
 *   port 0x20       POWER (write: off, code & 0xff; read: 0)
 *   port 0x21       MEMSIZE (read: bytes of RAM; write: ignored)
 *   anything else   BUS, badva = the port
 */
#include "hw_priv.h"

#define POLL_PERIOD	65536u	/* ISA.md: host input every 65536 ticks */

/* The next tick after 'now' at which icount == timecmp. */
static uint64_t timer_next(const struct machine *m, uint64_t now)
{
	uint32_t d = m->cr[ISA_CR_TIMECMP] - (uint32_t)now;

	return now + (d ? d : (UINT64_C(1) << 32));
}

static uint64_t poll_next(uint64_t now)
{
	return (now | (POLL_PERIOD - 1)) + 1;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t next_event(const struct machine *m, bool debug)
{
	uint64_t now = m->ticks, e = m->budget_end;

	if (debug)
		e = min64(e, now + 1);
	if (unlikely(m->v.gm))	/* PG32-V: the host drives the guest's lines */
		return e;
	if (!(m->cr[ISA_CR_IPEND] & ISA_IRQ_TIMER))
		e = min64(e, timer_next(m, now));
	e = min64(e, disk_next_event(&m->disk));
	/* Polling without RXIE cannot be seen: STATUS and DATA poll too. */
	if (cons_can_interrupt(&m->cons))
		e = min64(e, poll_next(now));
	return e;
}

uint64_t mach_next_event(const struct machine *m)
{
	return next_event(m, mach_debug(m));
}

void mach_events(struct machine *m)
{
	uint64_t now = m->ticks;
	uint32_t lines = m->cr[ISA_CR_IPEND];

	if (unlikely(m->v.gm))	/* PG32-V: the host's events wait for the exit */
		return;
	if ((uint32_t)now == m->cr[ISA_CR_TIMECMP])
		m->cr[ISA_CR_IPEND] |= ISA_IRQ_TIMER;
	if (htrace_on(m, TRACE_IRQ) && lines != m->cr[ISA_CR_IPEND])
		htrace_lines(m, lines, m->cr[ISA_CR_IPEND]);
	if (disk_update(&m->disk, now, &m->dma) && htrace_on(m, TRACE_DEV)) {
		char text[96];
		bool k = m->cr[ISA_CR_STATUS] & ISA_ST_KM;

		disk_describe(&m->disk, text, sizeof text);
		htrace_emit(m, TRACE_DEV, m->pc, k, k, "dma", "%s", text);
	}
	if (now % POLL_PERIOD == 0 && cons_can_interrupt(&m->cons))
		cons_poll(&m->cons);
}

static void advance(struct machine *m, uint64_t to)
{
	m->st.wfi_sleep_ticks += to - m->ticks;
	m->tick_adjust += to - m->ticks;
	m->ticks = to;
	mach_events(m);
}

int mach_wfi(struct machine *m)
{
	for (;;) {
		uint32_t mask = m->cr[ISA_CR_IMASK];
		bool cons_wakes = (mask & ISA_IRQ_CONSOLE) && cons_can_interrupt(&m->cons);
		uint64_t wake = UINT64_MAX, next;

		if (m->ticks >= m->budget_end) {
			/* A PG32-V guest's wfi: its host decides after the
			 * preempting exit (ISA.md 16.5). */
			if (!m->v.gm)
				hw_wficut_set(&m->wfi_cut, m->pc, m->ticks);
			return WFI_BUDGET;
		}
		if (m->cr[ISA_CR_IPEND] & mask)
			return WFI_WOKE;
		if (cons_wakes) {		/* ISA.md: polled during wfi */
			cons_poll(&m->cons);
			if (m->cr[ISA_CR_IPEND] & mask)
				return WFI_WOKE;
		}
		if (mask & ISA_IRQ_TIMER)
			wake = timer_next(m, m->ticks);
		if (mask & ISA_IRQ_DISK)
			wake = min64(wake, disk_next_event(&m->disk));
		if (wake == UINT64_MAX && !cons_wakes)
			return WFI_DEADLOCK;
		next = next_event(m, false);	/* includes the budget */
		if (wake == UINT64_MAX && next >= poll_next(m->ticks)) {
			/* Only host input can wake us: wait for it in real
			 * time; it is seen at the next polling point. */
			cons_wait(&m->cons);
		}
		advance(m, next);
	}
}

int mach_wfi_resume(struct machine *m)
{
	int r;

	if (!hw_wficut_take(&m->wfi_cut, m->pc, m->ticks))
		return WFI_NONE;
	r = mach_wfi(m);
	if (r == WFI_WOKE) {	/* as the loop retires it (cpu_loop.h) */
		m->pc += 4;
		m->ticks++;
		mach_events(m);
	}
	return r;
}

static unsigned port_in(struct machine *m, uint32_t port, uint32_t *val)
{
	if (port <= ISA_PORT_CONS_CTRL)
		return cons_read(&m->cons, port - ISA_PORT_CONS_DATA, m->ticks, val)
			? 0 : ISA_CAUSE_BUS;
	if (port >= ISA_PORT_DISK_SECTOR && port <= ISA_PORT_DISK_SIZE)
		return disk_read(&m->disk, port - ISA_PORT_DISK_SECTOR, m->ticks, val)
			? 0 : ISA_CAUSE_BUS;
	if (port == ISA_PORT_POWER) {
		*val = 0;
		return 0;
	}
	if (port == ISA_PORT_MEMSIZE) {
		*val = m->memsize;
		return 0;
	}
	return ISA_CAUSE_BUS;
}

static unsigned port_out(struct machine *m, uint32_t port, uint32_t val)
{
	if (port <= ISA_PORT_CONS_CTRL)
		return cons_write(&m->cons, port - ISA_PORT_CONS_DATA, val, m->ticks)
			? 0 : ISA_CAUSE_BUS;
	if (port >= ISA_PORT_DISK_SECTOR && port <= ISA_PORT_DISK_SIZE)
		return disk_write(&m->disk, port - ISA_PORT_DISK_SECTOR, val, m->ticks)
			? 0 : ISA_CAUSE_BUS;
	if (port == ISA_PORT_POWER) {
		m->halt = HW_EXIT_POWEROFF;
		m->halt_exit.u.power.code = val & 0xff;
		cons_flush(&m->cons);
		return 0;
	}
	if (port == ISA_PORT_MEMSIZE)
		return 0;
	return ISA_CAUSE_BUS;
}

/* The CPU calls these with m->pc already at the next instruction. */
unsigned mach_port_in(struct machine *m, uint32_t port, uint32_t *val)
{
	unsigned c = port_in(m, port, val);

	if (htrace_on(m, TRACE_DEV))
		htrace_port(m, m->pc - 4, false, port, c ? 0 : *val, c);
	return c;
}

unsigned mach_port_out(struct machine *m, uint32_t port, uint32_t val)
{
	unsigned c = port_out(m, port, val);

	if (htrace_on(m, TRACE_DEV))
		htrace_port(m, m->pc - 4, true, port, val, c);
	return c;
}
