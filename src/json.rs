//! A minimal JSON writer. The report crosses into JavaScript as one JSON
//! string and one `JSON.parse`, which is far cheaper than building objects a
//! property at a time across the wasm boundary.

use std::fmt::Write;

use crate::float_text::FloatText;

/// Writes one JSON value into a string.
///
/// ```
/// use async_playground::json::Json;
/// let mut json = Json::default();
/// json.object(|o| {
///     o.string("name", "a \"quoted\" label");
///     o.number("t", 1.5);
///     o.number("bad", f64::NAN);
///     o.key("items").array([1.0, 2.0], |j, v| j.number(v));
/// });
/// assert_eq!(json.finish(), r#"{"name":"a \"quoted\" label","t":1.5,"bad":null,"items":[1,2]}"#);
/// ```
#[derive(Default)]
pub struct Json {
    out: String,
}

/// The fields of an object being written.
pub struct Fields<'a> {
    json: &'a mut Json,
    first: bool,
}

impl Json {
    pub fn finish(self) -> String {
        self.out
    }

    /// Non-finite numbers have no JSON form; they are written as `null`.
    pub fn number(&mut self, value: f64) {
        if value.fract() == 0.0 && value.abs() < 9e15 {
            // Exact as an integer, and much cheaper to write.
            let whole = value as i64;
            if whole < 0 {
                self.out.push('-');
            }
            push_decimal(&mut self.out, whole.unsigned_abs());
        } else if let Some(thousandths) = whole_thousandths(value) {
            // Times in milliseconds to the microsecond: the real clock's
            // readings. Their shortest form, without the general algorithm.
            if value < 0.0 {
                self.out.push('-');
            }
            push_decimal(&mut self.out, thousandths / 1000);
            let fraction = thousandths % 1000;
            let digits = [fraction / 100, fraction / 10 % 10, fraction % 10];
            let shown = if digits[2] != 0 {
                3
            } else if digits[1] != 0 {
                2
            } else {
                1
            };
            self.out.push('.');
            self.out.extend(
                digits[..shown]
                    .iter()
                    .map(|&digit| char::from(b'0' + digit as u8)),
            );
        } else if value.is_finite() {
            // Debug is the shortest round-trip form, with an exponent for
            // very large or small values: always valid JSON.
            let _ = write!(self.out, "{}", FloatText::debug(value));
        } else {
            self.out.push_str("null");
        }
    }

    pub fn integer(&mut self, value: u64) {
        push_decimal(&mut self.out, value);
    }

    pub fn boolean(&mut self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    pub fn string(&mut self, value: &str) {
        self.out.push('"');
        // Keys, labels and results rarely need escaping: copied whole. With
        // `push_decimal`, the report of 10^3 sources (B4) took about 2 ms
        // to write instead of 7.
        if !value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            self.out.push_str(value);
            self.out.push('"');
            return;
        }
        for c in value.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.out, "\\u{:04x}", c as u32);
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    pub fn object(&mut self, fill: impl FnOnce(&mut Fields<'_>)) {
        self.out.push('{');
        fill(&mut Fields {
            json: self,
            first: true,
        });
        self.out.push('}');
    }

    pub fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Json, T),
    ) {
        self.out.push('[');
        for (index, item) in items.into_iter().enumerate() {
            if index > 0 {
                self.out.push(',');
            }
            each(self, item);
        }
        self.out.push(']');
    }
}

/// `value` in decimal, without `core::fmt`'s machinery: a report writes
/// thousands of lane numbers and counts.
/// `|value| * 1000` when `value` is the double nearest a decimal with at most
/// three decimal places, below 10^9 in size. There doubles lie less than
/// 10^-6 apart, so no shorter decimal reads back as `value`: the decimal
/// is its shortest form, the one `FloatText::debug` writes.
fn whole_thousandths(value: f64) -> Option<u64> {
    let magnitude = value.abs();
    let thousandths = (magnitude * 1000.0).round();
    (magnitude < 1e9 && thousandths / 1000.0 == magnitude).then_some(thousandths as u64)
}

fn push_decimal(out: &mut String, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&digit| char::from(digit)));
}

impl Fields<'_> {
    /// Starts a field; write its value into the returned writer.
    pub fn key(&mut self, key: &str) -> &mut Json {
        if !self.first {
            self.json.out.push(',');
        }
        self.first = false;
        self.json.string(key);
        self.json.out.push(':');
        self.json
    }

    pub fn string(&mut self, key: &str, value: &str) {
        self.key(key).string(value);
    }

    pub fn number(&mut self, key: &str, value: f64) {
        self.key(key).number(value);
    }

    pub fn integer(&mut self, key: &str, value: u64) {
        self.key(key).integer(value);
    }

    pub fn boolean(&mut self, key: &str, value: bool) {
        self.key(key).boolean(value);
    }
}
