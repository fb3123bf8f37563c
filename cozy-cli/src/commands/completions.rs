//! `cozy completions SHELL`: completion scripts generated from the command line definition.

use clap::CommandFactory as _;

use crate::cli::{Cli, CompletionsArgs};
use crate::context::Ctx;
use crate::error::Outcome;

/// Prints the completion script for the shell.
pub(super) fn run(ctx: &Ctx, args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    ctx.printer.stdout(&script(args.shell))?;
    Ok(Outcome::Done)
}

/// The completion script for `shell`.
#[must_use]
pub fn script(shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "cozy", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
