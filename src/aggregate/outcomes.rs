use std::ops::Index;

use super::Outcome;

/// A group's results in input order, kept as runs of identical outcomes:
/// the 10^7 copies of a fan-out that all give `70` are one run, not 10^7
/// outcomes of 40 bytes.
///
/// ```
/// use async_playground::aggregate::{Outcome, Outcomes};
/// let mut items = Outcomes::default();
/// items.push_run(Outcome::Number(70.0), 3);
/// items.push(Outcome::Number(70.0));
/// items.push(Outcome::Empty);
/// assert_eq!((items.len(), items.runs().count()), (5, 2));
/// assert_eq!(items[3], Outcome::Number(70.0));
/// assert_eq!(items.iter().last(), Some(&Outcome::Empty));
/// assert_eq!(items, Outcomes::from(vec![Outcome::Number(70.0); 4].into_iter().chain([Outcome::Empty]).collect::<Vec<_>>()));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Outcomes {
    /// Each run's outcome and the index just past it.
    runs: Vec<(Outcome, usize)>,
}

impl Outcomes {
    /// How many outcomes (not runs).
    pub fn len(&self) -> usize {
        self.runs.last().map_or(0, |(_, end)| *end)
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Adds `outcome` at the end.
    pub fn push(&mut self, outcome: Outcome) {
        self.push_run(outcome, 1);
    }

    /// Adds `count` copies of `outcome` at the end, in the last run when it
    /// is identical (bit for bit: `-0` and `0` stay apart).
    pub fn push_run(&mut self, outcome: Outcome, count: usize) {
        if count == 0 {
            return;
        }
        let end = self.len() + count;
        match self.runs.last_mut() {
            Some((last, last_end)) if identical(last, &outcome) => *last_end = end,
            _ => self.runs.push((outcome, end)),
        }
    }

    /// The outcome at `index`: a binary search over the runs.
    pub fn get(&self, index: usize) -> Option<&Outcome> {
        let run = self.runs.partition_point(|(_, end)| *end <= index);
        self.runs.get(run).map(|(outcome, _)| outcome)
    }

    /// Every outcome, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Outcome> {
        self.runs()
            .flat_map(|(outcome, count)| std::iter::repeat_n(outcome, count))
    }

    /// Each run: an outcome and how many times in a row.
    pub fn runs(&self) -> impl Iterator<Item = (&Outcome, usize)> {
        let starts = std::iter::once(0).chain(self.runs.iter().map(|(_, end)| *end));
        self.runs
            .iter()
            .zip(starts)
            .map(|((outcome, end), start)| (outcome, end - start))
    }
}

/// Equal outcome by outcome, as a list would be.
impl PartialEq for Outcomes {
    fn eq(&self, other: &Outcomes) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Index<usize> for Outcomes {
    type Output = Outcome;

    fn index(&self, index: usize) -> &Outcome {
        match self.get(index) {
            Some(outcome) => outcome,
            None => panic!("index {index} out of {} outcomes", self.len()),
        }
    }
}

impl FromIterator<Outcome> for Outcomes {
    fn from_iter<I: IntoIterator<Item = Outcome>>(outcomes: I) -> Outcomes {
        let mut all = Outcomes::default();
        outcomes.into_iter().for_each(|outcome| all.push(outcome));
        all
    }
}

impl From<Vec<Outcome>> for Outcomes {
    fn from(outcomes: Vec<Outcome>) -> Outcomes {
        outcomes.into_iter().collect()
    }
}

/// Whether two outcomes are the same bit for bit, so one run can stand for
/// both (`==` takes `-0` for `0`, and a run must give back each exactly).
fn identical(a: &Outcome, b: &Outcome) -> bool {
    let same = |x: f64, y: f64| x.to_bits() == y.to_bits();
    match (a, b) {
        (Outcome::Number(x), Outcome::Number(y)) => same(*x, *y),
        (Outcome::List(xs), Outcome::List(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(*x, *y))
        }
        (Outcome::Stats(x), Outcome::Stats(y)) => {
            x.count == y.count && same(x.min, y.min) && same(x.max, y.max) && same(x.mean, y.mean)
        }
        (Outcome::Empty, Outcome::Empty) => true,
        (Outcome::Error(x), Outcome::Error(y)) => x == y,
        (Outcome::Group(xs), Outcome::Group(ys)) => {
            xs.runs.len() == ys.runs.len()
                && xs
                    .runs
                    .iter()
                    .zip(&ys.runs)
                    .all(|((x, x_end), (y, y_end))| x_end == y_end && identical(x, y))
        }
        _ => false,
    }
}
