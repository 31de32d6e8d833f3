/*
 * Private: how a shell reads a spot in a command template, and quoting a
 * value for that spot.
 *
 * A template is shell text, and a variable may stand bare, inside '...' or
 * inside "...".  Text inside quotes is often itself a command that a second
 * shell reads (`sh -c '$COMMAND'`, `ssh host "cd src && $COMMAND"`), so the
 * spot is described as a chain of levels: level 0 is how the shell that
 * runs the template sees it; level 1 how the shell reading that quoted text
 * sees it; and so on down to a bare spot.  Only '...', "..." and backslash
 * are understood; that is all the POSIX shell needs to tell them apart.
 */
#ifndef TESTR_LIB_SHELL_H
#define TESTR_LIB_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum shell_quote {
	SHELL_BARE,
	SHELL_SINGLE,	/* inside '...' */
	SHELL_DOUBLE,	/* inside "..." */
};

/* Deeper nesting than this is refused rather than guessed at. */
#define SHELL_LEVELS_MAX 8

struct shell_spot {
	enum shell_quote level[SHELL_LEVELS_MAX];
	size_t depth;	/* levels used; the last one is SHELL_BARE */
	/*
	 * The quoted text around the spot at level 0 holds white space before
	 * it, so it reads as a command line ("cd x && $COMMAND") rather than
	 * as one piece of text ("$IDFILE", "$INSTANCE_ID:$f").
	 */
	bool command;
};

/*
 * Where byte @pos of @tmpl stands.  Returns 0, TESTR_EINVAL when the
 * quotes nest deeper than SHELL_LEVELS_MAX, or TESTR_ENOMEM.
 */
int shell_spot_at(struct shell_spot *out, const char *tmpl, size_t pos);

/* True when @s reads as itself in every shell context, quoted or not, and
 * however many shells read it: letters, digits, _-.,/:=@%+ and non-ASCII. */
bool shell_is_plain(const char *s);

/* Append @s as one shell word: as is when plain, else in '...'. */
int shell_add_word(struct strbuf *b, const char *s);

/* Append @s so that a shell reading it inside @q gets exactly @s. */
int shell_add_escaped(struct strbuf *b, const char *s, enum shell_quote q);

/*
 * Append the shell text @s so that the innermost (bare) level of @spot
 * reads exactly @s: escaped for every quoted level on the way in.
 */
int shell_add_for(struct strbuf *b, const char *s,
		  const struct shell_spot *spot);

/*
 * The argument vector a shell would run for @cmd, when @cmd holds no shell
 * syntax at all: plain words (as shell_is_plain()) separated by blanks, the
 * first naming neither an assignment nor a reserved word or builtin.  Then
 * *@out is a NULL-terminated array in one block (free() it) and running it
 * by execve() after a PATH search is what `sh -c @cmd` does; else *@out is
 * NULL (the shell must read it).  Returns 0 or TESTR_ENOMEM.
 */
int shell_simple_argv(char ***out, const char *cmd);

#endif
