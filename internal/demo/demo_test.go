package demo

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// TestDemoCoversTheProduct checks what the demo promises: valid data, every
// channel × service type pair, term ends over the next 12 months, one
// CSP-partner customer and one with nothing classified.
func TestDemoCoversTheProduct(t *testing.T) {
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	data := Build(today)
	if len(data.Customers) < 8 {
		t.Fatalf("%d demo customers, want at least 8", len(data.Customers))
	}
	pairs := map[[2]string]bool{}
	months := map[int]bool{}
	csp, unclassified := 0, 0
	for _, dc := range data.Customers {
		c := dc.Customer.Normalize()
		if errs := c.Validate(); errs.Any() {
			t.Errorf("demo customer %s is invalid: %v", c.Name, errs)
		}
		if c.IsCSPPartner {
			csp++
		}
		allUnknown := true
		for _, s := range dc.Subscriptions {
			s = s.Normalize()
			if errs := s.Validate(time.Now().UTC()); errs.Any() {
				t.Errorf("%s / %s is invalid: %v", c.Name, s.Product, errs)
			}
			pairs[[2]string{string(s.Channel), string(s.ServiceType)}] = true
			if s.Channel.Valid() {
				allUnknown = false
			}
			if s.TermEnd != nil {
				d := domain.DaysLeft(*s.TermEnd, today)
				if d < 0 || d > 366 {
					t.Errorf("%s / %s ends in %d days, outside the next 12 months", c.Name, s.Product, d)
				}
				months[d/31] = true
			}
		}
		if allUnknown {
			unclassified++
		}
	}
	for _, ch := range domain.Channels {
		for _, st := range domain.ServiceTypes {
			if !pairs[[2]string{string(ch), string(st)}] {
				t.Errorf("no demo subscription is %s / %s", ch, st)
			}
		}
	}
	if csp != 1 || unclassified != 1 {
		t.Errorf("%d CSP-partner customers and %d with nothing classified, want 1 and 1", csp, unclassified)
	}
	if len(months) < 8 {
		t.Errorf("term ends fall in only %d different months", len(months))
	}
	if len(data.Users) != 3 {
		t.Errorf("%d demo users, want one per role", len(data.Users))
	}
}

func TestDemoRelationshipsCoverEveryState(t *testing.T) {
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	base, _ := url.Parse("http://localhost:8080")
	rels, err := Relationships(today, base)
	if err != nil {
		t.Fatal(err)
	}
	states := map[domain.RelationshipStatus]bool{}
	open := map[string]int{}
	for _, r := range rels {
		st := r.Request.Effective(today)
		states[st] = true
		if r.Request.Status.Open() {
			open[r.CustomerDomain]++
		}
		if (r.Request.Status == domain.StatusPending) != (r.TokenHash != nil && r.Draft != nil) {
			t.Errorf("%s: a pending request needs a token and a draft, and only it", r.CustomerDomain)
		}
		if r.Draft != nil && !strings.Contains(r.Draft.Body, "http://localhost:8080/invite/") {
			t.Errorf("%s: the draft has no link on the base URL", r.CustomerDomain)
		}
	}
	for _, st := range domain.RelationshipStatuses {
		if !states[st] {
			t.Errorf("no demo request is %s", st)
		}
	}
	for d, n := range open {
		if n > 1 {
			t.Errorf("%s has %d open requests", d, n)
		}
	}
}

func TestDemoUsageCoversEveryStepAndState(t *testing.T) {
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	migrations, transfers := Usage(today)
	steps := map[int]bool{domain.MigrationRecordCSP: true} // Contoso's dev/test subscription has not started
	for _, m := range migrations {
		steps[m.Migration.Step] = true
	}
	for step := domain.MigrationRecordCSP; step <= domain.MigrationDone; step++ {
		if !steps[step] {
			t.Errorf("no demo checklist at step %d", step)
		}
	}
	states := map[domain.TransferStatus]bool{}
	for _, tr := range transfers {
		states[tr.Transfer.Effective(today)] = true
		if tr.Transfer.OtherPartnerTenant == "" {
			t.Errorf("the demo Azure transfer of %v has no tenant id", tr.Products)
		}
	}
	for _, st := range domain.TransferStatuses {
		if !states[st] && st != domain.TransferRejected {
			t.Errorf("no demo Azure transfer is %s", st)
		}
	}
}

// Coho Winery's new-commerce licences are in a licence transfer in every
// state, each with the source partner's tenant id, and none is held by two
// transfers at once.
func TestDemoLicenceTransfersInEveryState(t *testing.T) {
	today := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	data := Build(today)
	var coho domain.CustomerInventory
	for _, c := range data.Customers {
		if c.Customer.Domain == "cohowinery.onmicrosoft.com" {
			coho = c
		}
	}
	workflow := map[string]domain.Workflow{}
	for _, s := range coho.Subscriptions {
		workflow[s.Product] = data.Partner.Rules().Classify(coho.Customer, s).Workflow
	}
	states := map[domain.TransferStatus]bool{}
	held := map[string]domain.TransferStatus{}
	for _, tr := range LicenceTransfers(today) {
		st := tr.Transfer.Effective(today)
		states[st] = true
		if tr.CustomerDomain != coho.Customer.Domain || tr.Transfer.OtherPartnerTenant == "" || !tr.Transfer.Licences() {
			t.Errorf("the %s licence transfer: %+v", st, tr)
		}
		if st != domain.TransferExpired && st != domain.TransferCancelled && tr.Transfer.MicrosoftTransferID == "" {
			t.Errorf("the %s licence transfer has no Microsoft transfer id", st)
		}
		if st == domain.TransferRejected && tr.Transfer.RejectionReason == "" {
			t.Error("the rejected licence transfer gives no reason")
		}
		for _, p := range tr.Products {
			if workflow[p] != domain.WorkflowLicenceTransfer {
				t.Errorf("%s in a licence transfer is %q", p, workflow[p])
			}
			if prev, ok := held[p]; ok && slices.Contains(domain.TransferHoldingStates, prev) && slices.Contains(domain.TransferHoldingStates, st) {
				t.Errorf("%s is held by a %s and a %s transfer", p, prev, st)
			}
			held[p] = st
		}
	}
	for _, st := range domain.TransferStatuses {
		if !states[st] {
			t.Errorf("no demo licence transfer is %s", st)
		}
	}
}

// TestDemoShowsEveryWorkflow: under the demo partner's rules, the demo's
// subscriptions lead to every workflow code, the new ones of issue 12
// included, and to the not_eligible cases of today (Azure in Open, a
// benefit offer) beside the Syndication one; and NCE, legacy and
// not-known licences from another CSP partner are all there.
func TestDemoShowsEveryWorkflow(t *testing.T) {
	data := Build(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	rules := data.Partner.Rules()
	if !rules.AzureExpertMSP {
		t.Fatal("the demo partner is not a direct-bill Azure Expert MSP: no billing transfer shows")
	}
	seen := map[domain.Workflow]bool{}
	var azureInOpen, benefit, syndication bool
	commerce := map[domain.Commerce]bool{}
	for _, dc := range data.Customers {
		for _, sub := range dc.Subscriptions {
			sub = sub.Normalize()
			w := rules.Classify(dc.Customer, sub).Workflow
			seen[w] = true
			if w == domain.WorkflowNotEligible && !dc.Customer.IsCSPPartner {
				azureInOpen = azureInOpen || (sub.Channel == domain.ChannelOpen && sub.ServiceType == domain.ServiceUsage)
				benefit = benefit || sub.OfferKind == domain.OfferBenefit
				syndication = syndication || sub.Channel == domain.ChannelSyndication
			}
			if sub.Channel == domain.ChannelOtherCSP && sub.ServiceType == domain.ServiceLicence && !dc.Customer.IsCSPPartner {
				commerce[sub.Commerce] = true
			}
		}
	}
	for _, w := range domain.Workflows {
		if !seen[w] {
			t.Errorf("no demo subscription is in workflow %s", w)
		}
	}
	if !azureInOpen || !benefit || !syndication {
		t.Errorf("not eligible: Azure in Open %v, benefit %v, Syndication %v; want all three", azureInOpen, benefit, syndication)
	}
	for _, c := range []domain.Commerce{domain.CommerceNCE, domain.CommerceLegacy, domain.CommerceUnknown} {
		if !commerce[c] {
			t.Errorf("no licence from another CSP partner has commerce %q", c)
		}
	}
}
