/*
 * lineedit.h - reading the shell's command lines: GNU readline, libedit
 * (its readline-compatible API) or plain stdin, chosen at build time
 * (USE_READLINE, USE_LIBEDIT, neither).  The same four functions either
 * way, as lua.c's lua_readline or sqlite's shell do it.
 */
#ifndef MON_LINEEDIT_H
#define MON_LINEEDIT_H

#include <stdbool.h>

/* Completion candidates: the i-th word (i = 0, 1, ...) that could stand at
 * a position of the line whose text before the word is 'before'; NULL
 * after the last.  The line editor filters them by the typed prefix. */
typedef const char *le_candidate_fn(const char *before, unsigned i);

/* Start: interactive (a terminal: prompt, editing, history loaded from
 * history_path, completion through cand) or plain (no prompt, no echo,
 * nothing saved). */
void le_init(bool interactive, const char *history_path, le_candidate_fn *cand);

/* The next line without its newline, malloc()ed; NULL at end of input.
 * Interactive: a non-empty line different from the last joins the
 * history.  An interrupt (SIGINT) at the prompt discards the line typed so
 * far (see le_interrupt). */
char *le_read(const char *prompt);

/* Call from the SIGINT handler: at the prompt, drop the partial line and
 * prompt again.  Does nothing elsewhere. */
void le_interrupt(void);

/* Save the history (interactive only). */
void le_fini(void);

/* Which editor was built in: "readline", "libedit" or "none". */
const char *le_name(void);

#endif /* MON_LINEEDIT_H */
