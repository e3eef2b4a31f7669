package tomlpos

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// at walks a position tree along path, where "#N" selects array element N
// and anything else a key. Test-only: the package itself uses child and
// elem, which cannot confuse a key named "#1" with an index.
func at(n *Node, path ...string) *Node {
	for _, p := range path {
		if i, err := strconv.Atoi(strings.TrimPrefix(p, "#")); err == nil && strings.HasPrefix(p, "#") {
			n = n.Elem(i)
		} else {
			n = n.Child(p)
		}
	}
	return n
}

// want is one expectation of TestScanPositions: where the key and the value
// at path are written, as "line:col" ("" for no key).
type want struct {
	path     string // dot-separated, for brevity; keys in tests contain no dots
	key, val string
}

func lcString(p LineCol) string {
	if !p.Valid() {
		return ""
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// scanTests are valid TOML documents, each with where some keys and
// values must be found.
var scanTests = []struct {
	name string
	src  string
	want []want
}{
	{
		name: "tables and keys",
		src: `[service]
name = "x"
tier = 1

[[dependency]]
on = "a"

[[dependency]]
on = "b"
kind = "data"

[[recovery]]
name = "r"
via = ["a", "b"]
`,
		want: []want{
			{"service", "1:2", "1:1"},
			{"service.name", "2:1", "2:8"},
			{"service.tier", "3:1", "3:8"},
			{"dependency", "5:3", "5:1"},
			{"dependency.#0", "5:3", "5:1"},
			{"dependency.#0.on", "6:1", "6:6"},
			{"dependency.#1", "8:3", "8:1"},
			{"dependency.#1.on", "9:1", "9:6"},
			{"dependency.#1.kind", "10:1", "10:8"},
			{"recovery.#0", "12:3", "12:1"},
			{"recovery.#0.via", "14:1", "14:7"},
			{"recovery.#0.via.#0", "", "14:8"},
			{"recovery.#0.via.#1", "", "14:13"},
		},
	},
	{
		name: "comments hide syntax",
		src: `# [[dependency]] on = "no"
[service] # = "quote" [bracket] [[x]]
name = "a#b" # trailing = [
# tier = 9
tier = 2#close
`,
		want: []want{
			{"service", "2:2", "2:1"},
			{"service.name", "3:1", "3:8"},
			{"service.tier", "5:1", "5:8"},
			{"dependency", "", ""},
		},
	},
	{
		name: "all four string forms",
		src: `a = "x \" # [ = y \\"
b = 'c:\path # [x] = "q"'
c = """
multi "" line # [not.header]
d = 1 \"""
"""
e = '''
[[not.array]]
x = 'q' '' '''
f = """quotes at end"""""
g = '''two more'''''
h = """one \
    two"""
i = ""
j = ''
k = 1
`,
		want: []want{
			{"a", "1:1", "1:5"},
			{"b", "2:1", "2:5"},
			{"c", "3:1", "3:5"},
			{"d", "", ""},
			{"e", "7:1", "7:5"},
			{"not", "", ""},
			{"x", "", ""},
			{"f", "10:1", "10:5"},
			{"g", "11:1", "11:5"},
			{"h", "12:1", "12:5"},
			{"i", "14:1", "14:5"},
			{"j", "15:1", "15:5"},
			{"k", "16:1", "16:5"},
		},
	},
	{
		name: "quoted and dotted keys",
		src: `service.name = "x"
"service".env = "y"
service . 'owner' = "z"
"on" = "a"
'odd key' = 1
"o\u006e2" = 2
"#1" = 3
a . b . c = 4
[x."y.z"]
w = 5
`,
		want: []want{
			{"service", "1:1", "1:1"},
			{"service.name", "1:9", "1:16"},
			{"service.env", "2:11", "2:17"},
			{"service.owner", "3:11", "3:21"},
			{"on", "4:1", "4:8"},
			{"odd key", "5:1", "5:13"},
			{"on2", "6:1", "6:14"},
			{"a", "8:1", "8:1"},
			{"a.b", "8:5", "8:5"},
			{"a.b.c", "8:9", "8:13"},
			{"x", "9:2", "9:2"},
			{"w", "", ""},
		},
	},
	{
		name: "array of inline tables indexes like [[dependency]]",
		src: `dependency = [{on = "a"}, {on = "b", kind = "data"}]
recovery = [
  { name = "r1", via = ["a"] }, # first
  # comment [ with ] "brackets" {
  {name="r2",via=["b","c"]},
]
`,
		want: []want{
			{"dependency", "1:1", "1:14"},
			{"dependency.#0", "", "1:15"},
			{"dependency.#0.on", "1:16", "1:21"},
			{"dependency.#1", "", "1:27"},
			{"dependency.#1.on", "1:28", "1:33"},
			{"dependency.#1.kind", "1:38", "1:45"},
			{"recovery", "2:1", "2:12"},
			{"recovery.#0", "", "3:3"},
			{"recovery.#0.name", "3:5", "3:12"},
			{"recovery.#0.via.#0", "", "3:25"},
			{"recovery.#1", "", "5:3"},
			{"recovery.#1.name", "5:4", "5:9"},
			{"recovery.#1.via", "5:14", "5:18"},
			{"recovery.#1.via.#1", "", "5:23"},
		},
	},
	{
		name: "arrays across lines with comments",
		src: `via = [
  "a", # one, two ]
  # "not", "elements" ]
  "b"
  ,
  'c',
]
x = [[1, 2], [3, [4]], []]
y = [1979-05-27 07:32:00, 2023-01-01, 1.5e3, -inf, true, 0x1F]
z = [1#, 3 ] a comment right after a value
, 2]
`,
		want: []want{
			{"via", "1:1", "1:7"},
			{"via.#0", "", "2:3"},
			{"via.#1", "", "4:3"},
			{"via.#2", "", "6:3"},
			{"via.#3", "", ""},
			{"x.#0", "", "8:6"},
			{"x.#0.#1", "", "8:10"},
			{"x.#1.#1", "", "8:18"},
			{"x.#1.#1.#0", "", "8:19"},
			{"x.#2", "", "8:24"},
			{"y.#0", "", "9:6"},
			{"y.#1", "", "9:27"},
			{"y.#2", "", "9:39"},
			{"y.#3", "", "9:46"},
			{"y.#4", "", "9:52"},
			{"y.#5", "", "9:58"},
			{"z.#1", "", "11:3"},
			{"z.#2", "", ""},
		},
	},
	{
		name: "whitespace variants",
		src:  "\t[ service ]\t\nname=\"x\"\n  tier   =\t3\n[[ dependency ]]\non\t= 'a'\n\n\n[ x . y ]\n",
		want: []want{
			{"service", "1:4", "1:2"},
			{"service.name", "2:1", "2:6"},
			{"service.tier", "3:3", "3:12"},
			{"dependency.#0", "4:4", "4:1"},
			{"dependency.#0.on", "5:1", "5:6"},
			{"x.y", "8:7", "8:1"},
		},
	},
	{
		name: "CRLF line ends",
		src:  "[service]\r\nname = \"x\"\r\nmonitored_by = [\r\n  \"a\",\r\n  \"b\", # c\r\n]\r\n[[recovery]]\r\nname = 'r'\r\n",
		want: []want{
			{"service", "1:2", "1:1"},
			{"service.name", "2:1", "2:8"},
			{"service.monitored_by.#0", "", "4:3"},
			{"service.monitored_by.#1", "", "5:3"},
			{"recovery.#0", "7:3", "7:1"},
			{"recovery.#0.name", "8:1", "8:8"},
		},
	},
	{
		name: "sub-tables of arrays of tables",
		src: `[[dependency]]
on = "a"
[dependency.extra]
x = 1
[[dependency]]
on = "b"
[[dependency.sub]]
y = 2
`,
		want: []want{
			{"dependency.#0.on", "2:1", "2:6"},
			{"dependency.#0.extra", "3:13", "3:1"},
			{"dependency.#0.extra.x", "4:1", "4:5"},
			{"dependency.#1", "5:3", "5:1"},
			{"dependency.#1.on", "6:1", "6:6"},
			{"dependency.#1.sub.#0", "7:14", "7:1"},
			{"dependency.#1.sub.#0.y", "8:1", "8:5"},
		},
	},
	{
		name: "a table defined after its sub-table moves to its header",
		src: `[service.sub]
x = 1
[service]
name = "a"
`,
		want: []want{
			{"service", "3:2", "3:1"},
			{"service.sub", "1:10", "1:1"},
			{"service.name", "4:1", "4:8"},
		},
	},
	{
		name: "inline tables across lines (TOML 1.1)",
		src: `service = {
  name = "x", # c
  env = "y",
  nested = { a = 1, b = { c = 2 } }
}
t = 2023-09-01
`,
		want: []want{
			{"service", "1:1", "1:11"},
			{"service.name", "2:3", "2:10"},
			{"service.env", "3:3", "3:9"},
			{"service.nested.b", "4:21", "4:25"},
			{"service.nested.b.c", "4:27", "4:31"},
			{"t", "6:1", "6:5"},
		},
	},
	{
		name: "byte columns after multi-byte text",
		src:  "k = { \"ключ\" = \"é\", on = \"x\" }\n",
		want: []want{
			{"k.ключ", "1:7", "1:20"}, // ключ is 8 bytes
			{"k.on", "1:26", "1:31"},  // é is 2
		},
	},
	{
		name: "byte order mark",
		src:  "\xef\xbb\xbf[service]\nname = 'x'\n",
		want: []want{
			{"service", "1:2", "1:1"},
			{"service.name", "2:1", "2:8"},
		},
	},
	{
		name: "odd but valid keys, headers and strings",
		src: `3.14 = "pi"
a={b.c=1,"d"=2}
["x]y".'z#' ] # [not] = 1
s = """\""""
t = '''it''''
u = """a"""  # """
v = 1
w = ['''q''''', """r""""", 's']
`,
		want: []want{
			{"3", "1:1", "1:1"},
			{"3.14", "1:3", "1:8"},
			{"a", "2:1", "2:3"},
			{"a.b", "2:4", "2:4"},
			{"a.b.c", "2:6", "2:8"},
			{"a.d", "2:10", "2:14"},
			{"x]y", "3:2", "3:2"},
			{"x]y.z#", "3:8", "3:1"},
			{"x]y.z#.not", "", ""},
			{"x]y.z#.s", "4:1", "4:5"},
			{"x]y.z#.t", "5:1", "5:5"},
			{"x]y.z#.u", "6:1", "6:5"},
			{"x]y.z#.v", "7:1", "7:5"},
			{"x]y.z#.w.#0", "", "8:6"},
			{"x]y.z#.w.#1", "", "8:17"},
			{"x]y.z#.w.#2", "", "8:28"},
			{"x]y.z#.w.#3", "", ""},
		},
	},
	{
		name: "date-time with a space then more keys",
		src:  "a = 1979-05-27 07:32:00Z\nb = 2 # x\nc = 07:32:00\n",
		want: []want{
			{"a", "1:1", "1:5"},
			{"b", "2:1", "2:5"},
			{"c", "3:1", "3:5"},
		},
	},
}

func TestScanPositions(t *testing.T) {
	for _, tt := range scanTests {
		t.Run(tt.name, func(t *testing.T) {
			var raw any
			if _, err := toml.Decode(tt.src, &raw); err != nil {
				t.Fatalf("test input is not valid TOML: %v", err)
			}
			root := Scan([]byte(tt.src))
			for _, w := range tt.want {
				n := at(root, strings.Split(w.path, ".")...)
				if w.key == "" && w.val == "" {
					if n != nil {
						t.Errorf("%s: found a node at %s, want none", w.path, lcString(n.val))
					}
					continue
				}
				if n == nil {
					t.Errorf("%s: no node", w.path)
					continue
				}
				if got := lcString(n.key); got != w.key {
					t.Errorf("%s: key at %q, want %q", w.path, got, w.key)
				}
				if got := lcString(n.val); got != w.val {
					t.Errorf("%s: value at %q, want %q", w.path, got, w.val)
				}
			}
			checkShape(t, []byte(tt.src), raw, root)
		})
	}
}

// TestScanLargeTable covers the indexed lookup used for big tables.
func TestScanLargeTable(t *testing.T) {
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, "k%d = %d\n", i, i)
	}
	root := Scan([]byte(b.String()))
	if root.index == nil {
		t.Fatal("a table of 100 keys has no index")
	}
	for _, i := range []int{0, 16, 17, 99} {
		if got, want := lcString(root.Child(fmt.Sprint("k", i)).val), fmt.Sprintf("%d:%d", i+1, len(fmt.Sprint("k", i))+4); got != want {
			t.Errorf("k%d at %s, want %s", i, got, want)
		}
	}
	if root.Child("k100") != nil {
		t.Error("found k100, which is not written")
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\tb\nc\\d\"e`, "a\tb\nc\\d\"e"},
		{`\u006fn`, "on"},
		{`\U0001F600`, "😀"},
		{`\x41\e`, "A\x1b"},
		{`\b\f\r`, "\b\f\r"},
		{`\u12`, `\u12`}, // truncated: kept as written
		{`\uD800`, `\uD800`},
		{`\q`, `\q`},
		{`end\`, `end\`},
	}
	for _, tt := range tests {
		if got := string(unescape([]byte(tt.in))); got != tt.want {
			t.Errorf("unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkShape asserts that the position tree has a node, with a plausible
// position, for every key and array element BurntSushi/toml decoded: the
// scanner and the parser agree on the structure of the document. src must
// be the document that raw was decoded from.
func checkShape(t *testing.T, src []byte, raw any, root *Node) {
	t.Helper()
	src = stripBOM(src)
	lineStarts := []int{0}
	for i, c := range src {
		if c == '\n' {
			lineStarts = append(lineStarts, i+1)
		}
	}
	byteAt := func(p LineCol) (byte, bool) {
		if !p.Valid() || int(p.Line) > len(lineStarts) {
			return 0, false
		}
		off := lineStarts[p.Line-1] + int(p.Col) - 1
		if off >= len(src) {
			return 0, false
		}
		return src[off], true
	}
	var walk func(path string, v any, n *Node)
	walk = func(path string, v any, n *Node) {
		if n == nil {
			t.Errorf("%s: decoded but not scanned", path)
			return
		}
		c, ok := byteAt(n.val)
		if !ok && n != root { // the root of an empty document is at 1:1
			t.Errorf("%s: value position %v outside the document", path, n.val)
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				if k == "" {
					// BurntSushi/toml v1.6.0 mis-decodes values under an
					// empty key ([t] "" = [[{}], 1] comes back as [{}]);
					// https://github.com/BurntSushi/toml/pull/492.
					continue
				}
				kn := n.Child(k)
				if kn != nil {
					kc, ok := byteAt(kn.key)
					if !ok || !(isBareKeyByte(kc) || kc == '"' || kc == '\'') {
						t.Errorf("%s.%q: key position %v is not at a key", path, k, kn.key)
					}
				}
				walk(fmt.Sprintf("%s.%q", path, k), sub, kn)
			}
		case []map[string]any:
			if c != '[' {
				t.Errorf("%s: array of tables at %q", path, c)
			}
			if len(n.elems) != len(v) {
				t.Errorf("%s: scanned %d elements, decoded %d", path, len(n.elems), len(v))
				return
			}
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e, n.elems[i])
			}
		case []any:
			if c != '[' {
				t.Errorf("%s: array at %q", path, c)
			}
			if len(n.elems) != len(v) {
				t.Errorf("%s: scanned %d elements, decoded %d", path, len(n.elems), len(v))
				return
			}
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e, n.elems[i])
			}
		case string:
			if c != '"' && c != '\'' {
				t.Errorf("%s: string at %q", path, c)
			}
		default:
			if bytes.IndexByte([]byte(`"'[{`), c) >= 0 {
				t.Errorf("%s: %T at %q", path, v, c)
			}
		}
	}
	walk("", raw, root)
}

// TestScanAgreesWithParser generates documents from the corners of the TOML
// grammar (every string form with delimiters inside, quoted and dotted keys,
// nested arrays and inline tables, comments, CRLF) and checks that the
// scanner finds every key and element the parser decodes, at a plausible
// place. The seed is fixed, so a failure reproduces.
func TestScanAgreesWithParser(t *testing.T) {
	var reused Scanner
	r := rand.New(rand.NewPCG(22, 1))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var key func() string
	key = func() string {
		k := pick("a", "on", "via", "x-1", "_", "3", `"q k"`, `"#[="`, `'l.t'`, `"o\u006e"`, `""`, `"\"]"`)
		if r.IntN(4) == 0 {
			k += pick(".", " . ", ". ") + key()
		}
		return k
	}
	var value func(depth int) string
	value = func(depth int) string {
		switch n := r.IntN(10); {
		case n < 4:
			return pick(`"s # [x] = 'y'"`, `"\"esc\\"`, `'lit # "q" ['`, "\"\"\"ml\n# [h]\nk = 1 \\\"\"\"\"\"\"", "'''ml\n[[a]]\n'' '''''",
				"\"\"\"\\\n   cont\"\"\"", `""`, `''`)
		case n < 6:
			return pick("1", "-0x1F", "1e3", "inf", "true", "1979-05-27 07:32:00Z", "2023-09-01", "07:32:00")
		case n < 8 && depth < 3:
			var b strings.Builder
			b.WriteString("[")
			for i := range r.IntN(4) {
				if i > 0 {
					b.WriteString(pick(",", " , ", ",\n  # c ] ,\n", ",\r\n"))
				}
				b.WriteString(value(depth + 1))
			}
			b.WriteString(pick("]", ",]", "\n]", " # x\n]"))
			return b.String()
		case depth < 3:
			var b strings.Builder
			b.WriteString(pick("{", "{ ", "{\n"))
			used := map[string]bool{}
			for i := range r.IntN(3) {
				k := fmt.Sprintf("k%d", i)
				if used[k] {
					continue
				}
				used[k] = true
				if i > 0 {
					b.WriteString(pick(", ", ",", ",\n"))
				}
				b.WriteString(k + pick(" = ", "=") + value(depth+1))
			}
			b.WriteString(pick("}", " }", "\n}"))
			return b.String()
		}
		return "0"
	}
	valid := 0
	for i := range 3000 {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			switch r.IntN(6) {
			case 0:
				b.WriteString(pick("[", "[ ") + key() + pick("]", " ]") + pick("", " # [c]") + "\n")
			case 1:
				b.WriteString(pick("[[", "[[ ") + key() + pick("]]", " ]]") + "\n")
			case 2:
				b.WriteString(pick("# ", "#") + value(0) + "\n")
			default:
				b.WriteString(key() + pick(" = ", "=", "\t=\t") + value(0) + pick("\n", "\r\n", " # c\n"))
			}
		}
		src := b.String()
		var raw any
		if _, err := toml.Decode(src, &raw); err != nil {
			continue // duplicate keys and the like: the parser's business
		}
		valid++
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			// One Scanner for every document: a tree must not depend on
			// the trees scanned before it with the same storage.
			checkShape(t, []byte(src), raw, reused.Scan([]byte(src)))
			if t.Failed() {
				t.Logf("document:\n%s", src)
			}
		})
	}
	if valid < 500 {
		t.Errorf("only %d of 3000 generated documents are valid TOML", valid)
	}
}

// FuzzScan checks that the scanner survives any input, including input the
// parser rejects, and that on valid TOML its tree has the decoded document's
// shape with every position inside the source.
//
//	go test -run '^$' -fuzz FuzzScan -fuzztime 60s ./internal/tomlpos
func FuzzScan(f *testing.F) {
	for _, tt := range scanTests {
		f.Add([]byte(tt.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root := Scan(data)
		var raw any
		if _, err := toml.Decode(string(data), &raw); err == nil {
			checkShape(t, data, raw, root)
		}
	})
}
