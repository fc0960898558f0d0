//! [`Program`] → canonical text that parses back to the same program.

use std::fmt::Write;

use super::trivia::{Attached, Comment, Trivia};
use crate::program::{
    Delays, FetchFormat, Group, Pacing, Program, SourceExpr, SourceKind, Task, TaskKind,
};

/// Groups with more children than this go over several lines.
const MAX_CHILDREN_ON_ONE_LINE: usize = 3;

/// The canonical text of `program`, with the comments of `trivia` next to
/// the code they were attached to.
pub(crate) fn program(program: &Program, trivia: &Trivia) -> String {
    let mut out = String::new();
    for def in &program.sources {
        let attached = trivia.of(def.span);
        leading(&mut out, attached, 0);
        let _ = write!(out, "source {} = {}", def.name, source(&def.body));
        trailing(&mut out, attached);
        out.push('\n');
    }
    let seed = program.seed;
    if !program.sources.is_empty() && (!program.statements.is_empty() || seed.is_some()) {
        blank_line(&mut out);
    }
    // Just before the statements it seeds: lesson text above the
    // definitions stays at the top.
    if let Some(seed) = seed {
        let _ = writeln!(out, "seed {seed}");
    }
    for statement in &program.statements {
        let attached = trivia.of(statement.span);
        leading(&mut out, attached, 0);
        task(&mut out, statement, 0, trivia);
        trailing(&mut out, attached);
        out.push('\n');
    }
    comments(&mut out, &trivia.end, 0);
    out
}

/// Comments on their own lines, keeping the empty lines around them.
fn comments(out: &mut String, list: &[Comment], indent: usize) {
    for comment in list {
        if comment.blank_before {
            blank_line(out);
        }
        out.push_str(&"  ".repeat(indent));
        out.push_str(&comment.text);
        out.push('\n');
        if comment.blank_after {
            blank_line(out);
        }
    }
}

fn leading(out: &mut String, attached: Option<&Attached>, indent: usize) {
    if let Some(attached) = attached {
        comments(out, &attached.leading, indent);
    }
}

fn trailing(out: &mut String, attached: Option<&Attached>) {
    if let Some(text) = attached.and_then(|a| a.trailing.as_ref()) {
        out.push_str("  ");
        out.push_str(text);
    }
}

/// One empty line, unless the text is empty or already ends with one.
fn blank_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

fn task(out: &mut String, task_node: &Task, indent: usize, trivia: &Trivia) {
    if let Some(label) = &task_node.label {
        out.push_str(&string(label));
        out.push_str(": ");
    }
    match &task_node.kind {
        TaskKind::Aggregate {
            aggregator,
            source: input,
        } => {
            let _ = write!(out, "{}({})", aggregator.name(), source(input));
        }
        TaskKind::Repeat { count, task: inner } => {
            let _ = write!(out, "{count} * ");
            task(out, inner, indent, trivia);
        }
        TaskKind::Group { group, children } => {
            out.push_str(group.name());
            out.push('(');
            let parameter = match group {
                Group::Limit(k) => Some(k.to_string()),
                Group::Timeout(ms) => Some(duration(*ms)),
                _ => None,
            };
            let closing = trivia
                .of(task_node.span)
                .map_or(&[][..], |a| &a.closing[..]);
            // A comment runs to the end of its line, so commented children need lines of their own.
            let broken = children.len() > MAX_CHILDREN_ON_ONE_LINE
                || children.iter().any(has_group)
                || !closing.is_empty()
                || children.iter().any(|child| trivia.of(child.span).is_some());
            if let Some(parameter) = &parameter {
                out.push_str(parameter);
                if !children.is_empty() {
                    out.push(',');
                    if !broken {
                        out.push(' ');
                    }
                }
            }
            if broken {
                out.push('\n');
                for child in children {
                    let attached = trivia.of(child.span);
                    leading(out, attached, indent + 1);
                    out.push_str(&"  ".repeat(indent + 1));
                    task(out, child, indent + 1, trivia);
                    out.push(',');
                    trailing(out, attached);
                    out.push('\n');
                }
                comments(out, closing, indent + 1);
                out.push_str(&"  ".repeat(indent));
            } else {
                for (index, child) in children.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    task(out, child, indent, trivia);
                }
            }
            out.push(')');
        }
    }
}

fn has_group(task: &Task) -> bool {
    match &task.kind {
        TaskKind::Aggregate { .. } => false,
        TaskKind::Group { .. } => true,
        TaskKind::Repeat { task, .. } => has_group(task),
    }
}

fn source(expr: &SourceExpr) -> String {
    match &expr.kind {
        SourceKind::Named(name) => name.clone(),
        SourceKind::Values { values, pacing: p } => {
            let items: Vec<String> = values.iter().map(|v| number(*v)).collect();
            format!("[{}]{}", items.join(", "), pacing(p))
        }
        SourceKind::Range { count, pacing: p } => format!("range({count}){}", pacing(p)),
        SourceKind::Random {
            count,
            low,
            high,
            seed,
            pacing: p,
        } => format!(
            "random({count}, {}..{}, seed {seed}){}",
            number(*low),
            number(*high),
            pacing(p)
        ),
        SourceKind::Fetch { url, format } => match format {
            FetchFormat::Lines => format!("fetch({})", string(url)),
            FetchFormat::Csv { column } => {
                format!("fetch({}, column {})", string(url), string(column))
            }
            FetchFormat::Ndjson { field } => {
                format!("fetch({}, field {})", string(url), string(field))
            }
        },
        SourceKind::Database {
            store,
            field,
            keys,
            limit,
        } => {
            let mut text = format!("db({}, field {}", string(store), string(field));
            if let Some((low, high)) = keys {
                let _ = write!(text, ", keys {}..{}", number(*low), number(*high));
            }
            if let Some(limit) = limit {
                let _ = write!(text, ", limit {limit}");
            }
            text.push(')');
            text
        }
        SourceKind::Merge(inputs) => {
            let inputs: Vec<String> = inputs.iter().map(source).collect();
            format!("merge({})", inputs.join(", "))
        }
        SourceKind::Take {
            source: inner,
            count,
        } => format!("{} | take {count}", source(inner)),
        SourceKind::Map {
            source: inner,
            op,
            operand,
        } => format!(
            "{} | map {} {}",
            source(inner),
            op.symbol(),
            number(*operand)
        ),
        SourceKind::Filter {
            source: inner,
            op,
            operand,
        } => format!(
            "{} | filter {} {}",
            source(inner),
            op.symbol(),
            number(*operand)
        ),
        SourceKind::Timeout { source: inner, ms } => {
            format!("{} | timeout {}", source(inner), duration(*ms))
        }
        SourceKind::FailAfter {
            source: inner,
            count,
            message,
        } => format!("{} | fail after {count} {}", source(inner), string(message)),
        SourceKind::Delay { source: inner, ms } => {
            format!("{} | delay {}", source(inner), duration(*ms))
        }
    }
}

fn pacing(pacing: &Pacing) -> String {
    let mut text = match &pacing.delays {
        Delays::None => String::new(),
        Delays::Every(ms) => format!(" every {}", duration(*ms)),
        Delays::Each(list) => {
            let items: Vec<String> = list.iter().map(|ms| duration(*ms)).collect();
            format!(" after [{}]", items.join(", "))
        }
        Delays::Drawn(distribution) => format!(" every {distribution}"),
    };
    if pacing.blocking {
        text.push_str(" blocking");
    }
    text
}

/// The shortest exact text of a number: `3`, `-1.5`, `1e300`. Rust's `{}`
/// and `{:e}` print the shortest digits that read back to the same f64;
/// exponent form keeps very large and very small numbers short.
pub(crate) fn number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

/// A duration in the shortest exact form: `1s`, `1.5s`, `100ms`, `0.5ms`.
pub(crate) fn duration(ms: f64) -> String {
    if ms == 0.0 {
        return "0s".to_string();
    }
    if ms >= 1000.0 {
        let seconds = number(ms / 1000.0);
        // The parser multiplies seconds by 1000: only use them when exact.
        if seconds.parse::<f64>().map(|s| s * 1000.0) == Ok(ms) {
            return format!("{seconds}s");
        }
    }
    format!("{}ms", number(ms))
}

/// A double-quoted string with `"`, `\` and line breaks escaped.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}
