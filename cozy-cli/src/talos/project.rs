//! The Talos package of a workspace: where `talos.toml` and `talos.lock` are, and where
//! outputs go.

use std::path::{Path, PathBuf};

use crate::talos::config::{self, Arch, Config};
use crate::talos::lock::{self, Lock};

/// `talos.toml` and `talos.lock` of the workspace, read once.
#[derive(Debug)]
pub struct Project {
    /// The repository root.
    pub root: PathBuf,
    /// The package directory holding `talos.toml`.
    pub dir: PathBuf,
    /// The parsed config.
    pub config: Config,
    /// Its bytes (hashed into reports).
    pub config_text: String,
    /// The lock and its text, when there is one.
    pub lock: Option<(Lock, String)>,
    /// The workspace's `[defaults]` (registry, image source label).
    pub defaults: crate::workspace_manifest::Defaults,
}

impl Project {
    /// Finds the one package with a `talos.toml` in the workspace and reads it.
    pub fn load(workspace: &crate::workspace::Workspace) -> anyhow::Result<Project> {
        let dirs: Vec<&Path> = workspace
            .packages()
            .iter()
            .map(|package| package.dir.as_path())
            .filter(|dir| dir.join(config::FILE).is_file())
            .collect();
        let dir = match dirs.as_slice() {
            [one] => one.to_path_buf(),
            [] => anyhow::bail!(
                "no package has a {}; Talos builds are described in packages/core/talos/{}",
                config::FILE,
                config::FILE
            ),
            many => anyhow::bail!(
                "several packages have a {}: {}",
                config::FILE,
                many.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        };
        let mut project = Project::open(workspace.root(), &dir)?;
        project.defaults = workspace.manifest().defaults.clone().unwrap_or_default();
        Ok(project)
    }

    /// Reads `talos.toml` (and `talos.lock` when present) in `dir`.
    pub fn open(root: &Path, dir: &Path) -> anyhow::Result<Project> {
        let config_path = dir.join(config::FILE);
        let config_text = crate::fsx::read_to_string(&config_path)?;
        let config = Config::parse(&config_text)
            .map_err(|err| anyhow::anyhow!(err.at(&display(root, &config_path))))?;
        let lock_path = dir.join(lock::FILE);
        let lock = if lock_path.is_file() {
            let text = crate::fsx::read_to_string(&lock_path)?;
            let lock = Lock::parse(&text)
                .map_err(|err| anyhow::anyhow!(err.at(&display(root, &lock_path))))?;
            Some((lock, text))
        } else {
            None
        };
        Ok(Project {
            root: root.to_path_buf(),
            dir: dir.to_path_buf(),
            config,
            config_text,
            lock,
            defaults: crate::workspace_manifest::Defaults::default(),
        })
    }

    /// The lock, or the error that says how to get one.
    pub fn lock(&self) -> anyhow::Result<&Lock> {
        match &self.lock {
            Some((lock, _)) => Ok(lock),
            None => anyhow::bail!(
                "{} has no {}; run `cozy talos update` to resolve the extension references",
                display(&self.root, &self.dir),
                lock::FILE
            ),
        }
    }

    /// `<root>/<out_dir>`.
    #[must_use]
    pub fn out_dir(&self) -> PathBuf {
        self.root.join(&self.config.build.out_dir)
    }

    /// `<out_dir>/assets/talos`.
    #[must_use]
    pub fn units_dir(&self) -> PathBuf {
        self.out_dir().join("assets").join("talos")
    }

    /// `<out_dir>/assets/talos/<arch>/<variant>`.
    #[must_use]
    pub fn unit_dir(&self, arch: Arch, variant: &str) -> PathBuf {
        self.units_dir().join(arch.as_str()).join(variant)
    }

    /// A path for messages: relative to the root when inside it.
    #[must_use]
    pub fn show(&self, path: &Path) -> String {
        display(&self.root, path)
    }
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}
