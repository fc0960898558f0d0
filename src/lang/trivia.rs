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
    /// The span of every item, in text order (a group before its children).
    spans: Vec<Span>,
    /// The comments of `spans[i]`, if it has any.
    attached: Vec<Option<Box<Attached>>>,
    /// After the last item of the program.
    pub end: Vec<Comment>,
}

/// What a comment can attach to: a top-level item or a child of a group.
trait Item {
    fn span(&self) -> Span;
    /// Its children, when it is a group: comments inside attach to them.
    fn children(&self) -> Option<&[Task]>;
}

impl Item for Task {
    fn span(&self) -> Span {
        self.span
    }

    fn children(&self) -> Option<&[Task]> {
        match &self.kind {
            TaskKind::Group { children, .. } => Some(children),
            _ => None,
        }
    }
}

/// A top-level item: a source definition (no children) or a statement.
enum TopLevel<'p> {
    Source(Span),
    Statement(&'p Task),
}

impl Item for TopLevel<'_> {
    fn span(&self) -> Span {
        match self {
            TopLevel::Source(span) => *span,
            TopLevel::Statement(task) => task.span,
        }
    }

    fn children(&self) -> Option<&[Task]> {
        match self {
            TopLevel::Source(_) => None,
            TopLevel::Statement(task) => task.children(),
        }
    }
}

impl Trivia {
    /// Attaches each comment (spans from the lexer, in order) of `text` to
    /// the items of `program`, which was parsed from `text`.
    pub(crate) fn attach(text: &str, program: &Program, comments: &[Span]) -> Trivia {
        let items = in_text_order(program);
        let mut trivia = Trivia::default();
        collect_spans(&items, &mut trivia.spans);
        trivia.attached.resize_with(trivia.spans.len(), || None);
        for &span in comments {
            let comment = Comment {
                text: text[span.start..span.end].trim_end().to_string(),
                blank_before: blank_line_before(text, span.start),
                blank_after: blank_line_after(text, span.end),
            };
            match place(text, &items, span) {
                Some(place) => trivia.push(place, comment),
                None => trivia.end.push(comment),
            }
        }
        trivia
    }

    fn push(&mut self, place: Place, comment: Comment) {
        let (Place::Leading(span) | Place::Trailing(span) | Place::Closing(span)) = place;
        let Some(index) = self.index_of(span) else {
            return; // every place is an item's span
        };
        let item = self.attached[index].get_or_insert_with(Box::default);
        match place {
            Place::Leading(_) => item.leading.push(comment),
            // A comment runs to the end of its line: one trailing comment per item.
            Place::Trailing(_) => item.trailing = Some(comment.text),
            Place::Closing(_) => item.closing.push(comment),
        }
    }

    fn index_of(&self, span: Span) -> Option<usize> {
        self.spans
            .binary_search_by_key(&(span.start, span.end), |s| (s.start, s.end))
            .ok()
    }

    /// The comments attached to the item at `span` (none for most items).
    pub(crate) fn of(&self, span: Span) -> Option<&Attached> {
        self.attached[self.index_of(span)?].as_deref()
    }
}

/// Definitions and statements merged by position (each list is in text order).
fn in_text_order(program: &Program) -> Vec<TopLevel<'_>> {
    let mut sources = program.sources.iter().peekable();
    let mut statements = program.statements.iter().peekable();
    let mut items = Vec::with_capacity(program.sources.len() + program.statements.len());
    loop {
        match (sources.peek(), statements.peek()) {
            (Some(def), next) if next.is_none_or(|task| def.span.start < task.span.start) => {
                items.push(TopLevel::Source(def.span));
                sources.next();
            }
            (_, Some(&task)) => {
                items.push(TopLevel::Statement(task));
                statements.next();
            }
            _ => return items,
        }
    }
}

/// Every item's span, each group before its children: in text order.
fn collect_spans(items: &[impl Item], spans: &mut Vec<Span>) {
    for item in items {
        spans.push(item.span());
        if let Some(children) = item.children() {
            collect_spans(children, spans);
        }
    }
}

/// Where the comment at `span` goes among `items` (siblings in text order);
/// `None` when it comes after all of them.
fn place(text: &str, items: &[impl Item], span: Span) -> Option<Place> {
    let after = items.partition_point(|item| item.span().start < span.start);
    // The item it sits in, if any.
    if let Some(inside) = after.checked_sub(1).map(|i| &items[i]) {
        let inside_span = inside.span();
        if span.start < inside_span.end {
            return Some(match inside.children() {
                Some(children) => {
                    place(text, children, span).unwrap_or(Place::Closing(inside_span))
                }
                None => Place::Leading(inside_span),
            });
        }
        if on_one_line(text, inside_span.end, span.start) {
            return Some(Place::Trailing(inside_span));
        }
    }
    items.get(after).map(|next| Place::Leading(next.span()))
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
