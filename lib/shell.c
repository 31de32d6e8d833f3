/*
 * Reading a command template as the POSIX shell does, far enough to know
 * whether a spot is bare or quoted, and quoting values for that spot, so
 * that a test id or a path is data to every shell that reads it.
 */
#include "config-build.h"

#include <stdlib.h>
#include <string.h>

#include "shell.h"

/*
 * The shell's state at a point: the quotes it is in, and the word it is
 * building, as it will be after quote removal.  A spot inside quotes is
 * read by a second shell as that whole word, so `sh -c 'a '\''$X'\'''`
 * puts $X inside '...' for the second shell too.
 */
struct lexer {
	enum shell_quote q;
	bool escaped;		/* the previous byte was an active backslash */
	struct strbuf word;
	int rc;
};

static void
word_add(struct lexer *l, const char *s, size_t n)
{
	if (l->rc == TESTR_OK)
		l->rc = strbuf_addn(&l->word, s, n);
}

/* After a backslash: what the byte @c leaves in the word. */
static void
lex_escaped(struct lexer *l, char c)
{
	l->escaped = false;
	if (c == '\n')
		return;		/* a line continuation */
	if (l->q == SHELL_DOUBLE && !strchr("$`\"\\", c))
		word_add(l, "\\", 1);
	word_add(l, &c, 1);
}

static void
lex_step(struct lexer *l, char c)
{
	if (l->escaped)
		lex_escaped(l, c);
	else if (c == '\\' && l->q != SHELL_SINGLE)
		l->escaped = true;
	else if (l->q == SHELL_BARE && (c == '\'' || c == '"'))
		l->q = c == '\'' ? SHELL_SINGLE : SHELL_DOUBLE;
	else if ((l->q == SHELL_SINGLE && c == '\'') ||
		 (l->q == SHELL_DOUBLE && c == '"'))
		l->q = SHELL_BARE;
	else if (l->q == SHELL_BARE && strchr(" \t\n;&|()<>", c))
		l->word.len = 0;	/* the word ends */
	else
		word_add(l, &c, 1);
}

static bool
has_space(const char *s)
{
	return strpbrk(s, " \t\n") != NULL;
}

int
shell_spot_at(struct shell_spot *out, const char *tmpl, size_t pos)
{
	struct strbuf text = STRBUF_INIT;
	const char *s = tmpl;
	size_t len = pos;
	int rc = TESTR_OK;

	memset(out, 0, sizeof(*out));
	while (rc == TESTR_OK) {
		struct lexer l = { SHELL_BARE, false, STRBUF_INIT, TESTR_OK };

		for (size_t i = 0; i < len; i++)
			lex_step(&l, s[i]);
		word_add(&l, "", 0);
		rc = l.rc;
		if (rc == TESTR_OK && out->depth == SHELL_LEVELS_MAX)
			rc = TESTR_EINVAL;
		if (rc == TESTR_OK)
			out->level[out->depth++] = l.q;
		if (rc == TESTR_OK && out->depth == 1)
			out->command = has_space(l.word.s);
		strbuf_dispose(&text);
		text = l.word;
		if (l.q == SHELL_BARE)
			break;
		/* The second shell reads the word built so far. */
		s = text.s;
		len = text.len;
	}
	strbuf_dispose(&text);
	return rc;
}

static bool
is_plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80 ||
	       (c && strchr("_-.,/:=@%+", c) != NULL);
}

bool
shell_is_plain(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u && is_plain_byte(*u))
		u++;
	return *s && !*u;
}

int
shell_add_escaped(struct strbuf *b, const char *s, enum shell_quote q)
{
	int rc = TESTR_OK;

	for (; rc == TESTR_OK && *s; s++) {
		if (q == SHELL_SINGLE && *s == '\'')
			rc = strbuf_add(b, "'\\''");
		else if (q == SHELL_DOUBLE && strchr("$`\"\\", *s))
			rc = strbuf_addc(b, '\\') == 0 ? strbuf_addc(b, *s)
						       : TESTR_ENOMEM;
		else
			rc = strbuf_addc(b, *s);
	}
	return rc;
}

int
shell_add_word(struct strbuf *b, const char *s)
{
	int rc;

	if (shell_is_plain(s))
		return strbuf_add(b, s);
	rc = strbuf_addc(b, '\'');
	if (rc == TESTR_OK)
		rc = shell_add_escaped(b, s, SHELL_SINGLE);
	return rc == TESTR_OK ? strbuf_addc(b, '\'') : rc;
}

int
shell_add_for(struct strbuf *b, const char *s, const struct shell_spot *spot)
{
	struct strbuf cur = STRBUF_INIT, next = STRBUF_INIT;
	int rc = strbuf_add(&cur, s);

	/* Innermost first: each level's escapes must survive the outer ones. */
	for (size_t i = spot->depth; rc == TESTR_OK && i-- > 0;) {
		if (spot->level[i] == SHELL_BARE)
			continue;
		next.len = 0;
		rc = strbuf_addn(&next, "", 0);
		if (rc == TESTR_OK)
			rc = shell_add_escaped(&next, cur.s, spot->level[i]);
		if (rc == TESTR_OK) {
			struct strbuf t = cur;

			cur = next;
			next = t;
		}
	}
	if (rc == TESTR_OK)
		rc = strbuf_addn(b, cur.s, cur.len);
	strbuf_dispose(&cur);
	strbuf_dispose(&next);
	return rc;
}

/*
 * Words that a shell reads as its own syntax or runs itself when they
 * name the command (reserved words, and the builtins of dash and bash):
 * such a command must go through the shell.
 */
static const char *const shell_own_words[] = {
	"!", ".", ":", "[", "[[", "]]", "{", "}", "alias", "bg", "bind",
	"break", "builtin", "caller", "case", "cd", "chdir", "command",
	"compgen", "complete", "compopt", "continue", "coproc", "declare",
	"dirs", "disown", "do", "done", "echo", "elif", "else", "enable",
	"esac", "eval", "exec", "exit", "export", "false", "fc", "fg", "fi",
	"for", "function", "getopts", "hash", "help", "history", "if", "in",
	"jobs", "kill", "let", "local", "logout", "mapfile", "popd",
	"printf", "pushd", "pwd", "read", "readarray", "readonly", "return",
	"select", "set", "shift", "shopt", "source", "suspend", "test",
	"then", "time", "times", "trap", "true", "type", "typeset", "ulimit",
	"umask", "unalias", "unset", "until", "wait", "while",
};

static bool
shell_owns(const char *word, size_t len)
{
	size_t n = sizeof(shell_own_words) / sizeof(shell_own_words[0]);

	for (size_t i = 0; i < n; i++)
		if (strlen(shell_own_words[i]) == len &&
		    memcmp(shell_own_words[i], word, len) == 0)
			return true;
	/* NAME=value first: an assignment, not a command. */
	return memchr(word, '=', len) != NULL;
}

/* Count the blank-separated words of @cmd; 0 when a byte is neither plain
 * nor a blank, or the command word is the shell's own. */
static size_t
simple_word_count(const char *cmd)
{
	const unsigned char *u = (const unsigned char *)cmd;
	size_t n = 0, first = 0;

	while (*u == ' ' || *u == '\t')
		u++;
	for (; *u; n++) {
		const unsigned char *start = u;

		while (*u && is_plain_byte(*u))
			u++;
		if (u == start)
			return 0;	/* neither plain nor a blank */
		if (n == 0)
			first = (size_t)(u - start);
		if (n == 0 && shell_owns((const char *)start, first))
			return 0;
		while (*u == ' ' || *u == '\t')
			u++;
	}
	return n;
}

int
shell_simple_argv(char ***out, const char *cmd)
{
	size_t n = simple_word_count(cmd), len = strlen(cmd) + 1, k = 0;
	char **argv, *text;

	*out = NULL;
	if (n == 0)
		return TESTR_OK;
	argv = malloc((n + 1) * sizeof(*argv) + len);
	if (!argv)
		return TESTR_ENOMEM;
	text = memcpy((char *)(argv + n + 1), cmd, len);
	for (char *p = text; *p;) {
		if (*p == ' ' || *p == '\t') {
			*p++ = '\0';
			continue;
		}
		argv[k++] = p;
		p += strcspn(p, " \t");
	}
	argv[k] = NULL;
	*out = argv;
	return TESTR_OK;
}
