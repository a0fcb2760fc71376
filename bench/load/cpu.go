package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// The machine is shared (2 cores, other work may run), so every cell also
// records where the CPU went: to the server, to this load generator, and
// to everything else. Server CPU per request is the figure least disturbed
// by other work.

// clockTick is USER_HZ, the unit of /proc CPU times, on Linux.
const clockTick = 100

// cpuSample is CPU time used so far, in seconds.
type cpuSample struct {
	at                  time.Time
	machine, proc, self float64
}

func sampleCPU(pid int) cpuSample {
	return cpuSample{at: time.Now(), machine: machineBusy(), proc: procCPU(strconv.Itoa(pid)), self: procCPU("self")}
}

// usage is the average number of cores each used between s and e.
type usage struct{ server, load, other float64 }

func (s cpuSample) to(e cpuSample) (usage, float64) {
	wall := e.at.Sub(s.at).Seconds()
	if wall <= 0 {
		return usage{}, 0
	}
	server, load := e.proc-s.proc, e.self-s.self
	other := (e.machine - s.machine) - server - load
	return usage{server / wall, load / wall, max(other, 0) / wall}, server
}

// machineBusy is the non-idle CPU time of all cores, from /proc/stat.
func machineBusy() float64 {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	busy := 0.0
	for i, v := range f[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is already in user
			break
		}
		n, _ := strconv.ParseFloat(v, 64)
		busy += n
	}
	return busy / clockTick
}

// procCPU is the user+system CPU time of a process ("self" or a pid).
func procCPU(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	// Fields after the command name, which is in parentheses and may hold spaces.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / clockTick
}

// loadAvg is the one-minute load average.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}
