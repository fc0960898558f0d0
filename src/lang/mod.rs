//! The playground language: text → [`Program`] with precise diagnostics, and
//! back to canonical text.
//!
//! ```
//! use async_playground::lang;
//!
//! let text = "source afeat1 = [10, 20, 40] every 1s\n\ncollect(afeat1)\n";
//! let program = lang::parse(text).unwrap();
//! assert_eq!(program.statements.len(), 1);
//! assert_eq!(lang::format(&program), text);
//! ```
//!
//! The grammar and the error messages are described in `docs/language.md`.

mod check;
mod diagnostic;
mod format;
mod habits;
mod lexer;
mod parser;
mod python;
mod trivia;

pub use check::{
    MAX_BLOCKING_MS, MAX_DURATION_MS, MAX_LIST, MAX_SHARED_COPIES, MAX_TASKS, MAX_TIMERS,
    MAX_VALUES,
};
pub use diagnostic::{Diagnostic, Diagnostics, LineIndex, MAX_DIAGNOSTICS};
pub use parser::{KEYWORDS, MAX_DEPTH};
pub use python::PythonStyle;

use crate::program::Program;

/// Parses and checks `text`. `Ok` only when there are no errors; otherwise
/// every error found, in order of position.
///
/// ```
/// let text = "source afeat1 = [1] every 100\nsum(afeat2)";
/// let errors = async_playground::lang::parse(text).unwrap_err();
/// assert_eq!(errors.len(), 2);
/// assert_eq!((errors[0].line, errors[0].column), (1, 27));
/// assert_eq!(errors[0].message, "expected a duration like 100ms or 1s, found 100");
/// assert_eq!(errors[1].message, "unknown source 'afeat2'; did you mean 'afeat1'?");
/// ```
pub fn parse(text: &str) -> Result<Program, Vec<Diagnostic>> {
    let (program, mut diagnostics) = parser::parse_program(text);
    check::check(&program, &mut diagnostics);
    let mut diagnostics = diagnostics.into_vec();
    if diagnostics.is_empty() {
        return Ok(program);
    }
    diagnostic::sort_by_place(&mut diagnostics);
    diagnostics.dedup();
    habits::explain(text, &mut diagnostics);
    Err(diagnostics)
}

/// The canonical text of `program`: sources first, a blank line, then one
/// statement per line (long groups broken over lines). For every valid
/// program, `parse(&format(p))` gives `p` back, apart from spans.
/// Comments are not part of a [`Program`]: [`format_text`] keeps them.
///
/// ```
/// use async_playground::lang::{format, parse};
///
/// let program = parse("source a = [1,2]   every 1000ms\n\n\nsum( a )").unwrap();
/// assert_eq!(format(&program), "source a = [1, 2] every 1s\n\nsum(a)\n");
/// ```
pub fn format(program: &Program) -> String {
    format::program(program, &trivia::Trivia::default())
}

/// The canonical text of a program text, keeping every comment next to the
/// code it belongs to: before a definition or task, at the end of its line,
/// or before a group's `)`. Errors as for [`parse`].
///
/// ```
/// use async_playground::lang::format_text;
///
/// let text = "# Lesson one.\n\nsum( [1,2] )   # three\ngather(sum([1]), # fast\n  sum([2] every 1000ms))\n";
/// assert_eq!(
///     format_text(text).unwrap(),
///     "# Lesson one.\n\nsum([1, 2])  # three\ngather(\n  sum([1]),  # fast\n  sum([2] every 1s),\n)\n",
/// );
/// ```
pub fn format_text(text: &str) -> Result<String, Vec<Diagnostic>> {
    let program = parse(text)?;
    let comments = lexer::lex_with_comments(text, &mut diagnostic::DiagnosticSink::new(text)).1;
    let trivia = trivia::Trivia::attach(text, &program, &comments);
    Ok(format::program(&program, &trivia))
}

/// `program` as Python asyncio code, in the idiom of the post the playground
/// grew from, that prints each statement's result in the playground's text
/// form and its time. `style` picks how it starts the event loop.
///
/// ```
/// use async_playground::lang::{parse, to_python, PythonStyle};
/// let program = parse("gather(sum([1, 2] every 1s), max([3]))").unwrap();
/// let script = to_python(&program, PythonStyle::Script);
/// assert!(script.contains("asyncio.gather("));
/// assert!(script.ends_with("asyncio.run(main())\n"));
/// let notebook = to_python(&program, PythonStyle::Notebook);
/// assert!(notebook.ends_with("await main()\n"));
/// ```
pub fn to_python(program: &Program, style: PythonStyle) -> String {
    python::program(program, style)
}
