package export

import (
	"io"
	"time"

	"github.com/wingtip/multichannel/internal/domain"
)

// auditColumns name the columns of the audit log's CSV.
var auditColumns = []string{"at", "actor", "action", "customer", "target", "client_ip", "detail"}

// AuditCSV writes audit entries, one line each in the order given. Every
// text a person or a client could have typed is guarded, since the file is
// meant to be opened in a spreadsheet.
func AuditCSV(w io.Writer, rows domain.Rows[domain.AuditRow]) error {
	return writeCSV(w, auditColumns, rows, func(r domain.AuditRow) []string {
		return []string{r.At.UTC().Format(time.RFC3339), guard(r.ActorName), guard(string(r.Action)), guard(r.CustomerName),
			guard(r.Target), guard(r.ClientIP), guard(r.Detail)}
	})
}
