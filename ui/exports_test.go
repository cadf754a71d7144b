package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// allowedExports are package ui's exported names: the wizard's entry
// points. Services the commands share live beside the API (api/install,
// api/infile) or in small terminal packages (ui/termtext), never here.
var allowedExports = map[string]bool{"NewWizard": true, "Options": true, "Run": true, "RunAccessible": true, "Wizard": true}

// TestUIExportsOnlyTheWizard fails when a non-test file of package ui
// exports a top-level name (func, type, var or const) outside the list.
func TestUIExportsOnlyTheWizard(t *testing.T) {
	entries, err := os.ReadDir(pkgDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(pkgDir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		check := func(id *ast.Ident) {
			if id.IsExported() && !allowedExports[id.Name] {
				t.Errorf("%s: package ui exports %s: only the wizard's entry points belong here; move it to a package of its own", name, id.Name)
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					check(d.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						check(s.Name)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							check(n)
						}
					}
				}
			}
		}
	}
}
