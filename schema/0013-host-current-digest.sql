-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0013: a digest of each host's current set, so that a rescan that changes nothing is known
-- without reading the host's installations. current_digest is the SHA-256 of the host's open
-- intervals as text, one line "install_key software_id state" each ended by a newline,
-- ordered by install_key then software_id (numerically); an empty set is the digest of no text.
-- The store writes it with the host's row after every scan that becomes the host's newest, and
-- sets it NULL when an older scan is placed in the history; NULL means "not known", and the next
-- scan then compares installation by installation as before. `trueup db check` recomputes it.
ALTER TABLE hosts ADD COLUMN IF NOT EXISTS current_digest BINARY(32) NULL;
