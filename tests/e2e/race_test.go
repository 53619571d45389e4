//go:build race

package e2e

// raceEnabled builds the server binary with -race too when the tests run
// with -race, so the server's own data races fail the run.
const raceEnabled = true
