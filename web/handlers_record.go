package web

import "github.com/labstack/echo/v4"

func (s *Server) showRecord(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) recordJSON(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) recordCSV(c echo.Context) error  { return echo.ErrNotFound }
