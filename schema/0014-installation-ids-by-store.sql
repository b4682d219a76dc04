-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0014: installation ids assigned by the store, not by the server. A new installation row's id
-- is (host_id << 32) | seq, seq counted by hosts.install_seq, which the store reads and writes
-- with the host's row under the row lock it already takes for each scan (no extra round
-- trip). installations.id stops being AUTO_INCREMENT and loses KEY installations_id: every row
-- no longer goes into a second B-tree, and a LOAD DATA into installations no longer holds the
-- table's AUTO-INC lock to its end (innodb_autoinc_lock_mode=1, the default), which serialised
-- concurrent writers. Ids stay unique and ordered within a host: the auto-increment ids of rows
-- stored before this migration are below 2^32 and sort before every new one ((1 << 32) | 1 and
-- up), so a host's software set ("in id order", 0009) keeps its order. Statements that select
-- installations by id give the host as well (the primary key's prefix).
--
-- Measured on a store of 1.5 M installations (tu-estate-bench --hosts 1000 --keep, MariaDB
-- 10.11, 64 MB pool): the two ALTERs 0.06 s and 0.03 s; `trueup db migrate` of that store, the
-- embedded server's start included, 0.13 s; `db check` clean after it. Dropping the key is not
-- INSTANT in 10.11 but NOCOPY (the table is not rebuilt; the index's pages are freed), and so is
-- removing AUTO_INCREMENT; adding the counter is INSTANT. ALGORITHM= makes the server refuse
-- rather than copy the table.
--
-- The store refuses to migrate when an existing id reaches 2^32 (read through the key while it
-- is still there): a new id could then equal an old one.
BEGIN NOT ATOMIC
  IF (SELECT MAX(id) FROM installations) >= 4294967296 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT =
      'installations.id has reached 2^32: a store-assigned id could equal one'; END IF; END;
ALTER TABLE installations MODIFY id BIGINT UNSIGNED NOT NULL,
  DROP KEY IF EXISTS installations_id, ALGORITHM=NOCOPY;
ALTER TABLE hosts ADD COLUMN IF NOT EXISTS install_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ALGORITHM=INSTANT;
