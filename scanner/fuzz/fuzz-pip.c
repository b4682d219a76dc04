/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the Python metadata parser (METADATA, PKG-INFO, single-file
 * egg-info). Seeds: tests/fuzz/pip/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_pip_parse_metadata ((const char *) data, size, "site-packages/x.dist-info/METADATA", scan,
			       &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
