#![cfg(not(target_arch = "wasm32"))]
//! The fetch body parsers (lines, CSV, NDJSON): values as chunks arrive, chunk
//! boundaries anywhere, and errors with line numbers.

use async_playground::program::FetchFormat;
use async_playground::source::text::{parse_all, BodyParser};
use proptest::prelude::*;

fn csv(column: &str) -> FetchFormat {
    FetchFormat::Csv {
        column: column.into(),
    }
}

fn ndjson(field: &str) -> FetchFormat {
    FetchFormat::Ndjson {
        field: field.into(),
    }
}

/// Feeds `body` in pieces cut at `cuts` (byte offsets, any order).
fn chunked(format: &FetchFormat, body: &[u8], cuts: &[usize]) -> Result<Vec<f64>, String> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    cuts.sort_unstable();
    let mut parser = BodyParser::new(format);
    let mut values = Vec::new();
    let mut from = 0;
    for cut in cuts.into_iter().chain([body.len()]) {
        parser.feed(&body[from..cut], &mut values)?;
        from = cut;
    }
    parser.finish(&mut values)?;
    Ok(values)
}

/// Every way of cutting `body` in two or three gives the same as one piece.
fn every_split_agrees(format: &FetchFormat, body: &[u8]) {
    let whole = parse_all(format, body);
    for i in 0..=body.len() {
        assert_eq!(chunked(format, body, &[i]), whole, "cut at {i}");
        for j in i..=body.len() {
            assert_eq!(chunked(format, body, &[i, j]), whole, "cuts at {i}, {j}");
        }
    }
    // One byte at a time.
    let all: Vec<usize> = (0..=body.len()).collect();
    assert_eq!(chunked(format, body, &all), whole, "byte by byte");
}

const FEATURES: &str = "\u{feff}id,age,income,note\r\n\
1,34,52000,plain\r\n\
2,\"41\",\"61,500\",\"with, comma\"\r\n\
\r\n\
3,29,48000,\"quote \"\"x\"\" and\nnewline\"\r\n\
4,52.5,75000,é ü 漢字\r\n";

#[test]
fn csv_column_values_with_quotes_blank_lines_and_a_bom() {
    assert_eq!(
        parse_all(&csv("age"), FEATURES.as_bytes()),
        Ok(vec![34.0, 41.0, 29.0, 52.5])
    );
    assert_eq!(
        parse_all(&csv("id"), FEATURES.as_bytes()),
        Ok(vec![1.0, 2.0, 3.0, 4.0])
    );
    every_split_agrees(&csv("age"), FEATURES.as_bytes());
    // The income column has "61,500": an error on the line of record 2, at any split.
    assert_eq!(
        parse_all(&csv("income"), FEATURES.as_bytes()),
        Err("line 3, column 'income': '61,500' is not a number".into())
    );
    every_split_agrees(&csv("income"), FEATURES.as_bytes());
}

#[test]
fn values_arrive_as_soon_as_their_row_is_complete() {
    let mut parser = BodyParser::new(&csv("b"));
    let mut values = Vec::new();
    parser.feed(b"a,b\n1,2\n3,", &mut values).unwrap();
    assert_eq!(values, [2.0]);
    parser.feed(b"4", &mut values).unwrap();
    assert_eq!(values, [2.0]);
    parser.feed(b"\n", &mut values).unwrap();
    assert_eq!(values, [2.0, 4.0]);
    parser.finish(&mut values).unwrap();

    let mut parser = BodyParser::new(&FetchFormat::Lines);
    let mut values = Vec::new();
    parser.feed(b"10\n2", &mut values).unwrap();
    assert_eq!(values, [10.0]);
    parser.feed(b"0\n", &mut values).unwrap();
    assert_eq!(values, [10.0, 20.0]);
}

#[test]
fn malformed_rows_name_their_line() {
    let body = "id,age,income,score\n1,2,3,4\n5,6,7,8\n9,10,11,12\n\n13,14,15,16\n17,18,19\n";
    assert_eq!(
        parse_all(&csv("age"), body.as_bytes()),
        Err("line 7: expected 4 fields, found 3".into())
    );
    every_split_agrees(&csv("age"), body.as_bytes());
    assert_eq!(
        parse_all(&csv("age"), b"id,age\n1,2\n2,abc\n"),
        Err("line 3, column 'age': 'abc' is not a number".into())
    );
    assert_eq!(
        parse_all(&csv("agee"), b"id,age,income\n1,2,3\n"),
        Err("no column 'agee' in header: id, age, income; did you mean 'age'?".into())
    );
    assert_eq!(
        parse_all(&csv("age"), b"id,age\n1,\"2\n3,4\n"),
        Err("line 2: a quoted field is never closed (the body ends inside it)".into())
    );
    assert_eq!(
        parse_all(&FetchFormat::Lines, b"1\n2\n  \n# comment\nNaN\n"),
        Err("line 5: 'NaN' is not a number".into())
    );
    assert_eq!(
        parse_all(&ndjson("age"), b"{\"age\": 1}\n{\"age\": 2\n"),
        Err("line 2: not a JSON object: expected ',' or '}' at column 10".into())
    );
}

#[test]
fn ndjson_field_values() {
    let body = "{\"id\":1,\"age\":34,\"tags\":[\"a\",{\"age\":0}]}\n\
                {\"id\":2,\"name\":\"Zoë \\\"Z\\\"\",\"age\":41.5}\r\n\
                \n\
                {\"age\":-3e2}";
    assert_eq!(
        parse_all(&ndjson("age"), body.as_bytes()),
        Ok(vec![34.0, 41.5, -300.0])
    );
    every_split_agrees(&ndjson("age"), body.as_bytes());
    assert_eq!(
        parse_all(&ndjson("agee"), body.as_bytes()),
        Err("line 1: no field 'agee' in this object: id, age, tags; did you mean 'age'?".into())
    );
    assert_eq!(
        parse_all(&ndjson("name"), body.as_bytes()),
        Err("line 1: no field 'name' in this object: id, age, tags".into())
    );
}

#[test]
fn lines_with_crlf_blank_lines_and_no_final_newline() {
    let body = b"1\r\n-2.5\r\n\r\n 3e1 \n4";
    assert_eq!(
        parse_all(&FetchFormat::Lines, body),
        Ok(vec![1.0, -2.5, 30.0, 4.0])
    );
    every_split_agrees(&FetchFormat::Lines, body);
}

/// A CSV field, quoted when it must be (or when asked to).
fn csv_field(text: &str, force_quotes: bool) -> String {
    if force_quotes || text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn table() -> impl Strategy<Value = (Vec<(f64, String, bool)>, bool)> {
    (
        prop::collection::vec(
            (
                (-1_000_000i64..1_000_000).prop_map(|n| n as f64 / 100.0),
                "[a-z ,\"\n\r\u{e9}\u{6f22}]{0,8}",
                any::<bool>(),
            ),
            0..12,
        ),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any split of a CSV table into chunks gives the column's values.
    #[test]
    fn csv_any_split_gives_the_same_values(
        (rows, crlf) in table(),
        cuts in prop::collection::vec(any::<usize>(), 0..20),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut body = format!("note,value{newline}");
        for (value, note, quote) in &rows {
            body.push_str(&format!("{},{}{newline}", csv_field(note, *quote), csv_field(&value.to_string(), *quote)));
        }
        let expected: Vec<f64> = rows.iter().map(|r| r.0).collect();
        prop_assert_eq!(chunked(&csv("value"), body.as_bytes(), &cuts), Ok(expected));
    }

    /// Any split of an NDJSON body gives the field's values.
    #[test]
    fn ndjson_any_split_gives_the_same_values(
        rows in prop::collection::vec((-1_000_000i64..1_000_000, "[a-z \"\\\\\u{e9}]{0,8}"), 0..12),
        cuts in prop::collection::vec(any::<usize>(), 0..20),
    ) {
        let mut body = String::new();
        for (value, name) in &rows {
            let name = name.replace('\\', "\\\\").replace('"', "\\\"");
            body.push_str(&format!("{{\"name\": \"{name}\", \"x\": {value}, \"more\": [1, {{\"x\": 0}}]}}\n"));
        }
        let expected: Vec<f64> = rows.iter().map(|r| r.0 as f64).collect();
        prop_assert_eq!(chunked(&ndjson("x"), body.as_bytes(), &cuts), Ok(expected));
    }

    /// Any bytes, any split, any format: the same result as one piece, and no panic.
    #[test]
    fn arbitrary_bytes_split_anywhere_agree(
        body in prop::collection::vec(prop_oneof![
            Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'{'), Just(b'}'),
            Just(b':'), Just(b'1'), Just(b'a'), Just(0xEF), Just(0xBB), Just(0xBF), any::<u8>(),
        ], 0..64),
        cuts in prop::collection::vec(any::<usize>(), 0..10),
        which in 0..3usize,
    ) {
        let format = match which {
            0 => FetchFormat::Lines,
            1 => csv("a"),
            _ => ndjson("a"),
        };
        prop_assert_eq!(chunked(&format, &body, &cuts), parse_all(&format, &body));
    }
}

#[test]
fn a_line_longer_than_the_cap_is_an_error_not_a_buffer() {
    use async_playground::source::text::{BodyParser, MAX_LINE_BYTES};
    let mut parser = BodyParser::new(&FetchFormat::Lines);
    let mut values = Vec::new();
    parser.feed(b"1\n2\n", &mut values).unwrap();
    let piece = vec![b'7'; 64 * 1024];
    let mut fed = 0;
    let error = loop {
        match parser.feed(&piece, &mut values) {
            Ok(()) => fed += piece.len(),
            Err(message) => break message,
        }
        assert!(fed <= MAX_LINE_BYTES, "a {fed}-byte line was carried");
    };
    assert_eq!(
        error,
        "line 3 is longer than 1 MB; is this a text file of numbers?"
    );
    assert_eq!(values, [1.0, 2.0]);
}
