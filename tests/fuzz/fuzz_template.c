/*
 * libFuzzer target for id lists and template expansion with hostile ids.
 * The first byte picks how ids travel (test_id_option with $IDLIST or
 * $IDFILE) and the instance_execute pattern, from those testr.conf(5)
 * documents or a user would write; the rest is a listing (plain lines or a
 * subunit v2 enumeration).  The listing must parse or fail with a message;
 * then the expanded command, read back as each shell on the way reads it
 * (a small POSIX word reader below), must hold every id it runs as exactly
 * one word, byte for byte, and nothing a shell would act on: an id is
 * data, never code.
 *
 *     CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined
 *     build-fuzz/tests/fuzz/fuzz_template CORPUS_DIR tests/fuzz/corpus-template
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <testr/testr.h>

#include "../../lib/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* instance_execute patterns, and how many leading words wrap $COMMAND. */
static const struct pattern {
	const char *execute;	/* NULL: no instances */
	size_t wrap;		/* words before the inner command */
	int inner;		/* 0: the words are the command; 1: the inner
				 * word is a command line; 2: the words after
				 * @wrap, joined, are one (as ssh does) */
} patterns[] = {
	{ NULL, 0, 0 },
	{ "sh -c '$COMMAND'", 2, 1 },
	{ "ssh $INSTANCE_ID \"$COMMAND\"", 2, 2 },
	{ "podman exec $INSTANCE_ID sh -c '$COMMAND'", 5, 1 },
	{ "ssh $INSTANCE_ID $COMMAND", 2, 2 },
	{ "$COMMAND", 0, 0 },
	{ "ssh -q $INSTANCE_ID 'sh -c \"$COMMAND\"'", 3, 3 },
};

#define N_PATTERNS (sizeof(patterns) / sizeof(patterns[0]))

/* Bytes a shell reads as themselves outside quotes (and as word bytes). */
static int
plain_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_-.,/:=@%+", c) != NULL;
}

struct word {
	char *s;
	size_t len, cap;
	int started;
};

static void
put(struct word *w, char c)
{
	if (w->len + 2 > w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->s = realloc(w->s, w->cap);
		if (!w->s)
			abort();
	}
	w->s[w->len++] = c;
	w->s[w->len] = '\0';
	w->started = 1;
}

/* Inside "...": \ escapes only $ ` " \ and newline; $ and ` are active. */
static const char *
read_double(struct word *w, const char *p)
{
	for (; *p && *p != '"'; p++) {
		if (*p == '$' || *p == '`')
			abort();	/* expansion or command substitution */
		if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
			if (p[1] != '\n')
				put(w, p[1]);
			p++;
		} else {
			put(w, *p);
		}
	}
	if (!*p)
		abort();	/* unterminated: the shell would fail */
	return p + 1;
}

/* Split @s as sh does; abort() on anything a shell would act on. */
static void
sh_words(struct testr_strv *out, const char *s)
{
	struct word w = { 0 };

	for (const char *p = s;;) {
		if (!*p || *p == ' ' || *p == '\t') {
			if (w.started && testr_strv_pushn(out, w.s ? w.s : "",
							  w.len) < 0)
				abort();
			w.len = 0;
			w.started = 0;
			if (!*p)
				break;
			p++;
		} else if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end)
				abort();
			w.started = 1;
			while (++p < end)
				put(&w, *p);
			p = end + 1;
		} else if (*p == '"') {
			w.started = 1;
			p = read_double(&w, p + 1);
		} else if (*p == '\\' && p[1]) {
			if (p[1] != '\n')
				put(&w, p[1]);
			p += 2;
		} else if (plain_byte((unsigned char)*p)) {
			put(&w, *p++);
		} else {
			abort();	/* ; & | < > ( ) $ ` * ? [ ~ # newline... */
		}
	}
	free(w.s);
}

/* What the innermost shell reads, for pattern @pt, from the outer words. */
static void
innermost(struct testr_strv *out, const struct pattern *pt, const char *line)
{
	struct testr_strv outer = TESTR_STRV_INIT;
	size_t joined_len = 1;
	char *joined;

	sh_words(&outer, line);
	if (outer.n < pt->wrap || (pt->inner && outer.n <= pt->wrap))
		abort();
	if (pt->inner == 0) {
		for (size_t i = pt->wrap; i < outer.n; i++)
			testr_strv_push(out, outer.v[i]);
		testr_strv_dispose(&outer);
		return;
	}
	for (size_t i = pt->wrap; i < outer.n; i++)
		joined_len += strlen(outer.v[i]) + 1;
	joined = calloc(1, joined_len);
	for (size_t i = pt->wrap; joined && i < outer.n; i++) {
		strcat(joined, outer.v[i]);
		if (i + 1 < outer.n)
			strcat(joined, " ");
	}
	if (!joined || (pt->inner == 1 && outer.n != pt->wrap + 1))
		abort();
	if (pt->inner == 3) {	/* ssh joins, then sh -c "..." again */
		struct pattern again = { NULL, 2, 1 };

		innermost(out, &again, joined);
	} else {
		sh_words(out, joined);
	}
	free(joined);
	testr_strv_dispose(&outer);
}

static struct testr_config *
config(struct testr_context *ctx, const struct pattern *pt, int idfile)
{
	struct testr_config *cfg = NULL;
	char text[512];
	int n = snprintf(text, sizeof(text), "[DEFAULT]\n"
			 "test_command=runner $IDOPTION\n"
			 "test_id_option=%s\n%s%s%s",
			 idfile ? "--load-list $IDFILE" : "--ids $IDLIST",
			 pt->execute ? "instance_provision=echo h\n"
				       "instance_execute=" : "",
			 pt->execute ? pt->execute : "",
			 pt->execute ? "\n" : "");

	if (config_parse(&cfg, ctx, "fuzz.conf", text, (size_t)n) != 0)
		abort();
	return cfg;
}

/* The words the runner gets must be exactly its options and @cmd->ids. */
static void
check_words(const struct testr_strv *words, const struct testr_command *cmd,
	    int idfile)
{
	if (words->n < 2 || strcmp(words->v[0], "runner") != 0)
		abort();
	if (idfile) {
		if (words->n != 3 || strcmp(words->v[2], cmd->id_file) != 0)
			abort();
		return;
	}
	if (words->n != 2 + cmd->ids.n)
		abort();
	for (size_t i = 0; i < cmd->ids.n; i++)
		if (strcmp(words->v[2 + i], cmd->ids.v[i]) != 0)
			abort();
}

/* $IDFILE holds the ids, one per line, byte for byte. */
static void
check_id_file(const struct testr_command *cmd)
{
	FILE *f = fopen(cmd->id_file, "rb");
	char *line = NULL;
	size_t cap = 0, i = 0;
	ssize_t n;

	if (!f)
		abort();
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (i >= cmd->ids.n || strcmp(line, cmd->ids.v[i++]) != 0)
			abort();
	}
	if (i != cmd->ids.n)
		abort();
	free(line);
	fclose(f);
}

static void
check_command(struct testr_context *ctx, const struct testr_strv *ids,
	      unsigned mode, const char *tmpdir)
{
	const struct pattern *pt = &patterns[mode % N_PATTERNS];
	int idfile = (mode / N_PATTERNS) & 1;
	struct testr_config *cfg = config(ctx, pt, idfile);
	struct testr_command_options o = TESTR_COMMAND_OPTIONS_INIT;
	struct testr_command cmd = TESTR_COMMAND_INIT;
	struct testr_strv words = TESTR_STRV_INIT;
	char *line = NULL;

	o.ids = ids;
	o.tmpdir = tmpdir;
	if (testr_command_run(&cmd, ctx, cfg, &o) != 0) {
		if (!testr_context_error(ctx)[0])
			abort();	/* a refusal always says why */
	} else if (cmd.command) {
		if (cmd.ids.n + cmd.refused.n != ids->n ||
		    cmd.refused.n != cmd.reasons.n)
			abort();	/* every id runs or is refused */
		if (testr_instance_execute_command(&line, ctx, cfg, "h1",
						   cmd.command,
						   cmd.id_file) != 0)
			abort();
		innermost(&words, pt, line);
		check_words(&words, &cmd, idfile);
		if (idfile)
			check_id_file(&cmd);
	}
	free(line);
	testr_strv_dispose(&words);
	testr_command_dispose(&cmd);
	testr_config_free(cfg);
}

static char *tmpdir;	/* for every $IDFILE; removed at exit */

static void
remove_tmpdir(void)
{
	fuzz_rmtree(tmpdir);
	free(tmpdir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct testr_context *ctx;
	struct testr_strv ids = TESTR_STRV_INIT;
	int rc;

	if (size < 1 || size > 65536)
		return 0;
	if (!tmpdir) {
		tmpdir = fuzz_tmpdir();	/* reused; each $IDFILE is removed */
		atexit(remove_tmpdir);
	}
	if (testr_context_new(&ctx) != 0)
		abort();
	rc = testr_run_parse_listing(&ids, ctx, data + 1, size - 1);
	if (rc != 0 && !testr_context_error(ctx)[0])
		abort();	/* a refused listing says why */
	for (size_t i = 0; rc == 0 && i < ids.n; i++)
		if (!ids.v[i][0])
			abort();	/* blank lines are skipped */
	if (rc == 0 && ids.n > 0 && ids.n <= 64)
		check_command(ctx, &ids, data[0], tmpdir);
	testr_strv_dispose(&ids);
	testr_context_free(ctx);
	return 0;
}
