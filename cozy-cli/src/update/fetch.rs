//! Fetching steps: `helm-pull` (HTTP chart repositories natively, `oci://` through helm),
//! `download` and `archive`. Each fetch lands in a scratch directory inside the staging copy
//! and replaces its destination only once it is complete and checked.

use std::path::{Path, PathBuf};

use crate::archive;
use crate::chart::Chart;
use crate::chart_repo::{self, Index};
use crate::fsx;
use crate::manifest::VersionSource;
use crate::tool::Tool;
use crate::update::lock::Source;
use crate::update::session::Session;

/// The fields of a `helm-pull` step.
pub struct HelmPull<'s> {
    /// HTTP repository URL.
    pub repo: Option<&'s str>,
    /// `oci://` chart reference.
    pub oci: Option<&'s str>,
    /// Chart name.
    pub chart: &'s str,
    /// Version or constraint.
    pub version: Option<&'s VersionSource>,
    /// Destination relative to the package.
    pub dest: Option<&'s str>,
    /// Required version of the pulled chart.
    pub expect_version: Option<&'s str>,
    /// Paths inside the destination to delete.
    pub remove: &'s [String],
    /// Paths to delete before moving the result in.
    pub clean: &'s [String],
    /// Variable that receives the version.
    pub as_var: Option<&'s str>,
}

/// Runs a `helm-pull` step (1-based `step`).
pub fn helm_pull(
    session: &mut Session<'_>,
    step: usize,
    pull: &HelmPull<'_>,
) -> Result<(), String> {
    let constraint = pull.version.map(|source| session.version(source)).transpose()?;
    let locked = session.locked_source(step, "helm-pull")?.cloned();
    let (bytes, url) = match (pull.repo, pull.oci, locked) {
        (_, _, Some(locked)) if locked.url.starts_with("oci://") => {
            let (bytes, url) =
                oci_pull(session, &locked.url, pull.chart, locked.version.as_deref())?;
            chart_repo::verify_digest(&bytes, &locked.sha256, &locked.url)?;
            (bytes, url)
        }
        (_, _, Some(locked)) => {
            let url = parse_url(&locked.url)?;
            let bytes = session.client.get(&url)?;
            chart_repo::verify_digest(&bytes, &locked.sha256, &locked.url)?;
            (bytes, locked.url)
        }
        (Some(repo), None, None) => {
            let index_url = parse_url(&format!("{}/index.yaml", repo.trim_end_matches('/')))?;
            let index = Index::parse(&String::from_utf8_lossy(&session.client.get(&index_url)?))
                .map_err(|err| format!("{index_url}: {err}"))?;
            let entry = index.resolve(pull.chart, constraint.as_deref())?;
            let url = chart_repo::entry_url(repo, entry)?;
            let bytes = session.client.get(&url)?;
            if let Some(digest) = &entry.digest {
                chart_repo::verify_digest(&bytes, digest, url.as_str())?;
            }
            (bytes, url.to_string())
        }
        (None, Some(oci), None) => oci_pull(session, oci, pull.chart, constraint.as_deref())?,
        _ => return Err("set exactly one of `repo` and `oci`".to_owned()),
    };
    let dest = pull.dest.map_or_else(|| format!("charts/{}", pull.chart), str::to_owned);
    let old_version =
        read_chart(&session.path(&dest)?.join("Chart.yaml")).ok().map(|chart| chart.version);
    let scratch = scratch_dir(session)?;
    archive::unpack_tar_gz(&bytes, scratch.path(), 1, session.max_bytes)
        .map_err(|err| format!("{url}: {err}"))?;
    let chart =
        read_chart(&scratch.path().join("Chart.yaml")).map_err(|err| format!("{url}: {err}"))?;
    if let Some(expected) = pull.expect_version
        && chart.version != expected
    {
        return Err(format!(
            "{url}: pulled version {}, but `expect_version` is {expected}",
            chart.version
        ));
    }
    for rel in pull.remove {
        remove_path(&inside(scratch.path(), rel)?)?;
    }
    place(session, scratch.path(), &dest, pull.clean)?;
    session.notes.push(match old_version {
        Some(old) if old == chart.version => {
            format!("{} {} (unchanged)", pull.chart, chart.version)
        }
        Some(old) => format!("{} {old} → {}", pull.chart, chart.version),
        None => format!("{} {} (new)", pull.chart, chart.version),
    });
    if let Some(name) = pull.as_var {
        session.vars.set(name, chart.version.clone());
    }
    record(session, step, "helm-pull", pull.chart, Some(chart.version), url, &bytes);
    Ok(())
}

/// Runs a `download` step.
pub fn download(
    session: &mut Session<'_>,
    step: usize,
    url: &str,
    version: Option<&VersionSource>,
    dest: &str,
    clean: &[String],
    as_var: Option<&str>,
) -> Result<(), String> {
    let version = version.map(|source| session.version(source)).transpose()?;
    let locked = session.locked_source(step, "download")?.cloned();
    let url = match &locked {
        Some(locked) => locked.url.clone(),
        None => session.render(url, version.as_deref())?,
    };
    let bytes = session.client.get(&parse_url(&url)?)?;
    if let Some(locked) = &locked {
        chart_repo::verify_digest(&bytes, &locked.sha256, &url)?;
    }
    for rel in clean {
        remove_path(&session.path(rel)?)?;
    }
    let target = session.path(dest)?;
    create_parent(&target)?;
    fsx::write_atomic(&target, &bytes).map_err(|err| format!("{err:#}"))?;
    if let (Some(name), Some(version)) = (as_var, &version) {
        session.vars.set(name, version.clone());
    }
    let version = locked.and_then(|locked| locked.version).or(version);
    record(session, step, "download", dest, version, url, &bytes);
    Ok(())
}

/// The fields of an `archive` step.
pub struct ArchiveStep<'s> {
    /// `owner/repo` on GitHub.
    pub github: Option<&'s str>,
    /// URL template.
    pub url: Option<&'s str>,
    /// Tag or branch.
    pub git_ref: Option<&'s VersionSource>,
    /// Directory inside the archive.
    pub subpath: Option<&'s str>,
    /// Destination relative to the package.
    pub dest: &'s str,
    /// Paths (relative to `subpath`) to keep; everything when empty.
    pub keep: &'s [String],
    /// Paths to delete before moving the result in.
    pub clean: &'s [String],
    /// Variable that receives the ref.
    pub as_var: Option<&'s str>,
}

/// Runs an `archive` step: a `.tar.gz` whose single top directory is stripped.
pub fn archive(
    session: &mut Session<'_>,
    step: usize,
    spec: &ArchiveStep<'_>,
) -> Result<(), String> {
    let git_ref = spec.git_ref.map(|source| session.version(source)).transpose()?;
    let locked = session.locked_source(step, "archive")?.cloned();
    let url = match (&locked, spec.github, spec.url) {
        (Some(locked), _, _) => locked.url.clone(),
        (None, Some(github), None) => {
            let git_ref = git_ref.as_deref().ok_or("an `archive` from `github` needs `ref`")?;
            format!(
                "{}/{github}/archive/{git_ref}.tar.gz",
                session.endpoints.github.trim_end_matches('/')
            )
        }
        (None, None, Some(url)) => session.render(url, git_ref.as_deref())?,
        _ => return Err("set exactly one of `github` and `url`".to_owned()),
    };
    let bytes = session.client.get(&parse_url(&url)?)?;
    if let Some(locked) = &locked {
        chart_repo::verify_digest(&bytes, &locked.sha256, &url)?;
    }
    let scratch = scratch_dir(session)?;
    archive::unpack_tar_gz(&bytes, scratch.path(), 1, session.max_bytes)
        .map_err(|err| format!("{url}: {err}"))?;
    let taken = match spec.subpath {
        Some(subpath) => inside(scratch.path(), subpath)?,
        None => scratch.path().to_owned(),
    };
    if !taken.is_dir() {
        return Err(format!(
            "{url}: no directory `{}` in the archive",
            spec.subpath.unwrap_or(".")
        ));
    }
    let result = if spec.keep.is_empty() {
        taken
    } else {
        let kept = scratch.path().join(".cozy-keep");
        for rel in spec.keep {
            let from = inside(&taken, rel)?;
            if !from.exists() {
                return Err(format!("{url}: `keep` path `{rel}` is not in the archive"));
            }
            let to = kept.join(rel);
            create_parent(&to)?;
            std::fs::rename(&from, &to).map_err(|err| format!("cannot move `{rel}`: {err}"))?;
        }
        kept
    };
    place(session, &result, spec.dest, spec.clean)?;
    if let (Some(name), Some(git_ref)) = (spec.as_var, &git_ref) {
        session.vars.set(name, git_ref.clone());
    }
    let version = locked.and_then(|locked| locked.version).or(git_ref);
    record(session, step, "archive", spec.dest, version, url, &bytes);
    Ok(())
}

fn oci_pull(
    session: &Session<'_>,
    oci: &str,
    chart: &str,
    version: Option<&str>,
) -> Result<(Vec<u8>, String), String> {
    let scratch = scratch_dir(session)?;
    let mut call = session
        .runner
        .cmd(Tool::Helm)
        .arg("pull")
        .arg(oci)
        .arg("--destination")
        .arg(scratch.path());
    if let Some(version) = version {
        call = call.arg("--version").arg(version);
    }
    call.read().map_err(|err| format!("{err:#}"))?;
    let tgz = std::fs::read_dir(scratch.path())
        .map_err(|err| err.to_string())?
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "tgz"))
        .ok_or_else(|| format!("`helm pull {oci}` left no chart archive for `{chart}`"))?;
    let bytes =
        std::fs::read(&tgz).map_err(|err| format!("cannot read `{}`: {err}", tgz.display()))?;
    Ok((bytes, oci.to_owned()))
}

/// Replaces `dest` (inside the stage) with the directory `from`, after removing `clean` paths.
fn place(session: &Session<'_>, from: &Path, dest: &str, clean: &[String]) -> Result<(), String> {
    for rel in clean {
        remove_path(&session.path(rel)?)?;
    }
    let target = session.path(dest)?;
    remove_path(&target)?;
    create_parent(&target)?;
    std::fs::rename(from, &target)
        .map_err(|err| format!("cannot move the fetched tree to `{dest}`: {err}"))
}

fn record(
    session: &mut Session<'_>,
    step: usize,
    kind: &str,
    name: &str,
    version: Option<String>,
    url: String,
    bytes: &[u8],
) {
    session.new_lock.sources.push(Source {
        step,
        kind: kind.to_owned(),
        name: name.to_owned(),
        version,
        url,
        sha256: chart_repo::sha256_hex(bytes),
    });
}

fn scratch_dir(session: &Session<'_>) -> Result<tempfile::TempDir, String> {
    tempfile::Builder::new()
        .prefix(".cozy-fetch-")
        .tempdir_in(&session.stage)
        .map_err(|err| format!("cannot create a scratch directory: {err}"))
}

fn read_chart(path: &Path) -> Result<Chart, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read `{}`: {err}", path.display()))?;
    Chart::parse(&text).map_err(|err| crate::yaml_error::describe("Chart.yaml", &err))
}

fn parse_url(url: &str) -> Result<reqwest::Url, String> {
    reqwest::Url::parse(url).map_err(|err| format!("`{url}`: {err}"))
}

/// `rel` under `root`, refusing absolute paths and `..`.
fn inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    if Path::new(rel)
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_) | std::path::Component::CurDir))
    {
        return Err(format!("`{rel}` must be a relative path without `..`"));
    }
    Ok(root.join(rel))
}

/// Removes a file, a symlink (never its target) or a directory tree; missing is fine.
pub fn remove_path(path: &Path) -> Result<(), String> {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return Ok(()) };
    let result =
        if meta.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    result.map_err(|err| format!("cannot remove `{}`: {err}", path.display()))
}

/// Creates the parent directory of `path`.
pub fn create_parent(path: &Path) -> Result<(), String> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create `{}`: {err}", parent.display())),
        None => Ok(()),
    }
}
