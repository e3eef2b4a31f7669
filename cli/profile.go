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
		&ucli.StringFlag{Name: "memprofile", Usage: "write a memory profile of the run (what it allocated, and where) to `FILE` when it ends"},
	}
}

// withProfiles runs act under the profiles that c's flags ask for. A
// profile that cannot be written is an error of the run, unless the command
// failed itself: then its own error is the one reported.
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

// writeHeapProfile writes the allocation profile: what the run allocated,
// and where (pprof's alloc_space and alloc_objects). The collection first
// brings its in-use figures up to date, though at the end of a run little is
// still in use.
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
