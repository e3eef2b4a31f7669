//go:build race

package kv_test

// raceDetector: under -race, decoding 100 MiB of JSON takes minutes, so the
// streamed bulk-limit cases run only without it.
const raceDetector = true
