//! File system helpers: atomic writes and IO errors that name the path.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

/// Reads a UTF-8 file; the error names the path.
pub fn read_to_string(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, then a rename.
///
/// A failure or an interrupt never leaves a half-written file at `path`. An existing file's
/// permissions are kept.
pub fn write_atomic(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = temp_file_in(parent)?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("failed to write `{}`", temp.path().display()))?;
    if let Ok(metadata) = std::fs::metadata(path) {
        std::fs::set_permissions(temp.path(), metadata.permissions())
            .with_context(|| format!("failed to set permissions on `{}`", temp.path().display()))?;
    }
    temp.persist(path).with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(())
}

/// A temporary file in `dir`, to be renamed over its destination: created with mode `0o666`
/// minus the umask like any new file (not tempfile's private `0o600`), so what cozy writes is
/// as readable as what `cp` or `tar -x` would have written.
pub fn temp_file_in(dir: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt as _;
    tempfile::Builder::new()
        .prefix(".cozy-tmp-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))
}

/// Writes a file inside a temporary directory cozy owns (values for helm, a plugin manifest):
/// no rename and no fsync, since nothing survives the command. Never use it for user files.
pub fn write_scratch(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let mut file = std::fs::File::create(path)
        .with_context(|| format!("failed to create `{}`", path.display()))?;
    file.write_all(contents).with_context(|| format!("failed to write `{}`", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_get_the_usual_mode_and_existing_files_keep_theirs() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("README.md");
        write_atomic(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o044, 0o044, "group and others can read a new file: {mode:o}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"y").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn write_atomic_replaces_contents_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("values.yaml");
        write_atomic(&path, b"a: 1\n").unwrap();
        write_atomic(&path, b"a: 2\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 2\n");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("values.yaml")]);
    }

    #[test]
    fn write_atomic_into_missing_directory_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/values.yaml");
        let err = write_atomic(&path, b"x").unwrap_err();
        assert!(format!("{err:#}").contains("missing"), "{err:#}");
    }
}
