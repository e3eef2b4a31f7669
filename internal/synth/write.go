package synth

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteTree generates the manifests of cfg and writes them under dir,
// creating dir and its sub-directories as needed.
func WriteTree(dir string, cfg Config) error {
	return WriteFiles(dir, Generate(cfg))
}

// WriteFiles writes files under dir, creating directories as needed.
// Existing files of the same names are overwritten; nothing else is removed.
func WriteFiles(dir string, files []File) error {
	made := make(map[string]bool)
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return fmt.Errorf("write synthetic tree: %w", err)
			}
			made[d] = true
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("write synthetic tree: %w", err)
		}
	}
	return nil
}
