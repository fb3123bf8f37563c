//! `Ctx`: what every command needs, resolved once from the global flags and passed first.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::GlobalArgs;
use crate::output::{Printer, Verbosity};
use crate::tool::Runner;
use crate::workspace::Workspace;

/// The context of one cozy invocation.
#[derive(Debug)]
pub struct Ctx {
    /// The directory cozy acts from: the process's, or `-C DIR` (canonical).
    pub cwd: PathBuf,
    /// Output.
    pub printer: Printer,
    /// `--dry-run`.
    pub dry_run: bool,
    /// The command as the user would name it, e.g. `cozy pkg list`, for tool errors.
    pub command: String,
}

impl Ctx {
    /// Resolves the global flags.
    pub fn new(global: &GlobalArgs, command: impl Into<String>) -> anyhow::Result<Ctx> {
        let verbosity = match (global.quiet, global.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Default,
            (false, 1) => Verbosity::Verbose,
            (false, _) => Verbosity::Debug,
        };
        let printer = Printer::new(verbosity, global.color);
        let process_cwd = std::env::current_dir().context("cannot read the current directory")?;
        let cwd = match &global.directory {
            Some(dir) => {
                let dir = process_cwd.join(dir);
                dir.canonicalize()
                    .with_context(|| format!("cannot change to directory `{}`", dir.display()))?
            }
            None => process_cwd.canonicalize().unwrap_or(process_cwd),
        };
        Ok(Ctx { cwd, printer, dry_run: global.dry_run, command: command.into() })
    }

    /// A runner whose "needed for" names this command and `detail` (e.g. `--changed-since`).
    #[must_use]
    pub fn runner(&self, detail: &str) -> Runner {
        let purpose = if detail.is_empty() {
            self.command.clone()
        } else {
            format!("{} {detail}", self.command)
        };
        Runner::new(self.printer.clone(), self.dry_run, purpose)
    }

    /// The workspace around the current directory.
    pub fn workspace(&self) -> anyhow::Result<Workspace> {
        Workspace::discover(&self.cwd)
    }
}
