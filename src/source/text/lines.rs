//! Newline-delimited numbers, and the line splitter NDJSON shares.

use super::{lossy, number, quoted};

/// The longest line a body may have.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Splits bytes into lines across chunk boundaries. Lines end at `\n`; a
/// `\r` before it is dropped, and so is a UTF-8 byte-order mark at the start.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// The unfinished line carried over from earlier chunks.
    partial: Vec<u8>,
    /// Lines completed so far.
    line: u64,
}

impl LineSplitter {
    /// Calls `each(line_number, bytes)` for every line `chunk` completes.
    /// A line longer than [`MAX_LINE_BYTES`] is an error: no number needs
    /// it, and carrying it would hold the whole body in memory.
    pub fn feed<E: From<String>>(
        &mut self,
        chunk: &[u8],
        mut each: impl FnMut(u64, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (head, tail) = rest.split_at(end);
            self.line += 1;
            if self.partial.is_empty() {
                each(self.line, clean(self.line, head))?;
            } else {
                self.partial.extend_from_slice(head);
                let whole = std::mem::take(&mut self.partial);
                let result = each(self.line, clean(self.line, &whole));
                // Keep the allocation for the next partial line.
                self.partial = whole;
                self.partial.clear();
                result?;
            }
            rest = tail.get(1..).unwrap_or_default();
        }
        if self.partial.len() + rest.len() > MAX_LINE_BYTES {
            return Err(E::from(format!(
                "line {} is longer than {} MB; is this a text file of numbers?",
                self.line + 1,
                MAX_LINE_BYTES >> 20
            )));
        }
        self.partial.extend_from_slice(rest);
        Ok(())
    }

    /// The last line, if the body did not end with a newline.
    pub fn finish<E>(
        &mut self,
        mut each: impl FnMut(u64, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.partial.is_empty() {
            return Ok(());
        }
        self.line += 1;
        let last = std::mem::take(&mut self.partial);
        each(self.line, clean(self.line, &last))
    }
}

fn clean(line: u64, bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    if line == 1 {
        bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
    } else {
        bytes
    }
}

/// One number per line. Blank lines and lines starting with `#` are skipped.
#[derive(Debug, Default)]
pub struct LineParser {
    lines: LineSplitter,
}

impl LineParser {
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
        self.lines
            .feed(chunk, |line, bytes| one_line(line, bytes, out))
    }

    pub fn finish(&mut self, out: &mut Vec<f64>) -> Result<(), String> {
        self.lines.finish(|line, bytes| one_line(line, bytes, out))
    }
}

fn one_line(line: u64, bytes: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
    let text = lossy(bytes);
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') {
        return Ok(());
    }
    match number(text) {
        Some(value) => {
            out.push(value);
            Ok(())
        }
        None => Err(format!("line {line}: {} is not a number", quoted(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(chunks: &[&[u8]]) -> Vec<(u64, String)> {
        let mut splitter = LineSplitter::default();
        let mut seen = Vec::new();
        let mut push = |n: u64, b: &[u8]| -> Result<(), String> {
            seen.push((n, String::from_utf8_lossy(b).into_owned()));
            Ok(())
        };
        for chunk in chunks {
            splitter.feed(chunk, &mut push).unwrap();
        }
        splitter.finish(&mut push).unwrap();
        seen
    }

    #[test]
    fn splits_across_chunks() {
        let expected = vec![
            (1, "ab".to_string()),
            (2, "".to_string()),
            (3, "cd".to_string()),
        ];
        assert_eq!(lines(&[b"ab\r\n\ncd"]), expected);
        assert_eq!(lines(&[b"a", b"b\r", b"\n", b"\nc", b"d"]), expected);
        assert_eq!(lines(&[b"\xEF\xBB", b"\xBFab\n\ncd\n"]), expected);
    }
}
