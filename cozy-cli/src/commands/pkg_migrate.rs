//! `cozy pkg migrate`: each selected package's Makefile written as `cozy.toml`, with a report.

use crate::cli::MigrateArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::fsx;
use crate::migrate::{self, Coverage};
use crate::select::WhenEmpty;

/// Migrates the selected packages' Makefiles.
///
/// Per package: every recipe line left out is reported on stderr as `MAKEFILE:LINE: [target]
/// `line`: reason`, then `cozy.toml` is written (or, with `--dry-run`, printed on stdout). A
/// package with nothing expressible gets no file; an existing `cozy.toml` is kept unless
/// `--force`. The last line is the coverage summary.
///
/// Exit codes: 0 when every package was fully migrated and written; 1 (findings) when any
/// package is only partly migrated, not migrated, has no Makefile, or kept its existing
/// `cozy.toml` — the written files are still valid; 2 on an IO error.
pub(super) fn run(ctx: &Ctx, args: &MigrateArgs) -> anyhow::Result<Outcome> {
    let selection = super::selection(ctx, &args.select, WhenEmpty::CurrentPackage)?;
    let (mut full, mut partial, mut none) = (0, 0, 0);
    for &index in &selection.selected {
        let package = selection.workspace.package(index);
        let makefile_path = package.dir.join("Makefile");
        let makefile_rel = format!("{}/Makefile", package.rel);
        let target_rel = format!("{}/cozy.toml", package.rel);
        if !makefile_path.is_file() {
            ctx.printer.warning(&format!("{}: no Makefile, nothing to migrate", package.rel));
            none += 1;
            continue;
        }
        let text = fsx::read_to_string(&makefile_path)?;
        let migration = migrate::migrate(&text);
        for leftover in &migration.leftovers {
            ctx.printer.warning(&format!("{makefile_rel}:{leftover}"));
        }
        let coverage = migration.coverage();
        if coverage == Coverage::None {
            ctx.printer
                .status(&format!("{}: nothing expressible, no cozy.toml written", package.rel));
            none += 1;
            continue;
        }
        let target = package.dir.join("cozy.toml");
        if target.exists() && !args.force {
            ctx.printer
                .warning(&format!("{target_rel} exists; left alone (use --force to overwrite)"));
            none += 1;
            continue;
        }
        let manifest_text = migration
            .text()
            .map_err(|err| anyhow::anyhow!("{target_rel}: cannot serialize the manifest: {err}"))?;
        let label = match coverage {
            Coverage::Full => "fully migrated",
            Coverage::Partial | Coverage::None => "partly migrated",
        };
        if ctx.dry_run {
            ctx.printer.stdout(&manifest_text)?;
            ctx.printer.status(&format!("would write {target_rel} ({label})"));
        } else {
            fsx::write_atomic(&target, manifest_text.as_bytes())?;
            ctx.printer.status(&format!("wrote {target_rel} ({label})"));
        }
        match coverage {
            Coverage::Full => full += 1,
            Coverage::Partial | Coverage::None => partial += 1,
        }
    }
    let total = full + partial + none;
    ctx.printer
        .status(&format!("{total} packages: {full} fully migrated, {partial} partly, {none} not"));
    Ok(if partial + none > 0 { Outcome::Findings } else { Outcome::Done })
}
