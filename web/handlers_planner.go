package web

import "github.com/labstack/echo/v4"

func (s *Server) showPlanner(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) plannerCSV(c echo.Context) error  { return echo.ErrNotFound }
