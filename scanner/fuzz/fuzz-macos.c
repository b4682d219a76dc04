/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the macOS parsers: one input goes through both the Info.plist
 * reader (XML and binary plists) and the system_profiler / collector import (JSON, XML and
 * binary plists, and system_profiler's text output: an input whose first line ends in ':'
 * goes to the text parser). Seeds: tests/fuzz/macos/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	TuHostScan *scan = tu_host_scan_new ("fuzz");
	GError *error = NULL;
	tu_macos_parse_info_plist (data, size, "Applications/X.app/Contents/Info.plist", scan, &error);
	g_clear_error (&error);
	tu_host_scan_free (scan);

	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	tu_macos_parse_system_profiler ((const char *) data, size, "mac.json", hosts, &error);
	g_clear_error (&error);
	g_ptr_array_unref (hosts);
	return 0;
}
