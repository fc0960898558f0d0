//! CSV with a header row (RFC 4180): the values of one named column.
//!
//! Fields are separated by `,` and records by `\n` or `\r\n`. A field in
//! double quotes may hold commas, newlines and `""` for a quote. Blank lines
//! are skipped. Every record must have as many fields as the header.

use super::{lossy, missing_name, number, quoted};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a field (leading blanks are skipped).
    FieldStart,
    Unquoted,
    Quoted,
    /// Just saw a `"` inside a quoted field: a closing quote or the first
    /// half of `""`.
    QuoteInQuoted,
}

/// Streams one column of a CSV body.
#[derive(Debug)]
pub struct CsvParser {
    column: String,
    state: State,
    /// Physical line of the byte being read (1-based).
    line: u64,
    /// The line the current record started on.
    record_line: u64,
    /// Index of the current field within its record.
    field: usize,
    /// Whether the current record has anything but blanks.
    has_content: bool,
    /// The current field's bytes, kept only when needed.
    bytes: Vec<u8>,
    /// The wanted column's bytes in the current record.
    target: Option<Vec<u8>>,
    /// Header names while the header is read, then kept for messages.
    names: Vec<String>,
    /// Set once the header is read: (field count, index of the column).
    header: Option<(usize, usize)>,
    /// The first bytes, held until a byte-order mark can be ruled out.
    start: Option<Vec<u8>>,
    failed: bool,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl CsvParser {
    pub fn new(column: &str) -> CsvParser {
        CsvParser {
            column: column.to_string(),
            state: State::FieldStart,
            line: 1,
            record_line: 1,
            field: 0,
            has_content: false,
            bytes: Vec::new(),
            target: None,
            names: Vec::new(),
            header: None,
            start: Some(Vec::new()),
            failed: false,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        if self.failed {
            return Err("the CSV parser already failed".to_string());
        }
        if let Some(mut start) = self.start.take() {
            start.extend_from_slice(chunk);
            if start.len() < BOM.len() && BOM.starts_with(&start) {
                self.start = Some(start);
                return Ok(());
            }
            let body = start.strip_prefix(BOM).unwrap_or(&start);
            return self.run(body, out);
        }
        self.run(chunk, out)
    }

    pub fn finish(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        if let Some(start) = self.start.take() {
            let body = start.strip_prefix(BOM).unwrap_or(&start);
            self.run(body, out)?;
        }
        if self.failed {
            return Err("the CSV parser already failed".to_string());
        }
        match self.state {
            State::Quoted => {
                self.failed = true;
                Err(format!(
                    "line {}: a quoted field is never closed (the body ends inside it)",
                    self.record_line
                ))
            }
            _ if self.field == 0 && !self.has_content => {
                if self.header.is_none() && self.names.is_empty() {
                    // An empty body: no header, no values.
                    return Ok(());
                }
                Ok(())
            }
            _ => self.end_record(out),
        }
    }

    fn run(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        let result = self.run_inner(chunk, out);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn run_inner(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        for &byte in chunk {
            match self.state {
                State::FieldStart => match byte {
                    b' ' | b'\t' | b'\r' => {}
                    b'"' => {
                        self.has_content = true;
                        self.state = State::Quoted;
                    }
                    b',' => {
                        self.has_content = true;
                        self.end_field();
                    }
                    b'\n' => self.end_line(out)?,
                    _ => {
                        self.has_content = true;
                        self.keep(byte);
                        self.state = State::Unquoted;
                    }
                },
                State::Unquoted => match byte {
                    b',' => self.end_field(),
                    b'\n' => self.end_line(out)?,
                    _ => self.keep(byte),
                },
                State::Quoted => match byte {
                    b'"' => self.state = State::QuoteInQuoted,
                    b'\n' => {
                        self.line += 1;
                        self.keep(byte);
                    }
                    _ => self.keep(byte),
                },
                State::QuoteInQuoted => match byte {
                    b'"' => {
                        self.keep(b'"');
                        self.state = State::Quoted;
                    }
                    b',' => self.end_field(),
                    b'\n' => self.end_line(out)?,
                    b' ' | b'\t' | b'\r' => {}
                    _ => {
                        return Err(format!(
                            "line {}: unexpected {} after a closing quote (write \"\" for a quote inside quotes)",
                            self.line,
                            quoted(&lossy(&[byte]))
                        ))
                    }
                },
            }
        }
        Ok(())
    }

    /// Whether the current field's bytes are needed.
    fn wanted(&self) -> bool {
        match self.header {
            None => true,
            Some((_, index)) => index == self.field,
        }
    }

    fn keep(&mut self, byte: u8) {
        if self.wanted() {
            self.bytes.push(byte);
        }
    }

    fn end_field(&mut self) {
        if self.wanted() {
            let mut bytes = std::mem::take(&mut self.bytes);
            if self.state == State::Unquoted {
                while bytes
                    .last()
                    .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r'))
                {
                    bytes.pop();
                }
            }
            match self.header {
                None => self.names.push(lossy(&bytes).trim().to_string()),
                Some(_) => self.target = Some(bytes),
            }
        }
        self.field += 1;
        self.state = State::FieldStart;
    }

    fn end_line(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        let result = if self.field == 0 && !self.has_content {
            Ok(()) // a blank line
        } else {
            self.end_record(out)
        };
        self.line += 1;
        self.record_line = self.line;
        self.field = 0;
        self.has_content = false;
        self.state = State::FieldStart;
        result
    }

    fn end_record(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        self.end_field();
        let found = self.field;
        match self.header {
            None => {
                let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
                let Some(index) = names.iter().position(|n| *n == self.column) else {
                    return Err(missing_name("column", &self.column, &names, "header"));
                };
                self.header = Some((found, index));
                Ok(())
            }
            Some((expected, _)) if found != expected => Err(format!(
                "line {}: expected {expected} fields, found {found}",
                self.record_line
            )),
            Some(_) => {
                let bytes = self.target.take().unwrap_or_default();
                let text = lossy(&bytes);
                match number(&text) {
                    Some(value) => {
                        out.push(value);
                        Ok(())
                    }
                    None => Err(format!(
                        "line {}, column '{}': {} is not a number",
                        self.record_line,
                        self.column,
                        quoted(text.trim())
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, body: &str) -> Result<Vec<f64>, String> {
        let mut parser = CsvParser::new(name);
        let mut out = Vec::new();
        parser.feed(body.as_bytes(), &mut out)?;
        parser.finish(&mut out)?;
        Ok(out)
    }

    #[test]
    fn reads_a_column() {
        let body =
            "id,age,income\n1,30,100\r\n2,\"41\",\"1,000\"\n\n3, 7 ,\"he said \"\"hi\"\"\"\n";
        assert_eq!(column("age", body), Ok(vec![30.0, 41.0, 7.0]));
        assert_eq!(
            column("income", body),
            Err("line 3, column 'income': '1,000' is not a number".into())
        );
    }

    #[test]
    fn quoted_newlines_keep_line_numbers() {
        let body = "name,age\n\"a\nb\",1\nc,2\nd\n";
        assert_eq!(
            column("age", body),
            Err("line 5: expected 2 fields, found 1".into())
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            column("agee", "id,age,income\n1,2,3\n"),
            Err("no column 'agee' in header: id, age, income; did you mean 'age'?".into())
        );
        assert_eq!(
            column("age", "id,age\n1,\"2\n"),
            Err("line 2: a quoted field is never closed (the body ends inside it)".into())
        );
        assert_eq!(
            column("age", "id,age\n1,\"2\"x\n"),
            Err("line 2: unexpected 'x' after a closing quote (write \"\" for a quote inside quotes)".into())
        );
        assert_eq!(column("age", ""), Ok(vec![]));
        assert_eq!(column("age", "age"), Ok(vec![]));
        assert_eq!(column("age", "age\n5"), Ok(vec![5.0]));
    }
}
