package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// Commands share one *Globals (the flags every command takes): no command
// writes to it, so each run is its options and its IO, and a test can call
// a run function with fake IO without cobra. What a command learns while
// it runs (the sandbox's servers) travels in what connect returns.
func TestNoCommandWritesTheGlobals(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return true
			}
			for _, lhs := range as.Lhs {
				sel, ok := lhs.(*ast.SelectorExpr)
				if !ok {
					continue
				}
				// g.X = … or o.Globals.X = … (a command's own options are its own)
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == "g" {
					t.Errorf("%s: a command writes Globals.%s", fset.Position(as.Pos()), sel.Sel.Name)
				}
				if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "Globals" {
					t.Errorf("%s: a command writes Globals.%s", fset.Position(as.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
