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

/* The one currency of the position's costs, or NULL when there are several or none.
 * (transfer none) */
const char *tu_position_currency (const TuLicenceInput *in, const TuLicencePosition *pos);

/* One row per product, edition and metric, with what explains it (units covered by another
 * edition or by downgrade rights, the possible exposure of rows that need data); @styled
 * colours rows by status (workbooks, terminals). */
gboolean tu_report_write_position (const TuLicenceInput *in, const TuLicencePosition *pos,
				   TuTable *t, gboolean styled, GError **error);
/* One row per licensable installation with its verdict and reason. */
gboolean tu_report_write_verdicts (const TuLicenceInput *in, const TuLicencePosition *pos,
				   TuTable *t, gboolean styled, GError **error);

#define TU_REPORT_COMPLIANCE_SHEETS                                                            \
	"What to do, Summary, Shortfall by product, By site, By cost centre, By owner, "         \
	"Installations, Entitlements, Needs review"
#define TU_REPORT_RENEWALS_SHEETS "Renewals, Entitlement use"

/* @unrecognised: the unrecognised and unclassified software for the Needs review sheet
 * (tu_estate_review_items, at most TU_REPORT_REVIEW_MAX), @n_left_out what it left out. */
#define TU_REPORT_REVIEW_MAX 5000
gboolean tu_report_compliance (GPtrArray *unrecognised, guint n_left_out,
			       const TuEstateScope *scope, const TuLicenceInput *in,
			       const TuLicencePosition *pos, const char *path, const char *format,
			       GPtrArray **files, GError **error);
/* Contracts ending within @within_days of the position's date (and those ended in the last 30
 * days): notice deadlines and days left, the true-up exposure of the products they cover,
 * software still in use after a contract ended, and their entitlements' use. */
/* @contract_rows: tu_query_contracts_ending (db, in->at, in->at + within_days). */
gboolean tu_report_renewals (TuRows *contract_rows, const TuEstateScope *scope,
			     const TuLicenceInput *in, const TuLicencePosition *pos,
			     guint within_days, const char *path, const char *format,
			     GPtrArray **files, GError **error);

G_END_DECLS
