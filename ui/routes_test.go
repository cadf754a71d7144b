package ui

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/certwiz/certwiz/api"
)

// TestScreensAreBuiltByRoutes holds navigation in one place: a screen's
// constructor (a function returning a screen) is used only in routes.go,
// or by another constructor of the same screen (newDownloadPrompt opens
// newDownloadAt's screen with the default folder). A screen that built
// the next one itself would hide a step of the flow from the route switch;
// a route without its case there would panic when taken.
func TestScreensAreBuiltByRoutes(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	// Screen types: those whose Update answers with the next screen.
	screens := map[string]bool{"screen": true}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Update" || resultName(fn) != "screen" {
				continue
			}
			screens[typeName(fn.Recv.List[0].Type)] = true
		}
	}
	delete(screens, "routeScreen") // goTo's carrier of a route, never shown

	// Constructors: functions that return a screen, and the screen each returns.
	ctors := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name == "goTo" {
				continue
			}
			if r := resultName(fn); screens[r] {
				ctors[fn.Name.Name] = r
			}
		}
	}
	for _, want := range []string{"newStep", "newReviewAt", "newStart", "newChoice", "newErrorCard", "stepAt"} {
		if ctors[want] == "" {
			t.Fatalf("%s is not seen as a screen constructor (found %v): the test has lost its way", want, ctors)
		}
	}

	var bad []string
	for _, f := range files {
		file := fset.Position(f.Pos()).Filename
		if file == "routes.go" {
			continue
		}
		for _, d := range f.Decls {
			var body ast.Node = d // a package-level var
			in := ""
			if fn, ok := d.(*ast.FuncDecl); ok {
				body, in = fn.Body, fn.Name.Name
				if fn.Recv != nil {
					in = "method " + in // never a constructor
				}
			}
			ast.Inspect(body, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok || ctors[id.Name] == "" {
					return true
				}
				if ctors[in] == ctors[id.Name] {
					return true // a constructor opening its own screen another way
				}
				bad = append(bad, fset.Position(id.Pos()).String()+": "+id.Name+" in "+in)
				return true
			})
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s: return goTo(route) and build the screen in routes.go's screenFor", b)
	}

	// Every route has its case in screenFor (else the wizard panics there).
	routes, cases := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil {
				continue
			}
			switch fn.Name.Name {
			case "isRoute":
				routes[typeName(fn.Recv.List[0].Type)] = true
			case "screenFor":
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					if c, ok := n.(*ast.CaseClause); ok {
						for _, e := range c.List {
							cases[typeName(e)] = true
						}
					}
					return true
				})
			}
		}
	}
	if len(routes) < 10 {
		t.Fatalf("only %d routes found: the test has lost its way", len(routes))
	}
	for r := range routes {
		if !cases[r] {
			t.Errorf("route %s has no case in screenFor", r)
		}
	}
}

// resultName is the type a function returns first, without its pointer.
func resultName(fn *ast.FuncDecl) string {
	if fn.Type.Results == nil || len(fn.Type.Results.List) == 0 {
		return ""
	}
	return typeName(fn.Type.Results.List[0].Type)
}

func typeName(e ast.Expr) string {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// accessibleWalk answers accessible mode's questions from the start menu
// to review, for a draft of certificate id.
func accessibleWalk(id string) []string {
	return []string{"1", id, "1", "", "www.example.com", "example.com", "",
		"Acme Co", "IT", "1 Road", "cn", "Guangdong", "Shenzhen", "", "0755", "86013388",
		"Lei", "Li", "12345678901", "admin@example.com", "CTO", "y", "2"}
}

// Accessible mode follows the wizard's routes after review: a refused
// submission offers the error's actions, retry sends again, review comes
// back, and an edit from review returns to review.
func TestAccessibleRoutesAfterReview(t *testing.T) {
	f := newFixture(t, api.English)
	// submit, retry, back to review, edit step 4 ("<" leaves it as typed), save and quit
	in := append(accessibleWalk("testCANetworkError"), "1", "1", "2", "2", "4", "<", "3")
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(strings.Join(in, "\n")+"\n"), &out)
	text := out.String()
	if err != nil || code != 0 {
		t.Fatalf("code %d err %v\n%s", code, err, text)
	}
	for want, n := range map[string]int{"Submitting to ": 2, "(attempt 2)": 1, "== Review ==": 3, "== Step 4 of 8 Organization ==": 2, "Saved as www.example.com": 1} {
		if got := strings.Count(text, want); got != n {
			t.Errorf("%q %d times, want %d:\n%s", want, got, n, text)
		}
	}
	if strings.Index(text, "(attempt 2)") > strings.LastIndex(text, "== Step 4 of 8") {
		t.Errorf("the retry came after the edit:\n%s", text)
	}
}

// After a stored submission the order of the wizard holds: the result,
// the question before sending, the commit; a refusal worth retrying asks
// again, and "not now" leaves with the command that sends it.
func TestAccessibleRoutesAfterSubmit(t *testing.T) {
	f := newFixture(t, api.English)
	in := append(accessibleWalk("testCommitNetworkError"), "1", "y", "y", "")
	var out bytes.Buffer
	code, err := RunAccessible(t.Context(), f.opts, strings.NewReader(strings.Join(in, "\n")+"\n"), &out)
	text := out.String()
	if err != nil || code != 0 {
		t.Fatalf("code %d err %v\n%s", code, err, text)
	}
	order := []string{"Information stored by the sandbox", "The order is not with the CA yet: nothing happens",
		"Send certificate testCommitNetworkError", "Sending the order to the CA", "The CA is busy",
		"Send certificate testCommitNetworkError", "Sending the order to the CA", "The CA is busy",
		"Send certificate testCommitNetworkError", "certwiz commit testCommitNetworkError"}
	rest := text
	for _, want := range order {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("%q missing, or out of order, in:\n%s", want, text)
		}
		rest = rest[i+len(want):]
	}
	if strings.Contains(rest, "Sending the order") {
		t.Errorf("sent a third time:\n%s", text)
	}
}
