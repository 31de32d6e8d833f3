/* emit: testr-exec's subunit v2 output, timestamped. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"

static int
write_all(void *userdata, const void *buf, size_t len)
{
	struct exec_out *o = userdata;
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(o->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return TESTR_EIO;
		p += n;
		len -= (size_t)n;
	}
	return TESTR_OK;
}

int
exec_emit(struct exec_out *o, const char *id, enum testr_status status,
	  const char *name, const void *bytes, size_t len, bool eof)
{
	struct testr_event ev = { 0 };
	struct timespec now;
	int rc;

	if (o->error)
		return o->error;
	clock_gettime(CLOCK_REALTIME, &now);
	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.test_id = id;
	ev.status = status;
	ev.runnable = true;
	ev.ts_sec = now.tv_sec;
	ev.ts_nsec = (uint32_t)now.tv_nsec;
	if (name) {
		ev.fields |= TESTR_EVENT_FILE | TESTR_EVENT_MIME_TYPE;
		ev.file_name = name;
		ev.mime_type = "text/plain; charset=utf8";
		ev.file_bytes = bytes;
		ev.file_len = len;
		ev.eof = eof;
	}
	rc = testr_subunit_encode_v2(o->ctx, &ev, write_all, o);
	if (rc != 0)
		o->error = rc;
	return rc;
}

int
exec_emit_result(struct exec_out *o, const char *id,
		 enum testr_status status, const char *why)
{
	int rc = TESTR_OK;

	if (why)
		rc = exec_emit(o, id, TESTR_STATUS_UNDEFINED, "reason", why,
			       strlen(why), true);
	return rc ? rc : exec_emit(o, id, status, NULL, NULL, 0, false);
}
