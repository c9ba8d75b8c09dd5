// Command gen runs small Go workloads and writes real profiles and goroutine dumps of them,
// the test fixtures of flamegen. Usage: gen OUTDIR [crash | dumps]
//
// Every kind of input a Go user has is written: CPU (with pprof.Do labels), a heap pair taken
// at two times, allocs, block, mutex, threadcreate, goroutineleak, and a goroutine profile
// with its debug=1 and debug=2 text dumps of labelled goroutines blocked in many states. The
// code paths include deep recursion, generics, inlining, closures, methods and non-ASCII names.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var outDir string

// save writes one file of the output folder.
func save(name string, write func(io.Writer) error) {
	f, err := os.Create(filepath.Join(outDir, name))
	if err != nil {
		log.Fatal(err)
	}
	if err := write(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// saveProfile writes a named runtime profile at the given debug level.
func saveProfile(file, name string, debug int) {
	save(file, func(w io.Writer) error { return pprof.Lookup(name).WriteTo(w, debug) })
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: gen OUTDIR")
	}
	if len(os.Args) == 3 && os.Args[2] != "" {
		otherMode(os.Args[1], os.Args[2]) // crash, or dumps (modes.go)
		return
	}
	outDir = os.Args[1]
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	heapEarly()
	saveProfile("heap_early.pb.gz", "heap", 0)
	heapLate()
	saveProfile("heap_late.pb.gz", "heap", 0)
	saveProfile("heap_debug1.txt", "heap", 1)
	saveProfile("allocs.pb.gz", "allocs", 0)

	save("cpu.pb.gz", func(w io.Writer) error {
		if err := pprof.StartCPUProfile(w); err != nil {
			return err
		}
		cpuWorkload(2 * time.Second)
		pprof.StopCPUProfile()
		return nil
	})

	contention()
	saveProfile("block.pb.gz", "block", 0)
	saveProfile("mutex.pb.gz", "mutex", 0)
	saveProfile("threadcreate.pb.gz", "threadcreate", 0)

	stop := parkGoroutines()
	saveProfile("goroutine.pb.gz", "goroutine", 0)
	saveProfile("goroutine_debug1.txt", "goroutine", 1)
	saveProfile("goroutine_debug2.txt", "goroutine", 2)
	leakGoroutines()
	saveProfileIfAny("goroutineleak.pb.gz", "goroutineleak") // Go 1.26 and later
	close(stop)
}

// ---- CPU: labels, recursion, generics, inlining, closures, non-ASCII names ----

type number interface{ ~int | ~int64 | ~float64 }

// sumOf is generic: its frames are named sumOf[...].
func sumOf[T number](xs []T) T {
	var s T
	for _, x := range xs {
		s += mix(x)
	}
	return s
}

// mix is small enough to be inlined into sumOf.
func mix[T number](x T) T { return x*3 + 1 }

// fib recurses deeply.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// descend recurses to a fixed depth before working, for deep stacks.
func descend(depth int, work func()) {
	if depth == 0 {
		work()
		return
	}
	descend(depth-1, work)
}

type matrix struct{ cells []float64 }

// multiply is a method with a pointer receiver.
func (m *matrix) multiply(o *matrix, n int) float64 {
	var t float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			t += m.cells[i*n+j] * o.cells[j*n+i]
		}
	}
	return t
}

// größeBerechnen has a non-ASCII name.
func größeBerechnen(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += 计算(i)
	}
	return s
}

// 计算 has a CJK name.
//
//go:noinline
func 计算(i int) int { return (i * i) % 7 }

var sink any

func cpuWorkload(d time.Duration) {
	end := time.Now().Add(d)
	ints := make([]int, 4096)
	floats := make([]float64, 4096)
	for i := range ints {
		ints[i], floats[i] = i, float64(i)
	}
	m := &matrix{cells: floats[:64*64]}
	var wg sync.WaitGroup
	for time.Now().Before(end) {
		wg.Add(3)
		go pprof.Do(context.Background(), pprof.Labels("handler", "search", "tenant", "acme"), func(context.Context) {
			defer wg.Done()
			sink = fib(24)
			sink = sumOf(ints) + int(sumOf(floats))
		})
		go pprof.Do(context.Background(), pprof.Labels("handler", "index"), func(context.Context) {
			defer wg.Done()
			descend(60, func() { sink = m.multiply(m, 64) })
		})
		go func() {
			defer wg.Done()
			sink = größeBerechnen(200000)
		}()
		wg.Wait()
	}
}

// ---- heap ----

var leak = map[int][]byte{}

func retain(from, to, size int) {
	for i := from; i < to; i++ {
		leak[i] = make([]byte, size+i%256)
	}
}

func churn(rounds int) {
	for i := 0; i < rounds; i++ {
		sink = fmt.Sprintf("temporary %d", i)
	}
}

func heapEarly() {
	retain(0, 2000, 512)
	churn(20000)
	runtime.GC()
}

func heapLate() {
	retain(2000, 8000, 1024)
	churn(40000)
	runtime.GC()
}

// ---- block and mutex contention ----

func contention() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan int)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				mu.Lock()
				time.Sleep(20 * time.Microsecond)
				mu.Unlock()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 100; i++ {
			ch <- i
		}
		close(ch)
	}()
	for range ch {
		time.Sleep(50 * time.Microsecond)
	}
	wg.Wait()
}

// ---- goroutines blocked in many states, labelled ----

type parked struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	cond *sync.Cond
	wg   sync.WaitGroup
}

func labelled(state string, f func()) {
	go func() {
		pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("state", state, "pool", "fixtures")))
		f()
	}()
}

func waitOnChannel(ch chan int) { <-ch }
func sendOnChannel(ch chan int) { ch <- 1 }
func waitInSelect(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}
func waitForGroup(wg *sync.WaitGroup) { wg.Wait() }
func lockMutex(mu *sync.Mutex)        { mu.Lock(); mu.Unlock() }
func readLock(rw *sync.RWMutex)       { rw.RLock(); rw.RUnlock() }
func waitOnCond(c *sync.Cond)         { c.L.Lock(); c.Wait(); c.L.Unlock() }
func sleepLong()                      { time.Sleep(time.Hour) }
func acceptConn(l net.Listener) {
	c, err := l.Accept()
	if err == nil {
		c.Close()
	}
}

// parkGoroutines starts goroutines that block until stop is closed (or forever).
func parkGoroutines() chan struct{} {
	stop := make(chan struct{})
	p := &parked{}
	p.cond = sync.NewCond(&sync.Mutex{})
	p.wg.Add(1)
	p.mu.Lock()
	p.rw.Lock()
	recv, send := make(chan int), make(chan int)
	for i := 0; i < 5; i++ {
		labelled("recv", func() { waitOnChannel(recv) })
	}
	for i := 0; i < 3; i++ {
		labelled("send", func() { sendOnChannel(send) })
	}
	for i := 0; i < 4; i++ {
		labelled("select", func() { waitInSelect(recv, recv) })
	}
	labelled("waitgroup", func() { waitForGroup(&p.wg) })
	labelled("waitgroup", func() { waitForGroup(&p.wg) })
	for i := 0; i < 3; i++ {
		labelled("mutex", func() { lockMutex(&p.mu) })
	}
	labelled("rwmutex", func() { readLock(&p.rw) })
	labelled("cond", func() { waitOnCond(p.cond) })
	for i := 0; i < 2; i++ {
		labelled("sleep", sleepLong)
	}
	if l, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		labelled("io", func() { acceptConn(l) })
	}
	labelled("locked", func() { runtime.LockOSThread(); waitOnChannel(recv) })
	go func() {
		// A label that the runtime quotes in tracebacks.
		pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("request id", "a\"b c")))
		waitOnChannel(recv)
	}()
	go func() { select {} }() // unlabelled, blocked forever
	go func() { <-stop }()
	time.Sleep(200 * time.Millisecond)
	return stop
}

// leakGoroutines leaves goroutines blocked on channels nothing else can reach.
func leakGoroutines() {
	for i := 0; i < 3; i++ {
		go func() {
			ch := make(chan int)
			<-ch
		}()
	}
	runtime.GC()
	time.Sleep(100 * time.Millisecond)
}

// crashWithBlockedGoroutines panics with goroutines blocked in several states, so that the
// runtime prints a traceback with gp=/m= headers (GOTRACEBACK=system).
func crashWithBlockedGoroutines() {
	p := &parked{}
	p.wg.Add(1)
	recv := make(chan int)
	for i := 0; i < 3; i++ {
		go waitOnChannel(recv)
	}
	go waitForGroup(&p.wg)
	go sleepLong()
	time.Sleep(100 * time.Millisecond)
	panic("fixture crash")
}
