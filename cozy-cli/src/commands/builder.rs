//! `cozy builder create`: a buildx builder, typically BuildKit in a Kubernetes cluster.

use crate::cli::BuilderCreateArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::tool::Tool;

/// Runs `docker buildx create` with the driver options the flags ask for.
pub(super) fn create(ctx: &Ctx, args: &BuilderCreateArgs) -> anyhow::Result<Outcome> {
    let mut options = Vec::new();
    if let Some(namespace) = &args.namespace {
        options.push(format!("namespace={namespace}"));
    }
    if let Some(replicas) = args.replicas {
        options.push(format!("replicas={replicas}"));
    }
    let runner = ctx.runner("");
    let mut call = runner.cmd(Tool::Docker).args([
        "buildx",
        "create",
        "--name",
        &args.name,
        "--driver",
        &args.driver,
    ]);
    if !options.is_empty() {
        call = call.args(["--driver-opt", &options.join(",")]);
    }
    if let Some(platform) = &args.platform {
        call = call.args(["--platform", platform]);
    }
    if args.use_builder {
        call = call.arg("--use");
    }
    call.arg("--bootstrap").mutates().read()?;
    if !ctx.dry_run {
        ctx.printer.status(&format!(
            "builder `{}` is ready; build with `cozy pkg image --builder {}` or BUILDER={}",
            args.name, args.name, args.name
        ));
    }
    Ok(Outcome::Done)
}
