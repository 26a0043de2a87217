package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/webtest"
)

// slipSVG is what the tests read of a slip.
type slipSVG struct {
	Width   string `xml:"width,attr"`
	Height  string `xml:"height,attr"`
	ViewBox string `xml:"viewBox,attr"`
	Path    struct {
		D         string `xml:"d,attr"`
		Transform string `xml:"transform,attr"`
	} `xml:"path"`
	Texts []struct {
		Text  string `xml:",chardata"`
		Spans []struct {
			Text string `xml:",chardata"`
		} `xml:"tspan"`
	} `xml:"text"`
}

func parseSlip(t *testing.T, b []byte) slipSVG {
	t.Helper()
	var s slipSVG
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("slip is not well-formed SVG: %v\n%.500s", err, b)
	}
	return s
}

// text returns the slip's text, lines joined by spaces.
func (s slipSVG) text() string {
	var parts []string
	for _, t := range s.Texts {
		if strings.TrimSpace(t.Text) != "" {
			parts = append(parts, strings.TrimSpace(t.Text))
		}
		for _, sp := range t.Spans {
			parts = append(parts, sp.Text)
		}
	}
	return strings.Join(parts, " ")
}

var (
	slipRunRE   = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)
	slipScaleRE = regexp.MustCompile(`^scale\(([0-9.]+)\)$`)
)

// rasterize prints the slip's QR code as a printer would at 300 dpi: its
// path of module runs, scaled to millimetres, on white.
func (s slipSVG) rasterize(t *testing.T) image.Image {
	t.Helper()
	m := slipScaleRE.FindStringSubmatch(s.Path.Transform)
	if m == nil {
		t.Fatalf("QR path transform %q", s.Path.Transform)
	}
	mmPerModule, _ := strconv.ParseFloat(m[1], 64)
	dark := map[[2]int]bool{}
	runs := slipRunRE.FindAllStringSubmatch(s.Path.D, -1)
	if len(runs) < 50 || len(strings.Join(slipRunRE.FindAllString(s.Path.D, -1), "")) != len(s.Path.D) {
		t.Fatalf("QR path is not runs of modules: %.200s", s.Path.D)
	}
	for _, r := range runs {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		n, _ := strconv.Atoi(r[3])
		for i := 0; i < n; i++ {
			dark[[2]int{x + i, y}] = true
		}
	}
	const pxPerMM = 300 / 25.4
	w, h := 60*pxPerMM, 40*pxPerMM
	img := image.NewGray(image.Rect(0, 0, int(w), int(h)))
	for py := 0; py < img.Rect.Dy(); py++ {
		for px := 0; px < img.Rect.Dx(); px++ {
			mx := int(math.Floor(float64(px) / pxPerMM / mmPerModule))
			my := int(math.Floor(float64(py) / pxPerMM / mmPerModule))
			c := color.Gray{Y: 255}
			if dark[[2]int{mx, my}] {
				c.Y = 0
			}
			img.SetGray(px, py, c)
		}
	}
	return img
}

// zbar decodes the QR code in img with zbarimg.
func zbar(t *testing.T, img image.Image) string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg not found: run scripts/test-deps.sh (Debian package zbar-tools)")
	}
	path := filepath.Join(t.TempDir(), "slip.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(bin, "--quiet", "--raw", path).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// The slip is a 60 × 40 mm SVG whose QR code, printed at 300 dpi, decodes
// to the dossier's rating URL, with that URL and the instruction.
func TestDossierSlip(t *testing.T) {
	e := webtest.New(t)
	d := register(t, e, "integ", dossierH13, http.StatusCreated)
	w := e.Do(t, webtest.Request{URL: strings.TrimPrefix(d.SlipURL, webtest.BaseURL)})
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("slip: got %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	s := parseSlip(t, w.Body.Bytes())
	if s.Width != "60mm" || s.Height != "40mm" || s.ViewBox != "0 0 60 40" {
		t.Fatalf("slip size %s × %s, viewBox %q", s.Width, s.Height, s.ViewBox)
	}
	text := s.text()
	for _, want := range []string{"Quét mã để đánh giá sự hài lòng của Ông/Bà", d.RatingURL} {
		if !strings.Contains(text, want) {
			t.Fatalf("slip text %q lacks %q", text, want)
		}
	}
	if strings.Contains(w.Body.String(), "H13") {
		t.Fatalf("the public slip shows the dossier code")
	}
	if got := zbar(t, s.rasterize(t)); got != d.RatingURL {
		t.Fatalf("slip QR decodes to %q, want %q", got, d.RatingURL)
	}
}

func TestDossierSlipErrors(t *testing.T) {
	webtest.Run(t, []webtest.Scenario{
		{Name: "a counter's token has no slip", URL: "/s/{D1/Q1}/slip", WantStatus: 404},
		{Name: "a forged dossier token", URL: "/s/{FORGED-DOSSIER}/slip", WantStatus: 404},
		{Name: "not a token", URL: "/s/nothing/slip", WantStatus: 404},
		{Name: "a closed agency's dossier", URL: "/s/{DOSSIER:c1}/slip", WantStatus: 410,
			Before: []webtest.Request{{Method: "PATCH", URL: "/api/v1/agencies/C1", User: "admin", Body: `{"closed": true}`}}},
		{Name: "an open one", URL: "/s/{DOSSIER:c1}/slip", WantStatus: 200, WantContains: []string{`width="60mm"`}},
	}, webtest.WithDossiers(map[string]survey.DossierRegistration{"c1": {AgencyCode: "C1"}}))
}

// The A4 sheet: 18 slips a page, each labelled with its code, with a CSP
// that allows its one inline stylesheet by hash.
func TestDossierSlipSheet(t *testing.T) {
	e := webtest.New(t)
	var codes []string
	urls := map[string]string{}
	for i := range 20 {
		code := fmt.Sprintf("H13.22-261102-%04d", i+1)
		agency := "D1"
		if i%2 == 1 {
			agency = "C1"
		}
		d := register(t, e, "integ", `{"code": "`+code+`", "agency": "`+agency+`", "received_at": "2026-04-02T08:15:00+07:00"}`, http.StatusCreated)
		codes = append(codes, `"`+code+`"`)
		urls[code] = d.RatingURL
	}
	w := e.Do(t, webtest.Request{Method: "POST", URL: "/api/v1/dossiers/slips", User: "integ", Body: `{"codes": [` + strings.Join(codes, ",") + `]}`})
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("sheet: got %d %q: %.300s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	page := w.Body.String()
	if n := strings.Count(page, `<section class="page">`); n != 2 {
		t.Fatalf("got %d pages, want 2 (18 + 2 slips)", n)
	}
	if n := strings.Count(page, `<svg `); n != 20 {
		t.Fatalf("got %d slips, want 20", n)
	}
	for code, u := range urls {
		if !strings.Contains(page, "Mã hồ sơ: "+code) || !strings.Contains(page, u) {
			t.Fatalf("sheet lacks the slip of %s (%s)", code, u)
		}
	}
	css := page[strings.Index(page, "<style>")+len("<style>") : strings.Index(page, "</style>")]
	if !strings.Contains(css, "@page{size:A4") {
		t.Fatalf("stylesheet %q has no A4 page size", css)
	}
	sum := sha256.Sum256([]byte(css))
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q does not allow the sheet's stylesheet by hash", csp)
	}
	checkSecurityHeaders(t, "slip sheet", w)

	webtest.Run(t, []webtest.Scenario{
		{Name: "a code not registered", Method: "POST", URL: "/api/v1/dossiers/slips", User: "integ", Body: `{"codes": ["H13-NOPE"]}`, WantStatus: 404,
			WantContains: []string{`dossier \"H13-NOPE\" is not registered`}},
		{Name: "another subtree's dossier", Method: "POST", URL: "/api/v1/dossiers/slips", User: "integ", Body: `{"codes": ["webtest-d2"]}`, WantStatus: 403},
		{Name: "an official", Method: "POST", URL: "/api/v1/dossiers/slips", User: "off", Body: `{"codes": ["webtest-d2"]}`, WantStatus: 403},
		{Name: "no codes", Method: "POST", URL: "/api/v1/dossiers/slips", User: "admin", Body: `{"codes": []}`, WantStatus: 400},
		{Name: "too many codes", Method: "POST", URL: "/api/v1/dossiers/slips", User: "admin", Body: `{"codes": [` + strings.TrimSuffix(strings.Repeat(`"webtest-d2",`, 541), ",") + `]}`, WantStatus: 400},
		{Name: "admin", Method: "POST", URL: "/api/v1/dossiers/slips", User: "admin", Body: `{"codes": ["webtest-d2"]}`, WantStatus: 200, WantContains: []string{"Mã hồ sơ: webtest-d2"},
			Check: func(t *testing.T, e *webtest.Env, w *httptest.ResponseRecorder) {
				if w.Header().Get("Cache-Control") != "no-store" {
					t.Fatalf("Cache-Control %q", w.Header().Get("Cache-Control"))
				}
			}},
	}, webtest.WithDossiers(map[string]survey.DossierRegistration{"d2": {AgencyCode: "D2"}}))
}
