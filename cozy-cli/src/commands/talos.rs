//! `cozy talos update | render | build | verify | push | matchbox | lock`.

use crate::cli::TalosCommand;
use crate::context::Ctx;
use crate::error::Outcome;

/// Runs one `cozy talos` subcommand (inspect has its own file).
pub(super) fn run(_ctx: &Ctx, command: TalosCommand) -> anyhow::Result<Outcome> {
    anyhow::bail!("`cozy talos {command:?}` is not written yet")
}
