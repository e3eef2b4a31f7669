package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/gitrev"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/report"
)

func diffCommand(env environment) *ucli.Command {
	return &ucli.Command{
		Name:      "diff",
		Usage:     "findings introduced and resolved between two manifest sets",
		ArgsUsage: "BEFORE AFTER | --since REV PATH...",
		Description: `Analyses two manifest sets with the same settings and lists the findings the
change introduced and those it resolved. BEFORE and AFTER are each a manifest
file or a directory walked for *.toml. With --since, the PATHs as they were at
git revision REV are compared with the PATHs in the work tree, which is what
a pull-request job runs. The repository is the one holding the PATHs, so
catch22 may run from elsewhere; a PATH absent at REV (the pull request adds
it) is compared as empty.

Findings are matched by fingerprint, which does not change when a file is
moved or renamed. The configuration is found from AFTER (or the PATHs) as
check finds it. Exit status: 0 when the change introduced nothing at or above
--fail-on, 1 when it did, 2 for bad input on either side.`,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "format", Value: "text", Usage: "output format: " + strings.Join(report.DiffNames(), "|")},
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` instead of standard output"},
			&ucli.StringFlag{Name: "since", Usage: "compare the PATHs at git revision `REV` with the work tree"},
		}, append(settingsFlags(), failOnFlag())...),
		Action: func(c *ucli.Context) error {
			format, err := report.LookupDiff(c.String("format"))
			if err != nil {
				return usagef("--format: %s", strings.TrimPrefix(err.Error(), "unknown format "))
			}
			args := c.Args().Slice()
			since, hasSince := c.String("since"), c.IsSet("since")
			switch {
			case hasSince && since == "":
				return usagef("--since needs a git revision, e.g. --since origin/main")
			case hasSince && len(args) == 0:
				return usagef("diff --since REV needs at least one PATH (a manifest file or a directory)")
			case !hasSince && len(args) != 2:
				return usagef("diff needs two manifest sets, BEFORE and AFTER, or --since REV PATH... (%d given)", len(args))
			}
			paths := args
			if !hasSince {
				paths = args[1:]
			}
			set, err := loadSettings(c, paths)
			if err != nil {
				return err
			}
			loadBefore := func() ([]*manifest.Manifest, error) {
				if hasSince {
					return loadRevision(c.Context, since, paths, set.load)
				}
				return set.load.Load(args[:1])
			}
			// The sides load and are analysed one after the other, each on
			// every core. Analysing the first while the second loads gains
			// nothing on few cores, and the collector would mark the first
			// side's manifests and graph through the whole second load.
			var before, after side
			if ms, err := settled(loadBefore()); err != nil {
				before.loadErr = err
			} else {
				before.res, before.err = analyzer.Run(ms, set.analysis)
			}
			if ms, err := settled(set.load.Load(paths)); err != nil {
				after.loadErr = err
			} else {
				after.res, after.err = analyzer.Run(ms, set.analysis)
			}
			if err := joinInputErrors(before.loadErr, after.loadErr); err != nil {
				return err
			}
			if err := errors.Join(before.err, after.err); err != nil {
				return err
			}
			d := analyzer.Compare(before.res, after.res)
			render := func(w io.Writer, o report.Options) error {
				// Formats that tell failures from passes (JUnit) follow
				// --fail-on, so that the report agrees with the exit status.
				o.FailOn, o.FailNever = set.failOn, !set.fails
				return format.Write(w, d, o)
			}
			if err := writeOutput(env, c.String("output"), render); err != nil {
				return err
			}
			if set.fails && d.Fails(set.failOn) {
				return errFindings
			}
			return nil
		},
	}
}

// loadRevision loads the manifests that paths selected at git revision rev,
// in the repository that holds the paths. A path that did not exist at rev,
// or held no manifest there, is empty before: the first pull request that
// adds a directory of manifests introduces all of their findings. File
// names are the work tree's, so that findings name the files a user can
// open; input errors are placed at "REV:file:line:col" instead, since the
// text at fault is not the work tree's.
func loadRevision(ctx context.Context, rev string, paths []string, opts manifest.Options) ([]*manifest.Manifest, error) {
	files, err := gitrev.Read(ctx, "", rev, paths)
	if err != nil {
		var list manifest.ErrorList
		if errors.As(err, &list) {
			return nil, list
		}
		return nil, fmt.Errorf("--since: %w", err)
	}
	if !slices.ContainsFunc(files, func(f manifest.File) bool { return filepath.Base(f.Name) != manifest.DefaultsFile }) {
		return nil, nil // defaults alone apply to nothing
	}
	ms, err := opts.LoadFiles(files)
	var list manifest.ErrorList
	if errors.As(err, &list) {
		placed := make(manifest.ErrorList, len(list))
		for i, e := range list {
			p := *e
			if p.Pos.File != "" {
				p.Pos.File = rev + ":" + p.Pos.File
			}
			placed[i] = &p
		}
		return nil, placed
	}
	return ms, err
}

// joinInputErrors reports the input errors of both sides at once, before's
// first, as check reports every error of one set. Any other error wins, as
// it says that something other than the manifests is wrong.
func joinInputErrors(before, after error) error {
	var bl, al manifest.ErrorList
	switch {
	case before != nil && !errors.As(before, &bl):
		return before
	case after != nil && !errors.As(after, &al):
		return after
	case len(bl)+len(al) > 0:
		return append(append(manifest.ErrorList{}, bl...), al...)
	}
	return nil
}

// side is one manifest set of a diff, analysed.
type side struct {
	res     *analyzer.Result
	loadErr error // the manifests' own errors
	err     error // any other
}
