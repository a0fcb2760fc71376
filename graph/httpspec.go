package graph

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// The rules of the GraphQL over HTTP spec that gqlgen's transports do not
// follow on their own:
//   - a mutation sent with GET is refused with 405 and «Allow: POST»;
//   - a POST whose body is not application/json is refused with 415 (and a
//     JSON body saying so, not gqlgen's text/plain "transport not
//     supported");
//   - a request error (the document does not parse or validate, the body
//     is not JSON) has no "data" entry in its response;
//   - with the legacy application/json media type a well-formed request
//     is answered 200 even when it has request errors (gqlgen says 422):
//     the spec's SHOULD, since intermediaries treat 4xx as transport
//     failures. application/graphql-response+json keeps its 4xx.
//
// It also keeps the request body out of the message of a body that is not
// JSON: gqlgen quotes all of it, up to the 1 MiB cap.
func httpSpec(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") && !isJSON(r.Header.Get("Content-Type")) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnsupportedMediaType)
			_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
				"message":    "send the request body as JSON with «Content-Type: application/json»",
				"extensions": map[string]any{"code": "UNSUPPORTED_MEDIA_TYPE"},
			}}})
			return
		}
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

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
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

func (w *requestErrorWriter) held() bool {
	// 503: a query refused before it ran (server busy) is a request error too.
	return w.status >= 400 && w.status < 500 || w.status == http.StatusServiceUnavailable
}

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
	body, status := w.buf.Bytes(), w.status
	var resp struct {
		Errors     []json.RawMessage `json:"errors"`
		Data       json.RawMessage   `json:"data,omitempty"`
		Extensions json.RawMessage   `json:"extensions,omitempty"`
	}
	if json.Unmarshal(body, &resp) == nil && len(resp.Errors) > 0 && (len(resp.Data) == 0 || string(resp.Data) == "null") {
		resp.Data = nil
		wellFormed := true
		for i, raw := range resp.Errors {
			var e struct {
				Message string `json:"message"`
			}
			_ = json.Unmarshal(raw, &e)
			switch {
			case e.Message == "no operation provided":
				wellFormed = false // no query at all: a bad request, not a GraphQL error
			case strings.HasPrefix(e.Message, "json request body could not be decoded"):
				msg, _, _ := strings.Cut(e.Message, " body:")
				resp.Errors[i], _ = json.Marshal(map[string]any{"message": msg, "extensions": map[string]any{"code": "BAD_REQUEST"}})
			}
		}
		if b, err := json.Marshal(resp); err == nil {
			body = append(b, '\n')
		}
		if status == http.StatusUnprocessableEntity {
			switch {
			case !wellFormed:
				status = http.StatusBadRequest
			case isJSON(w.Header().Get("Content-Type")):
				status = http.StatusOK
			}
		}
	}
	w.ResponseWriter.WriteHeader(status)
	_, _ = w.ResponseWriter.Write(body)
}
