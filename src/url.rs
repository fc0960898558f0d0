//! URL rules for `fetch(...)` sources, shared by the parser (which refuses a
//! bad URL with a span) and the browser I/O (which resolves it against the
//! page). Plain Rust, so native tests cover them.

/// Why a fetch URL is refused, if it is. Allowed: `http://`, `https://`, and
/// URLs relative to the page. Anything with another scheme (`javascript:`,
/// `data:`, `file:`) is refused, as are control characters, which browsers
/// strip before reading the scheme.
///
/// ```
/// use async_playground::url::url_problem;
/// assert_eq!(url_problem("data/a.csv"), None);
/// assert_eq!(url_problem("https://example.com/x"), None);
/// assert!(url_problem("javascript:alert(1)").is_some());
/// ```
pub fn url_problem(url: &str) -> Option<String> {
    if url.trim().is_empty() {
        return Some("a fetch needs a URL".to_string());
    }
    if url.chars().any(char::is_control) {
        return Some("a URL can't contain control characters".to_string());
    }
    let trimmed = url.trim_start();
    let scheme_end = trimmed.find(':')?;
    let scheme = &trimmed[..scheme_end];
    let looks_like_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A ':' after a '/', '?' or '#' is part of a relative path, not a scheme.
    if !looks_like_scheme || is_fetchable_scheme(scheme) {
        return None;
    }
    Some(format!(
        "fetch only reads http(s) or relative URLs, not '{scheme}:'"
    ))
}

/// Whether a resolved URL's scheme (`"http"`, `"https:"`, any case) may be
/// fetched.
///
/// ```
/// use async_playground::url::is_fetchable_scheme;
/// assert!(is_fetchable_scheme("HTTPS:"));
/// assert!(!is_fetchable_scheme("file:"));
/// ```
pub fn is_fetchable_scheme(scheme: &str) -> bool {
    let scheme = scheme.strip_suffix(':').unwrap_or(scheme);
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// The hint added to a failed response: a 404 on a `/slow/` path that the
/// page's service worker did not answer means the worker is not active yet.
///
/// ```
/// use async_playground::url::slow_path_hint;
/// assert!(slow_path_hint(404, "http://h/slow/200/a.csv", false).contains("reload"));
/// assert_eq!(slow_path_hint(404, "http://h/slow/200/a.csv", true), "");
/// assert_eq!(slow_path_hint(500, "http://h/slow/200/a.csv", false), "");
/// ```
pub fn slow_path_hint(status: u16, resolved: &str, from_service_worker: bool) -> &'static str {
    // A byte search: a `str` pattern search would add 2 KB of wasm.
    let slow_path = resolved.as_bytes().windows(6).any(|w| w == b"/slow/");
    if status == 404 && slow_path && !from_service_worker {
        " (/slow/ paths are answered by the page's service worker, which is not \
         active yet: reload the page)"
    } else {
        ""
    }
}

/// Reason phrases for HTTP/2 and HTTP/3 responses, which carry none.
///
/// ```
/// use async_playground::url::reason_phrase;
/// assert_eq!(reason_phrase(404), "Not Found");
/// assert_eq!(reason_phrase(299), "");
/// ```
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
