package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// sendCSV writes a CSV download named filename.
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
