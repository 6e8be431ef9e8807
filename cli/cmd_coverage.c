/*
 * cmd_coverage.c - assetmap coverage: how many people (a cohort's, or the
 * population's) live within a distance of at least one asset of each
 * category, overall and per area, and how many assets each person has
 * within that distance.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_analysis.h"
#include "cli/cli_opt.h"
#include "cli/cli_table.h"
#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_result.h"
#include "geo/geo_kd.h"

#define CMD	       "coverage"
#define DEFAULT_WITHIN "1mi"

/* What the command line gives. */
struct coverage_opts {
	struct cli_analysis a;
	struct cli_quantity within; /* metres, and the text given */
};

#define O struct coverage_opts

const struct cli_opt cmd_coverage_options[] = {
    CLI_OPT_TEXT(
	"usage: assetmap [-d WORKSPACE] coverage [--cohort NAME] [--areas "
	"LEVEL]\n"
	"                [--category C[,C...]] [--within D] [filters]\n"
	"                [--units mi|km|m] [--format table|csv|json]\n"
	"\n"
	"How many people live within D of at least one asset of each "
	"category:\n"
	"the people of a cohort, or, without --cohort, the population of the\n"
	"areas (each area counted at its point: the population-weighted "
	"centroid\n"
	"of its block groups when the workspace has block-group population, "
	"else\n"
	"its geometric centroid).  Distances are straight lines in the\n"
	"workspace's analysis CRS; an asset at exactly D counts as within.\n"
	"\n"
	"For each person it keeps, inside the workspace, the number of assets\n"
	"of each category within D (never printed or exported).  Per area it\n"
	"stores the people (n), how many are covered and the share; with more\n"
	"than one category also how many are covered by every one of them\n"
	"('all').  Counts of 1 to 10 people show as <11, and a count that "
	"would\n"
	"give one away by subtraction is hidden too.\n"
	"\n"),
    CLI_OPT_DISTANCE_TEXT("within", 0, "D", O, within,
			  "the distance, with its unit (500m, 2mi, 3km;\n"
			  "default " DEFAULT_WITHIN ")"),
    CLI_OPT_TEXT("\n"),
    CLI_OPT_INCLUDE(cli_analysis_options, O, a),
    CLI_OPT_TEXT("\n"
		 "examples:\n"
		 "  assetmap coverage --cohort asthma-kids --category "
		 "primary_care --within 2mi\n"
		 "  assetmap coverage --category food,housing --within 1km "
		 "--units km\n"),
    CLI_OPT_END()};

#undef O

/* One summary row for people (cohort): covered / not covered with
 * complementary suppression, into the table and the JSON summary. */
static void cohort_row(struct cli_table *t, json_object *jcats,
		       const char *label, size_t nassets, int64_t covered,
		       int64_t people)
{
	int64_t cells[2] = {covered, people - covered};
	enum core_privacy_mark marks[2];
	char assets_text[32], people_text[32], covered_text[32],
	    not_covered_text[32], share_text[32];
	int hide_total = core_privacy_row(cells, 2, 1, marks);
	json_object *jc = json_object_new_object();
	const char *row[6];

	if (nassets == (size_t)-1)
		snprintf(assets_text, sizeof(assets_text), "-");
	else
		snprintf(assets_text, sizeof(assets_text), "%zu", nassets);
	/* core_privacy_cell shows a small count as "<11" whatever its mark;
	 * a small total makes a part small too, so the share goes with it */
	core_privacy_cell(
	    people, hide_total ? CORE_PRIVACY_COMPLEMENT : CORE_PRIVACY_SHOW, 0,
	    people_text, sizeof(people_text));
	core_privacy_cell(cells[0], marks[0], 0, covered_text,
			  sizeof(covered_text));
	core_privacy_cell(cells[1], marks[1], 0, not_covered_text,
			  sizeof(not_covered_text));
	if (marks[0] != CORE_PRIVACY_SHOW || marks[1] != CORE_PRIVACY_SHOW ||
	    hide_total)
		snprintf(share_text, sizeof(share_text), "%s",
			 CORE_PRIVACY_HIDDEN_TEXT);
	else
		cli_format_share(people ? (double)covered / (double)people
					: NAN,
				 share_text, sizeof(share_text));
	row[0] = label;
	row[1] = assets_text;
	row[2] = people_text;
	row[3] = covered_text;
	row[4] = share_text;
	row[5] = not_covered_text;
	cli_table_add(t, row);
	json_object_object_add(jc, "category", json_object_new_string(label));
	json_object_object_add(jc, "people",
			       json_object_new_string(people_text));
	json_object_object_add(jc, "covered",
			       json_object_new_string(covered_text));
	json_object_object_add(jc, "share", json_object_new_string(share_text));
	json_object_object_add(jc, "not_covered",
			       json_object_new_string(not_covered_text));
	json_object_array_add(jcats, jc);
}

/* Everything one run of the command holds, from parse to print. */
struct coverage_job {
	struct coverage_opts o;
	struct cli_inputs in;
	int with_all;	    /* more than one category: also "all" */
	int64_t **count;    /* [ncats][in.n] assets within D */
	unsigned char *all; /* [in.n] 1: every category within D */
	struct cli_table *t;
	struct cli_run run;
};

/* Assets within D of every point, per category, on every core. */
static void count_within(struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	uint32_t *order = NULL; /* the people are in spatial order already */
	size_t *cnt, i, c;

	j->count = xcalloc(o->a.ncats, sizeof(*j->count));
	cnt = xmalloc((in->n ? in->n : 1) * sizeof(size_t));
	j->all = xmalloc(in->n ? in->n : 1);
	memset(j->all, 1, in->n ? in->n : 1);
	for (c = 0; c < o->a.ncats; c++) {
		const struct geo_supply *s = &in->supply[c];
		struct geo_kd *kd = geo_kd_new(s->x, s->y, s->n);

		j->count[c] = xmalloc((in->n ? in->n : 1) * sizeof(int64_t));
		if (in->n)
			geo_kd_count_within_all(kd, in->x, in->y, in->n,
						o->within.value, order, cnt);
		for (i = 0; i < in->n; i++) {
			j->count[c][i] = (int64_t)cnt[i];
			if (!cnt[i])
				j->all[i] = 0;
		}
		geo_kd_free(kd);
	}

	free(cnt);
}

/* Begin the run; with a cohort, store each member's counts. */
static int begin(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t c;
	int rc;

	j->run.params =
	    cli_analysis_params_json(&o->a, "within_m", o->within.value);
	if ((rc = cli_run_begin(ctx, CMD, in->areas->n ? o->a.areas : NULL,
				o->a.cohort, &j->run)) ||
	    (rc = core_result_writer_new(ctx->ws, j->run.id, &j->run.w,
					 &ctx->err)))
		return rc;
	if (o->a.cohort) {
		if ((rc = core_result_column_put(ctx->ws, j->run.id,
						 "member_id", "i8", in->n,
						 in->members->id, &ctx->err)))
			return rc;
		for (c = 0; c < o->a.ncats; c++) {
			char name[160];
			snprintf(name, sizeof(name), "count_%s", o->a.cats[c]);
			if ((rc = core_result_column_put(
				 ctx->ws, j->run.id, name, "i8", in->n,
				 j->count[c], &ctx->err)))
				return rc;
		}
		if ((rc = core_result_info_add(ctx->ws, j->run.id, "n",
					       CORE_RK_COHORT_COUNT, NULL,
					       "People", 0, &ctx->err)))
			return rc;
	} else if ((rc = core_result_info_add(ctx->ws, j->run.id, "population",
					      CORE_RK_POPULATION, NULL,
					      "Population", 0, &ctx->err))) {
		return rc;
	}
	return CORE_OK;
}

/* Name and label the per-area columns. */
static int describe_columns(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	size_t c;
	int rc;

	for (c = 0; c < o->a.ncats + (size_t)j->with_all; c++) {
		const char *cat = c < o->a.ncats ? o->a.cats[c] : "all";
		char n1[160], n2[160], l1[256], l2[256], basis[200], ws_[32];

		core_units_format(o->within.value, o->a.units, ws_,
				  sizeof(ws_));
		if (o->a.cohort) {
			snprintf(n1, sizeof(n1), "covered_%s", cat);
			snprintf(l1, sizeof(l1), "People within %s of %s%s",
				 ws_,
				 c < o->a.ncats ? "" : "every category: ", cat);
			snprintf(n2, sizeof(n2), "share_%s", cat);
			snprintf(l2, sizeof(l2), "Share within %s of %s", ws_,
				 cat);
			snprintf(basis, sizeof(basis), "covered_%s,n", cat);
			if ((rc = core_result_info_add(
				 ctx->ws, j->run.id, n1, CORE_RK_COHORT_COUNT,
				 NULL, l1, (int)(2 * c + 1), &ctx->err)) ||
			    (rc = core_result_info_add(
				 ctx->ws, j->run.id, n2, CORE_RK_COHORT_STAT,
				 basis, l2, (int)(2 * c + 2), &ctx->err)))
				return rc;
		} else {
			snprintf(n1, sizeof(n1), "count_%s", cat);
			snprintf(l1, sizeof(l1), "Assets of %s within %s", cat,
				 ws_);
			snprintf(n2, sizeof(n2), "covered_%s", cat);
			snprintf(l2, sizeof(l2), "Population within %s of %s",
				 ws_, cat);
			if ((c < o->a.ncats &&
			     (rc = core_result_info_add(
				  ctx->ws, j->run.id, n1, CORE_RK_VALUE, NULL,
				  l1, (int)(2 * c + 1), &ctx->err))) ||
			    (rc = core_result_info_add(
				 ctx->ws, j->run.id, n2, CORE_RK_POPULATION,
				 NULL, l2, (int)(2 * c + 2), &ctx->err)))
				return rc;
		}
	}

	return CORE_OK;
}

/*
 * The values per area: with a cohort its people (n), covered and share;
 * else the population, the count of assets and the population covered.
 */
static int store_areas(struct cli_ctx *ctx, struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t i, c;
	int rc = CORE_OK;

	/* per area */
	{
		size_t na = in->areas->n, nv = o->a.ncats + (size_t)j->with_all;
		int64_t *people = xcalloc(na + 1, sizeof(int64_t));
		int64_t *cov = xcalloc((na + 1) * nv, sizeof(int64_t));

		if (o->a.cohort) {
			for (i = 0; i < in->n; i++) {
				int32_t k = in->area[i];
				if (k < 0 || isnan(in->x[i]))
					continue;
				people[k]++;
				for (c = 0; c < o->a.ncats; c++)
					if (j->count[c][i])
						cov[(size_t)k * nv + c]++;
				if (j->with_all && j->all[i])
					cov[(size_t)k * nv + o->a.ncats]++;
			}
		}
		for (i = 0; i < na && rc == CORE_OK; i++) {
			const char *g = in->areas->geoid[i];
			double pop = in->areas->population[i];

			if (!o->a.cohort) {
				rc = core_result_area_put(
				    j->run.w, g, "population", pop, &ctx->err);
				for (c = 0; c < nv && rc == CORE_OK; c++) {
					const char *cat = c < o->a.ncats
							      ? o->a.cats[c]
							      : "all";
					int yes = c < o->a.ncats
						      ? j->count[c][i] > 0
						      : j->all[i];
					char n1[160], n2[160];
					snprintf(n1, sizeof(n1), "count_%s",
						 cat);
					snprintf(n2, sizeof(n2), "covered_%s",
						 cat);
					if (c < o->a.ncats && isnan(in->x[i]))
						rc = core_result_area_put(
						    j->run.w, g, n1, NAN,
						    &ctx->err);
					else if (c < o->a.ncats)
						rc = core_result_area_put(
						    j->run.w, g, n1,
						    (double)j->count[c][i],
						    &ctx->err);
					if (rc == CORE_OK)
						rc = core_result_area_put(
						    j->run.w, g, n2,
						    isnan(in->x[i]) ? NAN
						    : yes	    ? pop
								    : 0,
						    &ctx->err);
				}
				continue;
			}
			rc = core_result_area_put(j->run.w, g, "n",
						  (double)people[i], &ctx->err);
			for (c = 0; c < nv && rc == CORE_OK; c++) {
				const char *cat =
				    c < o->a.ncats ? o->a.cats[c] : "all";
				char n1[160], n2[160];
				int64_t k = cov[i * nv + c];
				snprintf(n1, sizeof(n1), "covered_%s", cat);
				snprintf(n2, sizeof(n2), "share_%s", cat);
				rc = core_result_area_put(j->run.w, g, n1,
							  (double)k, &ctx->err);
				if (rc == CORE_OK)
					rc = core_result_area_put(
					    j->run.w, g, n2,
					    people[i]
						? (double)k / (double)people[i]
						: NAN,
					    &ctx->err);
			}
		}
		free(people);
		free(cov);
		if (rc)
			return rc;
	}

	return CORE_OK;
}

/* The summary over every point with a location: j->t and
 * j->run.summary. */
static void summarise(struct coverage_job *j)
{
	const struct coverage_opts *o = &j->o;
	const struct cli_inputs *in = &j->in;
	size_t i, c;

	/* The summary over every point with a location. */
	{
		static const char *const ccols[] = {
		    "category", "assets",	 "people",
		    "covered",	"share covered", "not covered"};
		static const char *const acols[] = {
		    "category",	  "assets",  "areas",
		    "population", "covered", "share covered"};
		json_object *jcats = json_object_new_array();
		char h_cov[64], ws_[32];
		const char *cols[6];

		core_units_format(o->within.value, o->a.units, ws_,
				  sizeof(ws_));
		snprintf(h_cov, sizeof(h_cov), "within %s", ws_);
		memcpy(cols, o->a.cohort ? ccols : acols, sizeof(cols));
		cols[o->a.cohort ? 3 : 4] = h_cov;
		j->t = cli_table_new(6, cols, "snnnnn");
		j->run.summary = json_object_new_object();
		json_object_object_add(j->run.summary, "within_m",
				       json_object_new_double(o->within.value));
		for (c = 0; c < o->a.ncats + (size_t)j->with_all; c++) {
			const char *cat = c < o->a.ncats ? o->a.cats[c] : "all";
			size_t nassets =
			    c < o->a.ncats ? in->supply[c].n : (size_t)-1;

			if (o->a.cohort) {
				int64_t people = 0, covered = 0;
				for (i = 0; i < in->n; i++) {
					if (isnan(in->x[i]))
						continue;
					people++;
					if (c < o->a.ncats ? j->count[c][i] > 0
							   : j->all[i])
						covered++;
				}
				cohort_row(j->t, jcats, cat, nassets, covered,
					   people);
			} else {
				double pop = 0, covered = 0;
				size_t nareas = 0;
				char assets_text[32], areas_text[32],
				    population_text[32], covered_text[32],
				    share_text[32];
				json_object *jc = json_object_new_object();
				for (i = 0; i < in->n; i++) {
					double wgt = in->areas->population[i];
					if (isnan(in->x[i]))
						continue;
					nareas++;
					if (!(wgt > 0))
						continue;
					pop += wgt;
					if (c < o->a.ncats ? j->count[c][i] > 0
							   : j->all[i])
						covered += wgt;
				}
				if (nassets == (size_t)-1)
					snprintf(assets_text,
						 sizeof(assets_text), "-");
				else
					snprintf(assets_text,
						 sizeof(assets_text), "%zu",
						 nassets);
				snprintf(areas_text, sizeof(areas_text), "%zu",
					 nareas);
				snprintf(population_text,
					 sizeof(population_text), "%.0f", pop);
				snprintf(covered_text, sizeof(covered_text),
					 "%.0f", covered);
				cli_format_share(pop > 0 ? covered / pop : NAN,
						 share_text,
						 sizeof(share_text));
				{
					const char *row[6] = {
					    cat,	  assets_text,
					    areas_text,	  population_text,
					    covered_text, share_text};
					cli_table_add(j->t, row);
				}
				json_object_object_add(
				    jc, "category",
				    json_object_new_string(cat));
				json_object_object_add(
				    jc, "population",
				    json_object_new_double(pop));
				json_object_object_add(
				    jc, "covered",
				    json_object_new_double(covered));
				json_object_array_add(jcats, jc);
			}
		}
		json_object_object_add(j->run.summary, "categories", jcats);
		json_object_object_add(
		    j->run.summary, "points",
		    json_object_new_string(cli_inputs_points_note(in)));
	}
}

/* assetmap coverage [--within D] [analysis options]: count, for every
 * person of the cohort (or every area's point), the assets of each
 * category within D in straight lines (default 1 mile); store a run with
 * the per-area values (and, with a cohort, each member's counts) and a
 * summary; then note what was measured and print the summary table per
 * category (and over all of them, with more than one) on ctx->out.
 * Returns 0, or a code with ctx->err set (a usage error, or the error of
 * loading the inputs or storing the run, which then is not kept). */
int cmd_coverage(struct cli_ctx *ctx, int argc, char **argv)
{
	struct coverage_job j;
	enum cli_format fmt = CLI_FMT_TABLE;
	size_t c;
	int rc;

	memset(&j, 0, sizeof(j));
	cli_analysis_init(&j.o.a);
	j.o.within.value = CORE_M_PER_MI;
	j.o.within.text = DEFAULT_WITHIN;
	if ((rc = cli_opt_parse(ctx, CMD, cmd_coverage_options, &j.o, argc,
				argv, NULL)) ||
	    (rc = cli_analysis_prepare(ctx, CMD, &j.o.a, &fmt, &j.in)))
		goto cleanup;
	j.with_all = j.o.a.ncats > 1;
	count_within(&j);
	cli_analysis_lap("counts within");
	cli_analysis_cache(ctx, j.in.n);
	if ((rc = begin(ctx, &j)) || (rc = describe_columns(ctx, &j)) ||
	    (rc = store_areas(ctx, &j)))
		goto cleanup;
	cli_analysis_lap("values");
	summarise(&j);
	if ((rc = cli_run_commit(ctx, &j.run)))
		goto cleanup;
	cli_analysis_lap("summary and commit");

	cli_inputs_note(ctx, CMD, &j.o.a, &j.in);
	cli_note(ctx, "covered: within %s, in straight lines in %s\n",
		 j.o.within.text, geo_proj_label(j.in.proj));
	cli_table_print(j.t, ctx->out, fmt);
	cli_run_stored_note(ctx, j.run.id);
cleanup:
	cli_run_release(ctx, &j.run);
	cli_table_free(j.t);
	if (j.count)
		for (c = 0; c < j.o.a.ncats; c++)
			free(j.count[c]);
	free(j.count);
	free(j.all);
	cli_inputs_release(&j.in);
	cli_analysis_release(&j.o.a);
	return rc;
}
