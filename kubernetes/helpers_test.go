package kubernetes_test

import "github.com/catch22/catch22/internal/importtest"

// The helpers all importer tests share.
var (
	readTree   = importtest.ReadTree
	edges      = importtest.Edges
	diffEdges  = importtest.DiffEdges
	reportText = importtest.ReportText
	golden     = importtest.Golden
	errorLines = importtest.ErrorLines
)
