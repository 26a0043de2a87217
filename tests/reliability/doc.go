// Package reliability holds end-to-end tests of the real sipas binary:
// durability under SIGKILL, graceful shutdown on SIGTERM and SIGINT, and
// online backups under load. It has no code of its own; see the _test.go
// files and docs/guarantees.md.
package reliability
