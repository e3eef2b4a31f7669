package synth

import catchmanifest "github.com/catch22/catch22/manifest"

// Manifests generates cfg's estate and parses it in memory, for benchmarks
// that start after loading. A parse error means the generator is broken.
func Manifests(cfg Config) ([]*catchmanifest.Manifest, error) {
	files := Generate(cfg)
	ms := make([]*catchmanifest.Manifest, 0, len(files))
	for _, f := range files {
		m, errs := catchmanifest.Parse(f.Name, f.Data)
		if len(errs) > 0 {
			return nil, errs
		}
		ms = append(ms, m)
	}
	return ms, nil
}
