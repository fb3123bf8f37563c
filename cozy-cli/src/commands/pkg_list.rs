//! `cozy pkg list`: the selected packages as a table or JSON.

use console::style;
use serde_json::json;

use crate::cli::{ForVerb, ListArgs, ListFormat};
use crate::context::Ctx;
use crate::error::Outcome;
use crate::graph::Graph;
use crate::release::{self, Identity};
use crate::select::{self, WhenEmpty};
use crate::workspace::Package;

/// Lists the selected packages (all by default). Exit 1 when a package is broken.
pub(super) fn run(ctx: &Ctx, args: &ListArgs) -> anyhow::Result<Outcome> {
    let workspace = ctx.workspace()?;
    let (graph, components) =
        rayon::join(|| Graph::build(&workspace), || workspace.platform_components());
    let components = components?;
    let mut selection = args.select.clone();
    selection.verb = args.for_verb.map(|verb| verb_name(verb).to_owned());
    let mut selected = select::select(ctx, &workspace, Some(&graph), &selection, WhenEmpty::All)?;
    if let Some(verb) = args.for_verb {
        selected.retain(|&index| supports(workspace.package(index), verb));
        if verb == ForVerb::Image {
            order_by_units(&workspace, &mut selected);
        }
    }
    let rows: Vec<Row<'_>> = selected
        .iter()
        .map(|&index| {
            let package = workspace.package(index);
            let dependencies = graph
                .dependencies(index)
                .iter()
                .map(|&dep| workspace.package(dep).name.as_str())
                .collect();
            Row { package, identity: release::resolve(package, &components), dependencies }
        })
        .collect();

    let mut broken = false;
    for row in &rows {
        if let Some(problem) = row.problem() {
            ctx.printer.error(&anyhow::anyhow!(problem));
            broken = true;
        }
    }
    let text = match args.output {
        ListFormat::Json => json_text(&rows),
        ListFormat::Table => table_text(&rows),
        ListFormat::Paths => {
            let paths: Vec<&str> = rows.iter().map(|row| row.package.rel.as_str()).collect();
            format!("{}\n", serde_json::to_string(&paths).expect("strings serialize"))
        }
    };
    ctx.printer.stdout(&text)?;
    if rows.is_empty() {
        ctx.printer.status("no packages selected");
    }
    Ok(if broken { Outcome::Findings } else { Outcome::Done })
}

fn verb_name(verb: ForVerb) -> &'static str {
    match verb {
        ForVerb::Image => "image",
        ForVerb::Update => "update",
        ForVerb::Generate => "generate",
    }
}

/// Whether `verb` would act on `package` when selected by `--all` or `--changed-since`.
fn supports(package: &Package, verb: ForVerb) -> bool {
    let manifest = &package.manifest;
    match verb {
        ForVerb::Image => {
            !manifest.images.is_empty()
                && manifest.build.as_ref().is_some_and(|build| {
                    build.ci && build.phase != Some(crate::manifest::Phase::Finalize)
                })
        }
        ForVerb::Update => manifest.update.as_ref().is_some_and(|update| !update.steps.is_empty()),
        ForVerb::Generate => crate::generate::plan(package).is_ok_and(|job| job.is_some()),
    }
}

/// The `[build] units` order of the workspace; packages it does not list come after, by path.
fn order_by_units(workspace: &crate::workspace::Workspace, selected: &mut [usize]) {
    let units =
        workspace.manifest().build.as_ref().map(|build| build.units.clone()).unwrap_or_default();
    let rank = |index: &usize| {
        let rel = &workspace.package(*index).rel;
        (
            units.iter().position(|unit| unit.trim_end_matches('/') == rel).unwrap_or(usize::MAX),
            rel.clone(),
        )
    };
    selected.sort_by_key(rank);
}

struct Row<'w> {
    package: &'w Package,
    identity: Result<Identity, String>,
    dependencies: Vec<&'w str>,
}

impl Row<'_> {
    fn problem(&self) -> Option<String> {
        match (&self.package.chart, &self.identity) {
            (Err(err), _) | (_, Err(err)) => Some(err.clone()),
            _ => None,
        }
    }

    fn field<'a>(&'a self, pick: impl Fn(&'a Identity) -> Option<&'a str>) -> Option<&'a str> {
        self.identity.as_ref().ok().and_then(pick)
    }
}

fn json_text(rows: &[Row<'_>]) -> String {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            let package = row.package;
            let chart = package.chart.as_ref().ok();
            let mut item = json!({
                "name": package.name,
                "kind": package.kind,
                "path": package.rel,
                "release": row.field(|identity| identity.name.as_deref()),
                "namespace": row.field(|identity| identity.namespace.as_deref()),
                "mode": row.identity.as_ref().ok().map(|identity| identity.mode.as_str()),
                "release_origin": row.identity.as_ref().ok().map(|identity| identity.origin.as_str()),
                "chart_name": chart.map(|chart| chart.name.as_str()),
                "chart_version": chart.map(|chart| chart.version.as_str()),
                "app_version": chart.and_then(|chart| chart.app_version.as_deref()),
                "dependencies": row.dependencies,
            });
            if let Some(problem) = row.problem() {
                item["error"] = json!(problem);
            }
            item
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).expect("JSON values always serialize");
    text.push('\n');
    text
}

fn table_text(rows: &[Row<'_>]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let header = ["KIND", "NAME", "RELEASE", "NAMESPACE", "VERSION", "PATH"].map(str::to_owned);
    let body: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            let dash = |value: Option<&str>| value.unwrap_or("-").to_owned();
            [
                row.package.kind.clone(),
                row.package.name.clone(),
                dash(row.field(|identity| identity.name.as_deref())),
                dash(row.field(|identity| identity.namespace.as_deref())),
                dash(row.package.chart.as_ref().ok().map(|chart| chart.version.as_str())),
                row.package.rel.clone(),
            ]
        })
        .collect();
    let mut widths = [0usize; 6];
    for cells in std::iter::once(&header).chain(&body) {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    let line = |cells: &[String; 6], paint: &dyn Fn(String) -> String, text: &mut String| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(
                |(column, (cell, width))| {
                    if column == 5 { cell.clone() } else { format!("{cell:<width$}") }
                },
            )
            .collect();
        text.push_str(&paint(padded.join("  ")));
        text.push('\n');
    };
    line(&header, &|s| style(s).bold().to_string(), &mut text);
    for (row, cells) in rows.iter().zip(&body) {
        if row.problem().is_some() {
            line(cells, &|s| style(s).red().to_string(), &mut text);
        } else {
            line(cells, &|s| s, &mut text);
        }
    }
    text
}
