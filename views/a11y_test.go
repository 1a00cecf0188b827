package views

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTemplatesKeepTheirTablesReachable checks the sources of the views
// for two findings of axe-core (issue 14): a table that scrolls sideways
// must be a labelled region the keyboard can reach (its label written out
// or computed, so that regions repeated on a page can differ), and no column header
// may be empty (a column of buttons says so to screen readers).
func TestTemplatesKeepTheirTablesReachable(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	scroll := regexp.MustCompile(`<div class="table-scroll"[^>]*>`)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		for _, tag := range scroll.FindAllString(src, -1) {
			if !strings.Contains(tag, `tabindex="0"`) || !strings.Contains(tag, `role="region"`) || !strings.Contains(tag, `aria-label="`) && !strings.Contains(tag, `aria-label={`) {
				t.Errorf("%s: %s is not a labelled region the keyboard can reach", f, tag)
			}
		}
		if strings.Contains(src, `<th scope="col"></th>`) {
			t.Errorf("%s has an empty column header", f)
		}
	}
}
