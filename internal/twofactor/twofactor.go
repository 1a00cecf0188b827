// Package twofactor holds the rules of two-factor sign-in with time-based
// one-time codes (TOTP, RFC 6238): new keys, the check of a code that refuses
// a code used before, recovery codes, and the sealing of secrets at rest.
// The codes themselves come from github.com/pquerna/otp; the replay check,
// which that library leaves to its callers, is here.
package twofactor

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The code parameters every authenticator app understands.
const (
	Period    = 30 // seconds per time step
	Digits    = otp.DigitsSix
	Algorithm = otp.AlgorithmSHA1
	// Skew is how many steps before or after the current one a code may be
	// from, for clocks that drift and people who type slowly.
	Skew = 1
	// RecoveryCodeCount is how many recovery codes a user is given.
	RecoveryCodeCount = 10
)

var codeOpts = totp.ValidateOpts{Period: Period, Digits: Digits, Algorithm: Algorithm}

// secretBytes is the size of a secret, the 160 bits RFC 4226 recommends.
const secretBytes = 20

// secretEncoding writes secrets as authenticator apps expect them typed.
var secretEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random secret, base32 encoded.
func NewSecret() (string, error) {
	raw := make([]byte, secretBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return secretEncoding.EncodeToString(raw), nil
}

// KeyFor returns the key of a secret for account at issuer, with the
// otpauth URL an authenticator app reads from the QR code.
func KeyFor(issuer, account, secret string) (*otp.Key, error) {
	raw, err := secretEncoding.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("twofactor: the stored secret is not base32: %w", err)
	}
	return totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Secret: raw,
		Period: Period, Digits: Digits, Algorithm: Algorithm})
}

// QRCodePNG draws the key's otpauth URL as a QR code in a PNG image of
// size by size pixels, for the set-up page. The code sits in a white margin
// of a tenth of the size each side, the quiet zone scanners look for.
func QRCodePNG(key *otp.Key, size int) ([]byte, error) {
	margin := size / 10
	code, err := key.Image(size-2*margin, size-2*margin)
	if err != nil {
		return nil, err
	}
	canvas := image.NewGray(image.Rect(0, 0, size, size))
	draw.Draw(canvas, canvas.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(canvas, code.Bounds().Sub(code.Bounds().Min).Add(image.Pt(margin, margin)), code, code.Bounds().Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, canvas); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Step returns the time step t falls in.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Code returns the code of secret at step; tests and the set-up page's
// checks use it.
func Code(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*Period, 0), codeOpts)
}

// MatchStep returns the time step, within Skew of now and after lastStep,
// whose code is code. ok is false when there is none: a wrong code, or one
// of a step already used. The caller stores the step it gets and must do so
// only if the stored step is still lastStep, so that two sign-ins racing
// with one code cannot both succeed.
func MatchStep(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != Digits.Length() {
		return 0, false
	}
	current := Step(now)
	for s := current - Skew; s <= current+Skew; s++ {
		if s <= lastStep {
			continue
		}
		want, err := Code(secret, s)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// recoveryAlphabet leaves out letters and digits people confuse (0/O, 1/I/L).
const recoveryAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// recoveryGroups and recoveryGroupLength make codes such as
// K7QM-2XHR-PW9D-T4NE: 16 characters of 31, some 79 bits, enough that the
// stored hashes cannot be reversed by trying every code.
const (
	recoveryGroups      = 4
	recoveryGroupLength = 4
)

// NewRecoveryCodes returns RecoveryCodeCount new random recovery codes, to
// be shown once, and their hashes, to be stored.
func NewRecoveryCodes() (codes []string, hashes [][]byte, err error) {
	for range RecoveryCodeCount {
		raw := make([]byte, recoveryGroups*recoveryGroupLength)
		if _, err := rand.Read(raw); err != nil {
			return nil, nil, err
		}
		var b strings.Builder
		for i, v := range raw {
			if i > 0 && i%recoveryGroupLength == 0 {
				b.WriteByte('-')
			}
			// 256 is not a multiple of 31: reject the values above the
			// last whole multiple, so that every character is as likely.
			for v >= 248 {
				var one [1]byte
				if _, err := rand.Read(one[:]); err != nil {
					return nil, nil, err
				}
				v = one[0]
			}
			b.WriteByte(recoveryAlphabet[int(v)%len(recoveryAlphabet)])
		}
		codes = append(codes, b.String())
		hashes = append(hashes, HashRecoveryCode(b.String()))
	}
	return codes, hashes, nil
}

// HashRecoveryCode returns the stored form of a recovery code as typed: case,
// spaces and dashes do not matter.
func HashRecoveryCode(code string) []byte {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r != '-' && r != ' ' {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return sum[:]
}

// Sealer encrypts TOTP secrets for storage with AES-256-GCM under a key from
// configuration, so that a copy of the database alone does not give codes.
type Sealer struct{ aead cipher.AEAD }

// ErrUnsealable means a sealed secret was not made with this key or was
// changed since.
var ErrUnsealable = errors.New("twofactor: the sealed secret does not open with this key")

// NewSealer returns a Sealer whose key is derived from the configured key
// material (at least 32 bytes).
func NewSealer(keyMaterial []byte) (*Sealer, error) {
	if len(keyMaterial) < 32 {
		return nil, errors.New("twofactor: the data key must be at least 32 bytes")
	}
	// A label keeps this key apart from any other use of the same material.
	key := sha256.Sum256(append([]byte("multichannel totp secret v1\x00"), keyMaterial...))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts secret for user; the user id is bound in, so a sealed secret
// copied to another user's row does not open.
func (s *Sealer) Seal(userID int64, secret string) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return s.aead.Seal(nonce, nonce, []byte(secret), userBinding(userID)), nil
}

// Open decrypts what Seal made for user.
func (s *Sealer) Open(userID int64, sealed []byte) (string, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return "", ErrUnsealable
	}
	plain, err := s.aead.Open(nil, sealed[:n], sealed[n:], userBinding(userID))
	if err != nil {
		return "", ErrUnsealable
	}
	return string(plain), nil
}

func userBinding(userID int64) []byte {
	b := make([]byte, 8)
	for i := range 8 {
		b[i] = byte(userID >> (8 * i))
	}
	return b
}
