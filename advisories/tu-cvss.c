/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CVSS v3 base scores (see tu-osv.h): the vector is read strictly (every base metric once,
 * known values only, an optional "CVSS:3.0/" or "CVSS:3.1/" prefix; temporal and
 * environmental metrics are checked and ignored) and scored with the formulas of the FIRST
 * CVSS v3.1 specification, section 7.1, and the Roundup of its Appendix A, which works on an
 * integer so that a sum like 4.000000001 from floating-point error does not become 4.1.
 * v3.0 vectors use the same base formula (v3.1 only made the rounding exact). No libm: the
 * one power is a product.
 */
#include "config.h"

#include <string.h>

#include "tu-common.h"
#include "tu-osv.h"

typedef struct {
	const char *name;
	const char *values; /* the letters allowed, e.g. "NALP" */
} CvssMetric;

/* The base metrics, in the specification's order. */
static const CvssMetric base_metrics[] = {
	{"AV", "NALP"}, {"AC", "LH"}, {"PR", "NLH"}, {"UI", "NR"},
	{"S", "UC"},	{"C", "HLN"}, {"I", "HLN"},  {"A", "HLN"},
};

/* Temporal and environmental metrics: allowed in a vector, not part of the base score. */
static const CvssMetric other_metrics[] = {
	{"E", "XUPFH"}, {"RL", "XOTWU"}, {"RC", "XURC"}, {"CR", "XLMH"},  {"IR", "XLMH"},
	{"AR", "XLMH"}, {"MAV", "XNALP"}, {"MAC", "XLH"}, {"MPR", "XNLH"}, {"MUI", "XNR"},
	{"MS", "XUC"},	{"MC", "XNLH"},	  {"MI", "XNLH"}, {"MA", "XNLH"},
};

/* Roundup of CVSS v3.1 Appendix A: the smallest number with one decimal place that is equal
 * to or higher than its input, computed on an integer to avoid floating-point surprises. */
static double
cvss_roundup (double input)
{
	/* input is never negative here: adding 0.5 and truncating rounds to nearest */
	gint64 int_input = (gint64) (input * 100000.0 + 0.5);
	if (int_input % 10000 == 0)
		return (double) int_input / 100000.0;
	return (double) (int_input / 10000 + 1) / 10.0;
}

static double
weight_av (char v)
{
	switch (v) {
	case 'N':
		return 0.85;
	case 'A':
		return 0.62;
	case 'L':
		return 0.55;
	default:
		return 0.2; /* P */
	}
}

static double
weight_cia (char v)
{
	switch (v) {
	case 'H':
		return 0.56;
	case 'L':
		return 0.22;
	default:
		return 0.0; /* N */
	}
}

static double
weight_pr (char v, gboolean changed)
{
	switch (v) {
	case 'N':
		return 0.85;
	case 'L':
		return changed ? 0.68 : 0.62;
	default:
		return changed ? 0.5 : 0.27; /* H */
	}
}

static const CvssMetric *
find_metric (const CvssMetric *table, guint n, const char *name, gsize len, guint *index)
{
	for (guint i = 0; i < n; i++) {
		if (strlen (table[i].name) == len && strncmp (table[i].name, name, len) == 0) {
			*index = i;
			return &table[i];
		}
	}
	return NULL;
}

gboolean
tu_cvss3_base_score (const char *vector, double *score, GError **error)
{
	char base[G_N_ELEMENTS (base_metrics)] = {0};
	char other[G_N_ELEMENTS (other_metrics)] = {0};

	if (vector == NULL || *vector == '\0') {
		g_set_error_literal (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector: empty");
		return FALSE;
	}
	const char *p = vector;
	if (g_str_has_prefix (p, "CVSS:")) {
		if (g_str_has_prefix (p, "CVSS:3.0/") || g_str_has_prefix (p, "CVSS:3.1/")) {
			p += strlen ("CVSS:3.x/");
		} else {
			const char *slash = strchr (p, '/');
			int n = slash ? (int) (slash - p) : (int) strlen (p);
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: version \"%.*s\" is not CVSS 3.0 or 3.1",
				     vector, MIN (n, 16), p);
			return FALSE;
		}
	}

	while (TRUE) {
		const char *end = strchr (p, '/');
		if (end == NULL)
			end = p + strlen (p);
		const char *colon = memchr (p, ':', (gsize) (end - p));
		if (colon == NULL || colon == p || end - colon != 2) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: \"%.*s\" is not METRIC:VALUE", vector,
				     (int) MIN (end - p, 32), p);
			return FALSE;
		}
		gsize name_len = (gsize) (colon - p);
		char value = colon[1];
		guint index = 0;
		char *slot = NULL;
		const CvssMetric *m = find_metric (base_metrics, G_N_ELEMENTS (base_metrics), p,
						   name_len, &index);
		if (m != NULL) {
			slot = &base[index];
		} else {
			m = find_metric (other_metrics, G_N_ELEMENTS (other_metrics), p, name_len,
					 &index);
			if (m != NULL)
				slot = &other[index];
		}
		if (m == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: unknown metric \"%.*s\"", vector,
				     (int) MIN (name_len, 16), p);
			return FALSE;
		}
		if (*slot != 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: metric %s given twice", vector, m->name);
			return FALSE;
		}
		if (value == '\0' || strchr (m->values, value) == NULL) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: metric %s: \"%c\" is not one of %s", vector,
				     m->name, g_ascii_isprint (value) ? value : '?', m->values);
			return FALSE;
		}
		*slot = value;
		if (*end == '\0')
			break;
		p = end + 1;
	}
	for (guint i = 0; i < G_N_ELEMENTS (base_metrics); i++) {
		if (base[i] == 0) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: base metric %s is missing", vector,
				     base_metrics[i].name);
			return FALSE;
		}
	}

	/* base[]: AV AC PR UI S C I A */
	gboolean changed = base[4] == 'C';
	double iss = 1.0 - (1.0 - weight_cia (base[5])) * (1.0 - weight_cia (base[6])) *
				   (1.0 - weight_cia (base[7]));
	double pow15 = 1.0;
	for (guint i = 0; i < 15; i++)
		pow15 *= iss - 0.02;
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow15 : 6.42 * iss;
	double exploitability = 8.22 * weight_av (base[0]) * (base[1] == 'L' ? 0.77 : 0.44) *
				weight_pr (base[2], changed) * (base[3] == 'N' ? 0.85 : 0.62);
	if (impact <= 0)
		*score = 0.0;
	else if (changed)
		*score = cvss_roundup (MIN (1.08 * (impact + exploitability), 10.0));
	else
		*score = cvss_roundup (MIN (impact + exploitability, 10.0));
	return TRUE;
}

/* ---------------------------------------------------------------- one scale ------------ */

/* The labels advisories use, and where they sit on the scale. Red Hat's (and so AlmaLinux's
 * and Rocky's) "Important" is its second level, as high is CVSS's; Ubuntu's "negligible" and
 * Debian's "unimportant" say the issue needs no fix. */
static const struct {
	const char *label;
	TuSeverity severity;
} severity_labels[] = {
	{"critical", TU_SEVERITY_CRITICAL},  {"important", TU_SEVERITY_HIGH},
	{"high", TU_SEVERITY_HIGH},	     {"moderate", TU_SEVERITY_MEDIUM},
	{"medium", TU_SEVERITY_MEDIUM},	     {"low", TU_SEVERITY_LOW},
	{"negligible", TU_SEVERITY_NONE},     {"unimportant", TU_SEVERITY_NONE},
	{"none", TU_SEVERITY_NONE},
};

TuSeverity
tu_severity_from_score (double score)
{
	if (score < 0)
		return TU_SEVERITY_UNKNOWN;
	if (score == 0)
		return TU_SEVERITY_NONE;
	if (score < 4.0)
		return TU_SEVERITY_LOW;
	if (score < 7.0)
		return TU_SEVERITY_MEDIUM;
	if (score < 9.0)
		return TU_SEVERITY_HIGH;
	return TU_SEVERITY_CRITICAL;
}

gboolean
tu_severity_from_label (const char *label, TuSeverity *out)
{
	if (label == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS (severity_labels); i++) {
		if (g_ascii_strcasecmp (label, severity_labels[i].label) == 0) {
			*out = severity_labels[i].severity;
			return TRUE;
		}
	}
	return FALSE;
}

const char *
tu_severity_to_string (TuSeverity s)
{
	switch (s) {
	case TU_SEVERITY_CRITICAL:
		return "critical";
	case TU_SEVERITY_HIGH:
		return "high";
	case TU_SEVERITY_MEDIUM:
		return "medium";
	case TU_SEVERITY_LOW:
		return "low";
	case TU_SEVERITY_NONE:
		return "none";
	case TU_SEVERITY_UNKNOWN:
	default:
		return "unknown";
	}
}
