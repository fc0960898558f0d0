#![cfg(not(target_arch = "wasm32"))]
//! The language: every construct parses to the expected program, every error
//! is reported at the right place with a helpful message.

mod common;

use async_playground::lang::{self, Diagnostic};
use async_playground::program::{
    Aggregator, ArithOp, CmpOp, Delays, FetchFormat, Group, Pacing, Program, SourceExpr,
    SourceKind, Span, Task, TaskKind, Transform,
};
use async_playground::source::{FailStep, FilterStep, MapStep, TakeStep, TimeoutStep};
use common::strip;

// ---- helpers ----------------------------------------------------------------

fn parse_ok(text: &str) -> Program {
    match lang::parse(text) {
        Ok(program) => program,
        Err(errors) => panic!("{text:?} should parse, got:\n{}", render_all(text, &errors)),
    }
}

fn errors_in(text: &str) -> Vec<Diagnostic> {
    match lang::parse(text) {
        Ok(program) => panic!("{text:?} should fail, parsed as {program:?}"),
        Err(errors) => errors,
    }
}

fn render_all(text: &str, errors: &[Diagnostic]) -> String {
    errors.iter().map(|e| e.render(text) + "\n").collect()
}

/// The single error of `text`, as `(line, column, message)`.
fn error(text: &str) -> (u32, u32, String) {
    let errors = errors_in(text);
    assert_eq!(errors.len(), 1, "{}", render_all(text, &errors));
    let e = &errors[0];
    (e.line, e.column, e.message.clone())
}

fn src(kind: SourceKind) -> SourceExpr {
    SourceExpr {
        kind,
        span: Span::NONE,
    }
}

fn piped(source: SourceExpr, transform: Transform) -> SourceExpr {
    src(SourceKind::Pipe {
        source: Box::new(source),
        transform,
    })
}

fn named(name: &str) -> SourceExpr {
    src(SourceKind::Named(name.to_string()))
}

fn values(values: &[f64], delays: Delays, blocking: bool) -> SourceExpr {
    src(SourceKind::Values {
        values: values.to_vec(),
        pacing: Pacing { delays, blocking },
    })
}

fn agg(aggregator: Aggregator, source: SourceExpr) -> Task {
    Task {
        label: None,
        kind: TaskKind::Aggregate { aggregator, source },
        span: Span::NONE,
    }
}

fn group(group: Group, children: Vec<Task>) -> Task {
    Task {
        label: None,
        kind: TaskKind::Group { group, children },
        span: Span::NONE,
    }
}

fn labelled(label: &str, mut task: Task) -> Task {
    task.label = Some(label.to_string());
    task
}

/// The body of the only source definition in `text`.
fn source_of(text: &str) -> SourceExpr {
    let program = strip(parse_ok(text));
    assert_eq!(program.sources.len(), 1);
    program.sources.into_iter().next().unwrap().body
}

/// The only statement of `text`, after the definitions of afeat1 and afeat2.
fn statement_of(statement: &str) -> Task {
    let text = format!(
        "source afeat1 = [10, 20, 40] every 1s\nsource afeat2 = [50, 500, 5000] every 1s\n{statement}"
    );
    let program = strip(parse_ok(&text));
    assert_eq!(program.statements.len(), 1);
    program.statements.into_iter().next().unwrap()
}

// ---- sources -----------------------------------------------------------------

#[test]
fn literal_sources_and_pacing() {
    assert_eq!(
        source_of("source afeat1 = [10, 20, 40] every 1s"),
        values(&[10.0, 20.0, 40.0], Delays::Every(1000.0), false)
    );
    assert_eq!(
        source_of("source uneven = [1, 2, 3] after [100ms, 2s, 50ms]"),
        values(
            &[1.0, 2.0, 3.0],
            Delays::Each(vec![100.0, 2000.0, 50.0]),
            false
        )
    );
    assert_eq!(
        source_of("source sleepy = [10, 20, 40] every 1s blocking"),
        values(&[10.0, 20.0, 40.0], Delays::Every(1000.0), true)
    );
    assert_eq!(
        source_of("source plain = [1, -3, 1.5, 1e3, .5,]"),
        values(&[1.0, -3.0, 1.5, 1000.0, 0.5], Delays::None, false)
    );
    assert_eq!(
        source_of("source d = [1, 2, 3, 4] after [1.5s, 0s, 0.5ms, 1e3ms]"),
        values(
            &[1.0, 2.0, 3.0, 4.0],
            Delays::Each(vec![1500.0, 0.0, 0.5, 1000.0]),
            false
        )
    );
}

#[test]
fn range_and_random() {
    assert_eq!(
        source_of("source ticks = range(5) every 10ms"),
        src(SourceKind::Range {
            count: 5,
            pacing: Pacing {
                delays: Delays::Every(10.0),
                blocking: false
            }
        })
    );
    assert_eq!(
        source_of("source ticks = range(5)"),
        src(SourceKind::Range {
            count: 5,
            pacing: Pacing::default()
        })
    );
    assert_eq!(
        source_of("source dice = random(10, 1..6, seed 42) every 100ms"),
        src(SourceKind::Random {
            count: 10,
            low: 1.0,
            high: 6.0,
            seed: 42,
            pacing: Pacing {
                delays: Delays::Every(100.0),
                blocking: false
            }
        })
    );
    assert_eq!(
        source_of("source r = range(2) after [1s, 2s] blocking"),
        src(SourceKind::Range {
            count: 2,
            pacing: Pacing {
                delays: Delays::Each(vec![1000.0, 2000.0]),
                blocking: true
            }
        })
    );
}

#[test]
fn fetch_db_and_merge() {
    let fetch = |url: &str, format| {
        src(SourceKind::Fetch {
            url: url.to_string(),
            format,
        })
    };
    assert_eq!(
        source_of(r#"source csv = fetch("data/features.csv", column "age")"#),
        fetch(
            "data/features.csv",
            FetchFormat::Csv {
                column: "age".into()
            }
        )
    );
    assert_eq!(
        source_of(r#"source nd = fetch("data/features.ndjson", field "age")"#),
        fetch(
            "data/features.ndjson",
            FetchFormat::Ndjson {
                field: "age".into()
            }
        )
    );
    assert_eq!(
        source_of(r#"source lines = fetch("https://example.org/n.txt")"#),
        fetch("https://example.org/n.txt", FetchFormat::Lines)
    );
    assert_eq!(
        source_of(r#"source ages = db("features", field "age", keys 3..10, limit 5)"#),
        src(SourceKind::Database {
            store: "features".into(),
            field: "age".into(),
            keys: Some((3.0, 10.0)),
            limit: Some(5)
        })
    );
    assert_eq!(
        source_of(r#"source ages = db("features", field "age")"#),
        src(SourceKind::Database {
            store: "features".into(),
            field: "age".into(),
            keys: None,
            limit: None
        })
    );
    assert_eq!(
        source_of(r#"source ages = db("features", field "age", limit 5)"#),
        src(SourceKind::Database {
            store: "features".into(),
            field: "age".into(),
            keys: None,
            limit: Some(5)
        })
    );
    let program = strip(parse_ok(
        "source a = [1]\nsource b = [2]\nsource both = merge(a, b | map * 10)",
    ));
    assert_eq!(
        program.sources[2].body,
        src(SourceKind::Merge(vec![
            named("a"),
            piped(
                named("b"),
                Transform::Map(MapStep {
                    op: ArithOp::Mul,
                    operand: 10.0
                })
            )
        ]))
    );
}

#[test]
fn pipes_are_left_associative() {
    let task = statement_of("sum(afeat1 | map * 2 | filter > 25 | take 2 | timeout 2s)");
    let map = piped(
        named("afeat1"),
        Transform::Map(MapStep {
            op: ArithOp::Mul,
            operand: 2.0,
        }),
    );
    let filter = piped(
        map,
        Transform::Filter(FilterStep {
            op: CmpOp::Gt,
            operand: 25.0,
        }),
    );
    let take = piped(filter, Transform::Take(TakeStep { count: 2 }));
    let timeout = piped(take, Transform::Timeout(TimeoutStep { ms: 2000.0 }));
    assert_eq!(task, agg(Aggregator::Sum, timeout));
}

#[test]
fn every_operator() {
    for (text, op) in [
        ("+", ArithOp::Add),
        ("-", ArithOp::Sub),
        ("*", ArithOp::Mul),
        ("/", ArithOp::Div),
    ] {
        let task = statement_of(&format!("sum(afeat1 | map {text} -3)"));
        let expected = piped(
            named("afeat1"),
            Transform::Map(MapStep { op, operand: -3.0 }),
        );
        assert_eq!(task, agg(Aggregator::Sum, expected));
    }
    for (text, op) in [
        ("<", CmpOp::Lt),
        ("<=", CmpOp::Le),
        (">", CmpOp::Gt),
        (">=", CmpOp::Ge),
        ("==", CmpOp::Eq),
        ("!=", CmpOp::Ne),
    ] {
        let task = statement_of(&format!("sum(afeat1 | filter {text} 1.5)"));
        let expected = piped(
            named("afeat1"),
            Transform::Filter(FilterStep { op, operand: 1.5 }),
        );
        assert_eq!(task, agg(Aggregator::Sum, expected));
    }
    let task = statement_of(r#"collect([1, 2, 3] every 100ms | fail after 2 "connection reset")"#);
    let expected = piped(
        values(&[1.0, 2.0, 3.0], Delays::Every(100.0), false),
        Transform::FailAfter(FailStep {
            count: 2,
            message: "connection reset".into(),
        }),
    );
    assert_eq!(task, agg(Aggregator::Collect, expected));
}

// ---- tasks ---------------------------------------------------------------------

#[test]
fn every_aggregator() {
    for aggregator in Aggregator::ALL {
        let task = statement_of(&format!("{}(afeat1)", aggregator.name()));
        assert_eq!(task, agg(aggregator, named("afeat1")));
    }
    assert_eq!(
        statement_of("sum([1, 2, 3])"),
        agg(
            Aggregator::Sum,
            values(&[1.0, 2.0, 3.0], Delays::None, false)
        )
    );
}

#[test]
fn groups_labels_and_repeats() {
    let a = || agg(Aggregator::Collect, named("afeat1"));
    let b = || agg(Aggregator::Collect, named("afeat2"));
    assert_eq!(
        statement_of("sequential(collect(afeat1), collect(afeat2))"),
        group(Group::Sequential, vec![a(), b()])
    );
    assert_eq!(
        statement_of("race(collect(afeat1), collect(afeat2))"),
        group(Group::Race, vec![a(), b()])
    );
    assert_eq!(
        statement_of("limit(2, collect(afeat1), collect(afeat2), collect(afeat1))"),
        group(Group::Limit(2), vec![a(), b(), a()])
    );
    assert_eq!(
        statement_of("timeout(1.5s, gather(collect(afeat1), collect(afeat2)))"),
        group(
            Group::Timeout(1500.0),
            vec![group(Group::Gather, vec![a(), b()])]
        )
    );
    assert_eq!(
        statement_of(
            "gather(\n  \"feat1 sum\": sum(afeat1),\n  max(afeat2),\n  stats(afeat2),   # trailing comma\n)"
        ),
        group(
            Group::Gather,
            vec![
                labelled("feat1 sum", agg(Aggregator::Sum, named("afeat1"))),
                agg(Aggregator::Max, named("afeat2")),
                agg(Aggregator::Stats, named("afeat2")),
            ]
        )
    );
    assert_eq!(
        statement_of(r#""doubled": sum(afeat1 | map * 2)"#)
            .label
            .as_deref(),
        Some("doubled")
    );
    assert_eq!(
        statement_of("gather(1000 * sum(afeat1))"),
        group(
            Group::Gather,
            vec![Task {
                label: None,
                kind: TaskKind::Repeat {
                    count: 1000,
                    task: Box::new(agg(Aggregator::Sum, named("afeat1")))
                },
                span: Span::NONE
            }]
        )
    );
    assert_eq!(statement_of("gather()"), group(Group::Gather, vec![]));
}

#[test]
fn whole_program_and_spans() {
    let text = "# the post's example\nsource afeat1 = [10, 20, 40] every 1s\n\ncollect(afeat1)   # one\n\"x\": gather(sum(afeat1))\n";
    let program = parse_ok(text);
    assert_eq!(program.sources.len(), 1);
    assert_eq!(program.statements.len(), 2);
    let def = &program.sources[0];
    assert_eq!(&text[def.name_span.start..def.name_span.end], "afeat1");
    assert_eq!(
        &text[def.span.start..def.span.end],
        "source afeat1 = [10, 20, 40] every 1s"
    );
    let span = program.statements[0].span;
    assert_eq!(&text[span.start..span.end], "collect(afeat1)");
    let span = program.statements[1].span;
    assert_eq!(&text[span.start..span.end], "\"x\": gather(sum(afeat1))");
    let TaskKind::Group { children, .. } = &program.statements[1].kind else {
        panic!("not a group")
    };
    let span = children[0].span;
    assert_eq!(&text[span.start..span.end], "sum(afeat1)");
    assert_eq!(lang::parse(""), Ok(Program::default()));
    assert_eq!(lang::parse("# only a comment\n\n"), Ok(Program::default()));
}

#[test]
fn strings_escape() {
    let task = statement_of(r#""a \"b\" \\ c\nd": sum(afeat1)"#);
    assert_eq!(task.label.as_deref(), Some("a \"b\" \\ c\nd"));
}

#[test]
fn format_is_canonical() {
    let text = "source afeat1 = [10,20,40]   every 1000ms\nsource b = [1] after [1500ms] blocking\ncollect(afeat1)\ngather(sum(afeat1), max(b), stats(b), min(b))\nlimit(2, gather(sum(afeat1)), count(range(3) every 0.5ms))\n";
    let formatted = lang::format(&parse_ok(text));
    assert_eq!(
        formatted,
        "source afeat1 = [10, 20, 40] every 1s\nsource b = [1] after [1.5s] blocking\n\ncollect(afeat1)\ngather(\n  sum(afeat1),\n  max(b),\n  stats(b),\n  min(b),\n)\nlimit(2,\n  gather(sum(afeat1)),\n  count(range(3) every 0.5ms),\n)\n"
    );
    assert_eq!(strip(parse_ok(&formatted)), strip(parse_ok(text)));
}

// ---- errors ---------------------------------------------------------------------

#[test]
fn lexical_errors() {
    assert_eq!(
        error("sum([1] every 100)"),
        (
            1,
            15,
            "expected a duration like 100ms or 1s, found 100".into()
        )
    );
    assert_eq!(
        error("collect([1])\n\"oops: sum([1])"),
        (
            2,
            1,
            "this string is never closed: add a '\"' before the end of the line".into()
        )
    );
    assert_eq!(
        error("sum([1] every 10h)"),
        (
            1,
            15,
            "unknown unit 'h' after 10; durations use ms or s, like 100ms or 1s".into()
        )
    );
    assert_eq!(
        error("sum([1e999])"),
        (1, 6, "the number 1e999 is too large".into())
    );
    assert_eq!(
        error("sum([1]) @"),
        (1, 10, "unexpected character '@'".into())
    );
    assert_eq!(
        error(r#""a\tb": sum([1])"#),
        (
            1,
            3,
            "unknown escape '\\t' in a string; use \\\", \\\\ or \\n".into()
        )
    );
}

#[test]
fn unclosed_brackets_point_at_the_opener() {
    assert_eq!(
        error("source a = [1]\n\n\ngather(sum(a),\n"),
        (
            4,
            15,
            "expected ')' to close 'gather(' opened at 4:1, found end of input".into()
        )
    );
    assert_eq!(
        error("source a = [1]\ngather(sum(a)\ncollect(a)"),
        (
            2,
            14,
            "expected ')' to close 'gather(' opened at 2:1, found end of line".into()
        )
    );
    assert_eq!(
        error("source a = [1, 2\ncollect(a)"),
        (
            1,
            17,
            "expected ']' to close '[' opened at 1:12, found end of line".into()
        )
    );
    assert_eq!(
        error("source a = [1]\ngather(\n  sum(a)\n  max(a),\n)"),
        (
            4,
            3,
            "expected ',' or ')' to close 'gather(' opened at 2:1, found 'max'".into()
        )
    );
}

#[test]
fn syntax_errors_say_what_was_expected() {
    assert_eq!(
        error("source a = [1]\nsum(a) sum(a)"),
        (2, 8, "expected the end of the line, found 'sum'".into())
    );
    assert_eq!(
        error("source a = [1]\n  every 1s"),
        (
            2,
            3,
            "a line break ends the statement: put 'every' on the line before".into()
        )
    );
    assert_eq!(
        error("source a = [1]\na"),
        (
            2,
            1,
            "expected a task like sum(afeat1) or gather(...), found 'a'".into()
        )
    );
    assert_eq!(
        error("source = [1]"),
        (
            1,
            8,
            "expected a source name after 'source', found '='".into()
        )
    );
    assert_eq!(
        error("source a [1]"),
        (
            1,
            10,
            "expected '=' after the source name, found '['".into()
        )
    );
    assert_eq!(
        error("source take = [1]"),
        (
            1,
            8,
            "'take' is a keyword; give the source another name".into()
        )
    );
    assert_eq!(
        error("source a = [1]\nsum(a | map x 2)"),
        (
            2,
            13,
            "expected one of + - * / after 'map', found 'x'".into()
        )
    );
    assert_eq!(
        error("source a = [1]\nsum(a | filter = 2)"),
        (
            2,
            16,
            "expected one of < <= > >= == != after 'filter', found '='".into()
        )
    );
    assert_eq!(
        error("source a = [1]\nsum(a | tak 2)"),
        (2, 9, "unknown transform 'tak'; did you mean 'take'?".into())
    );
    assert_eq!(
        error("source a = [1]\nsum(a | take 1.5)"),
        (
            2,
            14,
            "how many values to take must be a whole number, found 1.5".into()
        )
    );
    // The list of transforms is each transform's test's to check.
    let (line, column, message) = error("source a = [1]\nsum(a | 3)");
    assert_eq!((line, column), (2, 9));
    assert!(
        message.starts_with("expected a transform after '|': take, ")
            && message.ends_with(", delay or fail after, found 3"),
        "{message}"
    );
    assert_eq!(
        error("source a = [1]\nsum(a | fail 2 \"x\")"),
        (
            2,
            14,
            "expected 'after' in 'fail after N \"message\"', found 2".into()
        )
    );
    assert_eq!(
        error("source a = [1]\nsum(a | fail after 2)"),
        (
            2,
            21,
            "expected an error message in quotes, found ')'".into()
        )
    );
    assert_eq!(
        error("source a = [1]\nsum(a | map *\n)"),
        (3, 1, "expected a number, found ')'".into())
    );
    assert_eq!(
        error("source a = [1]\n\"label\" sum(a)"),
        (2, 9, "expected ':' after the label, found 'sum'".into())
    );
}

#[test]
fn semantic_errors_in_the_parser() {
    assert_eq!(
        error("sum([1] every -1s)"),
        (1, 15, "a duration can't be negative, found -1s".into())
    );
    assert_eq!(
        error("sum([1] every 3601s)"),
        (
            1,
            15,
            "durations over 1 hour are not allowed, found 3601s".into()
        )
    );
    assert_eq!(
        error("limit(0, sum([1]))"),
        (
            1,
            7,
            "limit(0, ...) would never run anything; use 1 or more".into()
        )
    );
    assert_eq!(
        error("sum([])"),
        (1, 5, "a source needs at least one value".into())
    );
    assert_eq!(
        error("sum([1] after [])"),
        (1, 9, "'after []' needs one delay per value".into())
    );
    assert_eq!(
        error("sum([1, 2, 3] after [1s, 2s])"),
        (
            1,
            15,
            "'after' has 2 delays but the source makes 3 values; give one delay per value".into()
        )
    );
    assert_eq!(
        error("sum(range(3) after [1s])"),
        (
            1,
            14,
            "'after' has 1 delays but the source makes 3 values; give one delay per value".into()
        )
    );
    assert_eq!(
        error("sum(random(3, 6..1))"),
        (1, 15, "this range is empty: 6 is above 1".into())
    );
    assert_eq!(
        error("gather(0 * sum([1]))"),
        (1, 8, "'0 * task' runs nothing; use 1 or more copies".into())
    );
    assert_eq!(
        error("1000 * sum([1])"),
        (
            1,
            1,
            "'1000 * task' runs copies side by side, so it only works inside a group: write gather(1000 * ...)".into()
        )
    );
    assert_eq!(
        error("sum(range(0))"),
        (
            1,
            11,
            "a source needs at least one value: use range(1) or more".into()
        )
    );
    assert_eq!(statement_of("sum(afeat1 | take 0)").label, None);
}

#[test]
fn fetch_urls_must_be_http_or_relative() {
    for url in [
        "data/x.csv",
        "/x.txt",
        "http://a.org/x",
        "HTTPS://a.org/x",
        "x?q=a:b",
        "./a:b",
    ] {
        parse_ok(&format!("sum(fetch({url:?}))"));
    }
    for (url, scheme) in [
        ("javascript:alert(1)", "javascript"),
        ("data:text/plain,1", "data"),
        ("file:///etc/passwd", "file"),
        (" JavaScript:x", "JavaScript"),
    ] {
        let (line, column, message) = error(&format!("sum(fetch({url:?}))"));
        assert_eq!((line, column), (1, 11));
        assert_eq!(
            message,
            format!("fetch only reads http(s) or relative URLs, not '{scheme}:'")
        );
    }
    assert_eq!(
        error("sum(fetch(\"java\\nscript:x\"))").2,
        "a URL can't contain control characters"
    );
    assert_eq!(error("sum(fetch(\"\"))").2, "a fetch needs a URL");
}

#[test]
fn names_are_checked_with_suggestions() {
    assert_eq!(
        error("source afeat1 = [1]\ncollect(afeat3)"),
        (
            2,
            9,
            "unknown source 'afeat3'; did you mean 'afeat1'?".into()
        )
    );
    assert_eq!(
        error("source afeat1 = [1]\ncollect(zzz)"),
        (2, 9, "unknown source 'zzz'".into())
    );
    assert_eq!(
        error("collect(a)\nsource a = [1]"),
        (
            1,
            9,
            "source 'a' is used before its definition at 2:8; move the definition up".into()
        )
    );
    assert_eq!(
        error("source a = merge([1], a)"),
        (1, 23, "source 'a' can't use itself".into())
    );
    assert_eq!(
        error("source a = [1]\nsource a = [2]"),
        (
            2,
            8,
            "source 'a' is already defined at 1:8; pick another name".into()
        )
    );
    assert_eq!(
        error("source afeat2 = [1]\nmaks(afeat2)"),
        (
            2,
            1,
            "unknown aggregator 'maks'; did you mean 'max'?".into()
        )
    );
    assert_eq!(
        error("source afeat2 = [1]\nmedian(afeat2)").2,
        "unknown aggregator 'median'; did you mean 'mean'?"
    );
    assert_eq!(
        error("source afeat2 = [1]\ngathr(sum(afeat2))"),
        (2, 1, "unknown group 'gathr'; did you mean 'gather'?".into())
    );
    assert_eq!(
        error("source afeat2 = [1]\naverage(afeat2)").2,
        "unknown aggregator 'average'; expected one of collect, count, sum, min, max, mean, stats, var, std, first, last, or a group: sequential, gather, race, any, limit, timeout"
    );
}

#[test]
fn limits_point_at_the_statement_that_crosses_them() {
    let text = "source s = [1, 2, 3] every 2s blocking\nsum(s)\nsum(s)\n";
    assert_eq!(
        error(text),
        (
            3,
            1,
            "this program busy-waits 12 s in all; the cap is 10 s".into()
        )
    );
    assert_eq!(
        error("gather(3000 * gather(1000 * sum([1])))").2,
        "this program runs 3000000 tasks in all; the cap is 2000000 (or 10000000 copies in \
         gather(N * task) of an aggregator over a list, range or random with fixed delays above 0)"
    );
    assert_eq!(
        error("gather(1000 * sum(range(200000)))").2,
        "this program makes up to 200000000 values in all; the cap is 100000000"
    );
    assert_eq!(
        error("race(1000 * sum(range(20000) every 1ms))").2,
        "this program waits for up to 20000000 timed values in all; the cap is 10000000"
    );
    // Copies of a fan-out with fixed delays share their timers.
    parse_ok("gather(1000 * sum(range(20000) every 1ms))");
    let list = vec!["1"; lang::MAX_LIST + 1].join(",");
    assert_eq!(
        error(&format!("sum([{list}])")).2,
        format!("this list has 100001 items; the cap is {}", lang::MAX_LIST)
    );
    // `take` bounds how many values a source makes.
    parse_ok("gather(1000 * sum(range(200000) | take 10))");
}

#[test]
fn several_errors_are_all_reported() {
    let text = "source afeat1 = [10, 20, 40] every 1\ncollect(afeat3)\ngather(sum(afeat1), maks(afeat1))\n";
    let errors = errors_in(text);
    let found: Vec<(u32, u32, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, 36, "expected a duration like 100ms or 1s, found 1"),
            (2, 9, "unknown source 'afeat3'; did you mean 'afeat1'?"),
            (3, 21, "unknown aggregator 'maks'; did you mean 'max'?"),
        ]
    );
    // Errors inside one group are reported child by child.
    let errors = errors_in("gather(sum([]), sum([1] every 5), sum([1]))");
    assert_eq!(errors.len(), 2);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}sum([1]){}", "gather(".repeat(200), ")".repeat(200));
    assert!(error(&deep).2.contains("nested too deeply"));
    let parens = "(".repeat(100_000);
    assert!(!errors_in(&parens).is_empty());
    let pipes = format!("sum([1]{})", " | take 1".repeat(1000));
    assert!(error(&pipes).2.contains("too long"));
}

#[test]
fn render_points_at_the_place() {
    let text = "source a = [1]\ngather(\n  sum(a),\n  maks(a),\n)";
    let errors = errors_in(text);
    assert_eq!(
        errors[0].render(text),
        "4:3: error: unknown aggregator 'maks'; did you mean 'max'?\n  |   maks(a),\n  |   ^^^^"
    );
    let text = "sum([1]";
    assert_eq!(
        errors_in(text)[0].render(text),
        "1:8: error: expected ')' to close 'sum(' opened at 1:4, found end of input\n  | sum([1]\n  |        ^"
    );
}

// ---- the built-in examples ------------------------------------------------------

#[test]
fn every_built_in_example_parses_and_formats_back() {
    use async_playground::examples::EXAMPLES;
    assert!(EXAMPLES.len() >= 11);
    for example in EXAMPLES {
        let (name, text) = (example.name, example.text);
        let program = parse_ok(text);
        assert!(!program.statements.is_empty(), "{name}");
        let headers: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(headers[0].starts_with("# title: "), "{name}");
        assert!(headers[1].starts_with("# ideal: "), "{name}");
        let results = text.lines().filter(|l| l.starts_with("# result: ")).count();
        assert_eq!(
            results,
            program.statements.len(),
            "{name}: one result per statement"
        );
        let formatted = lang::format(&program);
        assert_eq!(strip(parse_ok(&formatted)), strip(program), "{name}");
    }
}

// ---- random delays, seed, delay ------------------------------------------------

#[test]
fn random_delays_parse_and_format_back() {
    use async_playground::distribution::{Distribution, Spike, Spread};
    let drawn = |text: &str| match source_of(&format!("source a = [1, 2] every {text}")).kind {
        SourceKind::Values { pacing, .. } => pacing.delays,
        other => panic!("{other:?}"),
    };
    let plain = |spread| {
        Delays::Drawn(Distribution {
            spread,
            spike: None,
        })
    };
    assert_eq!(
        drawn("uniform(50ms..150ms)"),
        plain(Spread::Uniform {
            low: 50.0,
            high: 150.0
        })
    );
    assert_eq!(drawn("exp(100ms)"), plain(Spread::Exp { mean: 100.0 }));
    assert_eq!(
        drawn("lognormal(100ms, p99 1s)"),
        plain(Spread::LogNormal {
            median: 100.0,
            p99: 1000.0
        })
    );
    assert_eq!(
        drawn("100ms spike 1% 2s"),
        Delays::Drawn(Distribution {
            spread: Spread::Fixed(100.0),
            spike: Some(Spike {
                percent: 1.0,
                ms: 2000.0
            }),
        })
    );
    assert_eq!(drawn("100ms"), Delays::Every(100.0));
    let text = "source call = [1] every exp(100ms) spike 0.5% 3s\n\nseed 42\n\
                race(first(call), first(call | delay 50ms))\n";
    let program = parse_ok(text);
    assert_eq!(program.seed, Some(42));
    assert_eq!(lang::format(&program), text);
}

#[test]
fn random_delay_mistakes_point_at_their_place() {
    let cases: &[(&str, (u32, u32, &str))] = &[
        (
            "sum([1] every uniform(2s..1s))",
            (1, 15, "this range is empty: 2s is above 1s"),
        ),
        (
            "sum([1] every lognormal(1s, p99 100ms))",
            (
                1,
                15,
                "p99 100ms is below the median 1s: the 99th percentile can't be under the 50th",
            ),
        ),
        (
            "sum([1] every lognormal(0s, p99 1s))",
            (1, 15, "a lognormal median must be above 0ms"),
        ),
        (
            "sum([1] every lognormal(100ms, 1s))",
            (
                1,
                32,
                "expected 'p99' and a duration, like p99 1s, found 1s",
            ),
        ),
        (
            "sum([1] every 100ms spike 150% 2s)",
            (1, 15, "a spike's chance is a percentage from 0% to 100%"),
        ),
        (
            "sum([1] every 100ms spike 1 2s)",
            (
                1,
                29,
                "expected '%' after the spike's chance, like 1%, found 2s",
            ),
        ),
        (
            "sum([1] every exp(100) )",
            (1, 19, "expected a duration like 100ms or 1s, found 100"),
        ),
        (
            "sum([1] every exp(10ms) blocking)",
            (
                1,
                25,
                "random delays can't be 'blocking'; busy-wait a fixed delay instead",
            ),
        ),
        (
            "sum([1] | delay 5)",
            (1, 17, "expected a duration like 100ms or 1s, found 5"),
        ),
        (
            "seed 1\nseed 2\nsum([1])",
            (2, 1, "the seed is already set above; keep one 'seed' line"),
        ),
        (
            "seed -1\nsum([1])",
            (1, 6, "the seed can't be negative, found -1"),
        ),
    ];
    for (text, (line, column, message)) in cases {
        assert_eq!(error(text), (*line, *column, message.to_string()), "{text}");
    }
}
