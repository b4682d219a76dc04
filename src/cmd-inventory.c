/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup inventory` and `trueup hosts`: print what is stored. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-report.h"

typedef struct {
	char *host;
	char *print;
} InventoryOpts;

static const GOptionEntry inventory_options[] = {
	{"host", 0, 0, G_OPTION_ARG_STRING, TU_OPT (InventoryOpts, host),
	 "only this host (name, FQDN or machine-id)", "H"},
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (InventoryOpts, print),
	 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
	{NULL},
};

static int
run_inventory (TuCli *cli, TuInvocation *inv)
{
	const InventoryOpts *o = inv->opts;
	const char *host = o->host;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuTable) t = tu_cli_new_table (o->print, tu_inventory_columns,
						 tu_inventory_n_columns, &error);
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

const TuCommand tu_cmd_inventory = {
	.name = "inventory",
	.alias = "inv",
	.args = "[--host H] [--print table|tsv|json]",
	.summary = "print the stored installations",
	.group = "inventory",
	.usage = "",
	.help = "Print the current installations.",
	.options = inventory_options,
	.options_size = sizeof (InventoryOpts),
	.max_args = 0,
	.too_many = "inventory: unexpected argument '{}'",
	.needs = TU_NEEDS_STORE,
	.run = run_inventory,
};

typedef struct {
	char *print;
} HostsOpts;

static const GOptionEntry hosts_options[] = {
	{"print", 0, 0, G_OPTION_ARG_STRING, TU_OPT (HostsOpts, print),
	 "table (default on a terminal), tsv (default in a pipe) or json", "FORMAT"},
	{NULL},
};

static int
run_hosts (TuCli *cli, TuInvocation *inv)
{
	const HostsOpts *o = inv->opts;
	TuDb *db = inv->db;
	g_autoptr(GError) error = NULL;
	g_autoptr(TuTable) t = tu_cli_new_table (o->print, tu_host_columns, tu_host_n_columns,
						 &error);
	g_autoptr(TuRows) rows = tu_query_hosts (db);
	if (t == NULL || !tu_report_write_hosts (t, rows, &error) || !tu_table_finish (t, &error))
		return tu_cli_fail (error);
	if (tu_table_n_rows (t) == 0)
		tu_cli_error ("hosts: no host has been scanned yet (trueup scan)");
	return TU_EXIT_OK;
}

const TuCommand tu_cmd_hosts = {
	.name = "hosts",
	.args = "[--print table|tsv|json]",
	.summary = "print the stored hosts and their facts",
	.group = "hosts",
	.usage = "",
	.help = "Print the stored hosts and their facts.",
	.options = hosts_options,
	.options_size = sizeof (HostsOpts),
	.max_args = 0,
	.too_many = "hosts: unexpected argument '{}'",
	.needs = TU_NEEDS_STORE,
	.run = run_hosts,
};
