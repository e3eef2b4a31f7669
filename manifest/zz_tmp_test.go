package manifest
import ("testing";"github.com/BurntSushi/toml")
var srcSmall = []byte(`[service]
name = "svc-1"
tier = 1

[[dependency]]
on = "db-1"

[[recovery]]
name = "rollback"
via = ["deploy-tool"]
`)
func BenchmarkParseSmall(b *testing.B){ for b.Loop() { Parse("a.toml", srcSmall) } }
func BenchmarkDecodeSmall(b *testing.B){ for b.Loop() { decode(srcSmall) } }
func BenchmarkDecodeSmall2(b *testing.B){ for b.Loop() { var m map[string]any; toml.Decode(string(srcSmall), &m) } }
func BenchmarkScanSmall(b *testing.B){ for b.Loop() { scanPositions("a.toml", srcSmall) } }
