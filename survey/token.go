package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"strings"
	"sync"
)

// Signer makes and checks counter tokens: the counter id and its token
// version, signed with HMAC-SHA256 under a server secret, so that a
// photographed QR code cannot be edited to rate another counter.
type Signer struct {
	key []byte
	// macs holds keyed HMAC-SHA256 states: Reset brings one back to its
	// keyed start, so a signature costs no key setup or allocation (every
	// submission verifies one token and signs its public id).
	macs sync.Pool
}

// NewSigner returns a Signer for the secret key (at least 32 bytes).
func NewSigner(key []byte) *Signer {
	s := &Signer{key: append([]byte(nil), key...)}
	s.macs.New = func() any { return hmac.New(sha256.New, s.key) }
	return s
}

// mac returns HMAC-SHA256 under the key of label followed by parts, cut
// to sigLen bytes.
func (s *Signer) mac(label string, parts ...[]byte) []byte {
	m := s.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(label))
	for _, p := range parts {
		m.Write(p)
	}
	var sum [sha256.Size]byte
	out := m.Sum(sum[:0])[:sigLen]
	s.macs.Put(m)
	return append([]byte(nil), out...)
}

const sigLen = 12 // bytes of HMAC kept: 96 bits

// b64 decodes strictly, so a token has exactly one spelling.
var b64 = base64.RawURLEncoding.Strict()

// Token returns the token of a counter at a token version.
func (s *Signer) Token(counterID int64, version int) string {
	payload := binary.AppendUvarint(nil, uint64(counterID))
	payload = binary.AppendUvarint(payload, uint64(version))
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(s.sign(payload))
}

func (s *Signer) sign(payload []byte) []byte {
	return s.mac("sipas-counter-token\x00", payload)
}

// Verify checks a token and returns the counter id and token version it
// names. A malformed or forged token returns EINVALID; whether the version is
// still current is for the caller to check against the counter.
func (s *Signer) Verify(token string) (counterID int64, version int, err error) {
	bad := Errorf(EINVALID, "invalid survey code")
	if len(token) > 64 {
		return 0, 0, bad
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return 0, 0, bad
	}
	payload, err1 := b64.DecodeString(p)
	mac, err2 := b64.DecodeString(sig)
	if err1 != nil || err2 != nil || len(mac) != sigLen {
		return 0, 0, bad
	}
	if !hmac.Equal(mac, s.sign(payload)) {
		return 0, 0, bad
	}
	id, n := binary.Uvarint(payload)
	if n <= 0 || id == 0 || id > 1<<53 {
		return 0, 0, bad
	}
	v, m := binary.Uvarint(payload[n:])
	if m <= 0 || n+m != len(payload) || v == 0 || v > 1<<31 {
		return 0, 0, bad
	}
	return int64(id), int(v), nil
}

// KioskKey returns the key that marks counter c's own tablet (kiosk mode):
// submissions carrying it get the kiosk channel and the higher kiosk rate
// limit. It signs the counter, its token version and its kiosk version, so
// it changes when the counter's token is rotated (RotateCounterToken) and
// when its kiosk key alone is (RotateKioskKey).
func (s *Signer) KioskKey(c *Counter) string {
	return s.kioskKey(c.ID, c.TokenVersion, c.KioskVersion)
}

// VerifyKiosk reports whether key is the current kiosk key of counter c: a
// key of an earlier token or kiosk version is refused.
func (s *Signer) VerifyKiosk(c *Counter, key string) bool {
	if len(key) > 32 || key == "" {
		return false
	}
	return hmac.Equal([]byte(key), []byte(s.KioskKey(c)))
}

// kioskKey signs the counter id, its token version and, from 2 on, its
// kiosk version: the key of kiosk version 1 is the one issued before kiosk
// keys had versions, so tablets set up then keep working. (Uvarints are
// self-delimiting: a payload with the kiosk version never equals one
// without.)
func (s *Signer) kioskKey(counterID int64, tokenVersion, kioskVersion int) string {
	payload := binary.AppendUvarint([]byte("kiosk\x00"), uint64(counterID))
	payload = binary.AppendUvarint(payload, uint64(tokenVersion))
	if kioskVersion > 1 {
		payload = binary.AppendUvarint(payload, uint64(kioskVersion))
	}
	return b64.EncodeToString(s.sign(payload))
}

// PublicID returns the id a stored response is known by outside the server
// (the answer of POST /api/v1/responses): a keyed hash of its row id, so
// that the ids given out reveal neither how many responses there are nor
// their order. It is the same for every replay of the response.
func (s *Signer) PublicID(responseID int64) string {
	return b64.EncodeToString(s.mac("sipas-response-id\x00", binary.AppendUvarint(nil, uint64(responseID))))
}

// DossierToken returns the token of a dossier's rating URL: like a counter
// token, but signed under its own label, so that neither kind verifies as
// the other. It names the dossier's row id, never its code.
func (s *Signer) DossierToken(dossierID int64) string {
	payload := binary.AppendUvarint(nil, uint64(dossierID))
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(s.mac("sipas-dossier-token\x00", payload))
}

// VerifyDossier checks a dossier token and returns the dossier id it names
// (EINVALID for anything else, counter tokens included).
func (s *Signer) VerifyDossier(token string) (int64, error) {
	bad := Errorf(EINVALID, "invalid survey code")
	if len(token) > 64 {
		return 0, bad
	}
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return 0, bad
	}
	payload, err1 := b64.DecodeString(p)
	mac, err2 := b64.DecodeString(sig)
	if err1 != nil || err2 != nil || len(mac) != sigLen || !hmac.Equal(mac, s.mac("sipas-dossier-token\x00", payload)) {
		return 0, bad
	}
	id, n := binary.Uvarint(payload)
	if n <= 0 || n != len(payload) || id == 0 || id > 1<<53 {
		return 0, bad
	}
	return int64(id), nil
}

// DossierHash returns the keyed hash under which a dossier code is stored
// and looked up (HMAC-SHA256, all 32 bytes): a copy of the database does
// not reveal which dossiers were filed without the server's secret.
func (s *Signer) DossierHash(code string) []byte {
	m := s.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte("sipas-dossier-code\x00"))
	m.Write([]byte(code))
	out := m.Sum(nil)
	s.macs.Put(m)
	return out
}
