package domain

import (
	"errors"
	"testing"
)

func TestUserChangesKeepAnActiveGlobalAdmin(t *testing.T) {
	ga := User{ID: 1, Role: RoleGlobalAdmin, Active: true}
	inactiveGA := User{ID: 2, Role: RoleGlobalAdmin, Active: false}
	agent := User{ID: 3, Role: RoleAdminAgent, Active: true}
	inactiveAgent := User{ID: 4, Role: RoleSalesAgent, Active: false}
	for _, tc := range []struct {
		name    string
		check   func() error
		refused bool
	}{
		// Roles.
		{"the last Global admin becomes an Admin agent", func() error { return CheckRoleChange(ga, RoleAdminAgent, 0) }, true},
		{"the last Global admin becomes a Sales agent", func() error { return CheckRoleChange(ga, RoleSalesAgent, 0) }, true},
		{"the last Global admin stays Global admin", func() error { return CheckRoleChange(ga, RoleGlobalAdmin, 0) }, false},
		{"a Global admin with another beside becomes an agent", func() error { return CheckRoleChange(ga, RoleAdminAgent, 1) }, false},
		{"an inactive Global admin becomes an agent", func() error { return CheckRoleChange(inactiveGA, RoleAdminAgent, 0) }, false},
		{"an agent becomes Global admin", func() error { return CheckRoleChange(agent, RoleGlobalAdmin, 0) }, false},
		{"an agent becomes a Sales agent", func() error { return CheckRoleChange(agent, RoleSalesAgent, 0) }, false},
		// Activity.
		{"the last Global admin is deactivated", func() error { return CheckActiveChange(ga, false, 0) }, true},
		{"a Global admin with another beside is deactivated", func() error { return CheckActiveChange(ga, false, 2) }, false},
		{"the last Global admin is made active again", func() error { return CheckActiveChange(ga, true, 0) }, false},
		{"an inactive Global admin is reactivated", func() error { return CheckActiveChange(inactiveGA, true, 0) }, false},
		{"an inactive Global admin is deactivated again", func() error { return CheckActiveChange(inactiveGA, false, 0) }, false},
		{"an agent is deactivated", func() error { return CheckActiveChange(agent, false, 0) }, false},
		{"an inactive agent is reactivated", func() error { return CheckActiveChange(inactiveAgent, true, 0) }, false},
	} {
		err := tc.check()
		var conflict *ConflictError
		switch {
		case tc.refused && (!errors.As(err, &conflict) || conflict.Reason != lastGlobalAdmin):
			t.Errorf("%s: %v; want the last-Global-admin conflict", tc.name, err)
		case !tc.refused && err != nil:
			t.Errorf("%s: refused with %v", tc.name, err)
		}
	}
	var errs FieldErrors
	if err := CheckRoleChange(agent, Role("owner"), 1); !errors.As(err, &errs) || errs["role"] == "" {
		t.Errorf("an unknown role: %v; want a field error on role", err)
	}
}
