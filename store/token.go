package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Token is an API token. Only a hash of its secret is stored: the secret is
// shown once, when the token is made.
type Token struct {
	// ID is public: it names the token in lists and when revoking it.
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	BodyKey   string     `json:"bodyKey"`
	Role      Role       `json:"role"`
	CreatedAt time.Time  `json:"createdAt"`
	CreatedBy string     `json:"createdBy,omitempty"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
	Hash      string     `json:"hash"`
}

// Actor returns who acts with the token.
func (t *Token) Actor() Actor {
	return Actor{TokenID: t.ID, TokenName: t.Name, BodyKey: t.BodyKey, Role: t.Role}
}

const tokenPrefix = "hp_"

func tokenKey(hash string) []byte { return []byte("t/" + hash) }
func tokenIDKey(id string) []byte { return []byte("u/tokid/" + id) }

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token for a body with a role and returns its secret
// (shown only now) and the stored token. Returns Invalid for an unknown
// role and NotFound for an unknown body.
func (db *DB) CreateToken(ctx context.Context, actor Actor, bodyKey string, role Role, name string) (string, *Token, error) {
	if !role.IsValid() {
		return "", nil, FieldErrorf(Invalid, "role", "role %q is not one of ADMIN, EDITOR, REPORTER, READER", role)
	}
	if strings.TrimSpace(name) == "" {
		name = bodyKey + "-" + strings.ToLower(string(role))
	}
	if len(name) > 100 {
		return "", nil, FieldErrorf(Invalid, "name", "name must be at most 100 characters")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	idRaw := make([]byte, 6)
	if _, err := rand.Read(idRaw); err != nil {
		return "", nil, err
	}
	t := &Token{ID: "tok-" + hex.EncodeToString(idRaw), Name: name, BodyKey: bodyKey, Role: role,
		CreatedAt: db.now().UTC(), CreatedBy: actor.TokenName, Hash: hashSecret(secret)}
	err := db.update(ctx, func(txn *badger.Txn) error {
		if err := exists(txn, "bodyKey", KindBody, bodyKey); err != nil {
			return FieldErrorf(NotFound, "bodyKey", "body %q not found", bodyKey)
		}
		if err := txnPut(txn, tokenKey(t.Hash), t); err != nil {
			return err
		}
		return txn.Set(tokenIDKey(t.ID), []byte(t.Hash))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Authenticate returns the live token whose secret this is. Returns
// NotFound for an unknown or revoked token.
func (db *DB) Authenticate(secret string) (*Token, error) {
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 200 {
		return nil, Errorf(NotFound, "unknown token")
	}
	// The secret is never compared itself: it is looked up by its SHA-256
	// hash, which tells a timing attacker nothing about the secret. The
	// stored hash is then compared in constant time all the same.
	hash := hashSecret(secret)
	var t *Token
	err := db.bdb.View(func(txn *badger.Txn) (err error) {
		t, err = txnGetKey[Token](txn, tokenKey(hash))
		return err
	})
	if err == nil && subtle.ConstantTimeCompare([]byte(t.Hash), []byte(hash)) != 1 {
		err = Errorf(NotFound, "unknown token")
	}
	if err != nil {
		if ErrorCode(err) == NotFound {
			return nil, Errorf(NotFound, "unknown token")
		}
		return nil, err
	}
	if t.RevokedAt != nil {
		return nil, Errorf(NotFound, "the token was revoked")
	}
	return t, nil
}

// Tokens lists every token (revoked ones too), oldest first.
func (db *DB) Tokens() ([]Token, error) {
	var out []Token
	err := db.bdb.View(func(txn *badger.Txn) error {
		prefix := []byte("t/")
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			var t Token
			if err := it.Item().Value(func(b []byte) error { return decode(b, &t) }); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	sortTokens(out)
	return out, err
}

func sortTokens(ts []Token) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].CreatedAt.Before(ts[j-1].CreatedAt); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// RevokeToken revokes the token with id. Returns NotFound if there is none.
func (db *DB) RevokeToken(ctx context.Context, actor Actor, id string) (*Token, error) {
	var t *Token
	err := db.update(ctx, func(txn *badger.Txn) error {
		hash := uniqueHolder(txn, tokenIDKey(id))
		if hash == "" {
			return FieldErrorf(NotFound, "id", "token %q not found", id)
		}
		var err error
		if t, err = txnGetKey[Token](txn, tokenKey(hash)); err != nil {
			return err
		}
		if t.RevokedAt == nil {
			now := db.now().UTC()
			t.RevokedAt = &now
		}
		return txnPut(txn, tokenKey(hash), t)
	})
	return t, err
}
