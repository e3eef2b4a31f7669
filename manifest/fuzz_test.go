package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
)

// FuzzParse feeds arbitrary bytes to Parse. Beyond "never panics" it checks
// that every error is positioned inside a file and fits on one line, that a
// manifest comes back exactly when there are no errors and carries valid
// data, and, whenever the input is valid TOML, that the position scanner
// agrees with BurntSushi/toml on the shape of the document. Of a manifest
// it also checks that each procedure rebuilds exactly when BurntSushi/toml,
// decoding the same bytes on its own, finds rebuilds = true in its entry.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 60s ./manifest
func FuzzParse(f *testing.F) {
	for _, tt := range badInputs {
		f.Add([]byte(tt.src))
	}
	// Slow inputs: each took the decoder seconds to forever before the
	// scan that refuses them; as seeds they run in every test run.
	f.Add([]byte("[service]\nx = " + strings.Repeat("{a=", 4096) + "1" + strings.Repeat("}", 4096) + "\n"))
	f.Add([]byte("[service]\nx = " + strings.Repeat("[", 16384) + strings.Repeat("]", 16384) + "\n"))
	f.Add([]byte(strings.Repeat("a.", 30000) + "b = 1\n"))
	f.Add([]byte("[" + strings.Repeat("a.", 30000) + "b]\n"))
	for _, tt := range goodInputs {
		f.Add([]byte(tt.src))
	}
	f.Add([]byte("[service]\nname = \"cdn\"\n[[dependency]]\nany_of = [\"dns-a\", \"dns-b@staging\", \"dns-c\"]\nquorum = 2\nkind = \"network\"\n" +
		"[[dependency]]\non = \"registry\"\nphase = \"start\"\nmode = \"soft\"\n"))
	f.Add([]byte("dependency = [{any_of = [\"a\", \"a@production\"]}, {on = \"b\", quorum = 1}]\n[service]\nname = \"a\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, errs := Parse("fuzz.toml", data)

		if (m == nil) == (len(errs) == 0) {
			t.Fatalf("manifest %v with %d errors", m != nil, len(errs))
		}
		for _, e := range errs {
			if e.Pos.File != "fuzz.toml" || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Errorf("badly positioned error %q at %+v", e.Msg, e.Pos)
			}
			if e.Msg == "" || strings.ContainsAny(e.Msg, "\r\n") {
				t.Errorf("message %q is empty or spans lines", e.Msg)
			}
		}
		if !slices.IsSortedFunc(errs, compareErrors) {
			t.Errorf("errors not sorted:\n%v", errs)
		}
		if m != nil {
			checkManifest(t, m)
			checkRebuilds(t, data, m)
		}
	})
}

// checkRebuilds holds each procedure's Rebuilds against the document as
// BurntSushi/toml decodes it: [[recovery]] entries in order, rebuilds true
// only where the entry says rebuilds = true, however the key is spelt
// (quoted, escaped, dotted or inline).
func checkRebuilds(t *testing.T, data []byte, m *Manifest) {
	t.Helper()
	var doc struct {
		Recovery []map[string]any `toml:"recovery"`
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		t.Fatalf("Parse accepted what BurntSushi/toml refuses: %v", err)
	}
	if len(doc.Recovery) != len(m.Recoveries) {
		t.Fatalf("%d procedures, BurntSushi/toml finds %d", len(m.Recoveries), len(doc.Recovery))
	}
	for i, r := range m.Recoveries {
		if want := doc.Recovery[i]["rebuilds"] == true; r.Rebuilds != want {
			t.Errorf("procedure %q: rebuilds %v, the document says %v", r.Name, r.Rebuilds, doc.Recovery[i]["rebuilds"])
		}
	}
}

// checkManifest asserts the invariants Parse promises of a valid manifest.
// Positions are in the manifest's file or, for inherited entries, in one of
// defaults.
func checkManifest(t *testing.T, m *Manifest, defaults ...string) {
	t.Helper()
	okPos := func(what string, p Pos) {
		if p.File != m.File && !slices.Contains(defaults, p.File) || p.Line < 1 || p.Col < 1 {
			t.Errorf("%s at %+v", what, p)
		}
	}
	okRef := func(what string, r Ref) {
		if !ValidName(r.Name) || !ValidName(r.Env) {
			t.Errorf("%s: invalid reference %q", what, r.ID())
		}
		okPos(what, r.Pos)
	}
	s := m.Service
	if !ValidName(s.Name) || !ValidName(s.Env) {
		t.Errorf("invalid service ID %q", m.ID())
	}
	okPos("service", s.Pos)
	if !slices.Contains(Kinds, s.Kind) {
		t.Errorf("service kind %q", s.Kind)
	}
	if s.HasTier && (s.Tier < 0 || s.Tier > 3) || !s.HasTier && s.Tier != 0 {
		t.Errorf("tier %d (has tier %v)", s.Tier, s.HasTier)
	}
	if s.Emulate != "" && s.Emulate != "kv" {
		t.Errorf("emulate %q", s.Emulate)
	}
	for _, r := range s.MonitoredBy {
		okRef("monitored_by", r)
		if r.Pos.File != m.File && r.ID() == m.ID() {
			t.Errorf("inherits monitored_by on itself at %v", r.Pos)
		}
	}
	for _, d := range m.Dependencies {
		okPos("dependency", d.Pos)
		if d.AnyOf != nil {
			ids := map[string]bool{}
			for _, r := range d.AnyOf {
				okRef("any_of", r)
				ids[r.ID()] = true
			}
			if d.On != (Ref{}) || len(ids) != len(d.AnyOf) || len(ids) < 2 || d.Quorum < 1 || d.Quorum > len(d.AnyOf) {
				t.Errorf("any_of %v quorum %d (on %v)", d.AnyOf, d.Quorum, d.On)
			}
			continue
		}
		okRef("on", d.On)
		if d.Quorum != 0 {
			t.Errorf("quorum %d on a dependency on one node", d.Quorum)
		}
		if d.Pos.File != m.File && d.On.ID() == m.ID() {
			t.Errorf("inherits a dependency on itself at %v", d.Pos)
		}
		if !slices.Contains(DepKinds, d.Kind) || !slices.Contains(Modes, d.Mode) || !slices.Contains(Phases, d.Phase) {
			t.Errorf("dependency kind %q mode %q phase %q", d.Kind, d.Mode, d.Phase)
		}
	}
	names := map[string]bool{}
	for _, r := range m.Recoveries {
		okPos("recovery", r.Pos)
		if r.Name == "" || names[r.Name] {
			t.Errorf("recovery name %q empty or duplicate", r.Name)
		}
		names[r.Name] = true
		if len(r.Via) == 0 {
			t.Errorf("recovery %q has no via", r.Name)
		}
		for _, v := range r.Via {
			okRef("via", v)
		}
		if !r.Tested.IsZero() {
			okPos("tested", r.TestedPos)
			if r.Tested.Location().String() != "UTC" || r.Tested.Hour() != 0 {
				t.Errorf("tested %v is not a UTC midnight", r.Tested)
			}
		}
	}
}

// FuzzLoadFiles loads a fuzzed _defaults.toml together with a fuzzed
// manifest below it, a fixed manifest beside it and fixed estate-wide
// defaults. Beyond "never panics" it checks that every error is positioned
// in one of the files, that manifests come back exactly when there are no
// errors and carry valid data (no inherited edge to the node itself), and
// that the outcome does not depend on the order of the files.
//
//	go test -run '^$' -fuzz FuzzLoadFiles -fuzztime 60s ./manifest
func FuzzLoadFiles(f *testing.F) {
	f.Add([]byte(euSrc), []byte(euAPISrc))
	f.Add([]byte(paymentsSrc), []byte(k8sSrc))
	f.Add([]byte(stagingSrc), []byte(stagingAPISrc))
	f.Add([]byte("[[template]]\nname = \"t\"\nvia = [\"a\"]\n"), []byte("[service]\nname = \"a\"\n[[recovery]]\nuse = \"t\"\n[[recovery]]\nuse = \"t\"\nname = \"u\"\n"))
	f.Add([]byte("[[dependency]]\non = \"a\"\n[service]\nmonitored_by = [\"a\", \"b\"]\n"), []byte("[service]\nname = \"a\"\nskip_inherited = [\"b\"]\n"))
	for _, tt := range goodInputs {
		f.Add([]byte(paymentsSrc), []byte(tt.src))
	}
	for _, tt := range badInputs {
		f.Add([]byte(tt.src), []byte(tt.src))
	}
	base, errs := ParseDefaults("catch22.toml", []byte(baseSrc), "defaults")
	if errs != nil {
		f.Fatal(errs)
	}
	opts := Options{Defaults: base}
	names := []string{"d/_defaults.toml", "d/x/fuzz.toml", "d/b.toml", "catch22.toml"}
	f.Fuzz(func(t *testing.T, defaults, manifest []byte) {
		files := []File{
			{Name: names[0], Data: defaults},
			{Name: names[1], Data: manifest},
			{Name: names[2], Data: []byte("[service]\nname = \"b\"\n[[recovery]]\nuse = \"standard-rollback\"\n")},
		}
		ms, err := opts.LoadFiles(files)
		var list ErrorList
		if (ms == nil) == (err == nil) || err != nil && !errors.As(err, &list) {
			t.Fatalf("LoadFiles = %d manifests, %v", len(ms), err)
		}
		for _, e := range list {
			if !slices.Contains(names, e.Pos.File) || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Errorf("badly positioned error %q at %+v", e.Msg, e.Pos)
			}
			if e.Msg == "" || strings.ContainsAny(e.Msg, "\r\n") {
				t.Errorf("message %q is empty or spans lines", e.Msg)
			}
		}
		if !slices.IsSortedFunc(list, compareErrors) {
			t.Errorf("errors not sorted:\n%v", list)
		}
		for _, m := range ms {
			checkManifest(t, m, names...)
		}

		slices.Reverse(files)
		again, err2 := opts.LoadFiles(files)
		if fmt.Sprint(err) != fmt.Sprint(err2) {
			t.Errorf("errors depend on the order of files:\n%v\n---\n%v", err, err2)
		}
		if diff := cmp.Diff(ms, again); diff != "" {
			t.Errorf("manifests depend on the order of files:\n%s", diff)
		}
	})
}
