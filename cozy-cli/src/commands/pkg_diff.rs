//! `cozy pkg diff`: object-by-object differences of a release, against the cluster or between
//! two git revisions. Exit codes as diff(1): 0 same, 1 different, 2 error.

use std::path::Path;

use anyhow::Context as _;

use crate::cli::{DiffArgs, DiffFormat, SelectArgs};
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::kube::Kube;
use crate::release_render::{self, Inputs, Request, Target};
use crate::render::diff::{self, Entry, Options};
use crate::render::{labels, manifest};
use crate::select::WhenEmpty;
use crate::tool::{Runner, Tool};
use crate::workspace::{Package, Workspace};
use crate::{archive, release};

/// Diffs every selected package; a failing one does not stop the others.
pub(super) fn run(ctx: &Ctx, args: &DiffArgs) -> anyhow::Result<Outcome> {
    let runner = ctx.runner("");
    let options =
        Options { context: usize::try_from(args.unified).ok(), show_secrets: args.show_secrets };
    let (old_rev, new_rev) = parse_rev(args.rev.as_deref());
    let nothing_named =
        args.select.packages.is_empty() && !args.select.all && args.select.changed_since.is_none();
    // With `--rev A` and no packages named, diff what changed since A.
    let selection = match &old_rev {
        Some(old) if nothing_named => SelectArgs {
            changed_since: Some(old.clone()),
            kind: args.select.kind.clone(),
            ..SelectArgs::default()
        },
        _ => args.select.clone(),
    };
    let super::Selection { workspace, selected, components } =
        super::selection(ctx, &selection, WhenEmpty::CurrentPackage)?;
    let trees = match &old_rev {
        Some(old) => Some((
            checkout(&runner, &workspace, old)?,
            new_rev.as_deref().map(|new| checkout(&runner, &workspace, new)).transpose()?,
        )),
        None => None,
    };

    let (mut differ, mut failed) = (false, 0usize);
    let mut json = Vec::new();
    let results = super::for_each_package(
        ctx,
        &selected,
        args.release.jobs,
        |index| -> anyhow::Result<Vec<Entry>> {
            let package = workspace.package(index);
            let identity = release::resolve(package, &components).map_err(Failure::new)?;
            let Some((old, new)) = &trees else {
                let target = release_render::target(package, &identity, &args.release)?;
                return cluster_diff(ctx, &runner, package, &target, args, options);
            };
            // Offline renders need a name even for apps; the package name stands in.
            let target = Target {
                name: args
                    .release
                    .name
                    .clone()
                    .or(identity.name)
                    .unwrap_or_else(|| package.name.clone()),
                namespace: args
                    .release
                    .namespace
                    .clone()
                    .or(identity.namespace)
                    .unwrap_or_else(|| format!("tenant-{}", package.name)),
            };
            let new_root = new.as_ref().map(tempfile::TempDir::path);
            rev_diff(&runner, &workspace, package, &target, old.path(), new_root, args, options)
        },
    )?;
    for (&index, result) in selected.iter().zip(results) {
        let package = workspace.package(index);
        match result {
            Ok(entries) => {
                differ |= !entries.is_empty();
                match args.output {
                    DiffFormat::Json => json.extend(entries.iter().map(|entry| {
                        serde_json::json!({"package": package.rel, "key": entry.key, "change": entry.change.as_str(), "diff": entry.diff})
                    })),
                    DiffFormat::Text if entries.is_empty() => ctx.printer.status(&format!("{}: no differences", package.rel)),
                    DiffFormat::Text => ctx.printer.stdout(&format!("{}:\n{}", package.rel, crate::output::Printer::color_diff_lines(&diff::report(&entries))))?,
                }
            }
            Err(err) => {
                failed += 1;
                ctx.printer.error(&err);
            }
        }
    }
    if args.output == DiffFormat::Json {
        let mut text = serde_json::to_string_pretty(&json)?;
        text.push('\n');
        ctx.printer.stdout(&text)?;
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "diff failed for {failed} of {} packages",
            selected.len()
        ))
        .into());
    }
    Ok(if differ { Outcome::Findings } else { Outcome::Done })
}

/// `A..B` → (A, B); `A` → (A, working tree); `A..` → (A, working tree).
fn parse_rev(rev: Option<&str>) -> (Option<String>, Option<String>) {
    match rev {
        Some(range) => match range.split_once("..") {
            Some((a, b)) => (Some(a.to_owned()), Some(b.to_owned()).filter(|b| !b.is_empty())),
            None => (Some(range.to_owned()), None),
        },
        None => (None, None),
    }
}

fn cluster_diff(
    ctx: &Ctx,
    runner: &Runner,
    package: &Package,
    target: &Target,
    args: &DiffArgs,
    options: Options,
) -> anyhow::Result<Vec<Entry>> {
    let kube =
        Kube::new(runner, args.release.kubeconfig.as_deref(), args.release.context.as_deref());
    let extra = super::pkg_show::extra_values(ctx, &args.render)?;
    let hr = release_render::helmrelease(&kube, target)?;
    let inputs = release_render::from_helmrelease(&kube, package, &hr, extra)?;
    let capabilities = kube.capabilities()?;
    let request = Request {
        runner,
        package,
        target,
        inputs: &inputs,
        capabilities: &capabilities,
        set: &args.render.set,
        show_only: &[],
        server_lookups: true,
        no_hooks: true,
        include_crds: false,
    };
    let desired = labels::add_flux_labels(
        &release_render::helm_template(&request)?,
        &target.name,
        &target.namespace,
    )
    .map_err(Failure::new)?;
    let output = runner
        .cmd(Tool::Helm)
        .args(["get", "manifest", &target.name, "--namespace", &target.namespace])
        .output()?
        .context("helm get manifest was skipped")?;
    let current = if output.status.success() {
        String::from_utf8_lossy(&output.stdout).into_owned()
    } else if String::from_utf8_lossy(&output.stderr).contains("not found") {
        ctx.printer.status(&format!(
            "{}: release {} is not installed; everything is new",
            package.rel, target.name
        ));
        String::new()
    } else {
        anyhow::bail!(
            "`helm get manifest {}` failed\n--- stderr\n{}",
            target.name,
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    };
    let old = manifest::parse(&current, &target.namespace).map_err(Failure::new)?;
    let new = manifest::parse(&desired, &target.namespace).map_err(Failure::new)?;
    Ok(diff::compare(&old, &new, options))
}

#[expect(
    clippy::too_many_arguments,
    reason = "the two trees and the render settings of one comparison"
)]
fn rev_diff(
    runner: &Runner,
    workspace: &Workspace,
    package: &Package,
    target: &Target,
    old_root: &Path,
    new_root: Option<&Path>,
    args: &DiffArgs,
    options: Options,
) -> anyhow::Result<Vec<Entry>> {
    let capabilities = super::pkg_show::offline_capabilities(workspace, &args.render);
    let render = |root: &Path| -> anyhow::Result<Option<String>> {
        let dir = root.join(&package.rel);
        if !dir.join("Chart.yaml").is_file() {
            return Ok(None);
        }
        let moved = Package {
            dir,
            kind: package.kind.clone(),
            name: package.name.clone(),
            rel: package.rel.clone(),
            chart: package.chart.clone(),
            manifest: package.manifest.clone(),
        };
        let inputs = Inputs::plain(Vec::new());
        let request = Request {
            runner,
            package: &moved,
            target,
            inputs: &inputs,
            capabilities: &capabilities,
            set: &args.render.set,
            show_only: &[],
            server_lookups: false,
            no_hooks: false,
            include_crds: true,
        };
        release_render::helm_template(&request).map(Some)
    };
    let parse = |text: Option<String>| {
        manifest::parse(text.as_deref().unwrap_or(""), &target.namespace).map_err(Failure::new)
    };
    let old_text = render(old_root)?;
    let mut old = parse(old_text.clone())?;
    let again = parse(render(old_root)?)?;
    let mut new = parse(render(new_root.unwrap_or(workspace.root()))?)?;
    diff::mask_volatile(&mut old, &again, &mut new);
    Ok(diff::compare(&old, &new, options))
}

/// The `packages/` tree of a git revision, in a temporary directory.
fn checkout(
    runner: &Runner,
    workspace: &Workspace,
    rev: &str,
) -> anyhow::Result<tempfile::TempDir> {
    let output = runner
        .cmd(Tool::Git)
        .arg("-C")
        .arg(workspace.root())
        .args(["archive", "--format=tar", rev, "--", "packages"])
        .output()?
        .context("git archive was skipped")?;
    if !output.status.success() {
        anyhow::bail!(
            "`git archive {rev}` failed\n--- stderr\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        );
    }
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    archive::unpack_tar(&output.stdout, dir.path(), 0, 4 * 1024 * 1024 * 1024)
        .with_context(|| format!("cannot unpack `git archive {rev}`"))?;
    Ok(dir)
}
