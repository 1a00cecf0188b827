package tokens

import (
	"bytes"
	"testing"
)

func TestATokenHashesToWhatNewStores(t *testing.T) {
	token, hash, err := New()
	if err != nil {
		t.Fatal(err)
	}
	again, ok := Hash(token)
	if !ok || !bytes.Equal(again, hash) {
		t.Fatalf("Hash(New()) = %x, %v; want the stored hash %x", again, ok, hash)
	}
	other, _, _ := New()
	if other == token {
		t.Fatal("two tokens are the same")
	}
	for _, bad := range []string{"", "short", token + "x", token[:len(token)-1] + "*"} {
		if _, ok := Hash(bad); ok {
			t.Errorf("Hash(%q) accepted a value that cannot be a token", bad)
		}
	}
}
