package text

import "strings"

// Words splits s into words.
func Words(s string) []string {
	return strings.Fields(s)
}
