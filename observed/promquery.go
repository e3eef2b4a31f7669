package observed

import "strconv"

// isPromData reports a Prometheus query result's "data", which a file
// saved without the "status" around it still has.
func isPromData(data *jsonValue) bool {
	return data != nil && data.kind == jsonObject && data.field("resultType") != nil
}

// parsePromQuery reads the answer of Prometheus's HTTP API to an instant
// or a range query, e.g. /api/v1/query?query=traces_service_graph_request_total:
//
//	{"status": "success", "data": {"resultType": "vector", "result": [
//	  {"metric": {"__name__": "traces_service_graph_request_total", "client": "a", "server": "b"}, "value": [1700000000.1, "42"]}]}}
//
// A matrix gives each series' last value. A series without __name__, as
// sum by (client, server) (...) answers, is taken for a request counter.
func parsePromQuery(in *input, doc *jsonValue) Traffic {
	t := Traffic{Format: PrometheusQuery}
	if status := doc.field("status"); status != nil {
		switch {
		case status.kind == jsonString && status.text == "error":
			promError(in, doc, status)
			return t
		case status.kind != jsonString || status.text != "success":
			in.errorf(status.off, `"status" must be "success" or "error"`)
			return t
		}
	}
	data := doc.field("data")
	if !isPromData(data) {
		at := doc.off
		if data != nil {
			at = data.off
		}
		in.errorf(at, `want "data": {"resultType": "vector", "result": [...]}`)
		return t
	}
	rt := data.field("resultType")
	if rt.kind != jsonString || (rt.text != "vector" && rt.text != "matrix") {
		in.errorf(rt.off, `"resultType" must be "vector" or "matrix" of traces_service_graph_request_total series`)
		return t
	}
	result := data.field("result")
	switch {
	case result == nil || result.kind == jsonNull:
		return t
	case result.kind != jsonArray:
		in.errorf(result.off, `"result" must be an array of series, not %s`, result.kind)
		return t
	}
	var ss []series
	var other *jsonValue // the first series of some other metric
	for _, r := range result.elems {
		switch s, ok := promSeries(in, r, rt.text == "matrix"); {
		case !ok:
		case s.kind != notServiceGraph:
			ss = append(ss, s)
		case other == nil:
			other = r
		}
	}
	if len(ss) == 0 && other != nil && len(in.errs) == 0 {
		in.errorf(other.off, "the query result holds %q series, not traces_service_graph_request_total",
			other.field("metric").field("__name__").text)
	}
	t.Calls = pickCalls(ss)
	return t
}

// promError reports Prometheus's error answer,
// {"status": "error", "errorType": "bad_data", "error": "..."}, at its
// message.
func promError(in *input, doc, status *jsonValue) {
	msg, typ := doc.field("error"), doc.field("errorType")
	switch {
	case msg == nil || msg.kind != jsonString:
		in.errorf(status.off, "Prometheus answered with an error")
	case typ != nil && typ.kind == jsonString:
		in.errorf(msg.off, "Prometheus answered with an error (%s): %q", typ.text, msg.text)
	default:
		in.errorf(msg.off, "Prometheus answered with an error: %q", msg.text)
	}
}

// promSeries reads one element of "result": its labels and its value, or
// with matrix its last value. It reports what is wrong and returns false.
func promSeries(in *input, r *jsonValue, matrix bool) (series, bool) {
	metric := r.field("metric")
	if r.kind != jsonObject || metric == nil || metric.kind != jsonObject {
		in.errorf(r.off, `a series must be {"metric": {labels}, "value": [time, "count"]}`)
		return series{}, false
	}
	labels := map[string]string{}
	for _, f := range metric.fields {
		if f.value.kind != jsonString {
			in.errorf(f.value.off, "label %q must be a string, not %s", f.key, f.value.kind)
			return series{}, false
		}
		labels[f.key] = f.value.text
	}
	name, named := labels["__name__"]
	kind := requestTotal
	if named {
		if kind = classify(name); kind == notServiceGraph {
			return series{kind: notServiceGraph}, true
		}
		name = show(name)
	} else {
		name = "series"
	}
	c := Call{Client: labels["client"], Server: labels["server"]}
	if c.Client == "" || c.Server == "" {
		in.errorf(metric.off, `%s without a "client" and a "server" label`, name)
		return series{}, false
	}
	v := promValue(r, matrix)
	if v == nil {
		in.errorf(r.off, `%s without a value: want "value": [time, "count"]`, name)
		return series{}, false
	}
	n, ok := v.count()
	if !ok {
		in.errorf(v.off, "%s: value %s is not a count of requests", name, quoteJSON(v))
		return series{}, false
	}
	c.Count = n
	return series{kind: kind, call: c}, true
}

// promValue finds the count in a series: the second element of "value",
// or of the last pair of "values" in a matrix. nil when there is none.
func promValue(r *jsonValue, matrix bool) *jsonValue {
	v := r.field("value")
	if matrix {
		vs := r.field("values")
		if vs == nil || vs.kind != jsonArray || len(vs.elems) == 0 {
			return nil
		}
		v = vs.elems[len(vs.elems)-1]
	}
	if v == nil || v.kind != jsonArray || len(v.elems) != 2 {
		return nil
	}
	return v.elems[1]
}

// quoteJSON shows a scalar value as the file has it.
func quoteJSON(v *jsonValue) string {
	if v.kind == jsonString {
		return strconv.Quote(v.text)
	}
	if v.kind == jsonNumber || v.kind == jsonBool {
		return v.text
	}
	return v.kind.String()
}
