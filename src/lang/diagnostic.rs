//! Errors that point at the exact place in the program text.

use std::fmt;

use crate::program::Span;

/// One error in a program: where it is and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line of `span.start`.
    pub line: u32,
    /// 1-based column of `span.start`, counted in chars.
    pub column: u32,
    /// Byte range in the text; always within it and on char boundaries.
    pub span: Span,
    /// What was expected and what was found.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for `span` of `text`, with the line and column computed.
    /// Spans past the end or inside a char are moved back to the nearest
    /// valid position, so a diagnostic is always safe to render.
    pub fn new(text: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end.max(start));
        let (line, column) = line_column(text, start);
        Diagnostic {
            line,
            column,
            span: Span::new(start, end),
            message: message.into(),
        }
    }

    /// The diagnostic as a compiler would print it, with the line and carets:
    ///
    /// ```
    /// let text = "collect(afeat3)";
    /// let errors = async_playground::lang::parse(text).unwrap_err();
    /// assert_eq!(
    ///     errors[0].render(text),
    ///     "1:9: error: unknown source 'afeat3'\n  | collect(afeat3)\n  |         ^^^^^^"
    /// );
    /// ```
    pub fn render(&self, text: &str) -> String {
        let start = floor_char_boundary(text, self.span.start);
        let line_begin = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = &text[line_begin..line_end];
        let end = floor_char_boundary(text, self.span.end.clamp(start, line_end));
        let indent: String = text[line_begin..start]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = text[start..end].chars().count().max(1);
        format!(
            "{}:{}: error: {}\n  | {}\n  | {}{}",
            self.line,
            self.column,
            self.message,
            line_text,
            indent,
            "^".repeat(carets)
        )
    }
}

/// `line:column: message`, as a compiler prints it (without the source line:
/// [`Diagnostic::render`] adds that).
///
/// ```
/// let errors = async_playground::lang::parse("sum(nope)").unwrap_err();
/// assert_eq!(errors[0].to_string(), "1:5: unknown source 'nope'");
/// ```
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// Every error of a program as one [`std::error::Error`], one per line, so
/// that `?` can carry what [`parse`](super::parse) returns.
///
/// ```
/// use async_playground::lang::{self, Diagnostics};
/// fn sources(text: &str) -> Result<usize, Box<dyn std::error::Error>> {
///     Ok(lang::parse(text).map_err(Diagnostics)?.sources.len())
/// }
/// let error = sources("sum(nope)\nmax(b)").unwrap_err();
/// assert_eq!(error.to_string(), "1:5: unknown source 'nope'\n2:5: unknown source 'b'");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based line and char column of byte offset `at` (a char boundary).
pub(crate) fn line_column(text: &str, at: usize) -> (u32, u32) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_begin = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_begin..].chars().count() + 1;
    (saturate(line), saturate(column))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
