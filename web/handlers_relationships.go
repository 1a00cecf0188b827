package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/views"
)

// expiresSoonDays is when an expiry is highlighted.
const expiresSoonDays = 7

// relationshipRow builds the view of a request, with the actions the user's
// role may take in its state.
func relationshipRow(r domain.RelationshipRequest, role domain.Role, now time.Time, back string) views.RelationshipRow {
	status := r.Effective(now)
	row := views.RelationshipRow{ID: r.ID, CustomerID: r.CustomerID, CustomerName: r.CustomerName, Status: string(status),
		StatusLabel: status.Label(), Recipient: r.RecipientName + " <" + r.RecipientEmail + ">", SentBy: r.CreatedByName,
		SentAt: r.CreatedAt.Format(dateTimeShown), ExpiresAt: r.ExpiresAt.Format(dateTimeShown), ReviewedBy: r.ReviewedByName,
		Reason: r.Reason, Back: back}
	if days := r.DaysLeft(now); status == domain.StatusPending {
		row.DaysLeft, row.ExpiresSoon = strconv.Itoa(days), days < expiresSoonDays
	}
	if r.AnsweredAt != nil {
		row.AcceptedBy = r.AcceptedName
		if r.AcceptedEmail != "" {
			row.AcceptedBy += " <" + r.AcceptedEmail + ">"
		}
		row.AcceptedAt = r.AnsweredAt.Format(dateTimeShown)
	}
	var roles []string
	for _, ar := range r.AdminRoles {
		roles = append(roles, ar.Label())
	}
	if len(roles) > 0 {
		row.Roles = strings.Join(roles, ", ") + " for " + strconv.Itoa(r.AdminDays) + " days"
		if r.AutoExtend {
			row.Roles += ", auto-extended"
		}
	}
	row.CanResend = status == domain.StatusPending && role.Allows(domain.PermInvite)
	row.CanRevoke = row.CanResend
	row.CanReview = status == domain.StatusAccepted && role.Allows(domain.PermReviewRelationships)
	row.CanRemove = status == domain.StatusActive && role.Allows(domain.PermRemoveRelationship)
	return row
}

func roleOptions(chosen []domain.AdminRole) []views.RoleOption {
	opts := make([]views.RoleOption, len(domain.AdminRoles))
	for i, r := range domain.AdminRoles {
		opts[i] = views.RoleOption{Value: string(r), Label: r.Label(), Checked: slices.Contains(chosen, r)}
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
	return s.renderRelationshipStep(c, http.StatusOK, id, nil, nil)
}

// renderRelationshipStep shows step 4; form and draftErrs carry what the
// user typed when it must be shown again.
func (s *Server) renderRelationshipStep(c echo.Context, status int, customerID int64, form *views.InviteForm, draftErrs *views.DraftView) error {
	cu, h, err := s.customerHeaderOf(c, customerID, stepRelationship)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	user, _ := currentUser(c)
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return err
	}
	now := s.svc.Now()
	back := views.CustomerPath(cu.ID, "relationship")
	page := views.RelationshipPage{Header: h, USGov: partner.Cloud == domain.CloudUSGovernment}
	page.Eligible, page.Ineligible, err = s.svc.Relationships.Eligibility(ctx, cu.ID)
	if err != nil {
		return err
	}
	open, err := s.store.OpenRelationship(ctx, cu.ID)
	switch {
	case err == nil:
		row := relationshipRow(open, user.Role, now, back)
		page.Current = &row
		if row.Status == string(domain.StatusPending) && user.Role.Allows(domain.PermInvite) {
			if draft, err := s.svc.Relationships.Draft(ctx, open.ID); err == nil {
				dv := views.DraftView{RelationshipID: open.ID, To: draft.To, Subject: draft.Subject, Body: draft.Body,
					Link: domain.FindInvitationLink(draft.Body), Mailto: mailto(draft), Status: string(draft.Status), LastError: draft.LastError,
					MailEnabled: s.svc.Relationships.MailEnabled(), Back: back}
				if draftErrs != nil {
					dv.Subject, dv.Body, dv.Errors = draftErrs.Subject, draftErrs.Body, draftErrs.Errors
				}
				page.Draft = &dv
			} else if !errors.Is(err, domain.ErrNotFound) {
				return err
			}
		}
	case errors.Is(err, domain.ErrNotFound):
	default:
		return err
	}
	if page.Current == nil || !domain.RelationshipStatus(page.Current.Status).Open() {
		if form == nil {
			settings, err := s.svc.Relationships.Settings(ctx)
			if err != nil {
				return err
			}
			form = &views.InviteForm{RecipientName: cu.AdminName, RecipientEmail: cu.AdminEmail,
				ExpiryDays: strconv.Itoa(settings.DefaultInviteDays), AdminDays: strconv.Itoa(domain.DefaultAdminDays)}
			form.Roles = roleOptions(nil)
		}
		form.Action, form.USGov = back, page.USGov
		if user.Role.Allows(domain.PermInvite) {
			page.Form = form
		}
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
	var roles []domain.AdminRole
	for _, r := range c.Request().PostForm["admin_roles"] {
		roles = append(roles, domain.AdminRole(r))
	}
	form := views.InviteForm{RecipientName: postValue(c, "recipient_name"), RecipientEmail: postValue(c, "recipient_email"),
		ExpiryDays: postValue(c, "expiry_days"), AdminDays: postValue(c, "admin_days"), AutoExtend: postValue(c, "auto_extend") == "1",
		Roles: roleOptions(roles)}
	req := domain.NewRelationshipRequest{CustomerID: id, RecipientName: form.RecipientName, RecipientEmail: form.RecipientEmail,
		AdminRoles: roles, AutoExtend: form.AutoExtend}
	parsed := domain.FieldErrors{}
	// Left empty, the expiry is the partner's default: ExpiryDays 0, which
	// the service fills in. A typed 0 is refused, not taken as the default.
	if days := strings.TrimSpace(form.ExpiryDays); days != "" {
		if req.ExpiryDays, err = strconv.Atoi(days); err != nil || req.ExpiryDays < 1 {
			parsed["expiry_days"] = "Enter a number of days from 1 to 90."
		}
	}
	if req.AdminDays, err = strconv.Atoi(strings.TrimSpace(form.AdminDays)); err != nil && len(roles) > 0 {
		parsed["admin_days"] = "Enter a number of days from 1 to 730."
	}
	if !parsed.Any() {
		_, err = s.svc.Relationships.Create(c.Request().Context(), actor(c), req)
	} else {
		err = nil
	}
	if errors.Is(err, relationships.ErrNotEligible) {
		return echo.NewHTTPError(http.StatusConflict, err.Error())
	}
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		form.Errors = errs
		return s.renderRelationshipStep(c, http.StatusUnprocessableEntity, id, &form, nil)
	}
	s.flash(c, "Invitation created. Send the link below to the customer's Global admin.")
	return c.Redirect(http.StatusSeeOther, views.CustomerPath(id, "relationship"))
}

// relationshipChange makes one change of the request of the path and goes
// back to the page it was made from.
func (s *Server) relationshipChange(c echo.Context, apply func(ctx context.Context, id int64) error, done string) error {
	return s.change(c, stateChange{param: "rid", apply: apply, done: done,
		back: func(context.Context, int64) (string, error) {
			return localPath(postValue(c, "back"), "/relationships"), nil
		}})
}

func (s *Server) resendRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error { return s.svc.Relationships.Resend(ctx, actor(c), id) },
		"A new link was made; the old one no longer works. Send the new invitation.")
}

func (s *Server) revokeRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error { return s.svc.Relationships.Revoke(ctx, actor(c), id) },
		"The invitation was revoked; its link no longer works.")
}

func (s *Server) approveRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error { return s.svc.Relationships.Approve(ctx, actor(c), id) },
		"Approved: the reseller relationship is active.")
}

func (s *Server) rejectRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Reject(ctx, actor(c), id, postValue(c, "reason"))
	}, "The request was rejected.")
}

func (s *Server) removeRelationship(c echo.Context) error {
	return s.relationshipChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.Remove(ctx, actor(c), id, postValue(c, "reason"))
	}, "The relationship was removed.")
}

func (s *Server) sendInvitation(c echo.Context) error {
	return s.relationshipChange(c, s.svc.Relationships.Send, "The invitation is queued for sending.")
}

func (s *Server) markInvitationSent(c echo.Context) error {
	return s.relationshipChange(c, s.svc.Relationships.MarkSentByHand,
		"Marked as sent. The link is no longer shown here; resend to get a new one if it was lost.")
}

func (s *Server) editInvitation(c echo.Context) error {
	id, err := idParam(c, "rid")
	if err != nil {
		return err
	}
	subject, body := postValue(c, "subject"), postValue(c, "body")
	err = s.svc.Relationships.EditDraft(c.Request().Context(), id, subject, body)
	if errs, ok := fieldErrors(err); ok {
		r, err := s.store.RelationshipRequest(c.Request().Context(), id)
		if err != nil {
			return err
		}
		return s.renderRelationshipStep(c, http.StatusUnprocessableEntity, r.CustomerID, nil, &views.DraftView{Subject: subject, Body: body, Errors: errs})
	}
	if err != nil {
		return err
	}
	s.flash(c, "The message was saved.")
	return c.Redirect(http.StatusSeeOther, localPath(postValue(c, "back"), "/relationships"))
}

func (s *Server) reviewQueue(c echo.Context) error {
	ctx := c.Request().Context()
	now := s.svc.Now()
	filter, keep := listFilter(c, domain.RelationshipStatuses, domain.MaxInviteDays)
	status, page := filter.Status, filter.Page
	rows, total, err := s.store.ListRelationships(ctx, filter, now)
	if err != nil {
		return err
	}
	counts, err := s.store.RelationshipCounts(ctx, now)
	if err != nil {
		return err
	}
	user, _ := currentUser(c)
	back := "/relationships"
	if len(keep) > 0 {
		back += "?" + keep.Encode()
	}
	q := views.ReviewQueue{Total: total, Pager: pager("/relationships", keep, page, total)}
	all := 0
	for _, n := range counts {
		all += n
	}
	q.Chips = append(q.Chips, views.StatusChip{Label: "All", Href: "/relationships", Count: all, Current: status == ""})
	for _, st := range domain.RelationshipStatuses {
		q.Chips = append(q.Chips, views.StatusChip{Label: st.Label(), Href: "/relationships?status=" + string(st), Count: counts[st], Current: st == status})
	}
	for _, r := range rows {
		q.Rows = append(q.Rows, relationshipRow(r, user.Role, now, back))
	}
	return s.render(c, http.StatusOK, views.ReviewQueuePage(s.chrome(c, "Relationships"), q))
}

func (s *Server) outbox(c echo.Context) error {
	page := pageParam(c)
	msgs, total, err := s.store.ListOutbox(c.Request().Context(), page)
	if err != nil {
		return err
	}
	o := views.OutboxPage{Total: total, Pager: pager("/outbox", nil, page, total), MailEnabled: s.svc.Relationships.MailEnabled()}
	for _, m := range msgs {
		row := views.OutboxRow{To: m.To, Subject: m.Subject, Status: string(m.Status), Attempts: m.Attempts, LastError: m.LastError,
			Created: m.CreatedAt.Format(dateTimeShown)}
		if m.SentAt != nil {
			row.Sent = m.SentAt.Format(dateTimeShown)
		}
		if m.CustomerID != 0 {
			row.Relationship = views.CustomerPath(m.CustomerID, "relationship")
		}
		o.Rows = append(o.Rows, row)
	}
	return s.render(c, http.StatusOK, views.OutboxListPage(s.chrome(c, "Outbox"), o))
}
