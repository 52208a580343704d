package promo

import (
	"crypto/rand"
)

// Alphabet is what generated codes are made of: capitals and digits without the ones that
// look alike (O and 0, I and 1; with 1 gone, L is unambiguous). 32 symbols, so each random
// byte maps onto it without bias (256 is a multiple of 32).
const Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// Generate returns a new code of n symbols from a cryptographic random source.
func Generate(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24: the runtime ends the process instead
	for i := range b {
		b[i] = Alphabet[int(b[i])%len(Alphabet)]
	}
	return string(b)
}
