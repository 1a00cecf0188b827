package inventorycsv

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/wingtip/multichannel/internal/domain"
)

// planHeader names the columns of the plan export.
var planHeader = []string{"subscription_id", "product", "channel", "service_type", "quantity", "workflow", "reason",
	"term_end", "days_left", "stage", "next_action"}

// WritePlan writes a customer's plan, one line per subscription in the
// plan's order, with the same guarding and line ends as Write.
func WritePlan(w io.Writer, plan domain.Plan) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(planHeader); err != nil {
		return err
	}
	for _, g := range plan.Groups {
		for _, item := range g.Items {
			s := item.Subscription
			var daysLeft string
			if item.DaysLeft != nil {
				daysLeft = strconv.Itoa(*item.DaysLeft)
			}
			record := []string{strconv.FormatInt(s.ID, 10), Guard(s.Product), string(s.Channel), string(s.ServiceType), domain.FormatQuantity(s.Seats()),
				string(g.Workflow), Guard(item.Classification.Reason), domain.FormatDate(s.Term()), daysLeft, item.Stage, g.Workflow.NextAction()}
			if err := cw.Write(record); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
