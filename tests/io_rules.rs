//! Native tests of the plain-Rust parts of the browser I/O: the URL rules the
//! parser and the fetch client share, the `/slow/` hint, and the sample
//! dataset the IndexedDB store is seeded with.

use async_playground::source::sample::{sample_record, sample_records, DB_RECORDS, DB_STORE};
use async_playground::url::{is_fetchable_scheme, reason_phrase, slow_path_hint, url_problem};

#[test]
fn http_https_and_relative_urls_are_allowed() {
    for url in [
        "data/numbers.txt",
        "/www/data/features.csv",
        "./a:b.csv",
        "?q=1:2",
        "http://127.0.0.1:8080/x",
        "HTTPS://example.com/x",
        "  https://example.com/x",
    ] {
        assert_eq!(url_problem(url), None, "{url}");
    }
}

#[test]
fn other_schemes_and_control_characters_are_refused() {
    for (url, scheme) in [
        ("javascript:alert(1)", "javascript"),
        ("data:text/plain,1", "data"),
        ("file:///etc/passwd", "file"),
        ("blob:x", "blob"),
    ] {
        let problem = url_problem(url).expect(url);
        assert!(problem.contains(&format!("'{scheme}:'")), "{problem}");
    }
    assert_eq!(url_problem("  ").as_deref(), Some("a fetch needs a URL"));
    assert!(url_problem("ja\tvascript:x").unwrap().contains("control"));
}

#[test]
fn the_fetch_client_accepts_the_same_schemes_as_the_parser() {
    for scheme in ["http:", "https:", "HTTP:", "https"] {
        assert!(is_fetchable_scheme(scheme), "{scheme}");
        assert_eq!(url_problem(&format!("{scheme}//h/x")), None);
    }
    for scheme in ["file:", "data:", "javascript:", "ftp:"] {
        assert!(!is_fetchable_scheme(scheme), "{scheme}");
        assert!(url_problem(&format!("{scheme}//h/x")).is_some());
    }
}

#[test]
fn the_slow_hint_is_only_for_a_404_on_a_slow_path_without_the_worker() {
    assert!(slow_path_hint(404, "http://h/slow/300/data/a.csv", false).contains("service worker"));
    assert_eq!(
        slow_path_hint(404, "http://h/slow/300/data/a.csv", true),
        ""
    );
    assert_eq!(slow_path_hint(404, "http://h/data/a.csv", false), "");
    assert_eq!(
        slow_path_hint(503, "http://h/slow/300/data/a.csv", false),
        ""
    );
    assert_eq!(reason_phrase(503), "Service Unavailable");
}

#[test]
fn the_sample_dataset_is_fixed_and_in_range() {
    let records: Vec<_> = sample_records().collect();
    assert_eq!(records.len(), DB_RECORDS as usize);
    assert_eq!(DB_STORE, "features");
    for (index, record) in records.iter().enumerate() {
        assert_eq!(record.id as usize, index + 1, "ids run 1..=N in key order");
        assert_eq!(record.name, format!("user-{}", record.id));
        assert_eq!(
            (record.age, record.income, record.score),
            sample_record(record.id)
        );
        assert!((18.0..=70.0).contains(&record.age), "{record:?}");
        assert!((20_000.0..100_000.0).contains(&record.income), "{record:?}");
        assert_eq!(record.income % 100.0, 0.0, "{record:?}");
        assert!((0.0..100.0).contains(&record.score), "{record:?}");
    }
    // Pinned: the browser tests and the docs' examples read these values.
    assert_eq!(sample_record(1), (55.0, 27_900.0, 6.1));
    assert_eq!(sample_record(60), (65.0, 95_100.0, 66.0));
    let distinct_ages: std::collections::BTreeSet<u64> =
        records.iter().map(|r| r.age as u64).collect();
    assert!(
        distinct_ages.len() > 30,
        "the ages vary: {}",
        distinct_ages.len()
    );
}
