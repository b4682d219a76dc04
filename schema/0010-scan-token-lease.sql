-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0010: a scans row made twice is one row, and a running scan of another user is left alone
-- until its lease ends.
--  - token: a random value the storing process makes once per scan. The row is inserted with
--    INSERT ... ON DUPLICATE KEY UPDATE on it, so an INSERT whose answer was lost with the
--    connection and that is sent again after the reconnect finds its own row instead of
--    leaving a second one 'running' for ever (then marked 'interrupted').
--  - runner_user: the user that stores the scan. A server shows a user without the PROCESS
--    privilege only its own user's connections, so only the runner's own user (or one with
--    PROCESS) can tell that its connection is gone.
--  - lease_until: when a scan still 'running' may be taken for dead by anyone else.
ALTER TABLE scans ADD COLUMN IF NOT EXISTS token CHAR(36) NULL,
  ADD COLUMN IF NOT EXISTS runner_user VARCHAR(128) NULL,
  ADD COLUMN IF NOT EXISTS lease_until DATETIME(6) NULL;
CREATE UNIQUE INDEX IF NOT EXISTS scans_token ON scans (token);
