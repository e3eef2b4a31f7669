package importer

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/catch22/catch22/manifest"
)

// WalkFiles calls visit for every file under root, skipping hidden
// directories below it (.git and the like), and returns what could not be
// read as positioned errors instead of stopping.
func WalkFiles(root string, visit func(path string, d fs.DirEntry)) manifest.ErrorList {
	var errs manifest.ErrorList
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: path}, Msg: manifest.Describe(err)})
		case d.IsDir() && path != root && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir
		case !d.IsDir():
			visit(path, d)
		}
		return nil
	})
	return errs
}
