-- Administration: partner settings beside the partner's details, and
-- single-use links for partner users to set their password.

-- +goose Up
ALTER TABLE partner ADD COLUMN default_invite_days INTEGER NOT NULL DEFAULT 30 CHECK (default_invite_days BETWEEN 1 AND 90);
ALTER TABLE partner ADD COLUMN invite_subject TEXT NOT NULL DEFAULT ''; -- empty: the built-in wording
ALTER TABLE partner ADD COLUMN invite_body TEXT NOT NULL DEFAULT '';

CREATE TABLE password_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the token in the link
    purpose    TEXT NOT NULL CHECK (purpose IN ('welcome', 'reset')),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_tokens_user ON password_tokens (user_id, id);
