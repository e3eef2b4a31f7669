package compose

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/manifest"
)

// fileNames are the names Compose looks for in a directory, in its order
// of preference; overrideNames are the override files it adds.
var (
	fileNames     = []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}
	overrideNames = []string{"compose.override.yaml", "compose.override.yml", "docker-compose.override.yaml", "docker-compose.override.yml"}
)

// load reads the project the paths make: each FILE in order, a DIR
// standing for its Compose file and override file. The .env file beside
// the first file gives the variables; the process environment is never
// read, so that an import does not depend on the shell it runs in.
func load(paths []string) (*project, manifest.ErrorList, manifest.ErrorList) {
	var files []string
	var errs manifest.ErrorList
	for _, arg := range paths {
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: arg}, Msg: manifest.Describe(err)})
			continue
		}
		if !info.IsDir() {
			files = append(files, filepath.Clean(arg))
			continue
		}
		found := first(arg, fileNames)
		if found == "" {
			errs = append(errs, &manifest.Error{Pos: manifest.Pos{File: arg},
				Msg: "no Compose file here (looked for " + strings.Join(fileNames, ", ") + ")"})
			continue
		}
		files = append(files, found)
		if o := first(arg, overrideNames); o != "" {
			files = append(files, o)
		}
	}
	p := &project{byName: map[string]*svc{}}
	if len(files) == 0 {
		return p, errs, nil
	}
	p.dir = filepath.Dir(files[0])
	d := &decoder{p: p, errs: errs}
	envPath := filepath.Join(p.dir, ".env")
	if data, err := safeio.ReadFile(envPath, safeio.ManifestLimit); err == nil {
		var errs, warnings manifest.ErrorList
		p.dotenv, errs, warnings = parseEnvFile(envPath, data, nil)
		d.errs, d.warnings = append(d.errs, errs...), append(d.warnings, warnings...)
	}
	seen := map[string]bool{}
	for _, f := range files {
		key := f
		if a, err := filepath.Abs(f); err == nil {
			key = a
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		data, err := safeio.ReadFile(f, safeio.YAMLLimit)
		if err != nil {
			d.errorf(manifest.Pos{File: f}, "%s", manifest.Describe(err))
			continue
		}
		d.readFile(f, data)
	}
	d.loadEnvFiles()
	// Compose's order: COMPOSE_PROJECT_NAME, the top-level name, the
	// directory's name.
	if n, ok := p.dotenv.lookup("COMPOSE_PROJECT_NAME"); ok && n != "" {
		p.name = n
	}
	if p.name == "" {
		if abs, err := filepath.Abs(p.dir); err == nil {
			p.name = projectName(filepath.Base(abs))
		}
	}
	if len(p.services) == 0 && len(d.errs) == 0 {
		d.errorf(manifest.Pos{File: files[0]}, "no services in the Compose project")
	}
	return p, d.errs, d.warnings
}

// first returns the first of names that exists in dir.
func first(dir string, names []string) string {
	for _, n := range names {
		p := filepath.Join(dir, n)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p
		}
	}
	return ""
}

// projectName normalises a directory name as Compose does for the
// default project name: lower-cased, keeping letters, digits, '-' and '_'.
func projectName(dir string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(dir) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "-_")
}
