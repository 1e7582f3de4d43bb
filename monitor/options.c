/*
 * options.c - parsing vmlab's command line.  See options.h.
 */
#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"
#include "run.h"
#include "tracesink.h"
#include "vmm.h"

/* vmlab run's exit status but the power-off code, in both usages. */
static const char exit_status[] =
	"  124  the --max-insns budget was exhausted\n"
	"  125  usage or host error (bad option, unreadable or invalid image)\n"
	"  126  the machine stopped: double fault, deadlock, or VMM failure\n"
	"       (message on stderr)\n"
	"  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM, 129 by SIGHUP:\n"
	"       the guest's output, --stats, --state and the trace are written\n"
	"       first; a second signal ends vmlab at once\n";

void mon_usage(FILE *f)
{
	fputs("usage: vmlab <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  run [options] image.elf          run a PG32 executable under the VMM\n"
	      "  run --bare [options] image.elf   run it on the bare machine\n"
	      "  run [options] --vm IMAGE[,...] --vm IMAGE[,...] ...\n"
	      "                                   run up to 8 VMs on one machine\n"
	      "  monitor [--bare] [options] image.elf\n"
	      "                                   step, inspect and picture a guest (a shell)\n"
	      "  listen --port P [options]        receive a VM migrating live and run it\n"
	      "  help                             this text ('vmlab run --help' for run's options)\n"
	      "  --version                        print vmlab's version\n"
	      "\n"
	      "exit status of 'vmlab run': the guest's power-off code (value & 0xff), or\n",
	      f);
	fputs(exit_status, f);
}

void mon_run_usage(FILE *f)
{
	fputs("usage: vmlab run [--bare | --shadow=flush|trace | --mmu=nested] [--pv | --bt[=inline]]\n"
	      "                 [--isa=pg32|leaky|virt] [--exits=fast|slow]\n"
	      "                 [--mem MiB] [--disk FILE] [--max-insns N] [--stats] [--state]\n"
	      "                 [--trace=CATS] [--trace-file FILE] [--dot FILE]\n"
	      "                 [--save-at TICKS FILE] image.elf | --restore FILE\n"
	      "\n"
	      "Runs a PG32 executable from reset (kernel mode, paging off, pc = entry,\n"
	      "sp = memsize) until it powers off: under the trap-and-emulate VMM (its\n"
	      "kernel in physical user mode), or with --bare on the bare machine.  The\n"
	      "guest sees no difference.  The console is the terminal: output to stdout,\n"
	      "input from stdin.\n"
	      "\n"
	      "  --bare          run on the bare machine instead of under the VMM\n"
	      "  --shadow=P      VMM shadow page-table policy: flush (default; resync at\n"
	      "                  tlbflush, tlbinv, ptb writes) or trace (write-protect the\n"
	      "                  guest's page tables, cache shadows per address space)\n"
	      "  --mmu=M         VMM memory virtualization: shadow (default; --shadow=P\n"
	      "                  says which policy) or nested: the PG32-V machine's guest\n"
	      "                  mode and nested paging (isa/ISA.md 16), no shadow tables\n"
	      "  --pv            offer the paravirtual interface: hcall in the guest's kernel\n"
	      "                  mode is a hypercall (vm/vmm/HYPERCALLS.md); without it the\n"
	      "                  VMM reflects hcall to the guest, as the bare machine traps\n"
	      "  --bt[=inline]   binary translation: the guest's kernel runs from a\n"
	      "                  translation cache, its sensitive instructions replaced by\n"
	      "                  calls into the VMM (vm/vmm/btrun.c); runs PG32-L too.\n"
	      "                  inline: control register accesses become loads and stores\n"
	      "                  of a VCPU page at 0xfffff000, which the guest kernel's own\n"
	      "                  accesses there then reach too (vm/vmm/bt.h)\n"
	      "  --exits=E       how the VMM takes exits: fast (default: the machine calls\n"
	      "                  its dispatcher from inside its loop) or slow (each exit\n"
	      "                  returns to the VMM's run loop); the guest, --stats and\n"
	      "                  --trace see no difference, only the host's time does\n"
	      "  --isa=V         the machine: pg32 (default) or leaky, PG32-L, whose rdst\n"
	      "                  and setie do not trap in user mode (isa/ISA.md 15): not\n"
	      "                  virtualizable by trap-and-emulate; or virt, PG32-V, with\n"
	      "                  the virtualization extension (isa/ISA.md 16)\n"
	      "  --mem MiB       RAM size in MiB, 1..2048 bare, 1..2029 under the VMM (its\n"
	      "                  shadow page pool shares the machine's 2048 MiB; default 16)\n"
	      "  --disk FILE     disk image, read and written in place (size a multiple of 512)\n"
	      "  --max-insns N   stop after N ticks (retired instructions plus wfi sleep)\n"
	      "                  of this run;\n"
	      "                  under the VMM also after N exits in a row that advance\n"
	      "                  nothing (at least 64; at most 4194304, which without\n"
	      "                  --max-insns is a VMM failure): a VMM that never retires\n"
	      "  --save-at T F   when the guest's tick count reaches T, save a snapshot of\n"
	      "                  the whole machine or VM (CPU, RAM, devices, the disk's\n"
	      "                  contents, time) to file F, then go on\n"
	      "  --restore F     instead of an image, continue from snapshot F, tick for\n"
	      "                  tick: --bare for a bare machine's snapshot; --mem, if\n"
	      "                  given, must match; --disk must have the snapshot's disk\n"
	      "                  size and gets its contents; the console reads on from\n"
	      "                  stdin; the shadow policy may differ from the saver's\n"
	      "  --migrate-to H:P  live migration (VMM only): at --migrate-at TICKS, move\n"
	      "                  the running VM to 'vmlab listen' at H:P over TCP (pre-copy\n"
	      "                  rounds while the guest runs, then stop-and-copy; vm/vmm/\n"
	      "                  MIGRATION.md); on success vmlab exits 0, the destination\n"
	      "                  runs on; on failure the guest runs on here\n"
	      "  --migrate-bw N  the link sends N pages per 10000 guest ticks (default:\n"
	      "                  unlimited, a round at once)\n"
	      "  --migrate-rounds N  at most N pre-copy rounds (1..30, default 30)\n"
	      "  --die-at STAGE  for tests of failures: this side is killed (SIGKILL) as\n"
	      "                  the migration enters STAGE: reservation, pre-copy,\n"
	      "                  stop-and-copy, commitment or activation\n"
	      "  --stats         print 'name: value' counters on stderr at exit (under the\n"
	      "                  VMM: the machine's, then the VMM's, prefixed vmm_)\n"
	      "  --state         print the final guest-visible state on stderr: pc, r1..r15,\n"
	      "                  every control register as mfcr reads it, ticks, and an\n"
	      "                  FNV-1a checksum of guest RAM ('name: value' lines)\n"
	      "  --trace=CATS    trace events, one line each (monitor/README.md): a comma\n"
	      "                  list of insn, trap, exit, shadow, irq, dev, hcall,\n"
	      "                  sched, or all\n"
	      "  --trace-file F  write the trace to F (default stderr)\n"
	      "  --dot FILE      at exit, write a Graphviz picture of the mode transitions\n"
	      "  -h, --help      this text\n"
	      "\n"
	      "Many VMs on one machine (vm/vmm/README.md, \"Many VMs\"):\n"
	      "  vmlab run [options] --vm IMAGE[,disk=FILE][,mem=MiB][,name=NAME][,weight=W]\n"
	      "                [,cap=PCT][,pv=yes|no] --vm ...  (1 to 8 VMs; pv= overrides\n"
	      "                --pv for that VM)\n"
	      "  --sched=S       rr (default: round robin) or credit (weights, caps, boost)\n"
	      "  --quantum N     ticks per turn (default 10000)\n"
	      "  --time=T        virtual (default: a VM's clock runs only while it runs, so\n"
	      "                  each VM is tick for tick its solo run) or real (guest\n"
	      "                  clocks follow the host's: a descheduled VM misses time)\n"
	      "  --idle-in-wfi   not work-conserving: a VM in wfi keeps the CPU for the\n"
	      "                  rest of its turn\n"
	      "  --no-boost      credit without the boost of a VM woken by an interrupt\n"
	      "  --console-dir D VM NAME's console output to D/NAME.out (default: stdout,\n"
	      "                  each line prefixed 'NAME| ')\n"
	      "  --console-in N  VM N reads stdin (default: the first VM; the others see\n"
	      "                  no input)\n"
	      "  --save-at T F   when the host clock reaches T, save the whole host (the\n"
	      "                  scheduler, every VM) to F, then go on\n"
	      "  --restore F     continue a host snapshot F, tick for tick: give the same\n"
	      "                  --vm options (names, mem=, weight=, cap=; the images are\n"
	      "                  not loaded, each disk= gets its contents) and scheduler\n"
	      "                  options as the run that saved it\n"
	      "  --schedule F    at exit, write an SVG picture of the schedule over time\n"
	      "  --mem, --max-insns, --stats, --trace, --shadow apply to every VM; --stats\n"
	      "  adds the scheduler's counters (sched_*) and each VM's (NAME_*)\n"
	      "\n"
	      "exit status: the guest's power-off code (value & 0xff), or\n",
	      f);
	fputs(exit_status, f);
	fputs("With --vm: 126 if any VM stopped so, else 124 if any used up its budget,\n"
	      "else the first non-zero power-off code in --vm order, else 0; each VM that\n"
	      "did not power off with 0 is named on stderr.\n"
	      "\n"
	      "The destination of a live migration:\n"
	      "  vmlab listen --port P [--port-file F] [--console-dir D] [--disk FILE]\n"
	      "               [--shadow=P] [--max-insns N] [--stats] [--state] [--die-at S]\n"
	      "  listens on 127.0.0.1:P (0: any free port; --port-file F gets the number),\n"
	      "  receives one VM, then runs it as 'vmlab run' does; its console goes to\n"
	      "  D/NAME.out with --console-dir, else stdout; --disk must have the VM's disk\n"
	      "  size and gets its contents at commitment.  A failed migration: one line on\n"
	      "  stderr, nothing run, the disk untouched, exit status 125.\n",
	      f);
}

static int bad(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An error in the arguments of vmlab's command cmd ("run", "listen",
 * "monitor"): one line on stderr, and -1. */
static int bad(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("vmlab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'vmlab %s --help')\n", cmd);
	return -1;
}

/* Parse a decimal (or 0x hex) number in [min, max]. */
static bool number(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n < min || n > max)
		return false;
	*v = n;
	return true;
}

/* The value of the option at argv[*i] (is_opt matched it), given as
 * "--name V" or "--name=V"; advances *i past it.  NULL if there is none. */
static const char *value(int argc, char **argv, int *i)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* An option whose value is a name (a file, a folder, a VM): into *field;
 * -1, saying the option needs 'what', if it has none. */
static int string_opt(int argc, char **argv, int *i, const char *what, const char **field)
{
	const char *a = argv[*i], *val = value(argc, argv, i);

	if (!val || !*val)
		return bad(argv[0], "%s needs %s", a, what);
	*field = val;
	return 0;
}

/* An option whose value is a number from lo to hi, 'what' (a size in MiB
 * from 1 to 2048...): into *v; -1, saying so, if it is not one. */
static int number_opt(int argc, char **argv, int *i, const char *name, const char *what,
		      uint64_t lo, uint64_t hi, uint64_t *v)
{
	const char *val = value(argc, argv, i);

	if (!val)
		return bad(argv[0], "%s needs %s", name, what);
	if (!number(val, lo, hi, v))
		return bad(argv[0], "%s: '%s' is not %s", name, val, what);
	return 0;
}

/* An option whose value is one of two words, 'what' (a policy, a mode...):
 * *second says whether it is the second; -1, saying so, if it is neither. */
static int choice(int argc, char **argv, int *i, const char *name, const char *what,
		  const char *one, const char *two, bool *second)
{
	const char *val = value(argc, argv, i);

	if (!val)
		return bad(argv[0], "%s needs %s: %s or %s", name, what, one, two);
	if (strcmp(val, one) && strcmp(val, two))
		return bad(argv[0], "%s: '%s' is not %s or %s", name, val, one, two);
	*second = !strcmp(val, two);
	return 0;
}

static bool is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && (arg[n] == '\0' || arg[n] == '=');
}

/* "IMAGE[,key=value...]" of --vm, split in place (the argument is ours). */
static int parse_vm(const char *cmd, char *spec, struct mon_vm_opts *v)
{
	static const char *const keys[] = { "disk", "mem", "name", "weight", "cap", "pv" };
	static const struct { uint64_t lo, hi; const char *what; } range[6] = {
		[1] = { 1, 2048, "a size from 1 to 2048 MiB" },
		[3] = { 1, 65535, "a weight from 1 to 65535" },
		[4] = { 1, 100, "a cap from 1 to 100 %" },
	};
	char *field = strchr(spec, ',');
	unsigned given = 0, k;
	uint64_t n;

	*v = (struct mon_vm_opts){ .image = spec };
	if (field)
		*field++ = '\0';
	if (!*spec)
		return bad(cmd, "--vm: '%s' names no image", spec);
	while (field) {
		char *next = strchr(field, ','), *eq;

		if (next)
			*next++ = '\0';
		eq = strchr(field, '=');
		if (!eq || eq == field || !eq[1])
			return bad(cmd, "--vm: '%s' is not key=value (disk, mem, name, weight, cap, pv)",
				   field);
		*eq++ = '\0';
		for (k = 0; k < sizeof keys / sizeof keys[0] && strcmp(field, keys[k]); k++)
			;
		if (k == sizeof keys / sizeof keys[0])
			return bad(cmd, "--vm: unknown key '%s' (disk, mem, name, weight, cap, pv)", field);
		if (given & 1u << k)
			return bad(cmd, "--vm: %s= given twice", field);
		given |= 1u << k;
		if (range[k].what && !number(eq, range[k].lo, range[k].hi, &n))
			return bad(cmd, "--vm: %s=%s is not %s", field, eq, range[k].what);
		if (k == 0)
			v->disk = eq;
		else if (k == 1)
			v->mem_mib = (uint32_t)n;
		else if (k == 2)
			v->name = eq;
		else if (k == 3)
			v->weight = (unsigned)n;
		else if (k == 4)
			v->cap = (unsigned)n;
		else if (!strcmp(eq, "yes") || !strcmp(eq, "no"))
			v->pv = eq[0] == 'y' ? MON_PV_YES : MON_PV_NO;
		else
			return bad(cmd, "--vm: pv=%s: say pv=yes or pv=no", eq);
		field = next;
	}
	return 0;
}

const char *mon_vm_name(const struct mon_run_opts *o, unsigned i, char *buf)
{
	if (o->vm[i].name)
		return o->vm[i].name;
	snprintf(buf, MON_VM_NAME_BUF, "vm%u", i % MON_MAXVM);
	return buf;
}

/* The options of many VMs: one of them, or an error. */
static int host_option(int argc, char **argv, int *i, struct mon_run_opts *o, bool *done)
{
	const char *a = argv[*i], *val;
	uint64_t v;

	*done = true;
	if (is_opt(a, "--vm")) {
		if (!(val = value(argc, argv, i)) || !*val)
			return bad(argv[0], "%s needs an image", a);
		if (o->nvms == MON_MAXVM)
			return bad(argv[0], "--vm: at most %s VMs", "8");
		return parse_vm(argv[0], (char *)val, &o->vm[o->nvms++]);
	} else if (is_opt(a, "--sched")) {
		return choice(argc, argv, i, "--sched", "a scheduler", "rr", "credit",
			      &o->sched_credit);
	} else if (is_opt(a, "--quantum")) {
		if (number_opt(argc, argv, i, "--quantum", "a number of ticks from 1 to 4294967295",
			       1, UINT32_MAX, &v))
			return -1;
		o->quantum = v;
	} else if (is_opt(a, "--time")) {
		return choice(argc, argv, i, "--time", "a mode", "virtual", "real", &o->time_real);
	} else if (!strcmp(a, "--idle-in-wfi")) {
		o->idle_in_wfi = true;
	} else if (!strcmp(a, "--no-boost")) {
		o->no_boost = true;
	} else if (is_opt(a, "--console-dir")) {
		if (string_opt(argc, argv, i, "a directory", &o->console_dir))
			return -1;
	} else if (is_opt(a, "--schedule")) {
		if (string_opt(argc, argv, i, "a file", &o->schedule))
			return -1;
	} else if (is_opt(a, "--console-in")) {
		if (string_opt(argc, argv, i, "a VM name", &o->console_in))
			return -1;
	} else {
		*done = false;
	}
	return 0;
}

static int parse_stage(const char *cmd, const char *val, int *stage)
{
	for (int st = 1; st < MIG_NSTAGE; st++)
		if (!strcmp(val, mig_stage_name((enum mig_stage)st))) {
			*stage = st;
			return 0;
		}
	return bad(cmd, "--die-at: '%s' is not reservation, pre-copy, stop-and-copy, commitment or "
		   "activation", val);
}

/* Live migration's options, both sides (*done: it was one). */
static int migrate_option(int argc, char **argv, int *i, struct mon_run_opts *o, bool *done)
{
	const char *a = argv[*i], *val;
	uint64_t v;

	*done = true;
	if (is_opt(a, "--migrate-to")) {
		char why[300];

		if (!(val = value(argc, argv, i)) || !*val)
			return bad(argv[0], "%s needs HOST:PORT", a);
		if (mon_check_hostport(val, why, sizeof why))
			return bad(argv[0], "%s: %s", a, why);
		o->migrate_to = val;
	} else if (is_opt(a, "--migrate-at")) {
		if (number_opt(argc, argv, i, "--migrate-at", "a tick count", 0, UINT64_MAX - 1, &v))
			return -1;
		o->migrate_at = v;
	} else if (is_opt(a, "--migrate-bw")) {
		if (number_opt(argc, argv, i, "--migrate-bw", "a number of pages from 1 to 1048576",
			       1, 1u << 20, &v))
			return -1;
		o->migrate_bw = (uint32_t)v;
	} else if (is_opt(a, "--migrate-rounds")) {
		if (number_opt(argc, argv, i, "--migrate-rounds", "a number of rounds from 1 to 30",
			       1, MIG_MAX_ROUNDS, &v))
			return -1;
		o->migrate_rounds = (uint32_t)v;
	} else if (is_opt(a, "--die-at")) {
		if (!(val = value(argc, argv, i)))
			return bad(argv[0], "%s needs a stage", a);
		return parse_stage(argv[0], val, &o->die_at);
	} else if (is_opt(a, "--port") && o->listen) {
		if (number_opt(argc, argv, i, "--port", "a port number from 0 to 65535", 0, 65535, &v))
			return -1;
		o->port = (int)v;
	} else if (is_opt(a, "--port-file") && o->listen) {
		if (string_opt(argc, argv, i, "a file", &o->port_file))
			return -1;
	} else if (is_opt(a, "--console-dir") && o->listen) {
		if (string_opt(argc, argv, i, "a folder", &o->console_dir))
			return -1;
	} else {
		*done = false;
	}
	return 0;
}

/* What live migration's two sides can do. */
static int check_migrate_options(const struct mon_run_opts *o, bool port_given)
{
	if (o->listen) {
		if (!port_given)
			return bad(o->cmd, "%s", "listen needs --port P (0: any free port)");
		if (o->image || o->restore || o->nvms || o->bare || o->save_file || o->migrate_to
		    || o->pv || o->mem_mib || o->dot || o->nested)
			return bad(o->cmd, "%s", "listen takes no image, --restore, --vm, --bare, --save-at, "
				   "--migrate-to, --pv, --mem, --dot or --mmu: the VM comes from the "
				   "stream");
		return 0;
	}
	if ((o->migrate_bw || o->migrate_rounds || o->migrate_at) && !o->migrate_to)
		return bad(o->cmd, "%s", "--migrate-at, --migrate-bw and --migrate-rounds go with --migrate-to");
	if (o->migrate_to && o->bare)
		return bad(o->cmd, "%s", "--migrate-to: live migration needs the VMM, whose shadow tables "
			   "log the dirty pages; the bare machine has none (drop --bare)");
	if (o->migrate_to && o->nvms)
		return bad(o->cmd, "%s", "--migrate-to is for one image, not --vm");
	if (o->migrate_to && o->nested)
		return bad(o->cmd, "%s", "--migrate-to: the dirty log write-protects the shadow tables; "
			   "--mmu=nested has none");
	if (o->die_at && !o->migrate_to)
		return bad(o->cmd, "%s", "--die-at goes with --migrate-to or listen");
	return 0;
}

/* What only one VM, or only many, can do. */
static int check_host_options(struct mon_run_opts *o, bool host_opt)
{
	if (!o->nvms) {
		if (host_opt)
			return bad(o->cmd, "%s", "--sched, --quantum, --time, --idle-in-wfi, --no-boost, "
				   "--console-dir, --console-in and --schedule go with --vm");
		return o->image || o->restore ? 0 : bad(o->cmd, "%s", "no image to run");
	}
	if (o->image)
		return bad(o->cmd, "with --vm, every image is a --vm ('%s' is extra)", o->image);
	if (o->bare || o->disk || o->state || o->dot)
		return bad(o->cmd, "%s", "--bare, --disk, --state and --dot are for one image, not --vm");
	for (unsigned i = 0; i < o->nvms && !o->sched_credit; i++)
		if (o->vm[i].weight || o->vm[i].cap)
			return bad(o->cmd, "%s", "weight= and cap= are the credit scheduler's: add --sched=credit");
	if (o->console_in) {
		for (unsigned i = 0; i < o->nvms; i++) {
			char buf[MON_VM_NAME_BUF];

			if (!strcmp(o->console_in, mon_vm_name(o, i, buf)))
				return 0;
		}
		return bad(o->cmd, "--console-in: no VM is named '%s'", o->console_in);
	}
	return 0;
}

int mon_parse_run(int argc, char **argv, struct mon_run_opts *o)
{
	bool host_opt = false, port_given = false, mig;

	uint64_t v;

	*o = (struct mon_run_opts){ .cmd = argv[0] };
	o->listen = !strcmp(argv[0], "listen");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;

		if (a[0] == '-' && a[1] == '-' && migrate_option(argc, argv, &i, o, &mig))
			return -1;
		if (a[0] == '-' && a[1] == '-' && mig) {
			port_given |= is_opt(a, "--port");
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			mon_run_usage(stdout);
			return 1;
		} else if (!strcmp(a, "--bare")) {
			o->bare = true;
		} else if (!strcmp(a, "--pv")) {
			o->pv = true;
		} else if (!strcmp(a, "--bt")) {
			o->bt = VMM_BT_CALLOUTS;
		} else if (!strcmp(a, "--bt=inline")) {
			o->bt = VMM_BT_INLINE;
		} else if (!strcmp(a, "--stats")) {
			o->stats = true;
		} else if (!strcmp(a, "--state")) {
			o->state = true;
		} else if (is_opt(a, "--shadow")) {
			if (choice(argc, argv, &i, "--shadow", "a policy", "flush", "trace",
				   &o->shadow_trace))
				return -1;
			o->shadow_set = true;
		} else if (is_opt(a, "--exits")) {
			if (choice(argc, argv, &i, "--exits", "a path", "fast", "slow", &o->slow_exits))
				return -1;
			o->exits_set = true;
		} else if (is_opt(a, "--mmu")) {
			if (choice(argc, argv, &i, "--mmu", "a kind", "shadow", "nested", &o->nested))
				return -1;
		} else if (is_opt(a, "--isa")) {
			int isa;

			if (!(val = value(argc, argv, &i)))
				return bad(argv[0], "%s needs a variant: pg32 or leaky", a);
			if ((isa = isa_variant_parse(val)) < 0)
				return bad(argv[0], "--isa: '%s' is not a variant (pg32, leaky or virt)", val);
			o->isa = (enum isa_variant)isa;
		} else if (is_opt(a, "--mem")) {
			if (number_opt(argc, argv, &i, "--mem", "a size in MiB from 1 to 2048", 1, 2048,
				       &v))
				return -1;
			o->mem_mib = (uint32_t)v;
		} else if (is_opt(a, "--disk")) {
			if (string_opt(argc, argv, &i, "a file", &o->disk))
				return -1;
		} else if (is_opt(a, "--trace")) {
			const char *badcat;

			if (!(val = value(argc, argv, &i)))
				return bad(argv[0], "%s needs categories (insn,trap,exit,shadow,irq,dev,hcall,sched,all)", a);
			if (mon_trace_parse(val, &o->trace, &badcat))
				return bad(argv[0], "--trace: '%s' is not insn, trap, exit, shadow, irq, dev, hcall, sched"
					   " or all",
					   badcat);
			if (!o->trace)
				return bad(argv[0], "%s needs categories (insn,trap,exit,shadow,irq,dev,hcall,sched,all)", a);
		} else if (is_opt(a, "--trace-file")) {
			if (string_opt(argc, argv, &i, "a file", &o->trace_file))
				return -1;
		} else if (is_opt(a, "--dot")) {
			if (string_opt(argc, argv, &i, "a file", &o->dot))
				return -1;
		} else if (is_opt(a, "--max-insns")) {
			if (number_opt(argc, argv, &i, "--max-insns", "a positive number", 1,
				       UINT64_MAX - 1, &v))
				return -1;
			o->max_insns = v;
		} else if (is_opt(a, "--save-at")) {
			if (number_opt(argc, argv, &i, "--save-at", "a tick count (then a file)", 0,
				       UINT64_MAX - 1, &v))
				return -1;
			if (i + 1 >= argc || !*argv[i + 1])
				return bad(argv[0], "%s needs a file after the tick count", "--save-at");
			o->save_at = v;
			o->save_file = argv[++i];
		} else if (is_opt(a, "--restore")) {
			if (string_opt(argc, argv, &i, "a snapshot file", &o->restore))
				return -1;
		} else if (a[0] == '-' && a[1]) {
			bool done;

			if (host_option(argc, argv, &i, o, &done))
				return -1;
			if (!done)
				return bad(argv[0], "unknown option '%s'", a);
			host_opt |= !is_opt(a, "--vm");
		} else if (o->image) {
			return bad(argv[0], "one image only ('%s' is extra)", a);
		} else {
			o->image = a;
		}
	}
	if (o->image && o->restore)
		return bad(argv[0], "--restore continues a snapshot: no image ('%s' is extra)", o->image);
	if (check_migrate_options(o, port_given))
		return -1;
	if (o->listen)
		return host_opt ? bad(argv[0], "%s", "listen takes none of --vm's options but --console-dir")
				: 0;
	if (check_host_options(o, host_opt))
		return -1;
	if (o->bare && o->shadow_set)
		return bad(argv[0], "%s", "--shadow is a VMM policy: the bare machine has no shadow tables");
	if (o->bare && o->exits_set)
		return bad(argv[0], "%s", "--exits is how the VMM takes exits: the bare machine has none");
	if (o->bare && o->nested)
		return bad(argv[0], "%s", "--mmu=nested is the VMM's: the bare machine runs no guest");
	if (o->nested && o->shadow_set)
		return bad(argv[0], "%s", "--shadow is a policy of shadow paging, not of --mmu=nested");
	if (o->nested && o->pv)
		return bad(argv[0], "%s", "--pv does not combine with --mmu=nested (vm/vmm/README.md)");
	if (o->nested && o->isa == ISA_PG32L)
		return bad(argv[0], "%s", "--mmu=nested runs on the PG32-V machine (--isa=virt), not leaky");
	if (o->bare && o->pv)
		return bad(argv[0], "%s", "--pv is offered by the VMM: the bare machine has no hypercalls");
	if (o->bt && (o->bare || o->pv || o->nvms || o->restore || o->save_file || o->migrate_to))
		return bad(argv[0], "%s", "--bt is a way to run one VM: not with --bare, --pv, --vm, "
			   "snapshots or migration");
	return 0;
}
