package mathx

import "errors"

// ErrEmpty is returned for an empty slice.
var ErrEmpty = errors.New("mathx: empty slice")

// Max returns the largest value of xs.
func Max(xs []int) (int, error) {
	if len(xs) == 0 {
		return 0, ErrEmpty
	}
	best := xs[0]
	for _, x := range xs[1:] {
		if x > best {
			best = x
		}
	}
	return best, nil
}
