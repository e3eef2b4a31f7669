package report

import (
	"fmt"

	"github.com/catch22/catch22/analyzer"
)

// Shading of a failure in a picture.
const (
	colorDownStays = "#f4b6b6" // down, and stays down
	colorDownBack  = "#fde9b8" // down, back in some wave
)

// WhatIfStyle draws a failure on the ordinary graph picture (pass it as
// PictureOptions.Style): the down set shaded, red where it stays down and
// amber where it comes back, the failed nodes outlined thick, and a note
// on each down node: the wave it is back in (and whether it was
// redeployed), or that it stays down (and whether for want of a redeploy).
func WhatIfStyle(p *analyzer.WhatIf) func(id string, s *NodeStyle) {
	down := make(map[string]analyzer.DownNode, len(p.Down))
	for _, d := range p.Down {
		down[d.Node] = d
	}
	stranded := map[string]bool{}
	for _, s := range p.Stranded {
		stranded[s.Node] = true
	}
	return func(id string, s *NodeStyle) {
		d, ok := down[id]
		if !ok {
			return
		}
		note := "stays down"
		s.Fill = colorDownStays
		switch {
		case d.Back > 0 && d.Redeployed > 0:
			note = fmt.Sprintf("redeployed, back in wave %d", d.Back)
			s.Fill = colorDownBack
		case d.Back > 0:
			note = fmt.Sprintf("back in wave %d", d.Back)
			s.Fill = colorDownBack
		case stranded[id]:
			note = "needs a redeploy, stays down"
		}
		if d.Failed {
			note = "failed, " + note
			s.Stroke, s.StrokeWidth, s.Bold = colorError, 3, true
		}
		if len(s.Notes) == 0 {
			s.NoteColor = colorInk
		}
		s.Notes = append(s.Notes, note)
	}
}

// WhatIfLegend explains WhatIfStyle in the picture's legend.
func WhatIfLegend() []LegendSample {
	return []LegendSample{
		{Text: "failed", Style: NodeStyle{Fill: "#ffffff", Stroke: colorError, StrokeWidth: 3}},
		{Text: "down, back in wave N", Style: NodeStyle{Fill: colorDownBack, Stroke: colorInk, StrokeWidth: 1}},
		{Text: "down, stays down", Style: NodeStyle{Fill: colorDownStays, Stroke: colorInk, StrokeWidth: 1}},
	}
}
