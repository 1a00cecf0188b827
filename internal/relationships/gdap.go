package relationships

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// This file runs GDAP: the admin roles asked with a reseller relationship
// request, recorded step by step as partner staff make them in Partner
// Center (its invitation link, the customer's approval, the access
// assignments), and the role templates requests start from.

// GDAPStore is what GDAP needs from persistence.
type GDAPStore interface {
	GDAPRequest(ctx context.Context, id int64) (domain.GDAPRequest, error)
	RecordGDAPLink(ctx context.Context, actor domain.Actor, id int64, link domain.GDAPLink) error
	RecordGDAPApproval(ctx context.Context, actor domain.Actor, id int64, activatedAt time.Time) error
	TerminateGDAP(ctx context.Context, actor domain.Actor, id int64, reason string) error
	AddAssignment(ctx context.Context, actor domain.Actor, a domain.AccessAssignment) error
	Assignments(ctx context.Context, gdapID int64) ([]domain.AccessAssignment, error)
	RoleTemplates(ctx context.Context) ([]domain.RoleTemplate, error)
	RoleTemplate(ctx context.Context, id int64) (domain.RoleTemplate, error)
	SaveRoleTemplate(ctx context.Context, actor domain.Actor, t domain.RoleTemplate) (int64, error)
	DeleteRoleTemplate(ctx context.Context, actor domain.Actor, id int64) error
}

// GDAP returns one GDAP request, or domain.ErrNotFound.
func (s *Service) GDAP(ctx context.Context, id int64) (domain.GDAPRequest, error) {
	return s.store.GDAPRequest(ctx, id)
}

// RecordGDAPLink checks what partner staff pasted after creating the GDAP
// relationship in Partner Center (its invitation link, or its id, from
// which the link is built) and records it. A bad link is
// domain.FieldErrors on gdap_link.
func (s *Service) RecordGDAPLink(ctx context.Context, actor domain.Actor, id int64, raw string) error {
	partner, err := s.store.Partner(ctx)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	link, problem := domain.ParseGDAPLink(raw, partner.Cloud)
	if problem != "" {
		return domain.FieldErrors{"gdap_link": problem}
	}
	return s.store.RecordGDAPLink(ctx, actor, id, link)
}

// RecordGDAPApproval records that the customer approved the GDAP request in
// the Microsoft 365 admin center, on day (DateLayout; today when empty):
// the relationship is active and its end counts from that day.
func (s *Service) RecordGDAPApproval(ctx context.Context, actor domain.Actor, id int64, day string) error {
	now := s.now()
	at := now
	if day = strings.TrimSpace(day); day != "" {
		d, err := time.Parse(domain.DateLayout, day)
		if err != nil {
			return domain.FieldErrors{"activated_on": "Enter the day the customer approved, as YYYY-MM-DD."}
		}
		if at = d; d.Format(domain.DateLayout) == now.Format(domain.DateLayout) {
			at = now
		}
	}
	g, err := s.store.GDAPRequest(ctx, id)
	if err != nil {
		return err
	}
	if problem := g.CheckActivation(at, now); problem != "" {
		return domain.FieldErrors{"activated_on": problem}
	}
	return s.store.RecordGDAPApproval(ctx, actor, id, at)
}

// TerminateGDAP records that the partner ended the GDAP relationship, or
// withdrew its request, in Partner Center; a reason is required.
func (s *Service) TerminateGDAP(ctx context.Context, actor domain.Actor, id int64, reason string) error {
	if reason = strings.TrimSpace(reason); reason == "" {
		return domain.FieldErrors{"reason": "Say why the GDAP relationship ends."}
	}
	return s.store.TerminateGDAP(ctx, actor, id, reason)
}

// AddAssignment records which partner security group got which roles of an
// active GDAP relationship in Partner Center.
func (s *Service) AddAssignment(ctx context.Context, actor domain.Actor, a domain.AccessAssignment) error {
	return s.store.AddAssignment(ctx, actor, a.Normalize())
}

// gdapPanel builds step 4's panel of the GDAP request g for role, in the
// partner's cloud.
func (s *Service) gdapPanel(ctx context.Context, g domain.GDAPRequest, role domain.Role, cloud domain.Cloud) (*domain.GDAPPanel, error) {
	assignments, err := s.store.Assignments(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	var tpl *domain.RoleTemplate
	if g.TemplateID != 0 {
		switch t, err := s.store.RoleTemplate(ctx, g.TemplateID); {
		case err == nil:
			tpl = &t
		case !errors.Is(err, domain.ErrNotFound):
			return nil, err
		}
	}
	p := domain.NewGDAPPanel(g, assignments, tpl, role, cloud, s.now())
	return &p, nil
}

// gdapDefaults fills the admin roles part of a new request's form for the
// customer named customer: from the template of templateID (0, or one that
// no longer exists, for scratch), with a display name suggested.
func (s *Service) gdapDefaults(ctx context.Context, d *domain.InvitationDefaults, customer string, templateID int64) error {
	var err error
	if d.Templates, err = s.store.RoleTemplates(ctx); err != nil {
		return err
	}
	d.GDAP = domain.NewGDAPRequest{GDAPTerms: domain.GDAPTerms{Days: domain.GDAPDefaultDays}}
	for _, t := range d.Templates {
		if t.ID == templateID {
			d.Template = &t
			d.GDAP = domain.NewGDAPRequest{GDAPTerms: t.Terms(), TemplateID: t.ID}
		}
	}
	name := ""
	if d.Template != nil {
		name = d.Template.Name
	}
	d.GDAP.DisplayName = domain.SuggestGDAPName(customer, name)
	return nil
}

// RoleTemplates returns every role template, by name.
func (s *Service) RoleTemplates(ctx context.Context) ([]domain.RoleTemplate, error) {
	return s.store.RoleTemplates(ctx)
}

// RoleTemplate returns one role template, or domain.ErrNotFound.
func (s *Service) RoleTemplate(ctx context.Context, id int64) (domain.RoleTemplate, error) {
	return s.store.RoleTemplate(ctx, id)
}

// SaveRoleTemplate validates and stores a template (new when its ID is 0)
// and returns its id; invalid input, a name taken among them, is
// domain.FieldErrors.
func (s *Service) SaveRoleTemplate(ctx context.Context, actor domain.Actor, t domain.RoleTemplate) (int64, error) {
	t = t.Normalize()
	if errs := t.Validate(); errs.Any() {
		return 0, errs
	}
	return s.store.SaveRoleTemplate(ctx, actor, t)
}

// DeleteRoleTemplate removes a template; requests made from it keep their
// roles.
func (s *Service) DeleteRoleTemplate(ctx context.Context, actor domain.Actor, id int64) error {
	return s.store.DeleteRoleTemplate(ctx, actor, id)
}
