/*
 * The progress of `testr run`.  It sits between the run and the plain
 * display.  On a terminal it is one live status line: before the display
 * writes anything (a failure, a running= line, a test program's stderr
 * line) the line is erased, afterwards it is drawn again, so everything
 * else scrolls up above one line that updates in place.  Off a terminal (a
 * CI log) the display's output is flushed as it comes, and a short
 * "testr: progress" line goes to stderr every few seconds.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define REDRAW_NS 50000000L	/* at most 20 redraws a second */
#define TICK_NS 500000000L	/* keep the clocks moving during a long test */
#define PLAIN_TICK_S 10		/* off a terminal: a progress line this often */

struct cli_progress {
	/*
	 * The ticker thread redraws the line while nothing else happens; the
	 * lock keeps it from drawing while the display writes.
	 */
	pthread_mutex_t lock;
	pthread_cond_t stop_cond;
	pthread_t ticker;
	bool ticking, stop;
	FILE *out;
	bool live;		/* the status line on a terminal */
	long interval_s;	/* off it: seconds between progress lines; 0 none */
	bool color;
	bool drawn;
	int width;		/* the terminal's columns, read once per draw */
	struct timespec last_draw;
	/* Counts, workers and the time left: the library's estimator. */
	struct testr_progress *est;
	/* The sinks wrapped. */
	testr_event_fn on_event;
	void *event_ud;
	testr_command_fn on_command;
	void *command_ud;
	testr_write_fn on_output;
	void *output_ud;
};

/* Seconds on the monotonic clock: the estimator's time. */
static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
cli_color_parse(enum cli_color *out, const char *when)
{
	static const char *const names[] = {
		[CLI_COLOR_AUTO] = "auto",
		[CLI_COLOR_ALWAYS] = "always",
		[CLI_COLOR_NEVER] = "never",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(when, names[i]) == 0) {
			*out = (enum cli_color)i;
			return 0;
		}
	}
	return -1;
}

/* NO_COLOR (https://no-color.org): set and non-empty means no colour. */
static bool
want_color(enum cli_color color)
{
	const char *no_color = getenv("NO_COLOR");

	if (color != CLI_COLOR_AUTO)
		return color == CLI_COLOR_ALWAYS;
	return !(no_color && *no_color);
}

static void draw(struct cli_progress *p, bool force);
static void report(struct cli_progress *p);

/* When the ticker next wakes: TICK_NS on a terminal, else the interval. */
static void
next_tick(const struct cli_progress *p, struct timespec *until)
{
	clock_gettime(CLOCK_REALTIME, until);
	if (!p->live) {
		until->tv_sec += p->interval_s;
		return;
	}
	until->tv_nsec += TICK_NS;
	if (until->tv_nsec >= 1000000000L) {
		until->tv_sec++;
		until->tv_nsec -= 1000000000L;
	}
}

/*
 * On a terminal, redraw every TICK_NS until told to stop, so elapsed time
 * and ETA move during a long test too (only a line that is shown).  Off
 * it, print a progress line every interval, so a CI log shows the run is
 * alive even while one test takes minutes.
 */
static void *
tick(void *arg)
{
	struct cli_progress *p = arg;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		next_tick(p, &until);
		while (!p->stop && pthread_cond_timedwait(&p->stop_cond,
				&p->lock, &until) != ETIMEDOUT)
			;
		if (!p->stop && p->live && p->drawn)
			draw(p, true);
		else if (!p->stop && !p->live)
			report(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The ticker blocks every signal: SIGINT must reach the thread that runs
 * the workers.  Without a ticker the line still moves on every event. */
static void
start_ticker(struct cli_progress *p)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	p->ticking = pthread_create(&p->ticker, NULL, tick, p) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void
stop_ticker(struct cli_progress *p)
{
	if (!p->ticking)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->stop_cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->ticker, NULL);
	p->ticking = false;
}

/* TESTR_PROGRESS_INTERVAL: seconds between plain progress lines (0: none). */
static long
plain_interval(void)
{
	const char *env = getenv("TESTR_PROGRESS_INTERVAL");
	char *end;
	long v;

	if (!env || !*env)
		return PLAIN_TICK_S;
	v = strtol(env, &end, 10);
	return *end || v < 0 ? PLAIN_TICK_S : v;
}

struct cli_progress *
cli_progress_new(FILE *out, enum cli_color color)
{
	struct cli_progress *p = calloc(1, sizeof(*p));
	const char *term = getenv("TERM");

	if (!p)
		return NULL;
	if (testr_progress_new(&p->est, now_s()) < 0) {
		free(p);
		return NULL;
	}
	/* A dumb terminal cannot erase a line: plain there too. */
	p->live = isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0) &&
		  !cli_quiet;
	p->interval_s = cli_quiet ? 0 : plain_interval();
	p->out = out;
	p->color = want_color(color);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->stop_cond, NULL);
	if (p->live || p->interval_s > 0)
		start_ticker(p);
	return p;
}

void
cli_progress_forecast(void *userdata, const char *const *ids,
		      const double *seconds, size_t n_ids, size_t n_workers)
{
	struct cli_progress *p = userdata;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	/* Out of memory for the ids: the time left goes by the total. */
	if (testr_progress_plan(p->est, ids, seconds, n_ids, n_workers) < 0)
		testr_progress_plan(p->est, NULL, seconds, n_ids, n_workers);
	pthread_mutex_unlock(&p->lock);
}

static double
since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void
erase(struct cli_progress *p)
{
	if (!p->live || !p->drawn)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->drawn = false;
}

static void
clock_text(char *buf, size_t size, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

static int
terminal_width(FILE *out)
{
	struct winsize ws;

	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* Append @s to @line (visible width *@col, at most @max), cutting it short
 * on a character boundary. */
static void
append(char *line, size_t size, int *col, int max, const char *s)
{
	size_t len = strlen(line);

	for (; *s && len + 5 < size; s++) {
		bool starts_char = ((unsigned char)*s & 0xc0) != 0x80;

		if (starts_char && *col >= max)
			break;
		line[len++] = *s;
		*col += starts_char;
	}
	line[len] = '\0';
}

/* "  w1 test.id 0:12", and "!" after the clock when the test is overdue. */
static void
worker_text(const struct cli_progress *p, char *line, size_t size, int *col,
	    int max, double now)
{
	char buf[48];
	size_t n = testr_progress_workers(p->est);

	for (size_t i = 0; i < n && *col < max; i++) {
		struct testr_progress_worker w;

		testr_progress_worker(&w, p->est, i, now);
		snprintf(buf, sizeof(buf), "  w%zu ", i);
		append(line, size, col, max, buf);
		append(line, size, col, max, w.test ? w.test : "idle");
		if (!w.test)
			continue;
		clock_text(buf + 1, sizeof(buf) - 2, w.running);
		buf[0] = ' ';
		if (w.overdue)
			strcat(buf, "!");
		append(line, size, col, max, buf);
	}
}

static void
counts_text(char *buf, size_t size, const struct testr_progress_state *st)
{
	if (st->expected)
		snprintf(buf, size, "%zu/%zu", st->done, st->expected);
	else
		snprintf(buf, size, "%zu", st->done);
}

static void
draw(struct cli_progress *p, bool force)
{
	char line[1024] = "", counts[64], el[32], left[32], tail[96];
	struct testr_progress_state st;
	double now = now_s();
	int max, col = 0;

	if (!p->live)
		return;
	if (!force && p->drawn && since(&p->last_draw) < REDRAW_NS / 1e9)
		return;
	max = terminal_width(p->out) - 1;
	testr_progress_state(&st, p->est, now);
	counts_text(counts, sizeof(counts), &st);
	clock_text(el, sizeof(el), st.elapsed);
	if (!isnan(st.left))
		clock_text(left, sizeof(left), st.left);
	snprintf(tail, sizeof(tail), "  %s elapsed  %s left  |", el,
		 !isnan(st.left) ? left : "?");
	append(line, sizeof(line), &col, max, counts);
	append(line, sizeof(line), &col, max, " tests  ");
	erase(p);
	fputs(line, p->out);
	snprintf(counts, sizeof(counts), "%zu failed", st.failed);
	if (p->color && st.failed)
		fprintf(p->out, "\033[1;31m%s\033[0m", counts);
	else
		fputs(counts, p->out);
	col += (int)strlen(counts);
	line[0] = '\0';
	append(line, sizeof(line), &col, max, tail);
	worker_text(p, line, sizeof(line), &col, max, now);
	fprintf(p->out, "%s\033[K", line);
	fflush(p->out);
	p->drawn = true;
	clock_gettime(CLOCK_MONOTONIC, &p->last_draw);
}

/* Off a terminal, the tests past their estimate, so that a CI log names a
 * test that hangs: ", w1 slow.test running 1:20 (expected 0:05)". */
static void
report_overdue(const struct cli_progress *p, double now)
{
	char run[32], exp[32];

	for (size_t i = 0; i < testr_progress_workers(p->est); i++) {
		struct testr_progress_worker w;

		testr_progress_worker(&w, p->est, i, now);
		if (!w.overdue)
			continue;
		clock_text(run, sizeof(run), w.running);
		clock_text(exp, sizeof(exp), w.expected);
		fprintf(stderr, ", w%zu %s running %s (expected %s)", i,
			w.test, run, exp);
	}
}

/* Off a terminal: "testr: 12/40 tests, 1 failed, 0:30 elapsed, 0:45 left". */
static void
report(struct cli_progress *p)
{
	char counts[64], el[32], left[32] = "?";
	struct testr_progress_state st;
	double now = now_s();

	testr_progress_state(&st, p->est, now);
	clock_text(el, sizeof(el), st.elapsed);
	if (!isnan(st.left))
		clock_text(left, sizeof(left), st.left);
	counts_text(counts, sizeof(counts), &st);
	fflush(stdout);
	fprintf(stderr, "testr: %s tests, %zu failed, %s elapsed, %s left",
		counts, st.failed, el, left);
	report_overdue(p, now);
	fputc('\n', stderr);
	fflush(stderr);
}

static int
on_event(void *userdata, const struct testr_event *ev)
{
	struct cli_progress *p = userdata;
	int rc = 0;

	pthread_mutex_lock(&p->lock);
	erase(p);
	if (p->on_event)
		rc = p->on_event(p->event_ud, ev);
	fflush(stdout);
	testr_progress_event(p->est, ev, now_s());
	draw(p, ev->status == TESTR_STATUS_FAIL);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

static void
on_command(void *userdata, const char *command)
{
	struct cli_progress *p = userdata;

	pthread_mutex_lock(&p->lock);
	erase(p);
	if (p->on_command)
		p->on_command(p->command_ud, command);
	fflush(stdout);
	draw(p, true);
	pthread_mutex_unlock(&p->lock);
}

static int
on_output(void *userdata, const void *buf, size_t len)
{
	struct cli_progress *p = userdata;
	int rc = 0;

	pthread_mutex_lock(&p->lock);
	erase(p);
	if (p->on_output)
		rc = p->on_output(p->output_ud, buf, len);
	fflush(stdout);
	draw(p, true);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void
cli_progress_wrap(struct cli_progress *p, testr_event_fn *event, void **event_ud,
		  testr_command_fn *command, void **command_ud,
		  testr_write_fn *output, void **output_ud)
{
	if (!p)
		return;
	p->on_event = *event;
	p->event_ud = *event_ud;
	*event = on_event;
	*event_ud = p;
	p->on_command = *command;
	p->command_ud = *command_ud;
	*command = on_command;
	*command_ud = p;
	p->on_output = *output;
	p->output_ud = *output_ud;
	*output = on_output;
	*output_ud = p;
}

void
cli_progress_end(struct cli_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	erase(p);
	pthread_mutex_unlock(&p->lock);
}

void
cli_progress_free(struct cli_progress *p)
{
	if (!p)
		return;
	stop_ticker(p);
	erase(p);
	pthread_cond_destroy(&p->stop_cond);
	pthread_mutex_destroy(&p->lock);
	testr_progress_free(p->est);
	free(p);
}
