package store

import (
	"errors"
	"fmt"
)

// Code classifies an [Error]. Callers map codes to their own protocol
// (GraphQL extensions, HTTP status codes).
type Code string

// The error codes the store returns.
const (
	// Invalid: the input breaks a rule; the message says which.
	Invalid Code = "INVALID"
	// NotFound: the entity asked for does not exist.
	NotFound Code = "NOT_FOUND"
	// Conflict: the entity changed since the caller read it, or a key is
	// already taken.
	Conflict Code = "CONFLICT"
	// Internal: anything else; the message is not safe to show.
	Internal Code = "INTERNAL"
)

// Error is an error whose message is safe to show to API clients.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, if any.
	Field string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an [Error] with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an [Error] that names the input field at fault.
func FieldErrorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is (or wraps) an [Error], and
// [Internal] otherwise. A nil error has no code.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the safe message of err if it is an [Error], and
// "internal error" otherwise.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
