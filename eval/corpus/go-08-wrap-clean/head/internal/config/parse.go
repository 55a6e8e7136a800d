package config

import (
	"fmt"
	"strconv"
)

// Port parses a port number between 1 and 65535.
func Port(s string) (int, error) {
	port, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("port %q: %w", s, err)
	}
	if port < 1 || port > 65535 {
		return 0, fmt.Errorf("port %d is out of range 1-65535", port)
	}
	return port, nil
}
