//! `cozy pkg suspend | resume | delete | status`: the HelmRelease switches and the uninstall.

use console::style;

use crate::cli::ClusterArgs;
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::kube::Kube;
use crate::release_render::{self, Target};
use crate::select::WhenEmpty;
use crate::tool::Tool;
use crate::{release, workspace::Package};

/// Which verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verb {
    Suspend,
    Resume,
    Delete,
    Status,
}

/// Runs `verb` on every selected package; a failing one does not stop the others.
pub(super) fn run(ctx: &Ctx, args: &ClusterArgs, verb: Verb) -> anyhow::Result<Outcome> {
    let super::Selection { workspace, selected, components } =
        super::selection(ctx, &args.select, WhenEmpty::CurrentPackage)?;
    let runner = ctx.runner("");
    let kube =
        Kube::new(&runner, args.release.kubeconfig.as_deref(), args.release.context.as_deref());
    let mut rows = Vec::new();
    let mut failed = 0;
    let results = super::for_each_package(ctx, &selected, args.release.jobs, |index| {
        let package = workspace.package(index);
        release::resolve(package, &components)
            .map_err(|err| Failure::new(err).into())
            .and_then(|identity| release_render::target(package, &identity, &args.release))
            .and_then(|target| act(ctx, &kube, package, &target, verb))
    })?;
    for result in results {
        match result {
            Ok(Some(row)) => rows.push(row),
            Ok(None) => {}
            Err(err) => {
                failed += 1;
                ctx.printer.error(&err);
            }
        }
    }
    if verb == Verb::Status && !rows.is_empty() {
        ctx.printer.stdout(&status_table(&rows))?;
    }
    if failed > 0 {
        return Err(
            Failure::new(format!("failed for {failed} of {} packages", selected.len())).into()
        );
    }
    Ok(Outcome::Done)
}

fn act(
    ctx: &Ctx,
    kube: &Kube<'_>,
    package: &Package,
    target: &Target,
    verb: Verb,
) -> anyhow::Result<Option<[String; 5]>> {
    let (name, namespace) = (&target.name, &target.namespace);
    // Under --dry-run the echoed commands are the report; claiming success would mislead.
    let say = |message: String| {
        if !ctx.dry_run {
            ctx.printer.status(&message);
        }
    };
    match verb {
        Verb::Suspend => {
            kube.set_suspended(name, namespace, true)?;
            say(format!("HelmRelease {namespace}/{name} suspended"));
        }
        Verb::Resume => {
            kube.set_suspended(name, namespace, false)?;
            say(format!("HelmRelease {namespace}/{name} resumed"));
        }
        Verb::Delete => {
            kube.set_suspended(name, namespace, true)?;
            kube.runner()
                .cmd(Tool::Helm)
                .args(["uninstall", name, "--namespace", namespace])
                .mutates()
                .read()?;
            say(format!(
                "release {namespace}/{name} uninstalled; its HelmRelease stays suspended (`cozy pkg resume {}` reinstalls it)",
                package.name
            ));
        }
        Verb::Status => {
            let hr = release_render::helmrelease(kube, target)?;
            let suspended = hr["spec"]["suspend"].as_bool().unwrap_or(false);
            let ready = hr["status"]["conditions"].as_array().and_then(|conditions| {
                conditions.iter().find(|condition| condition["type"] == "Ready")
            });
            let (status, message) = match ready {
                Some(ready) => (
                    ready["status"].as_str().unwrap_or("Unknown").to_owned(),
                    ready["message"].as_str().unwrap_or("").to_owned(),
                ),
                None => ("Unknown".to_owned(), String::new()),
            };
            return Ok(Some([
                package.rel.clone(),
                format!("{namespace}/{name}"),
                suspended.to_string(),
                status,
                message,
            ]));
        }
    }
    Ok(None)
}

fn status_table(rows: &[[String; 5]]) -> String {
    let header = ["PACKAGE", "RELEASE", "SUSPENDED", "READY", "MESSAGE"].map(str::to_owned);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String; 5]| {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, width))| if i == 4 { cell.clone() } else { format!("{cell:<width$}") })
            .collect();
        cells.join("  ").trim_end().to_owned()
    };
    let mut text = format!("{}\n", style(line(&header)).bold());
    for row in rows {
        text.push_str(&line(row));
        text.push('\n');
    }
    text
}
