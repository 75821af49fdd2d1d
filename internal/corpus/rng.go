package corpus

import (
	"math/bits"
	"math/rand/v2"
)

// rng draws every random choice of the generator. It takes raw 64-bit words
// from a PCG source and does its own reductions, because the PCG algorithm
// is fixed by math/rand/v2 while the helpers built on it (IntN, Shuffle,
// Perm) may change between Go releases: a corpus must stay the same bytes
// for the same seed on every toolchain and platform.
type rng struct {
	src *rand.PCG
}

// newRNG returns a generator for one stream of one seed. Streams keep the
// draws for different files apart, so a file's text does not depend on how
// many draws the files before it made.
func newRNG(seed, stream uint64) *rng {
	return &rng{src: rand.NewPCG(seed, stream*0x9e3779b97f4a7c15+0x632be59bd9b4e019)}
}

// intn returns a number in [0, n). It uses the multiply-high reduction,
// whose bias for the small n used here is far below anything measurable.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	hi, _ := bits.Mul64(r.src.Uint64(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.src.Uint64()>>11) / (1 << 53) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// pick returns one element of xs, each equally likely.
func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// weighted returns an index drawn with probability proportional to w.
func (r *rng) weighted(w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	// The conversion rounds the product, so no platform fuses it with
	// the subtractions below into one multiply-add and draws differently.
	x := float64(r.float() * total)
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// shuffle permutes xs in place (Fisher–Yates).
func shuffle[T any](r *rng, xs []T) {
	for i := len(xs) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// zipf draws ranks from Zipf's law, P(rank k) ∝ 1/k, over n ranks: a few
// systems and causes come up again and again, most only now and then. The
// exponent is exactly 1 so the weights are plain divisions, rounded the same
// way on every platform (math.Pow is not guaranteed to be).
type zipf struct {
	cum []float64
}

func newZipf(n int) zipf {
	cum := make([]float64, n)
	total := 0.0
	for k := 1; k <= n; k++ {
		total += 1 / float64(k)
		cum[k-1] = total
	}
	for i := range cum {
		cum[i] /= total
	}
	return zipf{cum: cum}
}

// draw returns a 0-based rank.
func (z zipf) draw(r *rng) int {
	x := r.float()
	lo, hi := 0, len(z.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if z.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
