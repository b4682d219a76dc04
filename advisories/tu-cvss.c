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
#include "tu-cvss4-resources.h"

typedef struct {
	const char *name;
	const char *values; /* the letters allowed, e.g. "NALP" */
} CvssMetric;

/* The base metrics, in the specification's order. */
static const CvssMetric base_metrics[] = {
	{"AV", "NALP"},
	{"AC", "LH"},
	{"PR", "NLH"},
	{"UI", "NR"},
	{"S", "UC"},
	{"C", "HLN"},
	{"I", "HLN"},
	{"A", "HLN"},
};

/* Temporal and environmental metrics: allowed in a vector, not part of the base score. */
static const CvssMetric other_metrics[] = {
	{"E", "XUPFH"},
	{"RL", "XOTWU"},
	{"RC", "XURC"},
	{"CR", "XLMH"},
	{"IR", "XLMH"},
	{"AR", "XLMH"},
	{"MAV", "XNALP"},
	{"MAC", "XLH"},
	{"MPR", "XNLH"},
	{"MUI", "XNR"},
	{"MS", "XUC"},
	{"MC", "XNLH"},
	{"MI", "XNLH"},
	{"MA", "XNLH"},
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

/* ---------------------------------------------------------------- CVSS v4.0 ----------- */

/*
 * CVSS v4.0 (FIRST's specification, section 8.2) scores a vector by its macro vector: six
 * equivalence classes (EQ1..EQ6) put the vector in one of 270 classes whose scores are a
 * table of the standard, and the score is that class's minus the mean of how far the vector
 * lies below the class's highest vectors, each equivalence class's distance taken as a part of
 * the drop to the next lower class. The tables (scores, highest vectors, depths) are data,
 * advisories/cvss4/cvss4-tables.txt, read once from the binary's resources. The arithmetic
 * follows FIRST's reference calculator step for step in doubles, so that the rounding to one
 * decimal agrees with it (but for a 1e-6 against floating-point error, see the end).
 */

enum {
	V4_AV,
	V4_AC,
	V4_AT,
	V4_PR,
	V4_UI,
	V4_VC,
	V4_VI,
	V4_VA,
	V4_SC,
	V4_SI,
	V4_SA,
	V4_E,
	V4_CR,
	V4_IR,
	V4_AR,
	V4_MAV,
	V4_MAC,
	V4_MAT,
	V4_MPR,
	V4_MUI,
	V4_MVC,
	V4_MVI,
	V4_MVA,
	V4_MSC,
	V4_MSI,
	V4_MSA,
	V4_S,
	V4_AU,
	V4_R,
	V4_V,
	V4_RE,
	V4_U,
	V4_N_METRICS,
	V4_N_BASE = V4_E,
};

/* Every metric of a v4.0 vector and its values ("|" between them; Provider Urgency's are
 * words). Base metrics (the first eleven) are required, the others default to X. */
static const CvssMetric v4_metrics[V4_N_METRICS] = {
	{"AV", "N|A|L|P"},
	{"AC", "L|H"},
	{"AT", "N|P"},
	{"PR", "N|L|H"},
	{"UI", "N|P|A"},
	{"VC", "H|L|N"},
	{"VI", "H|L|N"},
	{"VA", "H|L|N"},
	{"SC", "H|L|N"},
	{"SI", "H|L|N"},
	{"SA", "H|L|N"},
	{"E", "X|A|P|U"},
	{"CR", "X|H|M|L"},
	{"IR", "X|H|M|L"},
	{"AR", "X|H|M|L"},
	{"MAV", "X|N|A|L|P"},
	{"MAC", "X|L|H"},
	{"MAT", "X|N|P"},
	{"MPR", "X|N|L|H"},
	{"MUI", "X|N|P|A"},
	{"MVC", "X|H|L|N"},
	{"MVI", "X|H|L|N"},
	{"MVA", "X|H|L|N"},
	{"MSC", "X|H|L|N"},
	{"MSI", "X|S|H|L|N"},
	{"MSA", "X|S|H|L|N"},
	{"S", "X|N|P"},
	{"AU", "X|N|Y"},
	{"R", "X|A|U|I"},
	{"V", "X|D|C"},
	{"RE", "X|L|M|H"},
	{"U", "X|Clear|Green|Amber|Red"},
};

/* The metrics a severity distance is measured on, and each value's level (0.1 a step, as
 * the calculator counts them): AV PR UI AC AT VC VI VA SC SI SA CR IR AR. */
enum { D_AV,
       D_PR,
       D_UI,
       D_AC,
       D_AT,
       D_VC,
       D_VI,
       D_VA,
       D_SC,
       D_SI,
       D_SA,
       D_CR,
       D_IR,
       D_AR,
       D_N };

static const struct {
	const char *name;
	const char *letters; /* values, in order of level */
	double levels[5];
} v4_levels[D_N] = {
	{"AV", "NALP", {0.0, 0.1, 0.2, 0.3}},
	{"PR", "NLH", {0.0, 0.1, 0.2}},
	{"UI", "NPA", {0.0, 0.1, 0.2}},
	{"AC", "LH", {0.0, 0.1}},
	{"AT", "NP", {0.0, 0.1}},
	{"VC", "HLN", {0.0, 0.1, 0.2}},
	{"VI", "HLN", {0.0, 0.1, 0.2}},
	{"VA", "HLN", {0.0, 0.1, 0.2}},
	{"SC", "HLN", {0.1, 0.2, 0.3}},
	{"SI", "SHLN", {0.0, 0.1, 0.2, 0.3}},
	{"SA", "SHLN", {0.0, 0.1, 0.2, 0.3}},
	{"CR", "HML", {0.0, 0.1, 0.2}},
	{"IR", "HML", {0.0, 0.1, 0.2}},
	{"AR", "HML", {0.0, 0.1, 0.2}},
};

/* EQ indexes of the tables: EQ3 and EQ6 go together. */
enum { T_EQ1,
       T_EQ2,
       T_EQ3EQ6,
       T_EQ4,
       T_EQ5,
       T_N };

#define V4_MAX_HIGHEST 5

typedef struct {
	char values[D_N]; /* 0 where the highest vector does not name the metric */
} V4Highest;

typedef struct {
	double score[3][2][3][3][3][2]; /* < 0: no such macro vector */
	V4Highest highest[T_N][6][V4_MAX_HIGHEST];
	guint n_highest[T_N][6];
	double depth[T_N][6]; /* 0: none */
} V4Tables;

/* level index within a table: EQ3EQ6's is EQ3 * 2 + EQ6 */
static const char *const v4_table_names[T_N] = {"eq1", "eq2", "eq3eq6", "eq4", "eq5"};

static gboolean
v4_parse_level (guint table, const char *text, guint *level)
{
	guint64 n = 0;
	const char *end = NULL;
	if (table == T_EQ3EQ6) {
		if (strlen (text) != 2 || text[0] < '0' || text[0] > '2' || text[1] < '0' ||
		    text[1] > '1')
			return FALSE;
		*level = (guint) (text[0] - '0') * 2 + (guint) (text[1] - '0');
		return TRUE;
	}
	n = g_ascii_strtoull (text, (char **) &end, 10);
	if (end == text || *end != '\0' || n > 2)
		return FALSE;
	*level = (guint) n;
	return TRUE;
}

static gboolean
v4_parse_highest (const char *text, V4Highest *h)
{
	g_auto(GStrv) parts = g_strsplit (text, "/", -1);
	memset (h, 0, sizeof (*h));
	for (guint i = 0; parts[i] != NULL; i++) {
		const char *colon = strchr (parts[i], ':');
		if (colon == NULL || strlen (colon) != 2)
			return FALSE;
		gboolean known = FALSE;
		gsize name_len = (gsize) (colon - parts[i]);
		for (guint d = 0; d < D_N; d++) {
			if (strlen (v4_levels[d].name) == name_len &&
			    strncmp (v4_levels[d].name, parts[i], name_len) == 0 &&
			    strchr (v4_levels[d].letters, colon[1]) != NULL) {
				h->values[d] = colon[1];
				known = TRUE;
			}
		}
		if (!known && strcmp (parts[i], "E:A") != 0 && strcmp (parts[i], "E:P") != 0 &&
		    strcmp (parts[i], "E:U") != 0)
			return FALSE;
	}
	return TRUE;
}

static gboolean
v4_tables_parse (const char *text, V4Tables *t, GError **error)
{
	g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
	guint n_scores = 0;
	memset (t, 0, sizeof (*t));
	for (guint a = 0; a < 3; a++)
		for (guint b = 0; b < 2; b++)
			for (guint c = 0; c < 3; c++)
				for (guint d = 0; d < 3; d++)
					for (guint e = 0; e < 3; e++)
						for (guint f = 0; f < 2; f++)
							t->score[a][b][c][d][e][f] = -1;
	for (guint i = 0; lines[i] != NULL; i++) {
		const char *line = lines[i];
		if (*line == '\0' || *line == '#')
			continue;
		g_auto(GStrv) f = g_strsplit (line, " ", -1);
		guint n = g_strv_length (f);
		guint table = T_N, level = 0;
		if (n == 3 && strcmp (f[0], "score") == 0) {
			const char *mv = f[1];
			char *end = NULL;
			double v = g_ascii_strtod (f[2], &end);
			if (strlen (mv) != 6 || mv[0] < '0' || mv[0] > '2' || mv[1] < '0' ||
			    mv[1] > '1' || mv[2] < '0' || mv[2] > '2' || mv[3] < '0' ||
			    mv[3] > '2' || mv[4] < '0' || mv[4] > '2' || mv[5] < '0' ||
			    mv[5] > '1' || end == f[2] || *end != '\0' || v < 0 || v > 10)
				goto bad;
			t->score[mv[0] - '0'][mv[1] - '0'][mv[2] - '0'][mv[3] - '0'][mv[4] - '0']
				[mv[5] - '0'] = v;
			n_scores++;
			continue;
		}
		if (n != 4)
			goto bad;
		for (guint k = 0; k < T_N; k++)
			if (strcmp (f[1], v4_table_names[k]) == 0)
				table = k;
		if (table == T_N || !v4_parse_level (table, f[2], &level))
			goto bad;
		if (strcmp (f[0], "highest") == 0) {
			if (t->n_highest[table][level] == V4_MAX_HIGHEST ||
			    !v4_parse_highest (f[3],
					       &t->highest[table][level]
							  [t->n_highest[table][level]]))
				goto bad;
			t->n_highest[table][level]++;
		} else if (strcmp (f[0], "depth") == 0) {
			guint64 d = 0;
			const char *end = NULL;
			d = g_ascii_strtoull (f[3], (char **) &end, 10);
			if (end == f[3] || *end != '\0' || d == 0 || d > 100)
				goto bad;
			t->depth[table][level] = (double) d;
		} else {
			goto bad;
		}
		continue;
	bad:
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "cvss4-tables.txt:%u: not a table line: %s", i + 1, line);
		return FALSE;
	}
	if (n_scores != 270) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "cvss4-tables.txt: %u macro vector scores, not 270", n_scores);
		return FALSE;
	}
	return TRUE;
}

static const V4Tables *
v4_tables (GError **error)
{
	static V4Tables tables;
	static gsize loaded = 0;
	static char *failure = NULL;
	if (g_once_init_enter (&loaded)) {
		g_autoptr(GError) local = NULL;
		g_autoptr(GBytes) bytes = g_resource_lookup_data (
			tu_cvss4_get_resource (), "/org/trueup/cvss4/cvss4-tables.txt", 0, &local);
		if (bytes != NULL) {
			gsize size = 0;
			const char *data = g_bytes_get_data (bytes, &size);
			g_autofree char *text = g_strndup (data, size);
			v4_tables_parse (text, &tables, &local);
		}
		if (local != NULL)
			failure = g_strdup (local->message);
		g_once_init_leave (&loaded, 1);
	}
	if (failure != NULL) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "CVSS v4 tables: %s", failure);
		return NULL;
	}
	return &tables;
}

/* The value that counts for a metric: a Modified metric replaces its base metric unless X;
 * E, CR, IR, AR not given (X) count as their worst (A, H). */
static char
v4_effective (const char *v, guint metric)
{
	switch (metric) {
	case V4_E:
		return v[V4_E] == 'X' ? 'A' : v[V4_E];
	case V4_CR:
	case V4_IR:
	case V4_AR:
		return v[metric] == 'X' ? 'H' : v[metric];
	default:
		break;
	}
	if (metric < V4_N_BASE) {
		char modified = v[V4_MAV + metric];
		if (modified != 'X')
			return modified;
	}
	return v[metric];
}

/* the vector's metrics in the order of the distance table */
static const guint v4_distance_metric[D_N] = {V4_AV, V4_PR, V4_UI, V4_AC, V4_AT,
					      V4_VC, V4_VI, V4_VA, V4_SC, V4_SI,
					      V4_SA, V4_CR, V4_IR, V4_AR};

static double
v4_level (guint d, char value)
{
	const char *at = strchr (v4_levels[d].letters, value);
	return at != NULL ? v4_levels[d].levels[at - v4_levels[d].letters] : 0.0;
}

static double
v4_lookup (const V4Tables *t, const guint eq[6])
{
	if (eq[0] > 2 || eq[1] > 1 || eq[2] > 2 || eq[3] > 2 || eq[4] > 2 || eq[5] > 1)
		return -1;
	return t->score[eq[0]][eq[1]][eq[2]][eq[3]][eq[4]][eq[5]];
}

static double
v4_score (const V4Tables *t, const char *v)
{
	char av = v4_effective (v, V4_AV), pr = v4_effective (v, V4_PR),
	     ui = v4_effective (v, V4_UI), ac = v4_effective (v, V4_AC),
	     at = v4_effective (v, V4_AT), vc = v4_effective (v, V4_VC),
	     vi = v4_effective (v, V4_VI), va = v4_effective (v, V4_VA),
	     sc = v4_effective (v, V4_SC), si = v4_effective (v, V4_SI),
	     sa = v4_effective (v, V4_SA), e = v4_effective (v, V4_E),
	     cr = v4_effective (v, V4_CR), ir = v4_effective (v, V4_IR),
	     ar = v4_effective (v, V4_AR);

	/* no impact on any system: 0 whatever else */
	if (vc == 'N' && vi == 'N' && va == 'N' && sc == 'N' && si == 'N' && sa == 'N')
		return 0.0;

	guint eq[6];
	if (av == 'N' && pr == 'N' && ui == 'N')
		eq[0] = 0;
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		eq[0] = 1;
	else
		eq[0] = 2;
	eq[1] = ac == 'L' && at == 'N' ? 0 : 1;
	if (vc == 'H' && vi == 'H')
		eq[2] = 0;
	else if (vc == 'H' || vi == 'H' || va == 'H')
		eq[2] = 1;
	else
		eq[2] = 2;
	if (v[V4_MSI] == 'S' || v[V4_MSA] == 'S')
		eq[3] = 0;
	else if (sc == 'H' || si == 'H' || sa == 'H')
		eq[3] = 1;
	else
		eq[3] = 2;
	eq[4] = e == 'A' ? 0 : e == 'P' ? 1
					: 2;
	eq[5] = (cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') || (ar == 'H' && va == 'H')
			? 0
			: 1;

	double value = v4_lookup (t, eq);

	/* the next lower macro vector of each equivalence class (EQ3 and EQ6 move together:
	 * 00 may go to 01 or 10, the higher scoring; 01 and 11 to the next EQ3; 10 to 11) */
	double lower[T_N];
	guint n[6];
	memcpy (n, eq, sizeof (n));
	n[0]++;
	lower[T_EQ1] = v4_lookup (t, n);
	memcpy (n, eq, sizeof (n));
	n[1]++;
	lower[T_EQ2] = v4_lookup (t, n);
	memcpy (n, eq, sizeof (n));
	if (eq[2] == 0 && eq[5] == 0) {
		n[5]++;
		double left = v4_lookup (t, n);
		memcpy (n, eq, sizeof (n));
		n[2]++;
		double right = v4_lookup (t, n);
		lower[T_EQ3EQ6] = left > right ? left : right;
	} else if (eq[2] == 1 && eq[5] == 0) {
		n[5]++;
		lower[T_EQ3EQ6] = v4_lookup (t, n);
	} else if (eq[5] == 1 && eq[2] < 2) {
		n[2]++;
		lower[T_EQ3EQ6] = v4_lookup (t, n);
	} else {
		lower[T_EQ3EQ6] = -1; /* 21: nothing lower */
	}
	memcpy (n, eq, sizeof (n));
	n[3]++;
	lower[T_EQ4] = v4_lookup (t, n);
	memcpy (n, eq, sizeof (n));
	n[4]++;
	lower[T_EQ5] = v4_lookup (t, n);

	/* the first of the class's highest vectors (every combination of the equivalence
	 * classes' highest, in the table's order) that the vector is nowhere above */
	guint lv[T_N] = {eq[0], eq[1], eq[2] * 2 + eq[5], eq[3], eq[4]};
	double own[D_N];
	for (guint d = 0; d < D_N; d++)
		own[d] = v4_level (d, v4_effective (v, v4_distance_metric[d]));
	double dist[D_N] = {0};
	gboolean found = FALSE;
	for (guint i1 = 0; i1 < t->n_highest[T_EQ1][lv[0]] && !found; i1++) {
		for (guint i2 = 0; i2 < t->n_highest[T_EQ2][lv[1]] && !found; i2++) {
			for (guint i3 = 0; i3 < t->n_highest[T_EQ3EQ6][lv[2]] && !found; i3++) {
				for (guint i4 = 0; i4 < t->n_highest[T_EQ4][lv[3]] && !found;
				     i4++) {
					for (guint i5 = 0;
					     i5 < t->n_highest[T_EQ5][lv[4]] && !found; i5++) {
						const V4Highest *parts[] = {
							&t->highest[T_EQ1][lv[0]][i1],
							&t->highest[T_EQ2][lv[1]][i2],
							&t->highest[T_EQ3EQ6][lv[2]][i3],
							&t->highest[T_EQ4][lv[3]][i4],
						};
						gboolean above = FALSE;
						for (guint d = 0; d < D_N; d++) {
							char hv = 0;
							for (guint p = 0; p < 4; p++)
								if (parts[p]->values[d] != 0)
									hv = parts[p]->values[d];
							dist[d] = own[d] - v4_level (d, hv);
							if (dist[d] < 0)
								above = TRUE;
						}
						found = !above;
					}
				}
			}
		}
	}

	double current[T_N] = {
		dist[D_AV] + dist[D_PR] + dist[D_UI],
		dist[D_AC] + dist[D_AT],
		dist[D_VC] + dist[D_VI] + dist[D_VA] + dist[D_CR] + dist[D_IR] + dist[D_AR],
		dist[D_SC] + dist[D_SI] + dist[D_SA],
		0,
	};
	double step = 0.1;
	double normalized[T_N] = {0};
	guint n_lower = 0;
	for (guint k = 0; k < T_N; k++) {
		if (lower[k] < 0)
			continue;
		n_lower++;
		double available = value - lower[k];
		if (k == T_EQ5)
			continue; /* EQ5's distance is always 0 */
		double depth = t->depth[k][lv[k]] * step;
		normalized[k] = available * (current[k] / depth);
	}
	double mean = 0;
	if (n_lower > 0)
		mean = (normalized[T_EQ1] + normalized[T_EQ2] + normalized[T_EQ3EQ6] +
			normalized[T_EQ4] + normalized[T_EQ5]) /
		       n_lower;
	value -= mean;
	if (value < 0)
		value = 0.0;
	if (value > 10)
		value = 10.0;
	/* to one decimal, halves up (value is not negative); 1e-6 first, since the differences
	 * of the table's scores are inexact in floating point (8.6 - 7.15 is 1.4499999...),
	 * as Red Hat's implementation rounds */
	return (double) (gint64) ((value + 1e-6) * 10.0 + 0.5) / 10.0;
}

gboolean
tu_cvss4_score (const char *vector, double *score, GError **error)
{
	char v[V4_N_METRICS];
	gboolean seen[V4_N_METRICS] = {FALSE};

	if (vector == NULL || !g_str_has_prefix (vector, "CVSS:4.0/")) {
		g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
			     "CVSS vector %s: not a CVSS:4.0/ vector", vector ? vector : "(none)");
		return FALSE;
	}
	const V4Tables *t = v4_tables (error);
	if (t == NULL)
		return FALSE;
	memset (v, 'X', sizeof (v));
	const char *p = vector + strlen ("CVSS:4.0/");
	while (TRUE) {
		const char *end = strchr (p, '/');
		if (end == NULL)
			end = p + strlen (p);
		const char *colon = memchr (p, ':', (gsize) (end - p));
		if (colon == NULL || colon == p || colon + 1 == end) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: \"%.*s\" is not METRIC:VALUE", vector,
				     (int) MIN (end - p, 32), p);
			return FALSE;
		}
		gsize name_len = (gsize) (colon - p), value_len = (gsize) (end - colon - 1);
		guint m = 0;
		for (m = 0; m < V4_N_METRICS; m++)
			if (strlen (v4_metrics[m].name) == name_len &&
			    strncmp (v4_metrics[m].name, p, name_len) == 0)
				break;
		if (m == V4_N_METRICS) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: unknown metric \"%.*s\"", vector,
				     (int) MIN (name_len, 16), p);
			return FALSE;
		}
		if (seen[m]) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: metric %s given twice", vector,
				     v4_metrics[m].name);
			return FALSE;
		}
		gboolean allowed = FALSE;
		g_auto(GStrv) values = g_strsplit (v4_metrics[m].values, "|", -1);
		for (guint i = 0; values[i] != NULL && !allowed; i++)
			allowed = strlen (values[i]) == value_len &&
				  strncmp (values[i], colon + 1, value_len) == 0;
		if (!allowed) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: metric %s: \"%.*s\" is not one of %s",
				     vector, v4_metrics[m].name, (int) MIN (value_len, 16),
				     colon + 1, v4_metrics[m].values);
			return FALSE;
		}
		seen[m] = TRUE;
		v[m] = colon[1];
		if (*end == '\0')
			break;
		p = end + 1;
	}
	for (guint m = 0; m < V4_N_BASE; m++) {
		if (!seen[m]) {
			g_set_error (error, TU_ERROR, TU_ERROR_INVALID_DATA,
				     "CVSS vector %s: base metric %s is missing", vector,
				     v4_metrics[m].name);
			return FALSE;
		}
	}
	*score = v4_score (t, v);
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
	{"critical", TU_SEVERITY_CRITICAL},
	{"important", TU_SEVERITY_HIGH},
	{"high", TU_SEVERITY_HIGH},
	{"moderate", TU_SEVERITY_MEDIUM},
	{"medium", TU_SEVERITY_MEDIUM},
	{"low", TU_SEVERITY_LOW},
	{"negligible", TU_SEVERITY_NONE},
	{"unimportant", TU_SEVERITY_NONE},
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
