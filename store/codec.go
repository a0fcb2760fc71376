package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// Records are JSON: readable in a backup, forgiving of added fields.

func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return b, nil
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// counterValue is one cell of a status counter: how many tiltak, and the
// sum and number of their known progress figures.
type counterValue struct {
	N           int64
	ProgressSum int64
	ProgressN   int64
}

func (c counterValue) add(o counterValue) counterValue {
	return counterValue{c.N + o.N, c.ProgressSum + o.ProgressSum, c.ProgressN + o.ProgressN}
}

func (c counterValue) isZero() bool { return c == counterValue{} }

func encodeCounter(c counterValue) []byte {
	b := make([]byte, 24)
	binary.BigEndian.PutUint64(b[0:], uint64(c.N))
	binary.BigEndian.PutUint64(b[8:], uint64(c.ProgressSum))
	binary.BigEndian.PutUint64(b[16:], uint64(c.ProgressN))
	return b
}

func decodeCounter(b []byte) (counterValue, error) {
	if len(b) != 24 {
		return counterValue{}, fmt.Errorf("counter record is corrupt (%d bytes)", len(b))
	}
	return counterValue{
		N:           int64(binary.BigEndian.Uint64(b[0:])),
		ProgressSum: int64(binary.BigEndian.Uint64(b[8:])),
		ProgressN:   int64(binary.BigEndian.Uint64(b[16:])),
	}, nil
}
