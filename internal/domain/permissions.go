package domain

import "strings"

// Permission names one row of the role matrix of DESIGN §3.
type Permission string

// The permissions of the role matrix. Routes declare their roles with these,
// and the home page lists them, so the matrix lives in one place.
const (
	PermView                Permission = "view"
	PermEditCustomers       Permission = "edit_customers"
	PermInvite              Permission = "invite"
	PermRequestAdminRoles   Permission = "request_admin_roles"
	PermReviewRelationships Permission = "review_relationships"
	PermUsageWorkflow       Permission = "usage_workflow"
	PermTransfers           Permission = "transfers"
	PermRemoveRelationship  Permission = "remove_relationship"
	PermManageUsers         Permission = "manage_users"
	PermReadAudit           Permission = "read_audit"
	PermOutbox              Permission = "outbox"
)

// PermissionRule is one row of the role matrix.
type PermissionRule struct {
	Permission  Permission
	Description string
	Roles       []Role
}

var (
	everyone = []Role{RoleGlobalAdmin, RoleAdminAgent, RoleSalesAgent}
	admins   = []Role{RoleGlobalAdmin, RoleAdminAgent}
	global   = []Role{RoleGlobalAdmin}
)

// RoleMatrix is DESIGN §3's table, in its order.
var RoleMatrix = []PermissionRule{
	{PermView, "View customers, their inventories and plans, and their relationships", everyone},
	{PermEditCustomers, "Create customers; add, edit, import and classify their subscriptions", everyone},
	{PermInvite, "Create, resend and revoke reseller relationship requests", everyone},
	// Partner Center lets only Admin agents create GDAP relationships
	// (https://learn.microsoft.com/en-us/partner-center/customers/gdap-obtain-admin-permissions-to-manage-customer,
	// "Appropriate roles: Admin agent"); Global admins too is the app's own
	// choice. Sales agents send reseller-only requests.
	{PermRequestAdminRoles, "Request admin roles (GDAP) and record their progress in Partner Center", admins},
	{PermReviewRelationships, "Verify accepted relationships in Partner Center (by hand or from its customer export), or reject them", admins},
	{PermUsageWorkflow, "Record new CSP Azure subscriptions and cancel old services", admins},
	{PermTransfers, "Create and change transfer requests (Azure and licences)", admins},
	{PermRemoveRelationship, "Remove an active relationship", global},
	{PermManageUsers, "Manage partner users, roles, partner settings and role templates", global},
	{PermReadAudit, "Read the audit log", global},
	{PermOutbox, "See the outbox of e-mail waiting to be sent", admins},
}

// RolesFor returns the roles that hold permission p.
func RolesFor(p Permission) []Role {
	for _, rule := range RoleMatrix {
		if rule.Permission == p {
			return rule.Roles
		}
	}
	return nil
}

// Allows reports whether role r holds permission p.
func (r Role) Allows(p Permission) bool {
	for _, role := range RolesFor(p) {
		if role == r {
			return true
		}
	}
	return false
}

// Capabilities lists the descriptions of what role r may do, in matrix order.
func (r Role) Capabilities() []string {
	var out []string
	for _, rule := range RoleMatrix {
		if r.Allows(rule.Permission) {
			out = append(out, rule.Description)
		}
	}
	return out
}

// PluralLabel names the holders of role r: "Admin agents".
func (r Role) PluralLabel() string { return r.Label() + "s" }

// WhoMay names, in words, the roles that hold permission p, the least
// privileged first, as a sentence's subject: "Admin agents and Global
// admins". The words follow the role matrix, so a page that says who does
// something cannot drift from who may.
func WhoMay(p Permission) string {
	roles := RolesFor(p)
	names := make([]string, 0, len(roles))
	for i := len(roles) - 1; i >= 0; i-- {
		names = append(names, roles[i].PluralLabel())
	}
	switch len(names) {
	case 0:
		return "No role"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// NotYours says why role r, which lacks permission p, sees work it cannot
// do: who does it, in the words of the role matrix, "Admin agents and Global
// admins record new CSP Azure subscriptions and cancel old services; as a
// Sales agent you can follow where it stands here." It is empty when r
// holds p.
func NotYours(r Role, p Permission) string {
	if r.Allows(p) {
		return ""
	}
	var what string
	for _, rule := range RoleMatrix {
		if rule.Permission == p {
			what = strings.ToLower(rule.Description[:1]) + rule.Description[1:]
		}
	}
	return WhoMay(p) + " " + what + "; as " + article(r.Label()) + " " + r.Label() + " you can follow where it stands here."
}

// article is "a" or "an" for the word that follows.
func article(word string) string {
	if word != "" && strings.ContainsRune("AEIOUaeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
