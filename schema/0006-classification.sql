-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0006: the triage class of every software row (commercial, freeware, open-source, component,
-- driver, os, unknown) and the upstream version of distribution packages (no epoch, no
-- distribution revision or suffix: 1:3.0.7-27.el9 -> 3.0.7). Both are normalised columns,
-- rewritten by `normalise --apply`, which also fills them for rows stored before this
-- migration (they start as 'unknown' and NULL).
ALTER TABLE software
  ADD COLUMN IF NOT EXISTS class VARCHAR(16) NOT NULL DEFAULT 'unknown' AFTER kind,
  ADD COLUMN IF NOT EXISTS upstream_version VARCHAR(255) NULL AFTER version,
  ADD INDEX IF NOT EXISTS software_class (class, is_recognised);
