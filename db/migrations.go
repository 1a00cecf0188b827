// Package db embeds the numbered, forward-only SQL migrations of the
// database schema. The SQLite store applies them in order at start-up.
package db

import "embed"

// Migrations holds the goose migration files, named NNNNN_description.sql.
//
//go:embed migrations/*.sql
var Migrations embed.FS
