package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socketcourse/internal/tcptest"
)

// The shape of -json's document is pinned: every key, where it is and
// what type its value has, from the types that make it. A change to the
// shape changes testdata/json-shape.golden, which docs/check.md shows, and
// is made on purpose, with -update and a new format number. Real
// documents of the mode check have that shape exactly: every key there,
// no other, each of its type (the ladder's and the class's tests check
// theirs).
func TestJSONShape(t *testing.T) {
	t.Parallel()
	var lines []string
	shapeOf(reflect.TypeOf(jsonDoc{}), "", map[reflect.Type]string{}, &lines)
	tcptest.Golden(t, "json-shape.golden", strings.Join(lines, "\n")+"\n")

	exe := build(t, "05-loop")
	sequential := buildMutant(t, "sequential", "06-goroutines", noGo)
	docs := concurrently([]string{"meets", "fails", "cannot-start", "usage"}, func(k string) report {
		args := map[string][]string{
			"meets":        {"-json", "-stage", "05-loop", "--", exe, "-addr", "127.0.0.1:{port}"},
			"fails":        {"-json", "-stage", "06-goroutines", "--", sequential, "-addr", "127.0.0.1:{port}"},
			"cannot-start": {"-json", "--", "./no-such-server", "{port}"},
			"usage":        {"-json", "-stage", "5", "--", exe},
		}[k]
		return runArgs(args...)
	})
	for k, r := range docs {
		t.Run(k+": one document of the shape, on stdout only", func(t *testing.T) {
			assert.Empty(t, r.stderr)
			var doc any
			require.NoError(t, json.Unmarshal([]byte(r.text), &doc), r.text)
			conforms(t, doc, reflect.TypeOf(jsonDoc{}), "")
			assert.Equal(t, float64(r.code), doc.(map[string]any)["exit"])
		})
	}

	t.Run("what the report says, the document says", func(t *testing.T) {
		failsDocument(t, docs["fails"])
	})
	t.Run("a program that cannot start: its cause and message, no verdict", func(t *testing.T) {
		var doc jsonDocIn
		require.NoError(t, json.Unmarshal([]byte(docs["cannot-start"].text), &doc))
		assert.Equal(t, 2, doc.Exit)
		require.NotNil(t, doc.Check.Error)
		assert.Equal(t, "not-found", doc.Check.Error.Cause)
		assert.Contains(t, doc.Check.Error.Message, "no-such-server")
		assert.Nil(t, doc.Check.Verdict)
	})
	t.Run("a usage error: its message", func(t *testing.T) {
		var doc jsonDocIn
		require.NoError(t, json.Unmarshal([]byte(docs["usage"].text), &doc))
		require.NotNil(t, doc.Error)
		assert.Equal(t, "usage", doc.Error.Cause)
		assert.Contains(t, doc.Error.Message, "did you mean 05-loop?")
		assert.Nil(t, doc.Check)
	})
}

// failsDocument checks the document of the 06 server that serves one
// client at a time against what its report says (testdata/fail.golden).
func failsDocument(t *testing.T, r report) {
	t.Helper()
	var doc jsonDocIn
	require.NoError(t, json.Unmarshal([]byte(r.text), &doc))
	c := doc.Check
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "does not meet 06-goroutines; read docs/06-goroutines.md", c.Verdict.Last)
	assert.Equal(t, "3 of 6 scenarios passed; 3 failed", c.Verdict.Summary)
	assert.Equal(t, []string{}, c.Verdict.Met)
	assert.Equal(t, "", c.Verdict.BehavesLike, "a run of one stage does not say what it behaves like")
	require.Len(t, c.Stages, 1)
	st := c.Stages[0]
	assert.Equal(t, "docs/06-goroutines.md", st.Page)
	var slugs []string
	for _, sc := range st.Scenarios {
		slugs = append(slugs, sc.Slug+" "+sc.Status+" "+sc.Cause)
		if sc.Status == "failed" {
			assert.Equal(t, hintFor(causeOneAtATime, langGo), sc.Hint, "every failure has its hint")
			assert.NotEmpty(t, sc.Clients, "and what its clients did")
			assert.Contains(t, strings.Join(sc.Printed, "\n"), "Socket now listening")
		}
		assert.Positive(t, sc.TookMS, sc.Slug)
	}
	assert.Equal(t, []string{"connected-with passed ", "every-message passed ", "second-while-silent failed one-at-a-time",
		"hundred-clients failed one-at-a-time", "empty-or-reset failed one-at-a-time", "dropped-on-ctrl-c limitation "}, slugs)
	assert.Equal(t, 0, c.Port, "{port}: a port per run")
}

// A result with nothing in it, and a check that could not start, are
// documents of the shape too: [] where there is nothing, never null.
func TestJSONEmpty(t *testing.T) {
	cfg := &config{argv: []string{"./server"}, anyPort: true, stage: "05-loop"}
	sc := scenariosOf("05-loop")[0]
	results := []result{{scenario: sc, outcome: fail(causeNeverListens, "nothing listens")}}
	for name, c := range map[string]*checked{
		"results": {cfg: cfg, results: results, view: makeView(cfg, results, langUnknown), exit: 1},
		"startup": {cfg: cfg, startup: &startupError{cause: causeNotFound, msg: "cannot start ./server"}, exit: 2},
	} {
		var doc any
		b, err := json.Marshal(&jsonDoc{Format: jsonFormat, Mode: "check", Check: checkDocument(c), Exit: c.exit})
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &doc))
		t.Run(name, func(t *testing.T) { conforms(t, doc, reflect.TypeOf(jsonDoc{}), "") })
	}
}

// jsonDocIn reads a document back, with the keys the tests look at.
type jsonDocIn struct {
	Mode  string
	Exit  int
	Error *jsonError
	Check *struct {
		Port    int
		Error   *jsonError
		Stages  []jsonStage
		Verdict *jsonVerdict
	}
}

// shapeOf writes a line per key of t: where it is, and its type. A type
// met before is named, not written again.
func shapeOf(t reflect.Type, at string, seen map[reflect.Type]string, lines *[]string) {
	seen[t] = at
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("json"), ",")[0]
		path := key
		if at != "" {
			path = at + "." + key
		}
		ft, what := f.Type, ""
		switch {
		case ft.Kind() == reflect.Pointer:
			ft, what = ft.Elem(), "object or null"
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			ft, what, path = ft.Elem(), "array of objects", path+"[]"
		case ft.Kind() == reflect.Slice:
			what = "array of " + kindWord(ft.Elem().Kind()) + "s"
		default:
			what = kindWord(ft.Kind())
		}
		if ft.Kind() != reflect.Struct {
			*lines = append(*lines, path+": "+what)
			continue
		}
		if before, ok := seen[ft]; ok {
			*lines = append(*lines, fmt.Sprintf("%s: %s, as %s", path, what, before))
			continue
		}
		*lines = append(*lines, path+": "+what)
		shapeOf(ft, path, seen, lines)
	}
}

func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64:
		return "number"
	}
	panic("no JSON word for " + k.String())
}

// conforms checks that v, a document read back, has the shape of t:
// every key, no other, each of its type.
func conforms(t *testing.T, v any, typ reflect.Type, at string) {
	t.Helper()
	switch typ.Kind() {
	case reflect.Pointer:
		if v != nil {
			conforms(t, v, typ.Elem(), at)
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !assert.True(t, ok, "%s: an object, not %T", at, v) {
			return
		}
		var want, got []string
		for i := 0; i < typ.NumField(); i++ {
			key := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
			want = append(want, key)
			conforms(t, m[key], typ.Field(i).Type, at+"."+key)
		}
		for k := range m {
			got = append(got, k)
		}
		sort.Strings(want)
		sort.Strings(got)
		assert.Equal(t, want, got, "%s: its keys", at)
	case reflect.Slice:
		list, ok := v.([]any)
		if assert.True(t, ok, "%s: an array, never null, not %T", at, v) {
			for i, e := range list {
				conforms(t, e, typ.Elem(), fmt.Sprintf("%s[%d]", at, i))
			}
		}
	case reflect.String:
		assert.IsType(t, "", v, at)
	case reflect.Bool:
		assert.IsType(t, false, v, at)
	default:
		assert.IsType(t, float64(0), v, at)
	}
}

// runArgs runs the checker as main does, in every mode, with the test's
// environment.
func runArgs(args ...string) report {
	return runEnv(context.Background(), nil, args...)
}

// runEnv is runArgs with more in the environment, until ctx is done.
func runEnv(ctx context.Context, more []string, args ...string) report {
	checkSlots <- struct{}{}
	defer func() { <-checkSlots }()
	var out, errOut strings.Builder
	code := run(ctx, args, append(os.Environ(), more...), &out, &errOut)
	text := out.String()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return report{text: text, stderr: errOut.String(), code: code, last: lines[len(lines)-1]}
}
