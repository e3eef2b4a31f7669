package hostref

import (
	"strings"
)

// Use says what an environment variable that names a host is for, as far
// as its name tells.
type Use int

const (
	// Runtime: the service calls the host to do its work (CART_ADDR,
	// DATABASE_URL); the import guesses a hard runtime dependency.
	Runtime Use = iota + 1
	// Telemetry: the service ships traces, metrics or logs to the host
	// (OTEL_EXPORTER_OTLP_ENDPOINT, JAEGER_HOST); exporters drop data
	// rather than fail, so the import guesses a soft observability
	// dependency.
	Telemetry
)

// addressSuffixes end the names of variables that hold addresses.
var addressSuffixes = []string{
	"_ADDR", "_ADDRS", "_ADDRESS", "_ADDRESSES",
	"_HOST", "_HOSTS", "_HOSTNAME",
	"_URL", "_URLS", "_URI", "_URIS", "_DSN",
	"_ENDPOINT", "_ENDPOINTS",
	"_SERVER", "_SERVERS",
}

// selfWords mark variables about the service's own address (where it
// listens, what it advertises), never a dependency.
var selfWords = map[string]bool{
	"LISTEN": true, "BIND": true, "ADVERTISED": true, "ADVERTISE": true,
	"PUBLIC": true, "SELF": true,
}

// telemetryWords mark variables that point at telemetry backends.
var telemetryWords = map[string]bool{
	"OTEL": true, "OTLP": true, "JAEGER": true, "ZIPKIN": true, "TRACING": true,
	"TRACE": true, "TRACES": true, "TRACER": true, "METRICS": true, "STATSD": true,
	"PROMETHEUS": true, "GRAFANA": true, "LOKI": true, "TEMPO": true, "SENTRY": true,
	"DATADOG": true, "DD": true, "NEWRELIC": true, "HONEYCOMB": true, "LOGSTASH": true,
	"FLUENT": true, "FLUENTD": true, "FLUENTBIT": true, "SYSLOG": true, "PROFILER": true,
	"COLLECTOR": true, "TELEMETRY": true, "APM": true, "LOGGING": true,
}

// Var reports whether the variable name says it holds the address of
// another service, and what for. Names are compared upper-cased; dots and
// dashes count as underscores.
func Var(name string) (Use, bool) {
	n := strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(name))
	found := false
	for _, s := range addressSuffixes {
		if strings.HasSuffix(n, s) {
			found = true
			break
		}
	}
	if !found {
		return 0, false
	}
	use := Runtime
	for _, w := range strings.Split(n, "_") {
		if selfWords[w] {
			return 0, false
		}
		if telemetryWords[w] {
			use = Telemetry
		}
	}
	return use, true
}

// Addr is one host named in a value.
type Addr struct {
	Host string // lower-cased, without a trailing dot
	Port string // "" when none is written
}

// String is host or host:port.
func (a Addr) String() string {
	if a.Port == "" {
		return a.Host
	}
	return a.Host + ":" + a.Port
}

// Hosts returns the hosts a value names, in order and without repeats:
// "cart:7070", "http://frontend:80/path", "postgres://u:p@db:5432/x",
// "kafka-0:9092,kafka-1:9092", "mongodb://a:1,b:2/db". Credentials and
// paths are dropped. Loopback, wildcard and IP addresses name no other
// service and are left out, and so is any item still holding an
// unexpanded variable ($(X) or ${X}).
func Hosts(value string) []Addr {
	var out []Addr
	seen := map[Addr]bool{}
	for _, item := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == ';' }) {
		item = strings.Trim(item, `"'`)
		if strings.Contains(item, "$(") || strings.Contains(item, "${") {
			continue
		}
		// An authority may list hosts (mongodb://a:1,b:2/db): the split
		// above already cut it at the commas, so a later item is a bare
		// host:port/path and goes through the same cut.
		if i := strings.Index(item, "://"); i >= 0 {
			item = item[i+3:]
		}
		a, ok := splitHostPort(authority(item))
		if !ok || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// authority cuts s at the first "/", "?" or "#" and drops credentials.
func authority(s string) string {
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// splitHostPort parses host[:port]; it refuses IP addresses, loopback and
// wildcard names, and anything that is not a DNS name.
func splitHostPort(s string) (Addr, bool) {
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") > 1 {
		return Addr{}, false // an IPv6 literal
	}
	host, port, _ := strings.Cut(s, ":")
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if !DNSName(host) || Ignored(host) {
		return Addr{}, false
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return Addr{}, false
		}
	}
	return Addr{Host: host, Port: port}, true
}

// DNSName reports whether s is a host name: labels of letters, digits,
// '-' and '_' separated by dots, with at least one letter somewhere (an
// all-digit "8080" is a port, "10.0.0.1" an IP address).
func DNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	letter := false
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
				letter = true
			case r >= '0' && r <= '9', r == '-', r == '_':
			default:
				return false
			}
		}
	}
	return letter
}

// Ignored reports whether a host never names another service: loopback
// and the container host.
func Ignored(host string) bool {
	switch host {
	case "localhost", "host.docker.internal", "gateway.docker.internal", "host.containers.internal", "kubernetes", "kubernetes.default", "kubernetes.default.svc":
		return true
	}
	return strings.HasSuffix(host, ".localhost") || strings.HasPrefix(host, "kubernetes.default.svc.")
}

// Registry returns the registry an image is pulled from: the first path
// element when it looks like a host (holds a dot or a port, or is
// localhost), else docker.io, as container runtimes resolve it. Docker
// Hub's aliases become docker.io. It returns false for an empty reference
// or one still holding a variable.
func Registry(image string) (Addr, bool) {
	image = strings.TrimSpace(image)
	if image == "" || strings.ContainsAny(image, "${}() \t") {
		return Addr{}, false
	}
	first, _, hasSlash := strings.Cut(image, "/")
	if !hasSlash || !(strings.ContainsAny(first, ".:") || first == "localhost") {
		return Addr{Host: "docker.io"}, true
	}
	host, port, _ := strings.Cut(strings.ToLower(first), ":")
	switch host {
	case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com":
		host = "docker.io"
	}
	if !DNSName(host) {
		return Addr{}, false
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return Addr{}, false
		}
	}
	return Addr{Host: host, Port: port}, true
}

// Repository is an image reference without its tag and digest: what stays
// the same from one release to the next.
func Repository(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		image = image[:i]
	}
	return image
}

// NodeName is the node name for a host: the host, with "-port" when a
// port is given ("localhost-5000"), or false when that is no valid node
// name.
func NodeName(a Addr) (string, bool) {
	name := a.Host
	if a.Port != "" {
		name += "-" + a.Port
	}
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] >= '0' && name[0] <= '9') {
		return "", false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return "", false
		}
	}
	return name, true
}

// datastoreImages are the last path elements of well-known datastore
// images; a name matches when it equals one or starts with one and a dash
// ("redis-stack", "postgres-exporter" excepted by exporterLike).
var datastoreImages = []string{
	"redis", "valkey", "keydb", "dragonfly", "memcached",
	"postgres", "postgresql", "postgis", "timescaledb", "mysql", "mariadb", "percona",
	"mongo", "mongodb", "cassandra", "scylla", "couchdb", "couchbase", "cockroach", "cockroachdb",
	"elasticsearch", "opensearch", "solr", "etcd", "zookeeper", "kafka", "cp-kafka", "redpanda",
	"rabbitmq", "nats", "pulsar", "clickhouse", "clickhouse-server", "influxdb", "minio", "neo4j",
}

// DatastoreImage reports whether an image is a well-known datastore
// (redis:alpine, bitnami/postgresql:16, docker.io/library/mongo). Exporters
// and UIs named after a datastore ("redis-exporter", "mongo-express") are
// not datastores.
func DatastoreImage(image string) bool {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	name := image[strings.LastIndexByte(image, '/')+1:]
	name, _, _ = strings.Cut(name, ":")
	name = strings.ToLower(name)
	for _, bad := range []string{"exporter", "express", "commander", "insight", "ui", "admin", "operator", "proxy"} {
		if strings.HasSuffix(name, "-"+bad) {
			return false
		}
	}
	for _, d := range datastoreImages {
		if name == d || strings.HasPrefix(name, d+"-") {
			return true
		}
	}
	return false
}
