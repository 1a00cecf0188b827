package argon2id

import (
	"context"
	"strings"
	"testing"
)

func TestHashAndVerify(t *testing.T) {
	h := New(Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)
	ctx := context.Background()
	encoded, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash does not carry its parameters: %s", encoded)
	}
	other, _ := h.Hash(ctx, "correct horse battery")
	if other == encoded {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{
		{"correct horse battery", true},
		{"correct horse batter", false},
		{"correct horse battery ", false},
		{"", false},
	} {
		ok, err := h.Verify(ctx, tc.password, encoded)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.password, ok, err, tc.want)
		}
	}
}

func TestVerifyUsesStoredParameters(t *testing.T) {
	ctx := context.Background()
	old, _ := New(Params{MemoryKiB: 512, Time: 1, Threads: 1}, 1).Hash(ctx, "pa55word!")
	ok, err := New(DefaultParams, 1).Verify(ctx, "pa55word!", old)
	if err != nil || !ok {
		t.Fatalf("a hash made with other parameters no longer verifies: %v %v", ok, err)
	}
}

func TestDefaultParamsMeetTheFloor(t *testing.T) {
	if DefaultParams.MemoryKiB < 19*1024 || DefaultParams.Time < 2 || DefaultParams.Threads < 1 {
		t.Fatalf("DefaultParams %+v are below m=19 MiB, t=2, p=1", DefaultParams)
	}
}

func TestMalformedHashes(t *testing.T) {
	h := New(DefaultParams, 1)
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=1,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=1,t=1,p=1$!!$a2V5"} {
		if _, err := h.Verify(context.Background(), "x", bad); err == nil {
			t.Errorf("Verify accepted malformed hash %q", bad)
		}
	}
}

func TestHashWaitsForASlotAndHonoursCancellation(t *testing.T) {
	h := New(DefaultParams, 1)
	h.slots <- struct{}{} // every slot taken
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "password1"); err == nil {
		t.Fatal("Hash ran although no slot was free and the context was cancelled")
	}
}
