package kv

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// pageInfo is result_info of a paginated list.
type pageInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// listNamespaces: GET .../namespaces?page=&per_page=&order=id|title&direction=asc|desc.
// The default order is by title, ascending.
func (s *Server) listNamespaces(w http.ResponseWriter, r *http.Request, rt route) {
	q := r.URL.Query()
	page, perPage := 1, defaultPerPage
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, errorf(http.StatusBadRequest, codeMalformedPage, "malformed page argument %q: want 1 or more", v))
			return
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < MinPerPage || n > MaxPerPage {
			writeError(w, errorf(http.StatusBadRequest, codeMalformedPerPage, "malformed per_page argument %q: want %d to %d", v, MinPerPage, MaxPerPage))
			return
		}
		perPage = n
	}
	order, direction := cmp.Or(q.Get("order"), "title"), cmp.Or(q.Get("direction"), "asc")
	if order != "id" && order != "title" {
		writeError(w, errorf(http.StatusBadRequest, codeInvalidOrder, "invalid order %q: want id or title", order))
		return
	}
	if direction != "asc" && direction != "desc" {
		writeError(w, errorf(http.StatusBadRequest, codeInvalidDirection, "invalid direction %q: want asc or desc", direction))
		return
	}
	all, err := s.store.namespaces(rt.account)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	if order == "id" {
		slices.SortFunc(all, func(a, b Namespace) int { return strings.Compare(a.ID, b.ID) })
	}
	if direction == "desc" {
		slices.Reverse(all)
	}
	info := pageInfo{Page: page, PerPage: perPage, TotalCount: len(all), TotalPages: (len(all) + perPage - 1) / perPage}
	result := []Namespace{}
	if page <= len(all) { // else the page is past the end; also keeps the product small
		if start := (page - 1) * perPage; start < len(all) {
			result = all[start:min(start+perPage, len(all))]
		}
	}
	info.Count = len(result)
	writeResult(w, result, info)
}

// titleBody is the body of create and rename.
type titleBody struct {
	Title string `json:"title"`
}

func readTitle(w http.ResponseWriter, r *http.Request) (string, *apiError) {
	var b titleBody
	if e := decodeJSONBody(w, r, maxJSONBodyBytes, &b); e != nil {
		return "", e
	}
	switch {
	case b.Title == "":
		return "", errorf(http.StatusBadRequest, codeMissingTitle, "missing title")
	case len(b.Title) > MaxTitleBytes:
		return "", errorf(http.StatusBadRequest, codeInvalidRequest, "invalid request: title of %d bytes, at most %d", len(b.Title), MaxTitleBytes)
	}
	return b.Title, nil
}

// createNamespace: POST .../namespaces {"title"}. Titles are unique per
// account.
func (s *Server) createNamespace(w http.ResponseWriter, r *http.Request, rt route) {
	title, e := readTitle(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	ns, err := s.store.createNamespace(rt.account, title)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, ns, nil)
}

// getNamespace: GET .../namespaces/{ns}.
func (s *Server) getNamespace(w http.ResponseWriter, r *http.Request, rt route) {
	ns, err := s.store.namespace(rt.account, rt.ns)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, ns, nil)
}

// renameNamespace: PUT .../namespaces/{ns} {"title"}.
func (s *Server) renameNamespace(w http.ResponseWriter, r *http.Request, rt route) {
	title, e := readTitle(w, r)
	if e != nil {
		writeError(w, e)
		return
	}
	ns, err := s.store.renameNamespace(rt.account, rt.ns, title)
	if err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, ns, nil)
}

// deleteNamespace: DELETE .../namespaces/{ns}, with all its keys.
func (s *Server) deleteNamespace(w http.ResponseWriter, r *http.Request, rt route) {
	if err := s.store.deleteNamespace(rt.account, rt.ns); err != nil {
		s.storeFailed(w, r, err)
		return
	}
	writeResult(w, struct{}{}, nil)
}
