//! One file per command; this module only dispatches.

mod builder;
pub mod completions;
mod dashboards;
mod generate;
mod pkg_apply;
mod pkg_cluster;
mod pkg_diff;
mod pkg_image;
mod pkg_lint;
mod pkg_list;
mod pkg_migrate;
mod pkg_new;
mod pkg_show;
mod pkg_update;
mod post_render;
mod schema;
mod talos;
mod talos_inspect;

use crate::cli::{Command, PkgCommand, TalosCommand};
use crate::context::Ctx;
use crate::error::Outcome;

/// What a package verb starts from: the workspace, the selected packages (indexes, in
/// workspace order) and the platform components that give release identities.
struct Selection {
    workspace: crate::workspace::Workspace,
    selected: Vec<usize>,
    components: Vec<crate::platform::Component>,
}

fn selection(
    ctx: &Ctx,
    args: &crate::cli::SelectArgs,
    when_empty: crate::select::WhenEmpty,
) -> anyhow::Result<Selection> {
    let workspace = ctx.workspace()?;
    let selected = crate::select::select(ctx, &workspace, None, args, when_empty)?;
    let components = workspace.platform_components()?;
    Ok(Selection { workspace, selected, components })
}

/// Runs `work` for every selected package, `jobs` at a time, and returns the results in
/// selection order. A progress bar shows on a terminal when there is more than one package.
fn for_each_package<T: Send>(
    ctx: &Ctx,
    selected: &[usize],
    jobs: u16,
    work: impl Fn(usize) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<anyhow::Result<T>>> {
    let bar = ctx.printer.progress(selected.len());
    if jobs == 1 || selected.len() < 2 {
        let results = selected
            .iter()
            .map(|&index| {
                let result = work(index);
                bar.inc(1);
                result
            })
            .collect();
        bar.finish_and_clear();
        return Ok(results);
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(usize::from(jobs)).build()?;
    let results = pool.install(|| {
        use rayon::prelude::*;
        selected
            .par_iter()
            .map(|&index| {
                let result = work(index);
                bar.inc(1);
                result
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(results)
}

/// The command's name as a user types it, for messages such as "needed for `cozy pkg list`".
#[must_use]
pub fn name(command: &Command) -> &'static str {
    match command {
        Command::Pkg(PkgCommand::List(_)) => "cozy pkg list",
        Command::Pkg(PkgCommand::Update(_)) => "cozy pkg update",
        Command::Pkg(PkgCommand::Show(_)) => "cozy pkg show",
        Command::Pkg(PkgCommand::Diff(_)) => "cozy pkg diff",
        Command::Pkg(PkgCommand::Apply(_)) => "cozy pkg apply",
        Command::Pkg(PkgCommand::Suspend(_)) => "cozy pkg suspend",
        Command::Pkg(PkgCommand::Resume(_)) => "cozy pkg resume",
        Command::Pkg(PkgCommand::Delete(_)) => "cozy pkg delete",
        Command::Pkg(PkgCommand::Status(_)) => "cozy pkg status",
        Command::Pkg(PkgCommand::Image(_)) => "cozy pkg image",
        Command::Pkg(PkgCommand::New(_)) => "cozy pkg new",
        Command::Pkg(PkgCommand::Lint(_)) => "cozy pkg lint",
        Command::Pkg(PkgCommand::Migrate(_)) => "cozy pkg migrate",
        Command::PostRender(_) => "cozy __post-render",
        Command::Generate(_) => "cozy generate",
        Command::Talos(TalosCommand::Update(_)) => "cozy talos update",
        Command::Talos(TalosCommand::Render(_)) => "cozy talos render",
        Command::Talos(TalosCommand::Build(_)) => "cozy talos build",
        Command::Talos(TalosCommand::Verify(_)) => "cozy talos verify",
        Command::Talos(TalosCommand::Inspect(_)) => "cozy talos inspect",
        Command::Talos(TalosCommand::Push(_)) => "cozy talos push",
        Command::Talos(TalosCommand::Matchbox(_)) => "cozy talos matchbox",
        Command::Talos(TalosCommand::Lock(_)) => "cozy talos lock",
        Command::Builder(_) => "cozy builder create",
        Command::Dashboards(_) => "cozy dashboards update",
        Command::Schema(_) => "cozy schema",
        Command::Completions(_) => "cozy completions",
    }
}

/// Runs `command`.
pub fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Pkg(PkgCommand::List(args)) => pkg_list::run(ctx, &args),
        Command::Pkg(PkgCommand::Update(args)) => pkg_update::run(ctx, &args),
        Command::Pkg(PkgCommand::Show(args)) => pkg_show::run(ctx, &args),
        Command::Pkg(PkgCommand::Diff(args)) => pkg_diff::run(ctx, &args),
        Command::Pkg(PkgCommand::Apply(args)) => pkg_apply::run(ctx, &args),
        Command::Pkg(PkgCommand::Suspend(args)) => {
            pkg_cluster::run(ctx, &args, pkg_cluster::Verb::Suspend)
        }
        Command::Pkg(PkgCommand::Resume(args)) => {
            pkg_cluster::run(ctx, &args, pkg_cluster::Verb::Resume)
        }
        Command::Pkg(PkgCommand::Delete(args)) => {
            pkg_cluster::run(ctx, &args, pkg_cluster::Verb::Delete)
        }
        Command::Pkg(PkgCommand::Status(args)) => {
            pkg_cluster::run(ctx, &args, pkg_cluster::Verb::Status)
        }
        Command::Pkg(PkgCommand::Image(args)) => pkg_image::run(ctx, &args),
        Command::Pkg(PkgCommand::New(args)) => pkg_new::run(ctx, &args),
        Command::Pkg(PkgCommand::Lint(args)) => pkg_lint::run(ctx, &args),
        Command::Pkg(PkgCommand::Migrate(args)) => pkg_migrate::run(ctx, &args),
        Command::PostRender(args) => post_render::run(ctx, &args),
        Command::Generate(args) => generate::run(ctx, &args),
        Command::Talos(TalosCommand::Inspect(args)) => talos_inspect::run(ctx, &args),
        Command::Talos(command) => talos::run(ctx, command),
        Command::Builder(crate::cli::BuilderCommand::Create(args)) => builder::create(ctx, &args),
        Command::Dashboards(crate::cli::DashboardsCommand::Update(args)) => {
            dashboards::update(ctx, &args)
        }
        Command::Schema(args) => schema::run(ctx, &args),
        Command::Completions(args) => completions::run(ctx, &args),
    }
}
