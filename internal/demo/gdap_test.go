package demo

import (
	"net/url"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

func TestDemoGDAPCoversEveryState(t *testing.T) {
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	base, _ := url.Parse("http://localhost:8080")
	rels, err := Relationships(today, base)
	if err != nil {
		t.Fatal(err)
	}
	templates := map[string]bool{}
	for _, tpl := range RoleTemplates {
		if errs := tpl.Normalize().Validate(); errs.Any() {
			t.Errorf("template %s: %v", tpl.Name, errs)
		}
		templates[tpl.Name] = true
	}
	if RoleTemplates[0].Name != "Helpdesk" || RoleTemplates[0].Group(domain.RoleHelpdeskAdministrator) != "Helpdesk agents" {
		t.Errorf("the first template is %+v; the issue's example is Helpdesk → Helpdesk agents", RoleTemplates[0])
	}
	states, names := map[domain.GDAPStatus]bool{}, map[string]bool{}
	for _, r := range WithGDAP(today, rels) {
		g := r.Request.GDAP
		if g == nil {
			continue
		}
		states[g.Effective(today)] = true
		if names[g.DisplayName] || len([]rune(g.DisplayName)) > domain.GDAPDisplayNameMax {
			t.Errorf("display name %q repeated or too long", g.DisplayName)
		}
		names[g.DisplayName] = true
		if r.GDAPTemplate != "" && !templates[r.GDAPTemplate] {
			t.Errorf("%s names no template %q", r.CustomerDomain, r.GDAPTemplate)
		}
		if g.Link != "" {
			if _, problem := domain.ParseGDAPLink(g.Link, Partner.Cloud); problem != "" {
				t.Errorf("%s: link %s: %s", r.CustomerDomain, g.Link, problem)
			}
		}
	}
	for _, st := range []domain.GDAPStatus{domain.GDAPCreated, domain.GDAPApprovalPending, domain.GDAPActive, domain.GDAPExpired,
		domain.GDAPLapsed, domain.GDAPTerminated} {
		if !states[st] {
			t.Errorf("no demo GDAP request is %s", st)
		}
	}
}
