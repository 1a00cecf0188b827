package domain

import (
	"slices"
	"testing"
)

func TestAuditActionsHaveLabels(t *testing.T) {
	if !slices.IsSorted(AuditActions) {
		t.Error("AuditActions is not in alphabetical order of the codes")
	}
	labels := map[string]AuditAction{}
	for _, a := range AuditActions {
		l := a.Label()
		if l == "" || l == string(a) {
			t.Errorf("%s has no label of its own", a)
		}
		if other, taken := labels[l]; taken {
			t.Errorf("%s and %s share the label %q", a, other, l)
		}
		labels[l] = a
	}
	if got := AuditAction("written_by_a_newer_version").Label(); got != "written_by_a_newer_version" {
		t.Errorf("an unknown action is labelled %q; want its code", got)
	}
}
