/*
 * Step 2 of a run: which ids it asks for.  Everything, the failing set, a
 * list file, or the ids in both.
 */
#include "config-build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <testr/select.h>

#include "context.h"
#include "list.h"
#include "strbuf.h"

static int
list_error(struct testr_context *ctx, const char *path, const char *why)
{
	char q[512];

	return context_fail(ctx, TESTR_EIO, "cannot read list file %s: %s",
			  testr_quote(q, sizeof(q), path, strlen(path)), why);
}

/*
 * A list file must be data: a regular file or a pipe (--load-list <(...)).
 * A directory reads as nothing, which would silently run no test and wipe
 * the failing set; a device may never end.
 */
static const char *
refused_kind(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return strerror(errno);
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
	    !S_ISSOCK(st.st_mode))
		return "is not a regular file";
	return NULL;
}

/* The whole of @fd into @buf; a read error is reported, never cut short. */
static int
read_all(struct strbuf *buf, struct testr_context *ctx, int fd,
	 const char *path)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return list_error(ctx, path, strerror(errno));
		if (strbuf_addn(buf, chunk, (size_t)n) < 0)
			return context_fail(ctx, TESTR_ENOMEM, "out of memory");
	}
	return TESTR_OK;
}

/* The ids of a list file's bytes; errors name the file and the line. */
static int
parse_list(struct testr_strv *ids, struct testr_context *ctx,
	   const char *path, const struct strbuf *buf)
{
	char q[512], *source = str_printf("list file %s",
			testr_quote(q, sizeof(q), path, strlen(path)));
	int rc = source ? list_parse(ids, ctx, source, buf->s ? buf->s : "",
				     buf->len) :
		 context_fail(ctx, TESTR_ENOMEM, "out of memory");

	free(source);
	return rc;
}

TESTR_API int
testr_select_read_list(struct testr_strv *out, struct testr_context *ctx,
		       const char *path)
{
	struct testr_strv ids = TESTR_STRV_INIT;
	struct strbuf buf = STRBUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	const char *refused = fd < 0 ? strerror(errno) : refused_kind(fd);
	int rc = refused ? list_error(ctx, path, refused) :
		 read_all(&buf, ctx, fd, path);

	if (rc == TESTR_OK)
		rc = parse_list(&ids, ctx, path, &buf);
	for (size_t i = 0; rc == TESTR_OK && i < ids.n; i++)
		rc = testr_strv_push(out, ids.v[i]);
	if (fd >= 0)
		close(fd);
	strbuf_dispose(&buf);
	testr_strv_dispose(&ids);
	return rc;
}

/* @ids minus every id not in @keep, order kept. */
static void
intersect(struct testr_strv *ids, const struct testr_strv *keep)
{
	size_t w = 0;

	for (size_t i = 0; i < ids->n; i++) {
		if (testr_strv_find(keep, ids->v[i]) >= 0)
			ids->v[w++] = ids->v[i];
		else
			free(ids->v[i]);
	}
	ids->n = w;
}

static int
select_given(struct testr_strv *out, struct testr_context *ctx,
	     struct testr_repo *repo, const struct testr_select_options *o)
{
	struct testr_strv failing = TESTR_STRV_INIT, listed = TESTR_STRV_INIT;
	int rc = TESTR_OK;

	if (o->failing)
		rc = repo ? testr_repo_failing_ids(&failing, repo) :
		     context_fail(ctx, TESTR_EINVAL, "--failing needs a repository");
	if (rc == TESTR_OK && o->load_list)
		rc = testr_select_read_list(&listed, ctx, o->load_list);
	if (rc == TESTR_OK && o->failing && o->load_list)
		intersect(&failing, &listed);
	/* Move the result over only once nothing can fail any more. */
	for (size_t i = 0; rc == TESTR_OK && i < (o->failing ? failing.n :
						    listed.n); i++)
		rc = testr_strv_push(out, o->failing ? failing.v[i] :
				     listed.v[i]);
	testr_strv_dispose(&failing);
	testr_strv_dispose(&listed);
	return rc;
}

/* The bytes of each version of struct testr_select_options. */
static const size_t select_options_sizes[] = {
	OPTIONS_END(testr_select_options, load_list),
};

TESTR_API int
testr_select_ids(struct testr_strv *out, bool *all, struct testr_context *ctx,
		 struct testr_repo *repo, const struct testr_select_options *opts)
{
	struct testr_select_options o = TESTR_SELECT_OPTIONS_INIT;
	int rc = OPTIONS_COPY(ctx, &o, opts, testr_select_options,
			      select_options_sizes);

	if (rc < 0)
		return rc;
	*all = !o.failing && !o.load_list;
	return *all ? TESTR_OK : select_given(out, ctx, repo, &o);
}
