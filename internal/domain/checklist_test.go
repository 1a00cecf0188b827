package domain

import (
	"fmt"
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
	if err := ChecklistApplies(Customer{}, Subscription{Channel: ChannelEA, ServiceType: ServiceUsage}); err != nil {
		t.Errorf("Azure bought through the EA: %v", err)
	}
	for _, sub := range []Subscription{
		{Channel: ChannelOtherCSP, ServiceType: ServiceUsage},
		{Channel: ChannelEA, ServiceType: ServiceLicence},
		{},
	} {
		wantConflict(t, fmt.Sprintf("%s %s", sub.Channel, sub.ServiceType), ChecklistApplies(Customer{}, sub),
			"This subscription's workflow is not a new CSP Azure subscription.")
	}
	wantConflict(t, "a CSP partner's Azure", ChecklistApplies(Customer{IsCSPPartner: true}, Subscription{Channel: ChannelEA, ServiceType: ServiceUsage}),
		"This subscription's workflow is not a new CSP Azure subscription.")
}
