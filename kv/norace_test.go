//go:build !race

package kv_test

const raceDetector = false
