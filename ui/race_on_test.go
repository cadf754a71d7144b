//go:build race

package ui

// raceDetector: the tests run under -race.
const raceDetector = true
