//! Package selection shared by every `pkg` verb: names, paths, the current directory, `--all`,
//! `--kind` and `--changed-since REF` (lifecycle.md §13).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context as _;
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::cli::SelectArgs;
use crate::context::Ctx;
use crate::error::Failure;
use crate::graph::{self, Graph};
use crate::tool::Tool;
use crate::workspace::Workspace;

/// What an empty selection means for a verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenEmpty {
    /// Every package (`pkg list`).
    All,
    /// The package the current directory is in (verbs that act on one package).
    CurrentPackage,
}

/// The selected package indexes, in workspace order. `graph` is built on demand when `None`.
pub fn select(
    ctx: &Ctx,
    workspace: &Workspace,
    graph: Option<&Graph>,
    args: &SelectArgs,
    when_empty: WhenEmpty,
) -> anyhow::Result<Vec<usize>> {
    let count = workspace.packages().len();
    let explicit = !args.packages.is_empty() || args.changed_since.is_some();
    let mut chosen = vec![false; count];
    if args.all || (!explicit && (when_empty == WhenEmpty::All || !args.kind.is_empty())) {
        chosen.fill(true);
    } else if !explicit {
        let index = workspace
            .relative(&ctx.cwd)
            .and_then(|rel| workspace.package_containing(&rel))
            .ok_or_else(|| {
                Failure::new("no package selected")
                    .hint("name a package (`cozy pkg … cilium`), pass `--all` or `--kind KIND`, or run inside a package directory")
            })?;
        chosen[index] = true;
    }
    for query in &args.packages {
        chosen[resolve(ctx, workspace, query)?] = true;
    }
    if let Some(reference) = &args.changed_since {
        let changed = changed_paths(ctx, workspace, reference, args.committed)?;
        // The dependency graph reads every package's `charts/`; build it only when needed.
        let built;
        let graph = if let Some(graph) = graph {
            graph
        } else {
            built = Graph::build(workspace);
            &built
        };
        let hit = changed_packages(workspace, graph, &changed, args.verb.as_deref())?;
        for (slot, hit) in chosen.iter_mut().zip(hit) {
            *slot |= hit;
        }
    }
    if !args.kind.is_empty() {
        let kinds: BTreeSet<&str> =
            workspace.packages().iter().map(|package| package.kind.as_str()).collect();
        for kind in &args.kind {
            if !kinds.contains(kind.as_str()) {
                let known = kinds.iter().copied().collect::<Vec<_>>().join(", ");
                return Err(Failure::new(format!("no packages of kind `{kind}`"))
                    .hint(format!("kinds here: {known}"))
                    .into());
            }
        }
        for (slot, package) in chosen.iter_mut().zip(workspace.packages()) {
            *slot &= args.kind.contains(&package.kind);
        }
    }
    Ok((0..count).filter(|&index| chosen[index]).collect())
}

/// Finds one package by name (`cilium`) or path (`packages/system/cilium`, `system/cilium`, `.`).
pub fn resolve(ctx: &Ctx, workspace: &Workspace, query: &str) -> anyhow::Result<usize> {
    let looks_like_path = query.contains('/') || query.starts_with('.');
    if looks_like_path {
        let on_disk = ctx.cwd.join(query).canonicalize().ok();
        let from_cwd = on_disk
            .and_then(|path| workspace.relative(&path))
            .and_then(|rel| workspace.package_containing(&rel));
        let trimmed = query.trim_end_matches('/');
        let from_root = workspace
            .package_containing(trimmed)
            .or_else(|| workspace.package_containing(&format!("packages/{trimmed}")))
            .filter(|_| !trimmed.starts_with('.'));
        return from_cwd.or(from_root).ok_or_else(|| {
            Failure::new(format!("no package at `{query}`"))
                .hint("a package is a directory `packages/<kind>/<name>` with a Chart.yaml")
                .into()
        });
    }
    let matches: Vec<usize> = workspace
        .packages()
        .iter()
        .enumerate()
        .filter(|(_, package)| package.name == query)
        .map(|(index, _)| index)
        .collect();
    match matches.as_slice() {
        [index] => Ok(*index),
        [] => {
            let mut failure = Failure::new(format!("no package named `{query}`"));
            let suggestions = suggest(workspace, query);
            if !suggestions.is_empty() {
                failure = failure.hint(format!("did you mean {}?", suggestions.join(", ")));
            }
            Err(failure.hint("`cozy pkg list` shows every package").into())
        }
        several => {
            let paths: Vec<&str> =
                several.iter().map(|&index| workspace.package(index).rel.as_str()).collect();
            Err(Failure::new(format!("`{query}` is ambiguous: {}", paths.join(", ")))
                .hint(format!(
                    "name it by path, e.g. `{}`",
                    paths[0].trim_start_matches("packages/")
                ))
                .into())
        }
    }
}

/// Up to three package names close to `query`, best first, as `` `name` ``.
fn suggest(workspace: &Workspace, query: &str) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = workspace
        .packages()
        .iter()
        .map(|package| (strsim::jaro_winkler(query, &package.name), package.name.as_str()))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, name)| format!("`{name}`")).collect()
}

/// Paths (relative to the root) changed since the merge base with `reference`, plus, unless
/// `committed_only`, uncommitted and untracked files.
fn changed_paths(
    ctx: &Ctx,
    workspace: &Workspace,
    reference: &str,
    committed_only: bool,
) -> anyhow::Result<BTreeSet<String>> {
    let runner = ctx.runner("--changed-since");
    let root = workspace.root();
    let git = |args: &[&str]| -> anyhow::Result<String> {
        runner.cmd(Tool::Git).arg("-C").arg(root).args(args).read()
    };
    let range = format!("{reference}...HEAD");
    let mut changed: BTreeSet<String> = git(&["diff", "--name-only", "--relative", &range])
        .with_context(|| format!("failed to list the files changed since `{reference}`"))?
        .lines()
        .map(str::to_owned)
        .collect();
    if !committed_only {
        for args in [
            &["diff", "--name-only", "--relative", "HEAD"][..],
            &["ls-files", "--others", "--exclude-standard"][..],
        ] {
            let listed = git(args).context("failed to list uncommitted changes")?;
            changed.extend(listed.lines().map(str::to_owned));
        }
    }
    ctx.printer.debug(&format!("{} paths changed since {reference}", changed.len()));
    Ok(changed)
}

/// Which packages the changed paths select: a full-rebuild trigger selects all; otherwise
/// direct hits and `[deps] inputs` matches, closed over reverse dependencies.
fn changed_packages(
    workspace: &Workspace,
    graph: &Graph,
    changed: &BTreeSet<String>,
    verb: Option<&str>,
) -> anyhow::Result<Vec<bool>> {
    let count = workspace.packages().len();
    let manifest = workspace.manifest();
    let mut globs = manifest.workspace.full_rebuild.clone();
    if let Some(for_verb) = verb.and_then(|verb| manifest.select.get(verb)) {
        globs.extend(for_verb.full_rebuild.iter().cloned());
    }
    let full =
        glob_set(&globs, Path::new("")).context("invalid `full_rebuild` glob in cozy.toml")?;
    if changed.iter().any(|path| full.is_match(path)) {
        return Ok(vec![true; count]);
    }
    let mut hit = vec![false; count];
    for path in changed {
        if let Some(index) = workspace.package_containing(path) {
            hit[index] = true;
        }
    }
    for (index, package) in workspace.packages().iter().enumerate() {
        if hit[index] || package.manifest.dep_inputs().is_empty() {
            continue;
        }
        let inputs = glob_set(package.manifest.dep_inputs(), Path::new(&package.rel))
            .with_context(|| {
                format!("invalid `[deps] inputs` glob in {}", package.manifest_rel())
            })?;
        hit[index] = changed.iter().any(|path| inputs.is_match(path));
    }
    Ok(graph.with_dependents(&hit))
}

/// Globs relative to `base` (root-relative), normalised to root-relative patterns.
fn glob_set(globs: &[String], base: &Path) -> anyhow::Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let pattern = graph::normalize(&base.join(glob));
        let pattern = pattern.to_string_lossy();
        builder.add(Glob::new(&pattern).with_context(|| format!("`{glob}`"))?);
    }
    Ok(builder.build()?)
}
