package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// norwegianFold spells out the Norwegian letters that do not decompose.
var norwegianFold = strings.NewReplacer("æ", "ae", "ø", "o", "å", "a", "Æ", "ae", "Ø", "o", "Å", "a", "đ", "d", "Đ", "d", "ŋ", "n", "Ŋ", "n", "ŧ", "t", "Ŧ", "t")

// Fold returns s lower-cased with diacritics removed, so that "dodsfall"
// matches «Dødsfall» and "karasjohka" matches «Kárášjohka».
func Fold(s string) string {
	s = norwegianFold.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// words splits folded text into its words (runs of letters and digits).
func words(text string) []string {
	return strings.FieldsFunc(Fold(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// tokens returns the distinct words of texts.
func tokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, text := range texts {
		for _, w := range words(text) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// Slug makes a kebab-case key from a name: «Dødsfall og arv» → dodsfall-og-arv.
func Slug(name string) string {
	return strings.Join(words(name), "-")
}
