//! Text → tokens. Every token carries its byte span and whether it starts a
//! line, because outside brackets a line break ends a statement.

use super::diagnostic::DiagnosticSink;
use crate::float_text::parse_decimal;
use crate::program::Span;

/// What a token is. Keywords are ordinary [`TokenKind::Ident`]s: the parser
/// gives them meaning where they appear.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    Ident,
    Number(f64),
    /// A number with a unit, already in milliseconds.
    Duration(f64),
    Str(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Equals,
    Pipe,
    DotDot,
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    /// `%`, in `spike 1% 2s`.
    Percent,
    /// Text the lexer already reported as an error; the parser stays quiet
    /// about it so one mistake gives one message.
    Invalid,
    /// The parser's view of a line break outside brackets (never lexed).
    EndOfLine,
    EndOfInput,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// The first token on its line.
    pub line_start: bool,
    /// Starts at column 1: a likely statement start, used to recover from errors.
    pub unindented: bool,
}

/// Splits `text` into tokens, ending with [`TokenKind::EndOfInput`].
/// Lexical errors are pushed to `diagnostics` and leave an `Invalid` token.
pub(crate) fn lex(text: &str, diagnostics: &mut DiagnosticSink) -> Vec<Token> {
    lex_with_comments(text, diagnostics).0
}

/// [`lex`], plus the span of every `#` comment (from `#` to the end of its
/// line), in order: the formatter keeps them.
pub(crate) fn lex_with_comments(
    text: &str,
    diagnostics: &mut DiagnosticSink,
) -> (Vec<Token>, Vec<Span>) {
    let mut lexer = Lexer {
        text,
        pos: 0,
        tokens: Vec::new(),
        comments: Vec::new(),
        diagnostics,
        line_start: true,
        unindented: true,
    };
    lexer.run();
    (lexer.tokens, lexer.comments)
}

struct Lexer<'t, 'd, 'dt> {
    text: &'t str,
    pos: usize,
    tokens: Vec<Token>,
    comments: Vec<Span>,
    diagnostics: &'d mut DiagnosticSink<'dt>,
    line_start: bool,
    unindented: bool,
}

impl Lexer<'_, '_, '_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        let mut chars = self.text[self.pos..].chars();
        chars.next();
        chars.next()
    }

    fn error(&mut self, span: Span, message: String) {
        self.diagnostics.push(span, message);
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, self.pos),
            line_start: self.line_start,
            unindented: self.unindented,
        });
        self.line_start = false;
        self.unindented = false;
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c == '\n' {
                self.pos += 1;
                self.line_start = true;
                self.unindented = true;
                continue;
            }
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                if self.line_start {
                    self.unindented = false;
                }
                continue;
            }
            if c == '#' {
                let rest = &self.text[self.pos..];
                self.pos += rest.find('\n').unwrap_or(rest.len());
                self.comments.push(Span::new(start, self.pos));
                continue;
            }
            if c.is_ascii_digit()
                || (c == '.' && self.peek_second().is_some_and(|d| d.is_ascii_digit()))
            {
                self.number(start);
                continue;
            }
            if c.is_ascii_alphabetic() || c == '_' {
                self.pos += self.ident_len();
                self.push(TokenKind::Ident, start);
                continue;
            }
            if c == '"' {
                self.string(start);
                continue;
            }
            let two = self.text[self.pos..].get(..2).unwrap_or("");
            let (kind, len) = match (two, c) {
                ("..", _) => (TokenKind::DotDot, 2),
                ("<=", _) => (TokenKind::Le, 2),
                (">=", _) => (TokenKind::Ge, 2),
                ("==", _) => (TokenKind::EqEq, 2),
                ("!=", _) => (TokenKind::Ne, 2),
                (_, '(') => (TokenKind::LParen, 1),
                (_, ')') => (TokenKind::RParen, 1),
                (_, '[') => (TokenKind::LBracket, 1),
                (_, ']') => (TokenKind::RBracket, 1),
                (_, ',') => (TokenKind::Comma, 1),
                (_, ':') => (TokenKind::Colon, 1),
                (_, '=') => (TokenKind::Equals, 1),
                (_, '|') => (TokenKind::Pipe, 1),
                (_, '+') => (TokenKind::Plus, 1),
                (_, '-') => (TokenKind::Minus, 1),
                (_, '*') => (TokenKind::Star, 1),
                (_, '/') => (TokenKind::Slash, 1),
                (_, '<') => (TokenKind::Lt, 1),
                (_, '>') => (TokenKind::Gt, 1),
                (_, '%') => (TokenKind::Percent, 1),
                _ => {
                    self.unexpected(c, start);
                    continue;
                }
            };
            self.pos += len;
            self.push(kind, start);
        }
        let end = self.text.len();
        self.tokens.push(Token {
            kind: TokenKind::EndOfInput,
            span: Span::new(end, end),
            line_start: true,
            unindented: true,
        });
    }

    /// A run of one character the language doesn't use, like `@@@`: one
    /// error and one token, however long the run.
    fn unexpected(&mut self, c: char, start: usize) {
        let run = self.text[start..]
            .find(|other| other != c)
            .unwrap_or(self.text.len() - start);
        self.pos += run;
        self.push(TokenKind::Invalid, start);
        if self.diagnostics.is_full() {
            return;
        }
        let shown = c.escape_debug();
        let times = run / c.len_utf8();
        let message = if times == 1 {
            format!("unexpected character '{shown}'")
        } else {
            format!("unexpected character '{shown}' ({times} in a row)")
        };
        self.error(Span::new(start, start + run), message);
    }

    fn ident_len(&self) -> usize {
        self.text[self.pos..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.text.len() - self.pos)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// `12`, `1.5`, `1e3`, `.5`, and with a unit `100ms`, `1.5s`.
    fn number(&mut self, start: usize) {
        self.digits();
        // `1..6` is a range: only take the dot when a digit follows.
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let rest = &self.text[self.pos + 1..];
            let sign = usize::from(rest.starts_with(['+', '-']));
            if rest[sign..].starts_with(|c: char| c.is_ascii_digit()) {
                self.pos += 1 + sign;
                self.digits();
            }
        }
        let digits_end = self.pos;
        let value = parse_decimal(&self.text[start..digits_end]).unwrap_or(f64::NAN);
        let unit_len = self.ident_len();
        let unit = &self.text[self.pos..self.pos + unit_len];
        self.pos += unit_len;
        let span = Span::new(start, self.pos);
        let kind = match unit {
            "" => TokenKind::Number(value),
            "ms" => TokenKind::Duration(value),
            "s" => TokenKind::Duration(value * 1000.0),
            _ => {
                let message = format!(
                    "unknown unit '{unit}' after {}; durations use ms or s, like 100ms or 1s",
                    &self.text[start..digits_end]
                );
                self.error(span, message);
                TokenKind::Invalid
            }
        };
        let kind = match kind {
            TokenKind::Number(v) | TokenKind::Duration(v) if !v.is_finite() => {
                let message = format!("the number {} is too large", &self.text[start..digits_end]);
                self.error(span, message);
                TokenKind::Invalid
            }
            kind => kind,
        };
        self.push(kind, start);
    }

    /// A double-quoted string with `\"`, `\\` and `\n` escapes, on one line.
    fn string(&mut self, start: usize) {
        self.pos += 1;
        let mut value = String::new();
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.pos += 1;
                    self.push(TokenKind::Str(value), start);
                    return;
                }
                '\n' => break,
                '\\' => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    match self.peek() {
                        Some('"') => value.push('"'),
                        Some('\\') => value.push('\\'),
                        Some('n') => value.push('\n'),
                        Some('\n') | None => continue,
                        Some(other) => {
                            let span = Span::new(escape_start, self.pos + other.len_utf8());
                            let message = format!(
                                "unknown escape '\\{}' in a string; use \\\", \\\\ or \\n",
                                other.escape_debug()
                            );
                            self.error(span, message);
                        }
                    }
                    if let Some(escaped) = self.peek() {
                        self.pos += escaped.len_utf8();
                    }
                }
                _ => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        self.error(
            Span::new(start, start + 1),
            "this string is never closed: add a '\"' before the end of the line".to_string(),
        );
        self.push(TokenKind::Invalid, start);
    }
}
