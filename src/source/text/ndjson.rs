//! NDJSON (one JSON object per line): the values of one top-level field.

use super::{lines::LineSplitter, lossy, missing_name, number, quoted};

/// Streams one field of an NDJSON body. Blank lines are skipped.
#[derive(Debug)]
pub struct NdjsonParser {
    field: String,
    lines: LineSplitter,
}

impl NdjsonParser {
    pub fn new(field: &str) -> NdjsonParser {
        NdjsonParser {
            field: field.to_string(),
            lines: LineSplitter::default(),
        }
    }

    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        let field = &self.field;
        self.lines
            .feed(chunk, |line, bytes| one_line(field, line, bytes, out))
    }

    pub fn finish(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        let field = &self.field;
        self.lines
            .finish(|line, bytes| one_line(field, line, bytes, out))
    }
}

fn one_line(field: &str, line: u64, bytes: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
    let mut scan = Scanner { bytes, at: 0 };
    scan.blanks();
    if scan.at == bytes.len() {
        return Ok(());
    }
    match field_value(field, &mut scan) {
        Ok(value) => {
            out.push(value);
            Ok(())
        }
        Err(Problem::Syntax(what)) => Err(format!(
            "line {line}: not a JSON object: {what} at column {}",
            scan.at + 1
        )),
        Err(Problem::Missing(keys)) => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            Err(format!(
                "line {line}: {}",
                missing_name("field", field, &keys, "this object")
            ))
        }
        Err(Problem::NotNumber(value)) => Err(format!(
            "line {line}, field '{field}': {value} is not a number"
        )),
    }
}

enum Problem {
    Syntax(&'static str),
    Missing(Vec<String>),
    NotNumber(String),
}

/// The number under top-level key `field` of the object in `scan` (the
/// first, if repeated). The whole line must be one well-formed object.
fn field_value(field: &str, scan: &mut Scanner) -> Result<f64, Problem> {
    scan.expect(b'{', "expected '{'")?;
    let mut keys = Vec::new();
    let mut found = None;
    scan.blanks();
    if !scan.eat(b'}') {
        loop {
            scan.blanks();
            let key = scan.string()?;
            scan.blanks();
            scan.expect(b':', "expected ':'")?;
            scan.blanks();
            if key == field && found.is_none() {
                found = Some(scan.number_value()?);
            } else {
                scan.skip_value()?;
            }
            keys.push(key);
            scan.blanks();
            if scan.eat(b',') {
                continue;
            }
            scan.expect(b'}', "expected ',' or '}'")?;
            break;
        }
    }
    scan.blanks();
    if scan.peek().is_some() {
        return Err(Problem::Syntax("more text after the object"));
    }
    found.ok_or(Problem::Missing(keys))
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), Problem> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(Problem::Syntax(what))
        }
    }

    /// A string, decoded: `"a\"b"` → `a"b`.
    fn string(&mut self) -> Result<String, Problem> {
        self.expect(b'"', "expected a key in double quotes")?;
        let mut text = Vec::new();
        loop {
            match self.peek() {
                None => return Err(Problem::Syntax("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(String::from_utf8_lossy(&text).into_owned());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.peek().ok_or(Problem::Syntax("unterminated string"))?;
                    self.at += 1;
                    match escaped {
                        b'n' => text.push(b'\n'),
                        b't' => text.push(b'\t'),
                        b'r' => text.push(b'\r'),
                        b'b' => text.push(8),
                        b'f' => text.push(12),
                        b'u' => {
                            let hex = self
                                .bytes
                                .get(self.at..self.at + 4)
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .ok_or(Problem::Syntax("bad \\u escape"))?;
                            self.at += 4;
                            let c = char::from_u32(hex).unwrap_or('\u{FFFD}');
                            let mut buf = [0; 4];
                            text.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        other => text.push(other),
                    }
                }
                Some(byte) => {
                    self.at += 1;
                    text.push(byte);
                }
            }
        }
    }

    /// A JSON number, or why the value is not one.
    fn number_value(&mut self) -> Result<f64, Problem> {
        let start = self.at;
        if self.peek() == Some(b'"') {
            let text = self.string()?;
            return Err(Problem::NotNumber(format!("the string {}", quoted(&text))));
        }
        self.skip_value()?;
        let raw = lossy(&self.bytes[start..self.at]);
        let raw = raw.trim();
        let numeric = raw
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        match number(raw) {
            Some(value) if numeric => Ok(value),
            _ => Err(Problem::NotNumber(quoted(raw))),
        }
    }

    /// Skips one value of any kind, nested or not, without recursion.
    fn skip_value(&mut self) -> Result<(), Problem> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'[' | b'{') => {
                let mut depth = 0usize;
                loop {
                    match self.peek() {
                        None => return Err(Problem::Syntax("unclosed '[' or '{'")),
                        Some(b'"') => {
                            self.string()?;
                        }
                        Some(b'[' | b'{') => {
                            depth += 1;
                            self.at += 1;
                        }
                        Some(b']' | b'}') => {
                            depth = depth.saturating_sub(1);
                            self.at += 1;
                            if depth == 0 {
                                return Ok(());
                            }
                        }
                        Some(_) => self.at += 1,
                    }
                }
            }
            _ => {
                let start = self.at;
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                        break;
                    }
                    self.at += 1;
                }
                if self.at == start {
                    Err(Problem::Syntax("expected a value"))
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, body: &str) -> Result<Vec<f64>, String> {
        let mut parser = NdjsonParser::new(name);
        let mut out = Vec::new();
        parser.feed(body.as_bytes(), &mut out)?;
        parser.finish(&mut out)?;
        Ok(out)
    }

    #[test]
    fn reads_a_field() {
        let body = concat!(
            "{\"id\": 1, \"tags\": [\"a,}\", {\"age\": 99}], \"age\": 30}\n",
            "\n",
            "{\"age\":-4.5e1,\"id\":2}\r\n",
            "{\"n\\\"ame\": \"x\", \"age\": 7}"
        );
        assert_eq!(field("age", body), Ok(vec![30.0, -45.0, 7.0]));
    }

    #[test]
    fn errors() {
        assert_eq!(
            field("agee", "{\"id\": 1, \"age\": 2}\n"),
            Err("line 1: no field 'agee' in this object: id, age; did you mean 'age'?".into())
        );
        assert_eq!(
            field("age", "{\"age\": 1}\n{\"age\": \"abc\"}\n"),
            Err("line 2, field 'age': the string 'abc' is not a number".into())
        );
        assert_eq!(
            field("age", "{\"age\": null}"),
            Err("line 1, field 'age': 'null' is not a number".into())
        );
        assert_eq!(
            field("age", "[1, 2]"),
            Err("line 1: not a JSON object: expected '{' at column 1".into())
        );
        assert_eq!(
            field("age", "{\"age\" 1}"),
            Err("line 1: not a JSON object: expected ':' at column 8".into())
        );
    }
}
