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
	return cmp < 0 ? "<" : cmp > 0 ? ">"
				       : "=";
}

typedef struct {
	char *scheme_name;
	gboolean batch;
	TuScheme scheme; /* checked */
} CmpOpts;

static const GOptionEntry cmp_options[] = {
	{"scheme", 's', 0, G_OPTION_ARG_STRING, TU_OPT (CmpOpts, scheme_name),
	 "dpkg, rpm, semver, dotted, apk, pep440 or generic (default generic)", "S"},
	{"batch", 0, 0, G_OPTION_ARG_NONE, TU_OPT (CmpOpts, batch),
	 "read lines A<TAB>B on standard input, print one symbol (or error) per line", NULL},
	{NULL},
};

/* the scheme, then two versions or --batch alone */
static gboolean
check_cmp (TuCli *cli, TuInvocation *inv, GError **error)
{
	CmpOpts *o = inv->opts;
	o->scheme = TU_SCHEME_GENERIC;
	if (o->scheme_name != NULL && !tu_scheme_from_string (o->scheme_name, &o->scheme)) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "version cmp: unknown scheme '%s' (dpkg, rpm, semver, dotted, apk, "
			     "pep440, generic)",
			     o->scheme_name);
		return FALSE;
	}
	if (!o->batch && inv->argc != 3) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "version cmp: give two versions (or --batch)");
		return FALSE;
	}
	if (o->batch && inv->argc != 1) {
		g_set_error (error, TU_ERROR, TU_ERROR_USAGE,
			     "version cmp: --batch reads its pairs from standard input");
		return FALSE;
	}
	return TRUE;
}

static int
run_cmp (TuCli *cli, TuInvocation *inv)
{
	const CmpOpts *o = inv->opts;
	TuScheme scheme = o->scheme;
	char **argv = inv->argv;
	g_autoptr(GError) error = NULL;
	if (!o->batch) {
		int cmp = 0;
		g_autofree char *warning = NULL;
		if (!tu_version_compare_as_tool (scheme, argv[1], argv[2], &cmp, &warning, &error))
			return tu_cli_fail (error);
		if (warning != NULL)
			tu_cli_error ("warning: %s", warning);
		printf ("%s\n", symbol (cmp));
		return TU_EXIT_OK;
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

static const TuCommand version_cmp = {
	.name = "cmp",
	.args = "[--scheme S] A B | --batch",
	.summary = "compare two versions",
	.group = "version cmp",
	.usage = "A B",
	.help = "Print <, = or > for two versions compared by a scheme.",
	.options = cmp_options,
	.options_size = sizeof (CmpOpts),
	.max_args = -1,
	.check = check_cmp,
	.run = run_cmp,
};

static const TuCommand *const version_commands[] = {&version_cmp, NULL};

const TuCommand tu_cmd_version = {
	.name = "version",
	.args = "cmp [--scheme S] A B",
	.summary = "compare versions as dpkg, rpm, semver... do",
	.subs = version_commands,
};
