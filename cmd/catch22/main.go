// Command catch22 finds the Catch-22s in a system's architecture: recovery
// tooling that depends on the very service it must recover.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/catch22/catch22/cli"
	"github.com/catch22/catch22/internal/gctune"
)

func main() {
	gctune.Enable(gctune.Floor)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
