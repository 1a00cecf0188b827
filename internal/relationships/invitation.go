package relationships

import (
	"context"
	"errors"
	"unicode/utf8"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/tokens"
)

// This file serves the customer's side of an invitation: the page its link
// opens, which changes nothing, and the answer, which uses the link up.

// ErrInvalidLink is the one answer for an unknown, used, revoked or expired
// link, so the page tells nothing about which it was.
var ErrInvalidLink = errors.New("this invitation link is not valid")

// answerable returns the request of the link with token, and the token's
// hash, when the customer may still make change through it now, on the
// service's clock; the state machine decides. Every dead link, whatever
// killed it, is ErrInvalidLink.
func (s *Service) answerable(ctx context.Context, token string, change domain.RelationshipChange) (domain.RelationshipRequest, []byte, error) {
	hash, ok := tokens.Hash(token)
	if !ok {
		return domain.RelationshipRequest{}, nil, ErrInvalidLink
	}
	r, err := s.store.RelationshipByToken(ctx, hash)
	if errors.Is(err, domain.ErrNotFound) {
		return r, nil, ErrInvalidLink
	}
	if err != nil {
		return r, nil, err
	}
	if _, err := r.Transition(change, s.now()); err != nil {
		return r, nil, ErrInvalidLink
	}
	return r, hash, nil
}

// Invitation looks up the invitation of a link without changing anything.
// The page offers to accept or to decline, which the state machine allows
// alike.
func (s *Service) Invitation(ctx context.Context, token string) (domain.Invitation, error) {
	r, _, err := s.answerable(ctx, token, domain.RelationshipAccept)
	if err != nil {
		return domain.Invitation{}, err
	}
	partner, err := s.store.Partner(ctx)
	if err != nil {
		return domain.Invitation{}, err
	}
	customer, err := s.store.Customer(ctx, r.CustomerID)
	if err != nil {
		return domain.Invitation{}, err
	}
	return domain.Invitation{Partner: partner, Customer: customer, Request: r, GDAP: r.GDAP.ForCustomer(s.now())}, nil
}

// CustomerAnswer is what the customer's admin submits.
type CustomerAnswer struct {
	// Choice is the button pressed: RelationshipAccept or
	// RelationshipDecline. Anything else, nothing included, is refused and
	// leaves the request waiting: an empty or scripted post must not
	// decline for good.
	Choice domain.RelationshipChange
	// Person is who answers and, in the commercial cloud, the Microsoft
	// Customer Agreement attestation they give; its date and address are
	// the service's.
	Person        domain.Attestation
	IsGlobalAdmin bool
	AcceptsMCA    bool
	// AcceptedAtMicrosoft is the customer's word that it accepted the
	// partner in the Microsoft 365 admin center through the partner's
	// reseller link, which is where the relationship is made.
	AcceptedAtMicrosoft bool
	ClientIP            string
}

// Answer records the customer's acceptance or refusal and uses up the link.
// Accepting needs the person's name and e-mail, in the commercial cloud the
// Microsoft Customer Agreement attestation (domain.CheckAttestation), and
// the confirmations, among them that the customer accepted at Microsoft
// when the partner has a reseller link; a choice that is neither gives
// domain.FieldErrors for "answer" and changes nothing.
func (s *Service) Answer(ctx context.Context, token string, a CustomerAnswer) (domain.RelationshipRequest, error) {
	accept := a.Choice == domain.RelationshipAccept
	// The link must be usable now before the answer is checked: an expired
	// link gets the same page as any other dead one. A choice that is
	// neither is checked as the page is, as if to accept.
	if !accept && a.Choice != domain.RelationshipDecline {
		if _, _, err := s.answerable(ctx, token, domain.RelationshipAccept); err != nil {
			return domain.RelationshipRequest{}, err
		}
		return domain.RelationshipRequest{}, domain.FieldErrors{"answer": "Choose Accept or Decline."}
	}
	_, hash, err := s.answerable(ctx, token, a.Choice)
	if err != nil {
		return domain.RelationshipRequest{}, err
	}
	person := a.Person
	person.AgreementURL = domain.MCAAgreementURL
	person = person.Normalize()
	answer := domain.InvitationAnswer{Accept: accept, ClientIP: a.ClientIP}
	if accept {
		partner, err := s.store.Partner(ctx)
		if err != nil {
			return domain.RelationshipRequest{}, err
		}
		var errs domain.FieldErrors
		answer.Attestation, errs = domain.CheckAttestation(partner.Cloud, person, a.AcceptsMCA)
		if !a.IsGlobalAdmin {
			errs["global_admin"] = "Only a Global admin of your organisation can accept."
		}
		if partner.ResellerLink != "" && !a.AcceptedAtMicrosoft {
			errs["accepted_at_microsoft"] = "Accept at Microsoft first (step 1 above), then tick this box."
		}
		if errs.Any() {
			return domain.RelationshipRequest{}, errs
		}
	}
	// A decline keeps whoever it names, as far as it is well-formed: the
	// fields are not required to say no.
	if utf8.RuneCountInString(person.FullName()) <= 200 {
		answer.Name = person.FullName()
	}
	if email, err := domain.NormalizeEmail(person.Email); err == nil {
		answer.Email = email
	}
	r, err := s.store.AnswerInvitation(ctx, hash, answer)
	if errors.Is(err, domain.ErrNotFound) {
		return r, ErrInvalidLink
	}
	return r, err
}

// attestation returns the attestation the customer gave with request id, as
// partner's staff see it, or nil when it gave none.
func (s *Service) attestation(ctx context.Context, id int64, partner domain.Partner) (*domain.AttestationRecord, error) {
	a, err := s.store.Attestation(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rec := a.RecordFor(partner)
	return &rec, nil
}
