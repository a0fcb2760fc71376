package graph

import (
	"slices"
	"testing"

	"handlingsplan/store"
)

// outbox is a fake change feed holding events with the given sequence
// numbers, ascending.
type outbox []uint64

func (o outbox) Subscribe() (<-chan struct{}, func()) { return nil, func() {} }

func (o outbox) EventsAfter(seq uint64, limit int) ([]store.Event, error) {
	var out []store.Event
	for _, s := range o {
		if s > seq && len(out) < limit {
			out = append(out, store.Event{Seq: s})
		}
	}
	return out, nil
}

func TestLastSeq(t *testing.T) {
	dense := func(n uint64) outbox {
		var o outbox
		for s := uint64(1); s <= n; s++ {
			o = append(o, s)
		}
		return o
	}
	cases := []outbox{nil, dense(1), dense(2), dense(3), dense(7), dense(8), dense(9), dense(1000),
		{5}, {3, 4, 900}, {2, 64, 65, 1 << 20}, slices.Concat(dense(100), outbox{5000, 5001})}
	for _, o := range cases {
		want := uint64(0)
		if len(o) > 0 {
			want = o[len(o)-1]
		}
		got, err := lastSeq(o)
		if err != nil || got != want {
			t.Errorf("lastSeq(%d events ending %d) = %d, %v", len(o), want, got, err)
		}
	}
}
