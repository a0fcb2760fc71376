package store

import "context"

// ReindexPeriodStatusInOneTxn runs the migration step reindexPeriodStatus,
// for the tests of package store_test.
func (db *DB) ReindexPeriodStatusInOneTxn(ctx context.Context) error {
	return db.update(ctx, reindexPeriodStatus)
}
