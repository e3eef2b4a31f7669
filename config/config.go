package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/catch22/catch22/analyzer"
	"github.com/catch22/catch22/internal/safeio"
	"github.com/catch22/catch22/internal/suggest"
	"github.com/catch22/catch22/internal/tomlpos"
	"github.com/catch22/catch22/manifest"
	"github.com/catch22/catch22/rules"
)

// File is the name of the configuration file.
const File = manifest.ConfigFile

// Config is a parsed configuration file.
type Config struct {
	File     string
	FailOn   string   // "" when not set; else error|warning|info|none
	EnvOrder []string // nil when not set
	Rules    map[string]analyzer.RuleConfig
	Waivers  []analyzer.Waiver
	// Aliases map service names seen in traffic to nodes ([observed]
	// aliases); nil when not set.
	Aliases map[string]string
	// Defaults are the estate-wide manifest defaults ([defaults]), under
	// every _defaults.toml; nil when not set. Load manifests with
	// manifest.Options{Defaults: c.Defaults}.
	Defaults *manifest.Defaults
}

// Find names the configuration file of a run: explicit (--config) when
// given; else ./catch22.toml when it exists; else, when exactly one
// directory PATH is given, PATH/catch22.toml when it exists. "" means none.
// An explicit file that does not exist is an error.
func Find(explicit string, paths []string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", manifest.ErrorList{{Pos: manifest.Pos{File: explicit}, Msg: "configuration file: " + manifest.Describe(err)}}
		}
		return explicit, nil
	}
	if isFile(File) {
		return File, nil
	}
	if len(paths) == 1 {
		if st, err := os.Stat(paths[0]); err == nil && st.IsDir() && isFile(filepath.Join(paths[0], File)) {
			return filepath.Join(paths[0], File), nil
		}
	}
	return "", nil
}

func isFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

// Load reads and validates a configuration file. All problems are returned
// together as a manifest.ErrorList.
func Load(file string) (*Config, error) {
	data, err := safeio.ReadFile(file, safeio.ManifestLimit)
	if err != nil {
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file}, Msg: manifest.Describe(err)}}
	}
	return Parse(file, data)
}

// Parse validates the configuration in data; file names it in positions.
func Parse(file string, data []byte) (*Config, error) {
	raw, err := tomlpos.Decode(data)
	if err != nil {
		line, col, msg := tomlpos.SyntaxError(data, err)
		return nil, manifest.ErrorList{{Pos: manifest.Pos{File: file, Line: line, Col: col}, Msg: msg}}
	}
	p := &parser{file: file, root: tomlpos.Scan(data)}
	c := p.config(raw)
	// [defaults] holds what a _defaults.toml holds, so the manifest
	// package reads it, positioned in this file.
	d, derrs := manifest.ParseDefaults(file, data, "defaults")
	c.Defaults = d
	p.errs = append(p.errs, derrs...)
	if len(p.errs) > 0 {
		slices.SortFunc(p.errs, func(a, b *manifest.Error) int {
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line - b.Pos.Line
			}
			if a.Pos.Col != b.Pos.Col {
				return a.Pos.Col - b.Pos.Col
			}
			return strings.Compare(a.Msg, b.Msg)
		})
		return nil, p.errs
	}
	return c, nil
}

// Apply merges the configuration into an analysis configuration.
func (c *Config) Apply(a *analyzer.Config) {
	if c.EnvOrder != nil {
		a.EnvOrder = c.EnvOrder
	}
	a.Rules = c.Rules
	a.Waivers = c.Waivers
	a.Aliases = c.Aliases
}

var (
	topKeys    = []string{"fail_on", "environments", "rules", "waiver", "observed", "defaults"}
	obsKeys    = []string{"aliases"}
	envKeys    = []string{"order"}
	ruleKeys   = []string{"enabled", "severity"}
	waiverKeys = []string{"rule", "node", "reason", "expires"}
	failOns    = []string{"error", "warning", "info", "none"}
)

type parser struct {
	file string
	root *tomlpos.Node
	errs manifest.ErrorList
}

func (p *parser) at(candidates ...tomlpos.LineCol) manifest.Pos {
	for _, c := range candidates {
		if c.Valid() {
			return manifest.Pos{File: p.file, Line: int(c.Line), Col: int(c.Col)}
		}
	}
	return manifest.Pos{File: p.file, Line: 1, Col: 1}
}

func (p *parser) errorf(pos manifest.Pos, format string, args ...any) {
	p.errs = append(p.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// valuePos is where the value of key in table n is written.
func (p *parser) valuePos(n *tomlpos.Node, key string) manifest.Pos {
	return p.at(n.Child(key).ValPos(), n.Child(key).KeyPos(), n.ValPos())
}

func (p *parser) config(raw map[string]any) *Config {
	c := &Config{File: p.file, Rules: map[string]analyzer.RuleConfig{}}
	p.unknownKeys(raw, p.root, topKeys, "")
	if v, ok := p.str(raw, p.root, "fail_on"); ok {
		if slices.Contains(failOns, v) {
			c.FailOn = v
		} else {
			p.errorf(p.valuePos(p.root, "fail_on"), "fail_on: want one of %s, got %q%s", strings.Join(failOns, "|"), v, suggest.Hint(v, failOns))
		}
	}
	if env, ok := p.table(raw, p.root, "environments"); ok {
		n := p.root.Child("environments")
		p.unknownKeys(env, n, envKeys, "[environments]")
		c.EnvOrder = p.envOrder(env, n)
	}
	if rs, ok := p.table(raw, p.root, "rules"); ok {
		p.rules(rs, p.root.Child("rules"), c)
	}
	p.waivers(raw, c)
	if obs, ok := p.table(raw, p.root, "observed"); ok {
		n := p.root.Child("observed")
		p.unknownKeys(obs, n, obsKeys, "[observed]")
		c.Aliases = p.aliases(obs, n)
	}
	return c
}

// aliases reads [observed] aliases = { "name in traces" = "node" }: the
// node is NAME or NAME@ENV, as in a manifest reference.
func (p *parser) aliases(obs map[string]any, n *tomlpos.Node) map[string]string {
	t, ok := p.table(obs, n, "aliases")
	if !ok {
		return nil
	}
	n = n.Child("aliases")
	out := map[string]string{}
	for _, k := range sortedKeys(t) {
		v, ok := p.str(t, n, k)
		if !ok {
			continue
		}
		name, env, hasEnv := strings.Cut(v, "@")
		if !manifest.ValidName(name) || hasEnv && !manifest.ValidName(env) {
			p.errorf(p.valuePos(n, k), "aliases: %q is not a node (want NAME or NAME@ENV, names matching [a-z0-9][a-z0-9._-]*)", v)
			continue
		}
		out[k] = v
	}
	return out
}

func (p *parser) envOrder(env map[string]any, n *tomlpos.Node) []string {
	v, ok := env["order"]
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		p.errorf(p.valuePos(n, "order"), "order: want a non-empty array of environment names, got %s", tomlpos.TypeName(v))
		return nil
	}
	var order []string
	for i, e := range list {
		s, ok := e.(string)
		if !ok || !manifest.ValidName(s) || slices.Contains(order, s) {
			what := fmt.Sprintf("%q", e)
			if !ok {
				what = tomlpos.TypeName(e)
			} else if slices.Contains(order, s) {
				what += " twice"
			}
			p.errorf(p.at(n.Child("order").Elem(i).ValPos(), n.Child("order").ValPos()),
				"order: want distinct environment names matching [a-z0-9][a-z0-9._-]*, got %s", what)
			continue
		}
		order = append(order, s)
	}
	return order
}

// rules validates [rules.ID] tables: enabled, severity and the rule's own
// parameters.
func (p *parser) rules(rs map[string]any, n *tomlpos.Node, c *Config) {
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	for _, id := range sortedKeys(rs) {
		rn := n.Child(id)
		r, known := rules.Lookup(id)
		if !known {
			p.errorf(p.at(rn.KeyPos(), rn.ValPos()), "unknown rule %q in [rules]%s", id, suggest.Hint(id, ids))
			continue
		}
		t, ok := rs[id].(map[string]any)
		if !ok {
			p.errorf(p.at(rn.ValPos(), rn.KeyPos()), "rules.%s: want a table ([rules.%s]), got %s", id, id, tomlpos.TypeName(rs[id]))
			continue
		}
		allowed := slices.Clone(ruleKeys)
		for _, prm := range r.Params {
			allowed = append(allowed, prm.Name)
		}
		p.unknownKeys(t, rn, allowed, "[rules."+id+"]")
		var rc analyzer.RuleConfig
		if v, ok := t["enabled"]; ok {
			if b, isBool := v.(bool); isBool {
				rc.Enabled = &b
			} else {
				p.errorf(p.valuePos(rn, "enabled"), "enabled: want a boolean, got %s", tomlpos.TypeName(v))
			}
		}
		if v, ok := p.str(t, rn, "severity"); ok {
			if sev, err := rules.ParseSeverity(v); err == nil {
				rc.Severity = &sev
			} else {
				p.errorf(p.valuePos(rn, "severity"), "severity: want one of error|warning|info, got %q%s", v, suggest.Hint(v, []string{"error", "warning", "info"}))
			}
		}
		for _, prm := range r.Params {
			v, ok := t[prm.Name]
			if !ok {
				continue
			}
			f, isNum := number(v)
			if !isNum || f < 0 || prm.Name == "threshold" && f > 1 {
				want := "a number ≥ 0"
				if prm.Name == "threshold" {
					want = "a number from 0 to 1"
				}
				p.errorf(p.valuePos(rn, prm.Name), "%s: want %s, got %s", prm.Name, want, describeValue(v))
				continue
			}
			if rc.Params == nil {
				rc.Params = map[string]float64{}
			}
			rc.Params[prm.Name] = f
		}
		c.Rules[id] = rc
	}
}

// waivers validates the [[waiver]] entries.
func (p *parser) waivers(raw map[string]any, c *Config) {
	n := p.root.Child("waiver")
	var list []map[string]any
	switch v := raw["waiver"].(type) {
	case nil:
		return
	case []map[string]any:
		list = v
	case []any:
		for _, e := range v {
			t, _ := e.(map[string]any)
			list = append(list, t)
		}
	default:
		p.errorf(p.at(n.ValPos(), n.KeyPos()), "waiver: want an array of tables ([[waiver]]), got %s", tomlpos.TypeName(v))
		return
	}
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	for i, t := range list {
		wn := n.Elem(i)
		pos := p.at(wn.ValPos(), n.ValPos())
		if t == nil {
			p.errorf(pos, "waiver: want a table, got %s", tomlpos.TypeName(raw["waiver"].([]any)[i]))
			continue
		}
		p.unknownKeys(t, wn, waiverKeys, "[[waiver]]")
		w := analyzer.Waiver{Pos: pos}
		for _, key := range []string{"rule", "node", "reason"} {
			if _, ok := t[key]; !ok {
				p.errorf(pos, "missing required key %q in [[waiver]]", key)
			}
		}
		if v, ok := p.str(t, wn, "rule"); ok {
			if _, known := rules.Lookup(v); known {
				w.Rule = v
			} else {
				p.errorf(p.valuePos(wn, "rule"), "rule: no rule %q%s", v, suggest.Hint(v, ids))
			}
		}
		if v, ok := p.str(t, wn, "node"); ok {
			if !strings.Contains(v, "@") {
				v += "@" + manifest.DefaultEnv
			}
			if _, err := path.Match(v, ""); err != nil || v == "@"+manifest.DefaultEnv {
				p.errorf(p.valuePos(wn, "node"), "node: want a node ID or a glob pattern such as \"kv-*\" or \"*@staging\", got %q", t["node"])
			} else {
				w.Node = v
			}
		}
		if v, ok := p.str(t, wn, "reason"); ok {
			if strings.TrimSpace(v) == "" {
				p.errorf(p.valuePos(wn, "reason"), "reason: want why the finding is accepted, got an empty string")
			}
			w.Reason = v
		}
		if v, ok := t["expires"]; ok {
			w.Expires = p.date(v, p.valuePos(wn, "expires"))
		}
		c.Waivers = append(c.Waivers, w)
	}
}

// date reads `expires`, written like `tested` in manifests.
func (p *parser) date(v any, pos manifest.Pos) time.Time {
	if t, ok := tomlpos.LocalDate(v); ok {
		return t
	}
	p.errorf(pos, "expires: want a date (YYYY-MM-DD), got %s", describeValue(v))
	return time.Time{}
}

func (p *parser) table(raw map[string]any, n *tomlpos.Node, key string) (map[string]any, bool) {
	v, ok := raw[key]
	if !ok {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		p.errorf(p.valuePos(n, key), "%s: want a table ([%s]), got %s", key, key, tomlpos.TypeName(v))
	}
	return t, ok
}

func (p *parser) str(t map[string]any, n *tomlpos.Node, key string) (string, bool) {
	v, ok := t[key]
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		p.errorf(p.valuePos(n, key), "%s: want a string, got %s", key, tomlpos.TypeName(v))
	}
	return s, ok
}

func (p *parser) unknownKeys(t map[string]any, n *tomlpos.Node, allowed []string, where string) {
	for _, k := range sortedKeys(t) {
		if slices.Contains(allowed, k) {
			continue
		}
		in := ""
		if where != "" {
			in = " in " + where
		}
		p.errorf(p.at(n.Child(k).KeyPos(), n.ValPos()), "unknown key %q%s%s", k, in, suggest.Hint(k, allowed))
	}
}

func sortedKeys(t map[string]any) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// describeValue shows a bad value: numbers and strings as written, other
// values by type.
func describeValue(v any) string {
	switch v := v.(type) {
	case int64, float64:
		return fmt.Sprint(v)
	case string:
		return fmt.Sprintf("%q", v)
	}
	return tomlpos.TypeName(v)
}
