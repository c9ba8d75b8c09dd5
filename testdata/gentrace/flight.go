//go:build go1.25

package main

import (
	"io"
	"runtime/trace"
	"time"
)

// flightRecording writes a FlightRecorder snapshot (Go 1.25 and later) taken after the pipeline.
func flightRecording(out io.Writer) {
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Second})
	if err := fr.Start(); err != nil {
		panic(err)
	}
	pipeline()
	if _, err := fr.WriteTo(out); err != nil {
		panic(err)
	}
	fr.Stop()
}
