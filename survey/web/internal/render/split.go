package render

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"net/http"
)

// Split is a page rendered once around a hole that each answer fills with
// its own text (a citizen's form, whose submission id is fresh every time):
// the parts before and after the hole, and each part compressed once
// (best compression), so that an answer costs a copy and a checksum
// instead of a template execution and a compression.
//
// A gzip member's deflate stream may be cut into pieces that each start
// afresh (no back-reference across a cut) as long as every piece but the
// last ends byte-aligned and not final: the prefix is compressed and
// flushed (a sync flush), the hole is a stored block, and the suffix is
// compressed and closed. The member's CRC-32 is the prefix's continued
// over the hole and the suffix.
type Split struct {
	prefix, suffix   []byte
	zPrefix, zSuffix []byte
	crcPrefix        uint32
}

// NewSplit cuts page at its only occurrence of hole; false when hole is
// not there exactly once. An empty hole keeps the whole page, to be
// written with an empty fill.
func NewSplit(page []byte, hole string) (*Split, bool) {
	i := bytes.Index(page, []byte(hole))
	if hole == "" {
		i = len(page)
	}
	if i < 0 || hole != "" && bytes.Contains(page[i+len(hole):], []byte(hole)) {
		return nil, false
	}
	s := &Split{prefix: page[:i:i], suffix: page[i+len(hole):], crcPrefix: crc32.ChecksumIEEE(page[:i])}
	s.zPrefix = deflate(s.prefix, false)
	s.zSuffix = deflate(s.suffix, true)
	return s, true
}

// deflate compresses p at best compression, closed (the last piece of a
// stream) or flushed (byte-aligned, not final).
func deflate(p []byte, last bool) []byte {
	var buf bytes.Buffer
	// BestCompression is a valid level, so there is no error; writes to a
	// bytes.Buffer do not fail.
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = zw.Write(p)
	if last {
		_ = zw.Close()
	} else {
		_ = zw.Flush()
	}
	return buf.Bytes()
}

// gzipHeader is a gzip member's header: no name, no time, unknown OS.
var gzipHeader = [10]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// Write sends the page with fill in its hole, as WriteBody would send the
// whole page: gzip-compressed when the request accepts it and the page is
// longer than 1024 bytes, with Vary: Accept-Encoding.
func (s *Split) Write(w http.ResponseWriter, r *http.Request, status int, contentType, fill string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Add("Vary", "Accept-Encoding")
	n := len(s.prefix) + len(fill) + len(s.suffix)
	if n <= minGzip || !acceptsGzip(r) || len(fill) > 0xffff {
		w.WriteHeader(status)
		body := make([]byte, 0, n)
		body = append(append(append(body, s.prefix...), fill...), s.suffix...)
		_, _ = w.Write(body)
		return
	}
	body := make([]byte, 0, len(gzipHeader)+len(s.zPrefix)+5+len(fill)+len(s.zSuffix)+8)
	body = append(body, gzipHeader[:]...)
	body = append(body, s.zPrefix...)
	// A stored block, not final: header byte, LEN, NLEN, the bytes.
	body = append(body, 0)
	body = binary.LittleEndian.AppendUint16(body, uint16(len(fill)))
	body = binary.LittleEndian.AppendUint16(body, ^uint16(len(fill)))
	body = append(body, fill...)
	body = append(body, s.zSuffix...)
	crc := crc32.Update(s.crcPrefix, crc32.IEEETable, []byte(fill))
	crc = crc32.Update(crc, crc32.IEEETable, s.suffix)
	body = binary.LittleEndian.AppendUint32(body, crc)
	body = binary.LittleEndian.AppendUint32(body, uint32(n))
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_, _ = w.Write(body)
}
