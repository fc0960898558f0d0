//! One schema: the JSON that `schema.rs` writes for every example's report
//! has exactly the fields the `.d.ts` section (src/web/core_exports.rs) and the
//! README's report block declare, and those declare nothing it never writes.

use std::collections::{BTreeMap, BTreeSet};

use async_playground::examples::EXAMPLES;
use async_playground::{lang, run, schema};

/// A parsed JSON value: only what the comparison needs.
enum Value {
    Object(Vec<(String, Value)>),
    Array(Vec<Value>),
    Scalar,
}

fn parse_json(text: &str) -> Value {
    let mut chars = text.chars().peekable();
    let value = value(&mut chars);
    assert!(chars.all(char::is_whitespace), "trailing text");
    value
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_space(chars: &mut Chars) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

fn string(chars: &mut Chars) -> String {
    assert_eq!(chars.next(), Some('"'));
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return out,
            '\\' => out.push(chars.next().expect("escape")),
            c => out.push(c),
        }
    }
    panic!("unterminated string")
}

fn value(chars: &mut Chars) -> Value {
    skip_space(chars);
    match chars.peek() {
        Some('{') => {
            chars.next();
            let mut fields = Vec::new();
            loop {
                skip_space(chars);
                match chars.peek() {
                    Some('}') => {
                        chars.next();
                        return Value::Object(fields);
                    }
                    Some(',') => {
                        chars.next();
                    }
                    _ => {
                        let key = string(chars);
                        skip_space(chars);
                        assert_eq!(chars.next(), Some(':'));
                        fields.push((key, value(chars)));
                    }
                }
            }
        }
        Some('[') => {
            chars.next();
            let mut items = Vec::new();
            loop {
                skip_space(chars);
                match chars.peek() {
                    Some(']') => {
                        chars.next();
                        return Value::Array(items);
                    }
                    Some(',') => {
                        chars.next();
                    }
                    _ => items.push(value(chars)),
                }
            }
        }
        Some('"') => {
            string(chars);
            Value::Scalar
        }
        _ => {
            while chars
                .peek()
                .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
            {
                chars.next();
            }
            Value::Scalar
        }
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    match value {
        Value::Object(fields) => fields.iter().map(|(k, _)| k.clone()).collect(),
        _ => panic!("not an object"),
    }
}

fn field<'v>(value: &'v Value, name: &str) -> &'v Value {
    match value {
        Value::Object(fields) => &fields.iter().find(|(k, _)| k == name).expect(name).1,
        _ => panic!("not an object"),
    }
}

fn items(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        _ => panic!("not an array"),
    }
}

/// An outcome's keys, and those of the outcomes inside a group's.
fn outcome_keys(outcome: &Value, into: &mut BTreeSet<String>) {
    into.extend(keys(outcome));
    if let Value::Object(fields) = outcome {
        if let Some((_, Value::Array(inner))) = fields.iter().find(|(k, _)| k == "items") {
            for item in inner {
                outcome_keys(item, into);
            }
        }
    }
}

/// What every example's report writes, by type name.
fn written() -> BTreeMap<&'static str, BTreeSet<String>> {
    let mut seen: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    // The examples, plus what none of them shows: a block, an error.
    let extra = [
        "sum([1, 2] every 5ms blocking)",
        "race(sum([1] every 1s), sum([2] every 2s | fail after 0 \"no\"))",
    ];
    let texts = EXAMPLES.iter().map(|e| e.text).chain(extra);
    for text in texts {
        let program = lang::parse(text).expect(text);
        let report = run::run_virtual(&program).expect(text);
        let json = parse_json(&schema::report(&report));
        seen.entry("Report").or_default().extend(keys(&json));
        seen.entry("timers")
            .or_default()
            .extend(keys(field(&json, "timers")));
        for statement in items(field(&json, "statements")) {
            seen.entry("StatementReport")
                .or_default()
                .extend(keys(statement));
            outcome_keys(
                field(statement, "result"),
                seen.entry("Outcome").or_default(),
            );
        }
        for lane in items(field(&json, "lanes")) {
            seen.entry("Lane").or_default().extend(keys(lane));
        }
        for event in items(field(&json, "events")) {
            seen.entry("TraceEvent").or_default().extend(keys(event));
        }
    }
    // Notes come from real I/O only, which needs the browser: the browser
    // tests see them (tests/browser_io.rs); the schema writes them here.
    seen.entry("TraceEvent").or_default().insert("text".into());
    seen
}

/// The field names declared at the top level of `{ ... }` blocks in `text`
/// (nested blocks such as `timers: {...}` give their own name's fields).
fn declared(block: &str) -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
    let mut top = BTreeSet::new();
    let mut nested: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut depth = 0;
    let mut word = String::new();
    let mut last_field = String::new();
    let mut current_nested: Option<String> = None;
    let mut in_comment = false;
    let mut chars = block.chars().peekable();
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'/') => in_comment = true,
            '/' if chars.peek() == Some(&'*') => {
                // Skip to the end of the comment.
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            '"' => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            '{' => {
                depth += 1;
                if depth == 2 && !last_field.is_empty() {
                    current_nested = Some(last_field.clone());
                }
            }
            '}' => {
                depth -= 1;
                if depth < 2 {
                    current_nested = None;
                }
            }
            c if c.is_alphanumeric() || c == '_' => word.push(c),
            _ => {
                let is_field = c == ':' || (c == '?' && chars.peek() == Some(&':'));
                if is_field && !word.is_empty() {
                    match (&current_nested, depth) {
                        (_, 1) => {
                            top.insert(word.clone());
                            last_field = word.clone();
                        }
                        (Some(name), _) => {
                            nested.entry(name.clone()).or_default().insert(word.clone());
                        }
                        _ => {}
                    }
                }
                word.clear();
            }
        }
    }
    (top, nested)
}

/// `interface Name { ... }` or `type Name = ...;` in `text`.
fn declaration<'t>(text: &'t str, name: &str) -> &'t str {
    let start = [format!("interface {name} "), format!("type {name} =")]
        .iter()
        .find_map(|head| text.find(head.as_str()))
        .unwrap_or_else(|| panic!("no declaration of {name}"));
    let rest = &text[start..];
    if rest.starts_with("type") {
        // A union of object types, up to its `;` at the top level.
        let mut depth = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ';' if depth == 0 => return &rest[..i],
                _ => {}
            }
        }
        rest
    } else {
        let mut depth = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return &rest[..=i];
                    }
                }
                _ => {}
            }
        }
        panic!("unclosed {name}")
    }
}

fn d_ts() -> String {
    let source = std::fs::read_to_string("src/web/core_exports.rs").unwrap();
    let start = source
        .find("const TYPES: &str = r#\"")
        .expect("the .d.ts section");
    let end = start + source[start..].find("\"#;").unwrap();
    source[start..end].to_string()
}

fn readme_block() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("### The report")
        .expect("the README's report section");
    let block = &readme[start..];
    let open = block.find("```ts").unwrap();
    let close = open + 5 + block[open + 5..].find("```").unwrap();
    block[open..close].to_string()
}

fn agree(document: &str, what: &str) {
    let seen = written();
    let mut problems = Vec::new();
    for name in ["Report", "StatementReport", "Lane", "TraceEvent", "Outcome"] {
        let (declared, nested) = declared(declaration(document, name));
        let written = &seen[name];
        for key in written.difference(&declared) {
            problems.push(format!(
                "{what}: {name} lacks `{key}`, which schema.rs writes"
            ));
        }
        for key in declared.difference(written) {
            problems.push(format!(
                "{what}: {name} declares `{key}`, which no report has"
            ));
        }
        if name == "Report" {
            let timers = nested.get("timers").cloned().unwrap_or_default();
            if timers != seen["timers"] {
                problems.push(format!(
                    "{what}: Report.timers declares {timers:?}; schema.rs writes {:?}",
                    seen["timers"]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_d_ts_section_declares_what_schema_rs_writes() {
    agree(&d_ts(), "the .d.ts section");
}

#[test]
fn the_readme_declares_what_schema_rs_writes() {
    agree(&readme_block(), "README");
}

#[test]
fn the_check_sees_a_missing_field() {
    // The comparison itself can fail: drop a field from the d.ts text.
    let broken = d_ts().replace("idealExact: boolean;", "");
    let result = std::panic::catch_unwind(|| agree(&broken, "broken"));
    assert!(result.is_err(), "a missing idealExact must be reported");
}
