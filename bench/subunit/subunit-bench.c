/*
 * Subunit codec benchmark (run by bench/subunit/run.sh).
 *
 *   subunit-bench gen TESTS FILE [NOISE_EVERY]
 *       write a v2 stream: per test one inprogress and one success event,
 *       both timestamped; with NOISE_EVERY > 0 a line of non-subunit text
 *       after every NOISE_EVERY tests
 *   subunit-bench decode FILE          testr_subunit_decode_file (read())
 *   subunit-bench decode-mem FILE      the file in memory, fed in 1 MiB chunks
 *   subunit-bench encode TESTS         encode into a 1 MiB buffer, discarded
 *
 * Prints one line of key=value figures; peak RSS comes from getrusage().
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <testr/testr.h>

#define OUT_BUF (1u << 20)

struct sink {
	FILE *f;		/* NULL: discard */
	unsigned char buf[OUT_BUF];
	size_t len;
	uint64_t total;
};

static int
sink_write(void *userdata, const void *p, size_t n)
{
	struct sink *s = userdata;

	if (s->len + n > sizeof(s->buf)) {
		if (s->f && fwrite(s->buf, 1, s->len, s->f) != s->len)
			return TESTR_EIO;
		s->len = 0;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->total += n;
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Right-aligned zero-padded decimal, without printf (it would dominate
 * the encode figures). */
static char *
put_digits(char *o, unsigned long v, int width)
{
	for (int k = width - 1; k >= 0; k--, v /= 10)
		o[k] = (char)('0' + v % 10);
	return o + width;
}

/* "package.moduleMMM.TestSomethingCC.test_NNNNNNN" */
static void
make_id(char *id, unsigned long i)
{
	char *o = id;

	memcpy(o, "package.module", 14);
	o = put_digits(o + 14, i % 997, 3);
	memcpy(o, ".TestSomething", 14);
	o = put_digits(o + 14, i % 89, 2);
	memcpy(o, ".test_", 6);
	o = put_digits(o + 6, i, 7);
	*o = '\0';
}

static int
encode_tests(unsigned long tests, unsigned long noise_every, struct sink *s)
{
	static const char noise[] = "DEBUG: some output a test printed\n";
	struct testr_event ev = { 0 };
	char id[128];
	int rc = 0;

	ev.fields = TESTR_EVENT_TEST_ID | TESTR_EVENT_TIMESTAMP;
	ev.test_id = id;
	ev.runnable = true;
	ev.ts_sec = 1767323045;
	for (unsigned long i = 0; i < tests && rc == 0; i++) {
		make_id(id, i);
		ev.status = TESTR_STATUS_INPROGRESS;
		ev.ts_nsec = (uint32_t)(i * 1000 % 1000000000u);
		rc = testr_subunit_encode_v2(NULL, &ev, sink_write, s);
		ev.status = TESTR_STATUS_SUCCESS;
		ev.ts_nsec += 500;
		if (rc == 0)
			rc = testr_subunit_encode_v2(NULL, &ev, sink_write, s);
		if (rc == 0 && noise_every && i % noise_every == 0)
			rc = sink_write(s, noise, sizeof(noise) - 1);
	}
	return rc;
}

static int
cmd_gen(int argc, char **argv)
{
	struct sink *s = calloc(1, sizeof(*s));
	int rc;

	if (argc < 4)
		return 2;
	s->f = fopen(argv[3], "wb");
	if (!s->f)
		return perror(argv[3]), 1;
	rc = encode_tests(strtoul(argv[2], NULL, 10),
			  argc > 4 ? strtoul(argv[4], NULL, 10) : 0, s);
	if (rc == 0 && fwrite(s->buf, 1, s->len, s->f) != s->len)
		rc = 1;
	fclose(s->f);
	free(s);
	return rc != 0;
}

static int
cmd_encode(int argc, char **argv)
{
	struct sink *s = calloc(1, sizeof(*s));
	unsigned long tests;
	double t, cpu;
	int rc;

	if (argc < 3)
		return 2;
	tests = strtoul(argv[2], NULL, 10);
	cpu = cpu_seconds();
	t = now();
	rc = encode_tests(tests, 0, s);
	t = now() - t;
	cpu = cpu_seconds() - cpu;
	printf("encode bytes=%llu wall_s=%.3f cpu_s=%.3f MB/s=%.0f "
	       "cpu_MB/s=%.0f events/s=%.0f peak_rss_kib=%ld\n",
	       (unsigned long long)s->total, t, cpu,
	       (double)s->total / 1e6 / t, (double)s->total / 1e6 / cpu,
	       2.0 * (double)tests / t, peak_rss_kib());
	free(s);
	return rc != 0;
}

struct counts {
	uint64_t events, noise_bytes, tests_done;
	uint64_t corrupt;
};

static int
count_event(void *userdata, const struct testr_event *ev)
{
	struct counts *c = userdata;

	c->events++;
	if (ev->status == TESTR_STATUS_SUCCESS)
		c->tests_done++;
	if (!(ev->fields & TESTR_EVENT_TEST_ID))
		c->noise_bytes += ev->file_len;
	return 0;
}

static void
count_corrupt(void *userdata, uint64_t off, const char *what)
{
	(void)off;
	(void)what;
	((struct counts *)userdata)->corrupt++;
}

/* The whole file in memory first (not timed), then fed in 1 MiB chunks:
 * the decoder alone, without read(). */
static int
decode_mem(const unsigned char *p, size_t size,
	   const struct testr_subunit_decoder_options *o)
{
	struct testr_subunit_decoder *dec;
	int rc = testr_subunit_decoder_new(&dec, NULL, o);

	for (size_t i = 0; rc == 0 && i < size; i += OUT_BUF)
		rc = testr_subunit_decoder_feed(dec, p + i, size - i < OUT_BUF
							    ? size - i
							    : OUT_BUF);
	if (rc == 0)
		rc = testr_subunit_decoder_finish(dec);
	testr_subunit_decoder_free(dec);
	return rc;
}

static unsigned char *
map_file(const char *path, size_t *size)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0)
		return NULL;
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static int
cmd_decode(int argc, char **argv, bool in_memory)
{
	struct testr_subunit_decoder_options o = TESTR_SUBUNIT_DECODER_OPTIONS_INIT;
	struct counts c = { 0 };
	unsigned char *p = NULL;
	size_t size = 0;
	struct stat st;
	double t, cpu;
	int rc;

	if (argc < 3 || stat(argv[2], &st) != 0)
		return 2;
	size = (size_t)st.st_size;
	if (in_memory && !(p = map_file(argv[2], &size)))
		return 1;
	o.on_event = count_event;
	o.on_corrupt = count_corrupt;
	o.userdata = &c;
	cpu = cpu_seconds();
	t = now();
	rc = in_memory ? decode_mem(p, size, &o)
		       : testr_subunit_decode_file(NULL, argv[2], &o);
	t = now() - t;
	cpu = cpu_seconds() - cpu;
	printf("%s bytes=%zu wall_s=%.3f cpu_s=%.3f MB/s=%.0f cpu_MB/s=%.0f "
	       "events=%llu events/s=%.0f tests=%llu noise_bytes=%llu "
	       "corrupt=%llu peak_rss_kib=%ld\n",
	       in_memory ? "decode-mem" : "decode", size, t, cpu,
	       (double)size / 1e6 / t, (double)size / 1e6 / cpu,
	       (unsigned long long)c.events, (double)c.events / t,
	       (unsigned long long)c.tests_done,
	       (unsigned long long)c.noise_bytes,
	       (unsigned long long)c.corrupt, peak_rss_kib());
	if (p)
		munmap(p, size);
	return rc != 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argc, argv);
	if (argc > 1 && strcmp(argv[1], "encode") == 0)
		return cmd_encode(argc, argv);
	if (argc > 1 && strcmp(argv[1], "decode") == 0)
		return cmd_decode(argc, argv, false);
	if (argc > 1 && strcmp(argv[1], "decode-mem") == 0)
		return cmd_decode(argc, argv, true);
	fprintf(stderr, "usage: subunit-bench gen|encode|decode|decode-mem "
			"...\n");
	return 2;
}
