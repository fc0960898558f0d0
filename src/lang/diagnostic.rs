//! Errors that point at the exact place in the program text.

use std::fmt;

use crate::program::Span;

/// After this many errors, lexer, parser and checker together, the rest are
/// likely echoes of the first ones; stopping there keeps a broken 1 MB text
/// cheap to report.
pub const MAX_DIAGNOSTICS: usize = 50;

/// How many chars of the line [`Diagnostic::render`] shows around the place.
const RENDER_WINDOW: usize = 120;

/// A message longer than twice this is cut in the middle.
const MESSAGE_END_CHARS: usize = 100;

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
    ///
    /// ```
    /// use async_playground::lang::Diagnostic;
    /// use async_playground::program::Span;
    /// let error = Diagnostic::new("a\nbc", Span::new(3, 4), "here");
    /// assert_eq!((error.line, error.column), (2, 2));
    /// ```
    pub fn new(text: &str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::with_lines(&LineIndex::new(text), text, span, message.into())
    }

    /// [`Diagnostic::new`] with the text's lines already indexed.
    pub(crate) fn with_lines(
        lines: &LineIndex,
        text: &str,
        span: Span,
        message: String,
    ) -> Diagnostic {
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end.max(start));
        let (line, column) = lines.line_column(text, start);
        Diagnostic {
            line,
            column,
            span: Span::new(start, end),
            message,
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
    ///
    /// A long line shows only a window of about 120 chars around the place,
    /// with `...` where it is cut.
    pub fn render(&self, text: &str) -> String {
        let start = floor_char_boundary(text, self.span.start);
        let line_begin = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = floor_char_boundary(text, self.span.end.clamp(start, line_end));
        // Up to half the window before the place; the rest after it.
        let shown_begin = text[line_begin..start]
            .char_indices()
            .rev()
            .nth(RENDER_WINDOW / 2 - 1)
            .map_or(line_begin, |(i, _)| line_begin + i);
        let shown_end = text[start..line_end]
            .char_indices()
            .nth(RENDER_WINDOW - text[shown_begin..start].chars().count())
            .map_or(line_end, |(i, _)| start + i);
        let (before, after) = (
            if shown_begin > line_begin { "..." } else { "" },
            if shown_end < line_end { "..." } else { "" },
        );
        let indent: String = before
            .chars()
            .chain(text[shown_begin..start].chars())
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let carets = text[start..end.min(shown_end)].chars().count().max(1);
        format!(
            "{}:{}: error: {}\n  | {before}{}{after}\n  | {indent}{}",
            self.line,
            self.column,
            self.message,
            &text[shown_begin..shown_end],
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

/// Where each line of a text starts, so that the line and column of any
/// offset cost a binary search, not a scan from the start.
///
/// ```
/// use async_playground::lang::LineIndex;
/// let text = "sum([1])\nsum(nope)";
/// assert_eq!(LineIndex::new(text).line_column(text, 13), (2, 5));
/// ```
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// One pass over `text`, finding its line breaks.
    pub fn new(text: &str) -> LineIndex {
        let breaks = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        let starts = std::iter::once(0)
            .chain(breaks.map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// 1-based line of byte offset `at`.
    pub fn line(&self, at: usize) -> u32 {
        saturate(self.starts.partition_point(|&start| start <= at))
    }

    /// 1-based line and char column of byte offset `at` (a char boundary of `text`).
    pub fn line_column(&self, text: &str, at: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&start| start <= at);
        let line_begin = self.starts[line.saturating_sub(1)];
        let column = text[line_begin..at].chars().count() + 1;
        (saturate(line), saturate(column))
    }
}

/// The diagnostics of one text, from lexer, parser and checker, up to
/// [`MAX_DIAGNOSTICS`] in all.
pub(crate) struct DiagnosticSink<'t> {
    text: &'t str,
    lines: LineIndex,
    list: Vec<Diagnostic>,
}

impl<'t> DiagnosticSink<'t> {
    pub fn new(text: &'t str) -> DiagnosticSink<'t> {
        DiagnosticSink {
            text,
            lines: LineIndex::new(text),
            list: Vec::new(),
        }
    }

    /// Whether more errors would be dropped: callers skip building them.
    pub fn is_full(&self) -> bool {
        self.list.len() >= MAX_DIAGNOSTICS
    }

    pub fn push(&mut self, span: Span, message: impl Into<String>) {
        if !self.is_full() {
            let message = cut_middle(message.into());
            let diagnostic = Diagnostic::with_lines(&self.lines, self.text, span, message);
            self.list.push(diagnostic);
        }
    }

    /// `line:column` of byte offset `at`, for messages like "opened at 3:1".
    pub fn place(&self, at: usize) -> String {
        let (line, column) = self
            .lines
            .line_column(self.text, floor_char_boundary(self.text, at));
        format!("{line}:{column}")
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

/// Orders diagnostics by place in the text (stable: equal spans keep their
/// order). One function for the parser's and the habits' sorts, so the sort
/// is compiled once.
pub(crate) fn sort_by_place(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
}

/// A message quoting a huge token (a 1 MB name or number) keeps its first
/// and last [`MESSAGE_END_CHARS`] chars, so it stays readable and small.
fn cut_middle(message: String) -> String {
    let chars = message.chars().count();
    if chars <= 2 * MESSAGE_END_CHARS + 3 {
        return message;
    }
    let head: String = message.chars().take(MESSAGE_END_CHARS).collect();
    let tail: String = message.chars().skip(chars - MESSAGE_END_CHARS).collect();
    format!("{head}...{tail}")
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
