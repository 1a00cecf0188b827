package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRelationshipTransitions tries every change on a request in every
// stored state, before and after its expiry: the allowed ones lead to their
// state, every other one is a ConflictError with the change's message.
func TestRelationshipTransitions(t *testing.T) {
	expires := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	before, at := expires.Add(-time.Nanosecond), expires // a request expires at its expiry time
	refused := map[RelationshipChange]string{
		RelationshipResend:        "Only an invitation still waiting for the customer can be sent again.",
		RelationshipRevoke:        "Only an invitation still waiting for the customer can be revoked.",
		RelationshipVerify:        "Only a request the customer has accepted can be verified or rejected.",
		RelationshipVerifyPending: "Only an invitation still waiting for the customer can be verified from a Partner Center export.",
		RelationshipReject:        "Only a request the customer has accepted can be verified or rejected.",
		RelationshipRemove:        "Only an active relationship can be removed.",
		RelationshipAccept:        "Only an invitation still waiting for the customer can be answered.",
		RelationshipDecline:       "Only an invitation still waiting for the customer can be answered.",
		RelationshipExpire:        "Only an invitation still waiting for the customer past its expiry can be written down as expired.",
	}
	type key struct {
		change  RelationshipChange
		from    RelationshipStatus
		expired bool
	}
	allowed := map[key]RelationshipStatus{
		{RelationshipResend, StatusPending, false}:        StatusPending,
		{RelationshipRevoke, StatusPending, false}:        StatusRevoked,
		{RelationshipVerify, StatusAccepted, false}:       StatusActive,
		{RelationshipVerify, StatusAccepted, true}:        StatusActive, // an accepted request does not expire
		{RelationshipVerifyPending, StatusPending, false}: StatusActive,
		{RelationshipReject, StatusAccepted, false}:       StatusRejected,
		{RelationshipReject, StatusAccepted, true}:        StatusRejected,
		{RelationshipRemove, StatusActive, false}:         StatusRemoved,
		{RelationshipRemove, StatusActive, true}:          StatusRemoved,
		{RelationshipAccept, StatusPending, false}:        StatusAccepted,
		{RelationshipDecline, StatusPending, false}:       StatusDeclined,
		{RelationshipExpire, StatusPending, true}:         StatusExpired,
	}
	seen := 0
	for change, message := range refused {
		for _, from := range RelationshipStatuses {
			for _, expired := range []bool{false, true} {
				now := before
				if expired {
					now = at
				}
				r := RelationshipRequest{Status: from, ExpiresAt: expires}
				name := fmt.Sprintf("%s a %s request (past its expiry: %v)", change, from, expired)
				got, err := r.Transition(change, now)
				if want, ok := allowed[key{change, from, expired}]; ok {
					seen++
					if err != nil || got != want {
						t.Errorf("%s = %s, %v; want %s", name, got, err, want)
					}
					continue
				}
				var ce *ConflictError
				if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || ce.Reason != message {
					t.Errorf("%s: err = %v; want the conflict %q", name, err, message)
				}
				if got != from {
					t.Errorf("%s refused but moved to %s", name, got)
				}
				if refusal := change.Refused(); refusal.Error() != message || !errors.Is(refusal, ErrConflict) {
					t.Errorf("%s.Refused() = %v; want the conflict %q", change, refusal, message)
				}
			}
		}
	}
	if seen != len(allowed) {
		t.Errorf("tried %d allowed transitions; the table has %d", seen, len(allowed))
	}
}

// TestRelationshipChangeGuards checks what a store repeats in its
// conditional update, and who may make each change.
func TestRelationshipChangeGuards(t *testing.T) {
	for _, tc := range []struct {
		change RelationshipChange
		from   RelationshipStatus
		expiry Expiry
		perm   Permission
	}{
		{RelationshipResend, StatusPending, BeforeExpiry, PermInvite},
		{RelationshipRevoke, StatusPending, BeforeExpiry, PermInvite},
		{RelationshipVerify, StatusAccepted, AnyExpiry, PermReviewRelationships},
		{RelationshipVerifyPending, StatusPending, BeforeExpiry, PermReviewRelationships},
		{RelationshipReject, StatusAccepted, AnyExpiry, PermReviewRelationships},
		{RelationshipRemove, StatusActive, AnyExpiry, PermRemoveRelationship},
		{RelationshipAccept, StatusPending, BeforeExpiry, ""},
		{RelationshipDecline, StatusPending, BeforeExpiry, ""},
		{RelationshipExpire, StatusPending, AfterExpiry, ""},
	} {
		if tc.change.From() != tc.from || tc.change.Expiry() != tc.expiry || tc.change.Permission() != tc.perm {
			t.Errorf("%s: from %s, expiry %d, permission %q; want %s, %d, %q", tc.change, tc.change.From(), tc.change.Expiry(),
				tc.change.Permission(), tc.from, tc.expiry, tc.perm)
		}
	}
	expires := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		expiry Expiry
		now    time.Time
		want   bool
	}{
		{AnyExpiry, expires.Add(-time.Hour), true},
		{AnyExpiry, expires.Add(time.Hour), true},
		{BeforeExpiry, expires.Add(-time.Nanosecond), true},
		{BeforeExpiry, expires, false},
		{AfterExpiry, expires.Add(-time.Nanosecond), false},
		{AfterExpiry, expires, true},
	} {
		if got := tc.expiry.Holds(expires, tc.now); got != tc.want {
			t.Errorf("Expiry(%d).Holds(%v) = %v; want %v", tc.expiry, tc.now.Sub(expires), got, tc.want)
		}
	}
}

func TestCanRequestRelationship(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		open    *RelationshipRequest
		refused bool
	}{
		{"no request", nil, false},
		{"pending", &RelationshipRequest{Status: StatusPending, ExpiresAt: now.Add(time.Hour)}, true},
		{"pending past its expiry", &RelationshipRequest{Status: StatusPending, ExpiresAt: now}, false},
		{"accepted", &RelationshipRequest{Status: StatusAccepted, ExpiresAt: now.Add(-time.Hour)}, true},
		{"active", &RelationshipRequest{Status: StatusActive, ExpiresAt: now.Add(-time.Hour)}, true},
		{"declined", &RelationshipRequest{Status: StatusDeclined}, false},
		{"rejected", &RelationshipRequest{Status: StatusRejected}, false},
		{"revoked", &RelationshipRequest{Status: StatusRevoked}, false},
		{"expired", &RelationshipRequest{Status: StatusExpired}, false},
		{"removed", &RelationshipRequest{Status: StatusRemoved}, false},
	} {
		err := CanRequestRelationship(tc.open, now)
		if !tc.refused && err != nil {
			t.Errorf("%s: %v; want allowed", tc.name, err)
		}
		const want = "This customer already has an open request or an active relationship: revoke or end it before sending a new one."
		if tc.refused && (!errors.Is(err, ErrConflict) || err.Error() != want) {
			t.Errorf("%s: %v; want the conflict %q", tc.name, err, want)
		}
	}
}

func TestDraftTransitions(t *testing.T) {
	want := map[DraftChange]MessageStatus{DraftEdit: MessageDraft, DraftQueue: MessageQueued, DraftSentByHand: MessageSent}
	for change, to := range want {
		for _, from := range []MessageStatus{MessageDraft, MessageQueued, MessageSent, MessageCancelled} {
			got, err := from.DraftTransition(change)
			if from == MessageDraft {
				if err != nil || got != to {
					t.Errorf("%s a draft = %s, %v; want %s", change, got, err, to)
				}
				continue
			}
			if !errors.Is(err, ErrConflict) || err.Error() != "This message has already been sent or withdrawn." || got != from {
				t.Errorf("%s a %s message = %s, %v; want the conflict", change, from, got, err)
			}
		}
	}
}

func TestDeliveryTransitions(t *testing.T) {
	all := []MessageStatus{MessageDraft, MessageQueued, MessageSent, MessageCancelled, MessageFailed}
	for _, tc := range []struct {
		change  DeliveryChange
		from    MessageStatus
		to      MessageStatus
		refused string
	}{
		{DeliveryDone, MessageQueued, MessageSent, "This message is no longer waiting to be sent."},
		{DeliveryRetry, MessageQueued, MessageQueued, "This message is no longer waiting to be sent."},
		{DeliveryGiveUp, MessageQueued, MessageFailed, "This message is no longer waiting to be sent."},
		{DeliverySendAgain, MessageFailed, MessageQueued, "Only a message whose delivery failed can be sent again."},
	} {
		for _, from := range all {
			got, err := from.DeliveryTransition(tc.change)
			if from == tc.from {
				if err != nil || got != tc.to {
					t.Errorf("%s a %s message = %s, %v; want %s", tc.change, from, got, err, tc.to)
				}
				continue
			}
			if !errors.Is(err, ErrConflict) || err.Error() != tc.refused || got != from {
				t.Errorf("%s a %s message = %s, %v; want the conflict %q", tc.change, from, got, err, tc.refused)
			}
		}
	}
	for _, s := range all {
		if s.CanSendAgain() != (s == MessageFailed) {
			t.Errorf("%s.CanSendAgain() = %v", s, s.CanSendAgain())
		}
	}
	if got, err := MessageQueued.DeliveryTransition("unknown"); !errors.Is(err, ErrConflict) || got != MessageQueued {
		t.Errorf("an unknown change = %s, %v; want a conflict", got, err)
	}
}

// TestMessagesEnded: every change of a pending request says why its unsent
// messages are withdrawn, and a withdrawn message without a kept reason
// still says something.
func TestMessagesEnded(t *testing.T) {
	for c, word := range map[RelationshipChange]string{RelationshipAccept: "accepted", RelationshipDecline: "declined",
		RelationshipResend: "new link", RelationshipRevoke: "revoked", RelationshipExpire: "expired", RelationshipVerifyPending: "Partner Center"} {
		if got := c.MessagesEnded(); !strings.Contains(got, word) {
			t.Errorf("%s: %q; want it to say %q", c, got, word)
		}
	}
	for _, tc := range []struct {
		m    EmailMessage
		want string
	}{
		{EmailMessage{Status: MessageCancelled, StatusReason: PasswordMessageEnded}, PasswordMessageEnded},
		{EmailMessage{Status: MessageCancelled}, "Its link no longer works."},
		{EmailMessage{Status: MessageFailed, LastError: "550 no such user"}, "550 no such user"},
		{EmailMessage{Status: MessageQueued, LastError: "451 greylisted"}, "451 greylisted"},
		{EmailMessage{Status: MessageSent, LastError: "451 greylisted"}, ""},
		{EmailMessage{Status: MessageDraft, StatusReason: "stale"}, ""},
	} {
		if got := tc.m.Why(); got != tc.want {
			t.Errorf("%s message: Why() = %q; want %q", tc.m.Status, got, tc.want)
		}
	}
	if MessageCancelled.Label() != "Withdrawn" || MessageDraft.Label() == string(MessageDraft) {
		t.Error("message states are not named in words")
	}
}
