package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/internal/ratelimit"
	"github.com/wingtip/multichannel/internal/relationships"
	"github.com/wingtip/multichannel/views"
)

// invitationHeaders keep the link out of Referer headers and caches: the URL
// of these pages carries the token.
func invitationHeaders(c echo.Context) {
	h := c.Response().Header()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set(echo.HeaderCacheControl, "no-store")
}

// limitInvitations counts every request to the public link pages
// (invitations, password links) per client address, IPv6 per /64 as sign-in
// does, so links cannot be guessed at speed.
func (s *Server) limitInvitations(c echo.Context) error {
	if ok, until := s.inviteLimiter.Reserve(ratelimit.ClientKey(c.RealIP()), s.svc.Now()); !ok {
		return &tooManyRequests{retryAt: until, message: "Too many requests to invitation links from your address."}
	}
	return nil
}

func (s *Server) renderInvalidInvitation(c echo.Context) error {
	return s.render(c, http.StatusNotFound, views.InvitationInvalidPage(s.chrome(c, "Invitation")))
}

func invitePage(inv domain.Invitation, token string) views.InvitePage {
	p := views.InvitePage{Action: "/invite/" + token, PartnerName: inv.Partner.Name, PartnerID: inv.Partner.PartnerID,
		CustomerName: inv.Customer.Name, Domain: inv.Customer.Domain, GDAP: gdapInvitationView(inv),
		USGov: inv.Partner.Cloud == domain.CloudUSGovernment, ExpiresAt: domain.FormatDateTime(inv.Request.ExpiresAt),
		ResellerLink: inv.Partner.ResellerLink, AgreementURL: domain.MCAAgreementURL,
		// The invited person is the one who usually answers, for the
		// customer the partner knows.
		Email: inv.Request.RecipientEmail, CompanyName: inv.Customer.Name}
	p.FirstName, p.LastName = domain.SplitName(inv.Request.RecipientName)
	return p
}

// showInvitation shows the customer's page. GET and HEAD change nothing:
// mail scanners open links before people do.
func (s *Server) showInvitation(c echo.Context) error {
	invitationHeaders(c)
	if err := s.limitInvitations(c); err != nil {
		return err
	}
	token := c.Param("token")
	inv, err := s.svc.Relationships.Invitation(c.Request().Context(), token)
	if errors.Is(err, relationships.ErrInvalidLink) {
		return s.renderInvalidInvitation(c)
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, views.InvitationPage(s.chrome(c, "Invitation"), invitePage(inv, token)))
}

// answerInvitation records the customer's answer, then sends the browser to
// a page without the token.
func (s *Server) answerInvitation(c echo.Context) error {
	invitationHeaders(c)
	if err := s.limitInvitations(c); err != nil {
		return err
	}
	token := c.Param("token")
	ctx := c.Request().Context()
	answer := relationships.CustomerAnswer{Choice: domain.RelationshipChange(postValue(c, "answer")),
		Person: domain.Attestation{FirstName: postValue(c, "first_name"), LastName: postValue(c, "last_name"), Email: postValue(c, "email"),
			Phone: postValue(c, "phone"), CompanyName: postValue(c, "company_name")},
		IsGlobalAdmin: postValue(c, "global_admin") == "1", AcceptsMCA: postValue(c, "mca") == "1",
		AcceptedAtMicrosoft: postValue(c, "accepted_at_microsoft") == "1", ClientIP: c.RealIP()}
	if answer.Choice == domain.RelationshipDecline && !isConfirmed(c) {
		inv, err := s.svc.Relationships.Invitation(ctx, token)
		if errors.Is(err, relationships.ErrInvalidLink) {
			return s.renderInvalidInvitation(c)
		}
		if err != nil {
			return err
		}
		return s.askFirst(c, views.Confirmation{Question: "Decline " + inv.Partner.Name + "'s invitation?", Yes: "Yes, decline", Public: true,
			Consequence: inv.Partner.Name + " does not become the Microsoft reseller of " + inv.Customer.Name +
				", and this link stops working. Nothing changes with the subscriptions you have. The partner can send a new invitation if you change your mind."},
			"/invite/"+token)
	}
	_, err := s.svc.Relationships.Answer(ctx, token, answer)
	status := formStatus(err)
	if errs, ok := fieldErrors(err); ok {
		inv, err := s.svc.Relationships.Invitation(ctx, token)
		if errors.Is(err, relationships.ErrInvalidLink) {
			return s.renderInvalidInvitation(c)
		}
		if err != nil {
			return err
		}
		p := invitePage(inv, token)
		in := answer.Person
		p.FirstName, p.LastName, p.Email, p.Phone, p.CompanyName = in.FirstName, in.LastName, in.Email, in.Phone, in.CompanyName
		p.GlobalAdmin, p.AcceptsMCA, p.AcceptedAtMicrosoft, p.Errors = answer.IsGlobalAdmin, answer.AcceptsMCA, answer.AcceptedAtMicrosoft, errs
		return s.render(c, status, views.InvitationPage(s.chrome(c, "Invitation"), p))
	}
	if errors.Is(err, relationships.ErrInvalidLink) {
		return s.renderInvalidInvitation(c)
	}
	if err != nil {
		return err
	}
	outcome := "declined"
	if answer.Choice == domain.RelationshipAccept {
		outcome = "accepted"
	}
	return c.Redirect(http.StatusSeeOther, "/invite/answered?outcome="+outcome)
}

func (s *Server) invitationAnswered(c echo.Context) error {
	invitationHeaders(c)
	d := views.InviteDone{Accepted: c.QueryParam("outcome") == "accepted"}
	if p, err := s.svc.Relationships.Partner(c.Request().Context()); err == nil {
		d.PartnerName = p.Name
	}
	return s.render(c, http.StatusOK, views.InvitationDonePage(s.chrome(c, "Invitation"), d))
}
