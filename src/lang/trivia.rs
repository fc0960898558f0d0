//! Comments as trivia: each `#` comment is attached to the source definition
//! or task it belongs to, so that formatting can move code around and still
//! print every comment next to its code.
//!
//! - A comment on the line where an item ends, after it, **trails** that item.
//! - Any other comment **leads** the next item at its level (a source
//!   definition or statement at the top, a child inside a group).
//! - A comment after the last child of a group is that group's **closing**
//!   comment, printed before its `)`; after the last item of the program,
//!   it ends the program.
//! - A comment inside an item with no children to attach to (within an
//!   aggregator's source, say) leads that item: it moves above it.
//!
//! A comment remembers whether an empty line came before or after it, so
//! paragraphs of lesson text keep their shape.

use std::collections::HashMap;

use crate::program::{Program, Span, Task, TaskKind};

/// One `#` comment: its text from `#` to the end of its line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Comment {
    pub text: String,
    /// An empty line separates it from the text before it.
    pub blank_before: bool,
    /// An empty line separates it from the text after it.
    pub blank_after: bool,
}

/// The comments attached to one source definition or task.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Attached {
    /// On their own lines, before the item.
    pub leading: Vec<Comment>,
    /// On the item's last line, after it.
    pub trailing: Option<String>,
    /// A group's: after its last child, before its `)`.
    pub closing: Vec<Comment>,
}

/// Every comment of a program, by the span of the item it is attached to.
#[derive(Debug, Default)]
pub(crate) struct Trivia {
    attached: HashMap<(usize, usize), Attached>,
    /// After the last item of the program.
    pub end: Vec<Comment>,
}

/// What a comment can attach to: a top-level item or a child of a group.
#[derive(Clone, Copy)]
struct Item<'p> {
    span: Span,
    /// Its children, when it is a group: comments inside attach to them.
    children: Option<&'p [Task]>,
}

impl Item<'_> {
    fn of_task(task: &Task) -> Item<'_> {
        let children = match &task.kind {
            TaskKind::Group { children, .. } => Some(children.as_slice()),
            _ => None,
        };
        Item {
            span: task.span,
            children,
        }
    }
}

impl Trivia {
    /// Attaches each comment (spans from the lexer, in order) of `text` to
    /// the items of `program`, which was parsed from `text`.
    pub(crate) fn attach(text: &str, program: &Program, comments: &[Span]) -> Trivia {
        let mut items: Vec<Item> = program
            .sources
            .iter()
            .map(|def| Item {
                span: def.span,
                children: None,
            })
            .chain(program.statements.iter().map(Item::of_task))
            .collect();
        items.sort_by_key(|item| item.span.start);
        let mut trivia = Trivia::default();
        for &span in comments {
            let comment = Comment {
                text: text[span.start..span.end].trim_end().to_string(),
                blank_before: blank_line_before(text, span.start),
                blank_after: blank_line_after(text, span.end),
            };
            match trivia.place(text, &items, span) {
                Some(place) => trivia.push(place, comment),
                None => trivia.end.push(comment),
            }
        }
        trivia
    }

    /// The comments attached to the item at `span` (none for most items).
    pub(crate) fn of(&self, span: Span) -> Option<&Attached> {
        self.attached.get(&(span.start, span.end))
    }

    /// Where the comment at `span` goes among `items` (siblings in text
    /// order); `None` when it comes after all of them.
    fn place(&self, text: &str, items: &[Item], span: Span) -> Option<Place> {
        let after = items.partition_point(|item| item.span.start < span.start);
        // The item it sits in, if any.
        if let Some(inside) = after.checked_sub(1).map(|i| items[i]) {
            if span.start < inside.span.end {
                let Some(children) = inside.children else {
                    return Some(Place::Leading(inside.span));
                };
                let children: Vec<Item> = children.iter().map(Item::of_task).collect();
                return Some(
                    self.place(text, &children, span)
                        .unwrap_or(Place::Closing(inside.span)),
                );
            }
            if on_one_line(text, inside.span.end, span.start) {
                return Some(Place::Trailing(inside.span));
            }
        }
        items.get(after).map(|next| Place::Leading(next.span))
    }

    fn push(&mut self, place: Place, comment: Comment) {
        let (Place::Leading(span) | Place::Trailing(span) | Place::Closing(span)) = place;
        let attached = self.attached.entry((span.start, span.end)).or_default();
        match place {
            Place::Leading(_) => attached.leading.push(comment),
            // A comment runs to the end of its line: one trailing comment per item.
            Place::Trailing(_) => attached.trailing = Some(comment.text),
            Place::Closing(_) => attached.closing.push(comment),
        }
    }
}

#[derive(Clone, Copy)]
enum Place {
    Leading(Span),
    Trailing(Span),
    Closing(Span),
}

/// No line break between byte offsets `from` and `to`.
fn on_one_line(text: &str, from: usize, to: usize) -> bool {
    !text[from..to].contains('\n')
}

/// An empty line lies between offset `from` and the next text.
fn blank_line_after(text: &str, from: usize) -> bool {
    let rest = &text[from..];
    let next = rest.trim_start();
    !next.is_empty() && rest[..rest.len() - next.len()].matches('\n').count() >= 2
}

/// An empty line lies between the previous text and offset `to`.
fn blank_line_before(text: &str, to: usize) -> bool {
    let before = &text[..to];
    let previous = before.trim_end();
    !previous.is_empty() && before[previous.len()..].matches('\n').count() >= 2
}
