package main

import (
	"fmt"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api/sandbox"
	"github.com/certwiz/certwiz/ui/cli"
)

// These tests keep the docs in step with the code: the README's layout
// table and the ui/cli package comment.

// goPackage is one directory's package: its name and its doc comment.
type goPackage struct {
	name, doc string
}

// goPackages finds every directory under root with non-test .go files and
// reads their package clauses and doc comments (no go list: the parser
// alone). Hidden folders and node_modules are not the project's.
func goPackages(t *testing.T, root string) map[string]goPackage {
	t.Helper()
	pkgs := map[string]goPackage{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		files, err := filepath.Glob(filepath.Join(path, "*.go"))
		if err != nil {
			return err
		}
		var p goPackage
		var docs []string
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.PackageClauseOnly|parser.ParseComments)
			if err != nil {
				return fmt.Errorf("parse %s: %w", f, err)
			}
			if p.name != "" && p.name != af.Name.Name {
				return fmt.Errorf("%s: package %s beside package %s", f, af.Name.Name, p.name)
			}
			p.name = af.Name.Name
			if af.Doc != nil {
				docs = append(docs, filepath.Base(f))
				p.doc = af.Doc.Text()
			}
		}
		if p.name == "" {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if len(docs) != 1 {
			t.Errorf("package %s (%s) has a package doc comment in %d files %v: want exactly one", p.name, rel, len(docs), docs)
		}
		pkgs[rel] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// layoutTable reads the README's "## Layout" table: path to its package
// and owns cells.
func layoutTable(t *testing.T, readme string) map[string][2]string {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Layout\n")
	if !ok {
		t.Fatalf("%s has no ## Layout section", readme)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string][2]string{}
	header := false
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "|") || strings.Trim(line, "|- ") == "" {
			continue // not the table, or its |---| line
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 3 {
			t.Errorf("layout row %q: want 3 cells (path | package | owns), got %d", line, len(cells))
			continue
		}
		if !header {
			if cells[0] != "path" || cells[1] != "package" || cells[2] != "owns" {
				t.Errorf("layout header %q: want | path | package | owns |", line)
			}
			header = true
			continue
		}
		path := strings.Trim(cells[0], "`")
		if _, dup := rows[path]; dup {
			t.Errorf("layout: %s has two rows", path)
		}
		rows[path] = [2]string{strings.Trim(cells[1], "`"), cells[2]}
	}
	return rows
}

// TestReadmeLayoutNamesEveryPackage: the README's layout table has one row
// per Go package, naming it and saying what it owns in the words of its
// doc comment's first sentence.
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	pkgs := goPackages(t, ".")
	rows := layoutTable(t, "README.md")
	var paths []string
	for p := range pkgs {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, path := range paths {
		p := pkgs[path]
		want := [2]string{p.name, new(doc.Package).Synopsis(p.doc)}
		row, ok := rows[path]
		switch {
		case !ok:
			t.Errorf("README layout has no row for package %s; add:\n| `%s` | %s | %s |", p.name, path, want[0], want[1])
		case row != want:
			t.Errorf("README layout row for %s is\n| `%s` | %s | %s |\nwant\n| `%s` | %s | %s |", path, path, row[0], row[1], path, want[0], want[1])
		}
	}
	for path := range rows {
		if _, ok := pkgs[path]; !ok {
			t.Errorf("README layout has a row for %s, which holds no Go package", path)
		}
	}
}

// TestCLIDocNamesEveryCommand: ui/cli's package comment names every
// command the root command registers.
func TestCLIDocNamesEveryCommand(t *testing.T) {
	af, err := parser.ParseFile(token.NewFileSet(), filepath.Join("ui", "cli", "cli.go"), nil, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if af.Doc == nil {
		t.Fatal("ui/cli/cli.go has no package comment")
	}
	text := af.Doc.Text()
	cmds := newRootCmd(cli.IO{}).Commands()
	if len(cmds) == 0 {
		t.Fatal("the root command registers no commands")
	}
	for _, c := range cmds {
		if !regexp.MustCompile(`\b` + regexp.QuoteMeta(c.Name()) + `\b`).MatchString(text) {
			t.Errorf("ui/cli's package comment does not name the %q command:\n%s", c.Name(), text)
		}
	}
}

// The README's sandbox section names every action the sandbox serves, and
// says how many.
func TestReadmeNamesEverySandboxAction(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "### The sandbox")
	if start < 0 {
		t.Fatal("README has no sandbox section")
	}
	section := readme[start:]
	section = strings.Join(strings.Fields(section[:min(len(section), 3000)]), " ")
	for _, a := range sandbox.Actions {
		if !strings.Contains(section, "`"+a+"`") {
			t.Errorf("the sandbox section does not name %s", a)
		}
	}
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
		"fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "twenty-one", "twenty-two"}
	if n := len(sandbox.Actions); n >= len(words) || !strings.Contains(section, "imitates "+words[n]+" actions") {
		t.Errorf("the sandbox section does not say it imitates %d actions", n)
	}
}
