/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup inventory` and `trueup hosts`: print what is stored. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-report.h"

int
tu_cmd_inventory (TuCli *cli, int argc, char **argv)
{
	g_autofree char *host = NULL;
	g_autofree char *print = NULL;
	GOptionEntry entries[] = {
		{"host", 0, 0, G_OPTION_ARG_STRING, &host, "only this host (name, FQDN or machine-id)",
		 "H"},
		{"print", 0, 0, G_OPTION_ARG_STRING, &print,
		 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "inventory", "", "Print the current installations.", entries, &argc,
			   &argv, &error) ||
	    !tu_cli_check_print (print, &error))
		return tu_cli_fail (error);
	if (argc > 1) {
		tu_cli_error ("inventory: unexpected argument '%s'", argv[1]);
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuTable) t = tu_cli_new_table (print, tu_inventory_columns, tu_inventory_n_columns,
						 &error);
	g_autoptr(TuRows) rows = tu_query_installations (db, host);
	if (t == NULL || !tu_report_write_installations (t, rows, &error) ||
	    !tu_table_finish (t, &error))
		return tu_cli_fail (error);
	if (tu_table_n_rows (t) == 0) {
		TuEstateScope scope;
		if (!tu_estate_scope_load (db, host, &scope, &error))
			return tu_cli_fail (error);
		if (scope.n_hosts == 0 && host != NULL)
			tu_cli_error ("inventory: no host matches '%s' (a hostname, FQDN or machine-id; "
				      "see trueup hosts)",
				      host);
		else if (scope.n_hosts == 0)
			tu_cli_error ("inventory: no host has been scanned yet (trueup scan)");
		else
			tu_cli_error ("inventory: no installation is present on %s",
				      host ? host : "any host");
		tu_estate_scope_clear (&scope);
	}
	return TU_EXIT_OK;
}

int
tu_cmd_hosts (TuCli *cli, int argc, char **argv)
{
	g_autofree char *print = NULL;
	GOptionEntry entries[] = {
		{"print", 0, 0, G_OPTION_ARG_STRING, &print,
		 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "hosts", "", "Print the stored hosts and their facts.", entries,
			   &argc, &argv, &error) ||
	    !tu_cli_check_print (print, &error))
		return tu_cli_fail (error);
	if (argc > 1) {
		tu_cli_error ("hosts: unexpected argument '%s'", argv[1]);
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	g_autoptr(TuTable) t = tu_cli_new_table (print, tu_host_columns, tu_host_n_columns, &error);
	g_autoptr(TuRows) rows = tu_query_hosts (db);
	if (t == NULL || !tu_report_write_hosts (t, rows, &error) || !tu_table_finish (t, &error))
		return tu_cli_fail (error);
	if (tu_table_n_rows (t) == 0)
		tu_cli_error ("hosts: no host has been scanned yet (trueup scan)");
	return TU_EXIT_OK;
}
