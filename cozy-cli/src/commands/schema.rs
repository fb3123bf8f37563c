//! `cozy schema`: the JSON Schema of `cozy.toml` (or `talos.toml`).

use crate::cli::SchemaArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::{manifest, talos, workspace_manifest};

/// Prints the package manifest schema, or with `--workspace` the root one, or with `--talos` the
/// schema of `talos.toml`.
pub(super) fn run(ctx: &Ctx, args: &SchemaArgs) -> anyhow::Result<Outcome> {
    let schema = if args.workspace {
        workspace_manifest::json_schema()
    } else if args.talos {
        talos::config::json_schema()
    } else {
        manifest::json_schema()
    };
    ctx.printer.stdout(&schema)?;
    Ok(Outcome::Done)
}
