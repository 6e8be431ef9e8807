/*
 * core_taxonomy.h - the built-in taxonomy: SDOH domains, service
 * categories and the Medi-Cal Community Supports, read from the CSV files
 * in data/taxonomy/ (a user can read and edit them) into the workspace.
 */
#ifndef CORE_TAXONOMY_H
#define CORE_TAXONOMY_H

#include "core/core_err.h"
#include "core/core_ws.h"

/*
 * The directory holding the project's data files: $ASSETMAP_DATA if set,
 * else <exe>/../share/assetmap when installed, else the source tree's
 * data/ directory.  Returns a borrowed string.
 */
const char *core_data_dir(void);

/*
 * Replace the workspace's domains, categories and programs with the files
 * in dir/taxonomy (dir NULL means core_data_dir()).  Runs inside the
 * caller's transaction.  Errors name the file, line and field.
 */
int core_taxonomy_load(struct core_ws *ws, const char *dir,
		       struct core_err *err);

/*
 * The workspace's seed (core_ws_seed_fn): the taxonomy from
 * core_data_dir(), as core_taxonomy_load(ws, NULL, err).  Give it to
 * core_ws_create, and as core_ws_opts.seed to an open for writing, so
 * that a new or migrated workspace has the built-in taxonomy.
 */
int core_taxonomy_seed(struct core_ws *ws, struct core_err *err);

/* 1 when code is a category in the workspace, 0 otherwise. */
int core_category_exists(struct core_ws *ws, const char *code);

/* 1 when code is a Medi-Cal Community Support in the workspace. */
int core_program_exists(struct core_ws *ws, const char *code);

#endif
