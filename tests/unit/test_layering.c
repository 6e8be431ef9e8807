/*
 * test_layering.c - the #include lines of the source keep the house's
 * order: rooms include only from the rooms beneath them (core <- geo <-
 * importers, render <- cli), and inside core/ and render/ every file
 * includes only from files ranked beneath it in the tables below.
 *
 * The order inside render/: render_map orchestrates a page and calls
 * down into its layers, furniture and context, which are siblings (none
 * includes another) and share only the map model and the primitives
 * beneath it; render_atlas, render_rainbow, render_profile and
 * render_style use render_map's public header and the primitives, never
 * the model or a piece's header.  Inside core/: the workspace is beneath the
 * taxonomy (the taxonomy fills a workspace; the workspace never needs it).
 *
 * A new file in core/ or render/ needs a line in the table: its rank is
 * where it stands in the order.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/unit/testlib.h"

/* Rooms, lowest first.  A room may include from a room of lower rank, and
 * from itself.  importers/, render/ and web/ share a rank: neither
 * includes the other. */
static const struct room {
	const char *dir;
	int rank;
} rooms[] = {
    {"core", 0},   {"geo", 1}, {"importers", 2},
    {"render", 2}, {"web", 2}, {"cli", 3},
};

/*
 * Files inside a room, by the name without .c or .h.  A file includes
 * only files of a lower rank, or of its own group (a module whose .c and
 * .h are named apart: render_out.c writes what render_file.h declares).
 * siblings: files of the same rank but another group may not include it
 * either (in core/ they may: the order there is only upward).
 * private: only the files named in private_users may include it.
 */
struct layer {
	const char *name;
	int rank;
	const char *group; /* NULL: name */
	int siblings;
	int private;
};

static const struct layer layers[] = {
    /* core/ */
    {"core_err", 0, NULL, 0, 0},
    {"core_mem", 0, NULL, 0, 0},
    {"core_progress", 0, NULL, 0, 0},
    {"core_utf8", 1, NULL, 0, 0},
    {"core_hash", 1, NULL, 0, 0},
    {"core_units", 1, NULL, 0, 0},
    {"core_csv", 1, NULL, 0, 0},
    {"core_out", 1, NULL, 0, 0},
    {"core_ws", 2, NULL, 0, 0},
    {"core_area", 3, NULL, 0, 0},
    {"core_privacy", 3, NULL, 0, 0},
    {"core_taxonomy", 3, NULL, 0, 0},
    {"core_dict", 4, NULL, 0, 0},
    {"core_result", 4, NULL, 0, 0},
    {"core_result_read", 4, "core_result", 0, 0},

    /* render/: primitives and text helpers */
    {"render_classify", 0, NULL, 1, 0},
    {"render_text", 0, NULL, 1, 0},
    {"render_palette", 0, NULL, 1, 0},
    {"render_png", 0, NULL, 1, 0},
    {"render_spec", 1, NULL, 1, 0},
    {"render_chart", 1, NULL, 1, 0},
    {"render_draw", 2, NULL, 1, 0},
    {"render_out", 2, NULL, 1, 0},
    {"render_file", 2, "render_out", 1, 0},
    {"render_indicator", 2, NULL, 1, 0},
    {"render_stamp", 3, NULL, 1, 0},
    /* the map model, then the pieces of a page, then the page */
    {"render_model", 3, NULL, 1, 1},
    {"render_layers", 4, NULL, 1, 1},
    {"render_furniture", 4, NULL, 1, 1},
    {"render_context", 4, NULL, 1, 1},
    {"render_basemap", 4, NULL, 1, 1},
    {"render_map", 5, NULL, 1, 0},
    /* what is made of maps and charts */
    {"render_atlas", 6, NULL, 1, 0},
    {"render_rainbow", 6, NULL, 1, 0},
    {"render_profile", 6, NULL, 1, 0},
    {"render_style", 6, NULL, 1, 0},
};

/* Who may include a private header (besides itself). */
static const char *const private_users[] = {
    "render_model",
    "render_layers",
    "render_furniture",
    "render_context",
    "render_map",
    "render_basemap",
    NULL,
};

static const struct room *room_of(const char *dir)
{
	size_t i;

	for (i = 0; i < sizeof(rooms) / sizeof(rooms[0]); i++)
		if (strcmp(rooms[i].dir, dir) == 0)
			return &rooms[i];
	return NULL;
}

static const struct layer *layer_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		if (strcmp(layers[i].name, name) == 0)
			return &layers[i];
	return NULL;
}

static const char *group_of(const struct layer *l)
{
	return l->group ? l->group : l->name;
}

static int private_user(const char *name)
{
	size_t i;

	for (i = 0; private_users[i]; i++)
		if (strcmp(private_users[i], name) == 0)
			return 1;
	return 0;
}

/* "render_map.c" -> "render_map" in buf. */
static void stem(const char *file, char *buf, size_t n)
{
	const char *dot = strrchr(file, '.');
	size_t len = dot ? (size_t)(dot - file) : strlen(file);

	if (len >= n)
		len = n - 1;
	memcpy(buf, file, len);
	buf[len] = '\0';
}

/* Whether dir/file, which includes "inc" (dir2/file2), breaks the order;
 * one line to out for each thing wrong.  Returns the number found. */
static size_t check_include(const char *dir, const char *file, const char *inc,
			    FILE *out)
{
	const struct room *from = room_of(dir), *to;
	const char *slash = strchr(inc, '/');
	char idir[64], self[128], target[128];
	const struct layer *a, *b;
	size_t n = 0;

	if (!slash || (size_t)(slash - inc) >= sizeof(idir)) {
		fprintf(out, "%s/%s: includes \"%s\", not from a room\n", dir,
			file, inc);
		return 1;
	}
	memcpy(idir, inc, (size_t)(slash - inc));
	idir[slash - inc] = '\0';
	to = room_of(idir);
	if (!to) {
		fprintf(out, "%s/%s: includes \"%s\", not from a room\n", dir,
			file, inc);
		return 1;
	}
	if (to != from && to->rank >= from->rank) {
		fprintf(out,
			"%s/%s: includes \"%s\": %s/ may not include from "
			"%s/ (core <- geo <- importers, render <- cli)\n",
			dir, file, inc, dir, idir);
		return 1;
	}
	stem(file, self, sizeof(self));
	stem(slash + 1, target, sizeof(target));
	b = layer_of(target);
	if (b && b->private && strcmp(target, self) != 0 &&
	    !private_user(self)) {
		fprintf(out,
			"%s/%s: includes \"%s\", private to render_map and "
			"its pieces\n",
			dir, file, inc);
		n++;
	}
	/* an unranked file is reported once, as itself */
	if (to != from || !b || !(a = layer_of(self)) ||
	    strcmp(group_of(a), group_of(b)) == 0)
		return n;
	if (b->rank > a->rank) {
		fprintf(out,
			"%s/%s: includes \"%s\", which is above it (%s rank "
			"%d, %s rank %d)\n",
			dir, file, inc, self, a->rank, target, b->rank);
		n++;
	} else if (b->rank == a->rank && (a->siblings || b->siblings)) {
		fprintf(out,
			"%s/%s: includes \"%s\", a sibling (both rank %d): "
			"share what they need beneath them\n",
			dir, file, inc, a->rank);
		n++;
	}
	return n;
}

/* Check every #include "..." line of root/dir/file. */
static size_t check_file(const char *root, const char *dir, const char *file,
			 FILE *out)
{
	char path[4096], line[1024], name[128];
	size_t n = 0;
	FILE *fp;

	stem(file, name, sizeof(name));
	if ((strcmp(dir, "core") == 0 || strcmp(dir, "render") == 0) &&
	    !layer_of(name)) {
		fprintf(
		    out,
		    "%s/%s: not in the table of tests/unit/test_layering.c; "
		    "give it its rank in the order\n",
		    dir, file);
		n++;
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, file);
	if (!(fp = fopen(path, "r"))) {
		fprintf(out, "%s: cannot read\n", path);
		return n + 1;
	}
	while (fgets(line, sizeof(line), fp)) {
		const char *p = line, *q;
		char inc[512];

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '#')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "include", 7) != 0)
			continue;
		p += 7;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '"' || !(q = strchr(p + 1, '"')) ||
		    (size_t)(q - p - 1) >= sizeof(inc))
			continue;
		memcpy(inc, p + 1, (size_t)(q - p - 1));
		inc[q - p - 1] = '\0';
		n += check_include(dir, file, inc, out);
	}
	fclose(fp);
	return n;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check every .c and .h of every room under root; what is wrong, one
 * line each, into out.  Returns the number of things wrong. */
static size_t check_tree(const char *root, FILE *out)
{
	size_t r, n = 0;

	for (r = 0; r < sizeof(rooms) / sizeof(rooms[0]); r++) {
		char path[4096], **names = NULL;
		size_t k, count = 0;
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", root, rooms[r].dir);
		if (!(d = opendir(path)))
			continue; /* a room not built yet (web/) */
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			if (len < 3 || e->d_name[0] == '.' ||
			    (strcmp(e->d_name + len - 2, ".c") != 0 &&
			     strcmp(e->d_name + len - 2, ".h") != 0))
				continue;
			names = realloc(names, (count + 1) * sizeof(*names));
			if (!names)
				abort();
			names[count++] = strdup(e->d_name);
		}
		closedir(d);
		if (count)
			qsort(names, count, sizeof(*names), cmp_names);
		for (k = 0; k < count; k++) {
			n += check_file(root, rooms[r].dir, names[k], out);
			free(names[k]);
		}
		free(names);
	}
	return n;
}

/* check_tree of root, and what it said (caller frees). */
static char *check(const char *root, size_t *n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		abort();
	*n = check_tree(root, out);
	fclose(out);
	return text;
}

/* ---------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------ */

static void test_source_keeps_the_order(void)
{
	size_t n;
	char *text = check(TEST_SRCDIR, &n);

	if (n)
		test_fail(__FILE__, __LINE__,
			  "%zu includes break the order:\n%s", n, text);
	free(text);
}

static void put(const char *root, const char *rel, const char *text)
{
	char path[4096], dir[4096], *slash;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir(dir, 0755);
	fp = fopen(path, "w");
	if (!fp) {
		test_fail(__FILE__, __LINE__, "cannot write %s", path);
		return;
	}
	fputs(text, fp);
	fclose(fp);
}

#define CHECK_SAYS(text, want)                                                 \
	do {                                                                   \
		if (!strstr((text), (want)))                                   \
			test_fail(__FILE__, __LINE__,                          \
				  "the report does not say \"%s\":\n%s",       \
				  (want), (text));                             \
	} while (0)

/* A tree that breaks every rule: each break is named, with its file and
 * its include, and what keeps the rules is not. */
static void test_breaks_are_named(void)
{
	const char *root = test_path("tree");
	size_t n;
	char *text;

	mkdir(root, 0755);
	put(root, "core/core_ws.c",
	    "#include \"core/core_ws.h\"\n#include \"core/core_mem.h\"\n"
	    "#include \"core/core_taxonomy.h\"\n#include <sqlite3.h>\n");
	put(root, "core/core_taxonomy.c",
	    "#include \"core/core_taxonomy.h\"\n#include \"core/core_ws.h\"\n");
	put(root, "core/core_area.c",
	    "#include \"core/core_area.h\"\n#include \"core/core_privacy.h\"\n"
	    "  #  include \"geo/geo_proj.h\"\n");
	put(root, "core/core_new.c", "#include \"core/core_err.h\"\n");
	put(root, "geo/geo_x.c", "#include \"render/render_map.h\"\n");
	put(root, "importers/imp_x.c",
	    "#include \"geo/geo_proj.h\"\n#include \"render/render_text.h\"\n");
	put(root, "render/render_layers.c",
	    "#include \"render/render_layers.h\"\n"
	    "#include \"render/render_model.h\"\n"
	    "#include \"render/render_furniture.h\"\n"
	    "#include \"render/render_map.h\"\n"
	    "/* #include \"render/render_context.h\" in a comment: no line "
	    "*/\n");
	put(root, "render/render_out.c",
	    "#include \"render/render_file.h\"\n#include "
	    "\"render/render_png.h\"\n");
	put(root, "render/render_atlas.c",
	    "#include \"render/render_map.h\"\n#include "
	    "\"render/render_model.h\"\n");
	put(root, "cli/cmd_x.c",
	    "#include \"cli/cli.h\"\n#include \"render/render_map.h\"\n"
	    "#include \"tests/unit/testlib.h\"\n");
	text = check(root, &n);
	CHECK_SAYS(text, "core/core_ws.c: includes \"core/core_taxonomy.h\", "
			 "which is above it (core_ws rank 2, core_taxonomy "
			 "rank 3)");
	CHECK_SAYS(text, "core/core_area.c: includes \"geo/geo_proj.h\": core/ "
			 "may not include from geo/");
	CHECK_SAYS(text, "core/core_new.c: not in the table");
	CHECK_SAYS(text, "geo/geo_x.c: includes \"render/render_map.h\": geo/ "
			 "may not include from render/");
	CHECK_SAYS(text,
		   "importers/imp_x.c: includes \"render/render_text.h\": "
		   "importers/ may not include from render/");
	CHECK_SAYS(text,
		   "render/render_layers.c: includes "
		   "\"render/render_furniture.h\", a sibling (both rank 4)");
	CHECK_SAYS(text, "render/render_layers.c: includes "
			 "\"render/render_map.h\", which is above it "
			 "(render_layers rank 4, render_map rank 5)");
	CHECK_SAYS(text, "render/render_atlas.c: includes "
			 "\"render/render_model.h\", private to render_map");
	CHECK_SAYS(text, "cli/cmd_x.c: includes \"tests/unit/testlib.h\", not "
			 "from a room");
	/* what keeps the rules is not reported */
	if (strstr(text, "core_taxonomy.c") || strstr(text, "render_out.c") ||
	    strstr(text, "core_privacy") || strstr(text, "render_context") ||
	    strstr(text, "cli/cli.h") ||
	    strstr(text, "imp_x.c: includes \"geo"))
		test_fail(__FILE__, __LINE__, "reports a kept rule:\n%s", text);
	if (n != 9)
		test_fail(__FILE__, __LINE__, "%zu breaks, want 9:\n%s", n,
			  text);
	free(text);
}

int main(void)
{
	static const struct test tests[] = {TEST(test_source_keeps_the_order),
					    TEST(test_breaks_are_named),
					    {NULL, NULL}};

	return test_main("layering", tests);
}
