/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup version cmp`: compare versions as dpkg, rpm, node-semver, packaging... do. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-version.h"

static const char *
symbol (int cmp)
{
	return cmp < 0 ? "<" : cmp > 0 ? ">" : "=";
}

static int
cmd_cmp (TuCli *cli, int argc, char **argv)
{
	g_autofree char *scheme_name = NULL;
	gboolean batch = FALSE;
	GOptionEntry entries[] = {
		{"scheme", 's', 0, G_OPTION_ARG_STRING, &scheme_name,
		 "dpkg, rpm, semver, dotted, apk, pep440 or generic (default generic)", "S"},
		{"batch", 0, 0, G_OPTION_ARG_NONE, &batch,
		 "read lines A<TAB>B on standard input, print one symbol (or error) per line", NULL},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "version cmp", "A B",
			   "Print <, = or > for two versions compared by a scheme.", entries, &argc,
			   &argv, &error))
		return tu_cli_fail (error);
	TuScheme scheme = TU_SCHEME_GENERIC;
	if (scheme_name != NULL && !tu_scheme_from_string (scheme_name, &scheme)) {
		tu_cli_error ("version cmp: unknown scheme '%s' (dpkg, rpm, semver, dotted, apk, pep440, "
			      "generic)",
			      scheme_name);
		return TU_EXIT_USAGE;
	}
	if (!batch) {
		if (argc != 3) {
			tu_cli_error ("version cmp: give two versions (or --batch)");
			return TU_EXIT_USAGE;
		}
		int cmp = 0;
		g_autofree char *warning = NULL;
		if (!tu_version_compare_as_tool (scheme, argv[1], argv[2], &cmp, &warning, &error))
			return tu_cli_fail (error);
		if (warning != NULL)
			tu_cli_error ("warning: %s", warning);
		printf ("%s\n", symbol (cmp));
		return TU_EXIT_OK;
	}
	if (argc != 1) {
		tu_cli_error ("version cmp: --batch reads its pairs from standard input");
		return TU_EXIT_USAGE;
	}
	/* one line in, one line out; an invalid pair prints "error: ..." and the run goes on */
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	guint lineno = 0, n_errors = 0;
	while ((n = getline (&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *tab = strchr (line, '\t');
		if (tab == NULL) {
			printf ("error: line %u: expected A<TAB>B\n", lineno);
			n_errors++;
			continue;
		}
		*tab = '\0';
		int cmp = 0;
		g_autoptr(GError) local = NULL;
		if (!tu_version_compare_as_tool (scheme, line, tab + 1, &cmp, NULL, &local)) {
			printf ("error: %s\n", local->message);
			n_errors++;
		} else {
			printf ("%s\n", symbol (cmp));
		}
	}
	free (line);
	return n_errors > 0 ? TU_EXIT_ERROR : TU_EXIT_OK;
}

int
tu_cmd_version (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"cmp", NULL, "[--scheme S] A B | --batch", "compare two versions", cmd_cmp},
	};
	return tu_cli_dispatch (cli, "version", table, G_N_ELEMENTS (table), argc, argv);
}
