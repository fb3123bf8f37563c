//! `cozy schema`: the JSON Schema of `cozy.toml`.

use crate::cli::SchemaArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::{manifest, workspace_manifest};

/// Prints the package (or, with `--workspace`, the root) manifest schema.
pub(super) fn run(ctx: &Ctx, args: &SchemaArgs) -> anyhow::Result<Outcome> {
    let schema =
        if args.workspace { workspace_manifest::json_schema() } else { manifest::json_schema() };
    ctx.printer.stdout(&schema)?;
    Ok(Outcome::Done)
}
