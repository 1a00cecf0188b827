// Package tokens makes the random tokens of sessions and links: 32 random
// bytes, base64url in the cookie or the link, and only their SHA-256 in the
// database, so that a copy of the database opens nothing.
package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// size is the number of random bytes in a token: 256 bits.
const size = 32

// New returns a new random token and the hash to store.
func New() (string, []byte, error) {
	raw := make([]byte, size)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(raw), sum[:], nil
}

// Hash returns the stored hash of a token, or false for anything that
// cannot be one.
func Hash(token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != size {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}
