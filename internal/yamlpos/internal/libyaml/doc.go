// Package libyaml is the YAML scanner and parser of gopkg.in/yaml.v2
// v2.4.0, a Go port of libyaml, with an event API on top (events.go) so
// that internal/yamlpos can build its values straight from the parser's
// events, without a syntax tree in between: a tree costs more memory than
// the values built from it, and a hostile file is mostly tree.
//
// apic.go, parserc.go, readerc.go, scannerc.go, yamlh.go and
// yamlprivateh.go are the upstream files, gofmt'd (which re-lays some
// comments), with two changes: the package clause, and in scannerc.go's
// read, the three lines that gave every scalar a 32-byte buffer to start
// with are gone (a file of short scalars spent a third of its memory on
// them). They are under libyaml's MIT licence (LICENSE). The upstream
// module's decoder, emitter and other files are not copied. To update,
// copy the same files from a newer release, gofmt them, make the same
// change to read, and run the tests of internal/yamlpos.
//
// It knows nothing of catch22.
package libyaml
