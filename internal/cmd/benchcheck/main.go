// Command benchcheck measures a catch22 command end to end as a user runs
// it: a freshly built binary, a generated tree of one manifest file per
// service on disk, wall time and peak resident memory of the process. The
// command is `check --format json` unless -command names another.
//
//	go run ./internal/cmd/benchcheck                 # 1k, 10k, 100k services, 3 runs each
//	go run ./internal/cmd/benchcheck -sizes 100000 -runs 5
//	go run ./internal/cmd/benchcheck -sizes 10000 -command "what-if --each --format json"
//	go run ./internal/cmd/benchcheck -floor           # and the TOML decoding floor
//	go run ./internal/cmd/benchcheck -command "diff --format json {} {seed=2}"
//
// The tree is added as the command's last argument, or replaces "{}" in it;
// "{seed=N}" stands for the tree of the same size from seed N.
//
// With -floor it also times internal/cmd/tomlfloor, which only reads and
// decodes the same files with BurntSushi/toml, each floor run right after a
// run of the command, and prints the command's time as a multiple of the
// floor's: best over best, median over median, and the median of each
// run's ratio to the floor run beside it.
//
// It writes its trees and binaries to a temporary directory and removes
// them; with -trees DIR it keeps the trees in DIR and reuses them on the
// next run (a million services take minutes to write):
//
//	go run ./internal/cmd/benchcheck -sizes 1000000 -runs 1 -trees /var/tmp/catch22-trees
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
	trees := flag.String("trees", "", "keep the generated trees in this `DIR`, and reuse those already there")
	floor := flag.Bool("floor", false, "also time decoding the same files with BurntSushi/toml alone")
	flag.Parse()
	if err := run(*sizes, *runs, *seed, strings.Fields(*command), *floor, *trees); err != nil {
		fmt.Fprintln(os.Stderr, "benchcheck:", err)
		os.Exit(1)
	}
}

func run(sizes string, runs int, seed int64, command []string, floor bool, trees string) error {
	tmp, err := os.MkdirTemp("", "catch22-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, floorBin := filepath.Join(tmp, "catch22"), filepath.Join(tmp, "tomlfloor")
	for out, pkg := range map[string]string{bin: "./cmd/catch22", floorBin: "./internal/cmd/tomlfloor"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Stdout, build.Stderr = os.Stdout, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build %s: %w", pkg, err)
		}
	}
	fmt.Printf("catch22 %s, %d runs per size, %d CPUs, %s\n", strings.Join(command, " "), runs, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%10s %10s %12s %12s %12s\n", "services", "edges", "best wall", "median wall", "peak RSS")
	for _, field := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			return fmt.Errorf("-sizes: %w", err)
		}
		cfg := synth.Large(n, seed)
		dir, edges, err := tree(cfg, tmp, trees)
		if err != nil {
			return err
		}
		args, err := commandArgs(command, dir, func(seed int64) (string, error) {
			other, _, err := tree(synth.Large(n, seed), tmp, trees)
			return other, err
		})
		if err != nil {
			return err
		}
		args = append(args, "--now", cfg.Now.Format(time.DateOnly), "--output", filepath.Join(tmp, "out"))
		progs := []program{{bin, args}}
		if floor {
			progs = append(progs, program{floorBin, []string{dir}})
		}
		ts, err := measure(runs, progs...)
		if err != nil {
			return fmt.Errorf("%s on %d services: %w", command[0], n, err)
		}
		t := ts[0]
		fmt.Printf("%10d %10d %12s %12s %9.0f MB\n", n, edges, t.best, t.median, t.peakMB)
		if floor {
			f := ts[1]
			fmt.Printf("%10s %10s %12s %12s %9.0f MB   command ÷ floor: %.2f (best), %.2f (median), %.2f (median of each run over the floor's next to it)\n", "floor", "", f.best, f.median, f.peakMB,
				t.best.Seconds()/f.best.Seconds(), t.median.Seconds()/f.median.Seconds(), pairedRatio(t, f))
		}
		if trees == "" {
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
		}
	}
	return nil
}

// timing is what measure found over a program's runs.
type timing struct {
	best, median time.Duration
	peakMB       float64
	walls        []time.Duration // in the order run
}

// program is a binary and its arguments.
type program struct {
	bin  string
	args []string
}

// measure runs each program runs times, taking turns (the first program,
// then the second, then the first again…), and returns each one's best and
// median wall time and its largest peak resident memory. Taking turns
// makes a machine whose speed drifts over the minutes of a benchmark slow
// the programs alike, which a ratio between them needs.
func measure(runs int, progs ...program) ([]timing, error) {
	ts := make([]timing, len(progs))
	peaks := make([]int64, len(progs))
	for range runs {
		for i, p := range progs {
			cmd := exec.Command(p.bin, p.args...)
			cmd.Stderr = os.Stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				return nil, fmt.Errorf("%s: %w", filepath.Base(p.bin), err)
			}
			ts[i].walls = append(ts[i].walls, time.Since(start))
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				peaks[i] = max(peaks[i], ru.Maxrss) // KiB on Linux
			}
		}
	}
	for i := range ts {
		sorted := slices.Sorted(slices.Values(ts[i].walls))
		ts[i].best, ts[i].median = sorted[0].Round(time.Millisecond), sorted[len(sorted)/2].Round(time.Millisecond)
		ts[i].peakMB = float64(peaks[i]) / 1024
	}
	return ts, nil
}

// pairedRatio is the median, over the runs, of a's time over b's in the
// same turn.
func pairedRatio(a, b timing) float64 {
	ratios := make([]float64, len(a.walls))
	for i := range ratios {
		ratios[i] = a.walls[i].Seconds() / b.walls[i].Seconds()
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2]
}

// tree writes the estate of cfg under tmp, or under keep when set, where a
// complete tree from an earlier run is reused. It returns the directory and
// the number of edges.
func tree(cfg synth.Config, tmp, keep string) (string, int, error) {
	name := fmt.Sprintf("estate-%d-seed-%d", cfg.Services, cfg.Seed)
	if keep == "" {
		keep = tmp
	}
	dir := filepath.Join(keep, name)
	done := dir + ".edges" // written last: the tree is complete
	if b, err := os.ReadFile(done); err == nil {
		if edges, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			return dir, edges, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", 0, err
	}
	files, stats := synth.GenerateStats(cfg)
	if err := synth.WriteFiles(dir, files); err != nil {
		return "", 0, err
	}
	return dir, stats.Edges(), os.WriteFile(done, []byte(strconv.Itoa(stats.Edges())+"\n"), 0o644)
}

// commandArgs puts the tree dir into the command: in place of "{}", or last
// when there is no placeholder; "{seed=N}" becomes the tree of seed N, which
// other writes.
func commandArgs(command []string, dir string, other func(seed int64) (string, error)) ([]string, error) {
	var args []string
	placed := false
	for _, a := range command {
		switch {
		case a == "{}":
			a, placed = dir, true
		case strings.HasPrefix(a, "{seed=") && strings.HasSuffix(a, "}"):
			seed, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(a, "{seed="), "}"), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("-command: %s: %w", a, err)
			}
			if a, err = other(seed); err != nil {
				return nil, err
			}
			placed = true
		}
		args = append(args, a)
	}
	if !placed {
		args = append(args, dir)
	}
	return args, nil
}
