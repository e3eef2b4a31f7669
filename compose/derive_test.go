package compose_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/catch22/catch22/compose"
	"github.com/catch22/catch22/manifest"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestShapes checks each mapping rule on a project shaped like the
// OpenTelemetry demo's: addresses in .env, bare environment entries,
// env_file, an override file, aliases, conditions, telemetry, an outside
// host, profiles.
func TestShapes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir+"/shop/.env", `# the project's variables
COMPOSE_PROJECT_NAME=astronomy
IMAGE_NAME=ghcr.io/acme/shop
CART_PORT=7070
CART_ADDR=cart:${CART_PORT}
OTEL_COLLECTOR_HOST=otel-collector
OTEL_EXPORTER_OTLP_ENDPOINT=http://${OTEL_COLLECTOR_HOST}:4317
export QUOTE_ADDR="http://quote:8090"
`)
	write(t, dir+"/shop/compose.yaml", `x-logging: &logging
  driver: json-file
services:
  checkout:
    image: ${IMAGE_NAME}:1.0-checkout
    environment:
      - CART_ADDR
      - OTEL_EXPORTER_OTLP_ENDPOINT
      - PAYMENT_URL=https://user:pw@api.payments.example/v2
      - LISTEN_ADDR=0.0.0.0:5050
      - SHIPPING_ADDR=${SHIPPING_ADDR:-shipping:50051}
    env_file: checkout.env
    depends_on:
      migrate:
        condition: service_completed_successfully
      flags:
        condition: service_started
        required: false
    logging: *logging
  cart:
    image: ${IMAGE_NAME}:1.0-cart
    container_name: cart-service
    environment:
      VALKEY_ADDR: valkey:6379
    links:
      - "valkey-cart:valkey"
  valkey-cart:
    image: valkey/valkey:8
  shipping:
    build: ./shipping
    environment:
      QUOTE_ADDR:
    networks:
      default:
        aliases: [ship]
  quote:
    image: quote
    profiles: [pricing]
  migrate:
    image: ghcr.io/acme/shop-migrate
    environment:
      DB_HOST: nowhere
  flags:
    image: ghcr.io/open-feature/flagd
  otel-collector:
    image: otel/opentelemetry-collector-contrib
`)
	write(t, dir+"/shop/checkout.env", "EMAIL_ADDR=http://email:6060 # the mailer\n")
	write(t, dir+"/shop/compose.override.yaml", `services:
  email:
    image: ${IMAGE_NAME}:1.0-email
  checkout:
    environment:
      - FRAUD_HOST=ship
`)
	out := t.TempDir()
	res, err := compose.Import([]string{dir + "/shop"}, options(out))
	if err != nil {
		t.Fatal(err)
	}
	warnings := strings.ReplaceAll(errorLines(res.Warnings), dir+"/", "")
	if want := "shop/compose.yaml:42:16: warning: DB_HOST: no service of the project answers to \"nowhere\": no dependency derived\n"; warnings != want {
		t.Errorf("warnings\n%s\nwant\n%s", warnings, want)
	}
	got, kinds := edges(t, out)
	diffEdges(t, []string{
		"checkout -> ghcr.io deploy hard start",
		"checkout -> cart runtime hard run guess",                 // CART_ADDR, its value from .env
		"checkout -> otel-collector observability soft run guess", // telemetry
		"checkout -> api.payments.example runtime hard run guess", // an outside host
		"checkout -> shipping runtime hard run guess",             // ${SHIPPING_ADDR:-…}, and the alias ship
		"checkout -> email runtime hard run guess",                // from env_file; email from the override
		"checkout -> migrate runtime hard start",                  // run to completion first
		"checkout -> flags runtime soft run",                      // required: false
		"cart -> ghcr.io deploy hard start",
		"cart -> valkey-cart data hard run", // links, which also resolve the alias valkey
		"valkey-cart -> docker.io deploy hard start",
		"shipping -> quote runtime hard run guess", // a bare name: its value from .env
		"quote -> docker.io deploy hard start",
		"migrate -> ghcr.io deploy hard start",
		"flags -> ghcr.io deploy hard start",
		"otel-collector -> docker.io deploy hard start",
		"email -> ghcr.io deploy hard start",
	}, got)
	if kinds["valkey-cart"] != manifest.KindDatastore || kinds["api.payments.example"] != manifest.KindExternal {
		t.Errorf("kinds: %v", kinds)
	}
	quote, err := os.ReadFile(out + "/astronomy/quote.toml") // COMPOSE_PROJECT_NAME names the system
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(quote), `description = "started only with profile pricing"`) {
		t.Errorf("quote.toml:\n%s", quote)
	}
	checkout, _ := os.ReadFile(out + "/astronomy/checkout.toml")
	for _, want := range []string{"# from compose: env EMAIL_ADDR=email:6060 from checkout.env\n", "# from compose: depends_on migrate (service_completed_successfully)\n"} {
		if !strings.Contains(string(checkout), want) {
			t.Errorf("checkout.toml lacks %q:\n%s", want, checkout)
		}
	}
	for _, f := range readTree(t, out) {
		if strings.Contains(string(f.Data), "pw@") {
			t.Errorf("%s holds credentials", f.Name)
		}
	}
}
