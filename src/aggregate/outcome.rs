use std::fmt;

/// What a task produced. Displayed the way the page and the examples show it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Number(f64),
    List(Vec<f64>),
    Stats(Summary),
    /// No values arrived, and no number would be honest (the min of nothing).
    Empty,
    Error(String),
    /// A group's children, in input order.
    Group(Vec<Outcome>),
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

/// ```
/// use async_playground::aggregate::Outcome;
/// let long = Outcome::List((0..102).map(f64::from).collect());
/// assert!(long.to_string().ends_with(", 98, 99, … 2 more]"));
/// ```
///
/// Integral values print as integers (`70`, not `70.0`); others in the
/// shortest form that reads back to the same `f64`.
///
/// ```
/// use async_playground::aggregate::format_number;
/// assert_eq!(format_number(70.0), "70");
/// assert_eq!(format_number(-0.0), "0");
/// assert_eq!(format_number(1850.5), "1850.5");
/// assert_eq!(format_number(1e20), "100000000000000000000");
/// assert_eq!(format_number(1e308), "1e308");
/// assert_eq!(format_number(-2.5e-7), "-2.5e-7");
/// ```
pub fn format_number(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 {
        // Also folds -0 into 0: a learner should never see "-0".
        "0".to_string()
    } else if value.fract() == 0.0 && magnitude < 9e15 {
        // The common case, and much cheaper than shortest-float formatting.
        (value as i64).to_string()
    } else if !(1e-6..1e21).contains(&magnitude) {
        // Where JavaScript switches to exponents too.
        even_tie(format!("{value:e}"), value)
    } else {
        even_tie(format!("{value}"), value)
    }
}

/// Rust's shortest form breaks an exact tie between two shortest candidates
/// upwards (`-1893787526330765.3` for `-1893787526330765.25`); Python's
/// `repr` and JavaScript pick the even digit (`...765.2`). Found by the
/// CPython referee; this picks the even one too.
///
/// ```
/// use async_playground::aggregate::format_number;
/// assert_eq!(format_number(-1893787526330765.25), "-1893787526330765.2");
/// assert_eq!(format_number(0.3), "0.3");
/// ```
fn even_tie(text: String, value: f64) -> String {
    let (mantissa, exponent) = text.split_at(text.find('e').unwrap_or(text.len()));
    let Some(last @ b'1'..=b'9') = mantissa.bytes().last() else {
        return text;
    };
    if last % 2 == 0 || !mantissa.contains('.') {
        return text;
    }
    let stem = &mantissa[..mantissa.len() - 1];
    let lower = format!("{stem}{}{exponent}", char::from(last - 1));
    if lower.parse::<f64>() != Ok(value) {
        return text;
    }
    // Both round-trip; a tie only if the value lies exactly halfway.
    let halfway = format!("{stem}{}5{exponent}", char::from(last - 1));
    if significant(&halfway) == significant(&format!("{value:.1100e}")) {
        lower
    } else {
        text
    }
}

/// The significant digits and the power of ten of the first, of a decimal
/// text: `"-0.0250e3"` → `("25", 1)`.
fn significant(text: &str) -> (String, i64) {
    let (mantissa, exponent) = text.split_at(text.find('e').unwrap_or(text.len()));
    let exponent: i64 = exponent.get(1..).and_then(|e| e.parse().ok()).unwrap_or(0);
    let mantissa = mantissa.trim_start_matches('-');
    let point = mantissa.find('.').unwrap_or(mantissa.len()) as i64;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let leading = (digits.len() - digits.trim_start_matches('0').len()) as i64;
    let digits = digits.trim_matches('0').to_string();
    (digits, exponent + point - leading - 1)
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
