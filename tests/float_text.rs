//! `float_text` against `core::fmt`: every form, over edge cases, random bit
//! patterns (every exponent, subnormals included) and random short decimals
//! (where ties and `…999` carries live).
#![cfg(not(target_arch = "wasm32"))]
// The ties below are exact binary values whose shortest form is shorter.
#![allow(clippy::excessive_precision)]

mod common;

use async_playground::float_text::FloatText;
use common::{XorShift, CASES};
use proptest::prelude::*;

/// Asserts all four forms of `value` print as `core::fmt` prints them.
fn agrees(value: f64) {
    assert_eq!(
        FloatText::plain(value).to_string(),
        format!("{value}"),
        "{{}} of {:#x}",
        value.to_bits()
    );
    assert_eq!(
        FloatText::debug(value).to_string(),
        format!("{value:?}"),
        "{{:?}} of {:#x}",
        value.to_bits()
    );
    assert_eq!(
        FloatText::exp(value).to_string(),
        format!("{value:e}"),
        "{{:e}} of {:#x}",
        value.to_bits()
    );
    // Fixed forms of huge numbers print hundreds of digits: a sample suffices.
    if value.abs() > 1e30 && value.to_bits() % 64 != 0 {
        return;
    }
    for digits in [0u8, 1, 3] {
        assert_eq!(
            FloatText::fixed(value, digits).to_string(),
            format!("{value:.*}", usize::from(digits)),
            "{{:.{digits}}} of {:#x}",
            value.to_bits()
        );
    }
}

#[test]
fn edge_cases_agree() {
    let specials = [
        0.0,
        -0.0,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        5e-324,
        -5e-324,
        2.2250738585072009e-308,
        0.1,
        0.2,
        0.3,
        0.1 + 0.2,
        0.5,
        1.5,
        2.5,
        0.25,
        0.125,
        0.05,
        0.04,
        -0.04,
        0.95,
        9.5,
        99.95,
        999.9999999,
        1e-4,
        9.999999999999999e-5,
        1e15,
        1e16,
        9.999999999999998e15,
        1e21,
        1e22,
        1e23,
        1e300,
        1.7976931348623157e308,
        123456789012345680.0,
        -1893787526330765.25,
        1893787526330765.3,
        4.35,
        0.000001,
        1e-7,
        2.0f64.powi(52),
        2.0f64.powi(53),
        2.0f64.powi(1023),
    ];
    for value in specials {
        agrees(value);
    }
    // Every power of two and of ten, and their neighbours.
    for exponent in -1074..=1023 {
        let value = f64::from_bits(if exponent < -1022 {
            1 << (exponent + 1074)
        } else {
            ((exponent + 1023) as u64) << 52
        });
        for bits in [
            value.to_bits().saturating_sub(1),
            value.to_bits(),
            value.to_bits() + 1,
        ] {
            agrees(f64::from_bits(bits));
        }
    }
    for exponent in -323..=308 {
        let value: f64 = format!("1e{exponent}").parse().unwrap();
        for bits in [
            value.to_bits().saturating_sub(1),
            value.to_bits(),
            value.to_bits() + 1,
        ] {
            agrees(f64::from_bits(bits));
        }
    }
}

#[test]
fn random_bit_patterns_agree() {
    let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..CASES {
        agrees(f64::from_bits(random.next()));
    }
}

#[test]
fn random_short_decimals_agree() {
    // Few significant digits, every scale: where exact ties and carries are.
    let mut random = XorShift(0x2545_f491_4f6c_dd1d);
    for _ in 0..CASES {
        let digits = random.next() % 100_000;
        let scale = (random.next() % 40) as i32 - 20;
        let value: f64 = format!("{digits}e{scale}").parse().unwrap();
        agrees(value);
        agrees(value / 8.0);
    }
}

/// The even-tie rule by brute force with core's exact digits: `core`'s
/// shortest exponent form, or its lower neighbour in the last digit when
/// that reads back too and the value lies exactly halfway between them.
fn even_tie_reference(value: f64) -> String {
    if value < 0.0 {
        return format!("-{}", even_tie_reference(-value));
    }
    let core = format!("{value:e}");
    let (mantissa, exponent) = core.split_once('e').unwrap();
    let digits = mantissa.replace('.', "");
    let last = digits.as_bytes()[digits.len() - 1];
    if last % 2 == 0 {
        return core;
    }
    let lower = format!("{}{}", &digits[..digits.len() - 1], char::from(last - 1));
    let scale: i32 = exponent.parse::<i32>().unwrap() - (digits.len() as i32 - 1);
    if format!("{lower}e{scale}").parse::<f64>() != Ok(value) {
        return core;
    }
    let exact = format!("{value:.1100e}");
    let (exact_mantissa, exact_exponent) = exact.split_once('e').unwrap();
    let exact_digits = exact_mantissa.replace('.', "");
    let halfway = format!("{lower}5");
    let tie = exact_exponent == exponent
        && exact_digits.trim_end_matches('0') == halfway.trim_end_matches('0');
    if !tie {
        return core;
    }
    let (first, rest) = lower.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    format!("{first}{dot}{rest}e{exponent}")
}

#[test]
fn ties_to_even_takes_the_even_digit_of_an_exact_tie() {
    // 1893787526330765.25 lies exactly halfway between …765.2 and …765.3.
    let tie = 1893787526330765.25;
    assert_eq!(format!("{tie}"), "1893787526330765.3");
    assert_eq!(
        FloatText::plain(tie).ties_to_even().to_string(),
        "1893787526330765.2"
    );
    assert_eq!(
        FloatText::exp(-tie).ties_to_even().to_string(),
        "-1.8937875263307652e15"
    );
    assert_eq!(even_tie_reference(tie), "1.8937875263307652e15");
    // Not a tie: the same as core.
    assert_eq!(FloatText::plain(0.3).ties_to_even().to_string(), "0.3");
}

#[test]
fn ties_to_even_agrees_with_the_reference_on_short_decimals() {
    // Exact ties need few significant digits at the scale of the last
    // shortest digit: halves of short decimals have them.
    let mut random = XorShift(0x5851_f42d_4c95_7f2d);
    let mut ties = 0;
    for _ in 0..CASES / 10 {
        let digits = random.next() % 10_000_000_000_000_000;
        let value = digits as f64 / 4.0;
        let even = FloatText::exp(value).ties_to_even().to_string();
        assert_eq!(even, even_tie_reference(value), "{value:e}");
        ties += usize::from(even != format!("{value:e}"));
    }
    assert!(ties > 100, "only {ties} ties drawn");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn any_f64_agrees(bits in any::<u64>()) {
        agrees(f64::from_bits(bits));
    }

    #[test]
    fn ties_to_even_agrees_with_the_reference(bits in any::<u64>()) {
        let value = f64::from_bits(bits);
        prop_assume!(value.is_finite() && value != 0.0);
        prop_assert_eq!(FloatText::exp(value).ties_to_even().to_string(), even_tie_reference(value));
    }
}
