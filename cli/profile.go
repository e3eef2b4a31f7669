package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	ucli "github.com/urfave/cli/v2"
)

// profileFlags are --cpuprofile and --memprofile, of every command that
// loads manifests, so that a user who finds a run slow can send the profile
// of that very run (read with `go tool pprof catch22 FILE`).
func profileFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to `FILE` (for `go tool pprof`)"},
		&ucli.StringFlag{Name: "memprofile", Usage: "write a memory profile (allocations and what stays in use) to `FILE` at the end of the run"},
	}
}

// withProfiles runs act under the profiles that c's flags ask for. A
// profile that cannot be written is an error of the run, reported after the
// command's own error, if any; the exit code stays the command's when it
// failed.
func withProfiles(c *ucli.Context, act ucli.ActionFunc) error {
	cpu, mem := c.String("cpuprofile"), c.String("memprofile")
	if cpu == "" && mem == "" {
		return act(c)
	}
	var stopCPU func() error
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		stopCPU = func() error {
			pprof.StopCPUProfile()
			return f.Close()
		}
	}
	err := act(c)
	var perr error
	if stopCPU != nil {
		if e := stopCPU(); e != nil {
			perr = fmt.Errorf("--cpuprofile: %w", e)
		}
	}
	if mem != "" {
		if e := writeHeapProfile(mem); e != nil {
			perr = errors.Join(perr, fmt.Errorf("--memprofile: %w", e))
		}
	}
	if err != nil {
		return err
	}
	return perr
}

// writeHeapProfile writes the allocation profile, after a collection so that
// its in-use figures are those of live data.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
