/*
 * core_dict.h - words for indicators and sources: the data dictionary of
 * data/indicators.csv (the SVI, ACS and PLACES columns users load: short
 * label, long label, unit, publisher, dataset, years), the labels a user
 * gave with import --label, and the publisher, dataset and year each
 * import recorded (table source_labels).  Maps, atlases and 'info
 * --indicators' name things with these words, never with column codes
 * or file names.
 */
#ifndef CORE_DICT_H
#define CORE_DICT_H

#include <stdint.h>

#include "core/core_err.h"
#include "core/core_ws.h"

/* One row of data/indicators.csv; every field is a non-NULL string ("" when
 * the file leaves it empty). */
struct core_dict_entry {
	const char *code;	 /* column name as published: RPL_THEMES */
	const char *short_label; /* for legends: "Social vulnerability ..." */
	const char *long_label;	 /* for tables and notes */
	const char *unit;	 /* percent, percentile (0-1), people, ... */
	const char *publisher;	 /* CDC/ATSDR, U.S. Census Bureau, CDC */
	const char *dataset;	 /* SVI, ACS 5-year, PLACES */
	const char *years;	 /* 2018 or 2000-2022 */
	const char *direction;	 /* "higher is more vulnerable", or "" */
};

/*
 * Load the dictionary from dir/indicators.csv (dir NULL: core_data_dir()).
 * The first successful load is kept for the process; later calls return
 * CORE_OK at once.  Errors name the file and line.
 */
int core_dict_load(const char *dir, struct core_err *err);

/*
 * The entry for an indicator or column name (case-insensitive), loading
 * the dictionary when needed; NULL when the name is not in it or the
 * dictionary cannot be read.  Borrowed, valid for the process.
 */
const struct core_dict_entry *core_dict_find(const char *name);

/* What an indicator is called, in the order a user's --label, the
 * dictionary, the importer's own label, then the name itself.  Every
 * string is owned (core_words_release); unit, publisher, dataset and year
 * may be NULL. */
struct core_words {
	char *label;	  /* short: legends, titles */
	char *long_label; /* longer: tables, notes; never NULL */
	char *unit;
	char *publisher;
	char *dataset;
	char *year;
	int from_user; /* 1: label given with --label */
};

/*
 * Fill w (zeroed first) with the words for indicator name in ws: label
 * and unit from indicator_labels, the dictionary or indicator_info;
 * publisher, dataset and year from the source_labels of the source that
 * brought it in, else the dictionary (year then from indicator_info).
 * Never fails: a name nothing knows is its own label.
 */
void core_words_indicator(struct core_ws *ws, const char *name,
			  struct core_words *w);
void core_words_release(struct core_words *w);

/*
 * "Publisher Dataset Year" ("CDC/ATSDR SVI 2018"), leaving out the parts
 * that are NULL or empty; NULL when all are.  Owned by the caller.
 */
char *core_words_credit(const char *publisher, const char *dataset,
			const char *year);

/*
 * How a map credits source id: its source_labels row as core_words_credit
 * says, else, for an indicator table, the dictionary's publisher and
 * dataset of its indicators, else words for its kind ("community assets
 * (source not named)").  Never the file's name.  Owned by the caller;
 * NULL when id is not a source or is a cohort's (a map names the cohorts
 * it draws itself, by their names).
 */
char *core_source_credit(struct core_ws *ws, int64_t id);

/*
 * Record publisher, dataset and year (any may be NULL) for source id,
 * replacing what it had; inside the caller's transaction.
 */
int core_source_label_set(struct core_ws *ws, int64_t id, const char *publisher,
			  const char *dataset, const char *year,
			  struct core_err *err);

/*
 * Parse "Publisher|Dataset|Year" (Dataset and Year optional; blanks
 * trimmed) into owned strings (NULL for parts left empty).  Returns
 * CORE_OK, or CORE_EUSAGE with err set when the text is empty, has more
 * than three parts, or a year that is not YYYY or YYYY-YYYY.
 */
int core_source_label_parse(const char *text, char **publisher, char **dataset,
			    char **year, struct core_err *err);

/*
 * A category as words in a sentence: its name in lower case ("primary
 * care"; words of capitals such as "ECM" kept), or for a code not in the
 * workspace the code with spaces.  Owned by the caller.
 */
char *core_category_phrase(struct core_ws *ws, const char *code);

/* A copy of phrase with its first letter in capitals. */
char *core_sentence(const char *phrase);

#endif
