//! A staging copy of a package: steps change the copy, and the package directory is replaced
//! by it only when every step succeeded.
//!
//! The copy sits beside the package (same file system) under a hidden name that package
//! discovery skips. The swap is one `renameat2(RENAME_EXCHANGE)` where the file system
//! supports it, so an interrupt leaves either the old or the new tree, never a mix; elsewhere
//! it falls back to two renames. Symlinks (like `charts/cozy-lib`) are copied as symlinks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// A staging copy of one package directory.
#[derive(Debug)]
pub struct Stage {
    package: PathBuf,
    // Dropped (and deleted) unless `commit` moved it into place.
    dir: tempfile::TempDir,
}

impl Stage {
    /// Copies `package` into a new hidden sibling directory.
    pub fn new(package: &Path) -> anyhow::Result<Stage> {
        let parent = package.parent().context("a package directory has a parent")?;
        let name =
            package.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = tempfile::Builder::new()
            .prefix(&format!(".cozy-stage-{name}-"))
            .tempdir_in(parent)
            .with_context(|| {
                format!("cannot create a staging directory in `{}`", parent.display())
            })?;
        copy_tree(package, dir.path())?;
        // The staging copy replaces the package: it must not keep tempfile's private 0700.
        let mode = std::fs::metadata(package)
            .with_context(|| format!("cannot read `{}`", package.display()))?
            .permissions();
        std::fs::set_permissions(dir.path(), mode)
            .with_context(|| format!("cannot set permissions on `{}`", dir.path().display()))?;
        Ok(Stage { package: package.to_owned(), dir })
    }

    /// The staging directory, where steps work.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Files whose contents differ between the package and the staging copy, relative to the
    /// package, with whether each was added, changed or removed.
    pub fn changes(&self) -> anyhow::Result<Vec<(String, Change)>> {
        let old = snapshot(&self.package)?;
        let new = snapshot(self.dir.path())?;
        let mut changes = Vec::new();
        for (path, content) in &new {
            match old.get(path) {
                None => changes.push((path.clone(), Change::Added)),
                Some(previous) if previous != content => {
                    changes.push((path.clone(), Change::Changed));
                }
                Some(_) => {}
            }
        }
        changes.extend(
            old.keys()
                .filter(|path| !new.contains_key(*path))
                .map(|path| (path.clone(), Change::Removed)),
        );
        changes.sort();
        Ok(changes)
    }

    /// Puts the staging copy in place of the package.
    pub fn commit(self) -> anyhow::Result<()> {
        let staged = self.dir.keep();
        let exchanged = rustix::fs::renameat_with(
            rustix::fs::CWD,
            &staged,
            rustix::fs::CWD,
            &self.package,
            rustix::fs::RenameFlags::EXCHANGE,
        );
        if exchanged.is_ok() {
            // `staged` now holds the old tree.
            return std::fs::remove_dir_all(&staged)
                .with_context(|| format!("cannot remove `{}`", staged.display()));
        }
        let backup = staged.with_extension("old");
        std::fs::rename(&self.package, &backup)
            .with_context(|| format!("cannot move `{}` aside", self.package.display()))?;
        if let Err(err) = std::fs::rename(&staged, &self.package) {
            let _ = std::fs::rename(&backup, &self.package);
            return Err(err).with_context(|| {
                format!("cannot move the update into `{}`", self.package.display())
            });
        }
        std::fs::remove_dir_all(&backup)
            .with_context(|| format!("cannot remove `{}`", backup.display()))
    }
}

/// How a file changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// New file.
    Added,
    /// Different contents.
    Changed,
    /// Gone.
    Removed,
}

/// Copies a directory tree, recreating symlinks instead of following them.
pub fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    for entry in walkdir::WalkDir::new(from).min_depth(1).follow_links(false) {
        let entry = entry.with_context(|| format!("cannot read `{}`", from.display()))?;
        let rel = entry.path().strip_prefix(from).context("walkdir stays below its root")?;
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_symlink() {
            let link = std::fs::read_link(entry.path())
                .with_context(|| format!("cannot read link `{}`", entry.path().display()))?;
            std::os::unix::fs::symlink(&link, &target)
                .with_context(|| format!("cannot create link `{}`", target.display()))?;
        } else if kind.is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("cannot create `{}`", target.display()))?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy `{}`", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Every file (and symlink, by its target) under `root`, by relative path.
fn snapshot(root: &Path) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).min_depth(1).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", root.display()))?;
        let rel = entry
            .path()
            .strip_prefix(root)
            .context("walkdir stays below its root")?
            .to_string_lossy()
            .into_owned();
        if entry.file_type().is_symlink() {
            let link = std::fs::read_link(entry.path())?;
            files.insert(rel, format!("-> {}", link.display()).into_bytes());
        } else if entry.file_type().is_file() {
            files.insert(
                rel,
                std::fs::read(entry.path())
                    .with_context(|| format!("cannot read `{}`", entry.path().display()))?,
            );
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_package_and_dropping_leaves_it() {
        let root = tempfile::tempdir().unwrap();
        let package = root.path().join("cilium");
        std::fs::create_dir_all(package.join("charts")).unwrap();
        crate::fsx::write_atomic(&package.join("values.yaml"), b"a: 1\n").unwrap();
        std::os::unix::fs::symlink("../lib", package.join("charts/lib")).unwrap();

        let stage = Stage::new(&package).unwrap();
        crate::fsx::write_atomic(&stage.path().join("values.yaml"), b"a: 2\n").unwrap();
        crate::fsx::write_atomic(&stage.path().join("new.txt"), b"x").unwrap();
        assert_eq!(
            stage.changes().unwrap(),
            [("new.txt".to_owned(), Change::Added), ("values.yaml".to_owned(), Change::Changed)]
        );
        drop(stage);
        assert_eq!(std::fs::read_to_string(package.join("values.yaml")).unwrap(), "a: 1\n");
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            1,
            "the staging copy is removed"
        );

        let stage = Stage::new(&package).unwrap();
        std::fs::remove_file(stage.path().join("values.yaml")).unwrap();
        assert_eq!(stage.changes().unwrap(), [("values.yaml".to_owned(), Change::Removed)]);
        stage.commit().unwrap();
        assert!(!package.join("values.yaml").exists());
        assert_eq!(
            std::fs::read_link(package.join("charts/lib")).unwrap(),
            PathBuf::from("../lib")
        );
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
