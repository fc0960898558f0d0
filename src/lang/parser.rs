//! Tokens → [`Program`], by recursive descent with error recovery.
//!
//! Each error is recorded as a [`Diagnostic`] and the parser skips to the
//! next comma, closing bracket or statement, so one run reports every
//! mistake it can. Checks that need the exact token (a negative duration, a
//! bad URL) happen here; checks over the whole program live in `check`.

use super::check::{MAX_DURATION_MS, MAX_LIST};
use super::diagnostic::DiagnosticSink;
use super::lexer::{lex, Token, TokenKind};
use crate::program::{
    random_whole_numbers, Aggregator, Delays, FetchFormat, Group, Pacing, Program, SourceDef,
    SourceExpr, SourceKind, Span, Task, TaskKind, MAX_EXACT_WHOLE,
};
use crate::source::{Operands, Transform};
use crate::suggest::closest;
use crate::url::url_problem;

mod delays;

/// How deeply a statement may nest: each bracket `(` or `[`, each `N *` and
/// each `|` around a source is one level. Deeper input is rejected before it
/// can exhaust the stack.
pub const MAX_DEPTH: u32 = 64;

/// Words with a meaning in the language; none may name a source.
pub const KEYWORDS: &[&str] = &[
    "source",
    "every",
    "after",
    "blocking",
    "fail",
    "take",
    "map",
    "filter",
    "timeout",
    "merge",
    "range",
    "random",
    "seed",
    "fetch",
    "column",
    "field",
    "db",
    "keys",
    "delay",
    "spike",
    "limit",
    "sequential",
    "gather",
    "race",
    "any",
    "collect",
    "count",
    "sum",
    "min",
    "max",
    "mean",
    "stats",
    "var",
    "std",
    "first",
    "last",
];

const GROUPS: [&str; 6] = ["sequential", "gather", "race", "any", "limit", "timeout"];

static END_OF_LINE: TokenKind = TokenKind::EndOfLine;

/// Parses `text`; the program holds every statement that parsed cleanly.
pub(crate) fn parse_program(text: &str) -> (Program, DiagnosticSink<'_>) {
    let mut diagnostics = DiagnosticSink::new(text);
    let tokens = lex(text, &mut diagnostics);
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        statement_start: 0,
        open_brackets: 0,
        depth: 0,
        deepest: 0,
        diagnostics,
    };
    let program = parser.program();
    (program, parser.diagnostics)
}

/// The error was already recorded; unwind to a recovery point.
struct Reported;

type Parsed<T> = Result<T, Reported>;

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    pos: usize,
    /// Index of the first token of the current statement.
    statement_start: usize,
    /// Inside brackets, line breaks are only whitespace.
    open_brackets: u32,
    /// Nesting levels around the current token (see [`MAX_DEPTH`]).
    depth: u32,
    /// The most levels reached inside the source being parsed, so that the
    /// pipes after it can add theirs.
    deepest: u32,
    diagnostics: DiagnosticSink<'t>,
}

impl Parser<'_> {
    // ---- token access -------------------------------------------------

    fn token(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    /// The current token as the grammar sees it: outside brackets, a token
    /// that starts a new line reads as the end of the statement.
    fn kind(&self) -> &TokenKind {
        let token = self.token();
        if self.at_line_break() {
            &END_OF_LINE
        } else {
            &token.kind
        }
    }

    fn at_line_break(&self) -> bool {
        let token = self.token();
        self.open_brackets == 0
            && token.line_start
            && self.pos != self.statement_start
            && token.kind != TokenKind::EndOfInput
    }

    fn nth_kind(&self, n: usize) -> &TokenKind {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)].kind
    }

    fn span(&self) -> Span {
        self.token().span
    }

    /// Where the previous token ended: the place for "missing X" errors.
    fn previous_end(&self) -> Span {
        let end = match self.pos.checked_sub(1) {
            Some(i) => self.tokens[i].span.end,
            None => 0,
        };
        Span::new(end, end)
    }

    fn text_of(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    fn at(&self, kind: &TokenKind) -> bool {
        std::mem::discriminant(self.kind()) == std::mem::discriminant(kind)
    }

    fn at_word(&self, word: &str) -> bool {
        *self.kind() == TokenKind::Ident && self.text_of(self.span()) == word
    }

    fn bump(&mut self) -> Span {
        let span = self.span();
        if !matches!(self.kind(), TokenKind::EndOfInput | TokenKind::EndOfLine) {
            self.pos += 1;
        }
        span
    }

    fn eat(&mut self, kind: &TokenKind) -> Option<Span> {
        self.at(kind).then(|| self.bump())
    }

    fn eat_word(&mut self, word: &str) -> Option<Span> {
        self.at_word(word).then(|| self.bump())
    }

    // ---- errors ---------------------------------------------------------

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(span, message);
    }

    /// How the current token reads in "found ..." messages.
    fn found(&self) -> String {
        let text = shorten(self.text_of(self.span()));
        match self.kind() {
            TokenKind::EndOfInput => "end of input".to_string(),
            TokenKind::EndOfLine => "end of line".to_string(),
            TokenKind::Number(_) | TokenKind::Duration(_) => text,
            TokenKind::Str(_) => format!("string {text}"),
            _ => format!("'{text}'"),
        }
    }

    /// Where to point "expected X, found Y": at Y, or just after the last
    /// token when Y is the end of the line or input.
    fn found_span(&self) -> Span {
        match self.kind() {
            TokenKind::EndOfInput | TokenKind::EndOfLine => self.previous_end(),
            _ => self.span(),
        }
    }

    /// Records "expected {what}, found ..." at the current token, unless the
    /// lexer already reported it.
    fn expected(&mut self, what: &str) -> Reported {
        if *self.kind() != TokenKind::Invalid && !self.diagnostics.is_full() {
            let message = format!("expected {what}, found {}", self.found());
            self.error(self.found_span(), message);
        }
        Reported
    }

    fn expect(&mut self, kind: &TokenKind, what: &str) -> Parsed<Span> {
        self.eat(kind).ok_or_else(|| self.expected(what))
    }

    fn opened_at(&self, open: Span) -> String {
        self.diagnostics.place(open.start)
    }

    /// The closing bracket of `opener` (like `gather(`), opened at `open`.
    fn close(&mut self, close: &TokenKind, opener: &str, open: Span) -> Parsed<Span> {
        if let Some(span) = self.eat(close) {
            return Ok(span);
        }
        if self.diagnostics.is_full() {
            return Err(Reported);
        }
        let bracket = closing_char(close);
        let expected = format!(
            "'{bracket}' to close '{opener}' opened at {}",
            self.opened_at(open)
        );
        Err(self.expected(&expected))
    }

    /// After an item of a bracketed list: a comma (true) or the closing
    /// bracket (false, not consumed).
    fn list_separator(&mut self, close: &TokenKind, opener: &str, open: Span) -> Parsed<bool> {
        if self.eat(&TokenKind::Comma).is_some() {
            return Ok(true);
        }
        if self.at(close) {
            return Ok(false);
        }
        if self.diagnostics.is_full() {
            return Err(Reported);
        }
        let bracket = closing_char(close);
        let opened = self.opened_at(open);
        // A new unindented line most likely starts the next statement: the
        // bracket was never closed, so say that rather than "expected ','".
        let expected = if matches!(self.kind(), TokenKind::EndOfInput) || self.token().unindented {
            format!("'{bracket}' to close '{opener}' opened at {opened}")
        } else {
            format!("',' or '{bracket}' to close '{opener}' opened at {opened}")
        };
        if self.token().unindented && !matches!(self.kind(), TokenKind::EndOfInput) {
            let message = format!("expected {expected}, found end of line");
            self.error(self.previous_end(), message);
            return Err(Reported);
        }
        Err(self.expected(&expected))
    }

    // ---- recovery -------------------------------------------------------

    /// A token that probably starts a new statement: first on an unindented
    /// line and not a continuation like `)` or `,`.
    fn at_statement_start(&self) -> bool {
        let token = self.token();
        token.line_start
            && token.unindented
            && !matches!(
                token.kind,
                TokenKind::RParen | TokenKind::RBracket | TokenKind::Comma | TokenKind::Pipe
            )
    }

    /// Skips to the next statement.
    fn recover_statement(&mut self) {
        self.open_brackets = 0;
        while self.token().kind != TokenKind::EndOfInput
            && !(self.pos > self.statement_start && self.at_statement_start())
        {
            self.pos += 1;
        }
    }

    /// Skips to the next `,` or `close` of the list being parsed (stepping over
    /// nested brackets); false when a statement start came first.
    fn recover_in_list(&mut self, close: &TokenKind) -> bool {
        let mut nested = 0u32;
        loop {
            let kind = &self.token().kind;
            if *kind == TokenKind::EndOfInput
                || (self.pos > self.statement_start && self.at_statement_start())
            {
                return false;
            }
            if nested == 0 && (*kind == TokenKind::Comma || kind == close) {
                return true;
            }
            match kind {
                TokenKind::LParen | TokenKind::LBracket => nested += 1,
                TokenKind::RParen | TokenKind::RBracket => nested = nested.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Runs `parse` inside brackets (where line breaks are whitespace) and one
    /// nesting level deeper.
    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        self.open_brackets += 1;
        let result = self.deeper(parse);
        self.open_brackets -= 1;
        result
    }

    fn deeper<T>(&mut self, parse: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        if self.depth >= MAX_DEPTH {
            let message = format!("this is nested too deeply (more than {MAX_DEPTH} levels)");
            self.error(self.span(), message);
            return Err(Reported);
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        let result = parse(self);
        self.depth -= 1;
        result
    }

    // ---- program and statements ----------------------------------------

    fn program(&mut self) -> Program {
        let mut program = Program::default();
        while self.token().kind != TokenKind::EndOfInput {
            self.statement_start = self.pos;
            self.open_brackets = 0;
            self.depth = 0;
            let parsed = if self.at_continuation() {
                let message = format!(
                    "a line break ends the statement: put {} on the line before",
                    self.found()
                );
                self.error(self.span(), message);
                Err(Reported)
            } else if self.at_word("source") {
                self.source_def(&mut program.sources)
            } else if self.at_word("seed") {
                self.seed_line(&mut program.seed)
            } else {
                self.top_level_task()
                    .map(|task| program.statements.push(task))
            };
            let ended = parsed.and_then(|()| match self.kind() {
                TokenKind::EndOfLine | TokenKind::EndOfInput => Ok(()),
                _ => Err(self.expected("the end of the line")),
            });
            if ended.is_err() {
                self.recover_statement();
            }
        }
        program
    }

    /// A word that only continues a source, like `every`, at the start of a
    /// statement: most likely a source split over two lines.
    fn at_continuation(&self) -> bool {
        ["every", "after", "blocking"]
            .iter()
            .any(|word| self.at_word(word))
            || self.at(&TokenKind::Pipe)
    }

    /// `source NAME = SOURCE_EXPR`. When the body has errors the name is
    /// still defined (with an empty body), so its uses don't add more errors.
    fn source_def(&mut self, sources: &mut Vec<SourceDef>) -> Parsed<()> {
        let start = self.bump();
        if *self.kind() != TokenKind::Ident {
            return Err(self.expected("a source name after 'source'"));
        }
        let name_span = self.bump();
        let name = self.text_of(name_span).to_string();
        if KEYWORDS.contains(&name.as_str()) {
            let message = format!("'{name}' is a keyword; give the source another name");
            self.error(name_span, message);
        }
        let body = self
            .expect(&TokenKind::Equals, "'=' after the source name")
            .and_then(|_| self.source_expr());
        let (body, result) = match body {
            Ok(body) => (body, Ok(())),
            Err(reported) => {
                let placeholder = SourceExpr {
                    kind: SourceKind::Values {
                        values: Vec::new(),
                        pacing: Pacing::default(),
                    },
                    span: name_span,
                };
                (placeholder, Err(reported))
            }
        };
        sources.push(SourceDef {
            name,
            name_span,
            span: start.to(body.span),
            body,
        });
        result
    }

    fn top_level_task(&mut self) -> Parsed<Task> {
        let task = self.task()?;
        if let TaskKind::Repeat { count, .. } = &task.kind {
            let message = format!(
                "'{count} * task' runs copies side by side, so it only works inside a group: write gather({count} * ...)"
            );
            self.error(task.span, message);
        }
        Ok(task)
    }

    /// `["label":] (N * TASK | GROUP(...) | AGGREGATOR(SOURCE))`
    fn task(&mut self) -> Parsed<Task> {
        let start = self.span();
        let label = if let TokenKind::Str(text) = self.kind() {
            let text = text.clone();
            self.bump();
            self.expect(&TokenKind::Colon, "':' after the label")?;
            Some(text)
        } else {
            None
        };
        let kind = self.task_kind()?;
        Ok(Task {
            label,
            kind,
            span: start.to(self.previous_end()),
        })
    }

    fn task_kind(&mut self) -> Parsed<TaskKind> {
        if matches!(self.kind(), TokenKind::Number(_)) && *self.nth_kind(1) == TokenKind::Star {
            let count_span = self.span();
            let count = self.whole("the number of copies")?;
            if count == 0 {
                self.error(count_span, "'0 * task' runs nothing; use 1 or more copies");
            }
            self.bump();
            let task = self.deeper(|p| p.task())?;
            return Ok(TaskKind::Repeat {
                count,
                task: Box::new(task),
            });
        }
        if *self.kind() != TokenKind::Ident || *self.nth_kind(1) != TokenKind::LParen {
            return Err(self.expected("a task like sum(afeat1) or gather(...)"));
        }
        let name_span = self.bump();
        let name = self.text_of(name_span).to_string();
        if GROUPS.contains(&name.as_str()) {
            return self.group(&name, name_span);
        }
        let Some(aggregator) = Aggregator::from_name(&name) else {
            // Parse what follows as the likely intended task, to find the
            // errors inside it too.
            match self.unknown_task(&name, name_span) {
                Some(group) => {
                    self.group(group, name_span)?;
                }
                None => {
                    let open = self.bump();
                    self.nested(|p| p.source_expr())?;
                    self.close(&TokenKind::RParen, &format!("{name}("), open)?;
                }
            }
            return Err(Reported);
        };
        let open = self.bump();
        let source = self.nested(|p| p.source_expr())?;
        self.close(&TokenKind::RParen, &format!("{name}("), open)?;
        Ok(TaskKind::Aggregate { aggregator, source })
    }

    /// Reports an unknown task name; returns the group it likely meant.
    fn unknown_task(&mut self, name: &str, span: Span) -> Option<&'static str> {
        let names = Aggregator::ALL.iter().map(|a| a.name()).chain(GROUPS);
        let near = closest(name, names);
        let message = match near {
            Some(near) if GROUPS.contains(&near) => {
                format!("unknown group '{name}'; did you mean '{near}'?")
            }
            Some(near) => format!("unknown aggregator '{name}'; did you mean '{near}'?"),
            None => {
                let all: Vec<&str> = Aggregator::ALL.iter().map(|a| a.name()).collect();
                format!(
                    "unknown aggregator '{name}'; expected one of {}, or a group: {}",
                    all.join(", "),
                    GROUPS.join(", ")
                )
            }
        };
        self.error(span, message);
        near.filter(|near| GROUPS.contains(near))
    }

    /// `gather(TASK, ...)`, `limit(K, TASK, ...)`, `timeout(D, TASK, ...)`
    fn group(&mut self, name: &str, name_span: Span) -> Parsed<TaskKind> {
        let open = self.bump();
        let opener = format!("{name}(");
        let open = name_span.to(open);
        let close = TokenKind::RParen;
        self.nested(|p| {
            let group = match name {
                "sequential" => Group::Sequential,
                "gather" => Group::Gather,
                "race" => Group::Race,
                "any" => Group::Any,
                "limit" => {
                    let span = p.span();
                    let k = p.whole("how many tasks run at once")?;
                    if k == 0 {
                        p.error(
                            span,
                            "limit(0, ...) would never run anything; use 1 or more",
                        );
                    }
                    Group::Limit(k)
                }
                _ => Group::Timeout(p.duration()?),
            };
            let mut more = true;
            if matches!(group, Group::Limit(_) | Group::Timeout(_)) {
                more = p.list_separator(&close, &opener, open)?;
            }
            let mut children = Vec::new();
            let mut failed = false;
            while more && !p.at(&close) {
                if p.at(&TokenKind::EndOfInput) {
                    p.close(&close, &opener, open)?;
                }
                match p.task() {
                    Ok(task) => children.push(task),
                    Err(Reported) => {
                        failed = true;
                        if !p.recover_in_list(&close) {
                            return Err(Reported);
                        }
                    }
                }
                more = p.list_separator(&close, &opener, open)?;
            }
            p.close(&close, &opener, open)?;
            if failed {
                return Err(Reported);
            }
            Ok(TaskKind::Group { group, children })
        })
    }

    // ---- sources ----------------------------------------------------------

    /// `PRIMARY (| TRANSFORM)*`, left-associative: each pipe wraps the
    /// source one level deeper.
    fn source_expr(&mut self) -> Parsed<SourceExpr> {
        let outer_deepest = std::mem::replace(&mut self.deepest, self.depth);
        let parsed = self.source_primary().and_then(|mut source| {
            while self.eat(&TokenKind::Pipe).is_some() {
                if self.deepest >= MAX_DEPTH {
                    let message =
                        format!("this pipe chain is too long (more than {MAX_DEPTH} levels)");
                    self.error(self.previous_end(), message);
                    return Err(Reported);
                }
                self.deepest += 1;
                source = self.transform(source)?;
            }
            Ok(source)
        });
        self.deepest = self.deepest.max(outer_deepest);
        parsed
    }

    fn source_primary(&mut self) -> Parsed<SourceExpr> {
        let start = self.span();
        if self.at(&TokenKind::LBracket) {
            let (values, list_span) = self.list("[", |p| p.number())?;
            if values.is_empty() {
                self.error(list_span, "a source needs at least one value");
            }
            let pacing = self.pacing(values.len() as u64)?;
            return Ok(self.finish(SourceKind::Values { values, pacing }, start));
        }
        if *self.kind() != TokenKind::Ident {
            return Err(
                self.expected("a source: a name, [values], range(...), merge(...) or fetch(...)")
            );
        }
        let word = self.text_of(start).to_string();
        let is_call = *self.nth_kind(1) == TokenKind::LParen;
        let kind = match word.as_str() {
            "range" if is_call => self.range()?,
            "random" if is_call => self.random()?,
            "merge" if is_call => self.merge()?,
            "fetch" if is_call => self.fetch()?,
            "db" if is_call => self.database()?,
            _ if KEYWORDS.contains(&word.as_str()) => {
                return Err(self
                    .expected("a source: a name, [values], range(...), merge(...) or fetch(...)"));
            }
            _ => {
                self.bump();
                SourceKind::Named(word)
            }
        };
        Ok(self.finish(kind, start))
    }

    fn finish(&self, kind: SourceKind, start: Span) -> SourceExpr {
        SourceExpr {
            kind,
            span: start.to(self.previous_end()),
        }
    }

    /// `WORD(` ... `)` around `parse`, with the opening spans for messages.
    fn call<T>(&mut self, parse: impl FnOnce(&mut Self) -> Parsed<T>) -> Parsed<T> {
        let name_span = self.bump();
        let opener = format!("{}(", self.text_of(name_span));
        let open = name_span.to(self.bump());
        let value = self.nested(parse)?;
        self.eat(&TokenKind::Comma);
        self.close(&TokenKind::RParen, &opener, open)?;
        Ok(value)
    }

    /// `range(N) PACING`
    fn range(&mut self) -> Parsed<SourceKind> {
        let count = self.call(|p| {
            let span = p.span();
            let count = p.whole("the number of values")?;
            if count == 0 {
                p.error(
                    span,
                    "a source needs at least one value: use range(1) or more",
                );
            }
            Ok(count)
        })?;
        let pacing = self.pacing(count)?;
        Ok(SourceKind::Range { count, pacing })
    }

    /// `random(N, LOW..HIGH[, seed S]) PACING`
    fn random(&mut self) -> Parsed<SourceKind> {
        let (count, low, high, seed) = self.call(|p| {
            let span = p.span();
            let count = p.whole("the number of values")?;
            if count == 0 {
                p.error(
                    span,
                    "a source needs at least one value: use random(1, ...) or more",
                );
            }
            p.expect(&TokenKind::Comma, "',' and a range like 1..6")?;
            let range_start = p.span();
            let (low, high) = p.number_range()?;
            if low <= high {
                if let Err(message) = random_whole_numbers(low, high) {
                    p.error(range_start.to(p.previous_end()), message);
                }
            }
            let mut seed = 0;
            if p.eat(&TokenKind::Comma).is_some() && !p.at(&TokenKind::RParen) {
                if p.eat_word("seed").is_none() {
                    return Err(p.expected("'seed' and a whole number"));
                }
                seed = p.whole("the seed")?;
            }
            Ok((count, low, high, seed))
        })?;
        let pacing = self.pacing(count)?;
        Ok(SourceKind::Random {
            count,
            low,
            high,
            seed,
            pacing,
        })
    }

    /// `LOW..HIGH` with `LOW <= HIGH`.
    fn number_range(&mut self) -> Parsed<(f64, f64)> {
        let start = self.span();
        let low = self.number()?;
        self.expect(&TokenKind::DotDot, "'..' between the low and high ends")?;
        let high = self.number()?;
        if low > high {
            let message = format!(
                "this range is empty: {} is above {}",
                super::format::number(low),
                super::format::number(high)
            );
            self.error(start.to(self.previous_end()), message);
        }
        Ok((low, high))
    }

    /// `merge(SOURCE, ...)`
    fn merge(&mut self) -> Parsed<SourceKind> {
        let name_span = self.bump();
        let open = name_span.to(self.bump());
        let close = TokenKind::RParen;
        let inputs = self.nested(|p| {
            let mut inputs = Vec::new();
            let mut failed = false;
            while !p.at(&close) {
                if p.at(&TokenKind::EndOfInput) {
                    p.close(&close, "merge(", open)?;
                }
                match p.source_expr() {
                    Ok(source) => inputs.push(source),
                    Err(Reported) => {
                        failed = true;
                        if !p.recover_in_list(&close) {
                            return Err(Reported);
                        }
                    }
                }
                if !p.list_separator(&close, "merge(", open)? {
                    break;
                }
            }
            if failed {
                p.close(&close, "merge(", open)?;
                return Err(Reported);
            }
            Ok(inputs)
        })?;
        if inputs.is_empty() {
            self.error(open.to(self.span()), "merge needs at least one source");
        }
        self.close(&close, "merge(", open)?;
        Ok(SourceKind::Merge(inputs))
    }

    /// `fetch(URL[, column NAME | , field NAME])`
    fn fetch(&mut self) -> Parsed<SourceKind> {
        self.call(|p| {
            let url = p.url()?;
            let mut format = FetchFormat::Lines;
            if p.eat(&TokenKind::Comma).is_some() && !p.at(&TokenKind::RParen) {
                if p.eat_word("column").is_some() {
                    format = FetchFormat::Csv {
                        column: p.string("a column name in quotes")?,
                    };
                } else if p.eat_word("field").is_some() {
                    format = FetchFormat::Ndjson {
                        field: p.string("a field name in quotes")?,
                    };
                } else {
                    return Err(p.expected("column \"name\" (CSV) or field \"name\" (NDJSON)"));
                }
            }
            Ok(SourceKind::Fetch { url, format })
        })
    }

    /// A fetch URL: http(s) or relative to the page, nothing that could run code.
    fn url(&mut self) -> Parsed<String> {
        let span = self.span();
        let url = self.string("a URL in quotes")?;
        if let Some(problem) = url_problem(&url) {
            self.error(span, problem);
        }
        Ok(url)
    }

    /// `db(STORE, field NAME[, keys LOW..HIGH][, limit N])`
    fn database(&mut self) -> Parsed<SourceKind> {
        self.call(|p| {
            let store = p.string("a store name in quotes")?;
            p.expect(&TokenKind::Comma, "',' and field \"name\"")?;
            if p.eat_word("field").is_none() {
                return Err(p.expected("field \"name\""));
            }
            let field = p.string("a field name in quotes")?;
            let mut keys = None;
            let mut limit = None;
            if p.at(&TokenKind::Comma) && matches!(p.nth_kind(1), TokenKind::Ident) {
                p.bump();
                if p.eat_word("keys").is_some() {
                    keys = Some(p.number_range()?);
                    if p.at(&TokenKind::Comma) && matches!(p.nth_kind(1), TokenKind::Ident) {
                        p.bump();
                        p.limit_clause(&mut limit)?;
                    }
                } else {
                    p.limit_clause(&mut limit)?;
                }
            }
            Ok(SourceKind::Database {
                store,
                field,
                keys,
                limit,
            })
        })
    }

    fn limit_clause(&mut self, limit: &mut Option<u64>) -> Parsed<()> {
        if self.eat_word("limit").is_none() {
            return Err(self.expected("keys LOW..HIGH or limit N"));
        }
        *limit = Some(self.whole("the limit")?);
        Ok(())
    }

    /// `[every D | after [D, ...]] [blocking]` for a source of `count` values.
    fn pacing(&mut self, count: u64) -> Parsed<Pacing> {
        let mut delays = Delays::None;
        if self.eat_word("every").is_some() {
            delays = self.every_delays()?;
        } else if let Some(after) = self.eat_word("after") {
            if !self.at(&TokenKind::LBracket) {
                return Err(self.expected("a list of delays like [100ms, 1s]"));
            }
            let (list, list_span) = self.list("[", |p| p.duration())?;
            if list.len() as u64 != count {
                let message = if list.is_empty() {
                    "'after []' needs one delay per value".to_string()
                } else {
                    format!(
                        "'after' has {} delays but the source makes {count} values; give one delay per value",
                        list.len()
                    )
                };
                self.error(after.to(list_span), message);
            }
            delays = Delays::Each(list);
        }
        let blocking = self.eat_word("blocking");
        if let (Some(span), Delays::Drawn(_)) = (blocking, &delays) {
            let message = "random delays can't be 'blocking'; busy-wait a fixed delay instead";
            self.error(span, message);
        }
        Ok(Pacing {
            delays,
            blocking: blocking.is_some(),
        })
    }

    /// `[ITEM, ...]` with a trailing comma allowed; returns the items and the
    /// span of the whole list.
    fn list<T>(
        &mut self,
        opener: &str,
        mut item: impl FnMut(&mut Self) -> Parsed<T>,
    ) -> Parsed<(Vec<T>, Span)> {
        let open = self.bump();
        let close = TokenKind::RBracket;
        let items = self.nested(|p| {
            let mut items = Vec::new();
            let mut failed = false;
            while !p.at(&close) {
                if p.at(&TokenKind::EndOfInput) {
                    p.close(&close, opener, open)?;
                }
                match item(p) {
                    Ok(value) => items.push(value),
                    Err(Reported) => {
                        failed = true;
                        if !p.recover_in_list(&close) {
                            return Err(Reported);
                        }
                    }
                }
                if !p.list_separator(&close, opener, open)? {
                    break;
                }
            }
            p.close(&close, opener, open)?;
            if failed {
                return Err(Reported);
            }
            Ok(items)
        })?;
        let span = open.to(self.previous_end());
        if items.len() > MAX_LIST {
            let message = format!("this list has {} items; the cap is {MAX_LIST}", items.len());
            self.error(span, message);
        }
        Ok((items, span))
    }

    /// `| WORD OPERANDS`: the transform `WORD` names, which reads its own
    /// operands (see [`Operands`]).
    fn transform(&mut self, source: SourceExpr) -> Parsed<SourceExpr> {
        let start = source.span;
        let word_span = self.span();
        let word = if *self.kind() == TokenKind::Ident {
            self.text_of(word_span).to_string()
        } else {
            String::new()
        };
        if !Transform::KEYWORDS.contains(&word.as_str()) {
            if !word.is_empty() {
                if let Some(near) = closest(&word, Transform::KEYWORDS.iter().copied()) {
                    let message = format!("unknown transform '{word}'; did you mean '{near}'?");
                    self.error(word_span, message);
                    return Err(Reported);
                }
            }
            let (last, others) = Transform::SHOWN.split_last().unwrap_or((&"", &[]));
            let expected = format!("a transform after '|': {} or {last}", others.join(", "));
            return Err(self.expected(&expected));
        }
        self.bump();
        let transform = Transform::read(&word, self).ok_or(Reported)?;
        Ok(SourceExpr {
            kind: SourceKind::Pipe {
                source: Box::new(source),
                transform,
            },
            span: start.to(self.previous_end()),
        })
    }

    // ---- literals -----------------------------------------------------------

    /// `X` or `-X`.
    fn number(&mut self) -> Parsed<f64> {
        let negative = self.eat(&TokenKind::Minus).is_some();
        match *self.kind() {
            TokenKind::Number(value) => {
                self.bump();
                Ok(if negative { -value } else { value })
            }
            _ => Err(self.expected("a number")),
        }
    }

    /// A whole number from 0 to 2^53, for counts.
    fn whole(&mut self, what: &str) -> Parsed<u64> {
        let start = self.span();
        let value = self.number().map_err(|_| Reported)?;
        let span = start.to(self.previous_end());
        let problem = if value < 0.0 {
            "can't be negative"
        } else if value.fract() != 0.0 {
            "must be a whole number"
        } else if value > MAX_EXACT_WHOLE {
            "is too large"
        } else {
            return Ok(value as u64);
        };
        let message = format!("{what} {problem}, found {}", self.text_of(span));
        self.error(span, message);
        Err(Reported)
    }

    /// A duration like `100ms` or `1.5s`, in milliseconds.
    fn duration(&mut self) -> Parsed<f64> {
        let start = self.span();
        let negative = self.eat(&TokenKind::Minus).is_some();
        let TokenKind::Duration(ms) = *self.kind() else {
            return Err(self.expected("a duration like 100ms or 1s"));
        };
        self.bump();
        let span = start.to(self.previous_end());
        if negative && ms != 0.0 {
            let message = format!("a duration can't be negative, found {}", self.text_of(span));
            self.error(span, message);
        } else if ms > MAX_DURATION_MS {
            let message = format!(
                "durations over 1 hour are not allowed, found {}",
                self.text_of(span)
            );
            self.error(span, message);
        }
        Ok(if negative { 0.0 } else { ms })
    }

    fn string(&mut self, what: &str) -> Parsed<String> {
        match self.kind() {
            TokenKind::Str(text) => {
                let text = text.clone();
                self.bump();
                Ok(text)
            }
            _ => Err(self.expected(what)),
        }
    }
}

/// A transform's operands, read with the parser's own rules and messages.
impl Operands for Parser<'_> {
    fn whole(&mut self, what: &str) -> Option<u64> {
        Parser::whole(self, what).ok()
    }

    fn number(&mut self) -> Option<f64> {
        Parser::number(self).ok()
    }

    fn duration(&mut self) -> Option<f64> {
        Parser::duration(self).ok()
    }

    fn string(&mut self, what: &str) -> Option<String> {
        Parser::string(self, what).ok()
    }

    fn word(&mut self, word: &str, expected: &str) -> Option<()> {
        match self.eat_word(word) {
            Some(_) => Some(()),
            None => {
                self.expected(expected);
                None
            }
        }
    }

    fn symbol(&mut self, symbols: &[&str], expected: &str) -> Option<usize> {
        let text = self.text_of(self.span());
        let found = match self.kind() {
            TokenKind::EndOfLine | TokenKind::EndOfInput => None,
            _ => symbols.iter().position(|symbol| *symbol == text),
        };
        match found {
            Some(index) => {
                self.bump();
                Some(index)
            }
            None => {
                self.expected(expected);
                None
            }
        }
    }
}

/// How the closing bracket `close` is written.
fn closing_char(close: &TokenKind) -> char {
    if *close == TokenKind::RBracket {
        ']'
    } else {
        ')'
    }
}

/// `text`, cut short with "..." when it is too long to quote in a message.
fn shorten(text: &str) -> String {
    const SHOWN_CHARS: usize = 24;
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}
