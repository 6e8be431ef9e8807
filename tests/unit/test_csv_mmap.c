/*
 * test_csv_mmap.c - the one CSV reader read from a file (memory-mapped,
 * or read from a pipe) against the same bytes read from a buffer, its
 * edges (empty file, no line end, CRLF, a file ending exactly at a page
 * boundary), the spreadsheet flags the cohort and Medi-Cal importers
 * use, and the shared hash set against a brute-force list.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_csv.h"
#include "core/core_hash.h"
#include "core/core_mem.h"
#include "testlib.h"

/* The flags of the importers that read through core_csv. */
#define COHORT_FLAGS                                                           \
	(CORE_CSV_SHEET_QUOTES | CORE_CSV_DROP_AFTER_QUOTE |                   \
	 CORE_CSV_NO_PIPE | CORE_CSV_LET_UNCLOSED | CORE_CSV_LET_NUL |         \
	 CORE_CSV_KEEP_CR | CORE_CSV_KEEP_BLANK | CORE_CSV_NO_HEADER)
#define MEDI_CAL_FLAGS                                                         \
	(CORE_CSV_SHEET_QUOTES | CORE_CSV_CR_ENDS_LINE |                       \
	 CORE_CSV_LET_UNCLOSED | CORE_CSV_LET_NUL | CORE_CSV_KEEP_BLANK |      \
	 CORE_CSV_NO_HEADER)

static const struct {
	int sep;
	unsigned flags;
} modes[] = {
    {',', 0},
    {0, 0},
    {';', 0},
    {0, COHORT_FLAGS},
    {',', MEDI_CAL_FLAGS},
    {0, CORE_CSV_NO_HEADER},
    {',', CORE_CSV_SHEET_QUOTES | CORE_CSV_LET_UNCLOSED},
};

/*
 * Everything a reader makes of its input, as text: the open's outcome,
 * the header, then every record (rc, line, fields and their lengths,
 * flags, where it stopped) up to the end or an error and its message.
 */
static void dump(struct core_csv *c, struct core_err *err, unsigned flags,
		 struct core_buf *out)
{
	size_t i;
	int rc;

	if (!c) {
		core_buf_addf(out, "open failed %d: %s\n", err->code, err->msg);
		return;
	}
	if (flags & CORE_CSV_NO_HEADER) {
		rc = core_csv_read_header(c, err);
		core_buf_addf(out, "header rc %d %s\n", rc,
			      rc < 0 ? err->msg : "");
	}
	core_buf_addf(out, "sep %d:", core_csv_sep(c));
	for (i = 0; i < core_csv_nheader(c); i++)
		core_buf_addf(out, "[%s]", core_csv_header(c, i));
	core_buf_addc(out, '\n');
	while ((rc = core_csv_next(c, err)) == 1) {
		core_buf_addf(out, "line %ld flags %u end %d at %zu nul %zu:",
			      core_csv_line(c), core_csv_record_flags(c),
			      core_csv_unterminated(c), core_csv_offset(c),
			      core_csv_record_flags(c) & CORE_CSV_REC_NUL
				  ? core_csv_nul_field(c)
				  : 0);
		for (i = 0; i < core_csv_nfields(c); i++) {
			const char *f = core_csv_get(c, i);
			if (strlen(f) != core_csv_get_len(c, i))
				core_buf_adds(out, "(length differs)");
			core_buf_addf(out, "[%s]", f);
		}
		core_buf_addc(out, '\n');
	}
	core_buf_addf(out, "rc %d %s\n", rc, rc < 0 ? err->msg : "");
}

/* bytes[0..n) written to a file, read from it and from a buffer in each
 * mode: the same output.  Returns the number of modes that differ. */
static int same_both_ways(const char *name, const char *bytes, size_t n)
{
	const char *path = test_write("input.csv", "");
	int differ = 0;
	size_t m;
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(bytes, 1, n, fp) != n) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
		if (fp)
			fclose(fp);
		return 1;
	}
	fclose(fp);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct core_buf a = CORE_BUF_INIT, b = CORE_BUF_INIT;
		struct core_err ea = CORE_ERR_INIT, eb = CORE_ERR_INIT;
		struct core_csv *c;
		int fd = open(path, O_RDONLY);

		if (modes[m].flags)
			c = core_csv_open_fd(fd, name, modes[m].sep,
					     modes[m].flags, &ea);
		else {
			close(fd);
			c = core_csv_open_as(path, name, modes[m].sep, &ea);
		}
		dump(c, &ea, modes[m].flags, &a);
		core_csv_free(c);
		c = core_csv_open_mem_flags(bytes, n, name, modes[m].sep,
					    modes[m].flags, &eb);
		dump(c, &eb, modes[m].flags, &b);
		core_csv_free(c);
		if (strcmp(core_buf_str(&a), core_buf_str(&b)) != 0) {
			test_fail(__FILE__, __LINE__,
				  "%s, mode %zu: the file reads\n%s\nthe "
				  "buffer\n%s",
				  name, m, core_buf_str(&a), core_buf_str(&b));
			differ++;
		}
		core_buf_release(&a);
		core_buf_release(&b);
	}
	return differ;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long len;

	*n = 0;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0) {
		rewind(fp);
		buf = xmalloc((size_t)len + 1);
		*n = fread(buf, 1, (size_t)len, fp);
	}
	fclose(fp);
	return buf;
}

/* Every fuzz seed of the CSV, cohort and Medi-Cal targets, whole, cut
 * short at 40 places, and with NUL bytes put in. */
static void test_seeds_file_vs_buffer(void)
{
	static const char *const dirs[] = {"fuzz_csv", "fuzz_cohort",
					   "fuzz_medi_cal"};
	size_t d;
	int seeds = 0;

	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		char *dir =
		    xasprintf("%s/tests/fuzz/seeds/%s", TEST_SRCDIR, dirs[d]);
		DIR *dp = opendir(dir);
		struct dirent *e;
		CHECK(dp != NULL);
		while (dp && (e = readdir(dp))) {
			char *path;
			size_t n;
			char *bytes;
			if (e->d_name[0] == '.')
				continue;
			path = xasprintf("%s/%s", dir, e->d_name);
			bytes = slurp(path, &n);
			CHECK(bytes != NULL);
			if (bytes) {
				size_t cut, step = n / 40 + 1;
				CHECK_INT(same_both_ways(e->d_name, bytes, n),
					  0);
				/* cut short anywhere, and with a NUL byte */
				for (cut = 1; cut < n; cut += step) {
					CHECK_INT(same_both_ways(e->d_name,
								 bytes, cut),
						  0);
					bytes[cut] = '\0';
					CHECK_INT(
					    same_both_ways(e->d_name, bytes, n),
					    0);
				}
			}
			seeds++;
			free(bytes);
			free(path);
		}
		if (dp)
			closedir(dp);
		free(dir);
	}
	CHECK(seeds >= 7);
}

/* Read every record of s (strict, ',') from a file, one line per
 * record: "LINE:f1|f2|...", with "!" and the message on error. */
static void read_all(const char *name, const char *s, struct core_buf *out)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c =
	    core_csv_open_as(test_write(name, s), name, ',', &err);
	size_t i;
	int rc;

	core_buf_reset(out);
	if (!c) {
		core_buf_addf(out, "!%s", err.msg);
		return;
	}
	while ((rc = core_csv_next(c, &err)) == 1) {
		core_buf_addf(out, "%ld:", core_csv_line(c));
		for (i = 0; i < core_csv_nfields(c); i++)
			core_buf_addf(out, "%s%s", i ? "|" : "",
				      core_csv_get(c, i));
		core_buf_addf(out, "%s;", core_csv_unterminated(c) ? "$" : "");
	}
	if (rc < 0)
		core_buf_addf(out, "!%s", err.msg);
	core_csv_free(c);
}

static void test_edges(void)
{
	struct core_buf b = CORE_BUF_INIT;
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c;

	read_all("empty.csv", "", &b);
	CHECK_STR(core_buf_str(&b), "!"
				    "empty.csv: the file is empty; "
				    "expected a header line");
	CHECK_CONTAINS(core_buf_str(&b), "empty.csv: the file is empty");
	/* the same file, the header left to the caller */
	c = core_csv_open_fd(open(test_write("empty.csv", ""), O_RDONLY),
			     "empty.csv", 0, CORE_CSV_NO_HEADER, &err);
	CHECK(c != NULL);
	if (c)
		CHECK_INT(core_csv_read_header(c, &err), 0);
	core_csv_free(c);

	read_all("nonl.csv", "a,b\n1,2\n3,4", &b);
	CHECK_STR(core_buf_str(&b), "2:1|2;3:3|4$;");
	read_all("crlf.csv", "a,b\r\n1,\"x\r\ny\"\r\n\r\n3,4\r\n", &b);
	CHECK_STR(core_buf_str(&b), "2:1|x\r\ny;5:3|4;");
	read_all("bom.csv",
		 "\xEF\xBB\xBF"
		 "a,b\n1,2\n",
		 &b);
	CHECK_STR(core_buf_str(&b), "2:1|2;");
	read_all("open.csv", "a,b\n1,\"2\n", &b);
	CHECK_STR(core_buf_str(&b),
		  "!open.csv line 2, field b: a quoted field is not closed "
		  "before the end of the file; is the file cut short, or a "
		  "quote missing?");
	core_buf_release(&b);
}

/* A file exactly one or two pages long: the last byte is the mapping's
 * last, so a reader that looked one byte past it would fault. */
static void test_page_boundary(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t k, n;
	struct core_buf want = CORE_BUF_INIT, got = CORE_BUF_INIT;

	for (k = 0; k < 4; k++) {
		size_t size = (size_t)page * (k < 2 ? 1 : 2);
		char *s = xmalloc(size + 1);
		struct core_buf rows = CORE_BUF_INIT;
		long line = 2;
		core_buf_adds(&rows, "id,text\n");
		core_buf_reset(&want);
		while (rows.len + 40 < size) {
			core_buf_addf(&want, "%ld:%ld|row %ld;", line, line,
				      line);
			core_buf_addf(&rows, "%ld,row %ld\n", line, line);
			line++;
		}
		/* the last record fills the page to its last byte: plain,
		 * with a line end, quoted, or a quote left open */
		n = size - rows.len;
		memcpy(s, rows.s, rows.len);
		memset(s + rows.len, 'x', n);
		s[rows.len] = '9';
		s[rows.len + 1] = ',';
		if (k == 1)
			s[size - 1] = '\n';
		if (k >= 2) {
			s[rows.len + 2] = '"';
			if (k == 2)
				s[size - 1] = '"';
		}
		s[size] = '\0';
		read_all("page.csv", s, &got);
		CHECK_INT(strlen(s), size);
		if (k == 3) {
			CHECK_CONTAINS(core_buf_str(&got),
				       "a quoted field is not closed");
		} else {
			core_buf_addf(&want, "%ld:9|%.*s%s;", line,
				      (int)(n - 2 - (k == 1) - 2 * (k == 2)),
				      s + rows.len + 2 + (k == 2),
				      k == 1 ? "" : "$");
			CHECK_STR(core_buf_str(&got), core_buf_str(&want));
		}
		CHECK_INT(same_both_ways("page.csv", s, size), 0);
		core_buf_release(&rows);
		free(s);
	}
	core_buf_release(&want);
	core_buf_release(&got);
}

/* A pipe is read to its end, not mapped. */
static void test_pipe(void)
{
	static const char text[] = "a;b\n1;\"x;y\"\n";
	struct core_err err = CORE_ERR_INIT;
	struct core_csv *c;
	int fds[2];

	CHECK_INT(pipe(fds), 0);
	CHECK_INT(write(fds[1], text, sizeof(text) - 1),
		  (long)sizeof(text) - 1);
	close(fds[1]);
	c = core_csv_open_fd(fds[0], "pipe", 0, 0, &err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_INT(core_csv_sep(c), ';');
	CHECK_INT(core_csv_next(c, &err), 1);
	CHECK_STR(core_csv_get(c, 1), "x;y");
	CHECK_INT(core_csv_next(c, &err), 0);
	core_csv_free(c);
}

/* The spreadsheet flags, each on the input that shows it. */
static void test_flags(void)
{
	static const struct {
		const char *in;
		unsigned flags;
		const char *want;
	} cases[] = {
	    /* a quote inside a value: text, or a quoted part */
	    {"h\n5\" tall,x\n", CORE_CSV_SHEET_QUOTES, "[5\" tall][x]"},
	    {"h\n\"ab\"cd,x\n", CORE_CSV_SHEET_QUOTES, "[abcd][x]"},
	    {"h\n\"ab\"cd,x\n",
	     CORE_CSV_SHEET_QUOTES | CORE_CSV_DROP_AFTER_QUOTE, "[ab][x]"},
	    {"h\na\"b,c\"d\n", 0, "[ab,cd]"},
	    /* CR: dropped, kept inside a value, or a line end */
	    {"h\na\rb\r\n", 0, "[ab]"},
	    {"h\na\rb\r\n", CORE_CSV_KEEP_CR, "[a\rb]"},
	    {"h\ra\rb\r\n", CORE_CSV_CR_ENDS_LINE, "[a][b]"},
	    /* problems left to the caller */
	    {"h\n1,\"2", CORE_CSV_LET_UNCLOSED, "[1][2]{2}"},
	    {"h\n1,2\0003\n", CORE_CSV_LET_NUL, "[1][2 3]{4:1}"},
	    /* blank lines: skipped, or kept */
	    {"h\n\n1\n", 0, "[1]"},
	    {"h\n\n1\n", CORE_CSV_KEEP_BLANK, "[][1]"},
	};
	size_t k, i;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct core_err err = CORE_ERR_INIT;
		struct core_buf got = CORE_BUF_INIT;
		size_t len = strlen(cases[k].in);
		struct core_csv *c;
		if (strstr(cases[k].want, "{4:"))
			len = 8; /* past the NUL */
		c = core_csv_open_mem_flags(cases[k].in, len, "t", ',',
					    cases[k].flags, &err);
		CHECK(c != NULL);
		if (!c)
			continue;
		while (core_csv_next(c, &err) == 1) {
			unsigned f = core_csv_record_flags(c);
			for (i = 0; i < core_csv_nfields(c); i++)
				core_buf_addf(&got, "[%s]", core_csv_get(c, i));
			if (f & CORE_CSV_REC_UNCLOSED)
				core_buf_adds(&got, "{2}");
			if (f & CORE_CSV_REC_NUL)
				core_buf_addf(&got, "{4:%zu}",
					      core_csv_nul_field(c));
		}
		CHECK_STR(core_buf_str(&got), cases[k].want);
		core_buf_release(&got);
		core_csv_free(c);
	}
}

/* Reading again after core_csv_rewind gives the same records. */
static void test_rewind(void)
{
	static const char text[] = "a,b\n1,2\n\"x\ny\",3\n";
	struct core_err err = CORE_ERR_INIT;
	struct core_buf one = CORE_BUF_INIT, two = CORE_BUF_INIT;
	struct core_csv *c = core_csv_open_mem(text, strlen(text), "t", &err);
	int pass;

	CHECK(c != NULL);
	if (!c)
		return;
	for (pass = 0; pass < 2; pass++) {
		struct core_buf *b = pass ? &two : &one;
		while (core_csv_next(c, &err) == 1)
			core_buf_addf(b, "%ld:%s|%s;", core_csv_line(c),
				      core_csv_get(c, 0), core_csv_get(c, 1));
		core_csv_rewind(c);
	}
	CHECK_STR(core_buf_str(&one), "2:1|2;3:x\ny|3;");
	CHECK_STR(core_buf_str(&two), core_buf_str(&one));
	core_buf_release(&one);
	core_buf_release(&two);
	core_csv_free(c);
}

/* Keys of 12 bytes, held in the caller's array as core_hset expects. */
struct keys {
	unsigned char (*k)[12];
};

static int key_eq(const void *ctx, uint32_t id, const void *key, size_t len)
{
	const struct keys *ks = ctx;

	return memcmp(ks->k[id], key, len) == 0;
}

/* The hash set and the string map against a brute-force search, with
 * many duplicates (keys drawn from a small range) and a few collisions
 * forced (every hash the same for one run). */
static void test_hash_set(void)
{
	enum { N = 20000 };
	struct keys ks;
	uint64_t rng = 12345;
	int run;

	ks.k = xmalloc(N * sizeof(*ks.k));
	for (run = 0; run < 2; run++) {
		struct core_hset set = CORE_HSET_INIT;
		struct core_strmap map = CORE_STRMAP_INIT;
		size_t i, j, bad = 0, badmap = 0;
		for (i = 0; i < N; i++) {
			long got, want = -1;
			int32_t mv, mwant = (int32_t)i;
			unsigned v =
			    (unsigned)(test_rand(&rng) * (run ? 300 : 15000));
			uint64_t h;
			memset(ks.k[i], 0, sizeof(ks.k[i]));
			snprintf((char *)ks.k[i], sizeof(ks.k[i]), "key%u", v);
			for (j = 0; j < i && want < 0; j++)
				if (memcmp(ks.k[j], ks.k[i], 12) == 0)
					want = (long)j;
			h = run ? 42 : core_hash_bytes(ks.k[i], 12);
			if (core_hset_find(&set, h, ks.k[i], 12, key_eq, &ks) !=
			    want)
				bad++;
			got = core_hset_add(&set, h, (uint32_t)i, ks.k[i], 12,
					    key_eq, &ks);
			if (got != want)
				bad++;
			if (want >= 0)
				mwant = (int32_t)want;
			mv = core_strmap_put(&map, (const char *)ks.k[i],
					     strlen((char *)ks.k[i]),
					     (int32_t)i);
			if (mv != mwant ||
			    core_strmap_get(&map, (const char *)ks.k[i],
					    strlen((char *)ks.k[i])) != mwant)
				badmap++;
			if (run && i > 2000)
				break; /* all in one chain: enough */
		}
		CHECK_INT(bad, 0);
		CHECK_INT(badmap, 0);
		CHECK_INT(core_strmap_get(&map, "nokey", 5), -1);
		CHECK_INT(core_hset_find(&set, 7, "nokey", 5, key_eq, &ks), -1);
		core_hset_release(&set);
		core_strmap_release(&map);
	}
	free(ks.k);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_seeds_file_vs_buffer),
					    TEST(test_edges),
					    TEST(test_page_boundary),
					    TEST(test_pipe),
					    TEST(test_flags),
					    TEST(test_rewind),
					    TEST(test_hash_set),
					    {NULL, NULL}};

	return test_main("csv_mmap", tests);
}
