// Package static holds the CSS and icons of sipas, embedded in the binary.
// The survey page inlines survey.css so that it renders after one round
// trip; other pages link app.css.
package static

import "embed"

// Files is the embedded static folder.
//
//go:embed *.css *.svg
var Files embed.FS
