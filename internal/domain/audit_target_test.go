package domain

import "testing"

// TestAuditTargetLabel reads the targets the app writes and names them.
func TestAuditTargetLabel(t *testing.T) {
	users := []User{{ID: 4, Name: "Avery Chen", Email: "avery@wingtip.example"}}
	for target, want := range map[string]string{
		"user:4":                       "Avery Chen",
		"user:avery@wingtip.example":   "Avery Chen",
		"user:4 avery@wingtip.example": "Avery Chen",
		"user:nobody@wingtip.example":  "User nobody@wingtip.example",
		"user:9":                       "User no. 9",
		"relationship:9":               "Relationship request no. 9",
		"customer:3 Contoso Ltd":       "Customer Contoso Ltd",
		"import:5 inventory.csv":       "Import inventory.csv",
		"billing_transfer:1":           "Billing transfer no. 1",
		"something:else":               "something:else",
		"no kind":                      "no kind",
	} {
		if got := ParseAuditTarget(target).Label(users); got != want {
			t.Errorf("%q: %q; want %q", target, got, want)
		}
	}
	if tg := ParseAuditTarget("transfer:11"); tg.Kind != "transfer" || tg.ID != 11 || tg.Name != "" {
		t.Errorf("transfer:11 = %+v", tg)
	}
}
