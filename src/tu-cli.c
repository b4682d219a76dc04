/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Front-end helpers; see tu-cli.h. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tu-cli.h"
#include "tu-store.h"
#include "tu-common.h"
#include "tu-migrate.h"

void
tu_cli_error (const char *format, ...)
{
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	fprintf (tu_terminal (), "trueup: %s\n", msg);
}

int
tu_cli_fail (GError *error)
{
	if (error == NULL) {
		tu_cli_error ("failed");
		return TU_EXIT_ERROR;
	}
	if (g_error_matches (error, TU_ERROR, TU_ERROR_CLOSED_PIPE))
		return TU_EXIT_OK;
	/* one line: newlines inside server messages are flattened */
	g_autofree char *msg = g_strdup (error->message);
	for (char *p = msg; *p; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	tu_cli_error ("%s", msg);
	if (g_error_matches (error, TU_ERROR, TU_ERROR_USAGE) ||
	    error->domain == G_OPTION_ERROR)
		return TU_EXIT_USAGE;
	return TU_EXIT_ERROR;
}

void
tu_cli_print_warnings (const char *prefix, const TuWarnings *warnings)
{
	for (guint i = 0; warnings != NULL && i < warnings->len; i++) {
		if (prefix != NULL)
			tu_cli_error ("%s: %s", prefix, tu_warnings_text (warnings, i));
		else
			tu_cli_error ("%s", tu_warnings_text (warnings, i));
	}
}

void
tu_cli_info (TuCli *cli, const char *format, ...)
{
	if (cli->verbosity < 0)
		return;
	va_list args;
	va_start (args, format);
	g_autofree char *msg = g_strdup_vprintf (format, args);
	va_end (args);
	fprintf (tu_terminal (), "%s\n", msg);
}

gboolean
tu_cli_show_progress (TuCli *cli)
{
	return cli->verbosity >= 0 && isatty (tu_terminal_fd ());
}

char *
tu_cli_config_string (TuCli *cli, const char *group, const char *key)
{
	if (cli->config == NULL)
		return NULL;
	return g_key_file_get_string (cli->config, group, key, NULL);
}

static gboolean
apply_config_defaults (TuCli *cli, const char *group, GOptionEntry *entries, GError **error)
{
	if (cli->config == NULL || group == NULL || !g_key_file_has_group (cli->config, group))
		return TRUE;
	for (GOptionEntry *e = entries; e->long_name != NULL; e++) {
		if (!g_key_file_has_key (cli->config, group, e->long_name, NULL))
			continue;
		g_autoptr(GError) local = NULL;
		switch (e->arg) {
		case G_OPTION_ARG_NONE: {
			gboolean v = g_key_file_get_boolean (cli->config, group, e->long_name, &local);
			if (local == NULL)
				*(gboolean *) e->arg_data = v;
			break;
		}
		case G_OPTION_ARG_STRING:
		case G_OPTION_ARG_FILENAME: {
			char *v = g_key_file_get_string (cli->config, group, e->long_name, &local);
			if (local == NULL) {
				g_free (*(char **) e->arg_data);
				*(char **) e->arg_data = v;
			}
			break;
		}
		case G_OPTION_ARG_INT: {
			gint v = g_key_file_get_integer (cli->config, group, e->long_name, &local);
			if (local == NULL)
				*(gint *) e->arg_data = v;
			break;
		}
		case G_OPTION_ARG_DOUBLE: {
			gdouble v = g_key_file_get_double (cli->config, group, e->long_name, &local);
			if (local == NULL)
				*(gdouble *) e->arg_data = v;
			break;
		}
		case G_OPTION_ARG_STRING_ARRAY:
		case G_OPTION_ARG_FILENAME_ARRAY: {
			char **v = g_key_file_get_string_list (cli->config, group, e->long_name, NULL,
							       &local);
			if (local == NULL) {
				g_strfreev (*(char ***) e->arg_data);
				*(char ***) e->arg_data = v;
			}
			break;
		}
		default:
			break;
		}
		if (local != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: [%s] %s: %s", cli->config_path,
				     group, e->long_name, local->message);
			return FALSE;
		}
	}
	return TRUE;
}

/* Parse a command's options: config defaults from group @group (the long option names as
 * keys), then argv. Returns FALSE with a usage error. Handles --help (prints and exits 0). On
 * success argv holds the positional arguments (argv[0] is the command). */
static gboolean
cli_parse (TuCli *cli, const char *group, const char *usage, const char *summary,
	   GOptionEntry *entries, int *argc, char ***argv, GError **error)
{
	if (!apply_config_defaults (cli, group, entries, error))
		return FALSE;
	g_autofree char *param = g_strdup_printf ("%s", usage ? usage : "");
	g_autoptr(GOptionContext) ctx = g_option_context_new (param);
	g_option_context_set_summary (ctx, summary);
	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_help_enabled (ctx, TRUE);
	g_autofree char *prgname = g_strdup_printf ("trueup %s", group ? group : "");
	g_set_prgname (prgname);
	g_autoptr(GError) local = NULL;
	if (!g_option_context_parse (ctx, argc, argv, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: %s (see trueup %s --help)",
			     group ? group : "trueup", local->message, group ? group : "");
		return FALSE;
	}
	/* anything that still looks like an option was unknown (after "--" it is positional) */
	for (int i = 1; i < *argc; i++) {
		const char *a = (*argv)[i];
		if (a[0] == '-' && a[1] != '\0' && g_strcmp0 (a, "-") != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: unknown option %s", group, a);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
tu_cli_check_print (const char *print, GError **error)
{
	if (print == NULL || g_strcmp0 (print, "tsv") == 0 || g_strcmp0 (print, "json") == 0 ||
	    g_strcmp0 (print, "table") == 0)
		return TRUE;
	g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "--print %s: use table, tsv or json", print);
	return FALSE;
}

TuTable *
tu_cli_new_table (const char *print, const TuColumn *columns, guint n_columns, GError **error)
{
	gboolean tty = isatty (STDOUT_FILENO);
	if (print == NULL)
		print = tty ? "table" : "tsv";
	if (g_strcmp0 (print, "table") == 0) {
		const char *no_color = g_getenv ("NO_COLOR");
		gboolean colour = tty && (no_color == NULL || *no_color == '\0') &&
				  g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
		return tu_table_new_text (stdout, columns, n_columns, colour);
	}
	return tu_table_new_for_format (print, stdout, columns, n_columns, error);
}

/* Damerau-free edit distance, small strings only */
static guint
edit_distance (const char *a, const char *b)
{
	gsize la = strlen (a), lb = strlen (b);
	if (la > 64 || lb > 64)
		return G_MAXUINT;
	guint prev[65], cur[65];
	for (gsize j = 0; j <= lb; j++)
		prev[j] = (guint) j;
	for (gsize i = 1; i <= la; i++) {
		cur[0] = (guint) i;
		for (gsize j = 1; j <= lb; j++) {
			guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
			cur[j] = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
		}
		memcpy (prev, cur, sizeof (guint) * (lb + 1));
	}
	return prev[lb];
}

const char *
tu_cli_suggest (const char *word, const char *const *names, guint n_names)
{
	const char *best = NULL;
	guint best_d = G_MAXUINT;
	for (guint i = 0; i < n_names; i++) {
		if (names[i] == NULL)
			continue;
		guint d = edit_distance (word, names[i]);
		/* a prefix of a command is what was meant, too ("rec" for "reconcile") */
		if (strlen (word) >= 3 && g_ascii_strncasecmp (names[i], word, strlen (word)) == 0)
			d = MIN (d, 1u);
		if (d < best_d) {
			best_d = d;
			best = names[i];
		}
	}
	/* close enough: a third of the word's letters, at least one, at most three */
	guint limit = CLAMP ((guint) strlen (word) / 3, 1u, 3u);
	return best_d <= limit ? best : NULL;
}

static TuDb *
open_db (TuCli *cli, GError **error)
{
	if (cli->db != NULL)
		return cli->db;
	TuDbOptions opts = {0};
	opts.url = cli->db_url;
	opts.data_dir = cli->data_dir;
	if (cli->db_url == NULL && !g_path_is_absolute (cli->data_dir)) {
		/* the default from an empty HOME or a relative XDG_DATA_HOME: a store that moves
		 * with the working directory would be a new, empty store in each */
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "the default data directory %s is relative (HOME is empty or "
			     "XDG_DATA_HOME is not an absolute path): give --data-dir or "
			     "TRUEUP_DATA_DIR",
			     cli->data_dir);
		return NULL;
	}
	opts.option_file = cli->config_path;
	g_autofree char *ca = tu_cli_config_string (cli, "trueup", "ssl-ca");
	g_autofree char *cert = tu_cli_config_string (cli, "trueup", "ssl-cert");
	g_autofree char *key = tu_cli_config_string (cli, "trueup", "ssl-key");
	opts.ssl_ca = ca;
	opts.ssl_cert = cert;
	opts.ssl_key = key;
	if (cli->config != NULL && g_key_file_has_key (cli->config, "trueup", "ssl-verify", NULL)) {
		g_autoptr(GError) local = NULL;
		opts.ssl_verify = g_key_file_get_boolean (cli->config, "trueup", "ssl-verify", &local);
		if (local != NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: [trueup] ssl-verify: %s",
				     cli->config_path, local->message);
			return NULL;
		}
		opts.ssl_verify_set = TRUE;
	}
	g_autofree char *server_options = tu_cli_config_string (cli, "trueup", "server-options");
	const char *env_options = g_getenv ("TRUEUP_SERVER_OPTIONS");
	opts.server_options = env_options && *env_options ? env_options : server_options;
	cli->db = tu_db_open (&opts, error);
	return cli->db;
}

TuDb *
tu_cli_get_db_raw (TuCli *cli, GError **error)
{
	return open_db (cli, error);
}

/* Scans left 'running' by a killed trueup are marked 'interrupted' whenever a store is opened
 * for work, so that `db status` and the reports never show them as in progress. */
static gboolean
mark_interrupted (TuCli *cli, TuDb *db, GError **error)
{
	guint n = 0;
	if (!tu_store_mark_interrupted (db, &n, error))
		return FALSE;
	if (n > 0)
		tu_cli_info (cli, "%u scan%s left running by a process that ended marked interrupted",
			     n, n == 1 ? "" : "s");
	return TRUE;
}

TuDb *
tu_cli_get_db (TuCli *cli, GError **error)
{
	gboolean was_open = cli->db != NULL;
	TuDb *db = open_db (cli, error);
	if (db == NULL || was_open)
		return db;
	TuMigrateStatus status = {0};
	if (!tu_migrate_status (db, &status, error))
		return NULL;
	guint pending = status.pending->len;
	guint current = status.current;
	guint latest = status.latest;
	tu_migrate_status_clear (&status);
	if (pending == 0)
		return mark_interrupted (cli, db, error) ? db : NULL;
	/* The embedded store is private to this user: bring it up to date. A shared server is
	 * only migrated without asking while it is empty; otherwise that is `db migrate`'s job. */
	if (!tu_db_is_embedded (db) && current > 0) {
		g_set_error (error, TU_ERROR, TU_ERROR_FAILED,
			     "the database schema is at version %u and this trueup needs %u: run "
			     "'trueup db migrate' first",
			     current, latest);
		return NULL;
	}
	guint applied = 0;
	if (!tu_migrate_apply (db, &applied, error))
		return NULL;
	if (cli->verbosity > 0)
		tu_cli_info (cli, "applied %u schema migration(s)", applied);
	return mark_interrupted (cli, db, error) ? db : NULL;
}

TuNormaliser *
tu_cli_get_normaliser (TuCli *cli, GError **error)
{
	if (cli->norm != NULL)
		return cli->norm;
	cli->norm = tu_normaliser_new (cli->rules_dir, error);
	return cli->norm;
}

gboolean
tu_cli_parse_at (const char *at, guint32 *out, GError **error)
{
	if (at == NULL || g_strcmp0 (at, "today") == 0) {
		*out = tu_date_today ();
		return TRUE;
	}
	g_autoptr(GError) local = NULL;
	if (!tu_date_parse (at, out, "--at", &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s", local->message);
		return FALSE;
	}
	return TRUE;
}

/* A sub-command of @parent from argv[1], run with argv shifted; or the list of them and a
 * usage error (on stdout and status 0 for --help). */
static int
run_sub (TuCli *cli, const TuCommand *parent, int argc, char **argv)
{
	const TuCommand *const *table = parent->subs;
	guint n_table = 0;
	while (table[n_table] != NULL)
		n_table++;
	const char *sub = argc > 1 ? argv[1] : NULL;
	if (sub != NULL && g_strcmp0 (sub, "--help") != 0 && g_strcmp0 (sub, "-h") != 0) {
		for (guint i = 0; i < n_table; i++) {
			if (g_strcmp0 (sub, table[i]->name) == 0 ||
			    (table[i]->alias != NULL && g_strcmp0 (sub, table[i]->alias) == 0))
				return tu_cli_run_command (cli, table[i], argc - 1, argv + 1);
		}
	}
	FILE *out = sub == NULL || sub[0] != '-' ? stderr : stdout;
	if (sub != NULL && sub[0] != '-') {
		g_autofree const char **names = g_new0 (const char *, n_table * 2 + 1);
		for (guint i = 0; i < n_table; i++) {
			names[2 * i] = table[i]->name;
			names[2 * i + 1] = table[i]->alias;
		}
		const char *hint = tu_cli_suggest (sub, names, n_table * 2);
		if (hint != NULL)
			tu_cli_error ("%s: unknown command '%s'; did you mean '%s'?", parent->name,
				      sub, hint);
		else
			tu_cli_error ("%s: unknown command '%s'", parent->name, sub);
	} else if (sub == NULL)
		tu_cli_error ("%s: which one?", parent->name);
	fprintf (out, "Usage: trueup %s COMMAND [OPTIONS]\n\nCommands:\n", parent->name);
	for (guint i = 0; i < n_table; i++)
		fprintf (out, "  %-14s %s\n", table[i]->name, table[i]->summary);
	fprintf (out, "\nSee 'trueup %s COMMAND --help'.\n", parent->name);
	return out == stdout ? TU_EXIT_OK : TU_EXIT_USAGE;
}

/* The option values a command's options struct owns. */
static void
options_free (const GOptionEntry *entries, gpointer opts)
{
	for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++) {
		gpointer field = (guint8 *) opts + GPOINTER_TO_SIZE (e->arg_data);
		switch (e->arg) {
		case G_OPTION_ARG_STRING:
		case G_OPTION_ARG_FILENAME:
			g_free (*(char **) field);
			break;
		case G_OPTION_ARG_STRING_ARRAY:
		case G_OPTION_ARG_FILENAME_ARRAY:
			g_strfreev (*(char ***) field);
			break;
		default:
			break;
		}
	}
}

/* The usage error of a wrong number of positional arguments. */
static void
set_arity_error (const TuCommand *cmd, int argc, char **argv, GError **error)
{
	gint n = argc - 1;
	if (n < cmd->min_args) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s", cmd->too_few);
		return;
	}
	g_autoptr(GString) msg = g_string_new (cmd->too_many);
	g_string_replace (msg, "{}", argv[cmd->max_args + 1], 1);
	g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s", msg->str);
}

static int
run_leaf (TuCli *cli, const TuCommand *cmd, gpointer opts, int argc, char **argv)
{
	guint n_options = 0;
	while (cmd->options != NULL && cmd->options[n_options].long_name != NULL)
		n_options++;
	/* the entries with their places in this invocation's options struct */
	g_autofree GOptionEntry *entries = g_new0 (GOptionEntry, n_options + 1);
	gboolean has_print = FALSE;
	const char *const *print = NULL;
	for (guint i = 0; i < n_options; i++) {
		entries[i] = cmd->options[i];
		entries[i].arg_data = (guint8 *) opts + GPOINTER_TO_SIZE (cmd->options[i].arg_data);
		if (g_strcmp0 (entries[i].long_name, "print") == 0) {
			has_print = TRUE;
			print = entries[i].arg_data;
		}
	}
	g_autoptr(GError) error = NULL;
	if (!cli_parse (cli, cmd->group, cmd->usage, cmd->help, entries, &argc, &argv, &error) ||
	    (has_print && !tu_cli_check_print (*print, &error)))
		return tu_cli_fail (error);
	if (argc - 1 < cmd->min_args || (cmd->max_args >= 0 && argc - 1 > cmd->max_args)) {
		set_arity_error (cmd, argc, argv, &error);
		return tu_cli_fail (error);
	}
	TuInvocation inv = {cmd, opts, argc, argv, NULL, NULL};
	if (cmd->check != NULL && !cmd->check (cli, &inv, &error))
		return tu_cli_fail (error);
	if ((cmd->needs & TU_NEEDS_STORE) != 0)
		inv.db = tu_cli_get_db (cli, &error);
	else if ((cmd->needs & TU_NEEDS_STORE_AS_IS) != 0)
		inv.db = tu_cli_get_db_raw (cli, &error);
	if (error == NULL && (cmd->needs & TU_NEEDS_NORMALISER) != 0)
		inv.norm = tu_cli_get_normaliser (cli, &error);
	if (error != NULL)
		return tu_cli_fail (error);
	return cmd->run (cli, &inv);
}

int
tu_cli_run_command (TuCli *cli, const TuCommand *cmd, int argc, char **argv)
{
	if (cmd->subs != NULL)
		return run_sub (cli, cmd, argc, argv);
	g_autofree gpointer opts = g_malloc0 (MAX (cmd->options_size, 1));
	if (cmd->init != NULL)
		cmd->init (opts);
	int rc = run_leaf (cli, cmd, opts, argc, argv);
	if (cmd->clear != NULL)
		cmd->clear (opts);
	options_free (cmd->options, opts);
	return rc;
}

static GMutex signal_lock;
static GCancellable *signal_cancellable;

void
tu_cli_set_cancellable (GCancellable *cancellable)
{
	g_mutex_lock (&signal_lock);
	g_clear_object (&signal_cancellable);
	if (cancellable != NULL)
		signal_cancellable = g_object_ref (cancellable);
	g_mutex_unlock (&signal_lock);
}

static gpointer
signal_thread (gpointer data)
{
	sigset_t *set = data;
	for (;;) {
		int sig = 0;
		if (sigwait (set, &sig) != 0)
			continue;
		g_mutex_lock (&signal_lock);
		GCancellable *c = signal_cancellable ? g_object_ref (signal_cancellable) : NULL;
		g_mutex_unlock (&signal_lock);
		if (c != NULL && !g_cancellable_is_cancelled (c)) {
			fprintf (tu_terminal (), "\ntrueup: stopping after the work in progress "
						 "(again to abort at once)\n");
			g_cancellable_cancel (c);
			g_object_unref (c);
			continue;
		}
		if (c != NULL)
			g_object_unref (c);
		/* die as the signal would have killed us */
		signal (sig, SIG_DFL);
		sigset_t one;
		sigemptyset (&one);
		sigaddset (&one, sig);
		pthread_sigmask (SIG_UNBLOCK, &one, NULL);
		raise (sig);
		_exit (128 + sig);
	}
	return NULL;
}

void
tu_cli_signals_init (void)
{
	static sigset_t set;
	sigemptyset (&set);
	sigaddset (&set, SIGINT);
	sigaddset (&set, SIGTERM);
	sigaddset (&set, SIGHUP);
	pthread_sigmask (SIG_BLOCK, &set, NULL);
	g_thread_unref (g_thread_new ("signals", signal_thread, &set));
}

void
tu_cli_add_product_cells (TuTable *t, const TuProduct *p)
{
	tu_table_add_str (t, p->publisher);
	tu_table_add_str (t, p->product);
	tu_table_add_str (t, p->edition);
	tu_table_add_str (t, p->release);
	tu_table_add_str (t, p->version);
	tu_table_add_str (t, tu_scheme_to_string (p->scheme));
	tu_table_add_str (t, tu_kind_to_string (p->kind));
	tu_table_add_str (t, p->is_licensable ? "yes" : "no");
}
