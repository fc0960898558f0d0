//! Small pieces of the Python export: literals (numbers, lists, strings),
//! and whether a source can make inf or nan.

use std::collections::HashSet;

pub(super) use crate::display::python_float as float;
use crate::lang::format::string;
use crate::program::{SourceExpr, SourceKind};

/// Whether a map or outside data somewhere in the source could make inf or
/// nan; `named` holds the defined sources that could.
pub(super) fn may_be_non_finite(expr: &SourceExpr, named: &HashSet<String>) -> bool {
    match &expr.kind {
        SourceKind::Fetch { .. } | SourceKind::Database { .. } => true,
        SourceKind::Pipe { transform, .. } if transform.may_make_non_finite() => true,
        SourceKind::Named(name) => named.contains(name),
        _ => expr
            .inputs()
            .iter()
            .any(|input| may_be_non_finite(input, named)),
    }
}

/// A Python list of numbers, as short as the canonical text.
pub(super) fn list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| float(*v)).collect();
    format!("[{}]", items.join(", "))
}

/// A Python string literal: the playground's escapes are Python's too.
pub(super) fn python_string(text: &str) -> String {
    string(text)
}
