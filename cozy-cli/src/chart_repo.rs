//! HTTP chart repositories: `index.yaml`, choosing a version the way `helm pull --version`
//! does, and downloading a chart with its index digest checked.
//!
//! Index parsing and resolution are pure; [`Client`] does the network, with bounded retries
//! for 5xx answers and timeouts. Credentials go only to the repository's own host: reqwest
//! drops the `Authorization` header on a redirect to another host, scheme or port.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::version_constraint;

/// A parsed `index.yaml`.
#[derive(Debug, Default, Deserialize)]
pub struct Index {
    #[serde(default)]
    entries: BTreeMap<String, Vec<Entry>>,
}

/// One chart version of an index.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Chart version.
    pub version: String,
    /// Download URLs, absolute or relative to the repository URL.
    #[serde(default)]
    pub urls: Vec<String>,
    /// Hex sha256 of the `.tgz`.
    #[serde(default)]
    pub digest: Option<String>,
    /// Upstream application version.
    #[serde(default)]
    pub app_version: Option<String>,
}

impl Index {
    /// Parses index.yaml text.
    pub fn parse(text: &str) -> Result<Index, String> {
        serde_yaml::from_str(text).map_err(|err| crate::yaml_error::describe("index.yaml", &err))
    }

    /// The entry of `chart` chosen by `constraint` (latest release when `None`), as Helm
    /// chooses it: an exact version string wins, else the highest satisfying version.
    pub fn resolve(&self, chart: &str, constraint: Option<&str>) -> Result<&Entry, String> {
        let entries = self
            .entries
            .get(chart)
            .ok_or_else(|| format!("chart `{chart}` is not in the repository index"))?;
        let wanted = constraint.unwrap_or("");
        let chosen = version_constraint::best_match(
            wanted,
            entries.iter().map(|entry| entry.version.as_str()),
        )?;
        let chosen = chosen.ok_or_else(|| match constraint {
            Some(constraint) => format!("no version of chart `{chart}` satisfies `{constraint}`"),
            None => format!("chart `{chart}` has no released version"),
        })?;
        entries
            .iter()
            .find(|entry| entry.version == chosen)
            .ok_or_else(|| format!("chart `{chart}` lost version {chosen}"))
    }
}

/// The absolute download URL of `entry` in the repository at `repo_url`.
pub fn entry_url(repo_url: &str, entry: &Entry) -> Result<reqwest::Url, String> {
    let first = entry
        .urls
        .first()
        .ok_or_else(|| format!("index entry {} has no download URL", entry.version))?;
    let base = reqwest::Url::parse(&format!("{}/", repo_url.trim_end_matches('/')))
        .map_err(|err| format!("`{repo_url}`: {err}"))?;
    base.join(first).map_err(|err| format!("`{first}`: {err}"))
}

/// Checks `bytes` against a hex sha256 digest (with or without a `sha256:` prefix).
pub fn verify_digest(bytes: &[u8], expected: &str, what: &str) -> Result<(), String> {
    let expected = expected.strip_prefix("sha256:").unwrap_or(expected).to_ascii_lowercase();
    let actual = format!("{:x}", Sha256::digest(bytes));
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: sha256 is {actual}, but the index says {expected}"))
    }
}

/// Hex sha256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// An HTTP client for chart repositories and downloads.
#[derive(Debug)]
pub struct Client {
    http: reqwest::blocking::Client,
    retries: u32,
    first_delay: Duration,
    credentials: Option<(String, String)>,
}

impl Client {
    /// A client with `retries` extra attempts for 5xx answers and timeouts, waiting
    /// `first_delay`, then twice as long each time; `credentials` are sent as basic auth.
    pub fn new(
        retries: u32,
        first_delay: Duration,
        credentials: Option<(String, String)>,
    ) -> Result<Client, String> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("cozy/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_mins(2))
            .build()
            .map_err(|err| format!("cannot start the HTTP client: {err}"))?;
        Ok(Client { http, retries, first_delay, credentials })
    }

    /// GETs `url`; an error names the URL and the status.
    pub fn get(&self, url: &reqwest::Url) -> Result<Vec<u8>, String> {
        let mut delay = self.first_delay;
        let mut attempt = 0;
        loop {
            let mut request = self.http.get(url.clone());
            if let Some((user, password)) = &self.credentials {
                request = request.basic_auth(user, Some(password));
            }
            let retryable = match request.send() {
                Ok(response) if response.status().is_success() => {
                    return response
                        .bytes()
                        .map(|bytes| bytes.to_vec())
                        .map_err(|err| format!("GET {url}: {err}"));
                }
                Ok(response) if response.status().is_server_error() => {
                    format!("GET {url}: HTTP {}", response.status())
                }
                Ok(response) => return Err(format!("GET {url}: HTTP {}", response.status())),
                Err(err) if err.is_timeout() || err.is_connect() => format!("GET {url}: {err}"),
                Err(err) => return Err(format!("GET {url}: {err}")),
            };
            if attempt >= self.retries {
                return Err(format!("{retryable} (after {} attempts)", attempt + 1));
            }
            attempt += 1;
            std::thread::sleep(delay);
            delay *= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "apiVersion: v1\nentries:\n  demo:\n  - version: 1.16.5\n    urls: [demo-1.16.5.tgz]\n    digest: abc\n  - version: 1.17.0-rc.1\n    urls: [https://cdn.example.invalid/demo-1.17.0-rc.1.tgz]\n  - version: 1.16.3\n    urls: [charts/demo-1.16.3.tgz]\ngenerated: \"2026-01-01T00:00:00Z\"\n";

    #[test]
    fn resolves_like_helm() {
        let index = Index::parse(INDEX).unwrap();
        assert_eq!(index.resolve("demo", None).unwrap().version, "1.16.5");
        assert_eq!(index.resolve("demo", Some("~1.16.0")).unwrap().version, "1.16.5");
        assert_eq!(index.resolve("demo", Some("1.16.3")).unwrap().version, "1.16.3");
        assert_eq!(index.resolve("demo", Some(">=1.17.0-0")).unwrap().version, "1.17.0-rc.1");
        assert_eq!(
            index.resolve("demo", Some("2")).unwrap_err(),
            "no version of chart `demo` satisfies `2`"
        );
        assert_eq!(
            index.resolve("other", None).unwrap_err(),
            "chart `other` is not in the repository index"
        );
    }

    #[test]
    fn urls_are_absolute_or_relative_to_the_repository() {
        let index = Index::parse(INDEX).unwrap();
        let url = |version: &str| {
            let entry = index.resolve("demo", Some(version)).unwrap();
            entry_url("http://127.0.0.1:8080/stable", entry).unwrap().to_string()
        };
        assert_eq!(url("1.16.5"), "http://127.0.0.1:8080/stable/demo-1.16.5.tgz");
        assert_eq!(url("1.16.3"), "http://127.0.0.1:8080/stable/charts/demo-1.16.3.tgz");
        assert_eq!(url(">=1.17.0-0"), "https://cdn.example.invalid/demo-1.17.0-rc.1.tgz");
    }

    #[test]
    fn digests() {
        let digest = sha256_hex(b"chart");
        verify_digest(b"chart", &digest, "demo").unwrap();
        verify_digest(b"chart", &format!("sha256:{}", digest.to_uppercase()), "demo").unwrap();
        let err = verify_digest(b"tampered", &digest, "demo-1.0.0.tgz").unwrap_err();
        assert!(err.starts_with("demo-1.0.0.tgz: sha256 is "), "{err}");
    }

    #[test]
    fn broken_index_names_the_line() {
        let err = Index::parse("entries:\n  demo:\n  - version: [1\n").unwrap_err();
        assert!(err.starts_with("index.yaml:"), "{err}");
    }
}
