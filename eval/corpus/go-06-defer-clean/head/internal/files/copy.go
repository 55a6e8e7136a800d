package files

import (
	"io"
	"os"
)

// Copy copies src to dst.
func Copy(dst io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(dst, f)
	return err
}
