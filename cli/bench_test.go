package cli_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/catch22/catch22/cli"
	"github.com/catch22/catch22/internal/synth"
)

// BenchmarkCheck runs `catch22 check --format json` end to end (walk, read,
// parse, analyse, render) over generated trees of one file per service.
// The numbers in the README come from:
//
//	go test ./cli -run '^$' -bench Check -benchtime 3x
func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.WriteTree(dir, synth.Large(n, 1)); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				code := cli.Run(context.Background(), []string{"catch22", "check", dir, "--format", "json", "--now", "2024-03-01", "--fail-on", "none"}, nil, io.Discard, io.Discard)
				if code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
