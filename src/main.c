/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trueup's entry point: global options, the config file and the command table. Each command
 * lives in its own src/cmd-*.c and calls into the module libraries; nothing here knows about
 * packages, licences or workbooks.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tu-cli.h"
#include "tu-common.h"

/* The command table: each entry, in its src/cmd-*.c, declares the command's options,
 * arguments and needs (tu-cli.h), so that the preamble is tu_cli_run_command ()'s alone. */
static const TuCommand *const commands[] = {
	&tu_cmd_scan,
	&tu_cmd_inventory,
	&tu_cmd_hosts,
	&tu_cmd_normalise,
	&tu_cmd_version,
	&tu_cmd_import,
	&tu_cmd_reconcile,
	&tu_cmd_patch,
	&tu_cmd_catalog,
	&tu_cmd_report,
	&tu_cmd_run,
	&tu_cmd_db,
};

static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
	TuCli *cli = user_data;
	if ((level & G_LOG_LEVEL_DEBUG) && cli->verbosity < 2)
		return;
	if ((level & G_LOG_LEVEL_INFO) && cli->verbosity < 1)
		return;
	if ((level & G_LOG_LEVEL_MESSAGE) && cli->verbosity < 0)
		return;
	fprintf (tu_terminal (), "trueup: %s%s\n", (level & G_LOG_LEVEL_WARNING) ? "warning: " : "", message);
}

static void
print_usage (FILE *out)
{
	fprintf (out,
		 "Usage: trueup [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
		 "Software asset and licence compliance: scan, normalise, reconcile, report.\n\n"
		 "Commands:\n");
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
		fprintf (out, "  %-11s %s\n", commands[i]->name, commands[i]->summary);
	fprintf (out,
		 "\nGlobal options:\n"
		 "  --db URL          the inventory: mysql://USER@HOST:PORT/DBNAME, "
		 "mysql://USER@localhost/DB?socket=PATH,\n"
		 "                    mysql://?group=NAME (env TRUEUP_DB; default: the embedded "
		 "store)\n"
		 "  --data-dir DIR    embedded store and state (env TRUEUP_DATA_DIR; default "
		 "$XDG_DATA_HOME/trueup)\n"
		 "  --config FILE     settings (default $XDG_CONFIG_HOME/trueup/trueup.conf)\n"
		 "  --rules DIR       extra fingerprint rules (config: rules-dir)\n"
		 "  -q, --quiet       only errors\n"
		 "  -v, --verbose     more detail (twice: debug)\n"
		 "  (-q and -v may also follow the command)\n"
		 "  --version         print the version\n"
		 "  -h, --help        this help\n\n"
		 "The password of a database server comes from an option file (~/.my.cnf), "
		 "TRUEUP_DB_PASSWORD or MYSQL_PWD.\n"
		 "See 'trueup COMMAND --help' for a command's options.\n");
}

/* Check the config's syntax line by line first, so that an error names the line. */
static gboolean
load_config (TuCli *cli, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) bytes = tu_file_read (cli->config_path, 4 * 1024 * 1024, &local);
	if (bytes == NULL) {
		if (!cli->config_explicit && g_error_matches (local, TU_ERROR, TU_ERROR_NOT_FOUND))
			return TRUE;
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "config: %s", local->message);
		return FALSE;
	}
	const char *data = g_bytes_get_data (bytes, NULL);
	if (!g_utf8_validate (data, (gssize) g_bytes_get_size (bytes), NULL)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: not valid UTF-8", cli->config_path);
		return FALSE;
	}
	g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree char *l = g_strstrip (g_strdup (lines[i]));
		if (*l == '\0' || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			if (l[strlen (l) - 1] != ']') {
				g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
					     "%s:%u: a group header must end with ']'", cli->config_path,
					     i + 1);
				return FALSE;
			}
			continue;
		}
		if (strchr (l, '=') == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
				     "%s:%u: expected KEY=VALUE, [GROUP] or a # comment", cli->config_path,
				     i + 1);
			return FALSE;
		}
	}
	cli->config = g_key_file_new ();
	if (!g_key_file_load_from_data (cli->config, data, g_bytes_get_size (bytes),
					G_KEY_FILE_NONE, &local)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE, "%s: %s", cli->config_path,
			     local->message);
		return FALSE;
	}
	return TRUE;
}

static void
cli_clear (TuCli *cli)
{
	tu_normaliser_free (cli->norm);
	tu_db_close (cli->db);
	if (cli->config != NULL)
		g_key_file_unref (cli->config);
	g_free (cli->db_url);
	g_free (cli->data_dir);
	g_free (cli->config_path);
	g_free (cli->rules_dir);
}

static gboolean
count_verbose (const char *name, const char *value, gpointer data, GError **error)
{
	TuCli *cli = data;
	cli->verbosity = MAX (cli->verbosity, 0) + 1;
	return TRUE;
}

static gboolean
set_quiet (const char *name, const char *value, gpointer data, GError **error)
{
	TuCli *cli = data;
	cli->verbosity = -1;
	return TRUE;
}

int
main (int argc, char **argv)
{
	setlocale (LC_ALL, "");
	tu_umask_save (); /* before the embedded server changes it */
	tu_cli_signals_init ();
	TuCli cli = {0};
	gboolean show_version = FALSE;
	gboolean show_help = FALSE;
	g_autofree char *opt_db = NULL;
	g_autofree char *opt_data_dir = NULL;
	g_autofree char *opt_config = NULL;
	g_autofree char *opt_rules = NULL;
	GOptionEntry entries[] = {
		{"db", 0, 0, G_OPTION_ARG_STRING, &opt_db, "inventory URL", "URL"},
		{"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir, "data directory", "DIR"},
		{"config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config, "config file", "FILE"},
		{"rules", 0, 0, G_OPTION_ARG_FILENAME, &opt_rules, "extra rules directory", "DIR"},
		{"quiet", 'q', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_quiet, "quiet", NULL},
		{"verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, count_verbose, "verbose",
		 NULL},
		{"version", 0, 0, G_OPTION_ARG_NONE, &show_version, "version", NULL},
		{"help", 'h', 0, G_OPTION_ARG_NONE, &show_help, "help", NULL},
		{NULL},
	};
	g_log_set_default_handler (log_handler, &cli);

	g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
	g_option_context_set_help_enabled (ctx, FALSE);
	g_option_context_set_strict_posix (ctx, TRUE);
	GOptionGroup *group = g_option_group_new ("trueup", "", "", &cli, NULL);
	g_option_group_add_entries (group, entries);
	g_option_context_set_main_group (ctx, group);
	g_autoptr(GError) error = NULL;
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		tu_cli_error ("%s (see trueup --help)", error->message);
		return TU_EXIT_USAGE;
	}
	if (show_version) {
		printf ("trueup %s\n", TU_VERSION);
		return TU_EXIT_OK;
	}
	if (show_help) {
		print_usage (stdout);
		return TU_EXIT_OK;
	}
	if (argc < 2) {
		print_usage (stderr);
		return TU_EXIT_USAGE;
	}
	if (argv[1][0] == '-') {
		tu_cli_error ("unknown option %s (see trueup --help)", argv[1]);
		return TU_EXIT_USAGE;
	}
	const TuCommand *cmd = NULL;
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
		if (g_strcmp0 (argv[1], commands[i]->name) == 0 ||
		    (commands[i]->alias && g_strcmp0 (argv[1], commands[i]->alias) == 0))
			cmd = commands[i];
	}
	if (cmd == NULL) {
		const char *names[G_N_ELEMENTS (commands) * 2];
		for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
			names[2 * i] = commands[i]->name;
			names[2 * i + 1] = commands[i]->alias;
		}
		const char *hint = tu_cli_suggest (argv[1], names, G_N_ELEMENTS (names));
		if (hint != NULL)
			tu_cli_error ("unknown command '%s'; did you mean '%s'? (see trueup --help)",
				      argv[1], hint);
		else
			tu_cli_error ("unknown command '%s' (see trueup --help)", argv[1]);
		return TU_EXIT_USAGE;
	}

	/* -q and -v also after the command (`trueup scan --local -q` in a crontab), up to "--" */
	for (int i = 2; i < argc && g_strcmp0 (argv[i], "--") != 0;) {
		if (g_strcmp0 (argv[i], "-q") == 0 || g_strcmp0 (argv[i], "--quiet") == 0)
			set_quiet (NULL, NULL, &cli, NULL);
		else if (g_strcmp0 (argv[i], "-v") == 0 || g_strcmp0 (argv[i], "--verbose") == 0)
			count_verbose (NULL, NULL, &cli, NULL);
		else if (g_strcmp0 (argv[i], "-vv") == 0)
			cli.verbosity = MAX (cli.verbosity, 0) + 2;
		else {
			i++;
			continue;
		}
		memmove (&argv[i], &argv[i + 1], (size_t) (argc - i) * sizeof argv[0]);
		argc--;
	}

	/* config: --config, else the XDG default (which may be absent) */
	cli.config_explicit = opt_config != NULL;
	cli.config_path = opt_config ? g_strdup (opt_config)
				     : g_build_filename (g_get_user_config_dir (), "trueup",
							 "trueup.conf", NULL);
	/* `run --config FILE` names the run's config the same way */
	for (int i = 2; i < argc && g_strcmp0 (cmd->name, "run") == 0; i++) {
		if (g_str_has_prefix (argv[i], "--config=")) {
			g_free (cli.config_path);
			cli.config_path = g_strdup (argv[i] + 9);
			cli.config_explicit = TRUE;
		} else if (g_strcmp0 (argv[i], "--config") == 0 && i + 1 < argc) {
			g_free (cli.config_path);
			cli.config_path = g_strdup (argv[i + 1]);
			cli.config_explicit = TRUE;
		}
	}
	if (!load_config (&cli, &error)) {
		int rc = tu_cli_fail (error);
		cli_clear (&cli);
		return rc == TU_EXIT_USAGE ? TU_EXIT_ERROR : rc;
	}
	/* precedence: command line, environment, config, default */
	g_autofree char *conf_db = tu_cli_config_string (&cli, "trueup", "db");
	g_autofree char *conf_dir = tu_cli_config_string (&cli, "trueup", "data-dir");
	g_autofree char *conf_rules = tu_cli_config_string (&cli, "trueup", "rules-dir");
	const char *env_db = g_getenv ("TRUEUP_DB");
	const char *env_dir = g_getenv ("TRUEUP_DATA_DIR");
	cli.db_url = g_strdup (opt_db ? opt_db : env_db && *env_db ? env_db
								   : conf_db);
	if (cli.db_url != NULL && *cli.db_url == '\0')
		g_clear_pointer (&cli.db_url, g_free);
	const char *dir = opt_data_dir ? opt_data_dir : env_dir && *env_dir ? env_dir
									    : conf_dir;
	cli.data_dir = dir ? g_canonicalize_filename (dir, NULL)
			   : g_build_filename (g_get_user_data_dir (), "trueup", NULL);
	if (opt_rules != NULL || conf_rules != NULL)
		cli.rules_dir = g_strdup (opt_rules ? opt_rules : conf_rules);
	if (cli.verbosity == 0 && cli.config != NULL &&
	    g_key_file_get_boolean (cli.config, "trueup", "quiet", NULL))
		cli.verbosity = -1;

	int rc = tu_cli_run_command (&cli, cmd, argc - 1, argv + 1);
	cli_clear (&cli);
	return rc;
}
