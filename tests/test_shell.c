/* Unit tests for lib/shell.c: where a template spot stands, and quoting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <testr/testr.h>

#include "../lib/context.h"
#include "../lib/shell.h"
#include "harness.h"

const char harness_module[] = "shell";

/* The spot of the first "$X" in @tmpl. */
static struct shell_spot
spot_of(const char *tmpl)
{
	struct shell_spot spot;
	const char *x = strstr(tmpl, "$X");

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(shell_spot_at(&spot, tmpl, (size_t)(x - tmpl)), 0);
	return spot;
}

START_TEST(spot_tells_bare_single_and_double_quotes_apart)
{
	struct shell_spot s;

	s = spot_of("run $X");
	ck_assert_uint_eq(s.depth, 1);
	ck_assert_int_eq(s.level[0], SHELL_BARE);
	s = spot_of("run '$X'");
	ck_assert_int_eq(s.level[0], SHELL_SINGLE);
	ck_assert(!s.command);
	s = spot_of("run \"$X\"");
	ck_assert_int_eq(s.level[0], SHELL_DOUBLE);
	/* Escaped quotes and closed ones leave the spot bare. */
	s = spot_of("run \\' \\\" 'a' \"b\\\"\" $X");
	ck_assert_uint_eq(s.depth, 1);
	/* A double quote inside single quotes is just a byte. */
	s = spot_of("run '\"' $X");
	ck_assert_uint_eq(s.depth, 1);
}
END_TEST

START_TEST(spot_follows_quoted_commands_into_the_next_shell)
{
	struct shell_spot s = spot_of("ssh h 'sh -c \"cd x && $X\"'");

	ck_assert_uint_eq(s.depth, 3);
	ck_assert_int_eq(s.level[0], SHELL_SINGLE);
	ck_assert_int_eq(s.level[1], SHELL_DOUBLE);
	ck_assert_int_eq(s.level[2], SHELL_BARE);
	ck_assert(s.command);
	/* Backslashes that "..." consumes do not open quotes inside. */
	s = spot_of("sh -c \"echo \\\" $X\"");
	ck_assert_uint_eq(s.depth, 3);
	ck_assert_int_eq(s.level[1], SHELL_DOUBLE);
}
END_TEST

START_TEST(spot_reads_the_whole_word_a_second_shell_gets)
{
	/* The second shell reads "sh -c '$X'": $X is quoted there too. */
	struct shell_spot s = spot_of("sh -c 'sh -c '\\''$X'\\'''");

	ck_assert_uint_eq(s.depth, 3);
	ck_assert_int_eq(s.level[0], SHELL_SINGLE);
	ck_assert_int_eq(s.level[1], SHELL_SINGLE);
	ck_assert_int_eq(s.level[2], SHELL_BARE);
}
END_TEST

START_TEST(spot_refuses_quotes_nested_too_deep)
{
	struct strbuf b = STRBUF_INIT;
	struct shell_spot s;

	/* sh -c 'sh -c '\''...$X...'\''': one level more each time. */
	strbuf_add(&b, "$X");
	for (int i = 0; i < SHELL_LEVELS_MAX; i++) {
		struct strbuf next = STRBUF_INIT;

		strbuf_add(&next, "sh -c '");
		shell_add_escaped(&next, b.s, SHELL_SINGLE);
		strbuf_add(&next, "'");
		strbuf_dispose(&b);
		b = next;
	}
	ck_assert_int_eq(shell_spot_at(&s, b.s, (size_t)(strstr(b.s, "$X") - b.s)),
			 TESTR_EINVAL);
	strbuf_dispose(&b);
}
END_TEST

START_TEST(plain_words_are_those_every_shell_reads_as_themselves)
{
	ck_assert(shell_is_plain("pkg.T.test_1-a:b=c@d%e+f,g/h"));
	ck_assert(shell_is_plain("t\xc3\xa9st"));
	ck_assert(!shell_is_plain(""));
	ck_assert(!shell_is_plain("a b"));
	ck_assert(!shell_is_plain("t(1)"));
	ck_assert(!shell_is_plain("~"));
	ck_assert(!shell_is_plain("*"));
}
END_TEST

/* Print @word through the shells of @tmpl ("$X" marks the spot). */
static char *
through_shells(const char *tmpl, const char *word)
{
	struct strbuf b = STRBUF_INIT, inner = STRBUF_INIT;
	struct shell_spot spot = spot_of(tmpl);
	const char *x = strstr(tmpl, "$X");
	char out[4096];
	size_t n;
	FILE *p;

	ck_assert_int_eq(strbuf_add(&inner, "printf '%s|' "), 0);
	ck_assert_int_eq(shell_add_word(&inner, word), 0);
	strbuf_addn(&b, tmpl, (size_t)(x - tmpl));
	ck_assert_int_eq(shell_add_for(&b, inner.s, &spot), 0);
	strbuf_add(&b, x + 2);
	p = popen(b.s, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	strbuf_dispose(&b);
	strbuf_dispose(&inner);
	return strdup(out);
}

START_TEST(add_for_hands_the_innermost_shell_the_text_unchanged)
{
	static const char *const tmpls[] = {
		"$X", "sh -c '$X'", "sh -c \"$X\"", "sh -c 'sh -c \"$X\"'",
		"sh -c \"sh -c 'cd / && $X'\"", "sh -c 'eval \"$X\"'",
		"sh -c 'sh -c '\\''$X'\\'''", "sh -c \"sh -c \\\"$X\\\"\"",
	};
	static const char *const words[] = {
		"x;touch /nonexistent/p", "a'b", "c\"d", "$(false)", "`false`",
		"e\\f", "g  h", "*", "'\"'\"'", "\\\"", "!",
	};

	for (size_t t = 0; t < sizeof(tmpls) / sizeof(tmpls[0]); t++)
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			char *got = through_shells(tmpls[t], words[w]);
			char *want = str_printf("%s|", words[w]);

			ck_assert_msg(strcmp(got, want) == 0, "%s with %s: %s",
				      tmpls[t], words[w], got);
			free(got);
			free(want);
		}
}
END_TEST

/* The words of @cmd joined by '|' (each one ended by it), or "sh" when
 * the shell must read @cmd. */
static char *
simple_words(const char *cmd)
{
	char **argv, buf[512] = "";

	ck_assert_int_eq(shell_simple_argv(&argv, cmd), 0);
	if (!argv)
		return strdup("sh");
	for (size_t i = 0; argv[i]; i++) {
		strcat(buf, argv[i]);
		strcat(buf, "|");
	}
	free(argv);
	return strdup(buf);
}

START_TEST(simple_argv_splits_plain_words_on_blanks_as_sh_does)
{
	static const char *const cases[][2] = {
		{ "run", "run|" },
		{ "  /bin/run  --load-list\t/tmp/ids-x1  ",
		  "/bin/run|--load-list|/tmp/ids-x1|" },
		{ "/b/run --load-list /tmp/ids-x1 ",
		  "/b/run|--load-list|/tmp/ids-x1|" },
		{ "\t/b/run\t\ta,b x=y %@:+ \xc3\xa9", "/b/run|a,b|x=y|%@:+|\xc3\xa9|" },
		{ "python3 -m subunit.run discover -t . .",
		  "python3|-m|subunit.run|discover|-t|.|.|" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = simple_words(cases[i][0]);

		ck_assert_msg(strcmp(got, cases[i][1]) == 0, "%s: %s",
			      cases[i][0], got);
		free(got);
	}
}
END_TEST

START_TEST(simple_argv_leaves_every_shell_syntax_to_the_shell)
{
	static const char *const cmds[] = {
		"", "   ", "run 'a b'", "run \"a\"", "run a\\ b", "run >out",
		"run <in", "run 2>&1", "run; other", "run && other",
		"run | other", "run &", "run $VAR", "run ${VAR}", "run `x`",
		"run $(x)", "run *.py", "run a?", "run [ab]", "run ~/x",
		"run {a,b}", "run # comment", "run\nother", "(run)",
		"FOO=1 run", "exec run", "echo hi", "cd /", "if", "! run",
		"time run", ". ./env", "run\rx", "test -f x",
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char *got = simple_words(cmds[i]);

		ck_assert_msg(strcmp(got, "sh") == 0, "'%s' split as %s",
			      cmds[i], got);
		free(got);
	}
}
END_TEST

void
harness_register(struct harness *h)
{
	HARNESS_ADD(h, spot_tells_bare_single_and_double_quotes_apart);
	HARNESS_ADD(h, spot_follows_quoted_commands_into_the_next_shell);
	HARNESS_ADD(h, spot_reads_the_whole_word_a_second_shell_gets);
	HARNESS_ADD(h, spot_refuses_quotes_nested_too_deep);
	HARNESS_ADD(h, plain_words_are_those_every_shell_reads_as_themselves);
	HARNESS_ADD(h, add_for_hands_the_innermost_shell_the_text_unchanged);
	HARNESS_ADD(h, simple_argv_splits_plain_words_on_blanks_as_sh_does);
	HARNESS_ADD(h, simple_argv_leaves_every_shell_syntax_to_the_shell);
}
