//! `float_text::parse_decimal` against `str::parse::<f64>`: the same value,
//! bit for bit, or the same refusal, over edge cases, the text of random
//! bit patterns (shortest, cut and over-long), random decimals of every
//! scale, the exact halfway points between neighbouring `f64`s (where
//! rounding is decided by the last of hundreds of digits) and random
//! strings of number characters (the grammar).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use async_playground::float_text::parse_decimal;
use common::{XorShift, CASES};
use proptest::prelude::*;

/// Asserts `parse_decimal` reads `text` as core does (words like `inf`
/// aside, which it refuses).
fn reads(text: &str) {
    let core = text.parse::<f64>().ok().map(f64::to_bits);
    let ours = parse_decimal(text).map(f64::to_bits);
    assert_eq!(ours, core, "{text:?}");
}

#[test]
fn edge_cases_agree() {
    let long_one = format!("1{}", "0".repeat(1000));
    let long_fraction = format!("0.{}1", "0".repeat(1000));
    let long_digits = "123456789".repeat(120);
    for text in [
        "0",
        "-0",
        "+0",
        "0.0",
        "-0.0e5",
        "00012",
        ".5",
        "5.",
        "-.5",
        "+5.e1",
        "1.e1",
        "0.1",
        "0.30000000000000004",
        "9007199254740993",
        "9007199254740992.5",
        "1e22",
        "1e23",
        "123456789012345678901234567890",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "4.9e-324",
        "5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "1e-400",
        "1e400",
        "1e99999999999999999999999999",
        "1e-99999999999999999999999999",
        "0e99999999999999999999999999",
        &long_one,
        &long_fraction,
        &long_digits,
        "",
        ".",
        "+",
        "-",
        "e1",
        ".e1",
        "1e",
        "1e+",
        "1e-",
        "1ee2",
        "1e2.5",
        "1.2.3",
        "--1",
        "+-1",
        " 1",
        "1 ",
        "0x10",
        "1_000",
    ] {
        reads(text);
    }
    for word in ["inf", "-inf", "infinity", "NaN", "nan", "+Infinity"] {
        assert_eq!(parse_decimal(word), None, "{word}");
    }
}

#[test]
fn random_bit_patterns_read_back() {
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..CASES {
        let value = f64::from_bits(random.next());
        if !value.is_finite() {
            continue;
        }
        reads(&format!("{value:e}"));
        reads(&format!("{value:?}"));
        // Cut or over-long: every rounding direction, ties included.
        let precision = random.below(30) as usize;
        reads(&format!("{value:.precision$e}"));
    }
}

#[test]
fn random_decimals_of_every_scale_agree() {
    let mut random = XorShift(0x2545_f491_4f6c_dd1d);
    for _ in 0..CASES {
        let length = 1 + random.below(25) as usize;
        let digits: String = (0..length)
            .map(|_| char::from(b'0' + random.below(10) as u8))
            .collect();
        let dot = random.below(length as u64 + 1) as usize;
        let exponent = random.below(700) as i64 - 350;
        reads(&format!("{}.{}e{exponent}", &digits[..dot], &digits[dot..]));
        reads(&format!("{digits}e{exponent}"));
    }
}

/// The exact decimal of `value` (finite, non-negative) as integer digits
/// and 1100 fraction digits, enough for the smallest subnormal.
fn exact_digits(value: f64) -> (String, String) {
    let text = format!("{value:.1100}");
    let (whole, fraction) = text.split_once('.').unwrap();
    (whole.to_string(), fraction.to_string())
}

/// `(a + b) / 2` of two exact decimals with the same fraction length, as
/// text: the halfway point between two neighbouring `f64`s.
fn halfway(a: f64, b: f64) -> String {
    let ((a_whole, a_fraction), (b_whole, b_fraction)) = (exact_digits(a), exact_digits(b));
    let width = a_whole.len().max(b_whole.len());
    let a_all = format!("{a_whole:0>width$}{a_fraction}0");
    let b_all = format!("{b_whole:0>width$}{b_fraction}0");
    // Sum digit by digit from the right, then halve from the left.
    let mut sum = vec![0u8; a_all.len() + 1];
    let mut carry = 0;
    for (i, (x, y)) in a_all.bytes().zip(b_all.bytes()).enumerate().rev() {
        let total = (x - b'0') + (y - b'0') + carry;
        sum[i + 1] = total % 10;
        carry = total / 10;
    }
    sum[0] = carry;
    let mut half = String::new();
    let mut remainder = 0;
    for digit in sum {
        let current = remainder * 10 + digit;
        half.push(char::from(b'0' + current / 2));
        remainder = current % 2;
    }
    assert_eq!(remainder, 0);
    // sum has one more leading digit than a_all: the whole part is width + 1 long.
    format!("{}.{}", &half[..width + 1], &half[width + 1..])
}

/// A decimal a little below `text` (positive, with a fraction): its last
/// digit lowered by one, borrowing, and a 9 appended.
fn just_below(text: &str) -> String {
    let mut digits = text.as_bytes().to_vec();
    for digit in digits.iter_mut().rev() {
        match *digit {
            b'.' => {}
            b'0' => *digit = b'9',
            _ => {
                *digit -= 1;
                break;
            }
        }
    }
    digits.push(b'9');
    String::from_utf8(digits).unwrap()
}

#[test]
fn halfway_points_round_to_even() {
    let mut random = XorShift(0x5851_f42d_4c95_7f2d);
    for case in 0..CASES / 100 {
        // Every binade, subnormals and the top one included.
        let bits = match case % 4 {
            0 => random.below(1 << 52),
            _ => random.below(0x7fef_ffff_ffff_ffff),
        };
        let (low, high) = (f64::from_bits(bits), f64::from_bits(bits + 1));
        let tie = halfway(low, high);
        reads(&tie);
        // Just above and just below the tie.
        reads(&format!("{tie}1"));
        reads(&just_below(&tie));
    }
}

#[test]
fn random_number_strings_agree() {
    // Short strings over the number characters: the grammar's corners.
    let alphabet = b"0123456789.eE+-";
    let mut random = XorShift(0x1405_7b7e_f767_814f);
    for _ in 0..CASES {
        let length = random.below(9) as usize;
        let text: String = (0..length)
            .map(|_| char::from(alphabet[random.below(alphabet.len() as u64) as usize]))
            .collect();
        reads(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn any_f64_reads_back(bits in any::<u64>(), precision in 0usize..40) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite());
        reads(&format!("{value:e}"));
        reads(&format!("{value:.precision$e}"));
        reads(&format!("{value:.precision$}"));
    }
}
