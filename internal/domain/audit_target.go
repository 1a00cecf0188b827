package domain

import (
	"strconv"
	"strings"
)

// AuditTarget is what an audit entry's target names, read from the form the
// app writes it in: a kind and the record's id ("transfer:11"), followed by
// its name for some kinds ("customer:3 Contoso Ltd", "import:5 file.csv"),
// or, for a user the sign-in pages name, an e-mail address
// ("user:avery@wingtip.example").
type AuditTarget struct {
	Kind  string
	ID    int64  // 0 when the target names no id
	Name  string // what follows the id, or the address of a user named by it
	Whole string // the target as written, for a kind the app does not know
}

// ParseAuditTarget reads an audit entry's target.
func ParseAuditTarget(s string) AuditTarget {
	t := AuditTarget{Whole: s}
	kind, rest, ok := strings.Cut(s, ":")
	if !ok {
		return t
	}
	t.Kind = kind
	idText, name, _ := strings.Cut(rest, " ")
	if id, err := strconv.ParseInt(idText, 10, 64); err == nil && id > 0 {
		t.ID, t.Name = id, strings.TrimSpace(name)
	} else {
		t.Name = strings.TrimSpace(rest)
	}
	return t
}

// auditTargetKinds name the kinds of targets for people.
var auditTargetKinds = map[string]string{
	"relationship": "Relationship request", "transfer": "Transfer", "billing_transfer": "Billing transfer",
	"csp_purchase": "CSP purchase", "role_template": "Role template", "gdap": "GDAP relationship", "subscription": "Subscription",
	"partner_center_export": "Partner Center export", "outbox": "Message", "import": "Import", "upload": "Upload",
	"customer_upload": "Customer list", "customer": "Customer", "user": "User",
}

// Label names the target for people: a user by the name users give it
// (by id or by e-mail), a record by its kind and its name, or its number
// when it has none; a target of a kind the app does not know as written.
func (t AuditTarget) Label(users []User) string {
	kind, known := auditTargetKinds[t.Kind]
	if !known {
		return t.Whole
	}
	if t.Kind == "user" {
		for _, u := range users {
			if (t.ID != 0 && u.ID == t.ID) || (t.ID == 0 && t.Name != "" && strings.EqualFold(u.Email, t.Name)) {
				return u.Name
			}
		}
	}
	switch {
	case t.Name != "":
		return kind + " " + t.Name
	case t.ID != 0:
		return kind + " no. " + strconv.FormatInt(t.ID, 10)
	}
	return kind
}
