package text

import "strings"

// Words splits s into words.
func Words(s string) []string {
	return strings.Fields(s)
}

// Count returns how often each word occurs in s.
func Count(s string) map[string]int {
	var counts map[string]int
	for _, w := range Words(s) {
		counts[w]++
	}
	return counts
}
