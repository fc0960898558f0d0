//! "Did you mean ...?": the nearest known name by edit distance, for the
//! language's names and for columns and fields of fetched data.

const MAX_NAME_LEN: usize = 64;

/// The candidate nearest to `name`, if it is close enough to be a likely typo
/// (at most 2 edits, and fewer edits than the name has chars).
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    closest_within(
        name,
        candidates,
        2.min(name.chars().count().saturating_sub(1)),
    )
}

/// The candidate nearest to `name` at most `limit` edits away.
pub(crate) fn closest_within<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    limit: usize,
) -> Option<&'c str> {
    // Names this long are not typos of a keyword or source name, and
    // comparing them would cost length squared.
    if name.len() > MAX_NAME_LEN {
        return None;
    }
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        // Lengths that differ by more than the limit can't be within it; this
        // also keeps a huge name from costing a huge comparison.
        .filter(|candidate| candidate.len().abs_diff(name.len()) <= limit)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance in chars, with one row of memory.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_names_only() {
        assert_eq!(edit_distance("maks", "max"), 2);
        assert_eq!(closest("maks", ["min", "max", "mean"]), Some("max"));
        assert_eq!(closest("afeat3", ["afeat1", "afeat2"]), Some("afeat1"));
        assert_eq!(closest("median", ["min", "max"]), None);
        assert_eq!(closest("x", ["y"]), None);
    }
}
