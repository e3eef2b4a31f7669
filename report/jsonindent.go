package report

import "github.com/catch22/catch22/internal/parallel"

// indentSlice is about how many bytes of compact JSON one core indents at a
// time.
const indentSlice = 1 << 20

// indentJSON indents src, compact JSON as encoding/json writes it (no space
// outside strings), exactly as encoding/json's Indent with no prefix and
// two spaces does. encoding/json indents a byte at a time through its
// validating scanner, on one core: for the findings of 100,000 services that
// took longer than every rule together. Here one quick pass finds the
// commas outside strings about every slice bytes, with their depth, and the
// pieces between them are indented on all cores and joined.
func indentJSON(src []byte, slice int) []byte {
	type cut struct{ at, depth int } // a piece starts at src[at:], at depth
	cuts := []cut{{0, 0}}
	depth, next := 0, slice
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			i = stringEnd(src, i)
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			if i >= next {
				cuts = append(cuts, cut{i + 1, depth})
				next = i + slice
			}
		}
	}
	pieces := make([][]byte, len(cuts))
	parallel.For(len(cuts), 1, func(k, _ int) {
		end := len(src)
		if k+1 < len(cuts) {
			end = cuts[k+1].at
		}
		pieces[k] = indentPiece(make([]byte, 0, (end-cuts[k].at)*2), src[cuts[k].at:end], cuts[k].depth)
	})
	size := 0
	for _, p := range pieces {
		size += len(p)
	}
	out := make([]byte, 0, size+1)
	for _, p := range pieces {
		out = append(out, p...)
	}
	return out
}

// stringEnd returns the index of the quote that closes the string opened
// at src[i], or the last index when it is not closed.
func stringEnd(src []byte, i int) int {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(src) - 1
}

// indentPiece appends src, indented, to dst: src starts at the given depth
// outside any string, right after a comma (or at the document's start).
// The rules are encoding/json's: a newline and the depth's indent after an
// opening bracket (unless the value is empty: {} and []), after a comma
// and before a closing bracket, and a space after a colon.
func indentPiece(dst, src []byte, depth int) []byte {
	needIndent := false // after an opening bracket, until its first element
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			end := stringEnd(src, i)
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = newline(append(dst, c), depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// newline appends a line break and depth levels of two-space indent.
func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}
