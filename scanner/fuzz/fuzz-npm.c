/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the npm package.json parser. Seeds: tests/fuzz/npm/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_npm_parse_package_json ((const char *) data, size, "node_modules/x/package.json", scan,
				   &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
