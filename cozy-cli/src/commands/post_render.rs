//! `cozy __post-render`: the helm post-renderer `pkg apply` installs, adding Flux's labels.

use std::io::Read as _;

use anyhow::Context as _;

use crate::cli::PostRenderArgs;
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::render::labels;

/// Labels the manifests on stdin and prints them.
pub(super) fn run(ctx: &Ctx, args: &PostRenderArgs) -> anyhow::Result<Outcome> {
    let mut stream = String::new();
    std::io::stdin().read_to_string(&mut stream).context("cannot read the manifests from stdin")?;
    let labelled =
        labels::add_flux_labels(&stream, &args.name, &args.namespace).map_err(Failure::new)?;
    ctx.printer.stdout(&labelled)?;
    Ok(Outcome::Done)
}
