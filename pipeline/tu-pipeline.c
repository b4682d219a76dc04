/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scheduled pipeline's steps; see tu-pipeline.h. Each step reads its part of the [run]
 * group, does its work through the library (ingest, licence import, catalogue and advisory
 * imports, renormalise, the licence engine, the reports) and logs one line; nothing here
 * prints anything else, so a front end or an agent runs the same pipeline.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tu-catalog.h"
#include "tu-common.h"
#include "tu-licence-import.h"
#include "tu-licence.h"
#include "tu-osv.h"
#include "tu-pkgindex.h"
#include "tu-pipeline.h"
#include "tu-renormalise.h"
#include "tu-report-licence.h"
#include "tu-report-patch.h"
#include "tu-scan.h"

typedef struct {
	const TuPipelineOptions *o;
	const char *base_dir; /* the config file's directory */
	FILE *log;	  /* (nullable) a log file, besides the terminal */
	guint n_failed;
	gboolean interrupted;
	const char *date;	  /* YYYY-MM-DD of the run */
} Run;

static void
run_log (Run *r, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
run_log (Run *r, const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
	g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
	if (!r->o->quiet)
		fprintf (tu_terminal (), "trueup: run: %s\n", msg);
	if (r->log != NULL) {
		fprintf (r->log, "%s %s\n", stamp, msg);
		fflush (r->log);
	}
}

static char *
conf (Run *r, const char *key)
{
	return g_key_file_get_string (r->o->config, "run", key, NULL);
}

/* A path from the config, relative to the config's directory. (transfer full) */
static char *
conf_path (Run *r, const char *key)
{
	g_autofree char *v = conf (r, key);
	if (v == NULL || *g_strstrip (v) == '\0')
		return NULL;
	if (g_path_is_absolute (v))
		return g_steal_pointer (&v);
	return g_build_filename (r->base_dir, v, NULL);
}

static void step_failed (Run *r, const char *step, GError *error);

/* A ';'-separated list of paths; each item may be a glob (files only). (transfer full) */
static GPtrArray *
conf_paths (Run *r, const char *key)
{
	GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
	g_auto(GStrv) items = g_key_file_get_string_list (r->o->config, "run", key, NULL, NULL);
	for (guint i = 0; items != NULL && items[i] != NULL; i++) {
		g_strstrip (items[i]);
		if (*items[i] == '\0')
			continue;
		g_autofree char *path = g_path_is_absolute (items[i])
						? g_strdup (items[i])
						: g_build_filename (r->base_dir, items[i], NULL);
		if (strpbrk (path, "*?[") == NULL) {
			g_ptr_array_add (out, g_steal_pointer (&path));
			continue;
		}
		g_autofree char *dir = g_path_get_dirname (path);
		g_autofree char *pattern = g_path_get_basename (path);
		g_autoptr(GPatternSpec) spec = g_pattern_spec_new (pattern);
		g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
		const char *name;
		while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
			if (g_pattern_spec_match_string (spec, name))
				g_ptr_array_add (names, g_strdup (name));
		}
		g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
		if (names->len == 0) {
			/* a glob that matches nothing is a failed step (a mount that is missing, a
			 * renamed export), unless the config says it may be empty */
			g_auto(GStrv) optional = g_key_file_get_string_list (
				r->o->config, "run", "allow-empty", NULL, NULL);
			if (optional != NULL && g_strv_contains ((const char *const *) optional, key)) {
				run_log (r, "%s: %s matches no file (allowed by allow-empty)", key, path);
			} else {
				g_autoptr(GError) none = g_error_new (
					TU_ERROR, TU_ERROR_NOT_FOUND,
					"%s matches no file (list '%s' in [run] allow-empty if that is "
					"expected)",
					path, key);
				step_failed (r, key, none);
			}
		}
		for (guint n = 0; n < names->len; n++)
			g_ptr_array_add (out, g_build_filename (dir, g_ptr_array_index (names, n), NULL));
	}
	return out;
}

static gint
conf_int (Run *r, const char *key, gint dflt)
{
	g_autoptr(GError) error = NULL;
	gint v = g_key_file_get_integer (r->o->config, "run", key, &error);
	return error ? dflt : v;
}

static void
step_failed (Run *r, const char *step, GError *error)
{
	r->n_failed++;
	run_log (r, "%s: FAILED: %s", step, error ? error->message : "failed");
}

/* ---------------------------------------------------------------- steps ---------------- */

static void
step_scan (Run *r)
{
	g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
	g_auto(GStrv) items = g_key_file_get_string_list (r->o->config, "run", "targets", NULL, NULL);
	for (guint i = 0; items != NULL && items[i] != NULL; i++) {
		char *t = g_strstrip (items[i]);
		if (*t == '\0')
			continue;
		if (g_str_has_prefix (t, "root:") && !g_path_is_absolute (t + 5))
			g_ptr_array_add (targets, g_strdup_printf ("root:%s/%s", r->base_dir, t + 5));
		else
			g_ptr_array_add (targets, g_strdup (t));
	}
	g_autofree char *hosts_file = conf_path (r, "hosts-file");
	if (hosts_file != NULL) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) more = tu_scan_parse_targets (hosts_file, &error);
		if (more == NULL) {
			step_failed (r, "scan", error);
		} else {
			for (guint i = 0; i < more->len; i++)
				g_ptr_array_add (targets, g_strdup (g_ptr_array_index (more, i)));
		}
	}
	g_autoptr(GPtrArray) imports = conf_paths (r, "imports");
	for (guint i = 0; i < imports->len; i++)
		g_ptr_array_add (targets, g_strdup_printf ("import:%s", (char *) g_ptr_array_index (imports, i)));
	if (targets->len == 0) {
		run_log (r, "scan: no targets configured");
		return;
	}
	g_autofree char *ssh_options = conf (r, "ssh-options");
	TuIngestRequest req = {
		.targets = targets,
		.jobs = (guint) CLAMP (conf_int (r, "jobs", 2), 1, 256),
		.writers = (guint) CLAMP (conf_int (r, "writers", 0), 0, TU_INGEST_MAX_WRITERS),
		.timeout = (guint) MAX (conf_int (r, "timeout", 600), 0),
		.no_binaries = g_key_file_get_boolean (r->o->config, "run", "no-binaries", NULL),
		.rules_dir = r->o->rules_dir,
		.ssh_accept_new = g_key_file_get_boolean (r->o->config, "run", "ssh-accept-new", NULL),
		.ssh_options = ssh_options,
		.cancellable = r->o->cancellable,
	};
	double t0 = tu_now_seconds ();
	g_autoptr(GError) error = NULL;
	TuNormaliser *norm = r->o->get_normaliser (r->o->data, &error);
	TuDb *db = norm ? r->o->get_db (r->o->data, &error) : NULL;
	if (db == NULL) {
		step_failed (r, "scan", error);
		return;
	}
	g_autoptr(TuStore) store = tu_store_new (db, norm);
	TuIngestSummary sum;
	gboolean ok = tu_ingest_targets (&req, store, r->o->scan_reporter, &sum, &error);
	if (!ok && sum.n_done == 0) {
		step_failed (r, "scan", error);
		return;
	}
	run_log (r,
		 "scan: %u targets, %u hosts scanned, %u failed; installations %" G_GUINT64_FORMAT
		 " added, %" G_GUINT64_FORMAT " updated, %" G_GUINT64_FORMAT " removed (%.1f s)",
		 sum.n_targets, sum.n_hosts_ok, sum.n_failed, sum.n_added, sum.n_updated, sum.n_removed,
		 tu_now_seconds () - t0);
	if (!ok || sum.n_failed > 0 || sum.cancelled) {
		r->n_failed++;
		run_log (r, "scan: FAILED for %u target(s); the hosts that were scanned are stored",
			 sum.n_failed);
	}
}

typedef gboolean (*LicenceImport) (TuDb *db, TuNormaliser *norm, const char *path,
				   TuImportStats *st, GError **error);

static gboolean
imp_contracts (TuDb *db, TuNormaliser *norm, const char *path, TuImportStats *st, GError **error)
{
	return tu_import_contracts (db, path, st, error);
}

static gboolean
imp_hosts (TuDb *db, TuNormaliser *norm, const char *path, TuImportStats *st, GError **error)
{
	return tu_import_host_attributes (db, path, st, error);
}

static void
step_licence_files (Run *r, TuDb *db, TuNormaliser *norm)
{
	const struct {
		const char *key;
		const char *what;
		LicenceImport func;
	} steps[] = {
		{"contracts", "contracts", imp_contracts},
		{"entitlements", "entitlements", tu_import_entitlements},
		{"host-facts", "host facts", imp_hosts},
		{"prices", "prices", tu_import_prices},
	};
	for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
		g_autoptr(GPtrArray) files = conf_paths (r, steps[i].key);
		for (guint f = 0; f < files->len; f++) {
			const char *path = g_ptr_array_index (files, f);
			g_autoptr(GError) error = NULL;
			TuImportStats st = {0};
			double t0 = tu_now_seconds ();
			g_autofree char *step = g_strdup_printf ("import %s", steps[i].what);
			if (!steps[i].func (db, norm, path, &st, &error)) {
				step_failed (r, step, error);
				continue;
			}
			run_log (r, "%s: %s: %u rows (%u new, %u updated) (%.1f s)", step, path, st.n_rows,
				 st.n_new, st.n_updated, tu_now_seconds () - t0);
		}
	}
}

static void
step_feeds (Run *r, TuDb *db, TuNormaliser *norm)
{
	g_autoptr(GPtrArray) catalogs = conf_paths (r, "catalog");
	for (guint i = 0; i < catalogs->len; i++) {
		const char *path = g_ptr_array_index (catalogs, i);
		g_autoptr(GError) error = NULL;
		g_autoptr(TuWarnings) messages = tu_warnings_new ();
		TuCatalogImportStats st = {0};
		double t0 = tu_now_seconds ();
		if (!tu_catalog_import (db, norm, path, &st, messages, &error)) {
			step_failed (r, "import catalog", error);
			continue;
		}
		for (guint m = 0; m < messages->len; m++)
			run_log (r, "import catalog: %s", tu_warnings_text (messages, m));
		run_log (r, "import catalog: %s: %u products, %u cycles, %u versions (%.1f s)", path,
			 st.n_products, st.n_cycles, st.n_versions, tu_now_seconds () - t0);
	}
	g_autoptr(GPtrArray) osvs = conf_paths (r, "osv");
	for (guint i = 0; i < osvs->len; i++) {
		const char *path = g_ptr_array_index (osvs, i);
		g_autoptr(GError) error = NULL;
		g_autoptr(TuWarnings) messages = tu_warnings_new ();
		TuOsvImportStats st = {0};
		double t0 = tu_now_seconds ();
		if (!tu_osv_import (db, path, &st, messages, &error)) {
			step_failed (r, "import osv", error);
			continue;
		}
		run_log (r,
			 "import osv: %s: %u records stored, %u refused, %u files not OSV, %u GIT "
			 "ranges not matchable (%.1f s)",
			 path, st.n_records, st.n_rejected, st.n_files_refused, st.n_git_ranges,
			 tu_now_seconds () - t0);
	}
	g_autofree char *kev = conf_path (r, "kev");
	if (kev != NULL) {
		g_autoptr(GError) error = NULL;
		guint n = 0;
		double t0 = tu_now_seconds ();
		if (!tu_kev_import (db, kev, &n, &error))
			step_failed (r, "import kev", error);
		else
			run_log (r, "import kev: %s: %u CVEs (%.1f s)", kev, n, tu_now_seconds () - t0);
	}
	/* distribution package indexes: all in one import, so that a release's suites (bookworm,
	 * -updates, -security) make its one index */
	g_autoptr(GPtrArray) indexes = conf_paths (r, "packages");
	if (indexes->len > 0) {
		g_autofree char *distro = conf (r, "packages-distro");
		if (distro != NULL && *g_strstrip (distro) == '\0')
			g_clear_pointer (&distro, g_free);
		g_ptr_array_add (indexes, NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(TuWarnings) messages = tu_warnings_new ();
		TuPkgIndexImportStats st = {0};
		double t0 = tu_now_seconds ();
		if (!tu_pkgindex_import (db, distro, (const char *const *) indexes->pdata, &st,
					 messages, &error)) {
			step_failed (r, "import packages", error);
		} else {
			for (guint m = 0; m < messages->len; m++)
				run_log (r, "import packages: %s", tu_warnings_text (messages, m));
			run_log (r,
				 "import packages: %u files, %u distinct packages for %u "
				 "distribution release(s), %u records refused (%.1f s)",
				 st.n_files, st.n_packages, st.n_releases, st.n_refused,
				 tu_now_seconds () - t0);
		}
	}
}

/* Keep the newest @keep files named PREFIX-YYYY-MM-DD.EXT in @dir. */
static void
prune (Run *r, const char *dir, const char *prefix, const char *ext, guint keep)
{
	g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
	if (d == NULL || keep == 0)
		return;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
	const char *name;
	g_autofree char *head = g_strdup_printf ("%s-", prefix);
	while ((name = g_dir_read_name (d)) != NULL) {
		if (g_str_has_prefix (name, head) && g_str_has_suffix (name, ext) &&
		    strlen (name) == strlen (head) + 10 + strlen (ext))
			g_ptr_array_add (names, g_strdup (name));
	}
	g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
	for (guint i = 0; i + keep < names->len; i++) {
		g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
		if (g_unlink (path) == 0)
			run_log (r, "removed %s (keeping the last %u)", path, keep);
	}
}

static void
step_reports (Run *r, TuDb *db, TuNormaliser *norm, const char *out_dir)
{
	const char *fmt = "xlsx";
	g_autofree char *format = conf (r, "format");
	if (format != NULL && g_ascii_strcasecmp (g_strstrip (format), "csv") == 0)
		fmt = "csv";
	guint keep = (guint) CLAMP (conf_int (r, "keep", 8), 0, 10000);
	guint32 today = tu_date_today ();

	/* licence position, computed once for both licence reports */
	g_autoptr(GError) error = NULL;
	double t0 = tu_now_seconds ();
	g_autoptr(TuLicenceInput) in = tu_licence_load (db, norm, today, &error);
	g_autoptr(TuLicencePosition) pos = in ? tu_licence_compute (in) : NULL;
	for (guint i = 0; pos != NULL && i < pos->warnings->len; i++)
		run_log (r, "reconcile: warning: %s", tu_warnings_text (pos->warnings, i));
	if (pos == NULL) {
		step_failed (r, "reconcile", error);
	} else {
		gint64 shortfall = 0;
		for (guint i = 0; i < pos->rows->len; i++)
			shortfall += ((TuPositionRow *) g_ptr_array_index (pos->rows, i))->shortfall;
		run_log (r, "reconcile: %u licensable installations, %u entitlements, %u position rows, "
			    "%" G_GINT64_FORMAT " units short (%.1f s)",
			 in->installs->len, in->entitlements->len, pos->rows->len, shortfall,
			 tu_now_seconds () - t0);
	}
	/* what the reports cover, for their title blocks */
	TuEstateScope scope = {0};
	g_autoptr(GError) scope_error = NULL;
	if (!tu_estate_scope_load (db, NULL, &scope, &scope_error))
		run_log (r, "report: the scope of the reports is unknown: %s", scope_error->message);
	struct {
		const char *name;
	} kinds[] = {{"inventory"}, {"compliance"}, {"renewals"}, {"patch"}, {"changes"}};
	for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
		const char *kind = kinds[k].name;
		g_autofree char *file = g_strdup_printf ("%s-%s.%s", kind, r->date, fmt);
		g_autofree char *path = g_build_filename (out_dir, file, NULL);
		g_autoptr(GError) err = NULL;
		gboolean ok = FALSE;
		double t1 = tu_now_seconds ();
		if (g_strcmp0 (kind, "inventory") == 0) {
			g_autoptr(TuRows) hosts = tu_query_hosts (db);
			g_autoptr(TuRows) installations = tu_query_installations (db, NULL);
			g_autoptr(TuRows) products = tu_query_products (db);
			ok = tu_report_inventory (hosts, installations, products, &scope, path, fmt,
						  NULL, &err);
		} else if (g_strcmp0 (kind, "compliance") == 0) {
			guint n_left_out = 0;
			g_autoptr(GPtrArray) review =
				pos != NULL ? tu_estate_review_items (db, TU_REPORT_REVIEW_MAX,
								      &n_left_out, &err)
					    : NULL;
			ok = review != NULL && tu_report_compliance (review, n_left_out, &scope, in,
								     pos, path, fmt, NULL, &err);
		} else if (g_strcmp0 (kind, "renewals") == 0) {
			guint within = (guint) CLAMP (conf_int (r, "renewals-days", 180), 0, 36500);
			g_autoptr(TuRows) contracts =
				tu_query_contracts_ending (db, today, today + within);
			ok = pos != NULL && tu_report_renewals (contracts, &scope, in, pos, within,
								path, fmt, NULL, &err);
		} else if (g_strcmp0 (kind, "patch") == 0) {
			TuPatchOptions popts = {.at = today, .sorted = TRUE};
			TuPatchStats st;
			g_autoptr(TuPatchAgg) agg = tu_patch_agg_new ();
			ok = tu_patch_run (db, &popts, tu_patch_agg_add_row, agg, &st, &err) &&
			     tu_report_patch (agg, &scope, popts.at, path, fmt, NULL, &err);
			if (ok)
				run_log (r, "patch: %" G_GUINT64_FORMAT " installations covered, %" G_GUINT64_FORMAT
					    " behind, %" G_GUINT64_FORMAT " end of life, %" G_GUINT64_FORMAT
					    " unknown, %" G_GUINT64_FORMAT " vulnerable (%" G_GUINT64_FORMAT
					    " exposed packages), %" G_GUINT64_FORMAT " known-exploited (%"
					    G_GUINT64_FORMAT " packages)",
					 st.n_rows, st.n_behind, st.n_eol, st.n_support_unknown,
					 st.n_vulnerable, st.n_exposed, st.n_kev, st.n_exposed_kev);
		} else {
			guint days = (guint) CLAMP (conf_int (r, "changes-days", 7), 0, 36500);
			g_autofree char *from = tu_date_format (today - days);
			g_autoptr(TuRows) changes = tu_query_changes (db, from);
			ok = tu_report_changes (changes, &scope, today - days, today, path, fmt,
						NULL, NULL, &err);
		}
		if (!ok) {
			g_autofree char *step = g_strdup_printf ("report %s", kind);
			step_failed (r, step, err);
			continue;
		}
		run_log (r, "report %s: wrote %s (%.1f s)", kind, path, tu_now_seconds () - t1);
		g_autofree char *ext = g_strdup_printf (".%s", fmt);
		prune (r, out_dir, kind, ext, keep);
	}
	tu_estate_scope_clear (&scope);
}

/* Stop between steps once cancelled. */
static gboolean
cancelled (Run *r)
{
	if (!g_cancellable_is_cancelled (r->o->cancellable))
		return FALSE;
	if (!r->interrupted) {
		r->interrupted = TRUE;
		r->n_failed++;
		run_log (r, "interrupted: the remaining steps were not run");
	}
	return TRUE;
}

/* Open a file of ours for writing in a directory other users may write to (the output
 * directory, the log's): a planted symlink is refused (O_NOFOLLOW) instead of followed, a
 * FIFO does not block (O_NONBLOCK), and a file that is not a regular file of ours with one
 * link (a planted hard link to someone else's file) is refused before anything is written,
 * so nothing else can be truncated or appended to. -1 with @error. */
static int
open_own_file (const char *path, int flags, const char *what, GError **error)
{
	int fd = open (path, flags | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0) {
		int saved = errno;
		if (saved == ELOOP)
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "run: the %s %s is a symbolic link; refused", what, path);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "run: cannot open the %s %s: %s",
				     what, path, g_strerror (saved));
		return -1;
	}
	struct stat st;
	if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_uid != geteuid () ||
	    st.st_nlink != 1) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
			     "run: the %s %s is not a regular file of this user with one link; refused",
			     what, path);
		close (fd);
		return -1;
	}
	fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
	/* a log or lock left readable by an older version becomes private */
	if ((st.st_mode & 0077) != 0)
		(void) fchmod (fd, 0600);
	return fd;
}

/* One run at a time per output directory: an flock on a file there, holding our pid. */
static int
take_lock (const char *out_dir, GError **error)
{
	g_autofree char *lock_path = g_build_filename (out_dir, ".trueup-run.lock", NULL);
	int lock_fd = open_own_file (lock_path, O_RDWR, "lock", error);
	if (lock_fd < 0)
		return -1;
	if (flock (lock_fd, LOCK_EX | LOCK_NB) != 0) {
		char buf[32] = {0};
		if (pread (lock_fd, buf, sizeof buf - 1, 0) > 0)
			g_strstrip (buf);
		if (*buf)
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "run: another run (process %s) is writing to %s", buf, out_dir);
		else
			g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
				     "run: another run is writing to %s", out_dir);
		close (lock_fd);
		return -1;
	}
	/* our own file (checked above), so rewriting it touches nothing else */
	g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
	if (ftruncate (lock_fd, 0) == 0 && pwrite (lock_fd, pid, strlen (pid), 0) < 0) {
		/* the lock is what matters */
	}
	return lock_fd;
}

gboolean
tu_pipeline_run (const TuPipelineOptions *o, guint *n_failed, GError **error)
{
	Run r = {o};
	*n_failed = 0;
	g_autofree char *abs_config = g_canonicalize_filename (o->config_path, NULL);
	g_autofree char *base_dir = g_path_get_dirname (abs_config);
	g_autofree char *date = tu_date_format (tu_date_today ());
	r.base_dir = base_dir;
	r.date = date;
	g_autofree char *out_dir = conf_path (&r, "output-dir");
	if (out_dir == NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "run: [run] output-dir is not set in %s",
			     o->config_path);
		return FALSE;
	}
	if (g_mkdir_with_parents (out_dir, 0755) != 0) {
		int saved = errno;
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED, "run: output directory %s: %s", out_dir,
			     g_strerror (saved));
		return FALSE;
	}
	int lock_fd = take_lock (out_dir, error);
	if (lock_fd < 0)
		return FALSE;
	g_autofree char *log_path = conf_path (&r, "log");
	if (log_path != NULL) {
		/* the log is private (0600): it names hosts, paths and errors */
		int log_fd = open_own_file (log_path, O_WRONLY | O_APPEND, "log", error);
		r.log = log_fd >= 0 ? fdopen (log_fd, "a") : NULL;
		if (r.log == NULL) {
			/* a scheduled run whose log cannot be written would fail unseen */
			if (log_fd >= 0) {
				int saved = errno;
				close (log_fd);
				g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
					     "run: cannot open the log %s: %s", log_path,
					     g_strerror (saved));
			}
			close (lock_fd);
			return FALSE;
		}
	}

	double t0 = tu_now_seconds ();
	run_log (&r, "started (config %s)", abs_config);
	step_scan (&r);
	g_autoptr(GError) local = NULL;
	TuDb *db = cancelled (&r) ? NULL : o->get_db (o->data, &local);
	TuNormaliser *norm = db ? o->get_normaliser (o->data, &local) : NULL;
	if (norm == NULL && !r.interrupted) {
		step_failed (&r, "store", local);
	} else if (norm != NULL) {
		step_licence_files (&r, db, norm);
		if (!cancelled (&r))
			step_feeds (&r, db, norm);
		if (!cancelled (&r)) {
			TuRenormaliseStats rs = {0};
			g_autoptr(GError) nerr = NULL;
			double t1 = tu_now_seconds ();
			if (!tu_renormalise (db, norm, &rs, &nerr))
				step_failed (&r, "normalise", nerr);
			else
				run_log (&r,
					 "normalise: %" G_GUINT64_FORMAT " software records, %" G_GUINT64_FORMAT
					 " changed by the current rules (%.1f s)",
					 rs.n_checked, rs.n_changed, tu_now_seconds () - t1);
		}
		if (!cancelled (&r))
			step_reports (&r, db, norm, out_dir);
	}
	run_log (&r, "finished: %u step(s) failed (%.1f s)", r.n_failed, tu_now_seconds () - t0);
	if (r.log != NULL)
		fclose (r.log);
	close (lock_fd);
	*n_failed = r.n_failed;
	return TRUE;
}
