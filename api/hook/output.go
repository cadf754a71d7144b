package hook

import (
	"bytes"
	"fmt"
	"strings"
)

// Bounds on what is kept of a hook's output.
const (
	// LogLimit is the most kept for the log: the first half and the last
	// half of the output, what lies between counted and left out.
	LogLimit = 4 << 20
	// TailLines is how many of the last lines Tail gives for the screen.
	TailLines = 20
	// tailBytes bounds Tail: a last line of megabytes is cut.
	tailBytes = 4 << 10
)

// Output is a hook's output as it is kept: the first LogLimit/2 bytes and
// the last LogLimit/2, whatever it prints. exec writes to it from one
// goroutine at a time; read it once the hook has ended.
type Output struct {
	head  []byte
	tail  []byte // the bytes after head, the last half LogLimit of them at the end
	total int64
}

func newOutput() *Output { return &Output{} }

const half = LogLimit / 2

// Write keeps p within the bounds; it never fails, so a hook that prints
// megabytes is never stopped by a full pipe.
func (o *Output) Write(p []byte) (int, error) {
	n := len(p)
	o.total += int64(n)
	if room := half - len(o.head); room > 0 {
		k := min(room, len(p))
		o.head = append(o.head, p[:k]...)
		p = p[k:]
	}
	o.tail = append(o.tail, p...)
	if len(o.tail) > 2*half {
		// Keep the last half: memory stays within about 2×LogLimit.
		o.tail = append(o.tail[:0], o.tail[len(o.tail)-half:]...)
	}
	return n, nil
}

// Len is how many bytes the hook printed in all.
func (o *Output) Len() int64 { return o.total }

// kept is the tail's last half: what Log keeps of it.
func (o *Output) kept() []byte { return o.tail[max(0, len(o.tail)-half):] }

// Log is the output for the log: whole when it was at most LogLimit
// bytes, else its first and last halves with a line saying how much lies
// between.
func (o *Output) Log() []byte {
	tail := o.kept()
	left := o.total - int64(len(o.head)) - int64(len(tail))
	if left == 0 {
		return append(bytes.Clone(o.head), tail...)
	}
	mark := fmt.Sprintf("\n[… %d bytes left out …]\n", left)
	return append(append(bytes.Clone(o.head), mark...), tail...)
}

// Tail is the output's last TailLines lines for the screen — raw bytes
// from the hook: escape them (ui/safe) before printing — at most
// tailBytes of them, a cut line starting with "…".
func (o *Output) Tail() string {
	tail := o.kept()
	end := tail[max(0, len(tail)-tailBytes):]
	if need := tailBytes - len(end); need > 0 {
		end = append(bytes.Clone(o.head[max(0, len(o.head)-need):]), end...)
	}
	lines := strings.Split(strings.TrimRight(string(end), "\n"), "\n")
	switch {
	case len(lines) > TailLines:
		lines = lines[len(lines)-TailLines:]
	case int64(len(end)) < o.total:
		lines[0] = "…" + lines[0] // its start lies before what is kept
	}
	return strings.Join(lines, "\n")
}
