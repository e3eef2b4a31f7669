package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/pprof/profile"
)

// TestProfiles: --cpuprofile and --memprofile write profiles that pprof
// reads, of the kinds asked for, and the run's output and exit status are
// the same as without them.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	run := func(extra ...string) (int, string) {
		var out, errs bytes.Buffer
		args := append([]string{"catch22", "check", "--format", "json", "--now", "2024-01-01", "../examples/cloudflare-2023"}, extra...)
		code := Run(context.Background(), args, nil, &out, &errs)
		return code, out.String()
	}
	plainCode, plain := run()
	code, out := run("--cpuprofile", cpu, "--memprofile", mem)
	if code != plainCode || out != plain {
		t.Fatalf("with profiles: exit %d and %d bytes of output, without: exit %d and %d bytes", code, len(out), plainCode, len(plain))
	}
	for file, want := range map[string]string{cpu: "cpu", mem: "alloc_space"} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		p, err := profile.Parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(file), err)
		}
		found := false
		for _, st := range p.SampleType {
			found = found || st.Type == want
		}
		if !found {
			t.Errorf("%s: no %s samples in %v", filepath.Base(file), want, p.SampleType)
		}
	}
}

// TestProfileUnwritable: a profile that cannot be created is an error of
// the run, named by its flag.
func TestProfileUnwritable(t *testing.T) {
	var out, errs bytes.Buffer
	bad := filepath.Join(t.TempDir(), "missing", "cpu.prof")
	code := Run(context.Background(), []string{"catch22", "check", "--cpuprofile", bad, "../examples/cloudflare-2023"}, nil, &out, &errs)
	if code != 2 || !bytes.Contains(errs.Bytes(), []byte("--cpuprofile")) {
		t.Fatalf("exit %d, stderr %q; want 2 and a message naming --cpuprofile", code, errs.String())
	}
}
