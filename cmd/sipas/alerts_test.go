package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/sqlite"
	"github.com/sipas/sipas/survey/sqlite/sqlitetest"
)

// dropProvince is the standard province with D1's index falling from 80 %
// to 40 % in March 2026 and D2's steady at 80 %: the province's falls
// with D1's, from 80 % to 60 %.
func dropProvince(t *testing.T) *sqlitetest.Province {
	t.Helper()
	p := sqlitetest.New(t, sqlite.Options{})
	for _, m := range []string{"2025-12", "2026-01", "2026-02", "2026-03"} {
		sat := 80
		if m == "2026-03" {
			sat = 40
		}
		p.Seed(t, sqlitetest.Spec{Counter: "D1/Q1", Day: m + "-10", N: sat, Value: 5},
			sqlitetest.Spec{Counter: "D1/Q1", Day: m + "-11", N: 100 - sat, Value: 2},
			sqlitetest.Spec{Counter: "D2/Q1", Day: m + "-10", N: 80, Value: 5},
			sqlitetest.Spec{Counter: "D2/Q1", Day: m + "-11", N: 20, Value: 2})
	}
	return p
}

// TestCLIAlerts: "alerts run" as of a day prints the new alerts, once;
// "alerts list" lists them with its filters, as text or JSON; bad flags
// are refused.
func TestCLIAlerts(t *testing.T) {
	p := dropProvince(t)
	p.Close(t)
	db := p.Path

	out := mustCLI(t, "", "alerts", "run", "--db", db, "--date", "2026-04-05")
	if !strings.Contains(out, "index.drop D1 sipas-2017/overall 2026-03 (open)") || !strings.Contains(out, "index.drop P sipas-2017/overall 2026-03 (open)") || !strings.Contains(out, "2 new alerts (month 2026-03)") ||
		!strings.Contains(out, "/dashboard/agency/D1?from=2026-03-01&to=2026-03-31&instrument=sipas-2017") || strings.Contains(out, " D2 ") {
		t.Fatalf("alerts run:\n%s", out)
	}
	if out := mustCLI(t, "", "alerts", "run", "--db", db, "--date", "2026-04-20"); !strings.Contains(out, "0 new alerts (month 2026-03)") {
		t.Fatalf("second run alerted again:\n%s", out)
	}
	if n := count(t, db, `SELECT count(*) FROM alerts`); n != 2 {
		t.Fatalf("%d alerts stored, want 2", n)
	}

	var list []survey.Alert
	if err := json.Unmarshal([]byte(mustCLI(t, "", "alerts", "list", "--db", db, "--format", "json", "--agency", "D1", "--open", "--kind", survey.AlertDrop)), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Agency != "D1" || list[0].Change == nil || *list[0].Change >= 0 {
		t.Fatalf("list: %+v", list)
	}
	for _, args := range [][]string{{"--agency", "D2"}, {"--acked"}, {"--kind", survey.AlertSetAside}} {
		if out := mustCLI(t, "", append([]string{"alerts", "list", "--db", db}, args...)...); out != "" {
			t.Errorf("alerts list %v: %q, want nothing", args, out)
		}
	}
	for _, bad := range [][]string{
		{"run", "--date", "2026-13-01"},
		{"run", "--adjust", "bonferroni"},
		{"list", "--kind", "nope"},
		{"list", "--open", "--acked"},
		{"list", "--limit", "0"},
		{"list", "--format", "xml"},
		{"list", "--agency", "NOPE"},
		{"frobnicate"},
	} {
		if _, err := runCLI(t, "", append([]string{"alerts", bad[0], "--db", db}, bad[1:]...)...); err == nil {
			t.Errorf("alerts %v: no error", bad)
		}
	}
}

// TestCLIServeAlerts: serve runs the check shortly after start (here after
// its 1 s interval), alerting a task overdue today, and stops cleanly.
func TestCLIServeAlerts(t *testing.T) {
	p := sqlitetest.New(t, sqlite.Options{})
	today := time.Now().In(survey.Vietnam)
	yesterday := today.AddDate(0, 0, -1)
	plan, err := survey.ParsePlan(survey.PlanInput{Agency: "D1", Year: yesterday.Year(), Title: "Kế hoạch"}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreatePlan(t.Context(), plan, cliActor); err != nil {
		t.Fatal(err)
	}
	task, err := survey.ParseTask(plan, survey.TaskInput{Title: "Niêm yết thủ tục", Responsible: "D1", Criteria: []string{"TC1"},
		Start: yesterday.AddDate(0, 0, -7).Format("2006-01-02"), Due: yesterday.Format("2006-01-02")}, p.Instruments)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DB.CreateTask(t.Context(), task, cliActor); err != nil {
		t.Fatal(err)
	}
	p.Close(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", p.Path, "--addr", freeAddr(t), "--alerts-every", "1s", "--integrity-every", "0"},
			strings.NewReader(""), io.Discard, &stderr)
	}()
	for deadline := time.Now().Add(20 * time.Second); count(t, p.Path, `SELECT count(*) FROM alerts WHERE kind = 'task.overdue'`) == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("no overdue-task alert within 20 s:\n%s", stderr.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s")
	}
	if !strings.Contains(stderr.String(), `"msg":"alert check","alerts":1,"task.overdue":1`) {
		t.Fatalf("log lacks the check:\n%s", stderr.String())
	}
	if _, err := runCLI(t, "", "serve", "--db", p.Path, "--addr", freeAddr(t), "--alerts-every", "10ms"); err == nil || !strings.Contains(err.Error(), "--alerts-every") {
		t.Fatalf("--alerts-every 10ms: %v, want a refusal naming the flag", err)
	}
}
