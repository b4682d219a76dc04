/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the Windows PowerShell/collector JSON parser and, for inputs starting
 * with byte 0x01, the Export-Csv parser. Seeds: tests/fuzz/windows-json/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	GError *error = NULL;
	if (size > 0 && data[0] == 0x01)
		tu_windows_parse_csv ((const char *) data + 1, size - 1, "fuzz.csv", hosts, &error);
	else
		tu_windows_parse_json ((const char *) data, size, "fuzz.json", hosts, &error);
	g_clear_error (&error);
	g_ptr_array_unref (hosts);
	return 0;
}
