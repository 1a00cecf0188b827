package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// The downloads: the formats are internal/export's; the handlers only add
// the headers.

// sendCSV writes a CSV download named filename, as write writes it.
func sendCSV(c echo.Context, filename string, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	h.Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// sendJSON writes a JSON document as write writes it. It goes out through
// echo's JSON answer, which leaves the compact document as it is and indents
// it for ?pretty, as echo does for every JSON answer.
func sendJSON(c echo.Context, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, json.RawMessage(buf.Bytes()))
}
