package web

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// billingBadges colour a billing transfer's state like the relationship
// state it resembles.
var billingBadges = map[domain.BillingTransferStatus]string{domain.BillingPreparing: "rs-pending", domain.BillingSent: "rs-pending",
	domain.BillingApproved: "rs-accepted", domain.BillingCompleted: "rs-active", domain.BillingDeclined: "rs-declined",
	domain.BillingExpired: "rs-expired", domain.BillingCancelled: "rs-revoked"}

// billingTyped is what was typed into the billing transfer page when it is
// shown again: the checklist, the request, or a date, with why it was
// refused.
type billingTyped struct {
	prerequisites *domain.BillingPrerequisites
	problems      views.FormProblem
	send          *views.BillingSendForm
	date          string
	dateError     string
	// refused is why a change was refused by the transfer's state, shown
	// at the top of the page: the form it came from may no longer be
	// offered.
	refused string
}

func (s *Server) showBillingTransfer(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	return s.renderBillingTransfer(c, http.StatusOK, id, billingTyped{})
}

// renderBillingTransfer shows a customer's billing transfer page, with what
// was typed in place of what is stored when a form comes back.
func (s *Server) renderBillingTransfer(c echo.Context, status int, customerID int64, typed billingTyped) error {
	user, _ := currentUser(c)
	bp, err := s.svc.Billing.Page(c.Request().Context(), customerID, user.Role)
	if err != nil {
		return err
	}
	p := views.BillingTransferPage{Header: headerView(bp.Overview, stepTransfers), CanAct: bp.MayAct,
		RoleNote: roleNote(c, domain.PermTransfers), AzureExpertMSP: bp.AzureExpertMSP,
		RelationshipActive: bp.RelationshipActive, CanStart: bp.CanStart(), NotMoved: domain.NotMoved}
	// Once the request is sent, it says what it covers itself.
	if bp.Current == nil || bp.Current.Transfer.Status == domain.BillingPreparing {
		for _, sub := range bp.Candidates {
			p.Candidates = append(p.Candidates, subscriptionName(sub))
		}
	}
	today := bp.Now.Format(domain.DateLayout)
	if bp.Current != nil {
		card := billingCard(*bp.Current, bp, today)
		if typed.prerequisites != nil {
			card.Checks, card.Agreements = billingChecks(*typed.prerequisites, bp.RelationshipActive)
		}
		card.Problems = typed.problems
		if typed.send != nil {
			card.Send.ApproverEmail, card.Send.SentOn, card.Send.Errors = typed.send.ApproverEmail, typed.send.SentOn, typed.send.Errors
			card.Send.Roles = typed.send.Roles
		}
		if typed.dateError != "" {
			card.Date, card.DateError = typed.date, typed.dateError
		}
		p.Current = &card
		p.Refused = typed.refused
	} else {
		p.Refused = cmp.Or(typed.refused, typed.dateError)
	}
	for _, h := range bp.History {
		p.History = append(p.History, billingCard(h, bp, today))
	}
	return s.render(c, status, views.BillingTransferStepPage(s.chrome(c, bp.Overview.Customer.Name+": billing transfer"), p))
}

// subscriptionName names a subscription with its reference.
func subscriptionName(sub domain.Subscription) string {
	if sub.Reference != "" {
		return sub.Product + " (" + sub.Reference + ")"
	}
	return sub.Product
}

// billingChecks are the checklist's prerequisites and the agreements to
// choose from, as p records them.
func billingChecks(p domain.BillingPrerequisites, relationshipActive bool) ([]views.BillingCheck, []views.Choice) {
	var checks []views.BillingCheck
	for _, ch := range p.Checks(relationshipActive) {
		checks = append(checks, views.BillingCheck{Field: ch.Field, Label: ch.Label, Help: ch.Help, Done: ch.Done, Choice: ch.Chosen})
	}
	return checks, choices(domain.BillingAgreements, domain.BillingAgreement.Label, []string{string(p.Agreement)})
}

// billingCard builds the view of one billing transfer on page bp; date is
// what the date fields offer.
func billingCard(r domain.BillingTransferRow, bp domain.BillingTransferPage, date string) views.BillingTransferCard {
	b := r.Transfer
	card := views.BillingTransferCard{ID: b.ID, Status: string(b.Status), StatusLabel: b.Status.Label(), Badge: billingBadges[b.Status],
		Version: int64(b.Version), CreatedBy: b.CreatedByName, CreatedAt: domain.FormatDateTime(b.CreatedAt),
		Preparing: b.Status == domain.BillingPreparing, ApproverEmail: b.ApproverEmail, ApproverRole: b.ApproverRole.Label(),
		SentOn: domain.FormatDate(b.SentOn), ApprovedOn: domain.FormatDate(b.ApprovedOn), CompletedOn: domain.FormatDate(b.CompletedOn),
		EndedOn: domain.FormatDate(b.EndedOn), Date: date,
		CanApprove: r.Can[domain.BillingApproval], CanComplete: r.Can[domain.BillingCompletion], CanDecline: r.Can[domain.BillingDecline],
		CanExpire: r.Can[domain.BillingExpiry], CanCancel: r.Can[domain.BillingCancellation]}
	card.Checks, card.Agreements = billingChecks(b.Prerequisites, bp.RelationshipActive)
	card.Send = views.BillingSendForm{Ready: len(b.Prerequisites.Unmet(bp.RelationshipActive)) == 0, ApproverEmail: bp.Overview.Customer.AdminEmail,
		SentOn: date, Roles: choices(domain.ApproverRoles, domain.ApproverRole.Label, nil)}
	for _, id := range b.SubscriptionIDs {
		name, ok := bp.Products[id]
		if !ok {
			name = "Subscription " + strconv.FormatInt(id, 10) + " (removed from the inventory)"
		}
		card.Subscriptions = append(card.Subscriptions, name)
	}
	return card
}

func (s *Server) startBillingTransfer(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	_, err = s.svc.Billing.Start(c.Request().Context(), actor(c), id)
	if reason, ok := conflictReason(err); ok {
		return s.renderBillingTransfer(c, http.StatusConflict, id, billingTyped{refused: reason})
	}
	if err != nil {
		return err
	}
	s.flash(c, "Billing transfer started: check the prerequisites, then send the request in the Azure portal.")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "billing-transfer"))
}

// postedPrerequisites reads the checklist form.
func postedPrerequisites(c echo.Context) domain.BillingPrerequisites {
	ticked := func(name string) bool { return postValue(c, name) == "1" }
	return domain.BillingPrerequisites{MCAAccepted: ticked("mca_accepted"), AzurePlan: ticked("azure_plan"),
		Agreement: domain.BillingAgreement(postValue(c, "agreement")), SameTenant: ticked("same_tenant"),
		MarketplaceEligible: ticked("marketplace_eligible"), NoneDisabled: ticked("none_disabled")}
}

// prerequisiteFields labels the checklist's values, for the notice of a
// stale save.
func prerequisiteFields(p domain.BillingPrerequisites) []field {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return []field{{"Microsoft Customer Agreement accepted", yes(p.MCAAccepted)}, {"Azure plan", yes(p.AzurePlan)},
		{"Agreement", p.Agreement.Label()}, {"Same Entra tenant", yes(p.SameTenant)},
		{"No Marketplace product not enabled for CSP", yes(p.MarketplaceEligible)}, {"No disabled subscription", yes(p.NoneDisabled)}}
}

// billingForm saves one form of a billing transfer (the checklist or the
// request) with save, back to its customer's page; refused input comes back
// there with typed, given the refusal.
func (s *Server) billingForm(c echo.Context, save func(ctx context.Context, id int64) error, typed func(*saveRefusal) billingTyped, done string) error {
	id, err := idParam(c, "bid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	b, err := s.svc.Billing.Transfer(ctx, id)
	if err != nil {
		return err
	}
	refused, err := refusalOf(save(ctx, id), func(b domain.BillingTransfer) []field { return prerequisiteFields(b.Prerequisites) },
		prerequisiteFields(postedPrerequisites(c)))
	if reason, ok := conflictReason(err); ok && refused == nil {
		// What was typed comes back, the reason at the top of the page.
		t := typed(&saveRefusal{status: http.StatusConflict})
		t.refused = reason
		return s.renderBillingTransfer(c, http.StatusConflict, b.CustomerID, t)
	}
	if err != nil {
		return err
	}
	if refused != nil {
		return s.renderBillingTransfer(c, refused.status, b.CustomerID, typed(refused))
	}
	s.flash(c, done)
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(b.CustomerID, "billing-transfer"))
}

func (s *Server) saveBillingPrerequisites(c echo.Context) error {
	p := postedPrerequisites(c)
	return s.billingForm(c, func(ctx context.Context, id int64) error {
		return s.svc.Billing.SavePrerequisites(ctx, actor(c), id, p, versionValue(c))
	}, func(r *saveRefusal) billingTyped {
		return billingTyped{prerequisites: &p, problems: views.FormProblem{Errors: r.errs, Stale: r.stale}}
	}, "Checklist saved.")
}

func (s *Server) sendBillingTransfer(c echo.Context) error {
	form := views.BillingSendForm{ApproverEmail: postValue(c, "approver_email"), SentOn: postValue(c, "sent_on"),
		Roles: choices(domain.ApproverRoles, domain.ApproverRole.Label, []string{postValue(c, "approver_role")})}
	sentOn, ok := domain.ParseDate(form.SentOn)
	parsed := domain.FieldErrors{}
	if !ok {
		parsed["sent_on"] = "Enter the date as YYYY-MM-DD."
	}
	r := domain.BillingRequest{ApproverEmail: form.ApproverEmail, ApproverRole: domain.ApproverRole(postValue(c, "approver_role")), SentOn: sentOn}
	return s.billingForm(c, func(ctx context.Context, id int64) error {
		if parsed.Any() {
			return parsed
		}
		return s.svc.Billing.Send(ctx, actor(c), id, r, versionValue(c))
	}, func(refused *saveRefusal) billingTyped {
		form.Errors = refused.errs
		if refused.stale != nil {
			form.Errors = domain.FieldErrors{"": "Someone changed the checklist since you opened it: check it, then record the request again."}
		}
		return billingTyped{send: &form}
	}, "Recorded: the request is sent. The customer's approver chooses what moves and approves it in the Azure portal.")
}

// billingChange records one change after the request and goes back to the
// customer's billing transfer page; a refused date, or a refusal by the
// transfer's state, comes back there beside its buttons. ask, when set, is
// the question asked first.
func (s *Server) billingChange(c echo.Context, change domain.BillingChange, done string, ask *views.Confirmation) error {
	customerOf := func(ctx context.Context, id int64) (int64, error) {
		b, err := s.svc.Billing.Transfer(ctx, id)
		return b.CustomerID, err
	}
	apply := func(ctx context.Context, id int64) error { return s.svc.Billing.Cancel(ctx, actor(c), id) }
	if change.Dated() {
		apply = datedChange(c, func(ctx context.Context, a domain.Actor, id int64, on time.Time) error {
			return s.svc.Billing.Record(ctx, a, id, change, on)
		})
	}
	ch := customerStateChange("bid", "billing-transfer", customerOf, apply, done,
		func(ctx context.Context, customerID, _ int64, errs domain.FieldErrors, status int) error {
			return s.renderBillingTransfer(c, status, customerID, billingTyped{date: postValue(c, "date"), dateError: cmp.Or(errs["date"], errs[""])})
		})
	ch.conflicts = true
	if ask != nil {
		ch.confirm = func(context.Context, int64) (views.Confirmation, error) { return *ask, nil }
	}
	return s.change(c, ch)
}

func (s *Server) approveBillingTransfer(c echo.Context) error {
	return s.billingChange(c, domain.BillingApproval, "Recorded: the customer approved; Microsoft moves the billing now.", nil)
}

func (s *Server) completeBillingTransfer(c echo.Context) error {
	return s.billingChange(c, domain.BillingCompletion, "Recorded: the billing transfer is complete and the billing is ours.", nil)
}

func (s *Server) declineBillingTransfer(c echo.Context) error {
	return s.billingChange(c, domain.BillingDecline, "Recorded: the customer declined the request.",
		&views.Confirmation{Question: "Record that the customer declined?", Yes: "Yes, the customer declined",
			Consequence: "The billing transfer ends as declined (on " + cmp.Or(postValue(c, "date"), "the date entered") + "), and its request can no longer be approved. A new one starts from a new checklist."})
}

func (s *Server) expireBillingTransfer(c echo.Context) error {
	return s.billingChange(c, domain.BillingExpiry, "Recorded: the request expired.", nil)
}

func (s *Server) cancelBillingTransfer(c echo.Context) error {
	return s.billingChange(c, domain.BillingCancellation, "The billing transfer was cancelled.",
		&views.Confirmation{Question: "Cancel this billing transfer?", Yes: "Yes, cancel it",
			Consequence: "The billing transfer ends as cancelled today, and its checklist and request can no longer be used. A new one starts from a new checklist."})
}
