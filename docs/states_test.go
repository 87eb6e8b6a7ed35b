package docs

import (
	"encoding/xml"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateDiagrams checks the TCP state diagram the stage pages refer
// to, drawn once in each language (docs/tcp-states.svg and
// docs/zh-CN/tcp-states.svg): both are SVG documents, say what they show
// (<title>, <desc>) for readers who cannot see them, and draw the same
// states and the same arrows between them, with every state of TCP's
// diagram; only their words differ.
func TestStateDiagrams(t *testing.T) {
	type diagram struct {
		Title string `xml:"title"`
		Desc  string `xml:"desc"`
		Gs    []struct {
			Class string `xml:"class,attr"`
			State string `xml:"data-state,attr"`
			From  string `xml:"data-from,attr"`
			To    string `xml:"data-to,attr"`
		} `xml:"g"`
	}
	shape := func(name string) (states, edges []string) {
		var d diagram
		require.NoError(t, xml.Unmarshal([]byte(readFile(t, name)), &d), "%s is not an SVG document", name)
		assert.NotEmpty(t, d.Title, "%s has no <title>", name)
		assert.NotEmpty(t, d.Desc, "%s has no <desc>", name)
		for _, g := range d.Gs {
			switch g.Class {
			case "state":
				states = append(states, g.State)
			case "edge":
				edges = append(edges, g.From+" -> "+g.To)
			}
		}
		return states, edges
	}
	enStates, enEdges := shape("docs/tcp-states.svg")
	zhStates, zhEdges := shape("docs/zh-CN/tcp-states.svg")
	assert.Equal(t, enStates, zhStates, "the two diagrams draw different states")
	assert.Equal(t, enEdges, zhEdges, "the two diagrams draw different arrows")
	for _, s := range []string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "TIME_WAIT", "CLOSE_WAIT", "LAST_ACK"} {
		assert.Contains(t, enStates, s, "the diagram has no %s", s)
	}
	drawn := map[string]bool{}
	for _, s := range enStates {
		drawn[s] = true
	}
	for _, e := range enEdges {
		var from, to string
		_, err := fmt.Sscanf(e, "%s -> %s", &from, &to)
		require.NoError(t, err)
		assert.True(t, drawn[from] && drawn[to], "the arrow %s joins a state that is not drawn", e)
	}
}
