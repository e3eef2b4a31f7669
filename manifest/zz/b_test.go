package zz
import ("testing";"github.com/catch22/catch22/manifest";"github.com/BurntSushi/toml")
var src = []byte(`[service]
name = "svc-1"
tier = 1

[[dependency]]
on = "db-1"

[[recovery]]
name = "rollback"
via = ["deploy-tool"]
`)
func BenchmarkParse(b *testing.B){ for b.Loop() { manifest.Parse("a.toml", src) } }
func BenchmarkDecode(b *testing.B){ for b.Loop() { var m map[string]any; toml.Decode(string(src), &m) } }
