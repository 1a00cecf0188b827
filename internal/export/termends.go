package export

import (
	"io"
	"strconv"

	"github.com/wingtip/multichannel/internal/domain"
)

// termEndsColumns name the columns of the term-end planner's CSV.
var termEndsColumns = []string{"customer", "domain", "product", "channel", "quantity", "term_end", "days_left", "relationship_active"}

// TermEndsCSV writes the licences waiting for their term end, one line each
// in the order given, with whether the customer's relationship is active.
func TermEndsCSV(w io.Writer, rows []domain.TermEndRow) error {
	return writeCSV(w, termEndsColumns, func(yield func([]string) bool) {
		for _, r := range rows {
			s := r.Subscription
			if !yield([]string{guard(r.Customer.Name), guard(r.Customer.Domain), guard(s.Product), string(s.Channel),
				domain.FormatQuantity(s.Seats()), domain.FormatDate(s.Term()), strconv.Itoa(r.DaysLeft), strconv.FormatBool(r.RelationshipActive())}) {
				return
			}
		}
	})
}
