package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
	"github.com/sipas/sipas/survey/web/internal/poster"
)

// dossierJSON is a registered dossier as the API answers it: its dates,
// its timeliness now, and the URLs the one-stop software prints. The code
// is the one the caller sent (the server keeps only its keyed hash).
type dossierJSON struct {
	Code          string  `json:"code"`
	Agency        string  `json:"agency"`
	Counter       *string `json:"counter"`
	Procedure     string  `json:"procedure"`
	ProcedureName string  `json:"procedure_name"`
	ReceivedAt    string  `json:"received_at"`
	DueAt         *string `json:"due_at"`
	ReturnedAt    *string `json:"returned_at"`
	// Timeliness is on_time, late or pending; null for a dossier returned
	// without a due date.
	Timeliness *string `json:"timeliness"`
	Rated      bool    `json:"rated"`
	// Created is true when this request registered the code first.
	Created   bool   `json:"created"`
	RatingURL string `json:"rating_url"`
	QRPNGURL  string `json:"qr_png_url"`
	QRSVGURL  string `json:"qr_svg_url"`
	SlipURL   string `json:"slip_url"`
}

func (h *Handler) dossierJSON(code string, d *survey.Dossier, created bool) dossierJSON {
	u := h.Posters.DossierURL(d.ID)
	out := dossierJSON{Code: code, Agency: d.AgencyCode, Procedure: d.Procedure, ProcedureName: d.ProcedureName,
		ReceivedAt: jsonTime(d.ReceivedAt), DueAt: jsonOptTime(d.DueAt), ReturnedAt: jsonOptTime(d.ReturnedAt),
		Rated: d.Rated, Created: created,
		RatingURL: u, QRPNGURL: u + "/qr.png", QRSVGURL: u + "/qr.svg", SlipURL: u + "/slip"}
	if d.CounterCode != "" {
		out.Counter = &d.CounterCode
	}
	if t := d.Timeliness(h.Now()); t != "" {
		out.Timeliness = &t
	}
	return out
}

// jsonTime writes a dossier date in Vietnam's time, as the one-stop
// software sends them.
func jsonTime(t time.Time) string { return t.In(survey.Vietnam).Format(time.RFC3339) }

func jsonOptTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := jsonTime(*t)
	return &s
}

// mayRegister checks that the account may register dossiers and volumes
// for the agency: ENOTFOUND for an unknown agency, EFORBIDDEN for one
// outside an integration account's subtree.
func (h *Handler) mayRegister(ctx context.Context, u *survey.User, code string) error {
	ok, err := survey.CanRegister(ctx, h.Store, u, code)
	if err != nil || ok {
		return err
	}
	// Refused: say 404 rather than 403 when there is no such agency, as
	// the other agency routes do.
	if _, err := h.Store.FindAgency(ctx, code); err != nil {
		return err
	}
	return survey.Errorf(survey.EFORBIDDEN, "agency %q is not in this account's agencies", code)
}

// mayRegisterRows checks the agency of every row of an import (once per
// agency); the error names the file line of the first row refused. An
// unknown agency is bad input here (400), as in the other imports.
func (h *Handler) mayRegisterRows(ctx context.Context, u *survey.User, agencies []string, lines []int) error {
	checked := make(map[string]bool)
	for i, code := range agencies {
		if checked[code] {
			continue
		}
		checked[code] = true
		if err := h.mayRegister(ctx, u, code); err != nil {
			var e *survey.Error
			if !errors.As(err, &e) {
				return err
			}
			out := &survey.Error{Code: e.Code, Message: e.Message, Line: lines[i]}
			if out.Code == survey.ENOTFOUND {
				out.Code = survey.EINVALID
			}
			return out
		}
	}
	return nil
}

// DossierRegister registers a dossier for the one-stop software
// (integration accounts in their subtree, admins): 201 the first time,
// 200 with the same URLs and the dates updated for a code registered
// before.
func (h *Handler) DossierRegister(c *gin.Context) error {
	var in survey.DossierInput
	if err := h.decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := survey.ParseDossier(in)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := h.mayRegister(ctx, httpx.CurrentUser(c), r.AgencyCode); err != nil {
		return err
	}
	saved, err := h.Store.RegisterDossier(ctx, h.Signer.DossierHash(r.Code), r, httpx.Actor(c))
	if err != nil {
		return err
	}
	d := saved.Dossier
	status := http.StatusCreated
	if saved.Created {
		d.CounterCode = r.CounterCode
	} else {
		// An update keeps what it did not name (counter, procedure), and
		// the dossier may be rated already: answer what is stored.
		status = http.StatusOK
		if d, err = h.Store.FindDossierByID(ctx, d.ID); err != nil {
			return err
		}
	}
	c.Header("Location", "/api/v1/dossiers/"+url.PathEscape(r.Code))
	httpx.WriteJSON(c, status, h.dossierJSON(r.Code, d, saved.Created))
	return nil
}

// dossierDates is the body of PATCH /api/v1/dossiers/{code}.
type dossierDates struct {
	ReturnedAt *string `json:"returned_at"`
	DueAt      *string `json:"due_at"`
}

// pathCode is the dossier code of a route's catch-all parameter: codes may
// hold '/', which the catch-all takes as it is or escaped as %2F.
func pathCode(c *gin.Context) (string, error) {
	code := strings.TrimPrefix(c.Param("code"), "/")
	if err := survey.ValidateDossierCode(code); err != nil {
		return "", err
	}
	return code, nil
}

// DossierUpdate sets a registered dossier's return date or due date
// (integration accounts in their subtree, admins).
func (h *Handler) DossierUpdate(c *gin.Context) error {
	code, err := pathCode(c)
	if err != nil {
		return err
	}
	var req dossierDates
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	var p survey.DossierPatch
	for _, f := range []struct {
		name string
		v    *string
		dst  **time.Time
	}{{"returned_at", req.ReturnedAt, &p.ReturnedAt}, {"due_at", req.DueAt, &p.DueAt}} {
		if f.v == nil || *f.v == "" {
			continue
		}
		t, err := survey.ParseDossierTime(f.name, *f.v)
		if err != nil {
			return err
		}
		*f.dst = &t
	}
	if p.ReturnedAt == nil && p.DueAt == nil {
		return survey.Errorf(survey.EINVALID, "give returned_at or due_at")
	}
	ctx := c.Request.Context()
	hash := h.Signer.DossierHash(code)
	d, err := h.Store.FindDossier(ctx, hash)
	if err != nil {
		return err
	}
	if err := h.mayRegister(ctx, httpx.CurrentUser(c), d.AgencyCode); err != nil {
		return err
	}
	if d, err = h.Store.PatchDossier(ctx, hash, p, httpx.Actor(c)); err != nil {
		return err
	}
	httpx.WriteJSON(c, http.StatusOK, h.dossierJSON(code, d, false))
	return nil
}

type dossierImportReply struct {
	Imported int `json:"imported"`
	Created  int `json:"created"`
	Updated  int `json:"updated"`
}

// DossierImport registers every dossier of a CSV file in one transaction,
// or none (integration accounts in their subtree, admins): 201 when it
// registered at least one new code, else 200.
func (h *Handler) DossierImport(c *gin.Context) error {
	body, err := readCSVBody(c)
	if err != nil {
		return err
	}
	rs, lines, err := survey.ParseDossiersCSV(bytes.NewReader(body))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	agencies := make([]string, len(rs))
	hashes := make([][]byte, len(rs))
	for i, r := range rs {
		agencies[i], hashes[i] = r.AgencyCode, h.Signer.DossierHash(r.Code)
	}
	if err := h.mayRegisterRows(ctx, httpx.CurrentUser(c), agencies, lines); err != nil {
		return err
	}
	created, err := h.Store.ImportDossiers(ctx, hashes, rs, httpx.Actor(c))
	if err != nil {
		return importError(err, lines)
	}
	status := http.StatusOK
	if created > 0 {
		status = http.StatusCreated
	}
	httpx.WriteJSON(c, status, dossierImportReply{Imported: len(rs), Created: created, Updated: len(rs) - created})
	return nil
}

// MaxSlips caps the codes of one sheet of slips (30 A4 pages).
const MaxSlips = 30 * poster.SlipsPerPage

type slipsRequest struct {
	Codes []string `json:"codes"`
}

// DossierSlips answers a printable A4 sheet of the slips of registered
// dossiers, each labelled with its code (integration accounts in their
// subtree, admins).
func (h *Handler) DossierSlips(c *gin.Context) error {
	var req slipsRequest
	if err := h.decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Codes) == 0 || len(req.Codes) > MaxSlips {
		return survey.Errorf(survey.EINVALID, "codes: give 1 to %d dossier codes", MaxSlips)
	}
	ctx := c.Request.Context()
	u := httpx.CurrentUser(c)
	items := make([]poster.SlipSheetItem, 0, len(req.Codes))
	for _, code := range req.Codes {
		if err := survey.ValidateDossierCode(code); err != nil {
			return err
		}
		d, err := h.Store.FindDossier(ctx, h.Signer.DossierHash(code))
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return survey.Errorf(survey.ENOTFOUND, "dossier %q is not registered", code)
		} else if err != nil {
			return err
		}
		if err := h.mayRegister(ctx, u, d.AgencyCode); err != nil {
			return err
		}
		items = append(items, poster.SlipSheetItem{URL: h.Posters.DossierURL(d.ID), Label: "Mã hồ sơ: " + code})
	}
	page, csp, err := poster.SlipSheet("Phiếu đánh giá hồ sơ", items)
	if err != nil {
		return err
	}
	c.Header("Content-Security-Policy", csp)
	c.Header("Cache-Control", "no-store")
	httpx.WriteBody(c, http.StatusOK, "text/html; charset=utf-8", page)
	return nil
}

// DossierSlip answers the print block of one dossier as SVG (60 × 40 mm):
// public, like its QR code, since the token is the slip's own URL and the
// block shows nothing but that URL. A counter's token has no slip (404).
func (h *Handler) DossierSlip(c *gin.Context) error {
	tg, err := survey.ResolveToken(c.Request.Context(), h.Signer, h.Store, h.Instruments, c.Param("token"))
	if err != nil {
		return err
	}
	if tg.Dossier == nil {
		return survey.Errorf(survey.ENOTFOUND, "a counter's QR code has a poster, not a slip")
	}
	svg, err := poster.Slip(h.Posters.SurveyURL(tg.Token), "")
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, max-age=3600")
	httpx.WriteBody(c, http.StatusOK, "image/svg+xml", svg)
	return nil
}
