package graph

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Two rules of the GraphQL over HTTP spec that gqlgen's transports do not
// follow on their own:
//   - a mutation sent with GET is refused with 405 and «Allow: POST»;
//   - a request error (the document does not parse or validate, the body
//     is not JSON) has no "data" entry in its response.
func httpSpec(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && isMutation(r.URL.Query().Get("query"), r.URL.Query().Get("operationName")) {
			w.Header().Set("Allow", "POST")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    "mutations must be sent with POST",
				"extensions": map[string]any{"code": "METHOD_NOT_ALLOWED"},
			}}})
			return
		}
		rw := &requestErrorWriter{ResponseWriter: w}
		next.ServeHTTP(rw, r)
		rw.finish()
	})
}

func isMutation(query, operationName string) bool {
	if query == "" {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		return false
	}
	for _, op := range doc.Operations {
		if (operationName == "" || op.Name == operationName) && op.Operation == ast.Mutation {
			return true
		}
	}
	return false
}

// requestErrorWriter holds back a 4xx response so that its "data" entry can
// be dropped; every other response passes straight through.
type requestErrorWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *requestErrorWriter) WriteHeader(status int) {
	w.status = status
	if status < 400 || status >= 500 {
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.held() {
		return w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *requestErrorWriter) held() bool { return w.status >= 400 && w.status < 500 }

// Flush passes flushes through for streaming responses.
func (w *requestErrorWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.held() {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *requestErrorWriter) finish() {
	if !w.held() {
		return
	}
	body := w.buf.Bytes()
	var resp map[string]json.RawMessage
	if json.Unmarshal(body, &resp) == nil {
		if _, hasErrors := resp["errors"]; hasErrors {
			if d, ok := resp["data"]; ok && string(d) == "null" {
				delete(resp, "data")
				if b, err := json.Marshal(resp); err == nil {
					body = b
				}
			}
		}
	}
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(body)
}
