/*
 * test_cli.c - the table printer behind every --format option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_table.h"
#include "testlib.h"

static char *render(struct cli_table *t, enum cli_format fmt)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	cli_table_print(t, fp, fmt);
	fclose(fp);
	return buf;
}

static struct cli_table *sample(void)
{
	static const char *const cols[] = {"name", "count"};
	static const char *const r1[] = {"Familias en Acción, \"Centro\"",
					 "12"};
	static const char *const r2[] = {"Line\nbreak", NULL};
	struct cli_table *t = cli_table_new(2, cols, "sn");

	cli_table_add(t, r1);
	cli_table_add(t, r2);
	return t;
}

static void test_csv_quoting(void)
{
	struct cli_table *t = sample();
	char *s = render(t, CLI_FMT_CSV);

	CHECK_STR(s, "name,count\n"
		     "\"Familias en Acción, \"\"Centro\"\"\",12\n"
		     "\"Line\nbreak\",\n");
	free(s);
	cli_table_free(t);
}

static void test_json_escaping(void)
{
	struct cli_table *t = sample();
	char *s = render(t, CLI_FMT_JSON);

	CHECK_STR(s, "[\n"
		     " {\"name\": \"Familias en Acción, \\\"Centro\\\"\", "
		     "\"count\": 12},\n"
		     " {\"name\": \"Line\\nbreak\", \"count\": null}\n"
		     "]\n");
	free(s);
	cli_table_free(t);
}

static void test_text_alignment(void)
{
	static const char *const cols[] = {"code", "n"};
	static const char *const r1[] = {"café", "7"};
	static const char *const r2[] = {"x", "1234"};
	struct cli_table *t = cli_table_new(2, cols, "sn");
	char *s;

	cli_table_add(t, r1);
	cli_table_add(t, r2);
	s = render(t, CLI_FMT_TABLE);
	/* numbers right-aligned; UTF-8 counted by characters, not bytes */
	CHECK_STR(s, "code     n\n"
		     "café     7\n"
		     "x     1234\n");
	free(s);
	cli_table_free(t);
}

static void test_format_names(void)
{
	struct core_err err = CORE_ERR_INIT;
	enum cli_format f;

	CHECK_INT(cli_format_parse("json", &f, &err), CORE_OK);
	CHECK_INT(f, CLI_FMT_JSON);
	CHECK_INT(cli_format_parse("tsv", &f, &err), CORE_EUSAGE);
	CHECK_CONTAINS(err.msg, "'tsv' is not a format");
}

int main(void)
{
	static const struct test tests[] = {TEST(test_csv_quoting),
					    TEST(test_json_escaping),
					    TEST(test_text_alignment),
					    TEST(test_format_names),
					    {NULL, NULL}};

	return test_main("cli", tests);
}
