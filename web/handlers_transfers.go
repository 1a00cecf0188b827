package web

import "github.com/labstack/echo/v4"

func (s *Server) showTransfers(c echo.Context) error        { return echo.ErrNotFound }
func (s *Server) createTransfer(c echo.Context) error       { return echo.ErrNotFound }
func (s *Server) markTransferAccepted(c echo.Context) error { return echo.ErrNotFound }
func (s *Server) completeTransfer(c echo.Context) error     { return echo.ErrNotFound }
func (s *Server) cancelTransfer(c echo.Context) error       { return echo.ErrNotFound }
