package web

import "github.com/labstack/echo/v4"

func (s *Server) showAzure(c echo.Context) error             { return echo.ErrNotFound }
func (s *Server) recordCSPSubscription(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) recordMoved(c echo.Context) error           { return echo.ErrNotFound }
func (s *Server) recordCancelled(c echo.Context) error       { return echo.ErrNotFound }
