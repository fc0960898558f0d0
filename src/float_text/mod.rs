//! `f64` as text, exactly as `core::fmt` prints it (`{}`, `{:?}`, `{:e}`,
//! `{:.N}`), without linking core's float formatting: its Grisu and Dragon
//! strategies, their tables and both their modes were about 19 KB of the
//! wasm. One small Dragon4 (a fixed-size bignum, digits generated until the
//! shortest that reads back) gives the shortest digits; `{:.N}` is an exact
//! shift of the binary value, rounded half to even. Slower than Grisu per
//! number, which no run notices: most numbers the crate prints are whole and
//! take the integer path before they get here.
//!
//! Every `{}`/`{:?}`/`{:e}`/`{:.N}` of an `f64` in the crate goes through
//! [`FloatText`]; one left anywhere (a `Debug` derive, a panic message)
//! links core's machinery back in. `tests/float_text.rs` holds this to
//! `core::fmt` over millions of random bit patterns.
//!
//! The other way, [`parse_decimal`] reads decimal text to the nearest
//! `f64` without core's `f64::from_str` (`read.rs`).
//!
//! ```
//! use async_playground::float_text::FloatText;
//! assert_eq!(FloatText::plain(0.1 + 0.2).to_string(), format!("{}", 0.1 + 0.2));
//! assert_eq!(FloatText::debug(1e16).to_string(), "1e16");
//! assert_eq!(FloatText::exp(-2.5e-7).to_string(), "-2.5e-7");
//! assert_eq!(FloatText::fixed(2.25, 1).to_string(), "2.2");
//! ```

mod natural;
mod read;

use std::cmp::Ordering;
use std::fmt;

use natural::{Big, Natural};
pub use read::parse_decimal;

/// A float and the form `core::fmt` would print it in. Displaying it writes
/// the text; width and fill flags are not supported.
#[derive(Clone, Copy)]
pub struct FloatText {
    value: f64,
    form: Form,
    ties_even: bool,
}

#[derive(Clone, Copy)]
enum Form {
    /// `{}`: shortest digits, never an exponent.
    Plain,
    /// `{:?}`: like `{}` with at least one fractional digit, an exponent
    /// outside `1e-4..1e16`.
    Debug,
    /// `{:e}`: shortest digits with an exponent.
    Exp,
    /// `{:.N}`: exactly N fractional digits, rounded half to even.
    Fixed(u8),
}

impl FloatText {
    /// As `format!("{}", value)`.
    pub fn plain(value: f64) -> FloatText {
        FloatText {
            value,
            form: Form::Plain,
            ties_even: false,
        }
    }

    /// As `format!("{:?}", value)`.
    pub fn debug(value: f64) -> FloatText {
        FloatText {
            value,
            form: Form::Debug,
            ties_even: false,
        }
    }

    /// As `format!("{:e}", value)`.
    pub fn exp(value: f64) -> FloatText {
        FloatText {
            value,
            form: Form::Exp,
            ties_even: false,
        }
    }

    /// As `format!("{:.N}", value)` with `N = fraction_digits` (at most 17).
    pub fn fixed(value: f64, fraction_digits: u8) -> FloatText {
        FloatText {
            value,
            form: Form::Fixed(fraction_digits.min(17)),
            ties_even: false,
        }
    }

    /// Shortest digits as JavaScript and Python's `repr` choose them: an
    /// exact tie between two shortest candidates takes the even one, where
    /// `core::fmt` takes the upper (`1893787526330765.2`, not `…765.3`, for
    /// `1893787526330765.25`). Fixed forms already round half to even.
    ///
    /// ```
    /// use async_playground::float_text::FloatText;
    /// assert_eq!(FloatText::plain(1893787526330765.25).ties_to_even().to_string(), "1893787526330765.2");
    /// assert_eq!(FloatText::plain(1893787526330765.25).to_string(), "1893787526330765.3");
    /// ```
    pub fn ties_to_even(self) -> FloatText {
        FloatText {
            ties_even: true,
            ..self
        }
    }
}

impl fmt::Display for FloatText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.value;
        if value.is_nan() {
            return f.write_str("NaN");
        }
        if value.is_sign_negative() {
            f.write_str("-")?;
        }
        if value.is_infinite() {
            return f.write_str("inf");
        }
        let magnitude = value.abs();
        let shortest = || Digits::shortest(magnitude, self.ties_even);
        match self.form {
            Form::Fixed(fraction_digits) => write_fixed(f, magnitude, fraction_digits.into()),
            _ if magnitude == 0.0 => f.write_str(match self.form {
                Form::Plain => "0",
                Form::Debug => "0.0",
                _ => "0e0",
            }),
            Form::Plain => write_plain(f, &shortest(), 0),
            Form::Debug if (1e-4..1e16).contains(&magnitude) => write_plain(f, &shortest(), 1),
            Form::Debug | Form::Exp => write_exp(f, &shortest()),
        }
    }
}

/// Up to 17 significant digits and the power of ten they are scaled by:
/// `0.d1d2… × 10^exponent`.
struct Digits {
    buf: [u8; 18],
    len: usize,
    exponent: i32,
}

impl Digits {
    fn text(&self) -> &str {
        // Only ASCII digits are ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// Dragon4, as core's `flt2dec::strategy::dragon::format_shortest`
    /// (whose results its faster Grisu path reproduces): generate digits of
    /// `mant / scale` until one of the two neighbours' halfway points is
    /// passed, then round. In `u64` or `u128` when every number fits
    /// (about `0.06..1e8` and `1e-16..1e22`: five to ten times faster than
    /// the bignum), else in [`Big`].
    fn shortest(value: f64, ties_even: bool) -> Digits {
        let (mant, exp) = decode(value);
        let subnormal = value < f64::MIN_POSITIVE;
        // Halfway to each neighbour; a power of two's lower neighbour is
        // twice as close. Bounds count as in when the mantissa is even.
        let inclusive = mant & 1 == 0;
        let (mant, plus, exp) = if subnormal {
            (mant, 1, exp)
        } else if mant == 1 << 52 {
            (mant << 2, 2, exp - 2)
        } else {
            (mant << 1, 1, exp - 1)
        };
        let exponent = estimate_exponent(mant + plus, exp);
        // Bits of 10^n, over-estimated: 3.375 n + 1.
        let pow10_bits = |n: i32| n.max(0) * 27 / 8 + 1;
        let mant_bits = 56 + exp.max(0) + pow10_bits(-exponent);
        let scale_bits = (-exp).max(0) + pow10_bits(exponent);
        let dragon = Dragon {
            mant,
            plus,
            exp,
            exponent,
            inclusive,
            ties_even,
        };
        // The remainder stays below 10 × scale; the digit takes 8 × scale.
        let bits = mant_bits.max(scale_bits) + 5;
        if bits <= 64 {
            dragon.digits::<u64>()
        } else if bits <= 128 {
            dragon.digits::<u128>()
        } else {
            dragon.digits::<Big>()
        }
    }

    /// Adds one at the last digit: `…19` → `…2`, `99` → `10` with the
    /// exponent one up (core appends a zero there; its tests keep it).
    fn round_up(&mut self) {
        match self.buf[..self.len].iter().rposition(|&d| d != b'9') {
            Some(i) => {
                self.buf[i] += 1;
                self.buf[i + 1..self.len].fill(b'0');
            }
            None => {
                self.buf[..self.len].fill(b'0');
                self.buf[0] = b'1';
                self.len += 1;
                self.exponent += 1;
            }
        }
    }
}

/// A decoded float for [`Dragon::digits`]: `mant × 2^exp`, its
/// neighbours' halfway points `plus` above and one below (same units), and
/// the estimated decimal exponent.
struct Dragon {
    mant: u64,
    plus: u64,
    exp: i32,
    exponent: i32,
    inclusive: bool,
    ties_even: bool,
}

impl Dragon {
    fn digits<N: Natural>(self) -> Digits {
        let within = |order: Ordering| {
            if self.inclusive {
                order != Ordering::Greater
            } else {
                order == Ordering::Less
            }
        };
        let mut exponent = self.exponent;
        let (mut mant, mut minus, mut plus) = (N::new(self.mant), N::new(1), N::new(self.plus));
        let mut scale = N::new(1);
        if self.exp < 0 {
            scale.shl(self.exp.unsigned_abs());
        } else {
            for n in [&mut mant, &mut minus, &mut plus] {
                n.shl(self.exp.unsigned_abs());
            }
        }
        if exponent >= 0 {
            scale.mul_pow10(exponent.unsigned_abs());
        } else {
            for n in [&mut mant, &mut minus, &mut plus] {
                n.mul_pow10(exponent.unsigned_abs());
            }
        }
        if within(scale.compare(&mant.sum(&plus))) {
            exponent += 1;
        } else {
            for n in [&mut mant, &mut minus, &mut plus] {
                n.mul_small(10);
            }
        }
        // scale × 8, × 4, × 2, × 1: a digit in four comparisons.
        let mut multiples = [(scale, 8), (scale, 4), (scale, 2), (scale, 1)];
        for (n, factor) in &mut multiples {
            n.mul_small(u32::from(*factor));
        }
        let mut digits = Digits {
            buf: [b'0'; 18],
            len: 0,
            exponent,
        };
        let (down, up) = loop {
            let mut digit = 0;
            for (multiple, factor) in &multiples {
                if mant.compare(multiple) != Ordering::Less {
                    mant.sub(multiple);
                    digit += factor;
                }
            }
            digits.buf[digits.len] = b'0' + digit;
            digits.len += 1;
            let down = within(mant.compare(&minus));
            let up = within(scale.compare(&mant.sum(&plus)));
            if down || up {
                break (down, up);
            }
            for n in [&mut mant, &mut minus, &mut plus] {
                n.mul_small(10);
            }
        };
        let round_up = up
            && (!down || {
                mant.shl(1);
                match mant.compare(&scale) {
                    Ordering::Greater => true,
                    Ordering::Less => false,
                    Ordering::Equal => !self.ties_even || digits.buf[digits.len - 1] % 2 == 1,
                }
            });
        if round_up {
            digits.round_up();
        }
        digits
    }
}

/// The integer mantissa and binary exponent: `value = mant × 2^exp`
/// (`f64::integer_decode`, a subnormal's mantissa doubled as core does).
fn decode(value: f64) -> (u64, i32) {
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    if biased == 0 {
        (fraction << 1, -1075)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

/// `k` with `10^(k-1) < mant × 2^exp <= 10^(k+1)`: the decimal exponent or
/// one less (core's `estimate_scaling_factor`).
fn estimate_exponent(mant: u64, exp: i32) -> i32 {
    let bits = i64::from(64 - (mant - 1).leading_zeros());
    // 1292913986 = floor(2^32 × log10(2)): never over.
    (((bits + i64::from(exp)) * 1_292_913_986) >> 32) as i32
}

/// `0.d1d2… × 10^exponent` without an exponent, with at least
/// `min_fraction` fractional digits (core's `digits_to_dec_str`).
fn write_plain(f: &mut fmt::Formatter<'_>, digits: &Digits, min_fraction: usize) -> fmt::Result {
    let text = digits.text();
    let exponent = digits.exponent;
    let fraction = if exponent <= 0 {
        f.write_str("0.")?;
        zeros(f, exponent.unsigned_abs() as usize)?;
        f.write_str(text)?;
        text.len() + exponent.unsigned_abs() as usize
    } else if (exponent as usize) < text.len() {
        let (whole, fraction) = text.split_at(exponent as usize);
        f.write_str(whole)?;
        f.write_str(".")?;
        f.write_str(fraction)?;
        fraction.len()
    } else {
        f.write_str(text)?;
        zeros(f, exponent as usize - text.len())?;
        if min_fraction > 0 {
            f.write_str(".")?;
        }
        0
    };
    zeros(f, min_fraction.saturating_sub(fraction))
}

/// `d.ddd` `e` exponent (core's `digits_to_exp_str`, no minimum digits).
fn write_exp(f: &mut fmt::Formatter<'_>, digits: &Digits) -> fmt::Result {
    let (first, rest) = digits.text().split_at(1);
    f.write_str(first)?;
    if !rest.is_empty() {
        f.write_str(".")?;
        f.write_str(rest)?;
    }
    write!(f, "e{}", digits.exponent - 1)
}

/// `magnitude` with exactly `fraction_digits` digits after the point: the
/// exact binary value times `10^fraction_digits`, rounded half to even as
/// core's exact mode rounds.
fn write_fixed(f: &mut fmt::Formatter<'_>, magnitude: f64, fraction_digits: usize) -> fmt::Result {
    let (mant, exp) = decode(magnitude);
    let mut scaled = Big::new(mant);
    scaled.mul_pow10(fraction_digits as u32);
    if exp >= 0 {
        scaled.shl(exp.unsigned_abs());
    } else {
        let shift = exp.unsigned_abs();
        let half = scaled.bit(shift - 1);
        let below_half = (0..shift - 1).any(|bit| scaled.bit(bit));
        scaled.shr(shift);
        if half && (below_half || scaled.bit(0)) {
            scaled = scaled.sum(&Big::new(1));
        }
    }
    // Decimal digits, last first.
    let mut text = Vec::new();
    while !scaled.is_zero() || text.len() <= fraction_digits {
        text.push(b'0' + scaled.div_small(10) as u8);
    }
    text.reverse();
    let (whole, fraction) = text.split_at(text.len() - fraction_digits);
    f.write_str(std::str::from_utf8(whole).unwrap_or_default())?;
    if fraction_digits > 0 {
        f.write_str(".")?;
        f.write_str(std::str::from_utf8(fraction).unwrap_or_default())?;
    }
    Ok(())
}

fn zeros(f: &mut fmt::Formatter<'_>, count: usize) -> fmt::Result {
    (0..count).try_for_each(|_| f.write_str("0"))
}
