//! Pure core of `cozy generate`: annotated values.yaml → README `## Parameters` tables and
//! values.schema.json, in two dialects, byte-identical to the tools they replace.
//!
//! - [`cozyvalues`]: cozyvalues-gen v1.6.0 (`## @param {type} name - description`), spec
//!   `values-cozyvalues.md`.
//! - [`bitnami`]: readme-generator-for-helm 2.7.0 (`## @param a.b description`), spec
//!   `values-bitnami.md`.
//!
//! Nothing here does IO: functions take file contents and return file contents or an
//! [`Error`] that names the line and key. The `generate` command reads and writes the files.

pub mod bitnami;
pub mod cozyvalues;

use std::fmt;

/// Which annotation dialect a values.yaml uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// cozyvalues-gen: `## @param {type} name - description`.
    Cozyvalues,
    /// bitnami readme-generator: `## @param a.b description`.
    Bitnami,
}

/// Which input an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The values.yaml.
    Values,
    /// The README being updated.
    Readme,
}

/// A generation error: where (file, 1-based line, key) and what.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    /// The file the problem is in.
    pub file: Source,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The parameter or YAML key, when known (`resources.cpu`).
    pub key: Option<String>,
    /// What is wrong, lowercase, no final period.
    pub message: String,
}

impl Error {
    /// An error in values.yaml.
    #[must_use]
    pub fn values(line: Option<usize>, key: Option<&str>, message: impl Into<String>) -> Error {
        Error { file: Source::Values, line, key: key.map(str::to_owned), message: message.into() }
    }

    /// An error in the README.
    #[must_use]
    pub fn readme(line: Option<usize>, message: impl Into<String>) -> Error {
        Error { file: Source::Readme, line, key: None, message: message.into() }
    }

    /// `PATH:LINE: `key`: message` with `path` the file this error is about.
    #[must_use]
    pub fn at(&self, path: &str) -> String {
        let line = self.line.map(|line| format!(":{line}")).unwrap_or_default();
        let key = self.key.as_ref().map(|key| format!("`{key}`: ")).unwrap_or_default();
        format!("{path}{line}: {key}{}", self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = match self.file {
            Source::Values => "values.yaml",
            Source::Readme => "README.md",
        };
        f.write_str(&self.at(file))
    }
}
