package httpx

import "strings"

// CSVUpload reports whether the request path is one that takes a CSV file:
// an import (…/import) or a whole reorganisation
// (/api/v1/agencies/reorganise). Those get the import body cap and may be
// sent as text/csv; every other state-changing API call must be JSON.
func CSVUpload(path string) bool {
	return strings.HasSuffix(path, "/import") || path == "/api/v1/agencies/reorganise"
}
