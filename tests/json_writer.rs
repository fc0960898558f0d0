//! The report's JSON writer against the standard formatting it replaced
//! on its fast paths (whole numbers, strings that need no escaping).

use async_playground::json::Json;

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
