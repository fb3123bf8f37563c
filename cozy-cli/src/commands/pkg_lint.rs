//! `cozy pkg lint`: checks across manifests (lifecycle.md §10.4): one producer per image
//! reference, and write-backs only to values.yaml at package depth, `images/*.tag`, or the
//! workspace's declared `[image_refs] extra_files`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cli::LintArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::graph;
use crate::image::build;
use crate::manifest::Write;
use crate::select::WhenEmpty;

/// Prints every problem as `error:` and exits 1 when there is one.
pub(super) fn run(ctx: &Ctx, args: &LintArgs) -> anyhow::Result<Outcome> {
    let super::Selection { workspace, selected, .. } =
        super::selection(ctx, &args.select, WhenEmpty::All)?;
    let extra: Vec<&str> = workspace
        .manifest()
        .image_refs
        .as_ref()
        .map(|refs| refs.extra_files.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mut producers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    // Producers are counted over every package, so a duplicate outside the selection shows too.
    for package in workspace.packages() {
        for image in &package.manifest.images {
            for write in &image.write {
                let path = graph::normalize(&package.dir.join(build::write_file(write)));
                let Some(rel) = workspace.relative(&path) else {
                    problems.push(format!(
                        "{}: image `{}` writes outside the repository: `{}`",
                        package.manifest_rel(),
                        image.name,
                        build::write_file(write)
                    ));
                    continue;
                };
                let slot = match write {
                    Write::Key { key, .. } => format!("{rel} `{key}`"),
                    Write::Text { .. } | Write::Regex { .. } => rel.clone(),
                };
                producers
                    .entry(slot)
                    .or_default()
                    .push(format!("{} image `{}`", package.rel, image.name));
                let parts: Vec<&str> = rel.split('/').collect();
                let allowed = matches!(parts.as_slice(), ["packages", _, _, "values.yaml"])
                    || matches!(parts.as_slice(), ["packages", _, _, "images", tag] if Path::new(tag).extension().is_some_and(|ext| ext == "tag"))
                    || extra.contains(&rel.as_str());
                let selected_here =
                    selected.iter().any(|&index| workspace.package(index).rel == package.rel);
                if !allowed && selected_here {
                    problems.push(format!("{}: image `{}` writes `{rel}`, which is not values.yaml, images/*.tag or a declared `[image_refs] extra_files` entry", package.manifest_rel(), image.name));
                }
            }
        }
    }
    for (slot, writers) in &producers {
        if writers.len() > 1 {
            problems.push(format!(
                "{slot} has {} producers: {}",
                writers.len(),
                writers.join(", ")
            ));
        }
    }
    for problem in &problems {
        ctx.printer.error(&anyhow::anyhow!("{problem}"));
    }
    if problems.is_empty() {
        ctx.printer.status(&format!("{} packages checked, no problems", selected.len()));
        Ok(Outcome::Done)
    } else {
        Ok(Outcome::Findings)
    }
}
