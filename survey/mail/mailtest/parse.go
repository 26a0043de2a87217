package mailtest

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// Decoded is a received message taken apart: the decoded subject, the raw
// Subject header, the content type and the text and HTML parts decoded.
type Decoded struct {
	Subject, RawSubject, ContentType, Text, HTML string
	Header                                       map[string][]string
}

// Decode takes apart a multipart/alternative message (or a single part).
func Decode(tb testing.TB, r Received) *Decoded {
	tb.Helper()
	m := Parse(tb, r)
	d := &Decoded{RawSubject: m.Header.Get("Subject"), ContentType: m.Header.Get("Content-Type"), Header: m.Header}
	var dec mime.WordDecoder
	subj, err := dec.DecodeHeader(d.RawSubject)
	if err != nil {
		tb.Fatalf("subject %q: %v", d.RawSubject, err)
	}
	d.Subject = subj
	mt, params, err := mime.ParseMediaType(d.ContentType)
	if err != nil {
		tb.Fatalf("content type %q: %v", d.ContentType, err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		d.Text = body(tb, m.Header.Get("Content-Transfer-Encoding"), m.Body)
		return d
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		b := body(tb, p.Header.Get("Content-Transfer-Encoding"), p)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			d.Text = b
		case "text/html":
			d.HTML = b
		}
	}
	return d
}

func body(tb testing.TB, enc string, r io.Reader) string {
	tb.Helper()
	switch strings.ToLower(enc) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	// Lines travel as CRLF; the tests compare them as Go strings.
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}
