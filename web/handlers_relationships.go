package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/views"
)

// relationshipRow builds the view of a request as the domain gave it for the
// user's role; back is the page its actions return to.
func relationshipRow(row domain.RelationshipRow, back string) views.RelationshipRow {
	r := row.Request
	v := views.RelationshipRow{ID: r.ID, CustomerID: r.CustomerID, CustomerName: r.CustomerName, Status: string(row.Status),
		StatusLabel: row.Status.Label(), Pending: row.Status == domain.StatusPending, Recipient: r.RecipientName + " <" + r.RecipientEmail + ">",
		SentBy: r.CreatedByName, SentAt: domain.FormatDateTime(r.CreatedAt), ExpiresAt: domain.FormatDateTime(r.ExpiresAt),
		ExpiresSoon: row.ExpiresSoon, ReviewedBy: r.ReviewedByName, Verification: r.Verification(), EndedBy: r.EndedByName, Reason: r.Reason, CanResend: row.Actions.Resend,
		CanRevoke: row.Actions.Revoke, CanReview: row.Actions.Review, CanRemove: row.Actions.Remove, Back: back,
		Href: "/relationships/" + strconv.FormatInt(r.ID, 10) + "?" + url.Values{"back": {back}}.Encode()}
	if v.Pending {
		v.DaysLeft = strconv.Itoa(row.DaysLeft)
	}
	if r.AnsweredAt != nil {
		v.AcceptedBy = r.AcceptedName
		if r.AcceptedEmail != "" {
			v.AcceptedBy += " <" + r.AcceptedEmail + ">"
		}
		v.AcceptedAt = domain.FormatDateTime(*r.AnsweredAt)
	}
	if g := r.GDAP; g != nil {
		v.Roles = gdapSummary(*g)
	}
	return v
}

// gdapSummary is one line on a GDAP request for the review queue and the
// history: its roles, duration, auto-extend and state as stored.
func gdapSummary(g domain.GDAPRequest) string {
	line := domain.RoleLabels(g.Roles) + " for " + strconv.Itoa(g.Days) + " days"
	if g.AutoExtend {
		line += ", auto-extended"
	}
	return line + " (GDAP: " + g.Status.Label() + ")"
}

// roleOptions offers the Entra roles of among, in their order, those of
// chosen ticked.
func roleOptions(among, chosen []domain.AdminRole) []views.RoleOption {
	opts := make([]views.RoleOption, len(among))
	for i, r := range among {
		e, _ := r.Entra()
		opts[i] = views.RoleOption{Value: string(r), Label: e.Name, Description: e.Description, Checked: slices.Contains(chosen, r)}
	}
	return opts
}

// mailto opens the draft in the user's mail program. Spaces are %20, as
// mail programs expect, not +.
func mailto(m domain.EmailMessage) string {
	return "mailto:" + url.PathEscape(m.To) + "?subject=" + url.PathEscape(m.Subject) + "&body=" + url.PathEscape(m.Body)
}

func (s *Server) relationshipStep(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	template, _ := strconv.ParseInt(c.QueryParam("template"), 10, 64)
	return s.renderRelationshipStep(c, http.StatusOK, id, typedStep{template: template})
}

// typedStep is what the user typed on step 4 when it must be shown again,
// and the role template a new request's form starts from.
type typedStep struct {
	form *views.InviteForm
	// recipient is what was typed of the request itself (recipient,
	// expiry, the regional tick) when the user chose a template: the form
	// starts from the template, keeping these.
	recipient *views.InviteForm
	draft     *views.DraftView
	gdap      *views.GDAPPanel
	// gdapRoles are the roles ticked on the GDAP assignment form.
	gdapRoles []domain.AdminRole
	template  int64
}

// renderRelationshipStep shows step 4, with what was typed.
func (s *Server) renderRelationshipStep(c echo.Context, status int, customerID int64, typed typedStep) error {
	user, _ := currentUser(c)
	step, err := s.svc.Relationships.Step(c.Request().Context(), customerID, user.Role, typed.template)
	if err != nil {
		return err
	}
	cu := step.Overview.Customer
	back := views.CustomerPath(cu.ID, "relationship")
	page := views.RelationshipPage{Header: headerView(step.Overview, stepRelationship), USGov: step.USGovernment,
		Eligible: step.Eligible, Ineligible: step.Ineligible}
	if step.Current != nil {
		row := relationshipRow(*step.Current, back)
		row.Attestation = attestationView(step.Attestation)
		page.Current = &row
	}
	if step.GDAP != nil {
		panel := gdapPanelView(*step.GDAP, back, page.USGov, s.svc.Now(), typed.gdap, typed.gdapRoles)
		page.GDAP = &panel
	}
	for _, h := range step.History {
		page.History = append(page.History, relationshipRow(h, back))
	}
	page.Declines = step.Declines()
	if d := step.Draft; d != nil {
		dv := views.DraftView{RelationshipID: d.RelationshipID, To: d.To, Subject: d.Subject, Body: d.Body,
			Link: domain.FindInvitationLink(d.Body), Mailto: mailto(*d), Queued: d.Status == domain.MessageQueued, LastError: d.LastError,
			MailEnabled: step.MailEnabled, Back: back, MessageID: d.ID, Version: int64(d.Version)}
		if t := typed.draft; t != nil {
			// The draft as typed, on the draft and version stored now, so
			// that saving again applies it on top.
			dv.Subject, dv.Body, dv.Errors, dv.Stale = t.Subject, t.Body, t.Errors, t.Stale
		}
		page.Draft = &dv
	}
	if n := step.NewRequest; n != nil {
		form := typed.form
		if form == nil {
			form = &views.InviteForm{RecipientName: n.RecipientName, RecipientEmail: n.RecipientEmail, ExpiryDays: strconv.Itoa(n.ExpiryDays),
				GDAPName: n.GDAP.DisplayName, AdminDays: strconv.Itoa(n.GDAP.Days), AutoExtend: n.GDAP.AutoExtend,
				Roles: roleOptions(domain.AdminRoles, n.GDAP.Roles)}
			if n.Template != nil {
				form.TemplateID = strconv.FormatInt(n.Template.ID, 10)
			}
			if r := typed.recipient; r != nil {
				form.RecipientName, form.RecipientEmail, form.ExpiryDays, form.Regional = r.RecipientName, r.RecipientEmail, r.ExpiryDays, r.Regional
			}
		}
		form.Action, form.USGov, form.MayRequestRoles = back, page.USGov, n.MayRequestRoles
		for _, t := range n.Templates {
			id := strconv.FormatInt(t.ID, 10)
			form.Templates = append(form.Templates, views.Choice{Value: id, Label: t.Name, Selected: id == form.TemplateID})
		}
		form.Regional.Warning = n.MarketWarning
		page.Form = form
	}
	return s.render(c, status, views.RelationshipStepPage(s.chrome(c, cu.Name+": relationship"), page))
}

func (s *Server) createRelationship(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	roles := postedRoles(c, "admin_roles")
	form := views.InviteForm{RecipientName: postValue(c, "recipient_name"), RecipientEmail: postValue(c, "recipient_email"),
		ExpiryDays: postValue(c, "expiry_days"), AdminDays: postValue(c, "admin_days"), AutoExtend: postValue(c, "auto_extend") == "1",
		GDAPName: postValue(c, "gdap_name"), TemplateID: postValue(c, "template_id"), Roles: roleOptions(domain.AdminRoles, roles),
		Regional: views.RegionalCheck{Confirmed: postValue(c, "outside_market_ok") == "1"}}
	if postValue(c, "use_template") != "" {
		// "Use this template" fills the admin roles from the template and
		// keeps what was typed of the request; nothing is created.
		template, _ := strconv.ParseInt(postValue(c, "template"), 10, 64)
		return s.renderRelationshipStep(c, http.StatusOK, id, typedStep{template: template, recipient: &form})
	}
	req := domain.NewRelationshipRequest{CustomerID: id, RecipientName: form.RecipientName, RecipientEmail: form.RecipientEmail,
		OutsideMarketOK: form.Regional.Confirmed}
	gdap := domain.NewGDAPRequest{DisplayName: form.GDAPName, GDAPTerms: domain.GDAPTerms{Roles: roles, AutoExtend: form.AutoExtend}}
	gdap.TemplateID, _ = strconv.ParseInt(form.TemplateID, 10, 64)
	parsed := domain.FieldErrors{}
	// Left empty, the expiry is the partner's default: ExpiryDays 0, which
	// the service fills in. A typed 0 is refused, not taken as the default.
	if days := strings.TrimSpace(form.ExpiryDays); days != "" {
		if req.ExpiryDays, err = strconv.Atoi(days); err != nil || req.ExpiryDays < 1 {
			parsed["expiry_days"] = "Enter a number of days from 1 to 90."
		}
	}
	if len(roles) > 0 {
		if gdap.Days, err = strconv.Atoi(strings.TrimSpace(form.AdminDays)); err != nil {
			parsed["admin_days"] = "Enter a number of days from 1 to 730."
		}
		req.GDAP = &gdap
	}
	if !parsed.Any() {
		user, _ := currentUser(c)
		_, err = s.svc.Relationships.Create(c.Request().Context(), actor(c), user.Role, req)
	} else {
		err = nil
	}
	if errors.Is(err, relationships.ErrNotEligible) {
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		form.Errors = errs
		return s.renderRelationshipStep(c, status, id, typedStep{form: &form})
	}
	s.flash(c, "Invitation created. Send the link below to the customer's Global admin.")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "relationship"))
}

// relationshipChange makes one change of the request of the path and goes
// back to the page it was made from.
func (s *Server) relationshipChange(c echo.Context, apply func(ctx context.Context, id int64) error, done string) error {
	return s.change(c, stateChange{param: "rid", apply: apply, done: done, back: backFromForm(c, "/relationships")})
}

func (s *Server) resendRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error { return s.svc.Relationships.Resend(ctx, actor(c), id) },
		"A new link was made; the old one no longer works. Send the new invitation.")
}

func (s *Server) revokeRelationship(c echo.Context) error {
	if asked, err := s.askRevoke(c); asked {
		return err
	}
	return s.relationshipChange(c, func(ctx context.Context, id int64) error { return s.svc.Relationships.Revoke(ctx, actor(c), id) },
		"The invitation was revoked; its link no longer works.")
}

// relationshipInput makes one change of the request of the path that
// needs input, posted by the form of action; input the service refuses is
// shown again in that form on the request's own page, with its message.
func (s *Server) relationshipInput(c echo.Context, action string, apply func(ctx context.Context, id int64) error, done string) error {
	return s.change(c, stateChange{param: "rid", apply: apply, done: done, back: backFromForm(c, "/relationships"),
		refused: func(ctx context.Context, id int64, errs domain.FieldErrors, status int) error {
			refused := views.RefusedAction{Action: action, Reason: postValue(c, "reason"), Errors: errs}
			return s.renderRelationshipRequest(c, status, id, localPath(postValue(c, "back"), "/relationships"), &refused)
		},
		// A request verified, rejected or removed meanwhile comes back on
		// its page, saying why above what it offers now.
		conflicts: true})
}

func (s *Server) rejectRelationship(c echo.Context) error {
	return s.relationshipInput(c, "reject", func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Reject(ctx, actor(c), id, postValue(c, "reason"))
	}, "The request was rejected.")
}

func (s *Server) removeRelationship(c echo.Context) error {
	if asked, err := s.askRemoveRelationship(c); asked {
		return err
	}
	return s.relationshipInput(c, "remove", func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Remove(ctx, actor(c), id, postValue(c, "reason"))
	}, "The relationship was removed.")
}

func (s *Server) sendInvitation(c echo.Context) error {
	seen := draftSeen(c)
	return s.relationshipChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Send(ctx, id, seen)
	}, "The invitation is queued for sending.")
}

// draftSeen reads which draft a draft form was on: its message id and
// version.
func draftSeen(c echo.Context) relationships.DraftSeen {
	messageID, _ := strconv.ParseInt(postValue(c, "message"), 10, 64)
	return relationships.DraftSeen{MessageID: messageID, Version: versionValue(c)}
}

func (s *Server) markInvitationSent(c echo.Context) error {
	return s.relationshipChange(c, s.svc.Relationships.MarkSentByHand,
		"Marked as sent. The link is no longer shown here; resend to get a new one if it was lost.")
}

// draftFields labels the values of the draft form, for the notice of a
// stale save.
func draftFields(subject, body string) []field {
	return []field{{"Subject", subject}, {"Message", body}}
}

// storedDraftFields labels a stored draft as draftFields labels the form.
func storedDraftFields(m domain.EmailMessage) []field { return draftFields(m.Subject, m.Body) }

// editInvitation saves the draft's subject and body. Refused ones are shown
// again as typed on the customer's step 4: with field messages (422), with
// the draft as stored now when someone saved it or the request was resent
// since the form was filled (409), or saying the disk is full (503).
func (s *Server) editInvitation(c echo.Context) error {
	id, err := idParam(c, "rid")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	typed := views.DraftView{Subject: postValue(c, "subject"), Body: postValue(c, "body")}
	err = s.svc.Relationships.EditDraft(ctx, actor(c), id, relationships.DraftText{DraftSeen: draftSeen(c), Subject: typed.Subject, Body: typed.Body})
	refused, err := refusalOf(err, storedDraftFields, draftFields(typed.Subject, typed.Body))
	if err != nil {
		return err
	}
	if refused == nil {
		s.flash(c, "The message was saved.")
		return c.Redirect(http.StatusSeeOther, localPath(postValue(c, "back"), "/relationships"))
	}
	typed.Errors, typed.Stale = refused.errs, refused.stale
	r, err := s.svc.Relationships.Request(ctx, id)
	if err != nil {
		return err
	}
	return s.renderRelationshipStep(c, refused.status, r.CustomerID, typedStep{draft: &typed})
}
