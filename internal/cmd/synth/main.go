// Command synth writes a synthetic manifest tree for benchmarks and for
// reproducing property-test failures:
//
//	go run ./internal/cmd/synth -n 100000 -seed 1 -out /tmp/estate
//	go run ./internal/cmd/synth -small -seed 42 -out /tmp/case42
//
// -n and -seed choose the Large preset; -small chooses the Small preset of
// the seed (as TestAgainstNaive reports it), whose size the seed fixes.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/catch22/catch22/internal/synth"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 1000, "number of services (Large preset)")
	seed := fs.Int64("seed", 1, "random seed")
	small := fs.Bool("small", false, "use the Small preset of -seed instead of Large")
	out := fs.String("out", "", "directory to write the tree into (required)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 || *n <= 0 {
		fmt.Fprintln(stderr, "usage: synth [-n N] [-seed S] [-small] -out DIR")
		return 2
	}
	cfg := synth.Large(*n, *seed)
	if *small {
		cfg = synth.Small(*seed)
	}
	start := time.Now()
	files, st := synth.GenerateStats(cfg)
	gen := time.Since(start)
	if err := synth.WriteFiles(*out, files); err != nil {
		fmt.Fprintf(stderr, "synth: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%d files in %s (generated in %s, written in %s)\n",
		st.Files, *out, gen.Round(time.Millisecond), (time.Since(start) - gen).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%d edges: %d dependencies (%d hard, %d soft), %d via, %d monitored_by, less %d unknown references\n",
		st.Edges(), st.Dependencies, st.Hard, st.Soft, st.Via, st.MonitoredBy, st.Unknown)
	fmt.Fprintf(stdout, "%d services with recovery (%d procedures, %d breakglass), %d outside production\n",
		st.Recoverable, st.Procedures, st.Breakglass, st.NonProd)
	fmt.Fprintf(stdout, "%d cycle-closing dependencies, %d self-dependencies; drills dated against %s (check --now %[3]s)\n",
		st.Closures, st.SelfEdges, cfg.Now.Format(time.DateOnly))
	return 0
}
