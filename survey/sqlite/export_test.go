package sqlite

// SetBulkDays makes db's bulk loads hold at most n day rows of statistics
// in memory, so that tests of a few thousand responses write rows back
// and add to them again as the largest loads do.
func (db *DB) SetBulkDays(n int) { db.bulkDays = n }
