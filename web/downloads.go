package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall"

	"github.com/labstack/echo/v4"
)

// The downloads: the formats are internal/export's; the handlers only add
// the headers.

// downloadBuffer is how much of a download is gathered before it goes out:
// large enough that a small file leaves in one piece and an error early in
// a large one still gets its error page, small enough that an export of
// any size costs the same memory.
const downloadBuffer = 32 << 10

// sendCSV writes a CSV download named filename as write writes it (see
// sendDownload).
func (s *Server) sendCSV(c echo.Context, filename string, write func(io.Writer) error) error {
	return s.sendDownload(c, "text/csv; charset=utf-8", fmt.Sprintf(`attachment; filename="%s"`, filename), write)
}

// sendJSON writes a JSON document as write writes it (see sendDownload).
func (s *Server) sendJSON(c echo.Context, write func(io.Writer) error) error {
	return s.sendDownload(c, echo.MIMEApplicationJSON, "", write)
}

// sendDownload writes a download of contentType, an attachment when
// disposition says so, straight to the client as write writes it, through
// a buffer of downloadBuffer bytes: an export that reads as it writes goes
// out as it is read and is never held whole. Nothing is sent, not even the
// headers, before the buffer first fills, so an error up to then gets the
// usual error page. An error later cannot take back the 200 already sent:
// the connection is cut (http.ErrAbortHandler), so that the client sees
// the download fail rather than a file that looks whole.
func (s *Server) sendDownload(c echo.Context, contentType, disposition string, write func(io.Writer) error) error {
	res := c.Response()
	out := bufio.NewWriterSize(&downloadHeaders{res: res, contentType: contentType, disposition: disposition}, downloadBuffer)
	err := write(out)
	if err == nil {
		err = out.Flush()
	}
	if err == nil || !res.Committed {
		return err
	}
	level := s.log.Error
	if c.Request().Context().Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
		level = s.log.Info // the client left
	}
	level("download cut short", "request_id", requestID(c), "error", err)
	panic(http.ErrAbortHandler)
}

// downloadHeaders sets a download's headers on its first write, so that an
// error before it leaves the error page its own.
type downloadHeaders struct {
	res                      *echo.Response
	contentType, disposition string
}

func (d *downloadHeaders) Write(p []byte) (int, error) {
	if !d.res.Committed {
		h := d.res.Header()
		h.Set(echo.HeaderContentType, d.contentType)
		h.Set(echo.HeaderCacheControl, "no-store")
		if d.disposition != "" {
			h.Set(echo.HeaderContentDisposition, d.disposition)
		}
		d.res.WriteHeader(http.StatusOK)
	}
	return d.res.Write(p)
}
