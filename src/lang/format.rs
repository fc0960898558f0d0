//! [`Program`] → canonical text that parses back to the same program.

use std::fmt::Write;

use super::trivia::{Attached, Comment, Trivia};
use crate::program::{Group, Program, Task, TaskKind};

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

pub(crate) use crate::display::{
    format_duration as duration, literal_number as number, quoted as string, source_text as source,
};
