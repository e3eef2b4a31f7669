// Package report renders an analysis Result, one file per output format.
// Reporters are pure: they write to the io.Writer they are given and touch
// neither standard output nor the working directory.
//
// It knows the analyzer's Result and the rules' findings, nothing of how
// they were computed.
package report
