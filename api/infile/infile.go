// Package infile reads the files a user names, or standard input: only
// regular files, and never more than the input can hold.
package infile

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"
)

// LimitCSR bounds a CSR file: real ones are a few KB.
const LimitCSR = 64 << 10

// ReadLimited reads an input the user named: "-" is standard input (see
// ReadStdin). Only a regular file is read — a FIFO, a device or a folder
// is refused at once (opened without blocking) — and nothing beyond limit
// bytes.
func ReadLimited(ctx context.Context, path string, stdin io.Reader, limit int64) ([]byte, error) {
	if path == "-" {
		return ReadStdin(ctx, stdin, limit)
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (%s): give the path of a file", path, fi.Mode().Type())
	case fi.Size() > limit:
		return nil, fmt.Errorf("%s is %s, more than this input can be (%s)", path, size(fi.Size()), size(limit))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s grew beyond %s while being read", path, size(limit))
	}
	return data, nil
}

// ReadStdin reads standard input to its end, at most limit bytes (more is
// refused, never cut). The read runs beside the wait for ctx: a pipe that
// never closes (`tail -f /dev/null | certwiz …`) must not make SIGINT,
// SIGTERM or SIGHUP wait, so the error is then ctx's (context.Canceled)
// and the read left blocked is ended by the process's exit.
func ReadStdin(ctx context.Context, stdin io.Reader, limit int64) ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(stdin, limit+1))
		done <- read{data, err}
	}()
	var r read
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("read standard input: %w", ctx.Err())
	case r = <-done:
	}
	if r.err != nil {
		return nil, fmt.Errorf("read standard input: %w", r.err)
	}
	if int64(len(r.data)) > limit {
		return nil, fmt.Errorf("standard input holds more than %s, more than this input can be; nothing was read", size(limit))
	}
	return r.data, nil
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
