#![cfg(not(target_arch = "wasm32"))]
//! `lang::format_text` keeps every comment next to its code, is stable
//! (formatting twice changes nothing) and changes no program.

mod common;

use async_playground::examples::EXAMPLES;
use async_playground::lang;
use common::strip;
use proptest::prelude::*;

fn format(text: &str) -> String {
    lang::format_text(text).unwrap_or_else(|errors| panic!("{text}\n{errors:?}"))
}

/// The comments of `text`, sorted: definitions move before statements,
/// and their comments with them.
fn comments_of(text: &str) -> Vec<String> {
    // Every test text keeps `#` out of strings, so a `#` starts a comment.
    let mut comments: Vec<String> = text
        .lines()
        .filter_map(|line| line.find('#').map(|at| line[at..].trim_end().to_string()))
        .collect();
    comments.sort();
    comments
}

/// Formats `text` and checks the three promises: every comment kept;
/// formatting again changes nothing; the program is the same.
fn check(text: &str) -> String {
    let formatted = format(text);
    assert_eq!(
        comments_of(&formatted),
        comments_of(text),
        "\n{text}\n---\n{formatted}"
    );
    assert_eq!(format(&formatted), formatted, "not stable:\n{formatted}");
    assert_eq!(
        strip(lang::parse(&formatted).unwrap()),
        strip(lang::parse(text).unwrap())
    );
    formatted
}

#[test]
fn comments_lead_and_trail_their_statements() {
    let text = "# Two sources.\n\nsource a = [1,2] every 1000ms   # fast\n# slow one\nsource b = [3]\n\n# Sum them.\nsum( a )  # three\n# the end\n";
    assert_eq!(
        check(text),
        "# Two sources.\n\nsource a = [1, 2] every 1s  # fast\n# slow one\nsource b = [3]\n\n# Sum them.\nsum(a)  # three\n# the end\n"
    );
}

#[test]
fn comments_inside_a_group_stay_with_its_children() {
    let text = "gather(  # opening\n  # first\n  sum([1]),   # one\n  sum([2]),\n  # nothing after this\n)  # closed\n";
    assert_eq!(
        check(text),
        "gather(\n  # opening\n  # first\n  sum([1]),  # one\n  sum([2]),\n  # nothing after this\n)  # closed\n"
    );
}

#[test]
fn a_commented_child_breaks_a_short_group_over_lines() {
    let text = "race(first([1] every 1s), # slow\nfirst([2]))\n";
    assert_eq!(
        check(text),
        "race(\n  first([1] every 1s),  # slow\n  first([2]),\n)\n"
    );
}

#[test]
fn nested_groups_keep_their_comments() {
    let text = "sequential(\n  gather(sum([1]), # inner\n    sum([2])),\n  # before the last\n  limit(2, sum([3])),\n)\n";
    assert_eq!(
        check(text),
        "sequential(\n  gather(\n    sum([1]),  # inner\n    sum([2]),\n  ),\n  # before the last\n  limit(2, sum([3])),\n)\n"
    );
}

#[test]
fn a_comment_inside_a_source_moves_above_its_item() {
    let text = "sum(merge([1] every 1s, # one\n  [2]))\nsource a = merge([1], # inside\n  [2])\n";
    assert_eq!(
        check(text),
        "# inside\nsource a = merge([1], [2])\n\n# one\nsum(merge([1] every 1s, [2]))\n"
    );
}

#[test]
fn paragraphs_keep_their_empty_lines() {
    let text =
        "# Paragraph one.\n# Still one.\n\n# Paragraph two.\n\n\n\nsum([1])\n\n# Afterword.\n\n\n";
    assert_eq!(
        check(text),
        "# Paragraph one.\n# Still one.\n\n# Paragraph two.\n\nsum([1])\n\n# Afterword.\n"
    );
}

#[test]
fn only_comments_is_a_program_too() {
    assert_eq!(check("\n# nothing yet\n#\n"), "# nothing yet\n#\n");
    assert_eq!(format(""), "");
}

#[test]
fn a_hash_in_a_string_is_not_a_comment() {
    let text = "\"#1 total\": sum(fetch(\"data/x.csv#frag\", column \"a#b\"))  # real\n";
    let formatted = format(text);
    assert_eq!(formatted, text);
    assert_eq!(format(&formatted), formatted);
}

#[test]
fn errors_are_reported_not_formatted() {
    let errors = lang::format_text("# fine\nsum(nope)  # not fine\n").unwrap_err();
    assert_eq!(errors[0].message, "unknown source 'nope'");
    assert_eq!((errors[0].line, errors[0].column), (2, 5));
}

#[test]
fn every_example_keeps_its_lesson_text() {
    for example in EXAMPLES {
        let formatted = check(example.text);
        assert!(
            formatted.starts_with(&format!("# title: {}\n", example.title())),
            "{}",
            example.name
        );
    }
}

/// An example with a comment added at the end of some lines and on lines of
/// their own between others: `picks` chooses where, by line index.
fn commented(text: &str, picks: &[(usize, bool)]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        for (n, &(at, own_line)) in picks.iter().enumerate() {
            if at % (lines.len() + 1) == index && own_line {
                out.push_str(&format!("# note {n}\n"));
            }
        }
        out.push_str(line);
        for (n, &(at, own_line)) in picks.iter().enumerate() {
            if at % (lines.len() + 1) == index && !own_line && !line.contains('#') {
                out.push_str(&format!("  # note {n}"));
            }
        }
        out.push('\n');
    }
    for (n, &(at, _)) in picks.iter().enumerate() {
        if at % (lines.len() + 1) == lines.len() {
            out.push_str(&format!("# note {n}\n"));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn comments_anywhere_survive_formatting(
        example in 0..EXAMPLES.len(),
        picks in prop::collection::vec((0usize..40, any::<bool>()), 0..12),
    ) {
        let text = commented(EXAMPLES[example].text, &picks);
        // Two trailing notes on one line make one comment: compare whole comments.
        check(&text);
    }
}

#[test]
fn windows_line_ends_and_unicode_comments() {
    let text = "# Grüße, 日本語 🚀\r\n\r\nsum([1])\t# tab before\r\n";
    assert_eq!(
        check(text),
        "# Grüße, 日本語 🚀\n\nsum([1])  # tab before\n"
    );
}
