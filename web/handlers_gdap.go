package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/wingtip/multichannel/internal/domain"
	"github.com/wingtip/multichannel/views"
)

// This file serves GDAP: recording on step 4 what partner staff did in
// Partner Center (the invitation link, the customer's approval, the access
// assignments, a termination), and the role templates of the settings.

// postedRoles reads the Entra role codes ticked in the form field name.
func postedRoles(c echo.Context, name string) []domain.AdminRole {
	_ = c.Request().ParseForm()
	var roles []domain.AdminRole
	for _, r := range c.Request().PostForm[name] {
		roles = append(roles, domain.AdminRole(r))
	}
	return roles
}

// roleLines describes roles with Microsoft's one line on each.
func roleLines(roles []domain.AdminRole) []views.RoleLine {
	out := make([]views.RoleLine, len(roles))
	for i, r := range roles {
		e, _ := r.Entra()
		out[i] = views.RoleLine{Name: e.Name, Description: e.Description, Privileged: e.Privileged}
	}
	return out
}

// shownDateTime writes an optional time for the page, as
// domain.FormatDateTime does;
// empty when missing (domain.FormatDate is its twin for dates).
func shownDateTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return domain.FormatDateTime(*t)
}

// gdapPanelView builds step 4's GDAP panel as the domain gave it, with what
// was typed (nil for none) kept in its forms: the roles ticked for an
// assignment, typedRoles, among the request's.
func gdapPanelView(p domain.GDAPPanel, back string, usGov bool, now time.Time, typed *views.GDAPPanel, typedRoles []domain.AdminRole) views.GDAPPanel {
	g := p.Request
	v := views.GDAPPanel{ID: g.ID, DisplayName: g.DisplayName, Status: string(p.Status), StatusLabel: p.Status.Label(), Roles: roleLines(g.Roles),
		Days: g.Days, AutoExtend: g.AutoExtend, CreatedBy: g.CreatedByName, CreatedAt: domain.FormatDateTime(g.CreatedAt),
		Template: p.Template, Link: g.Link, LinkBy: g.LinkPastedByName, LinkAt: shownDateTime(g.LinkPastedAt),
		LapsesAt: domain.FormatDate(p.LapsesAt), ActivatedBy: g.ActivatedByName, ActivatedAt: domain.FormatDate(g.ActivatedAt),
		EndsAt: domain.FormatDate(p.EndsAt), EndedBy: g.EndedByName, EndedAt: shownDateTime(g.EndedAt), Reason: g.Reason,
		USGov: usGov, Active: p.Status == domain.GDAPActive, CanPasteLink: p.Actions.PasteLink, CanApprove: p.Actions.Approve, CanTerminate: p.Actions.Terminate,
		CanAssign: p.Actions.Assign, Unassigned: p.Unassigned, AssignRoles: roleOptions(g.Roles, typedRoles),
		ActivatedOn: now.Format(domain.DateLayout), Back: back}
	for _, ch := range p.Checks {
		v.Checks = append(v.Checks, views.AssignmentCheckView{Role: ch.Role.Name, Groups: strings.Join(ch.Groups, ", "), Suggested: ch.Suggested})
	}
	if t := typed; t != nil {
		v.LinkInput, v.Group, v.ReasonInput, v.Errors = t.LinkInput, t.Group, t.ReasonInput, t.Errors
		if t.ActivatedOn != "" {
			v.ActivatedOn = t.ActivatedOn
		}
	}
	return v
}

// gdapInvitationView is the admin roles part of the customer's page; nil
// when there is nothing to show.
func gdapInvitationView(inv domain.Invitation) *views.GDAPInvitationView {
	g := inv.GDAP
	if g == nil {
		return nil
	}
	return &views.GDAPInvitationView{PartnerName: inv.Partner.Name, Domain: inv.Customer.Domain, Link: g.Link, Roles: roleLines(g.Roles),
		Days: g.Days, AutoExtend: g.AutoExtend, USGov: inv.Partner.Cloud == domain.CloudUSGovernment}
}

// gdapChange records one change of the GDAP request of the path and goes
// back to its customer's step 4; input refused, or a refusal by the
// request's state, is shown there again as typed, with its messages.
// confirm, when set, asks first.
func (s *Server) gdapChange(c echo.Context, apply func(ctx context.Context, id int64) error, typed typedStep, done string,
	confirm func(ctx context.Context, id int64) (views.Confirmation, error)) error {
	customerOf := func(ctx context.Context, id int64) (int64, error) {
		g, err := s.svc.Relationships.GDAP(ctx, id)
		return g.CustomerID, err
	}
	ch := customerStateChange("gid", "relationship", customerOf, apply, done,
		func(ctx context.Context, customerID, _ int64, errs domain.FieldErrors, status int) error {
			typed.gdap.Errors = errs
			return s.renderRelationshipStep(c, status, customerID, typed)
		})
	ch.conflicts, ch.confirm = true, confirm
	return s.change(c, ch)
}

func (s *Server) recordGDAPLink(c echo.Context) error {
	raw := postValue(c, "gdap_link")
	return s.gdapChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.RecordGDAPLink(ctx, actor(c), id, raw)
	},
		typedStep{gdap: &views.GDAPPanel{LinkInput: raw}}, "The GDAP invitation link is recorded: the customer's page now shows it.", nil)
}

func (s *Server) recordGDAPApproval(c echo.Context) error {
	day := postValue(c, "activated_on")
	return s.gdapChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.RecordGDAPApproval(ctx, actor(c), id, day)
	}, typedStep{gdap: &views.GDAPPanel{ActivatedOn: day}}, "Recorded: the GDAP relationship is active. Assign its roles to your security groups in Partner Center.", nil)
}

func (s *Server) terminateGDAP(c echo.Context) error {
	reason := postValue(c, "reason")
	var confirm func(ctx context.Context, id int64) (views.Confirmation, error)
	// Without a reason the service refuses it before anything is asked.
	if strings.TrimSpace(reason) != "" {
		confirm = func(ctx context.Context, id int64) (views.Confirmation, error) {
			g, err := s.svc.Relationships.GDAP(ctx, id)
			return views.Confirmation{Question: "Record the GDAP relationship with " + g.CustomerName + " as terminated?", Yes: "Yes, record the termination",
				Consequence: "Its admin roles are recorded as ended, for the reason “" + strings.TrimSpace(reason) +
					"”. This does not end anything in Partner Center: terminate it there too. Admin roles again need a new request the customer approves."}, err
		}
	}
	return s.gdapChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.TerminateGDAP(ctx, actor(c), id, reason)
	},
		typedStep{gdap: &views.GDAPPanel{ReasonInput: reason}}, "The GDAP relationship is recorded as terminated.", confirm)
}

func (s *Server) addGDAPAssignment(c echo.Context) error {
	group, roles := postValue(c, "group"), postedRoles(c, "roles")
	return s.gdapChange(c, func(ctx context.Context, id int64) error {
		return s.svc.Relationships.AddAssignment(ctx, actor(c), domain.AccessAssignment{GDAPID: id, Group: group, Roles: roles})
	}, typedStep{gdap: &views.GDAPPanel{Group: group}, gdapRoles: roles}, "The assignment is recorded.", nil)
}

// templatesPath is the role templates page.
const templatesPath = "/settings/role-templates"

func templatePath(id int64) string { return templatesPath + "/" + strconv.FormatInt(id, 10) }

// templateForm is the form of template t, with its roles ticked and their
// groups.
func templateForm(t domain.RoleTemplate) views.RoleTemplateForm {
	f := views.RoleTemplateForm{ID: t.ID, Action: templatesPath, Name: t.Name, Days: strconv.Itoa(t.Days), AutoExtend: t.Extend}
	if t.ID != 0 {
		f.Action = templatePath(t.ID)
	}
	chosen := t.Terms().Roles
	for _, o := range roleOptions(domain.AdminRoles, chosen) {
		f.Roles = append(f.Roles, views.TemplateRoleOption{RoleOption: o, Group: t.Group(domain.AdminRole(o.Value))})
	}
	return f
}

// renderTemplates shows the templates with form, the new template's when
// nil.
func (s *Server) renderTemplates(c echo.Context, status int, form *views.RoleTemplateForm) error {
	list, err := s.svc.Relationships.RoleTemplates(c.Request().Context())
	if err != nil {
		return err
	}
	page := views.RoleTemplatesPage{}
	for _, t := range list {
		row := views.RoleTemplateRow{ID: t.ID, Name: t.Name, Days: t.Days, AutoExtend: t.Extend}
		for _, r := range t.Roles {
			line := r.Role.Label()
			if r.Group != "" {
				line += " → " + r.Group
			}
			row.Roles = append(row.Roles, line)
		}
		page.Templates = append(page.Templates, row)
	}
	if form == nil {
		f := templateForm(domain.RoleTemplate{Days: domain.GDAPDefaultDays})
		form = &f
	}
	page.Form = *form
	return s.render(c, status, views.RoleTemplatesPageView(s.chrome(c, "Role templates"), page))
}

func (s *Server) showTemplates(c echo.Context) error { return s.renderTemplates(c, http.StatusOK, nil) }

func (s *Server) editTemplate(c echo.Context) error {
	id, err := idParam(c, "tid")
	if err != nil {
		return err
	}
	t, err := s.svc.Relationships.RoleTemplate(c.Request().Context(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	f := templateForm(t)
	return s.renderTemplates(c, http.StatusOK, &f)
}

// saveTemplate creates (no id in the path) or replaces a template; refused
// input comes back as typed with its messages (422).
func (s *Server) saveTemplate(c echo.Context) error {
	var id int64
	if c.Param("tid") != "" {
		var err error
		if id, err = idParam(c, "tid"); err != nil {
			return err
		}
	}
	t := domain.RoleTemplate{ID: id, Name: postValue(c, "name"), Extend: postValue(c, "auto_extend") == "1"}
	for _, r := range postedRoles(c, "admin_roles") {
		t.Roles = append(t.Roles, domain.TemplateRole{Role: r, Group: postValue(c, "group_"+string(r))})
	}
	parsed := domain.FieldErrors{}
	days, err := strconv.Atoi(strings.TrimSpace(postValue(c, "admin_days")))
	if err != nil {
		parsed["admin_days"] = "Enter a number of days from 1 to 730."
	}
	t.Days = days
	if !parsed.Any() {
		_, err = s.svc.Relationships.SaveRoleTemplate(c.Request().Context(), actor(c), t)
	} else {
		err = nil
	}
	if errors.Is(err, domain.ErrNotFound) {
		return echo.ErrNotFound
	}
	status := formStatus(err)
	errs, err := mergeErrors(parsed, err)
	if err != nil {
		return err
	}
	if errs.Any() {
		form := templateForm(t)
		form.Days, form.Errors = postValue(c, "admin_days"), errs
		return s.renderTemplates(c, status, &form)
	}
	s.flash(c, "The role template "+strings.TrimSpace(t.Name)+" is saved.")
	return c.Redirect(http.StatusSeeOther, templatesPath)
}

func (s *Server) deleteTemplate(c echo.Context) error {
	return s.change(c, stateChange{param: "tid", apply: func(ctx context.Context, id int64) error {
		return s.svc.Relationships.DeleteRoleTemplate(ctx, actor(c), id)
	}, done: "The role template is deleted; requests made from it keep their roles.", back: backTo(templatesPath),
		confirm: func(ctx context.Context, id int64) (views.Confirmation, error) {
			t, err := s.svc.Relationships.RoleTemplate(ctx, id)
			return views.Confirmation{Question: "Delete the role template " + t.Name + "?", Yes: "Yes, delete it",
				Consequence: "It is no longer offered for new GDAP requests. Requests already made from it keep their roles."}, err
		}})
}
