//! The report's JSON writer against the standard formatting it replaced
//! on its fast paths (whole numbers, strings that need no escaping).

mod common;

use async_playground::float_text::FloatText;
use async_playground::json::Json;
use common::XorShift;

fn written(write: impl FnOnce(&mut Json)) -> String {
    let mut json = Json::default();
    write(&mut json);
    json.finish()
}

#[test]
fn whole_numbers_read_as_their_decimal_form() {
    let mut wholes = vec![0, 1, 9, 10, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX];
    // Powers of ten and their neighbours, where a digit loop goes wrong.
    let mut power = 1u64;
    while let Some(next) = power.checked_mul(10) {
        wholes.extend([power - 1, power, power + 1]);
        power = next;
    }
    for whole in wholes {
        assert_eq!(written(|j| j.integer(whole)), whole.to_string());
    }
    for number in [0.0, -0.0, 7.0, -7.0, 300.0, -123_456_789.0, 8.9e15, -8.9e15] {
        let expected = (number as i64).to_string();
        assert_eq!(written(|j| j.number(number)), expected, "{number}");
    }
    assert_eq!(written(|j| j.number(1.5)), "1.5");
    assert_eq!(written(|j| j.number(1e300)), "1e300");
}

#[test]
fn strings_are_escaped_only_where_json_needs_it() {
    for (text, expected) in [
        ("", r#""""#),
        ("sum(a)", r#""sum(a)""#),
        ("[70, 70]", r#""[70, 70]""#),
        ("naïve ✓", "\"naïve ✓\""),
        ("a \"b\"", r#""a \"b\"""#),
        ("back\\slash", r#""back\\slash""#),
        ("line\nbreak\ttab\r", r#""line\nbreak\ttab\r""#),
        ("bell\u{7}", r#""bell\u0007""#),
    ] {
        assert_eq!(written(|j| j.string(text)), expected, "{text:?}");
    }
}

/// Real-clock times are kept to the microsecond; their fast path must write
/// what the general one does: the shortest form that reads back.
#[test]
fn thousandths_read_as_their_shortest_form() {
    let mut random = XorShift(0x51_7cc1_b727_220a);
    let mut numbers = vec![
        0.001,
        -0.001,
        0.1,
        0.5,
        1.25,
        300.1,
        999_999_999.999,
        -42.01,
    ];
    for _ in 0..20_000 {
        let thousandths = random.below(1_000_000_000_000) as f64;
        let scale = [1000.0, 100.0, 10.0][random.below(3) as usize];
        numbers.push(thousandths / scale);
        // Binary noise around it, and any bit pattern: the general path.
        numbers.push(thousandths / 1000.0 + 1e-9);
        numbers.push(f64::from_bits(random.next()));
    }
    for number in numbers.into_iter().filter(|n| n.is_finite()) {
        let text = written(|j| j.number(number));
        let expected = if number.fract() == 0.0 && number.abs() < 9e15 {
            (number as i64).to_string()
        } else {
            FloatText::debug(number).to_string()
        };
        assert_eq!(text, expected, "{number:?}");
        assert_eq!(text.parse::<f64>(), Ok(number), "{text}");
    }
}
