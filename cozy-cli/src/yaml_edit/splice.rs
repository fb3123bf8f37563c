//! Replacing byte ranges of a text.

use std::ops::Range;

use super::Error;

/// Replace `range` of the text with `with`.
pub(super) struct Splice {
    pub(super) range: Range<usize>,
    pub(super) with: String,
}

impl Splice {
    pub(super) fn new(range: Range<usize>, with: impl Into<String>) -> Self {
        Splice { range, with: with.into() }
    }

    pub(super) fn insert(at: usize, with: impl Into<String>) -> Self {
        Splice::new(at..at, with)
    }
}

/// `text` with `splices` applied. They must be sorted, non-overlapping and on char boundaries;
/// otherwise an error (never a panic).
pub(super) fn apply(text: &str, splices: &[Splice]) -> Result<String, Error> {
    let broken = || Error::nowhere("internal error: overlapping or misplaced edits".to_owned());
    let mut out =
        String::with_capacity(text.len() + splices.iter().map(|s| s.with.len()).sum::<usize>());
    let mut copied = 0;
    for splice in splices {
        let Range { start, end } = splice.range;
        if start < copied || end < start {
            return Err(broken());
        }
        out.push_str(text.get(copied..start).ok_or_else(broken)?);
        text.get(start..end).ok_or_else(broken)?;
        out.push_str(&splice.with);
        copied = end;
    }
    out.push_str(text.get(copied..).ok_or_else(broken)?);
    Ok(out)
}
