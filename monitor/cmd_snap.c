/*
 * cmd_snap.c - the shell's snapshot commands: savevm and loadvm (the file
 * format is vm/hw/snap.h's, the same as 'vmlab run --save-at/--restore').
 */
#include "shell.h"

int cmd_savevm(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	char err[512];

	if (argc != 1)
		return mon_error(sh, "usage: savevm FILE");
	if (t->ops->save(t, argv[0], err, sizeof err))
		return mon_error(sh, "%s", err);
	fprintf(sh->out, "saved %s at ticks=%llu\n", argv[0],
		(unsigned long long)t->ops->ticks(t));
	return 0;
}

int cmd_loadvm(struct mon_shell *sh, int argc, char **argv)
{
	struct target *t = sh->t;
	char err[512];

	if (argc != 1)
		return mon_error(sh, "usage: loadvm FILE");
	if (t->ops->restore(t, &sh->cfg, argv[0], NULL, 0, err, sizeof err))
		return mon_error(sh, "%s", err);
	/* A new machine or VM: the shell's points and tracer go on it. */
	t->ops->set_tracer(t, &sh->sink.tr);
	mon_points_reapply(sh);
	sh->dead = false;
	mon_tt_reset(sh);
	mon_report(sh, "loadvm");
	return 0;
}
