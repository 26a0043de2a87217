// Package browser holds the end-to-end tests that drive Debian's Chromium
// (with chromedp) through the real server over a real SQLite file: a
// citizen answering on a phone, an official watching an index move, an
// admin creating a counter and printing its poster, and axe-core
// accessibility scans of those pages. The package has no code of its own;
// run scripts/test-deps.sh once to install Chromium and axe-core.
package browser
