// Package observed reads service-to-service calls seen in real traffic: a
// Jaeger dependencies document or OpenTelemetry service-graph metrics in
// the Prometheus text format. It knows nothing of manifests beyond their
// positioned errors; mapping observed names to nodes is the analyzer's.
package observed
