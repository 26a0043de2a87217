package sqlite_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// vn returns a time in Vietnam on the given day of 2026 at hour h.
func vn(month time.Month, day, h int) time.Time {
	return time.Date(2026, month, day, h, 0, 0, 0, survey.Vietnam)
}

// dossierReg returns a registration of code for agency (and counter, when
// not empty) received at received.
func dossierReg(code, agency, counter string, received time.Time, due, returned *time.Time) *survey.DossierRegistration {
	return &survey.DossierRegistration{Code: code, AgencyCode: agency, CounterCode: counter, ReceivedAt: received, DueAt: due, ReturnedAt: returned}
}

// mustRegister registers r under its code's hash and fails the test on error.
func mustRegister(tb testing.TB, p *sqlitetest.Province, r *survey.DossierRegistration) survey.DossierSaved {
	tb.Helper()
	saved, err := p.DB.RegisterDossier(context.Background(), p.Signer.DossierHash(r.Code), r, testActor)
	if err != nil {
		tb.Fatalf("register %s: %v", r.Code, err)
	}
	return saved
}

// dayCounts is one row of dossier_daily: received, returned, on time.
type dayCounts [3]int

// daily reads dossier_daily of one agency from disk, leaving out rows that
// are all zero (a change can take a dossier out of a day).
func daily(tb testing.TB, p *sqlitetest.Province, agency string) map[string]dayCounts {
	tb.Helper()
	rows, err := p.RO.Query(`SELECT day, received, returned, on_time FROM dossier_daily d JOIN agencies a ON a.id = d.agency_id
		WHERE a.code = ? AND (received != 0 OR returned != 0 OR on_time != 0)`, agency)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	out := map[string]dayCounts{}
	for rows.Next() {
		var day string
		var c dayCounts
		if err := rows.Scan(&day, &c[0], &c[1], &c[2]); err != nil {
			tb.Fatal(err)
		}
		out[day] = c
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// checkDaily checks that dossier_daily holds exactly what the dossiers
// table implies, for every agency and day.
func checkDaily(tb testing.TB, p *sqlitetest.Province) {
	tb.Helper()
	n := p.Count(tb, `WITH want(agency_id, day, received, returned, on_time) AS (
			SELECT agency_id, day, sum(received), sum(returned), sum(on_time) FROM (
				SELECT agency_id, received_date AS day, 1 AS received, 0 AS returned, 0 AS on_time FROM dossiers
				UNION ALL
				SELECT agency_id, returned_date, 0, 1, returned_at <= due_at FROM dossiers WHERE returned_at IS NOT NULL AND due_at IS NOT NULL
			) GROUP BY agency_id, day),
		got AS (SELECT * FROM dossier_daily WHERE received != 0 OR returned != 0 OR on_time != 0)
		SELECT (SELECT count(*) FROM (SELECT * FROM want EXCEPT SELECT * FROM got)) + (SELECT count(*) FROM (SELECT * FROM got EXCEPT SELECT * FROM want))`)
	if n != 0 {
		tb.Fatalf("dossier_daily differs from the dossiers in %d rows", n)
	}
}

func TestRegisterDossier(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	q1, k1 := p.Counter(t, "D1/Q1"), p.Counter(t, "D1/K1")
	due := vn(3, 9, 17)
	r := dossierReg("H13.22-260302-0001", "D1", "Q1", vn(3, 2, 8), &due, nil)
	r.Procedure, r.ProcedureName = "1.004227", "Cấp bản sao trích lục hộ tịch"
	first := mustRegister(t, p, r)
	if !first.Created || first.Dossier.ID == 0 || first.Dossier.CounterID != q1.ID || first.Dossier.AgencyID != q1.AgencyID {
		t.Fatalf("first registration: got %+v %+v", first, first.Dossier)
	}
	d, err := p.DB.FindDossier(ctx, p.Signer.DossierHash(r.Code))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != first.Dossier.ID || d.AgencyCode != "D1" || d.CounterCode != "Q1" || d.Procedure != "1.004227" ||
		!d.ReceivedAt.Equal(r.ReceivedAt) || d.DueAt == nil || !d.DueAt.Equal(due) || d.ReturnedAt != nil || d.Rated || d.AgencyClosed {
		t.Fatalf("found %+v", d)
	}
	if n := p.Count(t, `SELECT count(*) FROM dossiers WHERE code_hash = ?`, []byte(r.Code)); n != 0 {
		t.Fatalf("the code is stored in clear")
	}

	// Again, without counter or procedure, returned: same dossier, new
	// dates, the counter and procedure named before kept.
	ret := vn(3, 6, 10)
	again := mustRegister(t, p, dossierReg(r.Code, "D1", "", vn(3, 2, 9), &due, &ret))
	if again.Created || again.Dossier.ID != first.Dossier.ID || again.Dossier.CounterID != q1.ID {
		t.Fatalf("second registration: got %+v %+v", again, again.Dossier)
	}
	d, err = p.DB.FindDossierByID(ctx, first.Dossier.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.CounterCode != "Q1" || d.Procedure != "1.004227" || d.ProcedureName == "" || !d.ReceivedAt.Equal(vn(3, 2, 9)) ||
		d.ReturnedAt == nil || !d.ReturnedAt.Equal(ret) || d.Timeliness(vn(4, 1, 0)) != survey.OnTime {
		t.Fatalf("after the second registration: %+v", d)
	}
	// A registration naming another counter of the agency moves it.
	if s := mustRegister(t, p, dossierReg(r.Code, "D1", "K1", vn(3, 2, 9), &due, &ret)); s.Dossier.CounterID != k1.ID {
		t.Fatalf("counter not changed: %+v", s.Dossier)
	}
	if n := p.Count(t, `SELECT count(*) FROM dossiers`); n != 1 {
		t.Fatalf("got %d dossiers, want 1", n)
	}
	if _, err := p.DB.FindDossier(ctx, p.Signer.DossierHash("no such code")); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown code: got %v", err)
	}
	if _, err := p.DB.FindDossierByID(ctx, 999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown id: got %v", err)
	}
	checkDaily(t, p)
}

func TestRegisterDossierRefused(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	mustRegister(t, p, dossierReg("D1-0001", "D1", "Q1", vn(3, 2, 8), nil, nil))
	closed := true
	if _, err := p.DB.UpdateAgency(ctx, "D4", survey.AgencyUpdate{Closed: &closed}, testActor); err != nil {
		t.Fatal(err)
	}
	before := daily(t, p, "D1")
	for _, tc := range []struct {
		name, code, agency, counter, want string
	}{
		{"registered for another agency", "D1-0001", "D2", "", survey.ECONFLICT},
		{"registered for another agency, with a counter", "D1-0001", "D2", "Q1", survey.ECONFLICT},
		{"unknown agency", "X-0001", "XX", "", survey.ENOTFOUND},
		{"unknown counter", "X-0002", "D1", "Q9", survey.ENOTFOUND},
		{"counter of another agency", "X-0003", "D2", "K1", survey.ENOTFOUND},
		{"counter of the parent", "X-0004", "C1", "K1", survey.ENOTFOUND},
		{"closed counter", "X-0005", "D1", "Z1", survey.EGONE},
		{"closed agency", "X-0006", "D4", "", survey.EGONE},
		{"closed agency, open counter", "X-0007", "D4", "Q1", survey.EGONE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := dossierReg(tc.code, tc.agency, tc.counter, vn(3, 5, 8), nil, nil)
			_, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash(tc.code), r, testActor)
			if survey.ErrorCode(err) != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
			if n := p.Count(t, `SELECT count(*) FROM dossiers`); n != 1 {
				t.Fatalf("got %d dossiers after a refusal, want 1", n)
			}
			if n := p.Count(t, `SELECT COALESCE(sum(received), 0) FROM dossier_daily`); n != 1 {
				t.Fatalf("dossier_daily counts %d received after a refusal, want 1", n)
			}
		})
	}
	d, err := p.DB.FindDossier(ctx, p.Signer.DossierHash("D1-0001"))
	if err != nil {
		t.Fatal(err)
	}
	if d.AgencyCode != "D1" || d.CounterCode != "Q1" || !d.ReceivedAt.Equal(vn(3, 2, 8)) {
		t.Fatalf("the refused registrations changed the dossier: %+v", d)
	}
	if got := daily(t, p, "D1"); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("daily counts changed: got %v, want %v", got, before)
	}
	// Under a closed parent.
	if _, err := p.DB.UpdateAgency(ctx, "D1", survey.AgencyUpdate{Closed: &closed}, testActor); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash("C1-0001"), dossierReg("C1-0001", "C1", "Q1", vn(3, 5, 8), nil, nil), testActor); survey.ErrorCode(err) != survey.EGONE {
		t.Fatalf("agency under a closed parent: got %v, want EGONE", err)
	}
	if d, err := p.DB.FindDossierByID(ctx, d.ID); err != nil || !d.AgencyClosed {
		t.Fatalf("dossier of a closed agency: got %+v, %v", d, err)
	}
	if _, err := p.DB.RegisterDossier(ctx, nil, dossierReg("x", "D2", "", vn(3, 5, 8), nil, nil), testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("no hash: got %v, want EINVALID", err)
	}
}

func TestDossierDailyCounts(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	due9 := vn(3, 9, 17)
	// 23:30 UTC on 1 March is already 2 March in Vietnam.
	recvA := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	retA := vn(3, 5, 10)
	mustRegister(t, p, dossierReg("A", "D2", "Q1", recvA, &due9, &retA))
	retB := vn(3, 3, 10)
	mustRegister(t, p, dossierReg("B", "D2", "", vn(3, 2, 14), nil, &retB)) // no due date: never counted as returned
	step := func(what string, want map[string]dayCounts) {
		t.Helper()
		if got := daily(t, p, "D2"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: got %v, want %v", what, got, want)
		}
		checkDaily(t, p)
	}
	step("registered", map[string]dayCounts{"2026-03-02": {2, 0, 0}, "2026-03-05": {0, 1, 1}})

	// Registered again: received a day later, returned late.
	late := vn(3, 10, 9)
	mustRegister(t, p, dossierReg("A", "D2", "", vn(3, 3, 8), &due9, &late))
	step("registered again", map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 0, 0}, "2026-03-10": {0, 1, 0}})

	hashA := p.Signer.DossierHash("A")
	patch := func(what string, pt survey.DossierPatch, want map[string]dayCounts) {
		t.Helper()
		if _, err := p.DB.PatchDossier(ctx, hashA, pt, testActor); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		step(what, want)
	}
	early := vn(3, 6, 9)
	patch("returned date moved back", survey.DossierPatch{ReturnedAt: &early},
		map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 0, 0}, "2026-03-06": {0, 1, 1}})
	due5 := vn(3, 5, 17)
	patch("due date moved before the return: on time becomes late", survey.DossierPatch{DueAt: &due5},
		map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 0, 0}, "2026-03-06": {0, 1, 0}})
	patch("both", survey.DossierPatch{DueAt: &due9, ReturnedAt: &late},
		map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 0, 0}, "2026-03-10": {0, 1, 0}})
	if _, err := p.DB.PatchDossier(ctx, p.Signer.DossierHash("B"), survey.DossierPatch{DueAt: &due9}, testActor); err != nil {
		t.Fatal(err)
	}
	step("due date given to a returned dossier", map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 1, 1}, "2026-03-10": {0, 1, 0}})

	// Refused patches change nothing.
	before := vn(3, 1, 8)
	if _, err := p.DB.PatchDossier(ctx, hashA, survey.DossierPatch{ReturnedAt: &before}, testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("returned before received: got %v, want EINVALID", err)
	}
	if _, err := p.DB.PatchDossier(ctx, p.Signer.DossierHash("C"), survey.DossierPatch{ReturnedAt: &late}, testActor); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("unknown dossier: got %v, want ENOTFOUND", err)
	}
	step("refused patches", map[string]dayCounts{"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 1, 1}, "2026-03-10": {0, 1, 0}})
	d, err := p.DB.FindDossier(ctx, hashA)
	if err != nil || !d.ReturnedAt.Equal(late) || !d.DueAt.Equal(due9) {
		t.Fatalf("after the refused patch: %+v %v", d, err)
	}
}

func TestImportDossiers(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	mustRegister(t, p, dossierReg("OLD", "D1", "Q1", vn(3, 2, 8), nil, nil))
	hashes := func(rs []*survey.DossierRegistration) [][]byte {
		out := make([][]byte, len(rs))
		for i, r := range rs {
			out[i] = p.Signer.DossierHash(r.Code)
		}
		return out
	}
	audits := p.Count(t, `SELECT count(*) FROM audit_log`)
	for _, tc := range []struct {
		name string
		bad  *survey.DossierRegistration
		code string
	}{
		{"unknown agency", dossierReg("N3", "XX", "", vn(3, 4, 8), nil, nil), survey.ENOTFOUND},
		{"unknown counter", dossierReg("N3", "D1", "Q9", vn(3, 4, 8), nil, nil), survey.ENOTFOUND},
		{"code of another agency", dossierReg("OLD", "D2", "", vn(3, 4, 8), nil, nil), survey.ECONFLICT},
		{"closed counter", dossierReg("N3", "D1", "Z1", vn(3, 4, 8), nil, nil), survey.EGONE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := []*survey.DossierRegistration{
				dossierReg("N1", "D1", "Q1", vn(3, 3, 8), nil, nil),
				dossierReg("OLD", "D1", "", vn(3, 2, 9), nil, nil),
				tc.bad,
				dossierReg("N4", "D2", "", vn(3, 5, 8), nil, nil),
			}
			n, err := p.DB.ImportDossiers(ctx, hashes(rs), rs, testActor)
			e, ok := err.(*survey.Error)
			if !ok || e.Code != tc.code || e.Line != 3 || n != 0 {
				t.Fatalf("got %d, %#v, want %s on line 3", n, err, tc.code)
			}
			if got := p.Count(t, `SELECT count(*) FROM dossiers`); got != 1 {
				t.Fatalf("got %d dossiers after a refused import, want 1", got)
			}
			if got := p.Count(t, `SELECT count(*) FROM dossiers WHERE received_at = ?`, vn(3, 2, 8).UnixMilli()); got != 1 {
				t.Fatalf("the refused import changed the dossier registered before")
			}
			if got := p.Count(t, `SELECT COALESCE(sum(received), 0) FROM dossier_daily`); got != 1 {
				t.Fatalf("dossier_daily counts %d after a refused import, want 1", got)
			}
			if got := p.Count(t, `SELECT count(*) FROM audit_log`); got != audits {
				t.Fatalf("a refused import was audited")
			}
		})
	}
	if _, err := p.DB.ImportDossiers(ctx, [][]byte{{1}}, nil, testActor); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("hashes and rows of different lengths: got %v", err)
	}

	due := vn(3, 12, 17)
	rs := []*survey.DossierRegistration{
		dossierReg("N1", "D1", "Q1", vn(3, 3, 8), &due, nil),
		dossierReg("OLD", "D1", "", vn(3, 2, 9), &due, ptr(vn(3, 4, 9))),
		dossierReg("N2", "C1", "Q1", vn(3, 3, 8), nil, nil),
		dossierReg("N1", "D1", "", vn(3, 3, 8), &due, ptr(vn(3, 13, 9))), // the same code twice: the second updates the first
	}
	n, err := p.DB.ImportDossiers(ctx, hashes(rs), rs, testActor)
	if err != nil || n != 2 {
		t.Fatalf("import: got %d, %v, want 2 new", n, err)
	}
	if got := p.Count(t, `SELECT count(*) FROM dossiers`); got != 3 {
		t.Fatalf("got %d dossiers, want 3", got)
	}
	d, err := p.DB.FindDossier(ctx, p.Signer.DossierHash("N1"))
	if err != nil || d.CounterCode != "Q1" || d.Timeliness(vn(4, 1, 0)) != survey.Late {
		t.Fatalf("N1: %+v %v", d, err)
	}
	if got := daily(t, p, "D1"); fmt.Sprint(got) != fmt.Sprint(map[string]dayCounts{
		"2026-03-02": {1, 0, 0}, "2026-03-03": {1, 0, 0}, "2026-03-04": {0, 1, 1}, "2026-03-13": {0, 1, 0}}) {
		t.Fatalf("D1 daily: %v", got)
	}
	checkDaily(t, p)
	if got := p.Count(t, `SELECT count(*) FROM audit_log WHERE action = 'dossier.import'`); got != 1 {
		t.Fatalf("got %d import audit entries, want 1", got)
	}
}

// TestRegisterDossierConcurrent registers 50 codes 4 times each from 200
// goroutines through the batch writer.
func TestRegisterDossierConcurrent(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	ctx := context.Background()
	const goroutines, codes = 200, 50
	var wg sync.WaitGroup
	errs := make([]error, goroutines)
	created := make([]bool, goroutines)
	ids := make([]int64, goroutines)
	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := fmt.Sprintf("H13.22-260302-%04d", i%codes)
			counter := ""
			if i%3 == 0 {
				counter = "Q1"
			}
			r := dossierReg(code, "D3", counter, vn(3, 2+i%codes%5, 8), nil, nil)
			saved, err := p.DB.RegisterDossier(ctx, p.Signer.DossierHash(code), r, testActor)
			errs[i], created[i] = err, saved.Created
			if err == nil {
				ids[i] = saved.Dossier.ID
			}
		}()
	}
	wg.Wait()
	nCreated := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("registration %d: %v", i, err)
		}
		if created[i] {
			nCreated++
		}
		if ids[i] != ids[i%codes] {
			t.Fatalf("registrations %d and %d of one code got dossiers %d and %d", i, i%codes, ids[i], ids[i%codes])
		}
	}
	if nCreated != codes {
		t.Fatalf("%d registrations answered Created, want %d", nCreated, codes)
	}
	if n := p.Count(t, `SELECT count(*) FROM dossiers`); n != codes {
		t.Fatalf("got %d dossiers, want %d", n, codes)
	}
	if n := p.Count(t, `SELECT sum(received) FROM dossier_daily`); n != codes {
		t.Fatalf("dossier_daily counts %d received, want %d", n, codes)
	}
	checkDaily(t, p)
}
