#![cfg(not(target_arch = "wasm32"))]
//! Properties of the language: formatting round-trips every valid program,
//! and no input at all makes the parser panic or report a bad position.

mod common;
mod programs;

use async_playground::lang;
use async_playground::program::Program;
use common::strip;
use programs::{number, program, text};
use proptest::prelude::*;

/// `PartialEq` on f64 says -0 == 0; the text must keep the sign too.
fn same_bits(a: &Program, b: &Program) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

// ---- arbitrary text -----------------------------------------------------------------

/// Checks that `text` parses or gives well-formed diagnostics.
fn assert_well_formed(text: &str) {
    if let Err(errors) = lang::parse(text) {
        assert!(!errors.is_empty());
        for error in &errors {
            assert!(error.line >= 1 && error.column >= 1, "{error:?}");
            assert!(
                error.span.start <= error.span.end && error.span.end <= text.len(),
                "{error:?}"
            );
            assert!(
                text.is_char_boundary(error.span.start) && text.is_char_boundary(error.span.end)
            );
            let line = text[..error.span.start].matches('\n').count() + 1;
            assert_eq!(error.line as usize, line, "{error:?}");
            let rendered = error.render(text);
            assert!(rendered.contains(&error.message));
        }
    }
}

fn token() -> impl Strategy<Value = String> {
    let words = lang::KEYWORDS
        .iter()
        .map(|w| w.to_string())
        .chain(["afeat1", "x", "\n", "  ", "#c\n"].map(String::from))
        .collect::<Vec<_>>();
    let punctuation = [
        "(", ")", "[", "]", ",", ":", "=", "|", "..", "+", "-", "*", "/", "<", "<=", ">", ">=",
        "==", "!=", "\"",
    ]
    .map(String::from)
    .to_vec();
    prop_oneof![
        prop::sample::select(words),
        prop::sample::select(punctuation),
        number().prop_map(|x| x.to_string()),
        (0u32..3000, prop::sample::select(vec!["ms", "s", "h", ""]))
            .prop_map(|(x, unit)| format!("{x}{unit}")),
        text().prop_map(|s| format!("{s:?}")),
        Just("1e999".to_string()),
    ]
}

/// Generating deep programs (groups of pipes over merges, each with its
/// pacing) needs more than a test thread's 2 MB stack in debug builds.
#[test]
fn format_round_trips() {
    let config = ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    };
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            proptest!(config, |(program in program())| {
                let text = lang::format(&program);
                let parsed = match lang::parse(&text) {
                    Ok(parsed) => parsed,
                    Err(errors) => {
                        let rendered: Vec<String> = errors.iter().map(|e| e.render(&text)).collect();
                        panic!("{text}\n{}", rendered.join("\n"));
                    }
                };
                prop_assert_eq!(lang::format(&parsed), text.clone());
                let parsed = strip(parsed);
                prop_assert_eq!(&parsed, &program);
                prop_assert!(same_bits(&parsed, &program), "{}", text);
            });
        })
        .unwrap()
        .join()
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        assert_well_formed(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(token(), 0..40), spaced in any::<bool>()) {
        let separator = if spaced { " " } else { "" };
        assert_well_formed(&tokens.join(separator));
    }
}

#[test]
fn hostile_inputs_give_errors() {
    let inputs = [
        "(".repeat(10_000),
        "[".repeat(10_000),
        "gather(".repeat(10_000),
        format!("sum({}[1]{})", "merge(".repeat(1000), ")".repeat(1000)),
        "\"".repeat(3),
        "sum([1e999, -1e999, 1e-999])".to_string(),
        format!(
            "source {} = [1]\nsum({})",
            "a".repeat(100_000),
            "b".repeat(100_000)
        ),
        "é(".to_string(),
        "\u{0}\u{7f}\u{feff}".to_string(),
    ];
    for input in &inputs {
        assert_well_formed(input);
    }
}

/// The generator the referee, the fuzzer and the round trip share draws
/// every registered transform, so a new one is covered by registering it.
#[test]
fn the_generator_draws_every_registered_transform() {
    use async_playground::program::Transform;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..500 {
        let transform = programs::transform()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let text = transform.text(false);
        let keyword = text.split(' ').next().unwrap().to_string();
        // What it draws reads back as itself.
        let program = format!("sum([1] | {text})");
        assert!(lang::parse(&program).is_ok(), "{program}");
        seen.insert(keyword);
    }
    let all: std::collections::BTreeSet<String> =
        Transform::KEYWORDS.iter().map(|k| k.to_string()).collect();
    assert_eq!(seen, all);
}
