/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the Windows reg export parser. Seeds: tests/fuzz/windows-reg/. */
#include <stdint.h>

#include "tu-common.h"
#include "tu-sources.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
	GPtrArray *hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) tu_host_scan_free);
	GError *error = NULL;
	tu_windows_parse_reg (data, size, "fuzz.reg", hosts, &error);
	g_clear_error (&error);
	g_ptr_array_unref (hosts);
	return 0;
}
