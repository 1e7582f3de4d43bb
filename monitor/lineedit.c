/*
 * lineedit.c - the shell's line reader over readline, libedit or stdin.
 * See lineedit.h.  The editors keep their state in globals and call back
 * without a context pointer, so this file does too: there is one terminal.
 */
#include "lineedit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(USE_READLINE)
#include <readline/history.h>
#include <readline/readline.h>
#define EDITOR "readline"
#elif defined(USE_LIBEDIT)
#include <editline/readline.h>
#define EDITOR "libedit"
#else
#define EDITOR "none"
#endif

#define HISTORY_MAX 1000

static bool interactive;
static char *history_path;
static volatile sig_atomic_t at_prompt, interrupted_prompt;

const char *le_name(void)
{
	return EDITOR;
}

#if defined(USE_READLINE) || defined(USE_LIBEDIT)
static le_candidate_fn *candidates;
static char before[512];

static char *generate(const char *text, int state)
{
	static unsigned i;
	static size_t len;
	const char *c;

	if (!state) {
		i = 0;
		len = strlen(text);
	}
	while ((c = candidates(before, i++)))
		if (!strncmp(c, text, len))
			return strdup(c);
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	size_t n = (size_t)start < sizeof before - 1 ? (size_t)start : sizeof before - 1;

	(void)end;
	memcpy(before, rl_line_buffer, n);
	before[n] = '\0';
	rl_attempted_completion_over = 1;	/* never file names */
	return rl_completion_matches(text, generate);
}

static void editor_init(le_candidate_fn *cand)
{
	candidates = cand;
	rl_catch_signals = 0;	/* SIGINT is the shell's (le_interrupt) */
	rl_readline_name = "vmlab";
	rl_attempted_completion_function = complete;
	using_history();
	stifle_history(HISTORY_MAX);
	if (history_path)
		read_history(history_path);
}

static char *editor_read(const char *prompt)
{
	char *line;

	for (;;) {
		interrupted_prompt = 0;
		at_prompt = 1;
		line = readline(prompt);
		at_prompt = 0;
		/* libedit gives up on a read interrupted by SIGINT: that is
		 * not the end of input. */
		if (line || !interrupted_prompt)
			break;
#if defined(USE_LIBEDIT)
		(void)!write(STDOUT_FILENO, "^C\n", 3);
#endif
	}
	if (line && *line) {
		HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1)
						      : NULL;
		if (!last || strcmp(last->line, line))
			add_history(line);
	}
	return line;
}

void le_interrupt(void)
{
	if (!at_prompt)
		return;
	interrupted_prompt = 1;
#if defined(USE_READLINE)
	/* Not async-signal-safe in principle; the usual way to cancel a
	 * readline line, and the shell is idle at the prompt. */
	(void)!write(STDOUT_FILENO, "^C\n", 3);
	rl_replace_line("", 0);
	rl_on_new_line();
	rl_redisplay();
#endif
	/* libedit: its read fails with EINTR and readline() returns NULL;
	 * editor_read starts a fresh line. */
}

static void editor_fini(void)
{
	if (history_path) {
		write_history(history_path);
		history_truncate_file(history_path, HISTORY_MAX);
	}
}
#else
static void editor_init(le_candidate_fn *cand)
{
	(void)cand;
}

static char *plain_read(void);
static char *editor_read(const char *prompt)
{
	fputs(prompt, stdout);
	fflush(stdout);
	return plain_read();
}

void le_interrupt(void)
{
	if (at_prompt) {	/* the terminal has echoed "^C" */
		interrupted_prompt = 1;
		(void)!write(STDOUT_FILENO, "\n", 1);
	}
}

static void editor_fini(void)
{
}
#endif

/* getline, carrying on across a SIGINT (the shell's handler does not
 * restart system calls, so that a running guest can be stopped). */
static char *plain_read(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	for (;;) {
		errno = 0;
		at_prompt = 1;
		n = getline(&line, &cap, stdin);
		at_prompt = 0;
		if (n >= 0)
			break;
		if (errno != EINTR) {
			free(line);
			return NULL;
		}
		clearerr(stdin);
		if (interactive && interrupted_prompt) {
			/* Ctrl-C at the prompt: an empty line, prompt again
			 * (the terminal dropped what was typed). */
			interrupted_prompt = 0;
			line = line ? line : malloc(1);
			if (line)
				line[0] = '\0';
			return line;
		}
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	return line;
}

void le_init(bool inter, const char *path, le_candidate_fn *cand)
{
	interactive = inter;
	if (!interactive)
		return;
	free(history_path);
	history_path = path ? strdup(path) : NULL;
	editor_init(cand);
}

char *le_read(const char *prompt)
{
	return interactive ? editor_read(prompt) : plain_read();
}

void le_fini(void)
{
	if (interactive)
		editor_fini();
	free(history_path);
	history_path = NULL;
}
