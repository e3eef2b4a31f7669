// Package report renders an analysis Result, one file per output format.
// Reporters are pure: they write to the io.Writer they are given and touch
// neither standard output nor the working directory.
//
// It knows the analyzer's Result, the graph it was computed on (pictures
// and the HTML report draw the graph and each service's recovery status from
// the rules' shared facts) and Graphviz, which it runs to lay out SVG. It
// knows nothing of the command line or of files on disk.
package report
