/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the apk parser (lib/apk/db/installed). Seeds: tests/fuzz/apk/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_apk_parse_installed ((const char *) data, size, "installed", scan, &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
