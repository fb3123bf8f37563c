//! `cozy talos inspect SOURCE`: look inside an image without a container.

use crate::cli::TalosInspectArgs;
use crate::context::Ctx;
use crate::error::Outcome;

/// Runs `cozy talos inspect`.
pub(super) fn run(_ctx: &Ctx, _args: &TalosInspectArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`cozy talos inspect` is not written yet")
}
