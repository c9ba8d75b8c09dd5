// Command gentrace records Go execution traces of three small programs for flamegen's tests:
//
//	gentrace http OUT      HTTP server and clients on loopback
//	gentrace gc OUT        an allocator that keeps the garbage collector busy
//	gentrace pipeline OUT  a channel/mutex pipeline that also makes syscalls
//	gentrace busy OUT MB   all three, over and over, until the trace holds MB megabytes
//	gentrace flight OUT    a FlightRecorder snapshot taken after the pipeline
//	gentrace cpu OUT       CPU-bound work traced while a CPU profile runs, so the trace
//	                       holds CPU samples (a second of them)
//	gentrace profiled OUT  the same, the CPU profile started before the trace
//
// Each program marks its work with user tasks and regions (runtime/trace).
package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"sync"
	"time"
)

func main() {
	if len(os.Args) != 3 && !(len(os.Args) == 4 && os.Args[1] == "busy") {
		fmt.Fprintln(os.Stderr, "usage: gentrace http|gc|pipeline OUT | gentrace busy OUT MB")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	defer out.Close()
	if os.Args[1] == "flight" {
		flightRecording(out)
		return
	}
	if os.Args[1] == "profiled" {
		// A CPU profile runs from before the trace: its reader goroutine is already in a
		// syscall when the trace begins, and leaves it while the trace runs.
		if err := pprof.StartCPUProfile(io.Discard); err != nil {
			panic(err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if err := trace.Start(out); err != nil {
		panic(err)
	}
	switch os.Args[1] {
	case "profiled":
		cpuWork()
		// The profile stops while every P is busy: its reader leaves the syscall it has been
		// in since before the trace, and waits for a P before it first runs in the trace.
		stop := make(chan struct{})
		for i := 1; i < runtime.GOMAXPROCS(0); i++ {
			go func() {
				for {
					select {
					case <-stop:
						return
					default:
						hashFor(time.Millisecond)
					}
				}
			}()
		}
		time.Sleep(time.Millisecond)
		pprof.StopCPUProfile()
		hashFor(50 * time.Millisecond)
		close(stop)
	case "cpu":
		// The runtime writes each CPU sample into the trace while a CPU profile runs.
		if err := pprof.StartCPUProfile(io.Discard); err != nil {
			panic(err)
		}
		cpuWork()
		pprof.StopCPUProfile()
	case "http":
		httpLoad()
	case "gc":
		gcChurn()
	case "pipeline":
		pipeline()
	case "busy":
		var mb int64
		fmt.Sscan(os.Args[3], &mb)
		for {
			if info, err := out.Stat(); err == nil && info.Size() >= mb<<20 {
				break
			}
			var wg sync.WaitGroup
			for _, work := range []func(){httpLoad, gcChurn, pipeline} {
				wg.Add(1)
				go func() { defer wg.Done(); work() }()
			}
			wg.Wait()
		}
	default:
		panic("unknown program " + os.Args[1])
	}
	trace.Stop()
}

// httpLoad serves a handler on loopback and calls it from a few clients.
func httpLoad() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, task := trace.NewTask(r.Context(), "handle")
		defer task.End()
		trace.WithRegion(ctx, "render", func() {
			buf := make([]byte, 0, 4096)
			for i := 0; i < 200; i++ {
				buf = fmt.Appendf(buf, "line %d\n", i)
			}
			w.Write(buf)
		})
	})}
	go srv.Serve(ln)
	url := "http://" + ln.Addr().String() + "/"
	var wg sync.WaitGroup
	for c := 0; c < 4; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{}
			for i := 0; i < 25; i++ {
				ctx, task := trace.NewTask(context.Background(), "request")
				trace.WithRegion(ctx, "get", func() {
					resp, err := client.Get(url)
					if err != nil {
						panic(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				})
				task.End()
			}
		}()
	}
	wg.Wait()
	srv.Close()
}

var sink [][]byte

// gcChurn allocates many short-lived and some long-lived buffers.
func gcChurn() {
	ctx, task := trace.NewTask(context.Background(), "churn")
	defer task.End()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for round := 0; round < 6; round++ {
				trace.WithRegion(ctx, "allocate", func() {
					var keep [][]byte
					for i := 0; i < 2000; i++ {
						b := make([]byte, 1024+i%4096)
						b[0] = byte(i)
						if i%50 == 0 {
							keep = append(keep, b)
						}
					}
					sink = append(sink[:0], keep...)
				})
			}
		}(w)
	}
	wg.Wait()
}

// pipeline passes items through channels, contends on a mutex and writes to a file.
func pipeline() {
	ctx, task := trace.NewTask(context.Background(), "pipeline")
	defer task.End()
	f, err := os.CreateTemp("", "gentrace-*")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	items := make(chan int)
	results := make(chan int, 4)
	var mu sync.Mutex
	total := 0
	var workers sync.WaitGroup
	for w := 0; w < 3; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for it := range items {
				trace.WithRegion(ctx, "work", func() {
					mu.Lock()
					total += it
					time.Sleep(50 * time.Microsecond)
					mu.Unlock()
				})
				results <- it
			}
		}()
	}
	done := make(chan bool)
	go func() {
		for r := range results {
			trace.WithRegion(ctx, "write", func() {
				fmt.Fprintf(f, "%d\n", r)
				f.Sync()
			})
		}
		done <- true
	}()
	for i := 0; i < 300; i++ {
		items <- i
	}
	close(items)
	workers.Wait()
	close(results)
	<-done
}

// cpuWork keeps two goroutines on the CPU for about a second, in phases that change over
// time (hashing, then sorting, then both), so a flame chart of the samples shows the phases.
func cpuWork() {
	ctx, task := trace.NewTask(context.Background(), "cpu")
	defer task.End()
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trace.WithRegion(ctx, "hash", func() { hashFor(300 * time.Millisecond) })
			trace.WithRegion(ctx, "sort", func() { sortFor(300 * time.Millisecond) })
			trace.WithRegion(ctx, "both", func() {
				deadline := time.Now().Add(300 * time.Millisecond)
				for time.Now().Before(deadline) {
					hashFor(5 * time.Millisecond)
					sortFor(5 * time.Millisecond)
				}
			})
		}()
	}
	wg.Wait()
}

var cpuSink byte

func hashFor(d time.Duration) {
	buf := make([]byte, 4096)
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		for i := 0; i < 64; i++ {
			sum := sha256.Sum256(buf)
			buf[i] = sum[0]
		}
	}
	cpuSink = buf[0]
}

func sortFor(d time.Duration) {
	values := make([]int, 2048)
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		for i := range values {
			values[i] = (i * 7919) % 2048
		}
		sort.Ints(values)
	}
	cpuSink = byte(values[0])
}
