package probe

import (
	"fmt"
	"net/http"
)

// Healthy reports whether url answers 200.
func Healthy(client *http.Client, url string) (bool, error) {
	resp, err := client.Get(url)
	if err != nil {
		return false, fmt.Errorf("probe %s: %w", url, err)
	}
	return resp.StatusCode == http.StatusOK, nil
}
