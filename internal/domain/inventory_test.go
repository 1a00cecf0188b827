package domain

import (
	"slices"
	"testing"
)

func TestCustomerListOptions(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want CustomerSort
	}{{"", SortByName}, {"name", SortByName}, {"-name", SortByNameDesc}, {"-changed", SortByChanged}, {"changed", SortByChangedOldest}, {"size", SortByName}} {
		if got := ParseCustomerSort(tc.in); got != tc.want {
			t.Errorf("ParseCustomerSort(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	for _, s := range CustomerSorts {
		if s.Label() == string(s) {
			t.Errorf("%s has no label", s)
		}
	}
	if q := FilterToClassify.Apply(CustomerQuery{}); !slices.Equal(q.Having, KeysIn(WorkflowNeedsClassification, Rules{})) || q.UsageInProgress {
		t.Errorf("the to-classify filter selects %+v", q)
	}
	if q := FilterUsageInProgress.Apply(CustomerQuery{}); q.Having != nil || !q.UsageInProgress {
		t.Errorf("the usage filter selects %+v", q)
	}
	if q := ParseCustomerFilter("everything").Apply(CustomerQuery{Search: "x"}); q.Having != nil || q.UsageInProgress || q.Search != "x" {
		t.Errorf("an unknown filter narrows the query: %+v", q)
	}
	for _, f := range []CustomerFilter{FilterToClassify, FilterUsageInProgress} {
		if ParseCustomerFilter(string(f)) != f || f.Label() == "" {
			t.Errorf("%s does not parse back or has no label", f)
		}
	}
}
