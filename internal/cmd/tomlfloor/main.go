// Command tomlfloor measures the floor under `catch22 check`: it reads
// every *.toml file under its arguments and decodes each with
// BurntSushi/toml alone, on all cores, as catch22's loader does, and does
// nothing else, under the same garbage-collector policy. benchcheck times it
// next to the command it measures:
//
//	go run ./internal/cmd/benchcheck -floor
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"

	"github.com/catch22/catch22/internal/gctune"
)

func main() {
	gctune.Enable(gctune.Floor)
	names := make(chan string, 256)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for name := range names {
				data, err := os.ReadFile(name)
				if err == nil {
					var v any
					_, err = toml.Decode(string(data), &v)
				}
				if err != nil {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("%s: %v", name, err))
					mu.Unlock()
				}
			}
		})
	}
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
				names <- path
			}
			return err
		})
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	close(names)
	wg.Wait()
	if len(failed) > 0 {
		fmt.Fprintln(os.Stderr, strings.Join(failed, "\n"))
		os.Exit(1)
	}
}
