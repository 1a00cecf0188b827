package domain

import (
	"fmt"
	"slices"
	"testing"
)

func TestChecklistRecordsEveryStepInOrder(t *testing.T) {
	const stale = "The checklist changed since you opened it: reload the page to see where it stands."
	first := map[int]string{
		MigrationRecordCSP:     "Step 2 comes first: record the new csp azure subscription.",
		MigrationMoveWorkloads: "Step 3 comes first: move the workloads.",
		MigrationCancelOld:     "Step 4 comes first: cancel the old subscription or services.",
	}
	steps := []int{MigrationRecordCSP, MigrationMoveWorkloads, MigrationCancelOld}
	tried := 0
	// Every place the checklist can stand (0: nothing recorded), every step
	// that can be recorded, from a form opened there or elsewhere.
	for _, stored := range []int{0, MigrationRecordCSP, MigrationMoveWorkloads, MigrationCancelOld, MigrationDone} {
		m := AzureMigration{Step: stored}
		at := m.At()
		if stored == 0 && at != MigrationRecordCSP || stored != 0 && at != stored {
			t.Fatalf("a checklist stored at %d stands at %d", stored, at)
		}
		for _, step := range steps {
			for _, expected := range []int{MigrationRecordCSP, MigrationMoveWorkloads, MigrationCancelOld, MigrationDone} {
				tried++
				what := fmt.Sprintf("at %d, step %d from a form opened at %d", stored, step, expected)
				got, err := m.RecordStep(step, expected)
				switch {
				case expected != at:
					wantConflict(t, what, err, stale)
				case step > at:
					wantConflict(t, what, err, first[at])
				case step < at:
					if err != nil || got != (StepRecording{From: at, To: at, Correction: true}) {
						t.Errorf("%s = %+v, %v; want a correction that stays at %d", what, got, err, at)
					}
				default:
					if err != nil || got != (StepRecording{From: at, To: step + 1}) {
						t.Errorf("%s = %+v, %v; want %d → %d", what, got, err, at, step+1)
					}
				}
				if err != nil && got != (StepRecording{}) {
					t.Errorf("%s refused but records %+v", what, got)
				}
			}
		}
	}
	if tried != 5*3*4 {
		t.Fatalf("tried %d", tried)
	}
	wantConflict(t, "the guard", ChecklistChanged(), "The checklist changed in the meantime: reload the page.")
}

func TestChecklistAppliesToNewCSPAzureOnly(t *testing.T) {
	if err := ChecklistApplies(Customer{}, Rules{}, Subscription{Channel: ChannelEA, ServiceType: ServiceUsage}); err != nil {
		t.Errorf("Azure bought through the EA: %v", err)
	}
	for _, sub := range []Subscription{
		{Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
		{Channel: ChannelEA, ServiceType: ServiceLicence},
		{},
	} {
		wantConflict(t, fmt.Sprintf("%s %s", sub.Channel, sub.ServiceType), ChecklistApplies(Customer{}, Rules{}, sub),
			"This subscription's workflow is not a new CSP Azure subscription.")
	}
	wantConflict(t, "a CSP partner's Azure", ChecklistApplies(Customer{IsCSPPartner: true}, Rules{}, Subscription{Channel: ChannelEA, ServiceType: ServiceUsage}),
		"This subscription's workflow is not a new CSP Azure subscription.")
}

func TestChecklistStepsDoneAndCurrent(t *testing.T) {
	type flags struct{ done, current []int }
	for _, tc := range []struct {
		stored int
		active bool
		want   flags
	}{
		{0, true, flags{done: []int{1}, current: []int{2}}},
		{0, false, flags{}},
		{MigrationRecordCSP, true, flags{done: []int{1}, current: []int{2}}},
		{MigrationMoveWorkloads, true, flags{done: []int{1, 2}, current: []int{3}}},
		{MigrationMoveWorkloads, false, flags{done: []int{2}}},
		{MigrationCancelOld, true, flags{done: []int{1, 2, 3}, current: []int{4}}},
		{MigrationDone, true, flags{done: []int{1, 2, 3, 4, 5}}},
		{MigrationDone, false, flags{done: []int{2, 3, 4, 5}}},
	} {
		steps := AzureMigration{Step: tc.stored}.Steps(tc.active)
		var got flags
		for i, st := range steps {
			if st.Number != i+1 || st.Label != MigrationStepLabel(i+1) {
				t.Errorf("step %d is %+v", i+1, st)
			}
			if st.Done {
				got.done = append(got.done, st.Number)
			}
			if st.Current {
				got.current = append(got.current, st.Number)
			}
		}
		if len(steps) != 5 || !slices.Equal(got.done, tc.want.done) || !slices.Equal(got.current, tc.want.current) {
			t.Errorf("at %d, relationship active %v: done %v, current %v; want %v, %v", tc.stored, tc.active, got.done, got.current, tc.want.done, tc.want.current)
		}
	}
}

func TestBuildAzureChecklistsSortsByWorkflow(t *testing.T) {
	subs := []Subscription{
		{ID: 1, Channel: ChannelEA, ServiceType: ServiceUsage},
		{ID: 2, Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
		{ID: 3, Channel: ChannelMicrosoftDirect, ServiceType: ServiceLicence},
		{ID: 4, Channel: ChannelThirdParty, ServiceType: ServiceUsage},
		{ID: 5, Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
	}
	migrations := map[int64]AzureMigration{4: {SubscriptionID: 4, Step: MigrationMoveWorkloads}}
	p := BuildAzureChecklists(CustomerOverview{Relationship: StatusActive}, subs, migrations)
	if !p.RelationshipActive || p.Transfers != 2 || len(p.Checklists) != 2 {
		t.Fatalf("checklists %+v", p)
	}
	fresh, started := p.Checklists[0], p.Checklists[1]
	if fresh.Subscription.ID != 1 || fresh.Migration.At() != MigrationRecordCSP || fresh.Stage != "No CSP subscription yet." || !fresh.Steps[1].Current {
		t.Errorf("the fresh checklist: %+v", fresh)
	}
	if started.Subscription.ID != 4 || started.Migration.Step != MigrationMoveWorkloads || started.Stage != "Coexisting: CSP and Third-party reseller." ||
		!started.Steps[2].Current {
		t.Errorf("the started checklist: %+v", started)
	}
	pending := BuildAzureChecklists(CustomerOverview{Relationship: StatusPending}, subs, nil)
	if pending.RelationshipActive || pending.Checklists[0].Stage != "Needs the reseller relationship first." || pending.Checklists[0].Steps[1].Current {
		t.Errorf("without an active relationship: %+v", pending.Checklists[0])
	}
	csp := BuildAzureChecklists(CustomerOverview{Customer: Customer{IsCSPPartner: true}}, subs, nil)
	if len(csp.Checklists) != 0 || csp.Transfers != 0 {
		t.Errorf("a CSP partner's checklists: %+v", csp)
	}
}
