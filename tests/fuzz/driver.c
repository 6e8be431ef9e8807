/*
 * driver.c - a plain driver for the libFuzzer targets in tests/fuzz/, so
 * that `make test` builds every target with the project's compiler and
 * runs it for a few seconds (under AddressSanitizer and
 * UndefinedBehaviorSanitizer in CI's second pass).  It is no fuzzer: no
 * coverage feedback, just the seed inputs and then random mutations of
 * them (bit flips, byte changes, deletions, duplications, splices and
 * dictionary tokens) from a fixed seed, so a run is reproducible.  Long
 * runs use clang's libFuzzer (tests/fuzz/README.md).
 *
 *   driver [-s SECONDS] [-r SEED] [-m MAXLEN] [-x DICT] NAME SEED_FILE...
 *
 * A target reports a broken invariant by aborting; the driver then dies
 * with the signal, and the input that did it is in NAME.last-input in the
 * current directory (written by a signal handler, or by the sanitizers'
 * death callback) for replay:
 *
 *   driver -s 0 NAME NAME.last-input
 *
 * It ends with "1 passed, 0 failed" for tests/run.sh.
 */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct blob {
	unsigned char *p;
	size_t n;
};

struct blobs {
	struct blob *v;
	size_t n, cap;
};

static void *xrealloc_or_die(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fprintf(stderr, "driver: out of memory\n");
		exit(1);
	}
	return q;
}

static void blobs_push(struct blobs *b, unsigned char *p, size_t n)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->v = xrealloc_or_die(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n].p = p;
	b->v[b->n].n = n;
	b->n++;
}

static void blobs_release(struct blobs *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->v[i].p);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

/* Read a whole file into *out; returns 0, or -1 with a message. */
static int slurp(const char *path, struct blob *out)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t n = 0, cap = 0, got;

	if (!fp) {
		fprintf(stderr, "driver: cannot read %s\n", path);
		return -1;
	}
	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 8192;
			p = xrealloc_or_die(p, cap);
		}
		got = fread(p + n, 1, cap - n, fp);
		n += got;
	} while (got > 0);
	fclose(fp);
	out->p = p;
	out->n = n;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Load a libFuzzer dictionary: lines `name="value"` or `"value"`, with
 * \\, \" and \xNN escapes; '#' lines are comments. */
static int load_dict(const char *path, struct blobs *dict)
{
	struct blob f;
	size_t i = 0;

	if (slurp(path, &f) != 0)
		return -1;
	while (i < f.n) {
		size_t eol = i, q;
		unsigned char *tok;
		size_t tn = 0;

		while (eol < f.n && f.p[eol] != '\n')
			eol++;
		for (q = i; q < eol && f.p[q] != '"'; q++)
			if (f.p[q] == '#')
				q = eol - 1;
		if (q < eol && f.p[q] == '"') {
			tok = xrealloc_or_die(NULL, eol - q);
			for (q++; q < eol && f.p[q] != '"'; q++) {
				int c = f.p[q];
				if (c == '\\' && q + 1 < eol) {
					c = f.p[++q];
					if (c == 'x' && q + 2 < eol &&
					    hexval(f.p[q + 1]) >= 0 &&
					    hexval(f.p[q + 2]) >= 0) {
						c = hexval(f.p[q + 1]) * 16 +
						    hexval(f.p[q + 2]);
						q += 2;
					}
				}
				tok[tn++] = (unsigned char)c;
			}
			if (tn)
				blobs_push(dict, tok, tn);
			else
				free(tok);
		}
		i = eol + 1;
	}
	free(f.p);
	return 0;
}

/* xorshift64*: small, fast and the same on every machine. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* Insert len bytes of src at position at of buf (n bytes, cap max). */
static size_t insert(unsigned char *buf, size_t n, size_t max, size_t at,
		     const unsigned char *src, size_t len)
{
	if (n + len > max)
		len = max - n;
	memmove(buf + at + len, buf + at, n - at);
	memcpy(buf + at, src, len);
	return n + len;
}

/* Apply 1 to 8 random mutations to buf (n bytes) in place; max is the
 * buffer's size.  Returns the new length. */
static size_t mutate(unsigned char *buf, size_t n, size_t max,
		     const struct blobs *seeds, const struct blobs *dict)
{
	int k, rounds = 1 + (int)rnd_below(8);
	static const unsigned char special[] = {
	    0,	  '\n', '\r', '"',  ',',  '\t', ';', '{', '}',
	    '[',  ']',	':',  '\\', '-',  '.',	'0', '9', 0x7f,
	    0x80, 0xbf, 0xc3, 0xe2, 0xef, 0xff, ' ', '\''};

	for (k = 0; k < rounds; k++) {
		size_t at = rnd_below(n + 1);
		switch (rnd_below(8)) {
		case 0: /* flip a bit */
			if (n)
				buf[rnd_below(n)] ^=
				    (unsigned char)(1u << rnd_below(8));
			break;
		case 1: /* set a byte to a special one */
			if (n)
				buf[rnd_below(n)] =
				    special[rnd_below(sizeof(special))];
			break;
		case 2: /* insert a special byte */
			if (n < max)
				n = insert(buf, n, max, at,
					   &special[rnd_below(sizeof(special))],
					   1);
			break;
		case 3: { /* delete a run */
			size_t len = rnd_below(n - (at < n ? at : n) + 1);
			if (len > 16)
				len = 1 + rnd_below(16);
			if (at < n) {
				memmove(buf + at, buf + at + len, n - at - len);
				n -= len;
			}
			break;
		}
		case 4: { /* duplicate a run */
			size_t from = rnd_below(n + 1);
			size_t len = rnd_below(n - from + 1);
			unsigned char tmp[64];
			if (len > sizeof(tmp))
				len = sizeof(tmp);
			memcpy(tmp, buf + from, len);
			n = insert(buf, n, max, at, tmp, len);
			break;
		}
		case 5: /* a dictionary token */
			if (dict->n) {
				const struct blob *t =
				    &dict->v[rnd_below(dict->n)];
				n = insert(buf, n, max, at, t->p, t->n);
			}
			break;
		case 6: { /* splice in part of another seed */
			const struct blob *s = &seeds->v[rnd_below(seeds->n)];
			size_t from = rnd_below(s->n + 1);
			size_t len = rnd_below(s->n - from + 1);
			if (len > 256)
				len = rnd_below(256);
			n = insert(buf, n, max, at, s->p + from, len);
			break;
		}
		default: /* cut short */
			if (n)
				n = rnd_below(n + 1);
			break;
		}
	}
	return n;
}

/* The input being run, for the crash handlers to save. */
static const char *cur_path;
static const unsigned char *cur_data;
static size_t cur_size;

/* Save the current input with async-signal-safe calls only. */
static void save_current(void)
{
	size_t off = 0;
	int fd;

	if (!cur_path || !cur_data)
		return;
	fd = open(cur_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	while (off < cur_size) {
		ssize_t w = write(fd, cur_data + off, cur_size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);
	cur_data = NULL;
}

static void on_crash(int sig)
{
	save_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The sanitizers end a run with their own exit, not a signal. */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

/* Run one input from its own exact-size heap copy, so that a read past
 * the end is caught by AddressSanitizer. */
static void run_one(const unsigned char *p, size_t n)
{
	unsigned char *copy = xrealloc_or_die(NULL, n);

	if (n)
		memcpy(copy, p, n);
	cur_data = p;
	cur_size = n;
	LLVMFuzzerTestOneInput(copy, n);
	cur_data = NULL;
	free(copy);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = 3, t0;
	uint64_t seed = 20261207;
	size_t maxlen = 4096, i;
	long runs = 0;
	const char *name;
	char *last = NULL;
	struct blobs seeds = {0}, dict = {0};
	unsigned char *buf;
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "s:r:m:x:")) != -1) {
		switch (opt) {
		case 's':
			seconds = atof(optarg);
			break;
		case 'r':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			maxlen = strtoul(optarg, NULL, 10);
			break;
		case 'x':
			if (load_dict(optarg, &dict) != 0)
				goto cleanup;
			break;
		default:
			fprintf(stderr, "usage: driver [-s SECONDS] [-r SEED] "
					"[-m MAXLEN] [-x DICT] NAME SEED...\n");
			goto cleanup;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "driver: give a name and at least one seed "
				"file\n");
		goto cleanup;
	}
	name = argv[optind++];
	rng_state = seed ? seed : 1;
	for (; optind < argc; optind++) {
		struct blob b;
		if (slurp(argv[optind], &b) != 0)
			goto cleanup;
		if (b.n > maxlen)
			maxlen = b.n;
		blobs_push(&seeds, b.p, b.n);
	}
	last = xrealloc_or_die(NULL, strlen(name) + 16);
	sprintf(last, "%s.last-input", name);
	cur_path = last;
	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	signal(SIGILL, on_crash);
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(save_current);

	/* The seeds as they are, then mutants until the time is up. */
	for (i = 0; i < seeds.n; i++, runs++)
		run_one(seeds.v[i].p, seeds.v[i].n);
	buf = xrealloc_or_die(NULL, maxlen);
	t0 = now();
	while (now() - t0 < seconds) {
		const struct blob *s = &seeds.v[rnd_below(seeds.n)];
		size_t n = s->n;
		int j;
		memcpy(buf, s->p, n);
		/* A few generations from the same seed reach deeper. */
		for (j = 0; j < 4; j++, runs++) {
			n = mutate(buf, n, maxlen, &seeds, &dict);
			run_one(buf, n);
		}
	}
	free(buf);
	cur_path = NULL;
	printf("  ok   %s: %ld inputs in %.1f s (seed %llu)\n", name, runs,
	       now() - t0, (unsigned long long)seed);
	printf("1 passed, 0 failed\n");
	rc = 0;
cleanup:
	free(last);
	blobs_release(&seeds);
	blobs_release(&dict);
	return rc;
}
