/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup normalise`: --explain, --batch, --test, --apply, --stats. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-normaliser.h"
#include "tu-renormalise.h"
#include "tu-rules.h"
#include "tu-scan.h"
#include "tu-table.h"

static void
print_product (const TuProduct *p)
{
	printf ("publisher:     %s\n", p->publisher);
	printf ("product:       %s\n", p->product);
	printf ("edition:       %s\n", p->edition);
	printf ("release:       %s\n", p->release);
	printf ("version:       %s (%s)\n", p->version, tu_scheme_to_string (p->scheme));
	printf ("kind:          %s\n", tu_kind_to_string (p->kind));
	printf ("class:         %s\n", tu_class_to_string (p->klass));
	if (p->upstream_version != NULL)
		printf ("upstream:      %s\n", p->upstream_version);
	printf ("licensable:    %s\n", p->is_licensable ? "yes" : "no");
	printf ("recognised:    %s\n", p->is_recognised ? "yes" : "no (fallback)");
	if (p->component_of != NULL)
		printf ("component of:  %s\n", p->component_of);
	if (p->metric != NULL)
		printf ("metric:        %s\n", p->metric);
	if (p->cpe != NULL)
		printf ("cpe:           %s\n", p->cpe);
	if (p->purl != NULL)
		printf ("purl:          %s\n", p->purl);
}

static int
do_explain (TuCli *cli, TuNormaliser *norm, const char *name, const char *publisher,
	    const char *version, const char *source, const char *arch, const char *srcpkg)
{
	TuRecord r = TU_RECORD_INIT;
	r.raw_name = name;
	r.raw_publisher = publisher;
	r.raw_version = version;
	r.arch = arch;
	r.source_package = srcpkg;
	if (source != NULL) {
		r.source = tu_source_from_string (source);
		if (r.source == TU_SOURCE_UNKNOWN) {
			tu_cli_error ("normalise: --source %s: not a source name (dpkg, rpm, windows, ...)",
				      source);
			return TU_EXIT_USAGE;
		}
	}
	const TuProduct *p = tu_normaliser_apply (norm, &r);
	printf ("raw name:      %s\n", name);
	if (publisher != NULL)
		printf ("raw publisher: %s -> %s\n", publisher, tu_normaliser_publisher (norm, publisher));
	print_product (p);
	g_autoptr(GPtrArray) traces = tu_normaliser_explain (norm, &r);
	gboolean any_match = FALSE;
	for (guint i = 0; i < traces->len; i++) {
		const TuRuleTrace *t = g_ptr_array_index (traces, i);
		if (!t->matched)
			continue;
		any_match = TRUE;
		printf ("rule:          %s (%s), priority %d\n", tu_rule_id (t->rule),
			tu_rule_location (t->rule), tu_rule_priority (t->rule));
		for (guint c = 0; c < t->captures->len; c++)
			printf ("  capture:     %s\n", (const char *) g_ptr_array_index (t->captures, c));
	}
	if (!any_match) {
		g_autofree char *clean = tu_normaliser_clean_name (name);
		printf ("rule:          none: the fallback cleaned the name to \"%s\"\n", clean);
	}
	guint shown = 0;
	for (guint i = 0; i < traces->len && shown < 8; i++) {
		const TuRuleTrace *t = g_ptr_array_index (traces, i);
		if (t->matched)
			continue;
		if (shown++ == 0)
			printf ("nearly matched:\n");
		if (t->failed == NULL)
			printf ("  %s (%s): matched too, but a rule of higher priority won\n",
				tu_rule_id (t->rule), tu_rule_location (t->rule));
		else
			printf ("  %s (%s): %u of %u conditions; failed: %s\n", tu_rule_id (t->rule),
				tu_rule_location (t->rule), t->n_passed, t->n_conditions, t->failed);
	}
	return TU_EXIT_OK;
}

/* --batch: TSV on stdin with a header naming raw_name and any of raw_publisher, raw_version,
 * source, arch, source_package (other columns are ignored, so `trueup inventory --print tsv`
 * can be piped in); one row out per row in, in order. */
static const TuColumn batch_columns[] = {
	{"raw_name", TU_COL_TEXT, 0},
	{"raw_publisher", TU_COL_TEXT, 0},
	{"raw_version", TU_COL_TEXT, 0},
	{"source", TU_COL_TEXT, 0},
	{"publisher", TU_COL_TEXT, 0},
	{"product", TU_COL_TEXT, 0},
	{"edition", TU_COL_TEXT, 0},
	{"release", TU_COL_TEXT, 0},
	{"version", TU_COL_TEXT, 0},
	{"scheme", TU_COL_TEXT, 0},
	{"kind", TU_COL_TEXT, 0},
	{"licensable", TU_COL_TEXT, 0},
	{"recognised", TU_COL_TEXT, 0},
	{"component_of", TU_COL_TEXT, 0},
	{"cpe", TU_COL_TEXT, 0},
	{"purl", TU_COL_TEXT, 0},
	{"rule", TU_COL_TEXT, 0},
	{"class", TU_COL_TEXT, 0},
	{"upstream_version", TU_COL_TEXT, 0},
};

enum { B_NAME,
       B_PUBLISHER,
       B_VERSION,
       B_SOURCE,
       B_ARCH,
       B_SRCPKG,
       B_N };

static int
do_batch (TuCli *cli, TuNormaliser *norm, const char *print)
{
	static const char *const names[B_N][3] = {
		{"raw_name", "name", NULL},
		{"raw_publisher", "publisher", NULL},
		{"raw_version", "version", NULL},
		{"source", NULL, NULL},
		{"arch", NULL, NULL},
		{"source_package", "srcpkg", NULL},
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(TuTable) t = tu_table_new_for_format (print ? print : "tsv", stdout, batch_columns,
							G_N_ELEMENTS (batch_columns), &error);
	if (t == NULL)
		return tu_cli_fail (error);
	int col[B_N];
	for (guint i = 0; i < B_N; i++)
		col[i] = -1;
	g_autofree char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	guint lineno = 0;
	gboolean header = TRUE;
	while ((len = getline (&line, &cap, stdin)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		const char *text = line;
		if (lineno == 1 && g_str_has_prefix (text, "\xef\xbb\xbf"))
			text += 3;
		g_auto (GStrv) fields = g_strsplit (text, "\t", -1);
		guint nf = g_strv_length (fields);
		if (header) {
			/* the first column of each name (or its alias) counts */
			for (guint f = 0; f < nf; f++) {
				g_strstrip (fields[f]);
				for (guint i = 0; i < B_N; i++) {
					for (guint a = 0; a < 3 && names[i][a] != NULL && col[i] < 0; a++) {
						if (g_ascii_strcasecmp (fields[f], names[i][a]) == 0)
							col[i] = (int) f;
					}
				}
			}
			if (col[B_NAME] < 0) {
				tu_cli_error ("normalise --batch: <stdin>:1: the header names no raw_name "
					      "column (columns: raw_name, raw_publisher, raw_version, "
					      "source, arch, source_package; tab-separated)");
				return TU_EXIT_ERROR;
			}
			header = FALSE;
			continue;
		}
		if (*text == '\0')
			continue;
		char *v[B_N] = {NULL};
		for (guint i = 0; i < B_N; i++) {
			if (col[i] >= 0 && (guint) col[i] < nf && *fields[col[i]] != '\0')
				v[i] = tu_utf8_clean (fields[col[i]], -1, TU_SCAN_MAX_FIELD_BYTES, NULL);
		}
		TuRecord r = TU_RECORD_INIT;
		r.raw_name = v[B_NAME] ? v[B_NAME] : "";
		r.raw_publisher = v[B_PUBLISHER];
		r.raw_version = v[B_VERSION];
		r.arch = v[B_ARCH];
		r.source_package = v[B_SRCPKG];
		if (v[B_SOURCE] != NULL) {
			r.source = tu_source_from_string (v[B_SOURCE]);
			if (r.source == TU_SOURCE_UNKNOWN) {
				tu_cli_error ("normalise --batch: <stdin>:%u: source: \"%s\" is not a "
					      "source name (dpkg, rpm, windows, ...)",
					      lineno, v[B_SOURCE]);
				for (guint i = 0; i < B_N; i++)
					g_free (v[i]);
				return TU_EXIT_ERROR;
			}
		}
		const TuProduct *p = tu_normaliser_apply (norm, &r);
		tu_table_add_str (t, r.raw_name);
		tu_table_add_str (t, r.raw_publisher);
		tu_table_add_str (t, r.raw_version);
		tu_table_add_str (t, v[B_SOURCE]);
		tu_cli_add_product_cells (t, p);
		tu_table_add_str (t, p->is_recognised ? "yes" : "no");
		tu_table_add_str (t, p->component_of);
		tu_table_add_str (t, p->cpe);
		tu_table_add_str (t, p->purl);
		tu_table_add_str (t, p->rule);
		tu_table_add_str (t, tu_class_to_string (p->klass));
		tu_table_add_str (t, p->upstream_version);
		for (guint i = 0; i < B_N; i++)
			g_free (v[i]);
		if (!tu_table_end_row (t, &error))
			return tu_cli_fail (error);
	}
	if (header) {
		tu_cli_error ("normalise --batch: <stdin>: empty: expected a header line naming "
			      "raw_name, raw_publisher, raw_version (tab-separated)");
		return TU_EXIT_ERROR;
	}
	if (!tu_table_finish (t, &error))
		return tu_cli_fail (error);
	return TU_EXIT_OK;
}

static int
do_test (TuCli *cli, TuNormaliser *norm)
{
	g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
	guint n = tu_normaliser_run_tests (norm, failures);
	for (guint i = 0; i < failures->len; i++)
		fprintf (tu_terminal (), "%s\n", (const char *) g_ptr_array_index (failures, i));
	printf ("%u rules, %u tests, %u failed\n", tu_normaliser_n_rules (norm), n, failures->len);
	return failures->len == 0 ? TU_EXIT_OK : TU_EXIT_ERROR;
}

static int
do_apply (TuCli *cli, TuNormaliser *norm)
{
	g_autoptr(GError) error = NULL;
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	TuRenormaliseStats st = {0};
	if (!tu_renormalise (db, norm, &st, &error))
		return tu_cli_fail (error);
	printf ("%" G_GUINT64_FORMAT " software records checked, %" G_GUINT64_FORMAT
		" changed (%" G_GUINT64_FORMAT " now recognised, %" G_GUINT64_FORMAT
		" no longer)\n",
		st.n_checked, st.n_changed, st.n_newly_recognised, st.n_unrecognised);
	return TU_EXIT_OK;
}

static int
do_stats (TuCli *cli, const char *print, guint top)
{
	g_autoptr(GError) error = NULL;
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	g_auto(TuNormaliseSummary) sum = {0};
	g_autoptr(GPtrArray) unrecognised = NULL;
	if (!tu_normalise_stats (db, top, &sum, &unrecognised, &error))
		return tu_cli_fail (error);
	if (print == NULL) {
		printf ("installations:        %" G_GUINT64_FORMAT "\n", sum.n_installations);
		printf ("  recognised:         %" G_GUINT64_FORMAT " (%.1f%%)\n", sum.n_recognised,
			sum.n_installations ? 100.0 * sum.n_recognised / sum.n_installations : 0.0);
		printf ("  updates:            %" G_GUINT64_FORMAT "\n", sum.n_updates);
		printf ("  language packs:     %" G_GUINT64_FORMAT "\n", sum.n_language_packs);
		printf ("  licensable:         %" G_GUINT64_FORMAT "\n", sum.n_licensable);
		printf ("distinct software:    %" G_GUINT64_FORMAT "\n", sum.n_software);
		printf ("publishers:           %" G_GUINT64_FORMAT "\n", sum.n_publishers);
		for (guint i = 0; i < sum.by_source->len; i++) {
			const TuSourceStats *s = g_ptr_array_index (sum.by_source, i);
			printf ("  %-9s %8" G_GUINT64_FORMAT " installations, %5.1f%% recognised\n",
				s->source, s->n_installations,
				s->n_installations ? 100.0 * s->n_recognised / s->n_installations : 0.0);
		}
		printf ("by class:\n");
		for (guint i = 0; i < sum.by_class->len; i++) {
			const TuClassStats *c = g_ptr_array_index (sum.by_class, i);
			printf ("  %-12s %8" G_GUINT64_FORMAT " installations, %5.1f%% recognised\n",
				c->klass, c->n_installations,
				c->n_installations ? 100.0 * c->n_recognised / c->n_installations : 0.0);
		}
		printf ("top unrecognised (by installations):\n");
	}
	static const TuColumn cols[] = {
		{"hosts", TU_COL_INT, 0},
		{"installations", TU_COL_INT, 0},
		{"source", TU_COL_TEXT, 0},
		{"raw_name", TU_COL_TEXT, 0},
		{"raw_publisher", TU_COL_TEXT, 0},
		{"product", TU_COL_TEXT, 0},
		{"class", TU_COL_TEXT, 0},
	};
	g_autoptr(TuTable) t = tu_table_new_for_format (print ? print : "tsv", stdout, cols,
							G_N_ELEMENTS (cols), &error);
	for (guint i = 0; i < unrecognised->len; i++) {
		const TuUnrecognised *u = g_ptr_array_index (unrecognised, i);
		tu_table_add_int (t, u->n_hosts);
		tu_table_add_int (t, u->n_installations);
		tu_table_add_str (t, u->source);
		tu_table_add_str (t, u->raw_name);
		tu_table_add_str (t, u->raw_publisher);
		tu_table_add_str (t, u->product);
		tu_table_add_str (t, u->klass);
		if (!tu_table_end_row (t, &error))
			return tu_cli_fail (error);
	}
	if (!tu_table_finish (t, &error))
		return tu_cli_fail (error);
	return TU_EXIT_OK;
}

typedef struct {
	char *explain;
	char *publisher;
	char *version;
	char *source;
	char *arch;
	char *srcpkg;
	char *print;
	gboolean test, apply, stats, batch;
	gint top;
} NormaliseOpts;

static const GOptionEntry normalise_options[] = {
	{"explain", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, explain),
	 "show the result for NAME, the rule that fired and the rules that nearly did", "NAME"},
	{"publisher", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, publisher),
	 "with --explain: raw publisher", "P"},
	{"version", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, version),
	 "with --explain: raw version", "V"},
	{"source", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, source),
	 "with --explain: source (dpkg, windows...)", "S"},
	{"arch", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, arch),
	 "with --explain: architecture", "A"},
	{"srcpkg", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, srcpkg),
	 "with --explain: source package", "P"},
	{"batch", 0, 0, G_OPTION_ARG_NONE, TU_OPT (NormaliseOpts, batch),
	 "normalise TSV rows from stdin (header: raw_name, raw_publisher, raw_version, "
	 "source...) to stdout",
	 NULL},
	{"test", 0, 0, G_OPTION_ARG_NONE, TU_OPT (NormaliseOpts, test),
	 "run every rule's inline tests", NULL},
	{"apply", 0, 0, G_OPTION_ARG_NONE, TU_OPT (NormaliseOpts, apply),
	 "re-normalise the stored inventory with the current rules", NULL},
	{"stats", 0, 0, G_OPTION_ARG_NONE, TU_OPT (NormaliseOpts, stats),
	 "recognition rate and the top unrecognised names", NULL},
	{"top", 0, 0, G_OPTION_ARG_INT, TU_OPT (NormaliseOpts, top),
	 "with --stats: how many unrecognised names (20)", "N"},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (NormaliseOpts, print),
	 "with --stats: tsv or json rows only; with --batch: tsv (default), json or csv", "FORMAT"},
	{NULL},
};

static void
init_normalise (gpointer opts)
{
	((NormaliseOpts *) opts)->top = 20;
}

static gboolean
check_normalise (TuCli *cli, TuInvocation *inv, GError **error)
{
	const NormaliseOpts *o = inv->opts;
	guint n_modes = (o->explain != NULL) + o->test + o->apply + o->stats + o->batch;
	if (n_modes != 1 || inv->argc > 1) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "normalise: give one of --explain NAME, --batch, --test, --apply, "
			     "--stats");
		return FALSE;
	}
	if (o->top < 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "normalise: --top must not be negative");
		return FALSE;
	}
	return TRUE;
}

/* The store is opened by --apply and --stats only. */
static int
run_normalise (TuCli *cli, TuInvocation *inv)
{
	const NormaliseOpts *o = inv->opts;
	TuNormaliser *norm = inv->norm;
	if (o->explain != NULL)
		return do_explain (cli, norm, o->explain, o->publisher, o->version, o->source,
				   o->arch, o->srcpkg);
	if (o->batch)
		return do_batch (cli, norm, o->print);
	if (o->test)
		return do_test (cli, norm);
	if (o->apply)
		return do_apply (cli, norm);
	return do_stats (cli, o->print, (guint) o->top);
}

const TuCommand tu_cmd_normalise = {
	.name = "normalise",
	.alias = "normalize",
	.args = "--explain NAME | --test | --apply | --stats",
	.summary = "canonical names: explain, test the rules, re-apply, statistics",
	.group = "normalise",
	.usage = "",
	.help = "Canonical publisher, product, edition, release and version from raw names, by the "
		"fingerprint rules.",
	.options = normalise_options,
	.options_size = sizeof (NormaliseOpts),
	.init = init_normalise,
	.max_args = -1,
	.check = check_normalise,
	.needs = TU_NEEDS_NORMALISER,
	.run = run_normalise,
};
