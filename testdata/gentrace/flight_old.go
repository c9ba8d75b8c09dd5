//go:build !go1.25

package main

import (
	"fmt"
	"io"
	"os"
)

// flightRecording: Go before 1.25 has no FlightRecorder.
func flightRecording(io.Writer) {
	fmt.Fprintln(os.Stderr, "gentrace flight needs Go 1.25 or later")
	os.Exit(2)
}
