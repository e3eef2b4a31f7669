package hostref

import (
	"reflect"
	"testing"
)

func TestVar(t *testing.T) {
	for name, want := range map[string]Use{
		"CART_SERVICE_ADDR": Runtime, "DATABASE_URL": Runtime, "redis.host": Runtime, "KAFKA_BOOTSTRAP_SERVERS": Runtime,
		"OTEL_EXPORTER_OTLP_ENDPOINT": Telemetry, "DD_AGENT_HOST": Telemetry, "JAEGER_SERVICE_ADDR": Telemetry,
		"LISTEN_ADDR": 0, "BIND_HOST": 0, "KAFKA_ADVERTISED_HOST": 0, "PORT": 0, "USERS": 0, "HOSTNAME_PREFIX": 0,
	} {
		got, ok := Var(name)
		if got != want || ok != (want != 0) {
			t.Errorf("Var(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
}

func TestHosts(t *testing.T) {
	for value, want := range map[string][]Addr{
		"cartservice:7070":                        {{"cartservice", "7070"}},
		"http://Frontend:80/path?x=1":             {{"frontend", "80"}},
		"postgres://api:hunter2@orders-db:5432/x": {{"orders-db", "5432"}},
		"jdbc:postgresql://db.shop.svc:5432/x":    {{"db.shop.svc", "5432"}},
		"kafka-0:9092,kafka-1:9092 kafka-0:9092":  {{"kafka-0", "9092"}, {"kafka-1", "9092"}},
		"mongodb://a:1,b:2/db":                    {{"a", "1"}, {"b", "2"}},
		"api.stripe.com.":                         {{"api.stripe.com", ""}},
		"0.0.0.0:8080":                            nil,
		"localhost:4317":                          nil,
		"[::1]:80":                                nil,
		"10.0.0.7:80":                             nil,
		"8080":                                    nil,
		"$(HOST):80":                              nil,
		"http://${HOST}:80":                       nil,
		"":                                        nil,
		"host:port":                               nil,
	} {
		if got := Hosts(value); !reflect.DeepEqual(got, want) {
			t.Errorf("Hosts(%q) = %v, want %v", value, got, want)
		}
	}
}

func TestRegistry(t *testing.T) {
	for image, want := range map[string]string{
		"redis:alpine":                           "docker.io",
		"bitnami/redis:7":                        "docker.io",
		"docker.io/library/redis":                "docker.io",
		"index.docker.io/library/redis":          "docker.io",
		"gcr.io/google-samples/app:v1":           "gcr.io",
		"us-docker.pkg.dev/p/r/app@sha256:abc":   "us-docker.pkg.dev",
		"localhost:5000/app":                     "localhost-5000",
		"registry.shop.svc.cluster.local:5000/x": "registry.shop.svc.cluster.local-5000",
	} {
		a, ok := Registry(image)
		name, _ := NodeName(a)
		if !ok || name != want {
			t.Errorf("Registry(%q) = %v (%q), want %q", image, a, name, want)
		}
	}
	for _, bad := range []string{"", "${IMAGE}:1", "a b"} {
		if a, ok := Registry(bad); ok {
			t.Errorf("Registry(%q) = %v, want none", bad, a)
		}
	}
	if got := Repository("gcr.io/a/b:v1@sha256:00"); got != "gcr.io/a/b" {
		t.Errorf("Repository = %q", got)
	}
	if got := Repository("localhost:5000/app"); got != "localhost:5000/app" {
		t.Errorf("Repository kept no port: %q", got)
	}
}

func TestDatastoreImage(t *testing.T) {
	for image, want := range map[string]bool{
		"redis:alpine": true, "bitnami/postgresql:16": true, "docker.io/library/mongo": true, "valkey/valkey:8": true,
		"oliver006/redis_exporter": false, "mongo-express": false, "redis-exporter:1": false, "frontend:v1": false, "": false,
	} {
		if got := DatastoreImage(image); got != want {
			t.Errorf("DatastoreImage(%q) = %v", image, got)
		}
	}
}
