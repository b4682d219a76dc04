-- SPDX-License-Identifier: GPL-2.0-or-later
-- 0011: an entitlement can be a purchase of paid extended support (Windows ESU, RHEL ELS)
-- rather than a licence. extended_support is NULL for an ordinary entitlement, 'yes' for the
-- catalogue product of the entitlement's publisher and product, or a catalogue product id
-- ('windows'). Patch counts such a purchase for the hosts of the entitlement's scope until its
-- end_date (or the catalogue's end of extended support, whichever is first); the licence
-- position leaves it out, as it licenses nothing.
ALTER TABLE entitlements ADD COLUMN IF NOT EXISTS extended_support VARCHAR(64) NULL;
