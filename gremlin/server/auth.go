package server

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// MinBcryptCost is the lowest bcrypt cost a credentials file may use.
const MinBcryptCost = 10

// Credentials maps user names to bcrypt password hashes.
//
// The file format is htpasswd's bcrypt form, one user per line:
//
//	# comment
//	stephen:$2y$10$...
//
// (`htpasswd -nbB user pass` prints such a line; so does `kvtgraph passwd`.)
type Credentials struct {
	hashes map[string][]byte
}

// dummyHash (bcrypt, cost 10, of a password nobody knows) is compared
// against when the user is unknown, so a wrong user name takes as long as a
// wrong password.
var dummyHash = []byte("$2a$10$jxmPDdjehSGSno.7JX2Lz.JiYn3/ME6oN7tLPyfd9TjxfRG5Er4Dq")

// LoadCredentials reads a credentials file.
func LoadCredentials(path string) (*Credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	c, err := ParseCredentials(data)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	return c, nil
}

// ParseCredentials parses the contents of a credentials file. Hashes must
// be bcrypt with cost at least MinBcryptCost.
func ParseCredentials(data []byte) (*Credentials, error) {
	c := &Credentials{hashes: map[string][]byte{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok || user == "" || hash == "" {
			return nil, fmt.Errorf("line %d: expected user:bcrypt-hash", n)
		}
		cost, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return nil, fmt.Errorf("line %d (user %q): not a bcrypt hash: %v", n, user, err)
		}
		if cost < MinBcryptCost {
			return nil, fmt.Errorf("line %d (user %q): bcrypt cost %d is below the minimum %d", n, user, cost, MinBcryptCost)
		}
		if _, dup := c.hashes[user]; dup {
			return nil, fmt.Errorf("line %d: user %q appears twice", n, user)
		}
		c.hashes[user] = []byte(hash)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// HashPassword returns a credentials-file line for user.
func HashPassword(user, password string) (string, error) {
	if user == "" || strings.ContainsAny(user, ":\n") {
		return "", errors.New("user name must be non-empty and contain no ':' or newline")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), MinBcryptCost)
	if err != nil {
		return "", err
	}
	return user + ":" + string(h), nil
}

// Authenticate checks a user name and password.
func (c *Credentials) Authenticate(user, password string) error {
	h, ok := c.hashes[user]
	if !ok {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return errBadCredentials
	}
	if bcrypt.CompareHashAndPassword(h, []byte(password)) != nil {
		return errBadCredentials
	}
	return nil
}

// errBadCredentials carries Gremlin Server's message for a failed login.
var errBadCredentials = &Error{Code: 401, Msg: "Username and/or password are incorrect"}

// parseSASLPlain decodes a SASL PLAIN response ([authzid] NUL authcid NUL
// passwd), base64 encoded as clients send it in the sasl argument.
func parseSASLPlain(b64 string) (user, password string, err error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", "", fmt.Errorf("sasl argument is not base64: %v", err)
	}
	parts := bytes.Split(raw, []byte{0})
	if len(parts) != 3 {
		return "", "", errors.New("sasl argument is not a SASL PLAIN response ([authzid] NUL user NUL password)")
	}
	return string(parts[1]), string(parts[2]), nil
}
