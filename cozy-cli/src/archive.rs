//! Safe unpacking of `.tar.gz` chart and source archives into a staging directory.
//!
//! An entry is refused, naming it, when its path is absolute or climbs out with `..`, when it
//! is a symlink or hardlink whose target leaves the destination, when it would be written
//! through a symlink, or when it is a device, FIFO or other special file. The decompressed
//! size is capped, counting the bytes actually read, so a lying header does not help.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// Default cap on decompressed bytes (200 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// Why an archive was refused.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An entry's path or link target leaves the destination.
    #[error("archive entry `{entry}` {reason}")]
    Unsafe {
        /// The entry path as stored.
        entry: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// More than the allowed bytes after decompression.
    #[error("archive is larger than {limit} bytes when decompressed")]
    TooLarge {
        /// The cap.
        limit: u64,
    },
    /// Corrupt data or a write failure.
    #[error("cannot unpack archive: {0}")]
    Io(#[from] io::Error),
}

/// Unpacks gzip-compressed tar `bytes` into `dest` (which must exist), dropping the first
/// `strip` path components of every entry (entries with no more components are skipped).
/// Returns the regular files written, relative to `dest`.
pub fn unpack_tar_gz(
    bytes: &[u8],
    dest: &Path,
    strip: usize,
    max_bytes: u64,
) -> Result<Vec<PathBuf>, Error> {
    unpack(flate2::read::GzDecoder::new(bytes), dest, strip, max_bytes)
}

/// Like [`unpack_tar_gz`] for an uncompressed tar stream (`git archive --format=tar`).
pub fn unpack_tar(
    bytes: &[u8],
    dest: &Path,
    strip: usize,
    max_bytes: u64,
) -> Result<Vec<PathBuf>, Error> {
    unpack(bytes, dest, strip, max_bytes)
}

fn unpack(
    reader: impl Read,
    dest: &Path,
    strip: usize,
    max_bytes: u64,
) -> Result<Vec<PathBuf>, Error> {
    let reader = Capped { inner: reader, left: max_bytes, limit: max_bytes };
    let mut archive = tar::Archive::new(reader);
    let mut written = Vec::new();
    for entry in archive.entries().map_err(capped)? {
        let mut entry = entry.map_err(capped)?;
        let stored = entry.path().map_err(capped)?.into_owned();
        let shown = stored.display().to_string();
        let kind = entry.header().entry_type();
        if matches!(kind, tar::EntryType::XGlobalHeader | tar::EntryType::XHeader) {
            continue;
        }
        let Some(rel) = relative(&stored, strip)
            .map_err(|reason| Error::Unsafe { entry: shown.clone(), reason })?
        else {
            continue;
        };
        if rel.as_os_str().is_empty() {
            continue;
        }
        if through_symlink(dest, &rel) {
            return Err(Error::Unsafe {
                entry: shown,
                reason: "would be written through a symlink",
            });
        }
        let target = dest.join(&rel);
        match kind {
            tar::EntryType::Directory => std::fs::create_dir_all(&target)?,
            tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut file = File::create(&target)?;
                io::copy(&mut entry, &mut file).map_err(capped)?;
                let executable = entry.header().mode().is_ok_and(|mode| mode & 0o111 != 0);
                set_mode(&target, if executable { 0o755 } else { 0o644 })?;
                written.push(rel);
            }
            tar::EntryType::Symlink => {
                let link = entry.link_name().map_err(capped)?.ok_or_else(|| Error::Unsafe {
                    entry: shown.clone(),
                    reason: "is a symlink without a target",
                })?;
                let parent = rel.parent().unwrap_or(Path::new(""));
                if link.is_absolute() || !stays_inside(&parent.join(&link)) {
                    return Err(Error::Unsafe {
                        entry: shown,
                        reason: "is a symlink that points outside the destination",
                    });
                }
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::os::unix::fs::symlink(&link, &target)?;
            }
            tar::EntryType::Link => {
                let link = entry.link_name().map_err(capped)?.ok_or_else(|| Error::Unsafe {
                    entry: shown.clone(),
                    reason: "is a hardlink without a target",
                })?;
                let source =
                    relative(&link, strip).ok().flatten().filter(|source| stays_inside(source));
                let Some(source) = source
                    .filter(|source| dest.join(source).is_file() && !through_symlink(dest, source))
                else {
                    return Err(Error::Unsafe {
                        entry: shown,
                        reason: "is a hardlink to a file outside the destination",
                    });
                };
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::hard_link(dest.join(source), &target)?;
                written.push(rel);
            }
            _ => {
                return Err(Error::Unsafe {
                    entry: shown,
                    reason: "is a device, FIFO or other special file",
                });
            }
        }
    }
    Ok(written)
}

/// The entry path without its first `strip` components; `Ok(None)` when nothing is left.
fn relative(path: &Path, strip: usize) -> Result<Option<PathBuf>, &'static str> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("climbs out of the destination with `..`"),
            Component::RootDir | Component::Prefix(_) => return Err("has an absolute path"),
        }
    }
    if parts.len() <= strip {
        return Ok(None);
    }
    Ok(Some(parts[strip..].iter().collect()))
}

/// Whether a relative path, with `..` resolved lexically, stays inside its root.
fn stays_inside(path: &Path) -> bool {
    let mut depth: usize = 0;
    for component in path.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

/// Whether any existing ancestor of `dest/rel` inside `dest` is a symlink.
fn through_symlink(dest: &Path, rel: &Path) -> bool {
    let mut current = dest.to_path_buf();
    let mut components = rel.components().peekable();
    while let Some(component) = components.next() {
        if components.peek().is_none() {
            break;
        }
        current.push(component);
        if std::fs::symlink_metadata(&current).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// Turns the capped reader's marker error back into [`Error::TooLarge`].
fn capped(err: io::Error) -> Error {
    match err.get_ref().and_then(|inner| inner.downcast_ref::<TooLargeMarker>()) {
        Some(marker) => Error::TooLarge { limit: marker.0 },
        None => Error::Io(err),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("decompressed size limit of {0} bytes exceeded")]
struct TooLargeMarker(u64);

/// A reader that fails once more than `limit` bytes were read.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        let read_u64 = u64::try_from(read).unwrap_or(u64::MAX);
        self.left = self
            .left
            .checked_sub(read_u64)
            .ok_or_else(|| io::Error::other(TooLargeMarker(self.limit)))?;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a tar.gz from (path, kind, data-or-link) entries, writing raw headers so that
    /// hostile paths survive.
    fn archive(entries: &[(&str, tar::EntryType, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::fast(),
        ));
        for (path, kind, data) in entries {
            let mut header = tar::Header::new_gnu();
            {
                let name = &mut header.as_old_mut().name;
                name[..path.len()].copy_from_slice(path.as_bytes());
            }
            header.set_entry_type(*kind);
            header.set_mode(0o644);
            if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
                header.set_link_name(data).unwrap();
                header.set_size(0);
                header.set_cksum();
                builder.append(&header, io::empty()).unwrap();
            } else {
                header.set_size(data.len() as u64);
                header.set_cksum();
                builder.append(&header, data.as_bytes()).unwrap();
            }
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    fn unpack(bytes: &[u8], strip: usize) -> (tempfile::TempDir, Result<Vec<PathBuf>, Error>) {
        let dir = tempfile::tempdir().unwrap();
        let result = unpack_tar_gz(bytes, dir.path(), strip, DEFAULT_MAX_BYTES);
        (dir, result)
    }

    #[test]
    fn unpacks_and_strips() {
        use tar::EntryType::{Directory, Regular, Symlink};
        let bytes = archive(&[
            ("demo/", Directory, ""),
            ("demo/Chart.yaml", Regular, "name: demo\n"),
            ("demo/templates/cm.yaml", Regular, "kind: ConfigMap\n"),
            ("demo/link.yaml", Symlink, "templates/cm.yaml"),
        ]);
        let (dir, result) = unpack(&bytes, 1);
        assert_eq!(
            result.unwrap(),
            [PathBuf::from("Chart.yaml"), PathBuf::from("templates/cm.yaml")]
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("link.yaml")).unwrap(),
            "kind: ConfigMap\n"
        );
    }

    #[track_caller]
    fn refused(entries: &[(&str, tar::EntryType, &str)], expected: &str) {
        let (_dir, result) = unpack(&archive(entries), 0);
        assert_eq!(result.unwrap_err().to_string(), expected);
    }

    #[test]
    fn hostile_entries_are_refused_by_name() {
        use tar::EntryType::{Block, Char, Fifo, Link, Regular, Symlink};
        refused(
            &[("../evil", Regular, "x")],
            "archive entry `../evil` climbs out of the destination with `..`",
        );
        refused(&[("/etc/evil", Regular, "x")], "archive entry `/etc/evil` has an absolute path");
        refused(
            &[("a/../../evil", Regular, "x")],
            "archive entry `a/../../evil` climbs out of the destination with `..`",
        );
        refused(
            &[("up", Symlink, "../../etc")],
            "archive entry `up` is a symlink that points outside the destination",
        );
        refused(
            &[("abs", Symlink, "/etc/passwd")],
            "archive entry `abs` is a symlink that points outside the destination",
        );
        refused(
            &[("hard", Link, "/etc/passwd")],
            "archive entry `hard` is a hardlink to a file outside the destination",
        );
        refused(
            &[("dev", Char, "")],
            "archive entry `dev` is a device, FIFO or other special file",
        );
        refused(
            &[("blk", Block, "")],
            "archive entry `blk` is a device, FIFO or other special file",
        );
        refused(
            &[("fifo", Fifo, "")],
            "archive entry `fifo` is a device, FIFO or other special file",
        );
        refused(
            &[("dir", Symlink, "."), ("dir/x", Regular, "x")],
            "archive entry `dir/x` would be written through a symlink",
        );
    }

    #[test]
    fn hardlink_inside_is_allowed() {
        use tar::EntryType::{Link, Regular};
        let (dir, result) =
            unpack(&archive(&[("a.txt", Regular, "same"), ("b.txt", Link, "a.txt")]), 0);
        assert_eq!(result.unwrap().len(), 2);
        assert_eq!(std::fs::read_to_string(dir.path().join("b.txt")).unwrap(), "same");
    }

    #[test]
    fn size_cap_counts_decompressed_bytes() {
        let big = "y".repeat(64 * 1024);
        let bytes = archive(&[("big.txt", tar::EntryType::Regular, &big)]);
        let dir = tempfile::tempdir().unwrap();
        let err = unpack_tar_gz(&bytes, dir.path(), 0, 10_000).unwrap_err();
        assert_eq!(err.to_string(), "archive is larger than 10000 bytes when decompressed");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let (_dir, result) = unpack(b"not a gzip stream", 0);
        assert!(matches!(result, Err(Error::Io(_))));
    }
}
