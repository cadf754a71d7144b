package ui

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// LimitCSR bounds a CSR file: real ones are a few KB.
const LimitCSR = 64 << 10

// ReadLimited reads an input the user named: "-" is standard input. Only
// a regular file is read — a FIFO, a device or a folder is refused at once
// (opened without blocking) — and nothing beyond limit bytes.
func ReadLimited(path string, stdin io.Reader, limit int64) ([]byte, error) {
	if path == "-" {
		data, err := io.ReadAll(io.LimitReader(stdin, limit+1))
		if err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("standard input holds more than %s, more than this input can be; nothing was read", size(limit))
		}
		return data, nil
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

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
