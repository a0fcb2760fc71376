package store

import "context"

// ReindexPeriodStatusAsMigration runs the migration step
// reindexPeriodStatus, for the tests of package store_test.
func (db *DB) ReindexPeriodStatusAsMigration(context.Context) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	return db.migrationStep(reindexPeriodStatus)
}
