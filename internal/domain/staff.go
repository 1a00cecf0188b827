package domain

import "time"

// PasswordLink is a single-use link for a partner user to set a password:
// the hash of its token, when it expires, and the message that carries it.
type PasswordLink struct {
	UserID    int64
	TokenHash []byte
	Purpose   string // welcome or reset
	ExpiresAt time.Time
	Message   EmailMessage
	Queue     bool // hand the message to the SMTP sender; otherwise it waits as a draft
}

// SessionInfo is one of a user's sessions as the account page lists it.
type SessionInfo struct {
	Number     int64 // what ending it refers to; the id itself is never shown
	IDHash     []byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ClientIP   string
	UserAgent  string
}
