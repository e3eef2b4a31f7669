package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/catch22/catch22/cli"
)

// A small valid catalog the bad inputs below break one way each.
const (
	orgYAML = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: shop
spec:
  owner: team-a
`
	apiYAML = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: api
  annotations:
    catch22.dev/tier: "1"
spec:
  type: service
  owner: team-a
  system: shop
  dependsOn: [resource:db]
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: db
spec:
  type: database
  owner: team-a
  system: shop
`
)

// TestImportBadInput runs `catch22 import backstage` on malformed catalogs:
// each must exit 2 with every positioned error, and leave the output
// directory as it was.
func TestImportBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string // relative to the catalog directory
		out   map[string]string // more files in the output directory
		want  string            // stderr
	}{{
		name:  "bad YAML",
		files: map[string]string{"api.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [api\n"},
		want:  "cat/api.yaml:4:9: bad YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts here)\n",
	}, {
		name:  "missing metadata.name",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "  name: api\n", "  title: API\n", 1)},
		want:  "cat/api.yaml:3:1: missing metadata.name\n",
	}, {
		name:  "wrong type",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "dependsOn: [resource:db]", "dependsOn: resource:db", 1)},
		want:  "cat/api.yaml:11:14: spec.dependsOn: want a list of entity references, got a string\n",
	}, {
		name:  "unknown reference kind",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "[resource:db]", "[resorce:db]", 1)},
		want:  "cat/api.yaml:11:15: spec.dependsOn: unknown entity kind \"resorce\" in \"resorce:db\" (did you mean \"resource\"?)\n",
	}, {
		name:  "dependsOn without a kind",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "[resource:db]", "[db]", 1)},
		want:  "cat/api.yaml:11:15: spec.dependsOn: bad entity reference \"db\": no kind (write it as kind:name, e.g. \"resource:db\")\n",
	}, {
		name:  "unresolved dependency",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "[resource:db]", "[resource:dbb]", 1)},
		want:  "cat/api.yaml:11:15: spec.dependsOn: no Resource \"resource:dbb\" in the catalog (did you mean \"db\"?)\n",
	}, {
		name:  "consumesApis naming a component",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "  dependsOn: [resource:db]\n", "  dependsOn: [resource:db]\n  consumesApis: ['component:db']\n", 1)},
		want:  "cat/api.yaml:12:18: spec.consumesApis: \"component:db\" is a Component; want a reference to an API\n",
	}, {
		name: "bad annotations",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "    catch22.dev/tier: \"1\"\n", `    catch22.dev/tier: "5"
    catch22.dev/env: Staging
    catch22.dev/teir: "1"
    catch22.dev/kind: servce
    catch22.dev/soft-dependencies: api
    catch22.dev/recovery.rollback: "via=ci; tested=2026-13-01"
    catch22.dev/recovery.restore: "tested=2026-10-01"
`, 1)},
		want: "cat/api.yaml:6:23: catch22.dev/tier: want \"0\", \"1\", \"2\" or \"3\", got \"5\"\n" +
			"cat/api.yaml:7:22: catch22.dev/env: want an env matching [a-z0-9][a-z0-9._-]*, got \"Staging\" (did you mean \"staging\"?)\n" +
			"cat/api.yaml:8:5: unknown annotation \"catch22.dev/teir\" (did you mean \"catch22.dev/tier\"?)\n" +
			"cat/api.yaml:9:23: catch22.dev/kind: want one of service|tool|datastore|network|external|human, got \"servce\" (did you mean \"service\"?)\n" +
			"cat/api.yaml:10:36: catch22.dev/soft-dependencies: component:default/api does not depend on \"api\" (it depends on db)\n" +
			"cat/api.yaml:11:36: catch22.dev/recovery.rollback: no component or resource \"ci\" in the catalog\n" +
			"cat/api.yaml:11:36: catch22.dev/recovery.rollback: tested: want a date (YYYY-MM-DD), got \"2026-13-01\"\n" +
			"cat/api.yaml:12:35: catch22.dev/recovery.restore: want via=<entity>[, <entity>...]: every node the operator must use\n",
	}, {
		name:  "annotation that is not a string",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, `catch22.dev/tier: "1"`, `catch22.dev/tier: 1`, 1)},
		want:  "cat/api.yaml:6:23: catch22.dev/tier: want a string, got an integer (quote it: \"1\")\n",
	}, {
		name:  "name that cannot be a node",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "  name: api\n", "  name: payments api\n", 1)},
		want:  "cat/api.yaml:4:9: metadata.name: want a name matching [a-z0-9][a-z0-9._-]* once lower-cased, got \"payments api\"\n",
	}, {
		name:  "case-sensitive kind",
		files: map[string]string{"api.yaml": strings.Replace(apiYAML, "kind: Resource", "kind: resource", 1)},
		want:  "cat/api.yaml:14:7: kind: want \"Resource\" (Backstage kinds are case-sensitive), got \"resource\"\n",
	}, {
		name: "duplicate entity, and two entities becoming one node",
		files: map[string]string{"more.yaml": strings.Replace(apiYAML, "kind: Component\nmetadata:\n  name: api\n",
			"kind: Resource\nmetadata:\n  name: api\n", 1)},
		want: "cat/more.yaml:4:9: component:default/api and resource:default/api both become node \"api@production\": set catch22.dev/name on one of them\n" +
			"cat/more.yaml:16:9: duplicate entity resource:default/db: also declared at cat/api.yaml:16:9\n",
	}, {
		name:  "warnings beside an error: unknown system and owner, unresolved dependency",
		files: map[string]string{"api.yaml": strings.NewReplacer("  system: shop\n", "  system: shopp\n", "  owner: team-a\n", "  owner: team-b\n", "[resource:db]", "[resource:dbb]").Replace(apiYAML)},
		want: "cat/api.yaml:9:10: warning: spec.owner: no Group \"team-b\" in the imported catalog (did you mean \"team-a\"?)\n" +
			"cat/api.yaml:10:11: warning: spec.system: no System \"shopp\" in the imported catalog (did you mean \"shop\"?)\n" +
			"cat/api.yaml:19:10: warning: spec.owner: no Group \"team-b\" in the imported catalog (did you mean \"team-a\"?)\n" +
			"cat/api.yaml:20:11: warning: spec.system: no System \"shopp\" in the imported catalog (did you mean \"shop\"?)\n" +
			"cat/api.yaml:11:15: spec.dependsOn: no Resource \"resource:dbb\" in the catalog (did you mean \"db\"?)\n",
	}, {
		name:  "Location targets that name no file",
		files: map[string]string{"loc.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: more\nspec:\n  targets: [./teams/*.yaml, ./gone.yaml]\n"},
		want: "cat/loc.yaml:6:13: spec.targets: \"./teams/*.yaml\" matches no file (looked for cat/teams/*.yaml)\n" +
			"cat/loc.yaml:6:29: spec.targets: \"./gone.yaml\": no such file (looked for cat/gone.yaml)\n",
	}, {
		name:  "a named file that is no catalog file",
		files: map[string]string{"ci.yml": "on: push\njobs: {}\n"},
		want:  "cat/ci.yml:1:1: no Backstage entity here: no document has an apiVersion\n",
	}, {
		name: "errors in several files, all at once",
		files: map[string]string{
			"api.yaml": strings.Replace(apiYAML, "kind: Resource\nmetadata:\n  name: db\n", "kind: Resource\nmetadata:\n  name: db\n  namespace: Ops\n", 1),
			"org.yaml": strings.Replace(orgYAML, "apiVersion: backstage.io/v1alpha1\nkind: System", "apiVersion: backstage.io/v2\nkind: System", 1),
		},
		want: "cat/api.yaml:17:14: metadata.namespace: want a namespace matching [a-z0-9][a-z0-9._-]*, got \"Ops\" (did you mean \"ops\"?)\n" +
			"cat/org.yaml:9:13: apiVersion: want backstage.io/v1alpha1 or backstage.io/v1beta1 for kind System, got \"backstage.io/v2\"\n",
	}, {
		name:  "catch22 annotation on a System",
		files: map[string]string{"org.yaml": strings.Replace(orgYAML, "  name: shop\n", "  name: shop\n  annotations:\n    catch22.dev/tier: \"0\"\n", 1)},
		want:  "cat/org.yaml:14:5: catch22.dev/tier: catch22 reads its annotations on Components and Resources only, not on a System\n",
	}, {
		name: "a hand-written manifest declares a node the catalog generates",
		out:  map[string]string{"out/mine/db.toml": "# written by hand\n[service]\nname = \"db\"\n"},
		want: "out/mine/db.toml:2:1: node \"db@production\" is declared by hand here and generated from resource:default/db: remove one\n",
	}, {
		name: "a generated manifest broken by hand",
		out:  map[string]string{"out/shop/api.toml": "# Generated by `catch22 import backstage` from component:default/api.\n\n[service]\nname = \"api\"\n\n[[recovery]]\nname = \"restart\"\nvia = [\"oncall\"\n"},
		want: "out/shop/api.toml:8:16: expected a comma (',') or array terminator (']'), but got end of file\n",
	}, {
		name: "the output path holds a hand-written file",
		out:  map[string]string{"out/shop/db.toml": "[service]\nname = \"database\"\n"},
		want: "out/shop/db.toml: resource:default/db would be written here, but the file was not generated by catch22 import backstage: move it away or set catch22.dev/name\n",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			files := map[string]string{"org.yaml": orgYAML, "api.yaml": apiYAML}
			for name, data := range tc.files {
				files[name] = data
			}
			for name, data := range files {
				writeFile(t, filepath.Join("cat", name), data)
			}
			args := []string{"catch22", "import", "backstage", "cat", "--out", "out"}
			if _, named := tc.files["ci.yml"]; named {
				args = append(args, "cat/ci.yml")
			}
			// The output holds a previous import and a hand-written file.
			writeFile(t, "out/shop/old.toml", "# Generated by `catch22 import backstage` from component:default/old.\n\n[service]\nname = \"old\"\n")
			writeFile(t, "out/notes.txt", "hand-written\n")
			for name, data := range tc.out {
				writeFile(t, name, data)
			}
			before := snapshot(t, "out")

			var stdout, stderr bytes.Buffer
			code := cli.Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			if code != cli.ExitInput {
				t.Errorf("exit %d, want %d", code, cli.ExitInput)
			}
			if diff := cmp.Diff(tc.want, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if stdout.Len() > 0 {
				t.Errorf("stdout: %q, want nothing", stdout.String())
			}
			if diff := cmp.Diff(before, snapshot(t, "out")); diff != "" {
				t.Errorf("the output directory changed (-before +after):\n%s", diff)
			}
		})
	}
}

// TestImportUsage: --out is required.
func TestImportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"catch22", "import", "backstage", "cat"},
		{"catch22", "import", "backstage", "--out", "out"},
		{"catch22", "import", "gitlab", "cat", "--out", "out"},
	} {
		var stdout, stderr bytes.Buffer
		if code := cli.Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != cli.ExitInput {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, code, cli.ExitInput, stderr.String())
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot maps every path under dir to its content ("/" for directories).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[path] = "/"
			return nil
		}
		data, err := os.ReadFile(path)
		out[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
