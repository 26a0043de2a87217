package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sipas/sipas/survey"
	"github.com/sipas/sipas/survey/web/internal/httpx"
)

type volumeImportReply struct {
	Imported int `json:"imported"`
	// Rows says, for each row in the file's order, whether it replaced a
	// count imported before (replaced_import, null when none) and how many
	// registered dossiers of that agency and month it stands in for.
	Rows []survey.VolumeImported `json:"rows"`
}

// VolumeImport stores the monthly dossier counts of a CSV file (header
// agency,month,dossiers) in one transaction, or none (integration accounts
// in their subtree, admins). An imported count replaces one imported
// before for the same agency and month, and the registered dossiers of
// that month.
func (h *Handler) VolumeImport(c *gin.Context) error {
	body, err := readCSVBody(c)
	if err != nil {
		return err
	}
	vs, lines, err := survey.ParseVolumesCSV(bytes.NewReader(body))
	if err != nil {
		return err
	}
	agencies := make([]string, len(vs))
	for i, v := range vs {
		agencies[i] = v.AgencyCode
	}
	ctx := c.Request.Context()
	if err := h.mayRegisterRows(ctx, httpx.CurrentUser(c), agencies, lines); err != nil {
		return err
	}
	rows, err := h.Store.ImportVolumes(ctx, vs, httpx.Actor(c))
	if err != nil {
		return importError(err, lines)
	}
	if rows == nil {
		rows = []survey.VolumeImported{}
	}
	httpx.WriteJSON(c, http.StatusCreated, volumeImportReply{Imported: len(vs), Rows: rows})
	return nil
}
