-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0008: installations by software, so that the engines read what they judge and not the
-- estate: reconcile reads the installations of licensable software (about 12,000 of the
-- 15 M rows of the 10,000-host benchmark estate) through this index from the few licensable
-- software rows (software_licensable), instead of streaming every installation and
-- dropping the rest. An index rather than a projection table: it is kept by the server on
-- every write path (ingest, normalise --apply changes software rows only, history closing),
-- so nothing can forget to update it; its cost at ingest is measured in the README.
ALTER TABLE installations ADD INDEX IF NOT EXISTS installations_software (software_id, removed_at);
