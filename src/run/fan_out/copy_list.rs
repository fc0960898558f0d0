use std::collections::VecDeque;
use std::ops::Range;

/// Copy numbers in the order they were added, as runs of consecutive
/// numbers: the 10^7 copies of one cohort are one run, not 40 MB.
#[derive(Clone, Debug, Default)]
pub(super) struct CopyList {
    runs: VecDeque<Range<u32>>,
}

impl CopyList {
    pub(super) fn one(copy: u32) -> CopyList {
        let mut list = CopyList::default();
        list.push(copy);
        list
    }

    /// Adds `copy` at the end (in the last run when it follows it).
    pub(super) fn push(&mut self, copy: u32) {
        self.push_range(copy..copy + 1);
    }

    /// Adds the copies of `range` at the end.
    pub(super) fn push_range(&mut self, range: Range<u32>) {
        match self.runs.back_mut() {
            Some(run) if run.end == range.start => run.end = range.end,
            _ => self.runs.push_back(range),
        }
    }

    /// Takes the first copy.
    pub(super) fn pop_front(&mut self) -> Option<u32> {
        let run = self.runs.front_mut()?;
        let copy = run.start;
        run.start += 1;
        if run.start == run.end {
            self.runs.pop_front();
        }
        Some(copy)
    }

    pub(super) fn first(&self) -> Option<u32> {
        self.runs.front().map(|run| run.start)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.runs.iter().flat_map(Range::clone)
    }

    /// The runs of consecutive copies.
    pub(super) fn ranges(&self) -> impl Iterator<Item = Range<u32>> + '_ {
        self.runs.iter().cloned()
    }
}
