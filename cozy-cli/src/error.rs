//! Errors that carry hints and their own exit status.
//!
//! Commands return `anyhow::Error`; the ones that need to say more than a message wrap a
//! [`Failure`], which `output::Printer::error` renders with its hints.

use std::fmt;

/// Exit codes: 0 success, 1 "the answer is no" (findings), 2 failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went as asked.
    Done,
    /// The command ran, and its answer is "no": stale files, differences, broken packages listed.
    Findings,
}

/// A user-facing error with optional hints.
#[derive(Debug)]
pub struct Failure {
    message: String,
    hints: Vec<String>,
}

impl Failure {
    /// An error with this message.
    #[must_use]
    pub fn new(message: impl Into<String>) -> Failure {
        Failure { message: message.into(), hints: Vec::new() }
    }

    /// Adds a `hint:` line.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hints.push(hint.into());
        self
    }

    /// The hints, in order.
    #[must_use]
    pub fn hints(&self) -> &[String] {
        &self.hints
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
