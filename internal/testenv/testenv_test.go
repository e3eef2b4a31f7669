package testenv

import (
	"strings"
	"testing"
)

// fakeT records what Need does to a test; unlike testing.T, its Skip and
// Fatal return, so the test can look at the result.
type fakeT struct {
	name          string
	skipped, fail string
}

func (f *fakeT) Helper()           {}
func (f *fakeT) Name() string      { return f.name }
func (f *fakeT) Skip(args ...any)  { f.skipped = args[0].(string) }
func (f *fakeT) Fatal(args ...any) { f.fail = args[0].(string) }
func (f *fakeT) reset(name string) { *f = fakeT{name: name} }

var missing = &Tool{Name: "Frobnicator (frob)", Install: "install frob", names: []string{"catch22-no-such-program"}}

func TestNeedSkipsLoudly(t *testing.T) {
	t.Setenv(RequireEnv, "")
	var f fakeT
	for _, name := range []string{"TestB", "TestA", "TestB"} {
		f.reset(name)
		if p := Need(&f, missing); p != "" {
			t.Fatalf("Need found %q", p)
		}
		if want := "needs Frobnicator (frob), which is not installed: install frob"; f.skipped != want || f.fail != "" {
			t.Fatalf("skip %q, fail %q; want skip %q", f.skipped, f.fail, want)
		}
	}
	got := Banner("example.com/pkg")
	want := "example.com/pkg: SKIPPED: 2 tests need Frobnicator (frob), which is not installed: install frob\n" +
		"    TestA\n    TestB\n"
	if !strings.Contains(got, want) {
		t.Errorf("banner:\n%s\nwant it to contain:\n%s", got, want)
	}
}

func TestNeedFailsWhenRequired(t *testing.T) {
	t.Setenv(RequireEnv, "1")
	f := fakeT{name: "TestC"}
	Need(&f, missing)
	if f.skipped != "" || !strings.Contains(f.fail, RequireEnv+" is set") {
		t.Fatalf("skip %q, fail %q; want a failure naming %s", f.skipped, f.fail, RequireEnv)
	}
	if strings.Contains(Banner("p"), "TestC") {
		t.Error("a failed test is listed as skipped")
	}
}

func TestNeedFindsPrograms(t *testing.T) {
	// go is on PATH wherever these tests run.
	goTool := &Tool{Name: "Go", names: []string{"catch22-no-such-program", "go"}}
	f := fakeT{name: "TestD"}
	if p := Need(&f, goTool); p == "" || f.skipped != "" || f.fail != "" {
		t.Fatalf("Need(go) = %q, skip %q, fail %q", p, f.skipped, f.fail)
	}
}
