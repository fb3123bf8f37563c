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

impl Dialect {
    /// The dialect of an annotated values.yaml: any `@param {type} name` line means
    /// cozyvalues; otherwise any `@param a.b` line means bitnami; no `@param` at all, `None`.
    #[must_use]
    pub fn detect(values: &str) -> Option<Dialect> {
        let mut bitnami = false;
        for line in values.split('\n') {
            let line = line.trim();
            let Some(rest) = line.strip_prefix('#') else { continue };
            let rest = rest.trim_start_matches('#');
            if !rest.starts_with([' ', '\t']) {
                continue;
            }
            let Some(param) = rest.trim_start().strip_prefix("@param") else { continue };
            if !param.starts_with([' ', '\t']) {
                continue;
            }
            match param.trim_start() {
                rest if rest.starts_with('{') => return Some(Dialect::Cozyvalues),
                "" => {}
                _ => bitnami = true,
            }
        }
        bitnami.then_some(Dialect::Bitnami)
    }

    /// The name used in `--dialect` and `cozy.toml`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Cozyvalues => "cozyvalues",
            Dialect::Bitnami => "bitnami",
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_dialects() {
        assert_eq!(
            Dialect::detect("## @param {int} replicas - Replicas\nreplicas: 2\n"),
            Some(Dialect::Cozyvalues)
        );
        assert_eq!(Dialect::detect("  ## @param image.tag Image tag\n"), Some(Dialect::Bitnami));
        assert_eq!(
            Dialect::detect("## @section x\n## @param a A\n## @param {string} b - B\n"),
            Some(Dialect::Cozyvalues)
        );
        assert_eq!(Dialect::detect("#@param a\nreplicas: 1\n# @params x\n"), None);
        assert_eq!(Dialect::detect("key: value # @param a\n"), None);
    }

    #[test]
    fn error_locations() {
        let err = Error::values(Some(42), Some("resources.cpu"), "unknown type `quantty`");
        assert_eq!(
            err.at("packages/apps/x/values.yaml"),
            "packages/apps/x/values.yaml:42: `resources.cpu`: unknown type `quantty`"
        );
        assert_eq!(
            Error::readme(None, "no `## Parameters` section").to_string(),
            "README.md: no `## Parameters` section"
        );
    }
}
