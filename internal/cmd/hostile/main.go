// Command hostile measures what it costs catch22 to refuse adversarial
// input at each bound of internal/safeio, internal/tomlpos and
// internal/yamlpos: it writes, for every bound, the worst file that the
// bound still lets through and one just beyond it, runs a built catch22 on
// each and prints wall time, peak memory and exit code.
//
//	go build -o /tmp/catch22 ./cmd/catch22
//	go run ./internal/cmd/hostile -bin /tmp/catch22
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/tomlpos"
)

// yamlDepth and yamlValues are internal/yamlpos's bounds: nesting, and
// values in one file (a key and its scalar value count two).
const (
	yamlDepth  = 64
	yamlValues = 262_144
)

type hostileCase struct {
	name string
	file string
	data []byte
	args func(path, out string) []string
}

func main() {
	bin := flag.String("bin", "", "the catch22 binary to run (required)")
	flag.Parse()
	if *bin == "" {
		fmt.Fprintln(os.Stderr, "hostile: -bin is required (go build -o /tmp/catch22 ./cmd/catch22)")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "catch22-hostile-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("| input | size | exit | wall | peak RSS |\n|---|---:|---:|---:|---:|\n")
	for _, c := range cases() {
		path := filepath.Join(dir, c.file)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			fail(err)
		}
		cmd := exec.Command(*bin, c.args(path, filepath.Join(dir, "out"))...)
		start := time.Now()
		_ = cmd.Run() // a refusal is the expected outcome
		wall := time.Since(start)
		rss := int64(0)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = ru.Maxrss // KiB on Linux
		}
		fmt.Printf("| %s | %s | %d | %.2f s | %d MB |\n", c.name, size(len(c.data)), cmd.ProcessState.ExitCode(), wall.Seconds(), rss/1024)
		os.Remove(path)
	}
}

func check(path, _ string) []string { return []string{"check", path} }

func importCatalog(path, out string) []string {
	return []string{"import", "backstage", path, "--out", out, "--dry-run"}
}

func cases() []hostileCase {
	const header = "[service]\nname = \"a\"\n"
	nested := func(depth int) string {
		return "x = " + strings.Repeat("{a = ", depth-1) + "[1]" + strings.Repeat("}", depth-1) + "\n"
	}
	dotted := func(parts int) string { return strings.Repeat("a.", parts-1) + "b = 1\n" }
	flow := func(depth int) string {
		return "- " + strings.Repeat("[", depth-1) + "1" + strings.Repeat("]", depth-1) + "\n"
	}
	catalog := "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec:\n  type: service\n  owner: team\n  x:\n"
	return []hostileCase{
		{"manifest: nesting at the bound (16), repeated to the size limit", "deep.toml",
			fill(header, func(i int) string { return strings.Replace(nested(tomlpos.MaxDepth), "x", fmt.Sprintf("x%d", i), 1) }, safeio.ManifestLimit), check},
		{"manifest: one level too deep, 16 KB", "deeper.toml",
			[]byte(header + "x = " + strings.Repeat("{a = ", 16*1024/5) + "1" + strings.Repeat("}", 16*1024/5) + "\n"), check},
		{"manifest: dotted keys at the bound (16 parts), repeated to the size limit", "dotted.toml",
			fill(header, func(i int) string { return fmt.Sprintf("k%d.", i) + dotted(tomlpos.MaxKeyParts-1) }, safeio.ManifestLimit), check},
		{"manifest: a dotted key of 30,000 parts", "dotted-long.toml", []byte(header + dotted(30_000)), check},
		{"manifest: one byte over the size limit", "big.toml", bytes.Repeat([]byte("#"), safeio.ManifestLimit+1), check},
		{fmt.Sprintf("catalog: nesting at the bound (%d), repeated to the size limit", yamlDepth), "deep.yaml",
			fill(catalog, func(int) string { return "    " + flow(yamlDepth-4) }, safeio.YAMLLimit), importCatalog},
		{fmt.Sprintf("catalog: one mapping of %d keys, just under the value bound", yamlValues/2-10), "keys.yaml",
			keys(catalog, yamlValues/2-10), importCatalog},
		{"catalog: one mapping of keys filling the size limit", "keys-over.yaml",
			fill(catalog, func(i int) string { return fmt.Sprintf("    k%07d: 1\n", i) }, safeio.YAMLLimit), importCatalog},
		{"catalog: 128 KB of nested flow sequences", "deeper.yaml",
			[]byte(catalog + "    - " + strings.Repeat("[", 64*1024) + strings.Repeat("]", 64*1024) + "\n"), importCatalog},
		{"catalog: one byte over the size limit", "big.yaml", bytes.Repeat([]byte("#"), safeio.YAMLLimit+1), importCatalog},
	}
}

// keys writes head, then n lines "    kNNNNNNNNNN: 1", one mapping.
func keys(head string, n int) []byte {
	b := []byte(head)
	for i := range n {
		b = fmt.Appendf(b, "    k%010d: 1\n", i)
	}
	return b
}

// fill writes head, then lines from line(0), line(1)… while they fit in
// limit bytes.
func fill(head string, line func(int) string, limit int) []byte {
	b := []byte(head)
	for i := 0; ; i++ {
		l := line(i)
		if len(b)+len(l) > limit {
			return b
		}
		b = append(b, l...)
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "hostile:", err)
	os.Exit(1)
}
