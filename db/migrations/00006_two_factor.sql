-- Two-factor sign-in with time-based one-time codes: each user's secret
-- (sealed with the data key from configuration, never in clear), the last
-- time step used so that no code is accepted twice, single-use recovery
-- codes stored hashed, sessions still waiting for their second factor, and
-- the partner's choice to require two-factor sign-in of its admins.

-- +goose Up
ALTER TABLE users ADD COLUMN totp_secret BLOB;         -- NULL: two-factor sign-in is off
ALTER TABLE users ADD COLUMN totp_pending_secret BLOB; -- a set-up not yet confirmed with a code
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash BLOB NOT NULL, -- SHA-256 of the code
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0;

ALTER TABLE partner ADD COLUMN require_two_factor INTEGER NOT NULL DEFAULT 0;
