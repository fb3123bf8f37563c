//! The sandbox every integration test runs `cozy` in: a temp repository, a temp HOME, and a
//! `bin/` directory that is the child's whole `PATH`, holding test doubles of external tools.
//!
//! Every known tool starts as a tripwire that exits 127 ("… called, but this test did not fake
//! it"), so no test reaches a real cluster or registry by accident. `fake` replaces a tripwire
//! with a test double that records its argv and answers from files the test wrote; `real`
//! links the machine's own program; `missing` removes it.

pub mod chart_repo;
pub mod fake_docker;
pub mod fake_tool;
pub mod http_server;
pub mod registry;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use cozy::tool::Tool;

/// A temporary repository plus the environment `cozy` runs in.
pub struct Project {
    _temp: tempfile::TempDir,
    base: PathBuf,
    root: PathBuf,
}

/// What one `cozy` run did.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code.
    pub code: i32,
    /// stdout, with the sandbox paths replaced by `[ROOT]` and `[BASE]`.
    pub stdout: String,
    /// stderr, filtered the same way.
    pub stderr: String,
}

impl Project {
    /// An empty repository directory with tripwires for every tool.
    pub fn new() -> Project {
        let temp = tempfile::tempdir().expect("create a temp dir");
        let base = temp.path().canonicalize().expect("canonical temp dir");
        let root = base.join("repo");
        for dir in [&root, &base.join("home"), &base.join("bin"), &base.join("fake")] {
            std::fs::create_dir_all(dir).expect("create sandbox dirs");
        }
        let project = Project { _temp: temp, base, root };
        for tool in Tool::ALL {
            fake_tool::write_tripwire(&project.bin(), tool.name());
        }
        project
    }

    /// The repository root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn bin(&self) -> PathBuf {
        self.base.join("bin")
    }

    /// Writes a file under the root, creating directories.
    #[track_caller]
    pub fn file(self, rel: &str, contents: &str) -> Project {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        self
    }

    /// A minimal chart at `packages/<kind_name>/Chart.yaml` (`kind_name` is `system/cilium`).
    #[track_caller]
    pub fn chart(self, kind_name: &str, version: &str) -> Project {
        let name = kind_name.rsplit('/').next().unwrap();
        self.file(
            &format!("packages/{kind_name}/Chart.yaml"),
            &format!("apiVersion: v2\nname: {name}\nversion: {version}\n"),
        )
    }

    /// A relative symlink `link` (under the root) pointing at `target`.
    #[track_caller]
    pub fn symlink(self, link: &str, target: &str) -> Project {
        let path = self.root.join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &path).unwrap();
        self
    }

    /// Replaces the tripwire of `tool` with a recording test double.
    pub fn fake(self, tool: &str) -> Project {
        fake_tool::write_fake(&self.bin(), tool);
        self
    }

    /// Replaces `tool` with a test double that records its argv like `fake` and then runs
    /// `body` (POSIX sh; `$COZY_FAKE_DIR` holds files the test prepared).
    pub fn script(self, tool: &str, body: &str) -> Project {
        fake_tool::write_script_double(&self.bin(), tool, body);
        self
    }

    /// The directory test doubles read prepared files from (`$COZY_FAKE_DIR`).
    pub fn fake_dir(&self) -> PathBuf {
        self.base.join("fake")
    }

    /// Links the machine's real `tool` into the sandbox PATH.
    #[track_caller]
    pub fn real(self, tool: &str) -> Project {
        let found = real_tool(tool);
        let link = self.bin().join(tool);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(found, link).unwrap();
        self
    }

    /// Removes `tool` from the sandbox PATH entirely.
    pub fn missing(self, tool: &str) -> Project {
        let _ = std::fs::remove_file(self.bin().join(tool));
        self
    }

    /// Scripts the double of `tool` for calls whose subcommand is `sub`.
    pub fn answer(&self, tool: &str, sub: &str, stdout: &str, stderr: &str, code: i32) {
        fake_tool::write_answer(&self.base.join("fake"), tool, sub, stdout, stderr, code);
    }

    /// Every recorded call of a test double, in order, as argv lists (tool name first).
    pub fn calls(&self) -> Vec<Vec<String>> {
        fake_tool::read_calls(&self.base.join("fake/calls.log"))
    }

    /// Runs real git in the repository (for commits and branches), with a fixed identity.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new(which::which("git").expect("git is installed"))
            .args([
                "-c",
                "user.name=cozy-test",
                "-c",
                "user.email=test@cozy.invalid",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.root)
            .env_clear()
            .env("HOME", self.base.join("home"))
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// `cozy ARGS` in the repository root.
    pub fn cozy<I, S>(&self, args: I) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cozy_in(&self.root, args, &[])
    }

    /// `cozy ARGS` in `dir` with extra environment variables.
    pub fn cozy_in<I, S>(&self, dir: &Path, args: I, envs: &[(&str, &str)]) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cozy_with_stdin(dir, args, envs, "")
    }

    /// `cozy ARGS` in `dir`, with extra environment variables and `stdin` fed to it.
    pub fn cozy_with_stdin<I, S>(
        &self,
        dir: &Path,
        args: I,
        envs: &[(&str, &str)],
        stdin: &str,
    ) -> Outcome
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = self.cozy_command(dir, args, envs);
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().expect("run cozy");
        {
            use std::io::Write as _;
            let mut pipe = child.stdin.take().expect("stdin is piped");
            let _ = pipe.write_all(stdin.as_bytes());
        }
        let output = child.wait_with_output().expect("wait for cozy");
        let filter = |bytes: Vec<u8>| {
            String::from_utf8(bytes)
                .expect("cozy prints UTF-8")
                .replace(self.root.to_str().unwrap(), "[ROOT]")
                .replace(self.base.to_str().unwrap(), "[BASE]")
        };
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: filter(output.stdout),
            stderr: filter(output.stderr),
        }
    }

    /// The `cozy ARGS` command as the harness runs it (sandbox PATH, HOME, fake log), for tests
    /// that must manage the process themselves, e.g. to interrupt it.
    pub fn cozy_command<I, S>(&self, dir: &Path, args: I, envs: &[(&str, &str)]) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cozy"));
        command
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", self.bin())
            .env("HOME", self.base.join("home"))
            .env("KUBECONFIG", self.base.join("home/missing-kubeconfig"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("COZY_FAKE_LOG", self.base.join("fake/calls.log"))
            .env("COZY_FAKE_DIR", self.base.join("fake"));
        for (key, value) in envs {
            command.env(key, value);
        }
        command
    }
}

impl Outcome {
    /// Asserts the exit code, showing the whole run when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Outcome {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }

    /// The `path` field of every object in a JSON array on stdout.
    #[track_caller]
    pub fn json_paths(&self) -> Vec<String> {
        self.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["path"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// The real `tool`: the project's `.tools/bin` (helm, kubectl from scripts/install-test-tools.sh),
/// else the machine's `PATH`.
#[track_caller]
pub fn real_tool(tool: &str) -> PathBuf {
    let installed = repo_root().join(".tools/bin").join(tool);
    if installed.is_file() {
        return installed;
    }
    which::which(tool).unwrap_or_else(|_| {
        panic!("{tool} is needed by this test; run scripts/install-test-tools.sh")
    })
}

/// The directory of this checkout (for tests that run on the demo platform).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}
