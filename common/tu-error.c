/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tu-error.h"

G_DEFINE_QUARK (trueup-error-quark, tu_error)
