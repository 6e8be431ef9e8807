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
	struct cli_measure within; /* metres, and the text given */
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
	char sa[32], sp[32], sc[32], sn[32], ss[32];
	int hide_total = core_privacy_row(cells, 2, 1, marks);
	json_object *jc = json_object_new_object();
	const char *row[6];

	if (nassets == (size_t)-1)
		snprintf(sa, sizeof(sa), "-");
	else
		snprintf(sa, sizeof(sa), "%zu", nassets);
	/* core_privacy_cell shows a small count as "<11" whatever its mark;
	 * a small total makes a part small too, so the share goes with it */
	core_privacy_cell(
	    people, hide_total ? CORE_PRIVACY_COMPLEMENT : CORE_PRIVACY_SHOW, 0,
	    sp, sizeof(sp));
	core_privacy_cell(cells[0], marks[0], 0, sc, sizeof(sc));
	core_privacy_cell(cells[1], marks[1], 0, sn, sizeof(sn));
	if (marks[0] != CORE_PRIVACY_SHOW || marks[1] != CORE_PRIVACY_SHOW ||
	    hide_total)
		snprintf(ss, sizeof(ss), "%s", CORE_PRIVACY_HIDDEN_TEXT);
	else
		cli_format_share(people ? (double)covered / (double)people
					: NAN,
				 ss, sizeof(ss));
	row[0] = label;
	row[1] = sa;
	row[2] = sp;
	row[3] = sc;
	row[4] = ss;
	row[5] = sn;
	cli_table_add(t, row);
	json_object_object_add(jc, "category", json_object_new_string(label));
	json_object_object_add(jc, "people", json_object_new_string(sp));
	json_object_object_add(jc, "covered", json_object_new_string(sc));
	json_object_object_add(jc, "share", json_object_new_string(ss));
	json_object_object_add(jc, "not_covered", json_object_new_string(sn));
	json_object_array_add(jcats, jc);
}

int cmd_coverage(struct cli_ctx *ctx, int argc, char **argv)
{
	struct coverage_opts o;
	struct cli_inputs in;
	int64_t **count = NULL;
	unsigned char *all = NULL;
	struct cli_run run = {0};
	struct cli_table *t = NULL;
	enum cli_format fmt = CLI_FMT_TABLE;
	uint32_t *order = NULL;
	size_t *cnt = NULL;
	size_t i, c;
	int rc = CORE_OK, with_all;

	cli_analysis_init(&o.a);
	o.within.value = CORE_M_PER_MI;
	o.within.text = DEFAULT_WITHIN;
	memset(&in, 0, sizeof(in));
	if ((rc = cli_opt_parse(ctx, CMD, cmd_coverage_options, &o, argc, argv,
				NULL)) ||
	    (rc = cli_analysis_prepare(ctx, CMD, &o.a, &fmt, &in)))
		goto cleanup;
	with_all = o.a.ncats > 1;

	/* Assets within D of every point, per category, on every core. */
	count = xcalloc(o.a.ncats, sizeof(*count));
	cnt = xmalloc((in.n ? in.n : 1) * sizeof(size_t));
	order = NULL; /* the people are in spatial order already */
	all = xmalloc(in.n ? in.n : 1);
	memset(all, 1, in.n ? in.n : 1);
	for (c = 0; c < o.a.ncats; c++) {
		const struct geo_supply *s = &in.supply[c];
		struct geo_kd *kd = geo_kd_new(s->x, s->y, s->n);

		count[c] = xmalloc((in.n ? in.n : 1) * sizeof(int64_t));
		if (in.n)
			geo_kd_count_within_all(kd, in.x, in.y, in.n,
						o.within.value, order, cnt);
		for (i = 0; i < in.n; i++) {
			count[c][i] = (int64_t)cnt[i];
			if (!cnt[i])
				all[i] = 0;
		}
		geo_kd_free(kd);
	}

	cli_analysis_lap("counts within");
	cli_analysis_cache(ctx, in.n);
	run.params = cli_analysis_params_new(&o.a, "within_m", o.within.value);
	if ((rc = cli_run_begin(ctx, CMD, in.areas->n ? o.a.areas : NULL,
				o.a.cohort, &run)) ||
	    (rc = core_result_writer_new(ctx->ws, run.id, &run.w, &ctx->err)))
		goto cleanup;
	if (o.a.cohort) {
		if ((rc = core_result_column_put(ctx->ws, run.id, "member_id",
						 "i8", in.n, in.members->id,
						 &ctx->err)))
			goto cleanup;
		for (c = 0; c < o.a.ncats; c++) {
			char name[160];
			snprintf(name, sizeof(name), "count_%s", o.a.cats[c]);
			if ((rc = core_result_column_put(ctx->ws, run.id, name,
							 "i8", in.n, count[c],
							 &ctx->err)))
				goto cleanup;
		}
		if ((rc = core_result_info_add(ctx->ws, run.id, "n",
					       CORE_RK_COHORT_COUNT, NULL,
					       "People", 0, &ctx->err)))
			goto cleanup;
	} else if ((rc = core_result_info_add(ctx->ws, run.id, "population",
					      CORE_RK_POPULATION, NULL,
					      "Population", 0, &ctx->err))) {
		goto cleanup;
	}
	for (c = 0; c < o.a.ncats + (size_t)with_all; c++) {
		const char *cat = c < o.a.ncats ? o.a.cats[c] : "all";
		char n1[160], n2[160], l1[256], l2[256], basis[200], ws_[32];

		core_units_format(o.within.value, o.a.units, ws_, sizeof(ws_));
		if (o.a.cohort) {
			snprintf(n1, sizeof(n1), "covered_%s", cat);
			snprintf(l1, sizeof(l1), "People within %s of %s%s",
				 ws_,
				 c < o.a.ncats ? "" : "every category: ", cat);
			snprintf(n2, sizeof(n2), "share_%s", cat);
			snprintf(l2, sizeof(l2), "Share within %s of %s", ws_,
				 cat);
			snprintf(basis, sizeof(basis), "covered_%s,n", cat);
			if ((rc = core_result_info_add(
				 ctx->ws, run.id, n1, CORE_RK_COHORT_COUNT,
				 NULL, l1, (int)(2 * c + 1), &ctx->err)) ||
			    (rc = core_result_info_add(
				 ctx->ws, run.id, n2, CORE_RK_COHORT_STAT,
				 basis, l2, (int)(2 * c + 2), &ctx->err)))
				goto cleanup;
		} else {
			snprintf(n1, sizeof(n1), "count_%s", cat);
			snprintf(l1, sizeof(l1), "Assets of %s within %s", cat,
				 ws_);
			snprintf(n2, sizeof(n2), "covered_%s", cat);
			snprintf(l2, sizeof(l2), "Population within %s of %s",
				 ws_, cat);
			if ((c < o.a.ncats &&
			     (rc = core_result_info_add(
				  ctx->ws, run.id, n1, CORE_RK_VALUE, NULL, l1,
				  (int)(2 * c + 1), &ctx->err))) ||
			    (rc = core_result_info_add(
				 ctx->ws, run.id, n2, CORE_RK_POPULATION, NULL,
				 l2, (int)(2 * c + 2), &ctx->err)))
				goto cleanup;
		}
	}

	/* per area */
	{
		size_t na = in.areas->n, nv = o.a.ncats + (size_t)with_all;
		int64_t *people = xcalloc(na + 1, sizeof(int64_t));
		int64_t *cov = xcalloc((na + 1) * nv, sizeof(int64_t));

		if (o.a.cohort) {
			for (i = 0; i < in.n; i++) {
				int32_t k = in.area[i];
				if (k < 0 || isnan(in.x[i]))
					continue;
				people[k]++;
				for (c = 0; c < o.a.ncats; c++)
					if (count[c][i])
						cov[(size_t)k * nv + c]++;
				if (with_all && all[i])
					cov[(size_t)k * nv + o.a.ncats]++;
			}
		}
		for (i = 0; i < na && rc == CORE_OK; i++) {
			const char *g = in.areas->geoid[i];
			double pop = in.areas->population[i];

			if (!o.a.cohort) {
				rc = core_result_area_put(
				    run.w, g, "population", pop, &ctx->err);
				for (c = 0; c < nv && rc == CORE_OK; c++) {
					const char *cat =
					    c < o.a.ncats ? o.a.cats[c] : "all";
					int yes = c < o.a.ncats
						      ? count[c][i] > 0
						      : all[i];
					char n1[160], n2[160];
					snprintf(n1, sizeof(n1), "count_%s",
						 cat);
					snprintf(n2, sizeof(n2), "covered_%s",
						 cat);
					if (c < o.a.ncats && isnan(in.x[i]))
						rc = core_result_area_put(
						    run.w, g, n1, NAN,
						    &ctx->err);
					else if (c < o.a.ncats)
						rc = core_result_area_put(
						    run.w, g, n1,
						    (double)count[c][i],
						    &ctx->err);
					if (rc == CORE_OK)
						rc = core_result_area_put(
						    run.w, g, n2,
						    isnan(in.x[i]) ? NAN
						    : yes	   ? pop
								   : 0,
						    &ctx->err);
				}
				continue;
			}
			rc = core_result_area_put(run.w, g, "n",
						  (double)people[i], &ctx->err);
			for (c = 0; c < nv && rc == CORE_OK; c++) {
				const char *cat =
				    c < o.a.ncats ? o.a.cats[c] : "all";
				char n1[160], n2[160];
				int64_t k = cov[i * nv + c];
				snprintf(n1, sizeof(n1), "covered_%s", cat);
				snprintf(n2, sizeof(n2), "share_%s", cat);
				rc = core_result_area_put(run.w, g, n1,
							  (double)k, &ctx->err);
				if (rc == CORE_OK)
					rc = core_result_area_put(
					    run.w, g, n2,
					    people[i]
						? (double)k / (double)people[i]
						: NAN,
					    &ctx->err);
			}
		}
		free(people);
		free(cov);
		if (rc)
			goto cleanup;
	}

	cli_analysis_lap("values");
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

		core_units_format(o.within.value, o.a.units, ws_, sizeof(ws_));
		snprintf(h_cov, sizeof(h_cov), "within %s", ws_);
		memcpy(cols, o.a.cohort ? ccols : acols, sizeof(cols));
		cols[o.a.cohort ? 3 : 4] = h_cov;
		t = cli_table_new(6, cols, "snnnnn");
		run.summary = json_object_new_object();
		json_object_object_add(run.summary, "within_m",
				       json_object_new_double(o.within.value));
		for (c = 0; c < o.a.ncats + (size_t)with_all; c++) {
			const char *cat = c < o.a.ncats ? o.a.cats[c] : "all";
			size_t nassets =
			    c < o.a.ncats ? in.supply[c].n : (size_t)-1;

			if (o.a.cohort) {
				int64_t people = 0, covered = 0;
				for (i = 0; i < in.n; i++) {
					if (isnan(in.x[i]))
						continue;
					people++;
					if (c < o.a.ncats ? count[c][i] > 0
							  : all[i])
						covered++;
				}
				cohort_row(t, jcats, cat, nassets, covered,
					   people);
			} else {
				double pop = 0, covered = 0;
				size_t nareas = 0;
				char sa[32], sn[32], sp[32], sc[32], ss[32];
				json_object *jc = json_object_new_object();
				for (i = 0; i < in.n; i++) {
					double wgt = in.areas->population[i];
					if (isnan(in.x[i]))
						continue;
					nareas++;
					if (!(wgt > 0))
						continue;
					pop += wgt;
					if (c < o.a.ncats ? count[c][i] > 0
							  : all[i])
						covered += wgt;
				}
				if (nassets == (size_t)-1)
					snprintf(sa, sizeof(sa), "-");
				else
					snprintf(sa, sizeof(sa), "%zu",
						 nassets);
				snprintf(sn, sizeof(sn), "%zu", nareas);
				snprintf(sp, sizeof(sp), "%.0f", pop);
				snprintf(sc, sizeof(sc), "%.0f", covered);
				cli_format_share(pop > 0 ? covered / pop : NAN,
						 ss, sizeof(ss));
				{
					const char *row[6] = {cat, sa, sn,
							      sp,  sc, ss};
					cli_table_add(t, row);
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
		json_object_object_add(run.summary, "categories", jcats);
		json_object_object_add(
		    run.summary, "points",
		    json_object_new_string(cli_inputs_points_note(&in)));
	}
	if ((rc = cli_run_commit(ctx, &run)))
		goto cleanup;
	cli_analysis_lap("summary and commit");

	cli_inputs_note(ctx, CMD, &o.a, &in);
	cli_note(ctx, "covered: within %s, in straight lines in %s\n",
		 o.within.text, geo_proj_label(in.proj));

	cli_table_print(t, ctx->out, fmt);
	cli_run_stored_note(ctx, run.id);
cleanup:
	cli_run_release(ctx, &run);
	cli_table_free(t);
	if (count)
		for (c = 0; c < o.a.ncats; c++)
			free(count[c]);
	free(count);
	free(all);
	free(cnt);
	free(order);
	cli_inputs_release(&in);
	cli_analysis_release(&o.a);
	return rc;
}
