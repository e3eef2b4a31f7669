// Package safetext makes text that catch22 did not write itself (names,
// notes and procedure names from manifests, file names, traffic and
// baseline entries) safe to print inside a line of human-readable output:
// on a terminal, in a CI log, in a pull-request comment.
//
// It owns one rule, applied by every text-like reporter, so that the
// formats cannot drift apart. It knows nothing of manifests or findings;
// format-specific escaping (Markdown markup, XML, workflow-command
// percent-encoding) stays with each format and is applied after Escape.
package safetext
