/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the dpkg status parser (var/lib/dpkg/status, status.d/). Seeds:
 * tests/fuzz/dpkg/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_dpkg_parse_status ((const char *) data, size, "status", scan, &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
