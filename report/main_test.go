package report_test

import (
	"os"
	"testing"

	"github.com/catch22/catch22/internal/testenv"
)

// TestMain lists, after the run, the tests skipped for want of Graphviz or
// Chromium, where a plain `go test ./...` shows them (see testenv).
func TestMain(m *testing.M) { os.Exit(testenv.Reporting(m).Run()) }
