//! Python habits: learners come from asyncio code, and write `asyncio.gather(`,
//! `async def`, `sum(afeat1())` or `every 1 s`. When a line has an error and
//! one of these on it, the generic messages on that line are replaced by one
//! that says what to write here instead, at the habit's own position.

use super::diagnostic::{sort_by_place, LineIndex, MAX_DIAGNOSTICS};
use super::Diagnostic;
use crate::program::Span;

/// One habit found in the text: where, and what to write instead.
struct Habit {
    span: Span,
    message: String,
}

/// Replaces the diagnostics of every line that shows a Python habit with a
/// message about the habit. `diagnostics` are sorted by position.
pub(crate) fn explain(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    // Only the lines with a diagnostic are read (at most MAX_DIAGNOSTICS),
    // so this stays linear in the text.
    let lines = LineIndex::new(text);
    let mut begins: Vec<usize> = diagnostics
        .iter()
        .map(|d| text[..d.span.start].rfind('\n').map_or(0, |i| i + 1))
        .collect();
    begins.dedup();
    for offset in begins {
        let line_end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let line = &text[offset..line_end];
        let end = offset + line.len();
        let on_line = |d: &Diagnostic| d.span.start >= offset && d.span.start < end.max(offset + 1);
        if diagnostics.iter().any(on_line) {
            let habits = find(line, offset);
            if !habits.is_empty() {
                diagnostics.retain(|d| !on_line(d));
                diagnostics.extend(
                    habits
                        .into_iter()
                        .map(|h| Diagnostic::with_lines(&lines, text, h.span, h.message)),
                );
            }
        }
    }
    sort_by_place(diagnostics);
    diagnostics.truncate(MAX_DIAGNOSTICS);
}

/// The code of a line: up to a `#` comment, with double-quoted strings
/// blanked out so that words inside them are not habits.
fn code(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            continue;
        }
        match c {
            '#' => break,
            '"' => {
                in_string = true;
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Each whole word of `code` with its byte offset.
fn words(code: &str) -> Vec<(usize, &str)> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_word_byte(bytes[i]) && (i == 0 || !is_word_byte(bytes[i - 1])) {
            let start = i;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            out.push((start, &code[start..i]));
        } else {
            i += 1;
        }
    }
    out
}

fn find(line: &str, offset: usize) -> Vec<Habit> {
    let code = code(line);
    let mut habits = Vec::new();
    let mut add = |start: usize, len: usize, message: String| {
        habits.push(Habit {
            span: Span::new(offset + start, offset + start + len),
            message,
        })
    };
    let words = words(&code);
    // Slices, not copies, and questions about the whole line asked once: a
    // long line has many words, and each must cost about its own length.
    let after = |start: usize, word: &str| code[start + word.len()..].trim_start();
    let has_bracket = code.contains('[');
    for (index, &(start, word)) in words.iter().enumerate() {
        let rest = after(start, word);
        let next = words.get(index + 1).map(|w| w.1);
        match word {
            "asyncio" | "time" if rest.starts_with('.') => {
                let call = next.unwrap_or("");
                let dotted = format!("{word}.{call}(");
                let instead = match (word, call) {
                    ("asyncio", "gather") => "gather(...)",
                    ("asyncio", "wait") => "race(...)",
                    ("asyncio", "wait_for" | "timeout") => "timeout(1s, ...)",
                    ("asyncio", "Semaphore") => "limit(2, ...)",
                    ("asyncio", "sleep") => "a pacing after the values: [10, 20] every 1s",
                    ("asyncio", "run") => "the task alone on its line: the page's loop runs it",
                    ("time", "sleep") => "'blocking' after the pacing: [10, 20] every 1s blocking",
                    _ => "the task alone, like gather(sum(afeat1), max(afeat2))",
                };
                add(
                    start,
                    dotted.len() - 1,
                    format!("'{dotted}' is Python; here write {instead}"),
                );
                return habits;
            }
            "async" | "def" => {
                add(
                    start,
                    word.len(),
                    format!("'{word}' is Python; here define a source with: source afeat1 = [10, 20, 40] every 1s"),
                );
                return habits;
            }
            "await" => {
                add(
                    start,
                    word.len(),
                    "'await' is Python; here a line runs when it is reached: write the task without await, like gather(...)".to_string(),
                );
                return habits;
            }
            "import" | "from" if index == 0 => {
                add(
                    start,
                    word.len(),
                    format!("'{word}' is Python; nothing needs importing here"),
                );
                return habits;
            }
            "print" if rest.starts_with('(') => {
                add(
                    start,
                    word.len(),
                    "'print(...)' is Python; every statement's result is shown: write the task alone, like sum(afeat1)".to_string(),
                );
                return habits;
            }
            "for" | "in" if has_bracket => {
                add(
                    start,
                    word.len(),
                    "a comprehension is Python; here write collect(afeat1) for the list of values"
                        .to_string(),
                );
                return habits;
            }
            "True" | "False" | "None" => {
                add(
                    start,
                    word.len(),
                    format!("'{word}' is Python; values here are numbers only"),
                );
                return habits;
            }
            "range" if rest.starts_with('(') => {
                // `range(a, b)` is short: look no further than its window.
                let window = rest
                    .char_indices()
                    .nth(40)
                    .map_or(rest, |(i, _)| &rest[..i]);
                let inside = window[1..].split(')').next().unwrap_or("");
                if let Some((from, to)) = inside.split_once(',') {
                    let (from, to) = (from.trim(), to.trim());
                    let instead = match (from.parse::<u64>(), to.parse::<u64>()) {
                        (Ok(a), Ok(b)) if b > a => format!("range({}) | map + {a}", b - a),
                        _ => "range(count) | map + start".to_string(),
                    };
                    add(
                        start,
                        word.len(),
                        format!("range({from}, {to}) is Python; here range takes one count (0, 1, ...): write {instead}"),
                    );
                    return habits;
                }
            }
            "s" | "ms" if start > 0 => {
                let before = code[..start].trim_end();
                if before.len() < start && before.ends_with(|c: char| c.is_ascii_digit()) {
                    // Past the char before the number, which may be wider than a byte.
                    let number_start = before
                        .char_indices()
                        .rfind(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
                        .map_or(0, |(i, c)| i + c.len_utf8());
                    let number = &before[number_start..];
                    add(
                        number_start,
                        start + word.len() - number_start,
                        format!("a duration has no space: write {number}{word}"),
                    );
                    return habits;
                }
            }
            _ => {}
        }
        // `name()`: a call, as in Python's sum(afeat1()).
        if rest.starts_with("()") && index > 0 {
            let call = code[start + word.len()..].find(')').map_or(0, |i| i + 1);
            add(
                start,
                word.len() + call,
                format!("no parentheses after a source name: write {word}"),
            );
            return habits;
        }
        // `afeat1 = [...]` without `source`.
        if index == 0 && word != "source" && rest.starts_with('=') && !rest.starts_with("==") {
            add(
                start,
                word.len(),
                format!("a definition starts with 'source': write source {word} = ..."),
            );
            return habits;
        }
    }
    if let Some(start) = code.find('\'') {
        add(
            start,
            1,
            "strings use double quotes here: write \"...\"".to_string(),
        );
    } else if let Some(start) = code.find("**") {
        add(
            start,
            2,
            "'**' is Python's power; map takes + - * / with a number".to_string(),
        );
    }
    habits
}
