package sqlitetest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
)

// Password is the password of every account of the standard province.
const Password = "mat-khau-thu-nghiem"

// builder is the actor of the changes that build the standard province.
var builder = survey.Actor{Name: "sqlitetest"}

// standard holds the standard province, built once per test binary and
// copied for every test. It is package-level state, which this
// test-support package allows itself: building costs many fsyncs, copying
// a file costs none.
var standard struct {
	once sync.Once
	file []byte
	err  error
}

// templateFile returns the bytes of the standard province's database file.
func templateFile() ([]byte, error) {
	standard.once.Do(func() { standard.file, standard.err = buildTemplate() })
	return standard.file, standard.err
}

// counterSpec is one counter of the standard province.
type counterSpec struct {
	agency, code, name, instrument string
	rotated, closed                bool
}

// standardAgencies returns the agencies of the standard province, parents
// first (fresh values: CreateAgency fills in their ids).
func standardAgencies() []*survey.Agency {
	return []*survey.Agency{
		{Code: "P", Name: "UBND tỉnh Demo"},
		{Code: "D1", Name: "Sở Tư pháp", ParentCode: "P"},
		{Code: "C1", Name: "UBND xã Nhơn Ái", ParentCode: "D1"},
		{Code: "D2", Name: "UBND huyện Phong Điền", ParentCode: "P"},
		{Code: "D3", Name: "Sở Xây dựng", ParentCode: "P"},
		{Code: "D4", Name: "Sở Tài chính", ParentCode: "P"},
	}
}

// standardCounters returns the counters of the standard province in tree
// order.
func standardCounters() []counterSpec {
	return []counterSpec{
		{agency: "D1", code: "Q1", name: "Quầy hộ tịch", instrument: "sipas-2017"},
		{agency: "D1", code: "K1", name: "Máy tính bảng", instrument: "quick"},
		{agency: "D1", code: "R1", name: "Quầy chứng thực", instrument: "sipas-2017", rotated: true},
		{agency: "D1", code: "Z1", name: "Quầy đã đóng", instrument: "sipas-2017", closed: true},
		{agency: "C1", code: "Q1", name: "Quầy xã", instrument: "quick"},
		{agency: "D2", code: "Q1", name: "Quầy đất đai", instrument: "sipas-2017"},
		{agency: "D3", code: "Q1", name: "Quầy 1", instrument: "sipas-2017"},
		{agency: "D4", code: "Q1", name: "Quầy 1", instrument: "sipas-2017"},
	}
}

// standardUsers returns the accounts of the standard province, without
// their password hash.
func standardUsers() []*survey.User {
	return []*survey.User{
		{Name: "admin", Role: survey.RoleAdmin},
		{Name: "off", Role: survey.RoleOfficial, AgencyCode: "D1"},
		{Name: "off2", Role: survey.RoleOfficial, AgencyCode: "D2"},
		{Name: "integ", Role: survey.RoleIntegration, AgencyCode: "D1"},
	}
}

// buildTemplate builds the standard province in a temporary file and
// returns the file's bytes.
func buildTemplate() ([]byte, error) {
	dir, err := os.MkdirTemp("", "sipas-sqlitetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		return nil, fmt.Errorf("instruments: %w", err)
	}
	path := filepath.Join(dir, "sipas.db")
	db, err := sqlite.Open(path, reg, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	if err := populate(context.Background(), db); err != nil {
		db.Close()
		return nil, err
	}
	// Close checkpoints the WAL into the main file, which is then complete.
	if err := db.Close(); err != nil {
		return nil, fmt.Errorf("close: %w", err)
	}
	return os.ReadFile(path)
}

// populate creates the agencies, counters and accounts of the standard
// province, and its secrets (so that every copy shares them).
func populate(ctx context.Context, db *sqlite.DB) error {
	for _, a := range standardAgencies() {
		if err := db.CreateAgency(ctx, a, builder); err != nil {
			return fmt.Errorf("agency %s: %w", a.Code, err)
		}
	}
	closed := true
	for _, c := range standardCounters() {
		cn := &survey.Counter{AgencyCode: c.agency, Code: c.code, Name: c.name, Instrument: c.instrument}
		if err := db.CreateCounter(ctx, cn, builder); err != nil {
			return fmt.Errorf("counter %s/%s: %w", c.agency, c.code, err)
		}
		if c.rotated {
			if _, err := db.RotateCounterToken(ctx, c.agency, c.code, builder); err != nil {
				return fmt.Errorf("rotate %s/%s: %w", c.agency, c.code, err)
			}
		}
		if c.closed {
			if _, err := db.UpdateCounter(ctx, c.agency, c.code, survey.CounterUpdate{Closed: &closed}, builder); err != nil {
				return fmt.Errorf("close %s/%s: %w", c.agency, c.code, err)
			}
		}
	}
	// bcrypt at its lowest cost keeps the tests fast; the server reads the
	// cost from the hash.
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		return err
	}
	for _, u := range standardUsers() {
		u.PasswordHash = string(hash)
		if err := db.CreateUser(ctx, u, builder); err != nil {
			return fmt.Errorf("user %s: %w", u.Name, err)
		}
	}
	if _, err := db.TokenSecret(ctx); err != nil {
		return fmt.Errorf("token secret: %w", err)
	}
	if _, err := db.IPHashSecret(ctx); err != nil {
		return fmt.Errorf("IP hash secret: %w", err)
	}
	return nil
}
