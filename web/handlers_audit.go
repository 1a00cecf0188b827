package web

import "github.com/labstack/echo/v4"

func (s *Server) showAudit(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) auditCSV(c echo.Context) error  { return echo.ErrNotFound }
