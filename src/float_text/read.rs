//! Decimal text to `f64`, correctly rounded (half to even), without
//! core's `f64::from_str`: its Eisel-Lemire table alone was 10.4 KB of the
//! wasm. Short numbers take Clinger's fast path (both the digits and the
//! power of ten are exact in an `f64`, so one multiplication or division
//! rounds once); the rest divide the exact decimal by the exact power of two
//! in a small bignum. `tests/float_text.rs` holds it to `str::parse::<f64>`.

use std::cmp::Ordering;

/// Significant digits kept: a halfway point between two `f64`s has at most
/// 767, so a number cut after more digits, with a `1` standing for whatever
/// non-zero digits were cut, rounds as the whole number does.
const MAX_DIGITS: usize = 800;

/// Powers of ten exact in an `f64` (Clinger's fast path).
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number as `str::parse::<f64>` reads it (`12`, `-1.5`, `.5`,
/// `2.`, `1e-3`, `+4E2`), rounded to the nearest `f64`; too large is
/// infinite. `None` for anything else, including the words `inf` and `NaN`
/// that `str::parse` also reads: no caller wants them.
///
/// ```
/// use async_playground::float_text::parse_decimal;
/// assert_eq!(parse_decimal("0.1"), Some(0.1));
/// assert_eq!(parse_decimal("-2.5e-3"), Some(-0.0025));
/// assert_eq!(parse_decimal("1e400"), Some(f64::INFINITY));
/// assert_eq!(parse_decimal("1e"), None);
/// assert_eq!(parse_decimal("inf"), None);
/// ```
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let magnitude = Decimal::read(body)?.to_f64();
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits × 10^exponent`: the digits as written on both sides of the dot,
/// the exponent saturated far past any `f64`.
struct Decimal<'a> {
    whole: &'a [u8],
    fraction: &'a [u8],
    exponent: i64,
}

impl<'a> Decimal<'a> {
    fn read(text: &'a [u8]) -> Option<Decimal<'a>> {
        let digits = |from: usize| {
            text[from..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(text.len(), |n| from + n)
        };
        let whole_end = digits(0);
        let (fraction, mut pos) = match text.get(whole_end) {
            Some(b'.') => {
                let end = digits(whole_end + 1);
                (&text[whole_end + 1..end], end)
            }
            _ => (&text[..0], whole_end),
        };
        if whole_end == 0 && fraction.is_empty() {
            return None;
        }
        let mut written = 0i64;
        if let Some(b'e' | b'E') = text.get(pos) {
            let (negative, start) = match text.get(pos + 1) {
                Some(b'-') => (true, pos + 2),
                Some(b'+') => (false, pos + 2),
                _ => (false, pos + 1),
            };
            pos = digits(start);
            if pos == start {
                return None;
            }
            written = text[start..pos]
                .iter()
                .fold(0i64, |sum, d| (sum * 10 + i64::from(d - b'0')).min(1 << 40));
            if negative {
                written = -written;
            }
        }
        (pos == text.len()).then_some(Decimal {
            whole: &text[..whole_end],
            fraction,
            exponent: written - fraction.len() as i64,
        })
    }

    /// The digits without leading zeros, in the two parts they are written in.
    fn significant(&self) -> (&'a [u8], &'a [u8]) {
        let zeros = |digits: &[u8]| digits.iter().take_while(|&&d| d == b'0').count();
        match zeros(self.whole) {
            all if all == self.whole.len() => (&[], &self.fraction[zeros(self.fraction)..]),
            some => (&self.whole[some..], self.fraction),
        }
    }

    /// The significant digits' values.
    fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        let (whole, fraction) = self.significant();
        whole.iter().chain(fraction).map(|d| d - b'0')
    }

    fn to_f64(&self) -> f64 {
        let (whole, fraction) = self.significant();
        let count = (whole.len() + fraction.len()) as i64;
        // The value lies in [10^(count + exponent - 1), 10^(count + exponent)).
        if count == 0 || count + self.exponent < -324 {
            return 0.0;
        }
        if count + self.exponent > 310 {
            return f64::INFINITY;
        }
        let whole = || self.digits().fold(0u64, |n, d| n * 10 + u64::from(d));
        if count <= 15 && self.exponent.abs() <= 22 {
            // Clinger's fast path: both operands exact, so one rounding.
            let scale = EXACT_POW10[self.exponent.unsigned_abs() as usize];
            let whole = whole() as f64;
            return if self.exponent < 0 {
                whole / scale
            } else {
                whole * scale
            };
        }
        if count <= 19 && self.exponent.abs() <= 19 {
            if let Some(value) = small_exact(whole(), self.exponent as i32) {
                return value;
            }
        }
        self.exact()
    }

    /// value = numerator / denominator, both integers; then a quotient of
    /// 55 or 56 bits with its remainder decides the rounding exactly.
    fn exact(&self) -> f64 {
        let (whole, fraction) = self.significant();
        let mut numerator = Big::from_digits(self.digits().take(MAX_DIGITS));
        let count = whole.len() + fraction.len();
        let mut exponent = self.exponent + count.saturating_sub(MAX_DIGITS) as i64;
        // The digits past MAX_DIGITS: only whether one is not 0 matters.
        let cut = match whole.get(MAX_DIGITS..) {
            Some(whole_cut) => [whole_cut, fraction],
            None => [
                &[][..],
                fraction.get(MAX_DIGITS - whole.len()..).unwrap_or(&[]),
            ],
        };
        if cut.iter().any(|part| part.iter().any(|&d| d != b'0')) {
            numerator.mul_add(10, 1);
            exponent -= 1;
        }
        let mut denominator = Big::one();
        let power = exponent.unsigned_abs() as u32;
        if exponent >= 0 {
            numerator.mul_pow10(power);
        } else {
            denominator.mul_pow10(power);
        }
        // value / 2^scale lies in (2^54, 2^56).
        let scale = numerator.bits() as i32 - denominator.bits() as i32 - 55;
        if scale < 0 {
            numerator.shl(scale.unsigned_abs());
        } else {
            denominator.shl(scale as u32);
        }
        let (quotient, inexact) = numerator.div_rem(&denominator, 56);
        round(quotient, scale, inexact)
    }
}

/// `whole × 10^exponent` for `|exponent| <= 19` in `u128` arithmetic,
/// exactly rounded; `None` when it needs more bits.
fn small_exact(whole: u64, exponent: i32) -> Option<f64> {
    let whole = u128::from(whole);
    let bits = |n: u128| 128 - n.leading_zeros() as i32;
    if exponent >= 0 {
        let product = whole * 10u128.pow(exponent as u32);
        let scale = bits(product) - 56;
        return Some(if scale > 0 {
            let cut = product & ((1 << scale) - 1);
            round((product >> scale) as u64, scale, cut != 0)
        } else {
            round((product << -scale) as u64, scale, false)
        });
    }
    let denominator = 10u128.pow(exponent.unsigned_abs());
    // (whole << shift) / denominator lies in (2^54, 2^56).
    let shift = 55 + bits(denominator) - bits(whole);
    if shift < 0 {
        return None;
    }
    let numerator = whole << shift;
    let quotient = (numerator / denominator) as u64;
    Some(round(quotient, -shift, numerator % denominator != 0))
}

/// The `f64` nearest `quotient × 2^scale` (plus a little more when
/// `inexact`), ties to even; `quotient` has 55 or 56 bits.
fn round(quotient: u64, scale: i32, inexact: bool) -> f64 {
    let fits = 64 - quotient.leading_zeros() as i32 - 53;
    // Subnormals keep fewer bits: their last bit is worth 2^-1074.
    let shift = fits.max(-1074 - scale);
    if shift > 56 {
        // Below half the smallest subnormal.
        return 0.0;
    }
    let kept = quotient >> shift;
    let rest = quotient & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    let up = rest > half || (rest == half && (inexact || kept & 1 == 1));
    let mut mantissa = kept + u64::from(up);
    let mut exponent = scale + shift;
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        exponent += 1;
    }
    if mantissa < 1 << 52 {
        // Subnormal (exponent is -1074), or the smallest normal after rounding up.
        return f64::from_bits(mantissa);
    }
    let biased = exponent + 52 + 1023;
    if biased >= 2047 {
        return f64::INFINITY;
    }
    f64::from_bits((biased as u64) << 52 | (mantissa - (1 << 52)))
}

/// A non-negative integer in 32-bit limbs, least first, no trailing zeros.
struct Big {
    limbs: Vec<u32>,
}

impl Big {
    fn one() -> Big {
        Big { limbs: vec![1] }
    }

    fn from_digits(digits: impl Iterator<Item = u8>) -> Big {
        let mut big = Big { limbs: Vec::new() };
        for digit in digits {
            big.mul_add(10, u32::from(digit));
        }
        big
    }

    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.limbs {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut power: u32) {
        while power > 0 {
            let step = power.min(9);
            self.mul_add(10u32.pow(step), 0);
            power -= step;
        }
    }

    fn bits(&self) -> u32 {
        self.limbs
            .last()
            .map_or(0, |top| 32 * self.limbs.len() as u32 - top.leading_zeros())
    }

    fn shl(&mut self, bits: u32) {
        let mut shifted = vec![0; (bits / 32) as usize];
        shifted.append(&mut self.limbs);
        self.limbs = shifted;
        self.mul_add(1 << (bits % 32), 0);
    }

    /// `self >> 1`.
    fn halve(&mut self) {
        let mut carry = 0;
        for limb in self.limbs.iter_mut().rev() {
            let next = *limb << 31;
            *limb = *limb >> 1 | carry;
            carry = next;
        }
        self.trim();
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }

    /// `self -= other`, where `other <= self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let take = other.limbs.get(i).copied().unwrap_or(0);
            let (difference, under) = limb.overflowing_sub(take);
            let (difference, under_again) = difference.overflowing_sub(u32::from(borrow));
            *limb = difference;
            borrow = under || under_again;
        }
        self.trim();
    }

    /// `self / divisor`, known to be below `2^bits`, by long division, and
    /// whether a remainder was left.
    fn div_rem(mut self, divisor: &Big, bits: u32) -> (u64, bool) {
        let mut shifted = Big {
            limbs: divisor.limbs.clone(),
        };
        shifted.shl(bits - 1);
        let mut quotient = 0;
        for _ in 0..bits {
            quotient <<= 1;
            if self.compare(&shifted) != Ordering::Less {
                self.sub(&shifted);
                quotient |= 1;
            }
            shifted.halve();
        }
        (quotient, !self.limbs.is_empty())
    }
}
