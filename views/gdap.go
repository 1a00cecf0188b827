package views

// GDAPInvitationView is the admin roles part of the customer's page, in
// the customer's words.
type GDAPInvitationView struct {
	PartnerName string
	Domain      string
	// Link is the GDAP invitation link exactly as stored, while the
	// request waits for the customer's approval; empty before the partner
	// has created it in Partner Center.
	Link       string
	Roles      []RoleLine
	Days       int
	AutoExtend bool
	USGov      bool // no GDAP there: the roles come with the relationship
}

// RoleLine is an Entra role with what it allows, in Microsoft's words.
type RoleLine struct {
	Name        string
	Description string
	Privileged  bool
}

// GDAPPanel is a GDAP request on step 4, with the forms to record its
// progress in Partner Center.
type GDAPPanel struct {
	ID          int64
	DisplayName string
	Status      string
	StatusLabel string
	Roles       []RoleLine
	Days        int
	AutoExtend  bool
	Template    string // the template it started from; empty for none
	CreatedBy   string
	CreatedAt   string
	Link        string
	LinkBy      string
	LinkAt      string
	LapsesAt    string // while approval is pending
	ActivatedBy string
	ActivatedAt string
	EndsAt      string
	EndedBy     string
	EndedAt     string
	Reason      string
	USGov       bool
	Active      bool // in force: the access assignments checklist applies
	// The actions the user may take.
	CanPasteLink bool
	CanApprove   bool
	CanTerminate bool
	CanAssign    bool
	// The checklist of access assignments, once active.
	Checks      []AssignmentCheckView
	Unassigned  int
	AssignRoles []RoleOption // the request's roles, to tick for a group (those typed ticked)
	// What was typed, kept when refused.
	LinkInput   string
	ActivatedOn string
	Group       string
	ReasonInput string
	Errors      map[string]string
	Back        string
}

// AssignmentCheckView is one role of the checklist: the groups it is
// assigned to, and the group its template suggests.
type AssignmentCheckView struct {
	Role      string
	Groups    string // comma-separated; empty while unassigned
	Suggested string
}

// RoleTemplatesPage lists the role templates, with the form to add or edit
// one.
type RoleTemplatesPage struct {
	Templates []RoleTemplateRow
	Form      RoleTemplateForm
}

// RoleTemplateRow is one template in the list.
type RoleTemplateRow struct {
	ID         int64
	Name       string
	Days       int
	AutoExtend bool
	Roles      []string // "role → group"
}

// RoleTemplateForm adds (ID 0) or edits a role template.
type RoleTemplateForm struct {
	ID         int64
	Action     string
	Name       string
	Days       string
	AutoExtend bool
	Roles      []TemplateRoleOption
	Errors     map[string]string
}

// TemplateRoleOption is one Entra role on the template form: whether it is
// in the template, and the group it is assigned to.
type TemplateRoleOption struct {
	RoleOption
	Group string
}
