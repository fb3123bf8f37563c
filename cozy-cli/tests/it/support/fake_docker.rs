//! The `fake-docker` test double (crate `cozy-test-doubles`, `tests/doubles/src/bin/fake-docker.rs`),
//! built once per test process and installed as `docker`.
//!
//! It is built by a nested `cargo build` into its own target directory, `target/doubles`, so the
//! nested cargo never waits for the build lock of the `cargo test` that runs us.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{Project, repo_root};

/// The built `fake-docker` binary; the first call builds it.
#[track_caller]
pub fn fake_docker_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(build)
}

#[track_caller]
fn build() -> PathBuf {
    let workspace = repo_root();
    let target_dir = workspace.join("target/doubles");
    // Cargo sets `CARGO` for the tests it runs; fall back to the one on PATH.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "-q", "--offline", "-p", "cozy-test-doubles", "--bin", "fake-docker"])
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(&workspace)
        .output()
        .expect("run cargo to build fake-docker");
    assert!(
        output.status.success(),
        "building fake-docker failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bin = target_dir.join("debug/fake-docker");
    assert!(bin.is_file(), "cargo built fake-docker, but {} is missing", bin.display());
    bin
}

impl Project {
    /// Installs `fake-docker` as `docker`: it records its argv like `fake` does and plays the
    /// Talos imager for `docker run` (see the top of `tests/doubles/src/bin/fake-docker.rs` for
    /// its answers and the `FAKE_IMAGER_*` failure switches, passed through `cozy_in`'s env).
    pub fn fake_docker(self) -> Project {
        let link = self.bin().join("docker");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(fake_docker_bin(), link).expect("link fake-docker");
        self
    }
}

#[test]
fn installed_fake_docker_answers_and_is_recorded_like_the_other_doubles() {
    let project = Project::new().fake_docker();
    let output = Command::new(project.bin().join("docker"))
        .args(["version", "--format", "{{.Server.Version}}"])
        .env_clear()
        .env("COZY_FAKE_LOG", project.base.join("fake/calls.log"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, b"0.0.0-fake\n");
    assert_eq!(project.calls(), [["docker", "version", "--format", "{{.Server.Version}}"]]);
}
