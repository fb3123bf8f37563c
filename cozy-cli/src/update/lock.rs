//! `PKG/cozy.lock`: every source an update fetched (resolved version, URL, sha256), so that
//! `--locked` fetches exactly the same bytes again.

use serde::{Deserialize, Serialize};

/// The lock file name, beside `cozy.toml`.
pub const FILE: &str = "cozy.lock";

const PREAMBLE: &str = "# Written by `cozy pkg update`; do not edit. `cozy pkg update --locked` fetches exactly these sources.\n";

/// The parsed lock file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// Format version; 1.
    pub version: u32,
    /// One entry per fetching step, in step order.
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
}

/// One fetched source.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// 1-based index of the `[[update.step]]`.
    pub step: usize,
    /// The step kind (`helm-pull`, `download`, `archive`).
    pub kind: String,
    /// What was fetched: the chart name, or the destination.
    pub name: String,
    /// The resolved version, tag or ref, when the step has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Where it came from.
    pub url: String,
    /// Hex sha256 of the fetched bytes.
    pub sha256: String,
}

impl Lock {
    /// Parses lock file text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Lock, String> {
        crate::manifest::parse_toml(text).map_err(|err| err.at(path))
    }

    /// The text to write.
    #[must_use]
    pub fn render(&self) -> String {
        let body = toml::to_string(self).expect("a lock file always serializes");
        format!("{PREAMBLE}{body}")
    }

    /// The entry recorded for step `step` of kind `kind`.
    #[must_use]
    pub fn find(&self, step: usize, kind: &str) -> Option<&Source> {
        self.sources.iter().find(|source| source.step == step && source.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let lock = Lock {
            version: 1,
            sources: vec![Source {
                step: 1,
                kind: "helm-pull".into(),
                name: "cilium".into(),
                version: Some("1.16.5".into()),
                url: "https://helm.cilium.io/cilium-1.16.5.tgz".into(),
                sha256: "ab".repeat(32),
            }],
        };
        let text = lock.render();
        assert!(text.starts_with("# Written by `cozy pkg update`"));
        assert_eq!(Lock::parse(&text, "cozy.lock").unwrap(), lock);
        assert!(
            Lock::parse("version = 1\n[[source]]\nstep = 1\n", "x/cozy.lock")
                .unwrap_err()
                .starts_with("x/cozy.lock:")
        );
    }
}
