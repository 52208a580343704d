package auth

import (
	"fmt"
	"unicode/utf8"
)

// MaxSiteLen is the longest site ID.
const MaxSiteLen = 63

// CheckSite says why id is not a site ID, or nil when it is one. A site ID is 1 to 63
// lower-case letters, digits and hyphens, starting and ending with a letter or digit (a DNS
// label). Every site enters through this rule (the path, the token's claim, the local token
// tool), so no ID can hold a separator that makes a list of sites ambiguous.
func CheckSite(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("is empty")
	case len(id) > MaxSiteLen:
		return fmt.Errorf("is %d characters long; a site ID has at most %d", utf8.RuneCountInString(id), MaxSiteLen)
	case id[0] == '-' || id[len(id)-1] == '-':
		return fmt.Errorf("%q starts or ends with a hyphen", id)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("%q has a character other than a-z, 0-9 and -", id)
		}
	}
	return nil
}
