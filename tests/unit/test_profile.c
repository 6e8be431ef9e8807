/*
 * test_profile.c - the partnership register on paper: the stakeholder
 * profile ('assetmap partners -o FILE') and the atlas's partner network
 * page, end to end through the binary, read back with pdftotext.
 *
 * The workspace: four tracts in a 2 x 2 grid (population 1000, 2000,
 * 3000, 4000), food at every tract's centre (10 to 13), housing at T1's
 * (20), legal at T2's (30), primary care at T4's (40), and food and
 * dental 14 in a corner of T3 near four cohort members and no tract's
 * centre.  Cohort 'people': 30, 25, 20 and 40 members around the
 * tracts' centres and those four in the corner.  The
 * register, made with 'partner set' as a coalition would:
 *
 *   10 Mission Food Hub     food     current      coordinated  sharing
 *                                    (medically tailored meals @ Plan A)
 *   11 Bayview Pantry       food     current      coordinated  sharing
 *   12 Excelsior Kitchen    food     prospective
 *   13 Sunset Grocery Aid   food     former
 *   20 Home First           housing  current      joint        -
 *   40 Valley Clinic        primary  prospective
 *   (and, for the atlas, 41 Smile Clinic, dental at T1's centre, current)
 *
 * so by hand: 3 current (economic stability 3: 10, 11, 20; health care
 * 0), 2 prospective (economic stability 1, health care 1), 1 former
 * (economic stability 1); the matrix of current partners: coordinated x
 * data sharing 2, joint x not recorded 1; one Community Support
 * contracted, the other 14 missing.  Trusted: Corner Barber (legal, 30)
 * named 9 times, Excelsior Kitchen 4.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_mem.h"
#include "core/core_privacy.h"
#include "core/core_taxonomy.h"
#include "core/core_ws.h"
#include "testlib.h"

#define LON0 -120.60
#define LAT0 37.00
#define SIZE 0.20

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static int have_tools(void)
{
	if (!test_have_cli())
		return 0;
	if (!test_have_commands("pdftotext pdfinfo")) {
		test_skip("poppler-utils (pdfinfo, pdftotext) not installed");
		return 0;
	}
	return 1;
}

/* Run the binary on ws with args; its exit code, stdout and stderr. */
static int run(struct core_ws *ws, const char *args, char **out, char **err)
{
	char *a = xasprintf("-q -d '%s' %s", ws->path, args);
	char *o = NULL, *e = NULL;
	int rc = test_run_cli(a, &o, &e);

	free(a);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

/* The text of pdf, -layout, cropped to x0..x0+w points when w > 0;
 * runs of blanks made one space (caller frees). */
static char *text_of(const char *pdf, double x0, double w)
{
	char *cmd = w > 0 ? xasprintf("pdftotext -layout -x %.0f -y 0 -W "
				      "%.0f -H 2000 '%s' -",
				      x0, w, pdf)
			  : xasprintf("pdftotext -layout '%s' -", pdf);
	char *t = test_popen(cmd), *p, *q;

	free(cmd);
	if (!t)
		return xstrdup("");
	for (p = q = t; *p; p++) {
		if (*p == ' ' && q > t && q[-1] == ' ')
			continue;
		*q++ = *p;
	}
	*q = '\0';
	return t;
}

/* The line of text holding needle (caller frees), or "". */
static char *line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *a, *b;

	if (!p)
		return xstrdup("");
	for (a = p; a > text && a[-1] != '\n'; a--)
		;
	for (b = p; *b && *b != '\n'; b++)
		;
	return xasprintf("%.*s", (int)(b - a), a);
}

static void tract_centre(int t, double *lon, double *lat)
{
	*lon = LON0 + (t / 2) * SIZE / 2 + SIZE / 4;
	*lat = LAT0 + (t % 2) * SIZE / 2 + SIZE / 4;
}

static void add_named(struct core_ws *ws, int id, int tract, const char *cat,
		      const char *name)
{
	double lon, lat;
	char *sql;

	tract_centre(tract, &lon, &lat);
	test_add_asset(ws, id, lon, lat, cat);
	sql =
	    xasprintf("UPDATE assets SET name = '%s' WHERE id = %d", name, id);
	test_exec(ws, sql);
	free(sql);
}

static int nmem;

static void add_member(struct core_ws *ws, double lon, double lat)
{
	char *sql = xasprintf("INSERT INTO cohort_members(id, cohort_id,"
			      " precision, geom) VALUES(%d, 1, 'point',"
			      " MakePoint(%.9f, %.9f, 4326))",
			      ++nmem, lon, lat);
	test_exec(ws, sql);
	free(sql);
}

static void cluster(struct core_ws *ws, int t, int n)
{
	double lon, lat;
	int i;

	tract_centre(t, &lon, &lat);
	for (i = 0; i < n; i++)
		add_member(ws, lon + (test_rand(&rng) - 0.5) * 0.008,
			   lat + (test_rand(&rng) - 0.5) * 0.006);
}

/* The workspace of the file comment, without its register. */
static struct core_ws *make_ws(const char *name)
{
	struct core_err err = CORE_ERR_INIT;
	struct core_ws *ws = NULL;
	char *path = xasprintf("%s/%s", test_tmpdir(), name);
	int i, t;

	unlink(path);
	if (core_ws_create(path, "EPSG:3310", core_taxonomy_seed, &ws, &err))
		test_fail(__FILE__, __LINE__, "core_ws_create: %s", err.msg);
	free(path);
	if (!ws)
		return NULL;
	test_exec(ws, "BEGIN");
	for (t = 0; t < 4; t++) {
		double x0 = LON0 + (t / 2) * SIZE / 2;
		double y0 = LAT0 + (t % 2) * SIZE / 2;
		char *sql = xasprintf(
		    "INSERT INTO areas(level, geoid, name, population, geom)"
		    " VALUES('tract', '0600100%02d00', 'T%d', %d,"
		    " CastToMultiPolygon(BuildMbr(%.9f, %.9f, %.9f, %.9f, "
		    "4326)))",
		    t + 1, t + 1, 1000 * (t + 1), x0, y0, x0 + SIZE / 2,
		    y0 + SIZE / 2);

		test_exec(ws, sql);
		free(sql);
	}
	add_named(ws, 10, 0, "food", "Mission Food Hub");
	add_named(ws, 11, 1, "food", "Bayview Pantry");
	add_named(ws, 12, 2, "food", "Excelsior Kitchen");
	add_named(ws, 13, 3, "food", "Sunset Grocery Aid");
	add_named(ws, 20, 0, "housing", "Home First");
	add_named(ws, 30, 1, "legal", "Corner Barber");
	add_named(ws, 40, 3, "primary_care", "Valley Clinic");
	/* food 14 in T3's corner, where four members live */
	test_add_asset(ws, 14, LON0 + SIZE / 2 + 0.012, LAT0 + 0.009, "food");
	test_exec(ws, "UPDATE assets SET name = 'Corner Market' WHERE id = 14;"
		      "INSERT INTO asset_categories VALUES(14, 'dental')");
	test_exec(ws, "UPDATE assets SET trusted_count = 9 WHERE id = 30;"
		      "UPDATE assets SET trusted_count = 4 WHERE id = 12");
	test_exec(ws, "INSERT INTO cohorts(id, name, kind, created_at) VALUES"
		      " (1, 'people', 'points', 'now')");
	nmem = 0;
	cluster(ws, 0, 30);
	cluster(ws, 1, 25);
	cluster(ws, 2, 20);
	cluster(ws, 3, 40);
	for (i = 0; i < 4; i++)
		add_member(ws, LON0 + SIZE / 2 + 0.011 + 0.001 * i,
			   LAT0 + 0.009);
	test_exec(ws, "COMMIT");
	return ws;
}

/* The register of the file comment, through 'partner set'. */
static int make_register(struct core_ws *ws)
{
	static const char *const sets[] = {
	    "10 --status current --service coordinated --data sharing"
	    " --support medically_tailored_meals@'Plan A'",
	    "11 --status current --service coordinated --data sharing",
	    "12 --status prospective",
	    "13 --status former",
	    "20 --status current --service joint",
	    "40 --status prospective",
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char *a = xasprintf("partner set %s", sets[i]), *e = NULL;
		int rc = run(ws, a, NULL, &e);

		if (rc != 0) {
			test_fail(__FILE__, __LINE__, "%s: %d: %s", a, rc, e);
			bad = 1;
		}
		free(a);
		free(e);
	}
	return !bad;
}

/* The PNG's width and height from its IHDR. */
static void png_size(const char *path, long *w, long *h)
{
	size_t n = 0;
	unsigned char *b = (unsigned char *)test_slurp(path, &n);

	*w = *h = -1;
	if (b && n >= 24 && memcmp(b + 1, "PNG", 3) == 0) {
		*w = ((long)b[16] << 24) | ((long)b[17] << 16) |
		     ((long)b[18] << 8) | b[19];
		*h = ((long)b[20] << 24) | ((long)b[21] << 16) |
		     ((long)b[22] << 8) | b[23];
	}
	free(b);
}

/* ---- the profile --------------------------------------------------------- */

static const char *const supports[15] = {
    "Housing Transition Navigation Services",
    "Housing Deposits",
    "Housing Tenancy and Sustaining Services",
    "Short-Term Post-Hospitalization Housing",
    "Recuperative Care (Medical Respite)",
    "Respite Services",
    "Day Habilitation Programs",
    "Nursing Facility Transition/Diversion to Assisted Living Facilities",
    "Community Transition Services/Nursing Facility Transition to a Home",
    "Personal Care and Homemaker Services",
    "Environmental Accessibility Adaptations (Home Modifications)",
    "Medically Tailored Meals/Medically-Supportive Food",
    "Sobering Centers",
    "Asthma Remediation",
    "Transitional Rent",
};

static void test_profile_pdf(void)
{
	struct core_ws *ws;
	char *pdf, *args, *out = NULL, *err = NULL, *all, *left, *right, *l;
	size_t i;

	if (!have_tools() || !(ws = make_ws("profile.db")))
		return;
	if (!make_register(ws))
		goto done;
	pdf = xasprintf("%s/profile.pdf", test_tmpdir());
	args = xasprintf("partners -o '%s'", pdf);
	CHECK_INT(run(ws, args, &out, &err), 0);
	all = text_of(pdf, 0, 0);
	left = text_of(pdf, 0, 396);
	right = text_of(pdf, 396, 400);
	CHECK_CONTAINS(all, "Stakeholder profile: our partnership network");
	CHECK_CONTAINS(all, "3 current partners, 2 prospective, 1 former");
	/* words, never codes */
	CHECK_CONTAINS(all, "current partner");
	CHECK_CONTAINS(all, "prospective partner");
	CHECK_CONTAINS(all, "former partner");
	CHECK_CONTAINS(all, "Economic Stability");
	CHECK_CONTAINS(all, "Health Care Access and Quality");
	CHECK(strstr(all, "medically_tailored_meals") == NULL);
	CHECK(strstr(all, "economic_stability") == NULL);
	/* the matrix, row by row: reporting, data sharing, integrated
	 * system, not recorded, total */
	l = line_with(left, "coordinated service");
	CHECK_CONTAINS(l, "coordinated service 0 2 0 0 2");
	free(l);
	l = line_with(left, "joint service");
	CHECK_CONTAINS(l, "joint service 0 0 0 1 1");
	free(l);
	l = line_with(left, "referral");
	CHECK_CONTAINS(l, "referral 0 0 0 0 0");
	free(l);
	l = line_with(left, "total 0");
	CHECK_CONTAINS(l, "total 0 2 0 1 3");
	free(l);
	/* Community Supports: one contracted, fourteen missing, each by
	 * its name */
	CHECK_CONTAINS(right, "Contracted: 1 of 15");
	CHECK_CONTAINS(right, "1 partner (1 current); plans: Plan A");
	CHECK_CONTAINS(right, "Missing (no partner contracted): 14 of 15");
	{
		const char *miss = strstr(right, "Missing (no partner");
		const char *con = strstr(right, "Contracted: 1 of 15");

		for (i = 0; i < 15; i++) {
			/* long names wrap: their first words */
			char first[24];
			const char *at;

			snprintf(first, sizeof(first), "%.20s", supports[i]);
			at = strstr(right, first);
			CHECK(at != NULL);
			if (i == 11)
				CHECK(at && con && miss && at > con &&
				      at < miss);
			else
				CHECK(at && miss && at > miss);
		}
	}
	/* trusted: most named first, with the register's word */
	{
		const char *a = strstr(right, "Corner Barber");
		const char *b = strstr(right, "Excelsior Kitchen");

		CHECK(a && b && a < b);
		l = line_with(right, "Corner Barber");
		CHECK_CONTAINS(l, "9 times, not in the register");
		free(l);
		l = line_with(right, "Excelsior Kitchen");
		CHECK_CONTAINS(l, "4 times, prospective partner");
		free(l);
	}
	free(all);
	free(left);
	free(right);
	/* the domains, in the drawing's order: each domain's name, then
	 * its current, prospective and former counts */
	{
		char *cmd = xasprintf("pdftotext -raw '%s' -", pdf);
		char *raw = test_popen(cmd);
		const char *e =
		    raw ? strstr(raw, "Economic Stability\n") : NULL;
		const char *h =
		    raw ? strstr(raw, "Health Care Access and Quality\n")
			: NULL;

		CHECK(e && strncmp(e + 19, "3\n1\n1\n", 6) == 0);
		CHECK(h && strncmp(h + 31, "0\n1\n0\n", 6) == 0);
		if (!(e && h))
			printf("%s\n", raw ? raw : "(null)");
		free(raw);
		free(cmd);
	}
	free(args);
	free(out);
	free(err);

	/* PNG: 150 dpi of a landscape letter page */
	{
		char *png = xstrdup(test_path("profile.png"));
		long w, h;

		args = xasprintf("partners -o '%s'", png);
		CHECK_INT(run(ws, args, NULL, NULL), 0);
		png_size(png, &w, &h);
		CHECK_INT(w, 1650);
		CHECK_INT(h, 1275);
		free(args);
		free(png);
	}
	/* SVG */
	{
		char *svg = xstrdup(test_path("profile.svg")), *s;

		args = xasprintf("partners -o '%s'", svg);
		CHECK_INT(run(ws, args, NULL, NULL), 0);
		s = test_slurp(svg, NULL);
		CHECK(s && strstr(s, "<svg") != NULL);
		free(s);
		free(args);
		free(svg);
	}
	free(pdf);
done:
	core_ws_close(ws);
}

static void test_profile_errors(void)
{
	struct core_ws *ws;
	char *args, *err = NULL, *pdf;

	if (!have_tools() || !(ws = make_ws("profile-empty.db")))
		return;
	pdf = xstrdup(test_path("empty.pdf"));
	unlink(pdf);
	args = xasprintf("partners -o '%s'", pdf);
	CHECK_INT(run(ws, args, NULL, &err), 1);
	CHECK_CONTAINS(err, "partnership register");
	CHECK_CONTAINS(err, "is empty");
	CHECK(access(pdf, F_OK) != 0);
	free(err);
	free(args);
	/* usage errors: a format it cannot draw, options of the listing */
	CHECK_INT(run(ws, "partners -o profile.txt", NULL, NULL), 2);
	CHECK_INT(run(ws, "partners -o p.pdf --format csv", NULL, NULL), 2);
	CHECK_INT(run(ws, "partners -o p.pdf --history", NULL, NULL), 2);
	CHECK_INT(run(ws, "partners --title T", NULL, NULL), 2);
	CHECK(access(test_path("p.pdf"), F_OK) != 0);
	free(pdf);
	core_ws_close(ws);
}

/* ---- the atlas's partner network ---------------------------------------- */

/* n with thousands separators, as the atlas prints a population. */
static void grouped(const char *digits, char *out, size_t size)
{
	size_t len = strlen(digits), i, o = 0;

	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* Field i of a CSV line without quotes (static buffer). */
static const char *field(const char *line, int i)
{
	static char buf[256];
	const char *p = line, *e;

	while (i-- > 0 && p)
		p = (p = strchr(p, ',')) ? p + 1 : NULL;
	if (!p)
		return "";
	e = p + strcspn(p, ",\n");
	snprintf(buf, sizeof(buf), "%.*s", (int)(e - p), p);
	return buf;
}

static char *category_name(struct core_ws *ws, const char *code)
{
	char *sql =
	    xasprintf("SELECT name FROM categories WHERE code = '%s'", code);
	char *n = test_q_text(ws, sql);

	free(sql);
	return n;
}

/* A count as the atlas prints it: grouped for the population, as
 * given (a number, "<11", "suppressed") for a cohort. */
static void as_printed(const char *v, int cohort, char *out, size_t size)
{
	if (!cohort && v[0] >= '0' && v[0] <= '9')
		grouped(v, out, size);
	else
		snprintf(out, size, "%s", v);
}

/*
 * The atlas's partner network page against the CLI's own figures: for
 * every category, 'coverage' and 'coverage --partners current' (their
 * covered count and share, as published) on the category's line of
 * the coverage table, and 'recruit --top 3' (each pick's name and
 * gain, as published) in the picks table.  cohort: --cohort people.
 * Returns the number of categories seen.
 */
static int check_network(struct core_ws *ws, const char *pdf, int cohort)
{
	const char *who = cohort ? " --cohort people" : "";
	char *args, *all, *page, *cov[2], *picks_at;
	int pass, ncat = 0, pages;

	args = xasprintf("atlas%s --within 2km --units km -o '%s'", who, pdf);
	CHECK_INT(run(ws, args, NULL, NULL), 0);
	free(args);
	args = xasprintf("pdfinfo '%s' | sed -n 's/^Pages: *//p'", pdf);
	page = test_popen(args);
	pages = page ? atoi(page) : -1;
	free(page);
	free(args);
	/* the network and the picks are the last two pages */
	args = xasprintf("pdftotext -layout -f %d -l %d '%s' -", pages - 1,
			 pages, pdf);
	page = test_popen(args);
	free(args);
	all = text_of(pdf, 0, 0);
	if (!page) {
		test_fail(__FILE__, __LINE__, "no text on page %d", pages);
		free(all);
		return 0;
	}
	{
		/* one space for each run of blanks */
		char *p, *q;

		for (p = q = page; *p; p++)
			if (!(*p == ' ' && q > page && q[-1] == ' '))
				*q++ = *p;
		*q = '\0';
	}
	CHECK(strncmp(page, "Partner network", 15) == 0 ||
	      strstr(page, "\nPartner network") != NULL);
	CHECK_CONTAINS(all, "Partner network (page");
	picks_at = strstr(page, "Whom to recruit");
	CHECK(picks_at != NULL);
	if (!picks_at) {
		free(page);
		free(all);
		return 0;
	}
	*picks_at = '\0';
	picks_at++;
	for (pass = 0; pass < 2; pass++) {
		args =
		    xasprintf("coverage%s%s --within 2km --units km --format "
			      "csv",
			      who, pass ? " --partners current" : "");
		CHECK_INT(run(ws, args, &cov[pass], NULL), 0);
		free(args);
	}
	{
		char *l0 = cov[0], *l1 = cov[1];

		/* the header, then a line per category, then "all" */
		l0 = strchr(l0, '\n');
		l1 = strchr(l1, '\n');
		while (l0 && l1 && l0[1] && l1[1]) {
			char code[300], want[700], cnt[300], *name, *line;
			int c;

			l0++;
			l1++;
			snprintf(code, sizeof(code), "%s", field(l0, 0));
			if (strcmp(code, "all") == 0)
				break;
			CHECK_STR(field(l1, 0), code);
			name = category_name(ws, code);
			line = line_with(page, name);
			for (c = 0; c < 2; c++) {
				const char *l = c ? l1 : l0;
				/* cohort: people, covered, share; the
				 * population: areas, population, covered,
				 * share */
				int fc = cohort ? 3 : 4;
				char share[32];

				as_printed(field(l, fc), cohort, cnt,
					   sizeof(cnt));
				snprintf(share, sizeof(share), "%s",
					 field(l, fc + 1));
				if (share[0] >= '0' && share[0] <= '9')
					snprintf(want, sizeof(want), " %s (%s)",
						 cnt, share);
				else
					snprintf(want, sizeof(want), " %s",
						 cnt);
				/* a small gap beside an exact total hides the
				 * partners' count, which would give it away */
				if (cohort && c == 1 && strlen(line) > 4 &&
				    strcmp(line + strlen(line) - 4, " <11") ==
					0 &&
				    !strstr(line, " <11 "))
					snprintf(want, sizeof(want), " %s ",
						 CORE_PRIVACY_HIDDEN_TEXT);
				CHECK_CONTAINS(line, want);
			}
			free(line);
			free(name);
			ncat++;
			l0 = strchr(l0, '\n');
			l1 = strchr(l1, '\n');
		}
	}
	/* the picks of every category with current partners or not */
	{
		static const char *const cats[] = {"food", "housing", "legal",
						   "primary_care", "dental"};
		size_t c;

		for (c = 0; c < sizeof(cats) / sizeof(cats[0]); c++) {
			char *out = NULL, *l,
			     *name = category_name(ws, cats[c]);
			const char *from;
			int rc;

			args = xasprintf("recruit%s --category %s --within 2km "
					 "--top 3 --format csv",
					 who, cats[c]);
			rc = run(ws, args, &out, NULL);
			free(args);
			/* housing: every asset a current partner */
			from = strstr(picks_at, name);
			if (rc != 0) {
				CHECK(strcmp(cats[c], "housing") == 0);
				CHECK(from == NULL);
			}
			for (l = out ? strchr(out, '\n') : NULL; l && l[1];
			     l = strchr(l, '\n')) {
				char gain[300], *want, *line, *pick;
				int prosp;

				l++;
				as_printed(field(l, 4), cohort, gain,
					   sizeof(gain));
				prosp = field(l, 3)[0] == 'p';
				pick = xstrdup(field(l, 2));
				want = xasprintf("%s %s %s", pick,
						 prosp ? "prospective"
						       : "unaffiliated",
						 gain);
				/* in the category's block */
				CHECK(from != NULL);
				line = line_with(from ? from : picks_at, pick);
				CHECK_CONTAINS(line, want);
				free(line);
				free(want);
				free(pick);
			}
			free(out);
			free(name);
		}
	}
	free(cov[0]);
	free(cov[1]);
	free(page);
	free(all);
	return ncat;
}

static void test_atlas_network(void)
{
	struct core_ws *ws;
	char *pdf, *t, *l;

	if (!have_tools() || !(ws = make_ws("atlas-net.db")))
		return;
	if (!make_register(ws))
		goto done;
	/* dental 41 at T1's centre, a current partner: with the cohort,
	 * all dental assets reach T1's 30 and the corner's 4, the partner
	 * T1's 30: a gap of 4 */
	add_named(ws, 41, 0, "dental", "Smile Clinic");
	CHECK_INT(run(ws, "partner set 41 --status current", NULL, NULL), 0);
	pdf = xstrdup(test_path("net.pdf"));
	/* population: five categories, the figures of the file comment */
	CHECK_INT(check_network(ws, pdf, 0), 5);
	t = text_of(pdf, 0, 0);
	l = line_with(t, "Food ");
	/* by hand: all food assets reach every tract's point (10,000);
	 * the current partners 10 and 11 reach T1 and T2 (3,000) */
	l = (free(l), line_with(strstr(t, "Covered by current partners")
				    ? strstr(t, "Covered by current partners")
				    : t,
				"Food"));
	CHECK_CONTAINS(l, "10,000 (100.0%) 3,000 (30.0%) 7,000");
	free(l);
	l = line_with(
	    strstr(t, "Whom to recruit") ? strstr(t, "Whom to recruit") : t,
	    "Sunset Grocery Aid");
	CHECK_CONTAINS(l, "Food 1 Sunset Grocery Aid unaffiliated 4,000");
	free(l);
	l = line_with(t, "Excelsior Kitchen prospective");
	CHECK_CONTAINS(l, "2 Excelsior Kitchen prospective 3,000");
	free(l);
	free(t);

	/* a cohort: the same figures as published, small ones suppressed */
	CHECK_INT(check_network(ws, pdf, 1), 5);
	t = text_of(pdf, 0, 0);
	{
		const char *cov = strstr(t, "Covered by current partners");
		const char *rec = strstr(t, "Whom to recruit");

		/* dental: 34 covered by all, the partner's 30 hidden, as
		 * the gap of 4 is <11 and never 4 */
		l = line_with(cov ? cov : t, "Dental");
		CHECK_CONTAINS(l, "Dental 2 1 119 34 (28.6%) suppressed <11");
		CHECK(strstr(l, " 4") == NULL);
		CHECK(strstr(l, "30") == NULL);
		free(l);
		/* food: Corner Market's four are <11, and Excelsior
		 * Kitchen's 20 suppressed with them */
		l = line_with(rec ? rec : t, "Corner Market");
		CHECK_CONTAINS(l, "unaffiliated <11");
		free(l);
		l = line_with(rec ? rec : t, "Excelsior Kitchen");
		CHECK_CONTAINS(l, "prospective " CORE_PRIVACY_HIDDEN_TEXT);
		free(l);
	}
	free(t);
	/* the figures as printed, in the newest atlas run's summary */
	CHECK_Q(ws,
		"SELECT json_extract(summary, '$.network.current_partners')"
		" || ' ' || json_extract(summary, '$.network.picks[0].name')"
		" FROM runs WHERE analysis = 'atlas' ORDER BY id DESC LIMIT 1",
		"4 Corner Barber");
	free(pdf);
done:
	core_ws_close(ws);
}

static void test_atlas_without_register(void)
{
	struct core_ws *ws;
	char *pdf, *args, *t;

	if (!have_tools() || !(ws = make_ws("atlas-noreg.db")))
		return;
	pdf = xstrdup(test_path("noreg.pdf"));
	args = xasprintf("atlas --within 2km -o '%s'", pdf);
	CHECK_INT(run(ws, args, NULL, NULL), 0);
	free(args);
	t = text_of(pdf, 0, 0);
	CHECK_CONTAINS(t, "Partner network: no page, as the partnership");
	CHECK(strstr(t, "Covered by current partners") == NULL);
	CHECK(strstr(t, "Whom to recruit") == NULL);
	free(t);
	/* with --partners the book counts partners only: no page either */
	if (make_register(ws)) {
		args = xasprintf(
		    "atlas --within 2km --partners current -o '%s'", pdf);
		CHECK_INT(run(ws, args, NULL, NULL), 0);
		free(args);
		t = text_of(pdf, 0, 0);
		CHECK_CONTAINS(t, "Partner network: no page, as --partners");
		CHECK(strstr(t, "Whom to recruit") == NULL);
		free(t);
	}
	free(pdf);
	core_ws_close(ws);
}

static const struct test tests[] = {TEST(test_profile_pdf),
				    TEST(test_profile_errors),
				    TEST(test_atlas_network),
				    TEST(test_atlas_without_register),
				    {0}};

int main(void)
{
	int rc = test_main("profile", tests);

	core_ws_shutdown();
	return rc;
}
