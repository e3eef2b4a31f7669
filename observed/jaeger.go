package observed

import "fmt"

// parseJaegerV1 reads the answer of Jaeger's query service to
// /api/dependencies:
//
//	{"data": [{"parent": "a", "child": "b", "callCount": 3}], "total": 0, "limit": 0, "offset": 0, "errors": null}
//
// "data" is null or [] before a dependencies job has run; a failed query
// answers {"data": null, "errors": [{"code": 500, "msg": "..."}]}.
func parseJaegerV1(in *input, doc *jsonValue) Traffic {
	t := Traffic{Format: JaegerDependencies}
	if jaegerErrors(in, doc.field("errors")) {
		return t
	}
	if links, ok := linkArray(in, "data", doc.field("data")); ok {
		t.Calls = parseLinks(in, links, false)
	}
	return t
}

// jaegerErrors reports the errors Jaeger answered with, each at its
// message, and whether there were any: a failed query must not read as
// "no traffic".
func jaegerErrors(in *input, errs *jsonValue) bool {
	if errs == nil || errs.kind != jsonArray {
		return false
	}
	for _, e := range errs.elems {
		msg, code := e.field("msg"), e.field("code")
		switch {
		case msg == nil || msg.kind != jsonString:
			in.errorf(e.off, "Jaeger answered with an error")
		case code != nil && code.kind == jsonNumber:
			in.errorf(msg.off, "Jaeger answered with an error (code %s): %q", code.text, msg.text)
		default:
			in.errorf(msg.off, "Jaeger answered with an error: %q", msg.text)
		}
	}
	return len(errs.elems) > 0
}

// parseJaegerV3 reads the answer of Jaeger's api_v3 to
// /api/v3/dependencies, proto3 JSON from grpc-gateway:
//
//	{"dependencies": [{"parent": "a", "child": "b", "callCount": "3"}]}
//
// callCount is a uint64, which proto3 JSON writes as a string and leaves
// out when it is zero.
func parseJaegerV3(in *input, doc *jsonValue) Traffic {
	t := Traffic{Format: JaegerAPIv3}
	if links, ok := linkArray(in, "dependencies", doc.field("dependencies")); ok {
		t.Calls = parseLinks(in, links, true)
	}
	return t
}

// jaegerV3Error reports api_v3's error answer,
// {"error": {"httpCode": 500, "message": "..."}}, at its message.
func jaegerV3Error(in *input, e *jsonValue) {
	msg, code := e.field("message"), e.field("httpCode")
	switch {
	case msg == nil || msg.kind != jsonString:
		in.unrecognised(e.off, `an "error" without a "message"`)
	case code != nil && code.kind == jsonNumber:
		in.errorf(msg.off, "Jaeger answered with an error (HTTP %s): %q", code.text, msg.text)
	default:
		in.errorf(msg.off, "Jaeger answered with an error: %q", msg.text)
	}
}

// parseLinkList reads a bare JSON array of links, as `jq .data` leaves
// of a Jaeger answer. [] says nothing either way, so it counts as an
// empty list of links.
func parseLinkList(in *input, doc *jsonValue) Traffic {
	if e := notLink(doc.elems); e != nil {
		in.unrecognised(e.off, "a JSON array of "+plural(e)+`, not of {"parent", "child", "callCount"} links`)
		return Traffic{}
	}
	return Traffic{Format: DependencyLinks, Calls: parseLinks(in, doc.elems, false)}
}

// linkArray returns the links of a "data" or "dependencies" array; null
// is no links. Anything else is some other document, reported as such.
func linkArray(in *input, key string, v *jsonValue) ([]*jsonValue, bool) {
	e := notLink(v.elems)
	switch {
	case v.kind == jsonNull:
		return nil, true
	case v.kind != jsonArray:
		in.unrecognised(v.off, fmt.Sprintf(`%q is %s, not an array of {"parent", "child", "callCount"} links`, key, v.kind))
	case e != nil:
		in.unrecognised(e.off, fmt.Sprintf(`%q holds %s, not {"parent", "child", "callCount"} links`, key, plural(e)))
	default:
		return v.elems, true
	}
	return nil, false
}

// notLink returns the first element when it is not a link, an object
// with a "parent" or a "child": an array of anything else is some other
// document, better reported once than element by element. Later
// elements are links gone wrong, reported each by parseLink.
func notLink(elems []*jsonValue) *jsonValue {
	if len(elems) == 0 || elems[0].field("parent") != nil || elems[0].field("child") != nil {
		return nil
	}
	return elems[0]
}

// plural names what an array holds, going by its first element.
func plural(e *jsonValue) string {
	if e.kind == jsonObject {
		return `objects without "parent" or "child"`
	}
	return [...]string{"nulls", "booleans", "numbers", "strings", "arrays"}[e.kind]
}

// parseLinks reads {"parent", "child", "callCount"} links, reporting
// every bad one. With proto3, a missing callCount is zero, as proto3
// JSON leaves zero values out.
func parseLinks(in *input, links []*jsonValue, proto3 bool) []Call {
	var calls []Call
	for _, l := range links {
		if c, ok := parseLink(in, l, proto3); ok {
			calls = append(calls, c)
		}
	}
	return calls
}

// parseLink reads one link, reporting its first problem.
func parseLink(in *input, l *jsonValue, proto3 bool) (Call, bool) {
	if l.kind != jsonObject {
		in.errorf(l.off, `link must be an object {"parent", "child", "callCount"}, not %s`, l.kind)
		return Call{}, false
	}
	parent, ok := linkName(in, l, "parent")
	if !ok {
		return Call{}, false
	}
	child, ok := linkName(in, l, "child")
	if !ok {
		return Call{}, false
	}
	n := l.field("callCount")
	if n == nil {
		n = l.field("call_count") // proto3 JSON with the proto field names
	}
	switch {
	case n == nil && proto3:
		return Call{Client: parent, Server: child}, true
	case n == nil:
		in.errorf(l.off, `link %s -> %s without "callCount"`, show(parent), show(child))
		return Call{}, false
	}
	count, ok := n.count()
	if !ok {
		in.errorf(n.off, `link %s -> %s: "callCount" must be a number of calls, 0 or more`, show(parent), show(child))
		return Call{}, false
	}
	return Call{Client: parent, Server: child, Count: count}, true
}

// linkName reads a link's "parent" or "child" service name.
func linkName(in *input, l *jsonValue, key string) (string, bool) {
	v := l.field(key)
	switch {
	case v == nil || v.kind == jsonNull || (v.kind == jsonString && v.text == ""):
		in.errorf(l.off, "link without %q", key)
	case v.kind != jsonString:
		in.errorf(v.off, "link %q must be a service name, not %s", key, v.kind)
	default:
		return v.text, true
	}
	return "", false
}
