//! The only place cozy starts other programs.
//!
//! A [`Tool`] knows its name and its override variable. The [`Runner`] resolves it (override,
//! then `PATH`) before spawning, so a missing tool reads "helm not found on PATH (or COZY_HELM),
//! needed for `cozy pkg show`" instead of an OS error. Echo (`-v`) and `--dry-run` share one code
//! path right before the spawn: a dry run prints and skips calls whose [`Effect`] is
//! [`Effect::Mutates`] and still runs read-only ones.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Output;

use anyhow::{Context as _, bail};

use crate::env;
use crate::output::Printer;

/// An external program cozy drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tool {
    /// `helm`, v3 or v4.
    Helm,
    /// `kubectl`.
    Kubectl,
    /// `docker` (buildx).
    Docker,
    /// `git`.
    Git,
    /// `skopeo`.
    Skopeo,
    /// GNU `patch`.
    Patch,
    /// `gzip`.
    Gzip,
    /// `kustomize`.
    Kustomize,
}

impl Tool {
    /// Every tool, for documentation and for the test harness's tripwires.
    pub const ALL: [Tool; 8] = [
        Tool::Helm,
        Tool::Kubectl,
        Tool::Docker,
        Tool::Git,
        Tool::Skopeo,
        Tool::Patch,
        Tool::Gzip,
        Tool::Kustomize,
    ];

    /// The program name looked up on `PATH`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Tool::Helm => "helm",
            Tool::Kubectl => "kubectl",
            Tool::Docker => "docker",
            Tool::Git => "git",
            Tool::Skopeo => "skopeo",
            Tool::Patch => "patch",
            Tool::Gzip => "gzip",
            Tool::Kustomize => "kustomize",
        }
    }

    /// The variable that overrides where the tool is found, e.g. `COZY_HELM`.
    #[must_use]
    pub fn env_var(self) -> String {
        format!("{}{}", env::TOOL_OVERRIDE_PREFIX, self.name().to_ascii_uppercase())
    }
}

impl fmt::Display for Tool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a call changes the world; `--dry-run` skips only `Mutates`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Reads only (`helm template`, `git diff`, `kubectl get`): runs even under `--dry-run`.
    ReadOnly,
    /// Changes a cluster, a registry or files (`helm upgrade`, `docker buildx build --push`).
    Mutates,
}

/// Starts external programs for one cozy command.
#[derive(Debug)]
pub struct Runner {
    printer: Printer,
    dry_run: bool,
    /// The cozy command the tools are needed for, as the user typed it, e.g. "cozy pkg show".
    purpose: String,
}

/// What a call starts: a known tool, or any program (the `run` escape hatch).
#[derive(Clone, Debug)]
enum Program {
    Tool(Tool),
    /// A path (relative to the call's directory when it has a `/`) or a name on `PATH`.
    Other(PathBuf),
}

/// One call being built: `runner.cmd(Tool::Git).args([...]).dir(root).read()`.
#[must_use]
pub struct Call<'r> {
    runner: &'r Runner,
    program: Program,
    effect: Effect,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    envs: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
}

impl Runner {
    /// A runner that says tools are needed for `purpose` (e.g. "cozy pkg list --changed-since").
    #[must_use]
    pub fn new(printer: Printer, dry_run: bool, purpose: impl Into<String>) -> Runner {
        Runner { printer, dry_run, purpose: purpose.into() }
    }

    /// Whether mutating calls are printed instead of run (`--dry-run`).
    #[must_use]
    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// Starts building a read-only call of `tool`.
    pub fn cmd(&self, tool: Tool) -> Call<'_> {
        self.call(Program::Tool(tool))
    }

    /// Starts building a call of any program: a path (relative to the call's directory when
    /// it contains a `/`) or a name looked up on `PATH`.
    pub fn program(&self, program: impl Into<PathBuf>) -> Call<'_> {
        self.call(Program::Other(program.into()))
    }

    fn call(&self, program: Program) -> Call<'_> {
        Call {
            runner: self,
            program,
            effect: Effect::ReadOnly,
            args: Vec::new(),
            dir: None,
            envs: Vec::new(),
            stdin: None,
        }
    }

    fn resolve_other(&self, program: &Path, dir: Option<&Path>) -> anyhow::Result<PathBuf> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let base = dir.unwrap_or(&cwd);
        let path_var = env::var_os(env::PATH).unwrap_or_default();
        let found = if program.components().count() > 1 {
            which::which_in(base.join(program), Some(&path_var), base)
        } else {
            which::which_in(program, Some(&path_var), base)
        };
        found.map_err(|_| {
            anyhow::anyhow!(
                "`{}` not found on PATH, needed for `{}`",
                program.display(),
                self.purpose
            )
        })
    }

    /// Where `tool` is: its override variable, else `PATH`.
    pub fn resolve(&self, tool: Tool) -> anyhow::Result<PathBuf> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let path_var = env::var_os(env::PATH).unwrap_or_default();
        let override_var = tool.env_var();
        let not_found = || {
            anyhow::anyhow!(
                "{tool} not found on PATH (or {override_var}), needed for `{}`",
                self.purpose
            )
        };
        match env::var_os(&override_var).filter(|value| !value.is_empty()) {
            Some(program) if Path::new(&program).components().count() > 1 => {
                let program = PathBuf::from(program);
                which::which_in(&program, Some(&path_var), &cwd).map_err(|_| {
                    anyhow::anyhow!(
                        "{override_var} is `{}`, which is not an executable file; {tool} is needed for `{}`",
                        program.display(),
                        self.purpose
                    )
                })
            }
            Some(program) => {
                which::which_in(program, Some(&path_var), &cwd).map_err(|_| not_found())
            }
            None => which::which_in(tool.name(), Some(&path_var), &cwd).map_err(|_| not_found()),
        }
    }
}

impl Call<'_> {
    /// Marks the call as changing the world, so `--dry-run` prints it instead of running it.
    pub fn mutates(mut self) -> Self {
        self.effect = Effect::Mutates;
        self
    }

    /// Appends one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Appends arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args.extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    /// Runs in `dir` instead of cozy's working directory.
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.envs.push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Feeds `bytes` to the child's stdin.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// The command line as a shell would take it, with the tool's plain name.
    #[must_use]
    pub fn display(&self) -> String {
        let name = match &self.program {
            Program::Tool(tool) => tool.name().to_owned(),
            Program::Other(path) => path.display().to_string(),
        };
        let mut words = vec![name];
        words.extend(self.args.iter().map(|arg| arg.to_string_lossy().into_owned()));
        shell_words::join(&words)
    }

    /// Runs and returns stdout; a non-zero exit is an error that shows the command, its status
    /// and its stderr. Under `--dry-run` a mutating call returns an empty string.
    pub fn read(self) -> anyhow::Result<String> {
        let Some(output) = self.spawn()? else { return Ok(String::new()) };
        String::from_utf8(output.stdout)
            .with_context(|| format!("`{}` printed output that is not UTF-8", self.display()))
    }

    /// Runs and returns the whole output whatever the exit status (for tools whose status is an
    /// answer, like `kubectl diff`). `None` when `--dry-run` skipped it.
    pub fn output(self) -> anyhow::Result<Option<Output>> {
        self.launch()
    }

    /// Runs with stdout handed to `consume` as a stream while stderr is copied to `stderr_sink`
    /// on another thread (no pipe deadlock however large either side is), and stdin fed from
    /// the call's bytes on a third. Whatever `consume` leaves unread is drained. Returns the
    /// consumer's result and the exit status; a non-zero exit is NOT an error here, the caller
    /// decides. `None` when `--dry-run` skipped a mutating call.
    pub fn stream<T>(
        self,
        consume: impl FnOnce(&mut dyn std::io::Read) -> anyhow::Result<T>,
        mut stderr_sink: impl std::io::Write + Send,
    ) -> anyhow::Result<Option<(std::process::ExitStatus, anyhow::Result<T>)>> {
        use std::io::{Read as _, Write as _};
        use std::process::Stdio;

        let Some(program) = self.prepare()? else { return Ok(None) };
        #[allow(
            clippy::disallowed_methods,
            reason = "tool.rs is the one place that starts processes"
        )]
        let mut command = std::process::Command::new(&program);
        command.args(&self.args).envs(self.envs.iter().map(|(k, v)| (k, v)));
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        command
            .stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child =
            command.spawn().with_context(|| format!("failed to start `{}`", program.display()))?;
        let mut stdout = child.stdout.take().context("child has no stdout")?;
        let mut stderr = child.stderr.take().context("child has no stderr")?;
        let stdin = child.stdin.take();
        let input = self.stdin.clone().unwrap_or_default();
        let display = self.display();
        std::thread::scope(|scope| {
            let feeder = stdin.map(|mut pipe| {
                scope.spawn(move || {
                    // A child that exits without reading stdin closes the pipe: not our error.
                    let _ = pipe.write_all(&input);
                })
            });
            let drainer = scope.spawn(move || -> std::io::Result<()> {
                let mut buffer = [0u8; 8192];
                loop {
                    let read = stderr.read(&mut buffer)?;
                    if read == 0 {
                        return stderr_sink.flush();
                    }
                    stderr_sink.write_all(&buffer[..read])?;
                }
            });
            let consumed = consume(&mut stdout);
            let leftover = std::io::copy(&mut stdout, &mut std::io::sink());
            if let Some(feeder) = feeder {
                let _ = feeder.join();
            }
            let stderr_result =
                drainer.join().map_err(|_| anyhow::anyhow!("stderr reader panicked"))?;
            let status = child.wait().with_context(|| format!("failed to wait for `{display}`"))?;
            leftover.with_context(|| format!("failed to read the output of `{display}`"))?;
            stderr_result.with_context(|| format!("failed to copy the stderr of `{display}`"))?;
            Ok(Some((status, consumed)))
        })
    }

    fn spawn(&self) -> anyhow::Result<Option<Output>> {
        let Some(output) = self.launch()? else { return Ok(None) };
        if output.status.success() {
            return Ok(Some(output));
        }
        let status = match output.status.code() {
            Some(code) => format!("exit status {code}"),
            None => "killed by a signal".to_owned(),
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim_end();
        if stderr.is_empty() {
            bail!("`{}` failed with {status}", self.display());
        }
        bail!("`{}` failed with {status}\n--- stderr\n{stderr}", self.display())
    }

    /// Resolves the program and echoes the call (`-v`, or `--dry-run` for a mutating call);
    /// `None` when `--dry-run` skips it.
    fn prepare(&self) -> anyhow::Result<Option<PathBuf>> {
        let program = match &self.program {
            Program::Tool(tool) => self.runner.resolve(*tool)?,
            Program::Other(path) => self.runner.resolve_other(path, self.dir.as_deref())?,
        };
        let skip = self.runner.dry_run && self.effect == Effect::Mutates;
        if skip || self.runner.printer.echoes_commands() {
            self.runner.printer.command(&self.display());
        }
        Ok((!skip).then_some(program))
    }

    fn launch(&self) -> anyhow::Result<Option<Output>> {
        let Some(program) = self.prepare()? else { return Ok(None) };
        let sh = xshell::Shell::new().context("failed to read the current directory")?;
        if let Some(dir) = &self.dir {
            sh.change_dir(dir);
        }
        let mut cmd = sh.cmd(&program).args(&self.args).quiet().ignore_status();
        for (key, value) in &self.envs {
            cmd = cmd.env(key, value);
        }
        if let Some(stdin) = &self.stdin {
            cmd = cmd.stdin(stdin);
        }
        let output =
            cmd.output().with_context(|| format!("failed to start `{}`", program.display()))?;
        Ok(Some(output))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{ColorChoice, Verbosity};

    fn runner(dry_run: bool) -> Runner {
        Runner::new(Printer::new(Verbosity::Quiet, ColorChoice::Never), dry_run, "cozy test")
    }

    #[test]
    fn display_quotes_arguments_like_a_shell() {
        let runner = runner(false);
        let call =
            runner.cmd(Tool::Kubectl).args(["patch", "hr", "-p", r#"{"spec":{"suspend":true}}"#]);
        assert_eq!(call.display(), r#"kubectl patch hr -p '{"spec":{"suspend":true}}'"#);
    }

    #[test]
    fn dry_run_skips_mutating_calls_without_resolving_anything_else() {
        // `git` exists on every machine that builds cozy; a dry run of a mutating call returns
        // without running it, and a read-only call still runs.
        let runner = runner(true);
        assert!(runner.cmd(Tool::Git).arg("--version").mutates().output().unwrap().is_none());
        let version = runner.cmd(Tool::Git).arg("--version").read().unwrap();
        assert!(version.starts_with("git version"), "{version}");
    }

    #[test]
    fn failure_names_command_status_and_stderr() {
        let runner = runner(false);
        let err = runner
            .cmd(Tool::Git)
            .args(["rev-parse", "--verify", "no-such-ref-anywhere"])
            .dir("/")
            .read();
        let message = format!("{:#}", err.unwrap_err());
        assert!(
            message.starts_with(
                "`git rev-parse --verify no-such-ref-anywhere` failed with exit status 128"
            ),
            "{message}"
        );
        assert!(message.contains("--- stderr\n"), "{message}");
    }
}
