/* A minimal subunit v2 writer.  The packet layout follows the subunit v2
 * specification: signature 0xb3, 16-bit flags, a variable-length packet
 * length, the optional fields in fixed order, then a CRC32 of it all. */
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "subunit_v2.h"

enum {
	FLAG_VERSION2 = 0x2000,
	FLAG_TEST_ID = 0x0800,
	FLAG_TIMESTAMP = 0x0200,
	FLAG_RUNNABLE = 0x0100,
	FLAG_FILE_CONTENT = 0x0040,
	FLAG_MIME_TYPE = 0x0020,
	FLAG_EOF = 0x0010,
	MAX_PACKET = 65536,	/* ours; v2 itself allows 4 MiB */
};

struct packet {
	unsigned char *buf;
	size_t len, cap;
	int failed;
};

static void
put(struct packet *p, const void *bytes, size_t n)
{
	if (p->failed || p->len + n > p->cap) {
		p->failed = 1;
		return;
	}
	memcpy(p->buf + p->len, bytes, n);
	p->len += n;
}

/* Numbers: the top two bits of the first byte say how many bytes follow. */
static void
put_number(struct packet *p, uint32_t v)
{
	unsigned char b[4];
	size_t n;

	if (v < 0x40)
		n = 1;
	else if (v < 0x4000)
		n = 2;
	else if (v < 0x400000)
		n = 3;
	else
		n = 4;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	b[0] |= (unsigned char)((n - 1) << 6);
	put(p, b, n);
}

static void
put_string(struct packet *p, const char *s)
{
	size_t n = strlen(s);

	put_number(p, (uint32_t)n);
	put(p, s, n);
}

static void
put_be(struct packet *p, uint32_t v, size_t n)
{
	unsigned char b[4];

	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	put(p, b, n);
}

/* The length field counts itself, so its own size depends on the total. */
static size_t
length_size(size_t body)
{
	if (body + 1 < 0x40)
		return 1;
	if (body + 2 < 0x4000)
		return 2;
	return 3;
}

int
sv2_write(FILE *out, const char *test_id, enum sv2_status status,
	  const struct timespec *ts, const struct sv2_file *file)
{
	static unsigned char fields[MAX_PACKET], packet[MAX_PACKET];
	struct packet f = { fields, 0, sizeof(fields), 0 };
	struct packet p = { packet, 0, sizeof(packet), 0 };
	unsigned flags = FLAG_VERSION2 | FLAG_TEST_ID | FLAG_RUNNABLE | status;
	size_t total;

	if (ts) {
		flags |= FLAG_TIMESTAMP;
		put_be(&f, (uint32_t)ts->tv_sec, 4);
		put_number(&f, (uint32_t)ts->tv_nsec);
	}
	put_string(&f, test_id);
	if (file) {
		flags |= FLAG_MIME_TYPE | FLAG_FILE_CONTENT | FLAG_EOF;
		put_string(&f, file->mime_type);
		put_string(&f, file->name);
		put_number(&f, (uint32_t)file->len);
		put(&f, file->bytes, file->len);
	}
	/* signature + flags + length + fields + CRC32 */
	total = 1 + 2 + f.len + 4;
	total += length_size(total);
	if (f.failed || total > MAX_PACKET)
		return -1;
	put(&p, "\xb3", 1);
	put_be(&p, flags, 2);
	put_number(&p, (uint32_t)total);
	put(&p, fields, f.len);
	put_be(&p, (uint32_t)crc32(0, packet, (uInt)p.len), 4);
	if (fwrite(packet, 1, p.len, out) != p.len || fflush(out) != 0)
		return -1;
	return 0;
}
