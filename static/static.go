// Package static embeds the stylesheets, scripts and vendored front-end
// libraries served under a versioned path.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
)

// Files holds every static file, by path relative to this folder.
//
//go:embed css img js vendor
var Files embed.FS

// Version is a short hash of every static file's path and contents. It is part
// of the static URL, so a changed file gets a new URL and the old one can be
// cached for a year.
var Version = computeVersion(Files)

func computeVersion(fsys fs.FS) string {
	var paths []string
	_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, path)
		}
		return nil
	})
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			panic(err)
		}
		h.Write([]byte(p))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
