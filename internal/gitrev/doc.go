// Package gitrev reads manifest files as they were at a git revision, so that
// `catch22 diff --since REV` can compare a pull request with its base
// without checking anything out.
//
// It runs the git binary itself, read-only: rev-parse to find the
// repository from the paths and to resolve the revision, one ls-tree to
// list the files and one cat-file --batch to read them all. It never
// touches the work tree, the index or HEAD, and it knows nothing of what the
// files mean: it selects them by name as manifest.Load does and hands them
// to manifest.LoadFiles.
package gitrev
