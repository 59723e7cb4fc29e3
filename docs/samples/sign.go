// Host backend in Go, standard library only: sign an activepieces-v3 embed token (RS256).
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"time"
)

func embedToken(privateKeyPEM []byte, kid string) (string, error) {
	block, _ := pem.Decode(privateKeyPEM)
	if block == nil {
		return "", fmt.Errorf("no PEM block")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return "", err
	}
	key := parsed.(*rsa.PrivateKey)
	now := time.Now().Unix()
	jti := make([]byte, 16)
	rand.Read(jti)
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	claims, _ := json.Marshal(map[string]any{
		"version": "v3", "externalUserId": "user-42", "externalProjectId": "team-7",
		"firstName": "Ada", "lastName": "Lovelace", "role": "EDITOR",
		"iat": now, "exp": now + 300, "jti": fmt.Sprintf("%x", jti),
	})
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(claims)
	digest := sha256.Sum256([]byte(input))
	signature, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return input + "." + enc.EncodeToString(signature), nil
}

func main() {
	pemBytes, err := os.ReadFile(os.Getenv("PRIVATE_KEY_FILE"))
	if err != nil {
		panic(err)
	}
	token, err := embedToken(pemBytes, os.Getenv("KID"))
	if err != nil {
		panic(err)
	}
	fmt.Println(token)
}
