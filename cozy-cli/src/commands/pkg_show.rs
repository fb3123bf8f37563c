//! `cozy pkg show`: the release as Flux would render it, or the package alone with `--plain`.

use crate::cli::{RenderArgs, ShowArgs};
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::kube::{Capabilities, Kube};
use crate::manifest::ReleaseMode;
use crate::release_render::{self, Inputs, Request};
use crate::render::labels;
use crate::select::WhenEmpty;
use crate::workspace::Workspace;
use crate::{fsx, release};

/// Renders every selected package; a failing one does not stop the others.
pub(super) fn run(ctx: &Ctx, args: &ShowArgs) -> anyhow::Result<Outcome> {
    let super::Selection { workspace, selected, components } =
        super::selection(ctx, &args.select, WhenEmpty::CurrentPackage)?;
    let runner = ctx.runner("");
    let kube =
        Kube::new(&runner, args.release.kubeconfig.as_deref(), args.release.context.as_deref());
    let extra = extra_values(ctx, &args.render)?;
    let mut failed = 0;
    let results = super::for_each_package(
        ctx,
        &selected,
        args.release.jobs,
        |index| -> anyhow::Result<String> {
            let package = workspace.package(index);
            let identity = release::resolve(package, &components).map_err(Failure::new)?;
            let target = release_render::target(package, &identity, &args.release)?;
            let plain = args.render.plain || identity.mode == ReleaseMode::Plain;
            let (inputs, capabilities) = if plain {
                (Inputs::plain(extra.clone()), offline_capabilities(&workspace, &args.render))
            } else {
                let hr = release_render::helmrelease(&kube, &target)?;
                let inputs = release_render::from_helmrelease(&kube, package, &hr, extra.clone())?;
                let capabilities = match args.render.kube_version {
                    Some(_) => offline_capabilities(&workspace, &args.render),
                    None => kube.capabilities()?,
                };
                (inputs, capabilities)
            };
            let request = Request {
                runner: &runner,
                package,
                target: &target,
                inputs: &inputs,
                capabilities: &capabilities,
                set: &args.render.set,
                show_only: &args.show_only,
                server_lookups: !plain,
                no_hooks: true,
                include_crds: false,
            };
            let rendered = release_render::helm_template(&request)?;
            if plain {
                Ok(rendered)
            } else {
                labels::add_flux_labels(&rendered, &target.name, &target.namespace)
                    .map_err(|err| Failure::new(err).into())
            }
        },
    )?;
    for result in results {
        match result {
            Ok(rendered) => ctx.printer.stdout(&rendered)?,
            Err(err) => {
                failed += 1;
                ctx.printer.error(&err);
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "rendering failed for {failed} of {} packages",
            selected.len()
        ))
        .into());
    }
    Ok(Outcome::Done)
}

/// `--kube-version`/`--api-versions`, else the workspace's `[render]` pins.
pub(super) fn offline_capabilities(workspace: &Workspace, args: &RenderArgs) -> Capabilities {
    let pinned = workspace.manifest().render.clone().unwrap_or_default();
    Capabilities {
        kube_version: args.kube_version.clone().or(pinned.kube_version),
        api_versions: if args.api_versions.is_empty() {
            pinned.api_versions
        } else {
            args.api_versions.clone()
        },
    }
}

/// The `-f` files, parsed.
pub(super) fn extra_values(ctx: &Ctx, args: &RenderArgs) -> anyhow::Result<Vec<serde_yaml::Value>> {
    args.values
        .iter()
        .map(|path| {
            let shown = path.display().to_string();
            let text = fsx::read_to_string(&ctx.cwd.join(path))?;
            serde_yaml::from_str(&text)
                .map_err(|err| Failure::new(crate::yaml_error::describe(&shown, &err)).into())
        })
        .collect()
}
