package config

import "strconv"

// Port parses a port number.
func Port(s string) (int, error) {
	return strconv.Atoi(s)
}
