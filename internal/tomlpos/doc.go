// Package tomlpos decodes TOML with BurntSushi/toml and recovers what that
// library does not expose (upstream issue #462): the line and column of
// every key, table header and array element, so that manifests and the
// configuration file can point each problem at its place. It also turns the
// parser's syntax errors into one-line, positioned messages.
//
// It knows TOML only: no schema, no catch22 types.
package tomlpos
