//! `cozy pkg apply`: suspend the HelmRelease, then `helm upgrade --install` with its values and
//! Flux's labels added by a post-renderer (cozy itself for Helm 3; a `postrenderer/v1` plugin in
//! a private `HELM_PLUGINS` directory for Helm 4). HelmRelease status is not forged; the release
//! stays suspended until `--resume` or `cozy pkg resume` hands it back to Flux.

use std::io::IsTerminal as _;
use std::path::Path;

use anyhow::Context as _;

use crate::cli::ApplyArgs;
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::kube::Kube;
use crate::manifest::{ApplyMode, ReleaseMode};
use crate::release_render::{self, Inputs, Target};
use crate::select::WhenEmpty;
use crate::tool::{Runner, Tool};
use crate::workspace::{Package, Workspace};
use crate::{fsx, release};

/// Applies every selected package, after the context guard.
pub(super) fn run(ctx: &Ctx, args: &ApplyArgs) -> anyhow::Result<Outcome> {
    let super::Selection { workspace, selected, components } =
        super::selection(ctx, &args.select, WhenEmpty::CurrentPackage)?;
    let runner = ctx.runner("");
    let kube =
        Kube::new(&runner, args.release.kubeconfig.as_deref(), args.release.context.as_deref());
    let context = kube.current_context(args.release.context.as_deref())?;
    guard(&workspace, args, &context)?;
    let extra = super::pkg_show::extra_values(ctx, &args.render)?;
    let mut failed = 0;
    let results = super::for_each_package(
        ctx,
        &selected,
        args.release.jobs,
        |index| -> anyhow::Result<()> {
            let package = workspace.package(index);
            let identity = release::resolve(package, &components).map_err(Failure::new)?;
            let target = release_render::target(package, &identity, &args.release)?;
            ctx.printer.status(&format!(
                "applying {} as {} in namespace {} on context {context}",
                package.rel, target.name, target.namespace
            ));
            if args.render.plain || identity.mode == ReleaseMode::Plain {
                let apply = package
                    .manifest
                    .release
                    .as_ref()
                    .and_then(|release| release.apply)
                    .unwrap_or(ApplyMode::Client);
                return apply_plain(
                    &kube,
                    &workspace,
                    package,
                    &target,
                    args,
                    extra.clone(),
                    apply,
                );
            }
            let hr = release_render::helmrelease(&kube, &target)?;
            let inputs = release_render::from_helmrelease(&kube, package, &hr, extra.clone())?;
            kube.set_suspended(&target.name, &target.namespace, true)?;
            upgrade(&runner, package, &target, &inputs, args)?;
            if args.resume {
                kube.set_suspended(&target.name, &target.namespace, false)?;
            } else {
                ctx.printer.status(&format!(
                    "HelmRelease {}/{} stays suspended; hand it back to Flux with `cozy pkg resume {}`",
                    target.namespace, target.name, package.name
                ));
            }
            Ok(())
        },
    )?;
    for result in results {
        if let Err(err) = result {
            failed += 1;
            ctx.printer.error(&err);
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "apply failed for {failed} of {} packages",
            selected.len()
        ))
        .into());
    }
    Ok(Outcome::Done)
}

/// Refuses a context other than the workspace's pinned one, and non-interactive runs that did
/// not name a context, unless `--yes`.
fn guard(workspace: &Workspace, args: &ApplyArgs, context: &str) -> anyhow::Result<()> {
    if args.yes {
        return Ok(());
    }
    if let Some(pinned) = &workspace.manifest().workspace.kube_context
        && pinned != context
    {
        return Err(Failure::new(format!(
            "kube context `{context}` is not the one this workspace pins (`{pinned}`)"
        ))
        .hint("switch context, pass `--context`, or confirm with `--yes`")
        .into());
    }
    if args.release.context.is_none() && !std::io::stdin().is_terminal() {
        return Err(Failure::new(format!("refusing to apply to kube context `{context}` from a non-interactive run without `--context`"))
            .hint("pass `--context NAME` to say which cluster, or `--yes`")
            .into());
    }
    Ok(())
}

fn upgrade(
    runner: &Runner,
    package: &Package,
    target: &Target,
    inputs: &Inputs,
    args: &ApplyArgs,
) -> anyhow::Result<()> {
    let prepared = release_render::prepare(package, inputs)?;
    let version = runner.cmd(Tool::Helm).args(["version", "--short"]).read()?;
    let exe = std::env::current_exe()
        .context("cannot find the cozy executable for helm's post-renderer")?;
    let plugins = tempfile::tempdir().context("cannot create a temporary directory")?;
    let mut call = runner
        .cmd(Tool::Helm)
        .args(["upgrade", "--install", &target.name])
        .arg(&prepared.chart_dir)
        .args(["--namespace", &target.namespace, "--values"])
        .arg(&prepared.values_file);
    if version.trim_start().starts_with("v3.") {
        call =
            call.arg("--post-renderer").arg(&exe).args(["--post-renderer-args", "__post-render"]);
        for arg in [format!("--name={}", target.name), format!("--namespace={}", target.namespace)]
        {
            call = call.args(["--post-renderer-args", &arg]);
        }
    } else {
        write_plugin(plugins.path(), &exe, target)?;
        call =
            call.env("HELM_PLUGINS", plugins.path()).args(["--post-renderer", "cozy-flux-labels"]);
    }
    for set in &args.render.set {
        call = call.args(["--set", set]);
    }
    if args.take_ownership {
        call = call.arg("--take-ownership");
    }
    call.mutates().read().map(|_| ())
}

/// A Helm 4 `postrenderer/v1` plugin that runs `cozy __post-render`.
fn write_plugin(dir: &Path, exe: &Path, target: &Target) -> anyhow::Result<()> {
    let plugin = dir.join("cozy-flux-labels");
    std::fs::create_dir_all(&plugin)
        .with_context(|| format!("cannot create `{}`", plugin.display()))?;
    let quoted = |text: &str| serde_json::to_string(text).expect("strings serialize");
    let yaml = format!(
        "apiVersion: v1\ntype: postrenderer/v1\nname: cozy-flux-labels\nversion: 0.1.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n    - command: {}\n      args: [\"__post-render\", {}, {}]\n",
        quoted(&exe.to_string_lossy()),
        quoted(&format!("--name={}", target.name)),
        quoted(&format!("--namespace={}", target.namespace)),
    );
    fsx::write_scratch(&plugin.join("plugin.yaml"), yaml.as_bytes())
}

fn apply_plain(
    kube: &Kube<'_>,
    workspace: &Workspace,
    package: &Package,
    target: &Target,
    args: &ApplyArgs,
    extra: Vec<serde_yaml::Value>,
    mode: ApplyMode,
) -> anyhow::Result<()> {
    let inputs = Inputs::plain(extra);
    let capabilities = super::pkg_show::offline_capabilities(workspace, &args.render);
    let request = release_render::Request {
        runner: kube.runner(),
        package,
        target,
        inputs: &inputs,
        capabilities: &capabilities,
        set: &args.render.set,
        show_only: &[],
        server_lookups: false,
        no_hooks: true,
        include_crds: true,
    };
    let rendered = release_render::helm_template(&request)?;
    let mut call = kube.call().args(["apply", "--filename", "-"]);
    if mode == ApplyMode::ServerSide {
        call = call.args(["--server-side", "--force-conflicts"]);
    }
    call.stdin(rendered).mutates().read().map(|_| ())
}
