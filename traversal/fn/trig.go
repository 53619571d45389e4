package fn

import (
	"math"
	"math/big"
)

// Java's Math.sin/cos/tan (which exp4j, and so math(), uses) return the
// correctly rounded result in practice; Go's math.Sin can be one ulp off
// (math.Sin(2) is 0.9092974268256816, Java gives 0.9092974268256817). The
// functions below evaluate in 256-bit arithmetic and round once, so
// math("sin _") matches the reference results. Arguments beyond trigMax
// fall back to package math: their reduction would need more bits of pi.

const (
	trigPrec = 256
	trigMax  = 1 << 40
)

// halfPi is pi/2 to 300 decimal digits (about 1000 bits).
var halfPi, _, _ = big.ParseFloat("1.57079632679489661923132169163975144209858469968755291048747229615390820314310449931401741267105853399107404325664115332354692230477529111586267970406424055872514205135096926055277982231147447746519098221440548783296672306423782411689339158263560095457282428346173017430522716332410669680363012457064", 10, 1000, big.ToNearestEven)

// sinCosReduced returns sin and cos of x with 256-bit precision, or
// ok=false when x is not finite or too large.
func sinCosReduced(x float64) (s, c *big.Float, ok bool) {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > trigMax {
		return nil, nil, false
	}
	prec := uint(trigPrec)
	bx := new(big.Float).SetPrec(1000).SetFloat64(x)
	q := new(big.Float).SetPrec(1000).Quo(bx, halfPi)
	kf, _ := q.Float64()
	k := math.Round(kf)
	bk := new(big.Float).SetPrec(1000).SetFloat64(k)
	r := new(big.Float).SetPrec(1000).Mul(bk, halfPi)
	r.Sub(bx, r)
	r.SetPrec(prec)
	// Taylor series of sin and cos at |r| <= pi/4 (+ a rounding margin).
	r2 := new(big.Float).SetPrec(prec).Mul(r, r)
	sinSum := new(big.Float).SetPrec(prec).Set(r)
	cosSum := new(big.Float).SetPrec(prec).SetInt64(1)
	st := new(big.Float).SetPrec(prec).Set(r)
	ct := new(big.Float).SetPrec(prec).SetInt64(1)
	eps := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(1), -int(prec)-8)
	for n := int64(1); n < 200; n++ {
		// st *= -r²/((2n)(2n+1)); ct *= -r²/((2n-1)(2n))
		st.Mul(st, r2)
		st.Quo(st, new(big.Float).SetPrec(prec).SetInt64(-(2*n)*(2*n+1)))
		ct.Mul(ct, r2)
		ct.Quo(ct, new(big.Float).SetPrec(prec).SetInt64(-(2*n-1)*(2*n)))
		sinSum.Add(sinSum, st)
		cosSum.Add(cosSum, ct)
		if new(big.Float).Abs(st).Cmp(eps) < 0 && new(big.Float).Abs(ct).Cmp(eps) < 0 {
			break
		}
	}
	switch int64(math.Mod(k, 4)+4) % 4 {
	case 0:
		return sinSum, cosSum, true
	case 1:
		return cosSum, sinSum.Neg(sinSum), true
	case 2:
		return sinSum.Neg(sinSum), cosSum.Neg(cosSum), true
	}
	return cosSum.Neg(cosSum), sinSum, true
}

func accurateSin(x float64) float64 {
	if x == 0 {
		return x // keeps -0
	}
	s, _, ok := sinCosReduced(x)
	if !ok {
		return math.Sin(x)
	}
	f, _ := s.Float64()
	return f
}

func accurateCos(x float64) float64 {
	_, c, ok := sinCosReduced(x)
	if !ok {
		return math.Cos(x)
	}
	f, _ := c.Float64()
	return f
}

func accurateTan(x float64) float64 {
	if x == 0 {
		return x
	}
	s, c, ok := sinCosReduced(x)
	if !ok || c.Sign() == 0 {
		return math.Tan(x)
	}
	f, _ := new(big.Float).SetPrec(trigPrec).Quo(s, c).Float64()
	return f
}
