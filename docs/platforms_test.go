package docs

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSkippedOnWindows checks the list of tests skipped on Windows, in
// platforms.md and its translation, against the tests themselves: every
// skip that Windows reaches and Linux does not must be on it, with the
// reason the test prints, word for word, and the tests that reach it; and
// nothing else. A skip that every system may reach (a tool that is not
// installed) is not on it.
//
// It reads the Go source, it does not run it: a skip is Windows' when the
// file it is in builds for Windows and not for Linux, or when the
// conditions of the if and switch statements around it that compare
// runtime.GOOS with a name are true for Windows and false for Linux. A
// skip in a helper is reached by the tests that call the helper, directly
// or through other helpers, unless a skip that Windows always takes comes
// first in the same block.
func TestSkippedOnWindows(t *testing.T) {
	code := windowsSkips(t, root)
	require.NotEmpty(t, code, "no skip for Windows found in the tests: the search is broken")
	for _, name := range []string{"docs/platforms.md", "docs/zh-CN/platforms.md"} {
		t.Run(name, func(t *testing.T) {
			listed := skipList(t, name)
			for reason, tests := range code {
				if got, ok := listed[reason]; !ok {
					t.Errorf("%s does not list the tests skipped on Windows with the reason\n\t%s\nwhich are: %s", name, reason, formatTests(tests))
				} else {
					assert.Equal(t, formatTests(tests), formatTests(got), "%s: the tests skipped on Windows with the reason below are not those listed (expected: the tests', actual: the page's)\n\t%s", name, reason)
				}
			}
			for reason := range listed {
				_, ok := code[reason]
				assert.True(t, ok, "%s lists a reason that no test gives on Windows:\n\t%s", name, reason)
			}
		})
	}
}

// The search for skips, tried on code made for it: every kind of condition
// it reads, a helper in a file for Windows only, and skips it must leave
// out.
func TestSkipSearch(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a/a_test.go": `package a

import (
	"runtime"
	"testing"
)

func TestIf(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("if windows")
	}
}

func TestNotLinux(t *testing.T) {
	if !(runtime.GOOS == "linux") && "linux" != runtime.GOOS && !missing() {
		t.Skip("not linux, and " + "joined")
	}
}

func TestOr(t *testing.T) {
	if runtime.GOOS == "darwin" || (runtime.GOOS == "windows") {
		t.Skipf("darwin or %s", "windows")
	}
}

func TestElse(t *testing.T) {
	if runtime.GOOS == "linux" {
		return
	} else {
		t.Run("sub", func(t *testing.T) { t.Skip("else of linux") })
	}
}

func TestSwitch(t *testing.T) {
	switch runtime.GOOS {
	case "linux":
	case "darwin", "windows":
		t.Skip("case windows")
	}
	switch runtime.GOOS {
	case "linux":
	default:
		t.Skip("default")
	}
	switch runtime.GOOS {
	case "windows":
	default:
		t.Skip("default but not windows")
	}
}

func TestEverywhere(t *testing.T) {
	if missing() {
		t.Skip("a tool is missing")
	}
	if runtime.GOOS == "linux" || missing() {
		t.Skip("linux, or a tool is missing")
	}
}

func TestHelper(t *testing.T) {
	helper(t)
}

func TestMethod(t *testing.T) {
	var x h
	x.method(t)
}

func TestPruned(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("first")
	}
	helper(t)
}

func missing() bool { return false }
`,
		"a/helper_windows.go": `package a

import "testing"

func helper(t testing.TB) { t.Skip("in a file for Windows") }

type h struct{}

func (*h) method(t testing.TB) {
	t.Helper()
	t.Skip("in a method for Windows")
}
`,
		"a/helper_other.go": `//go:build !windows

package a

import "testing"

func helper(testing.TB) {}

type h struct{}

func (*h) method(testing.TB) {}
`,
		"a/a_linux_test.go": `package a

import (
	"runtime"
	"testing"
)

func TestLinuxFile(t *testing.T) { t.Skip("a file for Linux") }

func TestDeadCode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("never run: a file for Linux")
	}
}
`,
	}
	for name, text := range files {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(text), 0o644))
	}
	got := map[string]string{}
	for reason, tests := range windowsSkips(t, dir) {
		got[reason] = formatTests(tests)
	}
	assert.Equal(t, map[string]string{
		"if windows":              "a TestIf",
		"not linux, and joined":   "a TestNotLinux",
		"darwin or %s":            "a TestOr",
		"else of linux":           "a TestElse",
		"case windows":            "a TestSwitch",
		"default":                 "a TestSwitch",
		"in a file for Windows":   "a TestHelper",
		"in a method for Windows": "a TestMethod",
		"first":                   "a TestPruned",
	}, got)
}

// skipListMarker is the comment on the line above the table of the tests
// skipped on Windows. The table's rows are
//
//	| what | `pkg`: `TestA`, `TestB`; `pkg2`: `TestC` | `the reason the test prints` |
const skipListMarker = "<!-- skipped on Windows -->"

// skipList reads the table of tests skipped on Windows on the page at name:
// for each reason, the tests ("pkg TestName") that give it.
func skipList(t *testing.T, name string) map[string]map[string]bool {
	t.Helper()
	lines := strings.Split(readFile(t, name), "\n")
	start := -1
	for i, line := range lines {
		if line == skipListMarker {
			start = i + 3 // the header row and its separator
		}
	}
	require.True(t, start > 0 && start < len(lines), "%s: no %s followed by a table", name, skipListMarker)
	list := map[string]map[string]bool{}
	for i := start; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
		cells := strings.Split(strings.Trim(lines[i], "| "), " | ")
		if !assert.Len(t, cells, 3, "%s:%d: a row of three cells: what, the tests, the reason", name, i+1) {
			continue
		}
		reason, ok := codeSpan(cells[2])
		if !assert.True(t, ok, "%s:%d: the reason must be the test's words in one code span: %s", name, i+1, cells[2]) {
			continue
		}
		_, dup := list[reason]
		assert.False(t, dup, "%s:%d: the reason is on another row too", name, i+1)
		list[reason] = map[string]bool{}
		for _, group := range strings.Split(cells[1], "; ") {
			pkg, names, ok := strings.Cut(group, ": ")
			pkg, okPkg := codeSpan(pkg)
			if !assert.True(t, ok && okPkg, "%s:%d: tests are listed as `pkg`: `TestA`, `TestB`; `pkg2`: `TestC`, not %q", name, i+1, group) {
				continue
			}
			for _, test := range strings.Split(names, ", ") {
				test, ok := codeSpan(test)
				assert.True(t, ok, "%s:%d: a test's name in a code span, not %q", name, i+1, test)
				list[reason][pkg+" "+test] = true
			}
		}
	}
	return list
}

// codeSpan returns the text of s if s is one Markdown code span: `text`,
// or “ text “ with double backticks when text has a backtick.
func codeSpan(s string) (string, bool) {
	s = strings.TrimSpace(s)
	ticks := len(s) - len(strings.TrimLeft(s, "`"))
	fence := strings.Repeat("`", ticks)
	if ticks == 0 || len(s) < 2*ticks+1 || !strings.HasSuffix(s, fence) {
		return "", false
	}
	inner := s[ticks : len(s)-ticks]
	if strings.HasPrefix(inner, " ") && strings.HasSuffix(inner, " ") && strings.TrimSpace(inner) != "" {
		inner = inner[1 : len(inner)-1]
	}
	return inner, true
}

func formatTests(tests map[string]bool) string {
	var out []string
	for test := range tests {
		out = append(out, test)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// goFile is a Go source file of the module, parsed.
type goFile struct {
	path       string // from the root, with forward slashes
	dir        string // its package's folder, from the root
	ast        *ast.File
	onWindows  bool // it builds for Windows
	onLinux    bool // it builds for Linux
	isTestFile bool
}

// source is the module's Go code.
type source struct {
	fset  *token.FileSet
	files []*goFile
	funcs map[string][]funcDecl // by name
}

type funcDecl struct {
	file *goFile
	decl *ast.FuncDecl
}

// loadSource parses every Go file under dir but those in testdata.
func loadSource(t *testing.T, dir string) *source {
	t.Helper()
	s := &source{fset: token.NewFileSet(), funcs: map[string][]funcDecl{}}
	contexts := map[string]build.Context{}
	for _, goos := range []string{"windows", "linux"} {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = goos, "amd64", false
		contexts[goos] = ctx
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		f := &goFile{path: filepath.ToSlash(rel), dir: filepath.ToSlash(filepath.Dir(rel)), isTestFile: strings.HasSuffix(p, "_test.go")}
		win, linux := contexts["windows"], contexts["linux"]
		if f.onWindows, err = win.MatchFile(filepath.Dir(p), d.Name()); err != nil {
			return err
		}
		if f.onLinux, err = linux.MatchFile(filepath.Dir(p), d.Name()); err != nil {
			return err
		}
		if f.ast, err = parser.ParseFile(s.fset, p, nil, 0); err != nil {
			return err
		}
		s.files = append(s.files, f)
		for _, decl := range f.ast.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok {
				s.funcs[fd.Name.Name] = append(s.funcs[fd.Name.Name], funcDecl{f, fd})
			}
		}
		return nil
	})
	require.NoError(t, err)
	return s
}

// windowsSkips finds the skips that Windows reaches and Linux does not in
// the Go code under dir, and returns the tests that reach each, by the
// reason they print.
func windowsSkips(t *testing.T, dir string) map[string]map[string]bool {
	t.Helper()
	s := loadSource(t, dir)
	skips := map[string]map[string]bool{}
	for _, f := range s.files {
		walkStacks(f.ast, func(stack []ast.Node) {
			call, ok := stack[len(stack)-1].(*ast.CallExpr)
			if !ok || !isSkip(call) {
				return
			}
			if s.reachable(f, stack, "linux") {
				return // not Windows', or every system's
			}
			if !s.reachable(f, stack, "windows") {
				return
			}
			reason, ok := skipReason(call)
			if !ok {
				t.Errorf("%s: a skip whose reason is not a string literal: the list cannot show it", s.fset.Position(call.Pos()))
				return
			}
			tests := map[string]bool{}
			s.testsReaching(f, stack, tests, map[*ast.FuncDecl]bool{})
			if len(tests) == 0 {
				return // no test reaches it on Windows
			}
			if skips[reason] == nil {
				skips[reason] = map[string]bool{}
			}
			for test := range tests {
				skips[reason][test] = true
			}
		})
	}
	return skips
}

// walkStacks calls visit for every node of f, with the path from f down
// to the node, the node last.
func walkStacks(f *ast.File, visit func(stack []ast.Node)) {
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		visit(stack)
		return true
	})
}

// isSkip reports whether call is t.Skip, t.Skipf or t.SkipNow.
func isSkip(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "Skip" || sel.Sel.Name == "Skipf" || sel.Sel.Name == "SkipNow")
}

// skipReason returns what a skip prints: its first argument, a string
// literal or a sum of them (Skipf's format as it is).
func skipReason(call *ast.CallExpr) (string, bool) {
	if len(call.Args) == 0 {
		return "", true
	}
	return stringLiteral(call.Args[0])
}

func stringLiteral(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			x, okX := stringLiteral(e.X)
			y, okY := stringLiteral(e.Y)
			return x + y, okX && okY
		}
	case *ast.ParenExpr:
		return stringLiteral(e.X)
	}
	return "", false
}

// reachable reports whether the node at the top of stack, in f, may run on
// goos: f builds there, no if or switch around it rules goos out, and (on
// Windows only, where it matters) no skip that Windows always takes comes
// before it in a block around it.
func (s *source) reachable(f *goFile, stack []ast.Node, goos string) bool {
	if goos == "windows" && !f.onWindows || goos == "linux" && !f.onLinux {
		return false
	}
	for i := 1; i < len(stack); i++ {
		parent, child := stack[i-1], stack[i]
		switch p := parent.(type) {
		case *ast.IfStmt:
			value, known := goosCondition(p.Cond, goos)
			if known && (child == p.Body && !value || child == p.Else && value) {
				return false
			}
		case *ast.CaseClause:
			if i >= 3 {
				if sw, ok := stack[i-3].(*ast.SwitchStmt); ok && isGOOS(sw.Tag) && !caseMatches(sw, p, goos) {
					return false
				}
			}
			if goos == "windows" && s.skippedBefore(f, p.Body, child) {
				return false
			}
		case *ast.BlockStmt:
			if goos == "windows" && s.skippedBefore(f, p.List, child) {
				return false
			}
		}
	}
	return true
}

// skippedBefore reports whether a statement of list before stmt always
// skips on Windows.
func (s *source) skippedBefore(f *goFile, list []ast.Stmt, stmt ast.Node) bool {
	for _, st := range list {
		if st == stmt {
			return false
		}
		if s.alwaysSkipsOnWindows(f, st, map[*ast.FuncDecl]bool{}) {
			return true
		}
	}
	return false
}

// alwaysSkipsOnWindows reports whether st skips the test whenever it runs
// on Windows: a skip; an if whose condition is true on Windows, around one;
// or a call of a helper whose body has such a statement at its top level.
func (s *source) alwaysSkipsOnWindows(f *goFile, st ast.Stmt, seen map[*ast.FuncDecl]bool) bool {
	switch st := st.(type) {
	case *ast.ExprStmt:
		call, ok := st.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		if isSkip(call) {
			return true
		}
		n := 0
		for _, fd := range s.callees(f, call) {
			if !fd.file.onWindows {
				continue
			}
			n++
			if seen[fd.decl] {
				return false
			}
			seen[fd.decl] = true
			skips := false
			for _, inner := range fd.decl.Body.List {
				skips = skips || s.alwaysSkipsOnWindows(fd.file, inner, seen)
			}
			if !skips {
				return false
			}
		}
		return n > 0
	case *ast.IfStmt:
		value, known := goosCondition(st.Cond, "windows")
		if !known || !value {
			return false
		}
		for _, inner := range st.Body.List {
			if s.alwaysSkipsOnWindows(f, inner, seen) {
				return true
			}
		}
	}
	return false
}

// callees returns the functions of the module that call, in g, may call,
// found without types: those of the same name that take that many
// arguments, in g's package or, if exported, in a package g imports; a
// function of another package is called through its package's name.
func (s *source) callees(g *goFile, call *ast.CallExpr) []funcDecl {
	var name string
	var pkg *ast.Ident // the package's name in pkg.Func
	switch fun := call.Fun.(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
		pkg, _ = fun.X.(*ast.Ident)
	default:
		return nil
	}
	var out []funcDecl
	for _, fd := range s.funcs[name] {
		method := fd.decl.Recv != nil
		samePkg := fd.file.dir == g.dir
		switch {
		case !takes(fd.decl, len(call.Args)):
		case samePkg && (method || pkg == nil):
			out = append(out, fd)
		case !samePkg && fd.decl.Name.IsExported() && imports(g, fd.file.dir) &&
			(method || pkg != nil && pkg.Name == fd.file.ast.Name.Name):
			out = append(out, fd)
		}
	}
	return out
}

// takes reports whether fd may be called with n arguments.
func takes(fd *ast.FuncDecl, n int) bool {
	params := fd.Type.Params.List
	want := fd.Type.Params.NumFields()
	if len(params) > 0 {
		if _, variadic := params[len(params)-1].Type.(*ast.Ellipsis); variadic {
			return n >= want-1
		}
	}
	return n == want
}

// imports reports whether g imports the module's package in folder dir.
func imports(g *goFile, dir string) bool {
	for _, imp := range g.ast.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil && strings.HasSuffix(p, "/"+dir) {
			return true
		}
	}
	return false
}

var testFuncRE = regexp.MustCompile(`^(Test|Fuzz|Benchmark)([A-Z_]|$)`)

// testsReaching adds to tests the tests ("pkg TestName") that reach the
// node at the top of stack, in f, on Windows: the test it is in, or the
// tests that call the function it is in.
func (s *source) testsReaching(f *goFile, stack []ast.Node, tests map[string]bool, seen map[*ast.FuncDecl]bool) {
	if !s.reachable(f, stack, "windows") || len(stack) < 2 {
		return
	}
	fd, ok := stack[1].(*ast.FuncDecl)
	if !ok || seen[fd] {
		return
	}
	if f.isTestFile && fd.Recv == nil && testFuncRE.MatchString(fd.Name.Name) {
		tests[f.dir+" "+fd.Name.Name] = true
		return
	}
	seen[fd] = true
	for _, g := range s.files {
		walkStacks(g.ast, func(callStack []ast.Node) {
			call, ok := callStack[len(callStack)-1].(*ast.CallExpr)
			if !ok || !s.mayCall(g, call, fd) {
				return
			}
			s.testsReaching(g, callStack, tests, seen)
		})
	}
}

// mayCall reports whether call, in g, may call fd.
func (s *source) mayCall(g *goFile, call *ast.CallExpr, fd *ast.FuncDecl) bool {
	for _, c := range s.callees(g, call) {
		if c.decl == fd {
			return true
		}
	}
	return false
}

// goosCondition evaluates cond for GOOS goos, where it can: comparisons
// of runtime.GOOS with a string, joined by &&, || and !.
func goosCondition(cond ast.Expr, goos string) (value, known bool) {
	switch e := cond.(type) {
	case *ast.ParenExpr:
		return goosCondition(e.X, goos)
	case *ast.UnaryExpr:
		if e.Op == token.NOT {
			v, k := goosCondition(e.X, goos)
			return !v, k
		}
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND, token.LOR:
			x, kx := goosCondition(e.X, goos)
			y, ky := goosCondition(e.Y, goos)
			decisive := e.Op == token.LOR // true decides ||, false decides &&
			if kx && x == decisive || ky && y == decisive {
				return decisive, true
			}
			return !decisive, kx && ky
		case token.EQL, token.NEQ:
			name, ok := stringLiteral(e.Y)
			if !isGOOS(e.X) || !ok {
				name, ok = stringLiteral(e.X)
				if !isGOOS(e.Y) || !ok {
					return false, false
				}
			}
			return (goos == name) == (e.Op == token.EQL), true
		}
	}
	return false, false
}

func isGOOS(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "runtime" && sel.Sel.Name == "GOOS"
}

// caseMatches reports whether clause of a switch on runtime.GOOS runs for
// goos.
func caseMatches(sw *ast.SwitchStmt, clause *ast.CaseClause, goos string) bool {
	if clause.List != nil {
		for _, e := range clause.List {
			if name, ok := stringLiteral(e); ok && name == goos {
				return true
			}
		}
		return false
	}
	for _, st := range sw.Body.List { // default: no other case names goos
		if cc, ok := st.(*ast.CaseClause); ok && cc.List != nil && caseMatches(sw, cc, goos) {
			return false
		}
	}
	return true
}
