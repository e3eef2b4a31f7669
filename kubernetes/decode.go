package kubernetes

import (
	"fmt"
	"strconv"

	"github.com/catch22/catch22/internal/yamlpos"
	"github.com/catch22/catch22/manifest"
)

// decoder checks the shape of one object as it reads it, collecting a
// positioned error for every value of the wrong type, so that a user sees
// all the problems of a file at once. Paths in messages are written as in
// kubectl explain: spec.template.spec.containers[0].env[2].value.
type decoder struct {
	errs manifest.ErrorList
}

func (d *decoder) errorf(pos manifest.Pos, format string, args ...any) {
	d.errs = append(d.errs, &manifest.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// field returns the value of key in the mapping m, or nil when m is nil,
// the key is absent or its value is null (which Kubernetes reads as
// absent).
func field(m *yamlpos.Value, key string) *yamlpos.Value {
	if m == nil || m.Kind != yamlpos.Map {
		return nil
	}
	v, _, ok := m.Get(key)
	if !ok || v.Kind == yamlpos.Null {
		return nil
	}
	return v
}

// mapping returns m.key when it is a mapping; any other type is an error.
func (d *decoder) mapping(m *yamlpos.Value, key, path string) *yamlpos.Value {
	v := field(m, key)
	if v == nil {
		return nil
	}
	if v.Kind != yamlpos.Map {
		d.errorf(v.Pos, "%s: want a mapping, got %s", path, v.TypeName())
		return nil
	}
	return v
}

// list returns the elements of m.key when it is a list.
func (d *decoder) list(m *yamlpos.Value, key, path string) []*yamlpos.Value {
	v := field(m, key)
	if v == nil {
		return nil
	}
	if v.Kind != yamlpos.Seq {
		d.errorf(v.Pos, "%s: want a list, got %s", path, v.TypeName())
		return nil
	}
	return v.Items
}

// str returns m.key when it is a string. Kubernetes rejects numbers and
// booleans where it wants strings (an unquoted port in an env value is
// the classic), so they are errors here too, with the fix in the message.
func (d *decoder) str(m *yamlpos.Value, key, path string) (string, manifest.Pos, bool) {
	v := field(m, key)
	if v == nil {
		return "", manifest.Pos{}, false
	}
	switch v.Kind {
	case yamlpos.String:
		return v.Str, v.Pos, true
	case yamlpos.Int, yamlpos.Float, yamlpos.Bool:
		d.errorf(v.Pos, "%s: want a string, got %s (quote it: %s)", path, v.TypeName(), strconv.Quote(v.Str))
	default:
		d.errorf(v.Pos, "%s: want a string, got %s", path, v.TypeName())
	}
	return "", v.Pos, false
}

// boolean returns m.key when it is a boolean.
func (d *decoder) boolean(m *yamlpos.Value, key, path string) bool {
	v := field(m, key)
	if v == nil {
		return false
	}
	if v.Kind != yamlpos.Bool {
		d.errorf(v.Pos, "%s: want true or false, got %s", path, v.TypeName())
		return false
	}
	return v.Str == "true" || v.Str == "True" || v.Str == "TRUE"
}

// strMap returns m.key as a map of strings (labels, a selector, the data
// of a ConfigMap) with the position of each value.
func (d *decoder) strMap(m *yamlpos.Value, key, path string) (map[string]string, map[string]manifest.Pos) {
	v := d.mapping(m, key, path)
	if v == nil {
		return nil, nil
	}
	out := make(map[string]string, len(v.Keys))
	pos := make(map[string]manifest.Pos, len(v.Keys))
	for _, k := range v.Keys {
		if s, p, ok := d.str(v, k, path+"."+k); ok {
			out[k], pos[k] = s, p
		}
	}
	return out, pos
}
