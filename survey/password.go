package survey

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Password policy: at least MinPasswordLen characters and at most
// MaxPasswordBytes bytes (bcrypt reads no further).
const MaxPasswordBytes = 72

// CheckPasswordPolicy returns EINVALID when pw is too short or too long.
func CheckPasswordPolicy(pw string) error {
	if len(pw) < MinPasswordLen {
		return Errorf(EINVALID, "password must have at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordBytes {
		return Errorf(EINVALID, "password must have at most %d bytes", MaxPasswordBytes)
	}
	return nil
}

// HashPassword checks pw against the password policy and returns its bcrypt
// hash.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// Authenticator checks an official's name and password against the user
// store. A successful check is remembered for a minute (keyed by a hash of
// name, password and stored hash), so that API clients sending Basic
// credentials on every request do not pay bcrypt each time.
type Authenticator struct {
	users UserStore
	now   func() time.Time

	dummyOnce sync.Once
	dummy     []byte // compared against for unknown names, made on first use

	mu sync.Mutex
	ok map[[32]byte]time.Time
	// checking holds the credentials being checked for a Remembered miss,
	// closed when that check ends.
	checking map[[32]byte]chan struct{}
}

// NewAuthenticator returns an Authenticator over users.
func NewAuthenticator(users UserStore) *Authenticator {
	return &Authenticator{users: users, now: time.Now, ok: map[[32]byte]time.Time{}, checking: map[[32]byte]chan struct{}{}}
}

// Check returns the user for name and password, or EUNAUTHORIZED with the
// same message whether the name or the password was wrong or the account
// is disabled.
func (a *Authenticator) Check(ctx context.Context, name, password string) (*User, error) {
	bad := Errorf(EUNAUTHORIZED, "wrong user name or password")
	u, err := a.users.FindUser(ctx, name)
	// A disabled account answers exactly like an unknown one, and takes as
	// long, so the answer does not tell whether the account exists.
	if ErrorCode(err) == ENOTFOUND || (err == nil && u.Disabled) {
		bcrypt.CompareHashAndPassword(a.dummyHash(), []byte(password))
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	key := sha256.Sum256([]byte(name + "\x00" + password + "\x00" + u.PasswordHash))
	now := a.now()
	a.mu.Lock()
	exp, hit := a.ok[key]
	a.mu.Unlock()
	if hit && now.Before(exp) {
		return u, nil
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return nil, bad
	}
	a.mu.Lock()
	if len(a.ok) > 10000 {
		a.ok = map[[32]byte]time.Time{}
	}
	a.ok[key] = now.Add(time.Minute)
	a.mu.Unlock()
	return u, nil
}

// Remembered returns the user for name and password when Check accepted
// exactly these credentials within the last minute (and the account is
// still active with the same password), without bcrypt. API clients send
// their credentials with every request, many at once: a sign-in already
// proven must not count against the sign-in throttle's attempts in flight.
//
// When ok is false the caller checks the credentials (under the throttle,
// with Check) and then calls release. Until it does, other requests with
// the same credentials wait in Remembered for that one check instead of
// all starting their own: a client's first burst of requests then costs
// one bcrypt and one throttle attempt, not one each.
func (a *Authenticator) Remembered(ctx context.Context, name, password string) (u *User, ok bool, release func()) {
	noop := func() {}
	u, err := a.users.FindUser(ctx, name)
	if err != nil || u.Disabled {
		return nil, false, noop
	}
	key := sha256.Sum256([]byte(name + "\x00" + password + "\x00" + u.PasswordHash))
	for {
		a.mu.Lock()
		if exp, hit := a.ok[key]; hit && a.now().Before(exp) {
			a.mu.Unlock()
			return u, true, noop
		}
		wait, busy := a.checking[key]
		if !busy {
			done := make(chan struct{})
			a.checking[key] = done
			a.mu.Unlock()
			return nil, false, func() {
				a.mu.Lock()
				delete(a.checking, key)
				a.mu.Unlock()
				close(done)
			}
		}
		a.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, false, noop
		}
	}
}

// dummyHash is a bcrypt hash at the default cost, computed the first time an
// unknown name signs in rather than when the program starts.
func (a *Authenticator) dummyHash() []byte {
	a.dummyOnce.Do(func() {
		a.dummy, _ = bcrypt.GenerateFromPassword([]byte("sipas-no-such-user"), bcrypt.DefaultCost)
	})
	return a.dummy
}
