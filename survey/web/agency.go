package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
)

type agencyRequest struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent"`
}

type agencyPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
}

func (s *Server) handleAgencyList(c *gin.Context) {
	u := currentUser(c)
	root := ""
	if u.Role != survey.RoleAdmin {
		root = u.AgencyCode
	}
	as, err := s.store.ListAgencies(c.Request.Context(), root)
	if err != nil {
		s.failErr(c, err)
		return
	}
	if as == nil {
		as = []*survey.Agency{}
	}
	writeJSON(c, http.StatusOK, as)
}

func (s *Server) handleAgencyCreate(c *gin.Context) {
	var req agencyRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	a := &survey.Agency{Code: req.Code, Name: req.Name, ParentCode: req.Parent}
	if err := s.store.CreateAgency(c.Request.Context(), a, actor(c)); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			err = survey.Errorf(survey.EINVALID, "%s", survey.ErrorMessage(err))
		}
		s.failErr(c, err)
		return
	}
	c.Header("Location", "/api/v1/agencies/"+a.Code)
	writeJSON(c, http.StatusCreated, a)
}

func (s *Server) handleAgencyGet(c *gin.Context) {
	a := s.authorizeAgency(c, c.Param("code"))
	if a == nil {
		return
	}
	writeJSON(c, http.StatusOK, a)
}

func (s *Server) handleAgencyUpdate(c *gin.Context) {
	var req agencyPatch
	if !s.decodeJSON(c, &req) {
		return
	}
	a, err := s.store.UpdateAgency(c.Request.Context(), c.Param("code"), survey.AgencyUpdate{Name: req.Name, Closed: req.Closed}, actor(c))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, a)
}

// counterJSON is a counter with the URLs of its survey, QR codes and poster.
type counterJSON struct {
	*survey.Counter
	SurveyURL string `json:"survey_url"`
	QRPNGURL  string `json:"qr_png_url"`
	QRSVGURL  string `json:"qr_svg_url"`
	PosterURL string `json:"poster_url"`
	// KioskURL opens the form in kiosk mode with the counter's kiosk key
	// (higher rate limit, kiosk channel): shown to admins only, who set up
	// the counter's tablet.
	KioskURL string `json:"kiosk_url,omitempty"`
}

func (s *Server) counterJSON(c *gin.Context, cn *survey.Counter) counterJSON {
	tok := s.signer.Token(cn.ID, cn.TokenVersion)
	base := s.cfg.BaseURL + "/s/" + tok
	out := counterJSON{Counter: cn, SurveyURL: base, QRPNGURL: base + "/qr.png", QRSVGURL: base + "/qr.svg", PosterURL: base + "/poster"}
	if u := currentUser(c); u != nil && u.Role == survey.RoleAdmin {
		out.KioskURL = base + "?kiosk=" + s.signer.KioskKey(cn.ID, cn.TokenVersion)
	}
	return out
}

type counterRequest struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Instrument string `json:"instrument"`
}

type counterPatch struct {
	Name   *string `json:"name"`
	Closed *bool   `json:"closed"`
}

func (s *Server) handleCounterList(c *gin.Context) {
	a := s.authorizeAgency(c, c.Param("code"))
	if a == nil {
		return
	}
	cs, err := s.store.ListCounters(c.Request.Context(), a.Code)
	if err != nil {
		s.failErr(c, err)
		return
	}
	out := make([]counterJSON, 0, len(cs))
	for _, cn := range cs {
		out = append(out, s.counterJSON(c, cn))
	}
	writeJSON(c, http.StatusOK, out)
}

func (s *Server) handleCounterCreate(c *gin.Context) {
	var req counterRequest
	if !s.decodeJSON(c, &req) {
		return
	}
	cn := &survey.Counter{AgencyCode: c.Param("code"), Code: req.Code, Name: req.Name, Instrument: req.Instrument}
	if err := s.store.CreateCounter(c.Request.Context(), cn, actor(c)); err != nil {
		s.failErr(c, err)
		return
	}
	c.Header("Location", "/api/v1/agencies/"+cn.AgencyCode+"/counters/"+cn.Code)
	writeJSON(c, http.StatusCreated, s.counterJSON(c, cn))
}

func (s *Server) handleCounterGet(c *gin.Context) {
	a := s.authorizeAgency(c, c.Param("code"))
	if a == nil {
		return
	}
	cn, err := s.store.FindCounter(c.Request.Context(), a.Code, c.Param("counter"))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, s.counterJSON(c, cn))
}

func (s *Server) handleCounterUpdate(c *gin.Context) {
	var req counterPatch
	if !s.decodeJSON(c, &req) {
		return
	}
	cn, err := s.store.UpdateCounter(c.Request.Context(), c.Param("code"), c.Param("counter"), survey.CounterUpdate{Name: req.Name, Closed: req.Closed}, actor(c))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, s.counterJSON(c, cn))
}

func (s *Server) handleCounterRotate(c *gin.Context) {
	cn, err := s.store.RotateCounterToken(c.Request.Context(), c.Param("code"), c.Param("counter"), actor(c))
	if err != nil {
		s.failErr(c, err)
		return
	}
	writeJSON(c, http.StatusOK, s.counterJSON(c, cn))
}

type importReply struct {
	Imported int `json:"imported"`
}

// readCSVBody checks the content type and reads a CSV import body (capped
// by limitBody at MaxImportBody). It answers the error itself.
func (s *Server) readCSVBody(c *gin.Context) ([]byte, bool) {
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt != "text/csv" {
		s.fail(c, http.StatusUnsupportedMediaType, "Content-Type must be text/csv")
		return nil, false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if isTooLarge(err) {
			s.fail(c, http.StatusRequestEntityTooLarge, "CSV file too large")
		} else {
			s.fail(c, http.StatusBadRequest, "could not read the request body")
		}
		return nil, false
	}
	return body, true
}

// importError answers a failed import: the error names the CSV line.
func (s *Server) importError(c *gin.Context, err error, lines []int) {
	err = survey.ImportLine(err, lines)
	if survey.ErrorCode(err) == survey.ENOTFOUND { // an unknown parent or agency is bad input here
		var e *survey.Error
		if errors.As(err, &e) {
			e.Code = survey.EINVALID
		}
	}
	s.failErr(c, err)
}

// handleAgencyImport creates every agency of a CSV file (header
// code,name,parent) in one transaction, or none.
func (s *Server) handleAgencyImport(c *gin.Context) {
	body, ok := s.readCSVBody(c)
	if !ok {
		return
	}
	as, lines, err := survey.ParseAgenciesCSV(bytes.NewReader(body))
	if err != nil {
		s.failErr(c, err)
		return
	}
	if err := s.store.ImportAgencies(c.Request.Context(), as, actor(c)); err != nil {
		s.importError(c, err, lines)
		return
	}
	writeJSON(c, http.StatusCreated, importReply{Imported: len(as)})
}

// handleCounterImport creates every counter of a CSV file (header
// agency,code,name,instrument) in one transaction, or none.
func (s *Server) handleCounterImport(c *gin.Context) {
	body, ok := s.readCSVBody(c)
	if !ok {
		return
	}
	cs, lines, err := survey.ParseCountersCSV(bytes.NewReader(body), s.instruments)
	if err != nil {
		s.failErr(c, err)
		return
	}
	if err := s.store.ImportCounters(c.Request.Context(), cs, actor(c)); err != nil {
		s.importError(c, err, lines)
		return
	}
	writeJSON(c, http.StatusCreated, importReply{Imported: len(cs)})
}
