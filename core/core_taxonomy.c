/*
 * core_taxonomy.c - load the CSV files of data/taxonomy into the workspace.
 */
#include "core/core_taxonomy.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_csv.h"
#include "core/core_mem.h"

/* Found once, kept for the process; still reachable at exit. */
static char *data_dir;

static int is_dir_with_taxonomy(const char *dir)
{
	char *p = xasprintf("%s/taxonomy/categories.csv", dir);
	struct stat sb;
	int ok = stat(p, &sb) == 0;

	free(p);
	return ok;
}

const char *core_data_dir(void)
{
	char exe[PATH_MAX];
	const char *e;
	char *cand;
	ssize_t n;
	char *slash;

	if (data_dir)
		return data_dir;
	e = getenv("ASSETMAP_DATA");
	if (e && *e)
		return data_dir = xstrdup(e);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			cand = xasprintf("%s/../share/assetmap", exe);
			if (is_dir_with_taxonomy(cand))
				return data_dir = cand;
			free(cand);
		}
	}
	if (is_dir_with_taxonomy(ASSETMAP_DATADIR))
		return data_dir = xstrdup(ASSETMAP_DATADIR);
	return data_dir = xstrdup(ASSETMAP_SRCDATA);
}

/* A column the file must have; err names file and column. */
static int need_col(struct core_csv *c, const char *name, int *out,
		    struct core_err *err)
{
	*out = core_csv_col(c, name);
	if (*out < 0)
		return core_err_set(err, CORE_EFORMAT,
				    "%s line 1: missing column '%s'",
				    core_csv_path(c), name);
	return CORE_OK;
}

static int check_code(struct core_csv *c, const char *field, const char *v,
		      struct core_err *err)
{
	const char *p;

	if (!*v)
		goto bad;
	for (p = v; *p; p++)
		if (!(islower((unsigned char)*p) ||
		      isdigit((unsigned char)*p) || *p == '_'))
			goto bad;
	return CORE_OK;
bad:
	return core_err_set(err, CORE_EFORMAT,
			    "%s line %ld, field %s: '%s' is not a valid code; "
			    "use lower-case letters, digits and '_'",
			    core_csv_path(c), core_csv_line(c), field, v);
}

static int check_color(struct core_csv *c, const char *v, struct core_err *err)
{
	size_t i;

	if (strlen(v) != 7 || v[0] != '#')
		goto bad;
	for (i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)v[i]))
			goto bad;
	return CORE_OK;
bad:
	return core_err_set(
	    err, CORE_EFORMAT,
	    "%s line %ld, field color: '%s' is not a colour; use #rrggbb",
	    core_csv_path(c), core_csv_line(c), v);
}

/* Insert rows; cols[] names the CSV columns bound to ?1..?n in order. */
static int load_table(struct core_ws *ws, const char *path, const char *sql,
		      const char *const *cols, int ncols, int code_col,
		      int color_col, struct core_err *err)
{
	struct core_csv *c;
	sqlite3_stmt *st = NULL;
	int idx[8];
	int i, rc, sort = 0;

	c = core_csv_open(path, err);
	if (!c)
		return err->code;
	for (i = 0; i < ncols; i++)
		if ((rc = need_col(c, cols[i], &idx[i], err)))
			goto cleanup;
	if ((rc = core_ws_prepare(ws, err, &st, sql)))
		goto cleanup;
	while ((rc = core_csv_next(c, err)) == 1) {
		for (i = 0; i < ncols; i++) {
			const char *v = core_csv_get(c, (size_t)idx[i]);
			if (i == code_col &&
			    (rc = check_code(c, cols[i], v, err)))
				goto cleanup;
			if (i == color_col && (rc = check_color(c, v, err)))
				goto cleanup;
			if (*v)
				sqlite3_bind_text(st, i + 1, v, -1,
						  SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, i + 1);
		}
		sqlite3_bind_int(st, ncols + 1, ++sort);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = core_err_set(err, CORE_EFORMAT, "%s line %ld: %s",
					  path, core_csv_line(c),
					  sqlite3_errmsg(ws->db));
			goto cleanup;
		}
		sqlite3_reset(st);
	}
	rc = rc < 0 ? err->code : CORE_OK;
cleanup:
	sqlite3_finalize(st);
	core_csv_free(c);
	return rc;
}

/*
 * Every data/taxonomy/crosswalk*.csv (vocabulary, term, category,
 * program, note), in file-name order, replaces the crosswalk table.
 * Terms are stored as written; matching (case, accents) is the
 * importers' business.  A category or program that does not exist is an
 * error naming the file and line.
 */
static int load_crosswalks(struct core_ws *ws, const char *dir,
			   struct core_err *err)
{
	char *tdir = xasprintf("%s/taxonomy", dir);
	struct dirent **names = NULL;
	struct core_csv *c = NULL;
	sqlite3_stmt *st = NULL;
	static const char *const cols[] = {"vocabulary", "term", "category",
					   "program", "note"};
	int idx[5], n, i, k, rc = CORE_OK;
	int64_t has;

	if ((rc = core_ws_int(
		 ws, err,
		 "SELECT count(*) FROM sqlite_master WHERE name = 'crosswalk'",
		 &has)) ||
	    !has)
		goto cleanup;
	if ((rc = core_ws_exec(ws, err, "DELETE FROM crosswalk")))
		goto cleanup;
	if ((rc = core_ws_prepare(ws, err, &st,
				  "INSERT INTO crosswalk(vocabulary, term, "
				  "category, program, note, file, line)"
				  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")))
		goto cleanup;
	n = scandir(tdir, &names, NULL, alphasort);
	for (i = 0; i < n && rc == CORE_OK; i++) {
		const char *f = names[i]->d_name;
		size_t len = strlen(f);
		char *p;

		if (strncmp(f, "crosswalk", 9) != 0 || len < 4 ||
		    strcmp(f + len - 4, ".csv") != 0)
			continue;
		p = xasprintf("%s/%s", tdir, f);
		c = core_csv_open(p, err);
		free(p);
		if (!c) {
			rc = err->code;
			break;
		}
		for (k = 0; k < 5 && rc == CORE_OK; k++)
			if (k != 4 || core_csv_col(c, cols[k]) >= 0)
				rc = need_col(c, cols[k], &idx[k], err);
			else
				idx[k] = -1;
		while (rc == CORE_OK && (rc = core_csv_next(c, err)) == 1) {
			const char *cat = core_csv_get(c, (size_t)idx[2]);
			const char *prog = core_csv_get(c, (size_t)idx[3]);
			if (!*core_csv_get(c, (size_t)idx[0]) ||
			    !*core_csv_get(c, (size_t)idx[1])) {
				rc = core_err_set(err, CORE_EFORMAT,
						  "%s line %ld: vocabulary and "
						  "term must not be empty",
						  core_csv_path(c),
						  core_csv_line(c));
				break;
			}
			if (*cat && !core_category_exists(ws, cat)) {
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "%s line %ld, field category: '%s' is not "
				    "a category; 'assetmap categories' lists "
				    "them",
				    core_csv_path(c), core_csv_line(c), cat);
				break;
			}
			if (*prog && !core_program_exists(ws, prog)) {
				rc = core_err_set(
				    err, CORE_EFORMAT,
				    "%s line %ld, field program: '%s' is not a "
				    "Medi-Cal Community Support; 'assetmap "
				    "categories --programs' lists them",
				    core_csv_path(c), core_csv_line(c), prog);
				break;
			}
			for (k = 0; k < 5; k++) {
				const char *v =
				    idx[k] >= 0
					? core_csv_get(c, (size_t)idx[k])
					: "";
				if (*v)
					sqlite3_bind_text(st, k + 1, v, -1,
							  SQLITE_TRANSIENT);
				else
					sqlite3_bind_null(st, k + 1);
			}
			sqlite3_bind_text(st, 6, f, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 7, core_csv_line(c));
			if ((rc = core_ws_step(ws, err, st)))
				break;
		}
		if (rc == 0) /* end of file */
			rc = CORE_OK;
		else if (rc < 0)
			rc = err->code;
		core_csv_free(c);
		c = NULL;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
cleanup:
	sqlite3_finalize(st);
	free(tdir);
	return rc;
}

int core_taxonomy_load(struct core_ws *ws, const char *dir,
		       struct core_err *err)
{
	static const char *const dom_cols[] = {"code", "name", "description"};
	static const char *const cat_cols[] = {"code", "name", "domain",
					       "color", "description"};
	static const char *const cs_cols[] = {"code", "name", "category",
					      "since", "description"};
	char *p;
	int rc;

	if (!dir)
		dir = core_data_dir();
	/* Programs and categories are referenced by assets: replace rows in
	 * place so existing references stay valid. */
	p = xasprintf("%s/taxonomy/sdoh_domains.csv", dir);
	rc = load_table(ws, p,
			"INSERT OR REPLACE INTO sdoh_domains(code, name, "
			"description, sort) VALUES(?1, ?2, ?3, ?4)",
			dom_cols, 3, 0, -1, err);
	free(p);
	if (rc)
		return rc;
	p = xasprintf("%s/taxonomy/categories.csv", dir);
	rc = load_table(ws, p,
			"INSERT INTO categories(code, name, domain, color, "
			"description, sort) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
			" ON CONFLICT(code) DO UPDATE SET name = "
			"excluded.name, domain = excluded.domain,"
			" color = excluded.color, description = "
			"excluded.description, sort = excluded.sort",
			cat_cols, 5, 0, 3, err);
	free(p);
	if (rc)
		return rc;
	p = xasprintf("%s/taxonomy/medi_cal_community_supports.csv", dir);
	rc = load_table(ws, p,
			"INSERT INTO programs(code, name, kind, category, "
			"since, description, sort) VALUES(?1, ?2, "
			"'community_support', ?3, ?4, ?5, ?6)"
			" ON CONFLICT(code) DO UPDATE SET name = "
			"excluded.name, category = excluded.category,"
			" since = excluded.since, description = "
			"excluded.description, sort = excluded.sort",
			cs_cols, 5, 0, -1, err);
	free(p);
	if (rc)
		return rc;
	return load_crosswalks(ws, dir, err);
}

int core_taxonomy_seed(struct core_ws *ws, struct core_err *err)
{
	return core_taxonomy_load(ws, NULL, err);
}

static int exists(struct core_ws *ws, const char *sql, const char *code)
{
	sqlite3_stmt *st;
	int found = 0, rc;

	if (sqlite3_prepare_v2(ws->db, sql, -1, &st, NULL) != SQLITE_OK) {
		core_ws_fault(ws, "looking a code up");
		return 0;
	}
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	/* "no" must not stand for "could not tell": the caller's error
	 * gives way to this one (core_ws_explain) */
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		core_ws_fault(ws, "looking a code up");
	sqlite3_finalize(st);
	return found;
}

int core_category_exists(struct core_ws *ws, const char *code)
{
	return exists(ws, "SELECT 1 FROM categories WHERE code = ?", code);
}

int core_program_exists(struct core_ws *ws, const char *code)
{
	return exists(ws, "SELECT 1 FROM programs WHERE code = ?", code);
}
