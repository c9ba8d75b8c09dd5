package main

import (
	"log"
	"runtime/pprof"
)

// otherMode runs `gen OUTDIR crash` (a traceback on standard error) or `gen OUTDIR dumps`
// (the goroutine profile and its dumps only: the fixtures recorded with every Go release).
func otherMode(dir, mode string) {
	switch mode {
	case "crash":
		crashWithBlockedGoroutines()
	case "dumps":
		outDir = dir
		stop := parkGoroutines()
		saveProfile("goroutine.pb.gz", "goroutine", 0)
		saveProfile("goroutine_debug1.txt", "goroutine", 1)
		saveProfile("goroutine_debug2.txt", "goroutine", 2)
		close(stop)
	default:
		log.Fatalf("unknown mode %q (crash or dumps)", mode)
	}
}

// saveProfileIfAny writes a runtime profile this Go release has (goroutineleak: Go 1.26+).
func saveProfileIfAny(file, name string) {
	if pprof.Lookup(name) != nil {
		saveProfile(file, name, 0)
	}
}
