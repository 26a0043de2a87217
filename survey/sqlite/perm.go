package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/sipas/sipas/survey"
)

// createPrivate creates an empty file at path readable and writable by its
// owner only, unless a file is there already.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// CheckPermissions returns EINVALID, naming every file, when the database
// at path or its -wal or -shm file can be read or written by other users
// than its owner: they hold password hashes and the secrets that sign QR
// codes and key client hashes. Files that do not exist are not a problem.
func CheckPermissions(path string) error {
	var bad []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if m := st.Mode().Perm(); m&0o077 != 0 {
			bad = append(bad, fmt.Sprintf("%s (mode %04o)", p, m))
		}
	}
	if len(bad) > 0 {
		return survey.Errorf(survey.EINVALID, "readable by other users: %s; it holds password hashes and the token secret: chmod 600 it", strings.Join(bad, ", "))
	}
	return nil
}
