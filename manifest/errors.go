package manifest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem in the user's input, positioned where it is written
// so that editors and CI annotations can jump to it.
type Error struct {
	Pos Pos
	Msg string // lower-case, no trailing period
}

// Error formats the error as "file:line:col: msg". Problems that concern a
// whole file or path (unreadable, missing) have no line and print as
// "file: msg"; problems that concern no file at all print as "msg".
func (e *Error) Error() string {
	switch {
	case e.Pos.File == "":
		return e.Msg
	case e.Pos.Line < 1:
		return e.Pos.File + ": " + e.Msg
	}
	return e.Pos.File + ":" + strconv.Itoa(e.Pos.Line) + ":" + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
}

// ErrorList collects every input error of a run, because a user fixing a
// manifest wants all of its problems at once rather than one per attempt.
// Callers detect input errors with errors.As(err, &ErrorList{}).
type ErrorList []*Error

// Error prints one error per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns nil for an empty list and the list otherwise, so that an empty
// ErrorList never becomes a non-nil error interface.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// sorted returns the list ordered by file, line, column and message, with
// identical errors reported once; the order makes output deterministic
// whatever order files were parsed in.
func (l ErrorList) sorted() ErrorList {
	slices.SortFunc(l, compareErrors)
	return slices.CompactFunc(l, func(a, b *Error) bool { return compareErrors(a, b) == 0 })
}

func compareErrors(a, b *Error) int {
	return cmp.Or(
		cmp.Compare(a.Pos.File, b.Pos.File),
		cmp.Compare(a.Pos.Line, b.Pos.Line),
		cmp.Compare(a.Pos.Col, b.Pos.Col),
		cmp.Compare(a.Msg, b.Msg),
	)
}
