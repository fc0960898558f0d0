//! Streaming parsers that turn an HTTP body into numbers as its bytes arrive.
//!
//! Pure Rust, no browser needed: a [`BodyParser`] is fed the body in chunks
//! split anywhere (inside a number, a quoted field, a UTF-8 character or a
//! `\r\n`) and hands out each value as soon as the line or record holding it
//! is complete. Feeding the same bytes split any other way gives the same
//! values and the same errors.
//!
//! ```
//! use async_playground::program::FetchFormat;
//! use async_playground::source::text::BodyParser;
//!
//! let mut parser = BodyParser::new(&FetchFormat::Csv { column: "age".into() });
//! let mut values = Vec::new();
//! parser.feed(b"id,age\n1,3", &mut values).unwrap();
//! assert!(values.is_empty()); // the row is not complete yet
//! parser.feed(b"4\n2,\"41\"\n", &mut values).unwrap();
//! assert_eq!(values, [34.0, 41.0]);
//! parser.finish(&mut values).unwrap();
//! ```
//!
//! Errors name the line: `line 7: expected 4 fields, found 3`.

mod csv;
mod lines;
mod ndjson;

pub use csv::CsvParser;
pub use lines::{LineParser, LineSplitter, MAX_LINE_BYTES};
pub use ndjson::NdjsonParser;

use crate::program::FetchFormat;

/// A body parser for one of the fetch formats.
#[derive(Debug)]
pub enum BodyParser {
    Lines(LineParser),
    Csv(CsvParser),
    Ndjson(NdjsonParser),
}

impl BodyParser {
    pub fn new(format: &FetchFormat) -> BodyParser {
        match format {
            FetchFormat::Lines => BodyParser::Lines(LineParser::default()),
            FetchFormat::Csv { column } => BodyParser::Csv(CsvParser::new(column)),
            FetchFormat::Ndjson { field } => BodyParser::Ndjson(NdjsonParser::new(field)),
        }
    }

    /// Parses the next chunk, pushing every value it completes onto `out`.
    /// After an error the parser is spent: later calls repeat nothing useful.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        match self {
            BodyParser::Lines(p) => p.feed(chunk, out),
            BodyParser::Csv(p) => p.feed(chunk, out),
            BodyParser::Ndjson(p) => p.feed(chunk, out),
        }
    }

    /// The end of the body: the last line may have no newline.
    pub fn finish(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        match self {
            BodyParser::Lines(p) => p.finish(out),
            BodyParser::Csv(p) => p.finish(out),
            BodyParser::Ndjson(p) => p.finish(out),
        }
    }
}

/// Parses a whole body at once: every value, or the first error.
///
/// ```
/// use async_playground::program::FetchFormat;
/// use async_playground::source::text::parse_all;
/// assert_eq!(parse_all(&FetchFormat::Lines, b"1\n2.5\n\n-3\n"), Ok(vec![1.0, 2.5, -3.0]));
/// assert_eq!(
///     parse_all(&FetchFormat::Lines, b"1\nabc\n"),
///     Err("line 2: 'abc' is not a number".to_string())
/// );
/// ```
pub fn parse_all(format: &FetchFormat, body: &[u8]) -> Result<Vec<f64>, String> {
    let mut parser = BodyParser::new(format);
    let mut values = Vec::new();
    parser.feed(body, &mut values)?;
    parser.finish(&mut values)?;
    Ok(values)
}

/// A finite number from trimmed text, or `None`.
pub(crate) fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    // Aggregators take finite numbers only (1e400 reads as infinite).
    crate::float_text::parse_decimal(text).filter(|v| v.is_finite())
}

/// Text for an error message: quoted, and cut short if long.
pub(crate) fn quoted(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("'{}…'", &text[..cut]),
        None => format!("'{text}'"),
    }
}

/// Bytes as text for messages, replacing invalid UTF-8.
pub(crate) fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The candidate a mistyped `name` most likely meant: the same name in
/// another case, or one at most 2 edits away.
pub(crate) fn did_you_mean<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Some(same);
    }
    // Short names are too close to everything for 2 edits to mean a typo.
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    crate::suggest::closest_within(name, candidates.iter().copied(), limit)
}

/// "no column 'agee' in header: id, age; did you mean 'age'?"
pub(crate) fn missing_name(what: &str, name: &str, known: &[&str], place: &str) -> String {
    const SHOWN: usize = 12;
    let mut list = known
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if known.len() > SHOWN {
        list.push_str(&format!(", … ({} in all)", known.len()));
    }
    if known.is_empty() {
        list = "(none)".to_string();
    }
    let mut message = format!("no {what} {} in {place}: {list}", quoted(name));
    if let Some(suggestion) = did_you_mean(name, known) {
        message.push_str(&format!("; did you mean '{suggestion}'?"));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("agee", &["id", "age", "income"]), Some("age"));
        assert_eq!(did_you_mean("Age", &["id", "age"]), Some("age"));
        assert_eq!(did_you_mean("zzz", &["id", "age"]), None);
        assert_eq!(
            missing_name("column", "agee", &["id", "age", "income"], "header"),
            "no column 'agee' in header: id, age, income; did you mean 'age'?"
        );
    }

    #[test]
    fn numbers_are_finite() {
        assert_eq!(number(" 4.5 "), Some(4.5));
        assert_eq!(number("1e3"), Some(1000.0));
        assert_eq!(number("NaN"), None);
        assert_eq!(number("inf"), None);
        assert_eq!(number(""), None);
        assert_eq!(quoted(&"x".repeat(50)), format!("'{}…'", "x".repeat(40)));
    }
}
