/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The project's one error domain, TU_ERROR (see tu-error.h). */
#include "tu-error.h"

G_DEFINE_QUARK (trueup-error-quark, tu_error)
