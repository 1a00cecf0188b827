package twofactor

import (
	"bytes"
	"image/png"
	"regexp"
	"testing"
	"time"
)

func TestMatchStepAcceptsACodeOnceWithinOneStep(t *testing.T) {
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 10, 0, time.UTC)
	current := Step(now)
	code := func(step int64) string {
		c, err := Code(secret, step)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name     string
		code     string
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"current step", code(current), 0, current, true},
		{"previous step", code(current - 1), 0, current - 1, true},
		{"next step", code(current + 1), 0, current + 1, true},
		{"two steps ago", code(current - 2), 0, 0, false},
		{"two steps ahead", code(current + 2), 0, 0, false},
		{"the same step again", code(current), current, 0, false},
		{"an older step after a newer one was used", code(current - 1), current, 0, false},
		{"a newer step after an older one was used", code(current + 1), current, current + 1, true},
		{"spaces are ignored", code(current)[:3] + " " + code(current)[3:], 0, current, true},
		{"too short", code(current)[:5], 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := MatchStep(secret, tc.code, now, tc.lastStep)
			if ok != tc.wantOK || step != tc.wantStep {
				t.Fatalf("MatchStep = %d, %v; want %d, %v", step, ok, tc.wantStep, tc.wantOK)
			}
		})
	}
}

func TestRecoveryCodesAreDistinctReadableAndHashedLooselyTyped(t *testing.T) {
	codes, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("got %d codes and %d hashes, want %d", len(codes), len(hashes), RecoveryCodeCount)
	}
	shape := regexp.MustCompile(`^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){3}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q does not have the shape XXXX-XXXX-XXXX-XXXX", c)
		}
		if seen[c] {
			t.Errorf("code %q given twice", c)
		}
		seen[c] = true
		if !bytes.Equal(hashes[i], HashRecoveryCode(c)) {
			t.Errorf("hash %d is not the hash of its code", i)
		}
		loose := " " + c[:9] + c[10:] + " "
		if !bytes.Equal(HashRecoveryCode(loose), hashes[i]) {
			t.Errorf("%q typed in lower case without a dash does not match", loose)
		}
	}
}

func TestSealedSecretsOpenOnlyWithTheKeyAndForTheUser(t *testing.T) {
	sealer, err := NewSealer(bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSealer(bytes.Repeat([]byte("o"), 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := sealer.Seal(7, "JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("JBSWY3DPEHPK3PXP")) {
		t.Fatal("the sealed secret holds the secret in clear")
	}
	if got, err := sealer.Open(7, sealed); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := sealer.Open(8, sealed); err != ErrUnsealable {
		t.Errorf("another user's row opened: %v", err)
	}
	if _, err := other.Open(7, sealed); err != ErrUnsealable {
		t.Errorf("another key opened it: %v", err)
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestKeyForRebuildsTheKeyAndItsQRCode(t *testing.T) {
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	key, err := KeyFor("Wingtip", "avery@example.com", secret)
	if err != nil {
		t.Fatal(err)
	}
	again, err := KeyFor("Wingtip", "avery@example.com", secret)
	if err != nil {
		t.Fatal(err)
	}
	if again.Secret() != secret || again.URL() != key.URL() {
		t.Fatalf("rebuilt key %q differs from %q", again.URL(), key.URL())
	}
	encoded, err := QRCodePNG(again, 200)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(encoded))
	if err != nil {
		t.Fatalf("the QR code is not a PNG image: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 200 {
		t.Fatalf("the image is %v, want 200×200", b)
	}
	// The quiet zone: the margin is white, the code inside is not.
	var dark bool
	for y := range 200 {
		for x := range 200 {
			r, _, _, _ := img.At(x, y).RGBA()
			inMargin := x < 20 || y < 20 || x >= 180 || y >= 180
			if inMargin && r != 0xffff {
				t.Fatalf("pixel (%d,%d) of the margin is not white", x, y)
			}
			dark = dark || (!inMargin && r == 0)
		}
	}
	if !dark {
		t.Fatal("no code is drawn inside the margin")
	}
	if _, err := KeyFor("Wingtip", "a@example.com", "not base32!"); err == nil {
		t.Fatal("a secret that is not base32 was accepted")
	}
}
