// Package sqlitetest builds databases for tests: a fresh copy of one
// standard province for every test, in the manner of pocketbase's
// tests.NewTestApp. It is imported by the tests of other packages (sqlite,
// report, web, browser, reliability), never by production code.
//
// The standard province:
//
//	P  "UBND tỉnh Demo"
//	├─ D1 "Sở Tư pháp"            counters Q1 "Quầy hộ tịch" (sipas-2017), K1 "Máy tính bảng" (quick),
//	│  │                          R1 "Quầy chứng thực" (sipas-2017, token rotated once: version 2),
//	│  │                          Z1 "Quầy đã đóng" (sipas-2017, closed)
//	│  └─ C1 "UBND xã Nhơn Ái"    counter Q1 "Quầy xã" (quick)
//	├─ D2 "UBND huyện Phong Điền" counter Q1 "Quầy đất đai" (sipas-2017)
//	├─ D3 "Sở Xây dựng"           counter Q1 "Quầy 1" (sipas-2017)
//	└─ D4 "Sở Tài chính"          counter Q1 "Quầy 1" (sipas-2017)
//
// with the accounts admin (admin), off (official of D1), off2 (official
// of D2) and integ (integration account of D1's one-stop software), all with the password [Password], and no responses. Counters are
// named by key, "D1/Q1".
//
// The province is built once per test binary (a package-level holder, the
// one piece of global state here) and copied into tb.TempDir() for each
// test: building it costs many fsyncs, copying costs none. Every copy has
// the same token and IP-hash secrets.
package sqlitetest

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/instruments"
	"github.com/sipas/sipas/survey/sqlite"
)

// Province is an open database for one test. Its methods fail the test
// they are given on any error; they use its Context, so call them from
// the test, not from a Cleanup.
type Province struct {
	// DB is the database, closed when the test ends.
	DB *sqlite.DB
	// Path is the database file, in the test's temporary folder.
	Path string
	// Instruments is the registry DB was opened with (the embedded
	// instruments).
	Instruments *survey.Instruments
	// Signer signs counter tokens with the database's token secret.
	Signer *survey.Signer
	// RO is a read-only handle on Path for assertions: it sees what is on
	// disk, not what DB caches. It is closed before DB.
	RO *sql.DB

	closeOnce sync.Once
}

// New returns a fresh copy of the standard province, opened with opt and
// closed when the test ends.
func New(tb testing.TB, opt sqlite.Options) *Province {
	tb.Helper()
	file, err := templateFile()
	if err != nil {
		tb.Fatalf("build the standard province: %v", err)
	}
	path := filepath.Join(tb.TempDir(), "sipas.db")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		tb.Fatalf("copy the standard province: %v", err)
	}
	return open(tb, path, opt)
}

// Empty returns a fresh database with no agencies, counters, accounts or
// responses (a Province whose lookups all fail), for tests of a new
// installation or of trees of their own.
func Empty(tb testing.TB, opt sqlite.Options) *Province {
	tb.Helper()
	return open(tb, filepath.Join(tb.TempDir(), "sipas.db"), opt)
}

// Instruments loads the embedded instruments, the registry New and Empty
// open databases with.
func Instruments(tb testing.TB) *survey.Instruments {
	tb.Helper()
	reg, err := survey.LoadInstruments(instruments.Files)
	if err != nil {
		tb.Fatalf("instruments: %v", err)
	}
	return reg
}

// ReadOnly opens the database file at path read-only, for assertions, and
// closes it when the test ends.
func ReadOnly(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	ro, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		tb.Fatalf("open %s read-only: %v", path, err)
	}
	tb.Cleanup(func() { ro.Close() })
	return ro
}

func open(tb testing.TB, path string, opt sqlite.Options) *Province {
	tb.Helper()
	reg := Instruments(tb)
	db, err := sqlite.Open(path, reg, opt)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	p := &Province{DB: db, Path: path, Instruments: reg}
	// Registered before ReadOnly's own cleanup, so it runs after it; Close
	// closes RO first anyway, for tests that close early.
	tb.Cleanup(func() { p.Close(tb) })
	p.RO = ReadOnly(tb, path)
	secret, err := db.TokenSecret(tb.Context())
	if err != nil {
		tb.Fatalf("token secret: %v", err)
	}
	p.Signer = survey.NewSigner(secret)
	return p
}

// Close closes RO and DB before the test ends, for tests that hand the file
// to another process (`sipas serve`); Path stays. Closing twice is harmless.
func (p *Province) Close(tb testing.TB) {
	tb.Helper()
	p.closeOnce.Do(func() {
		if p.RO == nil { // open failed before it was set
			p.DB.Close()
			return
		}
		if err := p.RO.Close(); err != nil {
			tb.Errorf("close read-only handle: %v", err)
		}
		if err := p.DB.Close(); err != nil {
			tb.Errorf("close database: %v", err)
		}
	})
}

// Agency returns an agency by code.
func (p *Province) Agency(tb testing.TB, code string) *survey.Agency {
	tb.Helper()
	a, err := p.DB.FindAgency(tb.Context(), code)
	if err != nil {
		tb.Fatalf("agency %s: %v", code, err)
	}
	return a
}

// Counter returns a counter by key ("D1/Q1") as it is now in the database.
func (p *Province) Counter(tb testing.TB, key string) *survey.Counter {
	tb.Helper()
	agency, code, ok := strings.Cut(key, "/")
	if !ok {
		tb.Fatalf("counter key %q: want AGENCY/CODE", key)
	}
	c, err := p.DB.FindCounter(tb.Context(), agency, code)
	if err != nil {
		tb.Fatalf("counter %s: %v", key, err)
	}
	return c
}

// Token returns the current survey token (the QR code) of a counter.
func (p *Province) Token(tb testing.TB, key string) string {
	tb.Helper()
	c := p.Counter(tb, key)
	return p.Signer.Token(c.ID, c.TokenVersion)
}

// KioskKey returns the current kiosk key of a counter.
func (p *Province) KioskKey(tb testing.TB, key string) string {
	tb.Helper()
	c := p.Counter(tb, key)
	return p.Signer.KioskKey(c)
}

// Instrument returns the current version of an instrument ("sipas-2017",
// "quick").
func (p *Province) Instrument(tb testing.TB, id string) *survey.Instrument {
	tb.Helper()
	in, err := p.Instruments.Current(id)
	if err != nil {
		tb.Fatalf("instrument %s: %v", id, err)
	}
	return in
}
