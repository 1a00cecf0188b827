package export

import (
	"io"
	"strconv"

	"github.com/wingtip/multichannel/internal/domain"
)

// termEndsColumns name the columns of the term-end planner's CSV: act_by is
// the term end, before which the action is due; provision_by the last day
// of the expired state, by which a replacement must be provisioned (empty
// when nothing is replaced).
var termEndsColumns = []string{"customer", "domain", "product", "channel", "commerce", "quantity", "term_end", "days_left",
	"action", "act_by", "turn_off_auto_renew", "provision_by", "relationship_active"}

// TermEndsCSV writes the licences of the planner, one line each in the
// order given, with what to do and by when, and whether the customer's
// relationship is active.
func TermEndsCSV(w io.Writer, rows domain.Rows[domain.TermEndRow]) error {
	return writeCSV(w, termEndsColumns, rows, func(r domain.TermEndRow) []string {
		s, step := r.Subscription, r.Step
		return []string{guard(r.Customer.Name), guard(r.Customer.Domain), guard(s.Product), string(s.Channel), string(s.Commerce),
			domain.FormatQuantity(s.Seats()), domain.FormatDate(s.Term()), strconv.Itoa(r.DaysLeft),
			string(step.Action), step.TermEnd.Format(domain.DateLayout), strconv.FormatBool(step.TurnOffAutoRenew),
			domain.FormatDate(step.ProvisionBy), strconv.FormatBool(r.RelationshipActive())}
	})
}
