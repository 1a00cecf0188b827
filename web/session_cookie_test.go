package web

import (
	"bytes"
	"encoding/gob"
	"testing"
)

func TestTokenSerializer(t *testing.T) {
	var sz tokenSerializer
	for _, tc := range []struct {
		name   string
		values map[any]any
	}{
		{"a token", map[any]any{sessionCookieKey: "k3Xq_token"}},
		{"no token (a cleared cookie)", map[any]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := sz.Serialize(tc.values)
			if err != nil {
				t.Fatal(err)
			}
			var got map[any]any
			if err := sz.Deserialize(data, &got); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.values) || got[sessionCookieKey] != tc.values[sessionCookieKey] {
				t.Errorf("round trip of %v gave %v", tc.values, got)
			}
		})
	}
	for _, values := range []map[any]any{{sessionCookieKey: "t", "flash": "x"}, {"other": "x"}, {sessionCookieKey: 42}} {
		if _, err := sz.Serialize(values); err == nil {
			t.Errorf("Serialize(%v) accepted values other than the token", values)
		}
	}
	var old bytes.Buffer
	if err := gob.NewEncoder(&old).Encode(map[any]any{sessionCookieKey: "t"}); err != nil {
		t.Fatal(err)
	}
	for _, data := range [][]byte{old.Bytes(), []byte("k3Xq_token"), nil} {
		var got map[any]any
		if err := sz.Deserialize(data, &got); err == nil {
			t.Errorf("Deserialize(%q) accepted a value Serialize did not write: %v", data, got)
		}
	}
}
