// Package config reads catch22's configuration file (catch22.toml) and
// baseline files (an earlier `check --format json` output) into the
// analyzer's configuration, with every problem positioned as
// file:line:col like manifest errors.
//
// It knows the rule catalog (to validate rule IDs and parameters) and the
// analyzer's configuration types, nothing of graphs or output formats. The
// [defaults] table holds what a _defaults.toml holds, so the manifest
// package parses it (manifest.ParseDefaults) and applies it when loading.
package config
