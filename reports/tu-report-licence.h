/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The compliance and renewals reports, and the position tables they share with `reconcile`. */
#pragma once

#include <glib.h>

#include "tu-licence.h"
#include "tu-report.h"

G_BEGIN_DECLS

extern const TuColumn tu_position_columns[];
extern const guint tu_position_n_columns;
extern const TuColumn tu_verdict_columns[];
extern const guint tu_verdict_n_columns;

/* One row per product, edition and metric; @styled colours rows by status (workbooks). */
gboolean tu_report_write_position (const TuLicencePosition *pos, TuTable *t, gboolean styled,
				   GError **error);
/* One row per licensable installation with its verdict and reason. */
gboolean tu_report_write_verdicts (const TuLicenceInput *in, const TuLicencePosition *pos,
				   TuTable *t, gboolean styled, GError **error);

gboolean tu_report_compliance (TuDb *db, const TuLicenceInput *in, const TuLicencePosition *pos,
			       const char *path, const char *format, GPtrArray **files,
			       GError **error);
/* Contracts ending within @within_days of the position's date (and those ended in the last 30
 * days), their notice deadlines and their entitlements' use. */
gboolean tu_report_renewals (TuDb *db, const TuLicenceInput *in, const TuLicencePosition *pos,
			     guint within_days, const char *path, const char *format,
			     GPtrArray **files, GError **error);

G_END_DECLS
