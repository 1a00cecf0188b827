package relationships

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file writes the invitation e-mail and keeps its draft: edited, sent
// from the app or marked as sent by hand; and sends again an outbox message
// whose delivery failed.

// DraftSeen is the draft a page showed: its message id and version, sent
// back with the draft's forms.
type DraftSeen struct {
	MessageID int64
	Version   domain.Version
}

// staleDraft refuses, with a domain.Stale holding draft as it is now, what
// was done on a page that showed another draft (the request was resent
// since) or an older version of it.
func staleDraft(draft domain.EmailMessage, seen DraftSeen) error {
	if draft.ID == seen.MessageID && domain.CheckVersion(draft.Version, seen.Version) {
		return nil
	}
	return &domain.Stale[domain.EmailMessage]{Current: draft, Version: draft.Version}
}

// DraftText is an invitation draft's subject and body as typed, on the
// draft seen.
type DraftText struct {
	DraftSeen
	Subject, Body string
}

// EditDraft replaces the subject and body of the draft of a request; the
// link must stay in it. Text typed on another draft than the current one
// (the request was resent since) or on an older version is refused with a
// domain.Stale holding the draft as it is now.
func (s *Service) EditDraft(ctx context.Context, actor domain.Actor, relationshipID int64, in DraftText) error {
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	if draft.ID != in.MessageID {
		// Another draft: the version check of the store cannot see it.
		return staleDraft(draft, in.DraftSeen)
	}
	subject, body := in.Subject, in.Body
	link := domain.FindInvitationLink(draft.Body)
	errs := domain.FieldErrors{}
	if subject = strings.TrimSpace(subject); subject == "" || utf8.RuneCountInString(subject) > 200 {
		errs["subject"] = "Enter a subject of at most 200 characters."
	}
	if link == "" || !strings.Contains(body, link) {
		errs["body"] = "Keep the invitation link in the message: " + link
	} else if utf8.RuneCountInString(body) > 20000 {
		errs["body"] = "Use at most 20,000 characters."
	}
	if errs.Any() {
		return errs
	}
	return s.store.UpdateDraft(ctx, actor, domain.EmailMessage{ID: draft.ID, Version: in.Version, Subject: subject, Body: body})
}

// Send queues the draft for the SMTP sender, when it is the draft the page
// showed (seen): otherwise someone edited it since, or the request was
// resent, and the sender would send words nobody reviewed (a domain.Stale).
func (s *Service) Send(ctx context.Context, relationshipID int64, seen DraftSeen) error {
	if !s.mailEnabled {
		return domain.ErrNoMailServer
	}
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	if err := staleDraft(draft, seen); err != nil {
		return err
	}
	return s.store.QueueDraft(ctx, draft.ID)
}

// SendAgain hands the outbox message messageID, whose delivery failed, back
// to the SMTP sender: due at once, its attempts counted afresh, and audited.
// Without an SMTP server it is domain.ErrNoMailServer; a message that has not
// failed is domain.ErrMessageNotFailed.
func (s *Service) SendAgain(ctx context.Context, actor domain.Actor, messageID int64) error {
	if !s.mailEnabled {
		return domain.ErrNoMailServer
	}
	return s.store.SendMessageAgain(ctx, actor, messageID)
}

// MarkSentByHand records that staff sent the draft themselves; the link is
// removed from the stored copy.
func (s *Service) MarkSentByHand(ctx context.Context, relationshipID int64) error {
	draft, err := s.store.InvitationDraft(ctx, relationshipID)
	if err != nil {
		return err
	}
	return s.store.MarkDraftSentByHand(ctx, draft.ID, domain.ScrubInvitationLinks(draft.Body))
}

// InvitationMessage writes the invitation e-mail to a customer's Global
// admin, with the link and when it expires.
func InvitationMessage(p domain.Partner, c domain.Customer, recipientName, recipientEmail string, roles []domain.AdminRole, adminDays int,
	link string, expires time.Time) domain.EmailMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\n", recipientName)
	fmt.Fprintf(&b, "%s (Microsoft PartnerID %s) asks to become a Microsoft reseller for %s (%s).\n\n", p.Name, p.PartnerID, c.Name, c.Domain)
	b.WriteString("Accepting lets us buy and support Microsoft subscriptions for your organisation. The subscriptions you already have stay where they are.\n")
	if len(roles) > 0 {
		fmt.Fprintf(&b, "We also ask for these admin roles for %d days: %s.\n", adminDays, domain.RoleLabels(roles))
	}
	if p.Cloud == domain.CloudUSGovernment {
		b.WriteString("This request is for Microsoft Cloud for US Government.\n")
	}
	fmt.Fprintf(&b, "\nOnly a Global admin of your organisation can accept. Open this link to read the details and answer:\n\n%s\n\n", link)
	fmt.Fprintf(&b, "The link works until %s.\n\nKind regards,\n%s\n", expires.Format(expiryDate), p.Name)
	return domain.EmailMessage{To: recipientEmail, Subject: fmt.Sprintf("%s asks to become your Microsoft reseller", p.Name), Body: b.String()}
}

// expiryDate is how an invitation e-mail writes the day its link expires.
const expiryDate = "2 January 2006"

// invitationMessage writes the invitation e-mail in the partner's template,
// or in the built-in wording of InvitationMessage when there is none.
func invitationMessage(ps domain.PartnerSettings, c domain.Customer, recipientName, recipientEmail string, terms domain.GDAPTerms,
	link string, expires time.Time) domain.EmailMessage {
	if ps.Invitation.BuiltIn() {
		return InvitationMessage(ps.Partner, c, recipientName, recipientEmail, terms.Roles, terms.Days, link, expires)
	}
	subject, body := ps.Invitation.Render(domain.InvitationValues{Customer: c.Name, Partner: ps.Partner.Name, PartnerID: ps.Partner.PartnerID,
		Recipient: recipientName, Link: link, Expires: expires.Format(expiryDate)})
	return domain.EmailMessage{To: recipientEmail, Subject: subject, Body: body}
}
