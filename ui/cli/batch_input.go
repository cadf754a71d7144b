package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/certwiz/certwiz/api"
)

// batchRow is one CSV row: its line in the file and its parameters.
type batchRow struct {
	Row  int // 1 = the first data row
	Line int
	Req  api.Request
}

// readBatch reads a CSV whose header names API parameters; DomainList
// cells separate names with ';'. Empty cells inherit from the template.
// Like every file input it is a regular file (or standard input) of at
// most limitBatch bytes: a FIFO, a device or a folder is refused at once.
func readBatch(ctx context.Context, path string, stdin io.Reader) ([]batchRow, error) {
	data, err := readLimited(ctx, path, stdin, limitBatch)
	if err != nil {
		return nil, fmt.Errorf("read batch %s: %w", path, err)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("batch %s: read the header: %w", path, err)
	}
	for i, name := range header {
		name = strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")) // a BOM from spreadsheet exports
		header[i] = name
		if _, ok := api.Lookup(name); !ok {
			return nil, fmt.Errorf("batch %s: column %d: %w", path, i+1, &api.UnknownParamError{Name: name, Suggest: api.Suggest(name)})
		}
	}
	var rows []batchRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("batch %s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		row := batchRow{Row: len(rows) + 1, Line: line}
		for i, cell := range rec {
			if cell = strings.TrimSpace(cell); cell == "" {
				continue
			}
			if header[i] == "DomainList" {
				cell = strings.ReplaceAll(cell, ";", ",")
			}
			_ = row.Req.Set(header[i], cell)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("batch %s has a header but no rows", path)
	}
	return rows, nil
}
