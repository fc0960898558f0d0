//! What a transform after `|` is, in one place per transform: each one's
//! file in `source/` holds its stream and a [`Step`], which says how the
//! language reads it, writes it back, exports it to Python, bounds its cost
//! and opens it. [`transforms!`] registers the steps as one [`Transform`]
//! type, through which the parser, the formatter, the checker, the Python
//! export and the planner all dispatch.

use super::{Cost, TickStream};
use crate::budget::Budget;
use crate::clock::Clock;
use crate::display::{format_duration, format_number, literal_number, quoted};

/// One transform: its syntax after the keyword, its canonical text, its
/// Python, its cost and its stream. Implemented once per transform, in the
/// transform's own file.
///
/// ```
/// use async_playground::source::{Step, TakeStep};
/// assert_eq!(TakeStep::KEYWORD, "take");
/// ```
pub trait Step: Sized {
    /// The word after `|`.
    const KEYWORD: &'static str;
    /// How it reads in the list of transforms an error offers (`fail after`).
    const SHOWN: &'static str = Self::KEYWORD;
    /// The Python helpers its export may call, in the order they are printed.
    const PYTHON_HELPERS: &'static [PythonHelper] = &[];

    /// Reads its operands after the keyword; `None` when one was wrong (and
    /// reported by `operands`).
    fn read<O: Operands>(operands: &mut O) -> Option<Self>;

    /// Writes its operands after the keyword.
    fn write(&self, text: &mut Text);

    /// The Python expression applying it to the async iterator `input`.
    fn python<P: Python>(&self, input: String, python: &mut P) -> String;

    /// Upper bounds of what running it over `input` costs: the same, unless
    /// it bounds or may drop the values it pulls.
    fn cost(&self, input: Cost) -> Cost {
        input
    }

    /// Whether it can turn finite values into NaN or an infinity.
    fn may_make_non_finite(&self) -> bool {
        false
    }

    /// Whether it waits by itself (a start delay), whatever its input does.
    fn takes_time(&self) -> bool {
        false
    }

    /// A fresh stream of it over `input`.
    fn open<C: Clock>(&self, input: TickStream, clock: &C, budget: &Budget) -> TickStream;
}

/// Where a [`Step`] reads its operands: the language's parser, which reports
/// a wrong operand at its place and answers `None`.
pub trait Operands {
    /// A whole number from 0 to 2^53; `what` names it in errors.
    fn whole(&mut self, what: &str) -> Option<u64>;
    /// A number, like `-3` or `1.5`.
    fn number(&mut self) -> Option<f64>;
    /// A duration like `100ms`, in ms.
    fn duration(&mut self) -> Option<f64>;
    /// A string in double quotes; `what` names it in errors.
    fn string(&mut self, what: &str) -> Option<String>;
    /// The word `word`, or the error "expected {expected}".
    fn word(&mut self, word: &str, expected: &str) -> Option<()>;
    /// One of `symbols` (its index), or the error "expected {expected}".
    fn symbol(&mut self, symbols: &[&str], expected: &str) -> Option<usize>;
}

/// A transform's text, keyword first: the canonical form, which parses
/// back, or the short form of lane labels (numbers as results show them,
/// details such as a failure's message left out).
///
/// ```
/// use async_playground::source::Text;
/// let mut text = Text::new("fail", false);
/// text.word("after");
/// text.whole(2);
/// text.detail("reset");
/// assert_eq!(text.finish(), "fail after 2 \"reset\"");
/// ```
pub struct Text {
    out: String,
    label: bool,
}

impl Text {
    /// Starts with `keyword`; `label` picks the short form.
    pub fn new(keyword: &str, label: bool) -> Text {
        Text {
            out: keyword.to_string(),
            label,
        }
    }

    /// A word or symbol as it is, like `after` or `*`.
    pub fn word(&mut self, word: &str) {
        self.out.push(' ');
        self.out.push_str(word);
    }

    /// A count, like `2`.
    pub fn whole(&mut self, value: u64) {
        self.word(&value.to_string());
    }

    /// A number: exact in the canonical form, as results show it in labels.
    pub fn number(&mut self, value: f64) {
        let text = if self.label {
            format_number(value)
        } else {
            literal_number(value)
        };
        self.word(&text);
    }

    /// A duration, like `100ms` or `1.5s`.
    pub fn duration(&mut self, ms: f64) {
        self.word(&format_duration(ms));
    }

    /// A string that labels leave out.
    pub fn detail(&mut self, text: &str) {
        if !self.label {
            self.word(&quoted(text));
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }
}

/// The Python export, as a [`Step`] sees it.
pub trait Python {
    /// Emits the helper `name` (and those it needs) with the program.
    fn use_helper(&mut self, name: &'static str);
}

/// A Python function the export emits when the program uses it.
///
/// ```
/// use async_playground::source::{PythonHelper, Step, TakeStep};
/// let take: &PythonHelper = &TakeStep::PYTHON_HELPERS[0];
/// assert_eq!(take.name, "take");
/// assert!(take.code.starts_with("async def take("));
/// ```
pub struct PythonHelper {
    pub name: &'static str,
    /// Helpers its code calls.
    pub needs: &'static [&'static str],
    /// Modules its code uses.
    pub imports: &'static [&'static str],
    pub code: &'static str,
}

/// Registers the transforms: `Variant(StepType),` once per transform, in
/// the order the language lists them. Makes the [`Transform`] enum and
/// dispatches each of its questions to the variant's [`Step`].
macro_rules! transforms {
    ($($variant:ident($step:ident),)*) => {
        /// A transform after `|`, one variant per registered [`Step`]
        /// (see `source/transform.rs`).
        ///
        /// ```
        /// use async_playground::source::{TakeStep, Transform};
        /// assert!(Transform::KEYWORDS.contains(&"take"));
        /// let take = Transform::Take(TakeStep { count: 2 });
        /// assert_eq!(take.text(false), "take 2");
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        pub enum Transform {
            $($variant($step),)*
        }

        impl Transform {
            /// Every transform's keyword, in the language's order.
            pub const KEYWORDS: &'static [&'static str] =
                &[$(<$step as $crate::source::Step>::KEYWORD,)*];

            /// How each reads in a list of what may follow `|`.
            pub const SHOWN: &'static [&'static str] =
                &[$(<$step as $crate::source::Step>::SHOWN,)*];

            /// The transform `keyword` names, its operands read from
            /// `operands`; `None` for an unknown keyword or a wrong operand.
            pub fn read<O: $crate::source::Operands>(keyword: &str, operands: &mut O) -> Option<Transform> {
                $(
                    if keyword == <$step as $crate::source::Step>::KEYWORD {
                        return <$step as $crate::source::Step>::read(operands).map(Transform::$variant);
                    }
                )*
                None
            }

            /// Its text, keyword first: canonical, or a label's short form.
            pub fn text(&self, label: bool) -> String {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => {
                        let mut text = $crate::source::Text::new($step::KEYWORD, label);
                        step.write(&mut text);
                        text.finish()
                    })*
                }
            }

            /// See [`Step::python`].
            pub fn python<P: $crate::source::Python>(&self, input: String, python: &mut P) -> String {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => step.python(input, python),)*
                }
            }

            /// Every transform's Python helpers, in the language's order.
            pub fn python_helpers() -> impl Iterator<Item = &'static $crate::source::PythonHelper> {
                [$(<$step as $crate::source::Step>::PYTHON_HELPERS,)*].into_iter().flatten()
            }

            /// See [`Step::cost`].
            pub fn cost(&self, input: $crate::source::Cost) -> $crate::source::Cost {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => step.cost(input),)*
                }
            }

            /// See [`Step::may_make_non_finite`].
            pub fn may_make_non_finite(&self) -> bool {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => step.may_make_non_finite(),)*
                }
            }

            /// See [`Step::takes_time`].
            pub fn takes_time(&self) -> bool {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => step.takes_time(),)*
                }
            }

            /// See [`Step::open`].
            pub fn open<C: $crate::clock::Clock>(
                &self,
                input: $crate::source::TickStream,
                clock: &C,
                budget: &$crate::budget::Budget,
            ) -> $crate::source::TickStream {
                use $crate::source::Step;
                match self {
                    $(Transform::$variant(step) => step.open(input, clock, budget),)*
                }
            }
        }
    };
}

pub(crate) use transforms;
