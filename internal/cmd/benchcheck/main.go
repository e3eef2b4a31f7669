// Command benchcheck measures a catch22 command end to end as a user runs
// it: a freshly built binary, a generated tree of one manifest file per
// service on disk, wall time and peak resident memory of the process. The
// command is `check --format json` unless -command names another.
//
//	go run ./internal/cmd/benchcheck                 # 1k, 10k, 100k services, 3 runs each
//	go run ./internal/cmd/benchcheck -sizes 100000 -runs 5
//	go run ./internal/cmd/benchcheck -sizes 10000 -command "what-if --each --format json"
//
// It writes its trees and binary to a temporary directory and removes them.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/catch22/catch22/internal/synth"
)

func main() {
	sizes := flag.String("sizes", "1000,10000,100000", "comma-separated numbers of services")
	runs := flag.Int("runs", 3, "runs per size")
	seed := flag.Int64("seed", 1, "generator seed")
	command := flag.String("command", "check --format json --fail-on none", "the catch22 command and flags to time; the tree is added as its PATH")
	flag.Parse()
	if err := run(*sizes, *runs, *seed, strings.Fields(*command)); err != nil {
		fmt.Fprintln(os.Stderr, "benchcheck:", err)
		os.Exit(1)
	}
}

func run(sizes string, runs int, seed int64, command []string) error {
	tmp, err := os.MkdirTemp("", "catch22-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "catch22")
	build := exec.Command("go", "build", "-o", bin, "./cmd/catch22")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	fmt.Printf("catch22 %s, %d runs per size, %d CPUs, %s\n", strings.Join(command, " "), runs, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%10s %10s %12s %12s %12s\n", "services", "edges", "best wall", "median wall", "peak RSS")
	for _, field := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			return fmt.Errorf("-sizes: %w", err)
		}
		cfg := synth.Large(n, seed)
		dir := filepath.Join(tmp, fmt.Sprintf("estate-%d", n))
		files, stats := synth.GenerateStats(cfg)
		if err := synth.WriteFiles(dir, files); err != nil {
			return err
		}
		var walls []time.Duration
		var peak int64
		for range runs {
			args := append(slices.Clone(command), dir, "--now", cfg.Now.Format(time.DateOnly), "--output", filepath.Join(tmp, "out"))
			cmd := exec.Command(bin, args...)
			cmd.Stderr = os.Stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s on %d services: %w", command[0], n, err)
			}
			walls = append(walls, time.Since(start))
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				peak = max(peak, ru.Maxrss) // KiB on Linux
			}
		}
		slices.Sort(walls)
		fmt.Printf("%10d %10d %12s %12s %9.0f MB\n", n, stats.Edges(), walls[0].Round(time.Millisecond),
			walls[len(walls)/2].Round(time.Millisecond), float64(peak)/1024)
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	return nil
}
