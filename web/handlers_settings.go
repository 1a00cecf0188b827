package web

import "github.com/labstack/echo/v4"

func (s *Server) showSettings(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) saveSettings(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) sendTestMail(c echo.Context) error { return echo.ErrNotFound }
