//! Finds the repository root and discovers its packages: every `packages/<kind>/<name>/Chart.yaml`.
//!
//! The root is the nearest ancestor with a `cozy.toml` that has a `[workspace]` table, else the
//! nearest ancestor holding `packages/<kind>/<name>/Chart.yaml`, so cozy also works on an
//! unmigrated checkout. Packages are sorted by path. A broken Chart.yaml does not stop discovery
//! (the package carries the error); a broken `cozy.toml` does, since every verb depends on it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::chart::Chart;
use crate::error::Failure;
use crate::fsx;
use crate::manifest::PackageManifest;
use crate::platform::{self, Component};
use crate::workspace_manifest::{self, WorkspaceManifest};
use crate::yaml_error;

/// The manifest file name, at the root and in packages.
pub const MANIFEST_FILE: &str = "cozy.toml";

/// A repository and its packages.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    manifest: WorkspaceManifest,
    // Invariant: sorted by `rel`, no duplicates.
    packages: Vec<Package>,
    by_rel: HashMap<String, usize>,
}

/// One package: `packages/<kind>/<name>` with a Chart.yaml.
#[derive(Debug)]
pub struct Package {
    /// The directory under `packages/`: core, system, apps, extra, library, or any other.
    pub kind: String,
    /// The package directory name.
    pub name: String,
    /// `packages/<kind>/<name>`, with `/` separators.
    pub rel: String,
    /// Absolute path of the package directory.
    pub dir: PathBuf,
    /// The parsed Chart.yaml, or why it could not be read (`path:line:col: reason`).
    pub chart: Result<Chart, String>,
    /// The package's `cozy.toml`, or the defaults when there is none.
    pub manifest: PackageManifest,
}

impl Workspace {
    /// Finds the root from `start` and loads the workspace.
    pub fn discover(start: &Path) -> anyhow::Result<Workspace> {
        let start = start
            .canonicalize()
            .with_context(|| format!("cannot open directory `{}`", start.display()))?;
        let root = find_root(&start)?;
        Workspace::load(&root)
    }

    /// Loads the workspace rooted at `root` (an absolute, canonical path).
    pub fn load(root: &Path) -> anyhow::Result<Workspace> {
        let manifest_path = root.join(MANIFEST_FILE);
        let manifest = if manifest_path.is_file() {
            let text = fsx::read_to_string(&manifest_path)?;
            if workspace_manifest::declares_workspace(&text) {
                WorkspaceManifest::parse(&text)
                    .map_err(|err| Failure::new(err.at(MANIFEST_FILE)))?
            } else {
                WorkspaceManifest::default()
            }
        } else {
            WorkspaceManifest::default()
        };
        let packages = discover_packages(root)?;
        let by_rel = packages
            .iter()
            .enumerate()
            .map(|(index, package)| (package.rel.clone(), index))
            .collect();
        Ok(Workspace { root: root.to_owned(), manifest, packages, by_rel })
    }

    /// The absolute root directory.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The root `cozy.toml` (defaults when there is none).
    #[must_use]
    pub fn manifest(&self) -> &WorkspaceManifest {
        &self.manifest
    }

    /// All packages, sorted by path.
    #[must_use]
    pub fn packages(&self) -> &[Package] {
        &self.packages
    }

    /// The package at index `index` of [`Workspace::packages`].
    #[must_use]
    pub fn package(&self, index: usize) -> &Package {
        &self.packages[index]
    }

    /// The index of the package whose directory is `packages/<kind>/<name>` or contains the
    /// root-relative path `rel` (`/`-separated).
    #[must_use]
    pub fn package_containing(&self, rel: &str) -> Option<usize> {
        let mut parts = rel.split('/');
        let (Some("packages"), Some(kind), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        self.by_rel.get(&format!("packages/{kind}/{name}")).copied()
    }

    /// Every platform component (lifecycle.md §2) from the sources directory; none when it is absent.
    pub fn platform_components(&self) -> anyhow::Result<Vec<Component>> {
        let dir = self.root().join(self.manifest().platform_sources());
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
        let mut files: Vec<_> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml"))
            .collect();
        files.sort();
        let mut components = Vec::new();
        for file in files {
            let text = fsx::read_to_string(&file)?;
            let shown = self.relative(&file).unwrap_or_else(|| file.display().to_string());
            let parsed = platform::parse_sources(&text)
                .map_err(|err| Failure::new(yaml_error::describe(&shown, &err)))?;
            components.extend(parsed);
        }
        Ok(components)
    }

    /// `path` relative to the root with `/` separators, when it is inside the root.
    #[must_use]
    pub fn relative(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        Some(
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        )
    }
}

impl Package {
    /// The manifest path relative to the root, for messages.
    #[must_use]
    pub fn manifest_rel(&self) -> String {
        format!("{}/{MANIFEST_FILE}", self.rel)
    }
}

/// The root for a canonical `start` directory.
fn find_root(start: &Path) -> anyhow::Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join(MANIFEST_FILE);
        if manifest.is_file()
            && std::fs::read_to_string(&manifest)
                .is_ok_and(|text| workspace_manifest::declares_workspace(&text))
        {
            return Ok(dir.to_owned());
        }
    }
    for dir in start.ancestors() {
        if holds_packages(dir) {
            return Ok(dir.to_owned());
        }
    }
    Err(Failure::new(format!(
        "not inside a cozy repository: looked for a `{MANIFEST_FILE}` with a `[workspace]` table or a \
         `packages/<kind>/<name>/Chart.yaml` in `{}` and every parent directory",
        start.display()
    ))
    .hint("run cozy inside a platform repository, or point at one with `-C DIR`")
    .into())
}

fn holds_packages(dir: &Path) -> bool {
    let Ok(kinds) = std::fs::read_dir(dir.join("packages")) else { return false };
    kinds.flatten().any(|kind| {
        std::fs::read_dir(kind.path())
            .is_ok_and(|names| names.flatten().any(|name| name.path().join("Chart.yaml").is_file()))
    })
}

fn discover_packages(root: &Path) -> anyhow::Result<Vec<Package>> {
    let packages_dir = root.join("packages");
    if !packages_dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut dirs = Vec::new();
    let walker = walkdir::WalkDir::new(&packages_dir).min_depth(2).max_depth(2).sort_by_file_name();
    for entry in walker {
        let entry =
            entry.with_context(|| format!("failed to read `{}`", packages_dir.display()))?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.')
            || entry.path().parent().is_some_and(|kind| file_name(kind).starts_with('.'));
        if entry.file_type().is_dir() && !hidden && entry.path().join("Chart.yaml").is_file() {
            dirs.push(entry.into_path());
        }
    }
    // Parsing dominates on a real tree (~170 packages); packages are independent. A small tree
    // loads faster on this thread than it takes to start worker threads, whose idle spinning
    // would also compete with the helm or docker process the command starts next.
    if dirs.len() < PARALLEL_LOAD_MIN {
        return dirs.into_iter().map(load_package).collect();
    }
    dirs.into_par_iter().map(load_package).collect()
}

/// Below this many packages, loading runs on one thread.
const PARALLEL_LOAD_MIN: usize = 32;

fn load_package(dir: PathBuf) -> anyhow::Result<Package> {
    let name = file_name(&dir);
    let kind = dir.parent().map(file_name).unwrap_or_default();
    let rel = format!("packages/{kind}/{name}");
    let chart = load_chart(&dir.join("Chart.yaml"), &rel);
    let manifest = load_manifest(&dir, &rel)?;
    Ok(Package { kind, name, rel, dir, chart, manifest })
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

fn load_chart(path: &Path, rel: &str) -> Result<Chart, String> {
    let shown = format!("{rel}/Chart.yaml");
    let text =
        std::fs::read_to_string(path).map_err(|err| format!("{shown}: cannot read: {err}"))?;
    Chart::parse(&text).map_err(|err| yaml_error::describe(&shown, &err))
}

fn load_manifest(dir: &Path, rel: &str) -> anyhow::Result<PackageManifest> {
    let path = dir.join(MANIFEST_FILE);
    if !path.exists() {
        return Ok(PackageManifest::default());
    }
    let text = fsx::read_to_string(&path)?;
    PackageManifest::parse(&text)
        .map_err(|err| Failure::new(err.at(&format!("{rel}/{MANIFEST_FILE}"))).into())
}
