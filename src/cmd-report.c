/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `trueup report KIND -o FILE`: workbooks and CSV. */
#include "config.h"

#include "tu-cli.h"
#include "tu-common.h"
#include "tu-report.h"

static void
print_written (TuCli *cli, GPtrArray *files)
{
	for (guint i = 0; files != NULL && i < files->len; i++)
		tu_cli_info (cli, "wrote %s", (const char *) g_ptr_array_index (files, i));
}

static int
cmd_inventory (TuCli *cli, int argc, char **argv)
{
	g_autofree char *output = NULL;
	g_autofree char *format = NULL;
	GOptionEntry entries[] = {
		{"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "the file to write", "FILE"},
		{"format", 0, 0, G_OPTION_ARG_STRING, &format,
		 "xlsx or csv (default: from the file name, else xlsx)", "FORMAT"},
		{NULL},
	};
	g_autoptr(GError) error = NULL;
	if (!tu_cli_parse (cli, "report inventory", "-o FILE",
			   "Write the inventory: Hosts, Installations, Products (count of hosts per "
			   "product and version).",
			   entries, &argc, &argv, &error))
		return tu_cli_fail (error);
	if (output == NULL) {
		tu_cli_error ("report inventory: -o FILE is required");
		return TU_EXIT_USAGE;
	}
	TuDb *db = tu_cli_get_db (cli, &error);
	if (db == NULL)
		return tu_cli_fail (error);
	g_autoptr(GPtrArray) files = NULL;
	if (!tu_report_inventory (db, output, format, &files, &error))
		return tu_cli_fail (error);
	print_written (cli, files);
	return TU_EXIT_OK;
}

int
tu_cmd_report (TuCli *cli, int argc, char **argv)
{
	static const TuCommand table[] = {
		{"inventory", NULL, "-o FILE", "hosts, installations and products", cmd_inventory},
	};
	return tu_cli_dispatch (cli, "report", table, G_N_ELEMENTS (table), argc, argv);
}
