package views

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestAuditCountSaysMoreThanPastTheCap: the audit log's count reads as a
// number of entries, grouped by thousands, and as "More than" once the
// count stopped, with the CSV's limit said then.
func TestAuditCountSaysMoreThanPastTheCap(t *testing.T) {
	spaces := regexp.MustCompile(`\s+`)
	for _, tc := range []struct {
		log        AuditLog
		count      string
		exportNote bool
	}{
		{AuditLog{Total: 1}, "1 entry", false},
		{AuditLog{Total: 2500}, "2,500 entries", false},
		{AuditLog{Total: 10_000, MoreThan: true, ExportLimit: 100_000}, "More than 10,000 entries", true},
	} {
		var b strings.Builder
		if err := AuditPage(Chrome{}, tc.log).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		m := regexp.MustCompile(`(?s)<span id="audit-count">(.*?)</span>`).FindStringSubmatch(page)
		if m == nil || strings.TrimSpace(spaces.ReplaceAllString(m[1], " ")) != tc.count {
			t.Errorf("Total %d: the count reads %q, want %q", tc.log.Total, m, tc.count)
		}
		if got := strings.Contains(page, `id="audit-export-limit"`); got != tc.exportNote {
			t.Errorf("Total %d: the CSV's limit is said: %v, want %v", tc.log.Total, got, tc.exportNote)
		}
	}
}
