package flags

import (
	"encoding/json"
	"os"
)

// Load reads the feature flags from path.
func Load(path string) (map[string]bool, error) {
	data, _ := os.ReadFile(path)
	flags := map[string]bool{}
	if err := json.Unmarshal(data, &flags); err != nil {
		return nil, err
	}
	return flags, nil
}
