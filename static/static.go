// Package static holds the CSS and icons of sipas, embedded in the binary.
// The survey page inlines survey.css so that it renders after one round
// trip; other pages link app.css. kiosk.js is the one script, on the
// kiosk form only (a counter's tablet keeps unsent ratings with it).
package static

import "embed"

// Files is the embedded static folder.
//
//go:embed *.css *.svg *.js
var Files embed.FS
