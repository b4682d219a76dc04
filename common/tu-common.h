/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every trueup source file needs: GLib, the error domain and the small helpers in
 * tu-util.h. Cleanup functions for foreign types live beside the module that wraps them
 * (MYSQL_RES in store/tu-sql.h, pcre2 in tu-rules.h, lxw in tu-xlsx.h), defined once each.
 */
#pragma once

#include <glib.h>

#include "tu-error.h"
#include "tu-terminal.h"
#include "tu-util.h"
