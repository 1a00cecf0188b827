package domain

import (
	"testing"
	"time"
)

// TestRelationshipActionsFor checks what a row offers every role in every
// state: resend and revoke (and the draft) while pending to whoever may
// invite, review of an accepted request to admins, removal of an active one
// to a Global admin, and nothing else.
func TestRelationshipActionsFor(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	pendingActions := RelationshipActions{Resend: true, Revoke: true, Send: true}
	for _, tc := range []struct {
		name      string
		status    RelationshipStatus
		expiresAt time.Time
		want      map[Role]RelationshipActions // roles not named are offered nothing
	}{
		{"pending", StatusPending, now.Add(time.Hour),
			map[Role]RelationshipActions{RoleGlobalAdmin: pendingActions, RoleAdminAgent: pendingActions, RoleSalesAgent: pendingActions}},
		{"pending past its expiry", StatusPending, now, nil},
		{"accepted", StatusAccepted, now.Add(-time.Hour),
			map[Role]RelationshipActions{RoleGlobalAdmin: {Review: true}, RoleAdminAgent: {Review: true}}},
		{"active", StatusActive, now.Add(-time.Hour), map[Role]RelationshipActions{RoleGlobalAdmin: {Remove: true}}},
		{"declined", StatusDeclined, now.Add(time.Hour), nil},
		{"rejected", StatusRejected, now.Add(time.Hour), nil},
		{"revoked", StatusRevoked, now.Add(time.Hour), nil},
		{"expired", StatusExpired, now.Add(time.Hour), nil},
		{"removed", StatusRemoved, now.Add(time.Hour), nil},
	} {
		r := RelationshipRequest{Status: tc.status, ExpiresAt: tc.expiresAt}
		for _, role := range Roles {
			if got := r.ActionsFor(role, now); got != tc.want[role] {
				t.Errorf("%s request, %s: %+v; want %+v", tc.name, role, got, tc.want[role])
			}
		}
	}
}

func TestRelationshipRow(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name        string
		status      RelationshipStatus
		expiresAt   time.Time
		effective   RelationshipStatus
		daysLeft    int
		expiresSoon bool
	}{
		{"pending, a month left", StatusPending, now.Add(30 * 24 * time.Hour), StatusPending, 30, false},
		{"pending, seven days left", StatusPending, now.Add(7 * 24 * time.Hour), StatusPending, 7, false},
		{"pending, a month less a second left", StatusPending, now.Add(30*24*time.Hour - time.Second), StatusPending, 30, false},
		{"pending, under seven days left", StatusPending, now.Add(7*24*time.Hour - time.Minute), StatusPending, 7, true},
		{"pending, an hour left", StatusPending, now.Add(time.Hour), StatusPending, 1, true},
		{"pending past its expiry", StatusPending, now, StatusExpired, 0, false},
		{"accepted", StatusAccepted, now.Add(time.Hour), StatusAccepted, 0, false},
		{"active", StatusActive, now.Add(-time.Hour), StatusActive, 0, false},
	} {
		r := RelationshipRequest{ID: 7, Status: tc.status, ExpiresAt: tc.expiresAt}
		row := r.Row(RoleGlobalAdmin, now)
		if row.Request.ID != 7 || row.Status != tc.effective || row.DaysLeft != tc.daysLeft || row.ExpiresSoon != tc.expiresSoon ||
			row.Actions != r.ActionsFor(RoleGlobalAdmin, now) {
			t.Errorf("%s: %+v; want %s, %d days left, expires soon %v", tc.name, row, tc.effective, tc.daysLeft, tc.expiresSoon)
		}
	}
}

func TestListFilterTotalIn(t *testing.T) {
	counts := map[RelationshipStatus]int{StatusPending: 3, StatusAccepted: 5, StatusExpired: 2}
	for _, tc := range []struct {
		name   string
		f      RelationshipFilter
		want   int
		counts bool
	}{
		{"all", RelationshipFilter{}, 10, true},
		{"a state", RelationshipFilter{Status: StatusAccepted}, 5, true},
		{"a state without requests", RelationshipFilter{Status: StatusRevoked}, 0, true},
		{"expiring soon", RelationshipFilter{ExpiringWithin: 72 * time.Hour}, 0, false},
		{"expiring soon, whatever the state", RelationshipFilter{Status: StatusPending, ExpiringWithin: time.Hour}, 0, false},
	} {
		if got, ok := tc.f.TotalIn(counts); got != tc.want || ok != tc.counts {
			t.Errorf("%s: %d, %v; want %d, %v", tc.name, got, ok, tc.want, tc.counts)
		}
	}
}
