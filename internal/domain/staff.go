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
