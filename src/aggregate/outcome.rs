use std::fmt;

use super::Outcomes;
use crate::display::format_number;

/// What a task produced. Displayed the way the page and the examples show it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Number(f64),
    List(Vec<f64>),
    Stats(Summary),
    /// No values arrived, and no number would be honest (the min of nothing).
    Empty,
    Error(String),
    /// A group's children, in input order (runs of identical outcomes).
    Group(Outcomes),
}

/// The result of `stats`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
}

impl Outcome {
    pub fn is_error(&self) -> bool {
        matches!(self, Outcome::Error(_))
    }
}

/// Lists longer than this show their first items and a count of the rest:
/// `collect(range(10^7))` is a result, not a 100 MB string.
pub const SHOWN_ITEMS: usize = 100;

fn write_list(
    f: &mut fmt::Formatter<'_>,
    len: usize,
    items: impl Iterator<Item = String>,
) -> fmt::Result {
    f.write_str("[")?;
    for (index, item) in items.take(SHOWN_ITEMS).enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        f.write_str(&item)?;
    }
    if len > SHOWN_ITEMS {
        write!(f, ", … {} more", len - SHOWN_ITEMS)?;
    }
    f.write_str("]")
}

/// ```
/// use async_playground::aggregate::Outcome;
/// let long = Outcome::List((0..102).map(f64::from).collect());
/// assert!(long.to_string().ends_with(", 98, 99, … 2 more]"));
/// ```
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Number(value) => f.write_str(&format_number(*value)),
            Outcome::List(values) => {
                write_list(f, values.len(), values.iter().map(|v| format_number(*v)))
            }
            Outcome::Stats(summary) => write!(
                f,
                "{{count: {}, min: {}, max: {}, mean: {}}}",
                summary.count,
                format_number(summary.min),
                format_number(summary.max),
                format_number(summary.mean)
            ),
            Outcome::Empty => f.write_str("empty"),
            Outcome::Error(message) => write!(f, "error: {message}"),
            Outcome::Group(items) => {
                write_list(f, items.len(), items.iter().map(Outcome::to_string))
            }
        }
    }
}
