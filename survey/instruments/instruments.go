// Package instruments embeds the survey instruments as versioned data files.
// A file, once released, is never edited: a change to an instrument is a new
// file with a higher version, so responses stored under an older version keep
// their meaning.
package instruments

import "embed"

// Files holds every instrument version, one JSON file each, named ID.vN.json.
//
//go:embed *.json
var Files embed.FS
