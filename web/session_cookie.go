package web

import (
	"errors"
	"strings"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// newCookieStore returns the session cookie's store: gorilla's cookie
// store, signed with hashKey and encrypted with blockKey, whose values are
// written by tokenSerializer instead of securecookie's default, gob.
func newCookieStore(hashKey, blockKey []byte) *sessions.CookieStore {
	store := sessions.NewCookieStore()
	store.Codecs = []securecookie.Codec{securecookie.New(hashKey, blockKey).SetSerializer(tokenSerializer{})}
	store.MaxAge(store.Options.MaxAge)
	return store
}

// tokenSerializer writes a session cookie's values, which are the session
// token alone, as that token behind a version prefix. Gob, securecookie's
// default, built a decoder for the values' map on every request: about
// 20 µs, a tenth of a customer's page (BenchmarkBookPages). A cookie of
// gob from before fails to decode, and its holder signs in again.
type tokenSerializer struct{}

// tokenCookieVersion starts every value tokenSerializer writes.
const tokenCookieVersion = "t1:"

var errCookieValues = errors.New("session cookie: values other than the session token")

// Serialize writes the values of a session, which hold at most the token.
func (tokenSerializer) Serialize(src any) ([]byte, error) {
	values, ok := src.(map[any]any)
	if !ok {
		return nil, errCookieValues
	}
	token, _ := values[sessionCookieKey].(string)
	if len(values) > 1 || (len(values) == 1 && token == "") {
		return nil, errCookieValues
	}
	return []byte(tokenCookieVersion + token), nil
}

// Deserialize reads what Serialize wrote into a session's values.
func (tokenSerializer) Deserialize(src []byte, dst any) error {
	values, ok := dst.(*map[any]any)
	token, versioned := strings.CutPrefix(string(src), tokenCookieVersion)
	if !ok || !versioned {
		return errCookieValues
	}
	if *values == nil {
		*values = map[any]any{}
	}
	if token != "" {
		(*values)[sessionCookieKey] = token
	}
	return nil
}
