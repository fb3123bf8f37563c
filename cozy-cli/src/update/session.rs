//! The state of one package's update while its steps run: the staging directory, variables,
//! the old and new lock, and what to report.

use std::path::{Component, Path, PathBuf};

use crate::chart_repo::Client;
use crate::manifest::VersionSource;
use crate::tool::{Runner, Tool};
use crate::update::lock::{Lock, Source};
use crate::update::template;
use crate::update::vars::Vars;

/// Base URLs of public services, overridable so tests talk to 127.0.0.1 only.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// `https://github.com` (archives).
    pub github: String,
    /// `https://api.github.com` (latest releases).
    pub github_api: String,
}

impl Endpoints {
    /// `COZY_GITHUB_URL` and `COZY_GITHUB_API_URL`, else the public GitHub.
    #[must_use]
    pub fn from_env() -> Endpoints {
        Endpoints {
            github: crate::env::var(crate::env::GITHUB_URL)
                .unwrap_or_else(|| "https://github.com".to_owned()),
            github_api: crate::env::var(crate::env::GITHUB_API_URL)
                .unwrap_or_else(|| "https://api.github.com".to_owned()),
        }
    }
}

/// One package's update in progress.
pub struct Session<'a> {
    /// Starts git, helm, patch, gzip and `run` programs.
    pub runner: &'a Runner,
    /// Fetches over HTTP.
    pub client: &'a Client,
    /// Public service URLs.
    pub endpoints: &'a Endpoints,
    /// The staging copy of the package.
    pub stage: PathBuf,
    /// `packages/<kind>/<name>`, for messages.
    pub package: String,
    /// `[vars]` and `as` values.
    pub vars: Vars,
    /// The lock as it was before the update, when there is one.
    pub old_lock: Option<Lock>,
    /// `--locked`: fetch exactly what `old_lock` records.
    pub locked: bool,
    /// Decompressed size cap for archives.
    pub max_bytes: u64,
    /// What this update fetched, for the new lock.
    pub new_lock: Lock,
    /// Version moves to report, e.g. `cilium 1.16.3 → 1.16.5`.
    pub notes: Vec<String>,
}

impl Session<'_> {
    /// `rel` inside the staging copy; absolute paths and `..` that leave the package are refused.
    pub fn path(&self, rel: &str) -> Result<PathBuf, String> {
        let mut depth: usize = 0;
        for component in Path::new(rel).components() {
            match component {
                Component::Normal(_) => depth += 1,
                Component::CurDir => {}
                Component::ParentDir => {
                    depth = depth.checked_sub(1).ok_or_else(|| {
                        format!(
                            "`{rel}` is outside the package; steps write inside their package only"
                        )
                    })?;
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(format!("`{rel}` is absolute; paths are relative to the package"));
                }
            }
        }
        Ok(self.stage.join(rel))
    }

    /// Renders placeholders: `{var:NAME}`, `{version}` (when `version` is given), `{package}`, `{group}`.
    pub fn render(&self, text: &str, version: Option<&str>) -> Result<String, String> {
        template::render(text, |name| match (name, version) {
            ("version", Some(version)) => Ok(version.to_owned()),
            ("package", _) => Ok(self.package.rsplit('/').next().unwrap_or_default().to_owned()),
            ("group", _) => Ok(self.package.split('/').nth(1).unwrap_or_default().to_owned()),
            (name, _) => match name.strip_prefix("var:") {
                Some(var) => self.vars.get(var, &self.stage),
                None => Err(format!("unknown placeholder `{{{name}}}`")),
            },
        })
    }

    /// Resolves a version source to a string: a literal (templates rendered), a variable, or
    /// a lookup in git or GitHub.
    pub fn version(&self, source: &VersionSource) -> Result<String, String> {
        match source {
            VersionSource::Literal(text) => self.render(text, None),
            VersionSource::Var { var } => self.vars.get(var, &self.stage),
            VersionSource::GitTags { git_tags, match_, capture } => {
                let listed = self.git(&["ls-remote", "--tags", "--sort=v:refname", git_tags])?;
                let filter = compile(match_.as_deref())?;
                let capture = compile(capture.as_deref())?;
                let tags = git_tag_names(&listed);
                let tag = tags
                    .iter()
                    .rev()
                    .find(|tag| filter.as_ref().is_none_or(|re| re.is_match(tag)))
                    .ok_or_else(|| format!("no tag of {git_tags} matches"))?;
                match capture {
                    Some(re) => re
                        .captures(tag)
                        .and_then(|captures| captures.get(1))
                        .map(|group| group.as_str().to_owned())
                        .ok_or_else(|| format!("capture does not match tag `{tag}`")),
                    None => Ok(tag.clone()),
                }
            }
            VersionSource::GitBranchHead { git_branch_head, branch } => {
                let branch = branch.as_deref().unwrap_or("main");
                let listed =
                    self.git(&["ls-remote", git_branch_head, &format!("refs/heads/{branch}")])?;
                listed
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{git_branch_head} has no branch `{branch}`"))
            }
            VersionSource::GithubLatestRelease { github_latest_release, field } => {
                let url = format!(
                    "{}/repos/{github_latest_release}/releases/latest",
                    self.endpoints.github_api.trim_end_matches('/')
                );
                let url = reqwest::Url::parse(&url).map_err(|err| format!("`{url}`: {err}"))?;
                let body = self.client.get(&url)?;
                let release: serde_json::Value =
                    serde_json::from_slice(&body).map_err(|err| format!("GET {url}: {err}"))?;
                let field = field.as_deref().unwrap_or("tag_name");
                release[field]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("GET {url}: no `{field}` in the answer"))
            }
        }
    }

    /// The lock entry for step `step` under `--locked`, which must exist.
    pub fn locked_source(&self, step: usize, kind: &str) -> Result<Option<&Source>, String> {
        if !self.locked {
            return Ok(None);
        }
        let lock = self
            .old_lock
            .as_ref()
            .ok_or_else(|| format!("--locked, but {}/cozy.lock does not exist", self.package))?;
        lock.find(step, kind).map(Some).ok_or_else(|| {
            format!(
                "--locked, but {}/cozy.lock has no entry for step {step} (`{kind}`)",
                self.package
            )
        })
    }

    fn git(&self, args: &[&str]) -> Result<String, String> {
        self.runner.cmd(Tool::Git).args(args).read().map_err(|err| format!("{err:#}"))
    }
}

fn compile(pattern: Option<&str>) -> Result<Option<regex::Regex>, String> {
    pattern
        .map(|pattern| {
            regex::Regex::new(pattern).map_err(|err| format!("invalid regex `{pattern}`: {err}"))
        })
        .transpose()
}

/// Tag names from `git ls-remote --tags` output, in order, with peeled `^{}` entries folded.
#[must_use]
pub fn git_tag_names(listed: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in listed.lines() {
        let Some(reference) = line.split('\t').nth(1) else { continue };
        let Some(name) = reference.strip_prefix("refs/tags/") else { continue };
        let name = name.strip_suffix("^{}").unwrap_or(name);
        if names.last().is_none_or(|last| last != name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_fold_peeled_entries() {
        let listed = "a\trefs/tags/v1.0.0\nb\trefs/tags/v1.0.0^{}\nc\trefs/tags/v1.1.0-edge\nd\trefs/heads/main\n";
        assert_eq!(git_tag_names(listed), ["v1.0.0", "v1.1.0-edge"]);
    }
}
