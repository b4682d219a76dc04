-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0008: the keys of the installation intervals of licensable software, so that reconcile
-- reads what it judges (about 12,000 of the 15 M intervals of the 10,000-host benchmark
-- estate) instead of every installation. Only keys: an interval's closing and state stay on
-- its installations row, which the reader joins by primary key, so nothing but opening an
-- interval writes here (ingest, one statement for a host that has any) and `normalise
-- --apply` adds the intervals of software that became licensable. Rows of software that is no
-- longer licensable are filtered by the reader (software.is_licensable) and stay harmless.
-- An index on installations(software_id) would do the same read; measured, it halved the
-- embedded ingest rate (random inserts into a second B-tree the size of the table).
CREATE TABLE IF NOT EXISTS licensable_installations (
  host_id     BIGINT UNSIGNED NOT NULL,
  install_key BIGINT UNSIGNED NOT NULL,
  software_id BIGINT UNSIGNED NOT NULL,
  first_seen  DATETIME(6) NOT NULL,
  PRIMARY KEY (host_id, install_key, software_id, first_seen)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO licensable_installations (host_id, install_key, software_id, first_seen)
  SELECT i.host_id, i.install_key, i.software_id, i.first_seen FROM installations i
  JOIN software s ON s.id = i.software_id WHERE s.is_licensable = 1;
