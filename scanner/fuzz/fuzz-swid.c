/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the SWID tag parser (ISO/IEC 19770-2 2015 and 2009, UTF-8 and
 * UTF-16). Seeds: tests/fuzz/swid/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_swid_parse ((const char *) data, size, "x.swidtag", scan, &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);
	return 0;
}
