//! `cozy talos update | render | build | verify | push | matchbox | lock` (inspect has its own
//! file).

use std::path::PathBuf;

use crate::cli::{TalosBuildArgs, TalosCommand, TalosRenderArgs, TalosVerifyArgs};
use crate::context::Ctx;
use crate::error::Outcome;
use crate::talos::config::{Arch, Kind};
use crate::talos::project::Project;

/// Runs one `cozy talos` subcommand.
pub(super) fn run(ctx: &Ctx, command: TalosCommand) -> anyhow::Result<Outcome> {
    let workspace = ctx.workspace()?;
    let project = Project::load(&workspace)?;
    match command {
        TalosCommand::Render(args) => render(ctx, &project, &args),
        TalosCommand::Build(args) => build(ctx, &project, &args),
        TalosCommand::Verify(args) => verify(ctx, &project, &args),
        TalosCommand::Lock(_) => {
            ctx.printer.stdout(&project.lock()?.env_lines())?;
            Ok(Outcome::Done)
        }
        TalosCommand::Update(args) => crate::talos::update::run(ctx, &project, &args),
        TalosCommand::Push(args) => crate::talos::push::run(ctx, &project, &args),
        TalosCommand::Matchbox(args) => crate::talos::matchbox::run(ctx, &project, &args),
        TalosCommand::Inspect(_) => unreachable!("dispatched to talos_inspect"),
    }
}

fn render(ctx: &Ctx, project: &Project, args: &TalosRenderArgs) -> anyhow::Result<Outcome> {
    let arch = Arch::parse(&args.arch)?;
    let kind = Kind::parse(&args.kind)?;
    let variant = project.config.variant(&args.variant)?;
    let text =
        crate::talos::render::profile(&project.config, project.lock()?, arch, variant, kind)?;
    ctx.printer.stdout(&text)?;
    Ok(Outcome::Done)
}

fn build(ctx: &Ctx, project: &Project, args: &TalosBuildArgs) -> anyhow::Result<Outcome> {
    let request = crate::talos::build::Request {
        arches: args.units.arch.clone(),
        variants: args.units.variant.clone(),
        kinds: args.kind.clone(),
        jobs: args.jobs.max(1),
        force: args.force,
        fail_fast: args.fail_fast,
    };
    let results = crate::talos::build::run(ctx, project, &request)?;
    if !ctx.dry_run {
        for line in crate::talos::build::summary(&results) {
            ctx.printer.status(&line);
        }
        if args.output == crate::cli::BuildFormat::Json {
            let list = |kinds: &[Kind]| kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>();
            let units: Vec<serde_json::Value> = results
                .iter()
                .map(|result| {
                    let (arch, variant) = result.name.split_once('/').unwrap_or_default();
                    let path = project.show(&project.units_dir().join(&result.name));
                    serde_json::json!({
                        "unit": result.name,
                        "arch": arch,
                        "variant": variant,
                        "status": if result.error.is_some() { "failed" } else { "ok" },
                        "built": list(&result.built),
                        "reused": list(&result.reused),
                        "dropped": list(&result.dropped),
                        "path": path,
                        "error": result.error.as_ref().map(|err| format!("{err:#}")),
                    })
                })
                .collect();
            ctx.printer.stdout(&format!("{}\n", serde_json::to_string_pretty(&units)?))?;
        }
    }
    let failures: Vec<_> = results.iter().filter(|r| r.error.is_some()).collect();
    if failures.is_empty() {
        if ctx.dry_run {
            return Ok(Outcome::Done);
        }
        ctx.printer.status(&format!(
            "{} unit(s) built under {}",
            results.len(),
            project.show(&project.units_dir())
        ));
        return Ok(Outcome::Done);
    }
    for failure in &failures {
        if let Some(err) = &failure.error {
            ctx.printer.error(&anyhow::anyhow!("{}: {err:#}", failure.name));
        }
    }
    anyhow::bail!("{} of {} unit(s) failed", failures.len(), results.len())
}

fn verify(ctx: &Ctx, project: &Project, args: &TalosVerifyArgs) -> anyhow::Result<Outcome> {
    let units: Vec<PathBuf> = if args.units.is_empty() {
        let root = project.units_dir();
        let mut found = Vec::new();
        for arch in Arch::ALL {
            let dir = root.join(arch.as_str());
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut dirs: Vec<PathBuf> =
                entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
            dirs.sort();
            found.extend(dirs);
        }
        if found.is_empty() {
            anyhow::bail!(
                "no built units under {}; run `cozy talos build` first",
                project.show(&root)
            );
        }
        found
    } else {
        args.units.iter().map(|p| ctx.cwd.join(p)).collect()
    };
    let mut clean = true;
    for dir in &units {
        let shown = project.show(dir);
        if !dir.is_dir() {
            anyhow::bail!("{shown} is not a directory");
        }
        let options = crate::talos::unit::VerifyOptions { deep: args.deep };
        let (report, mut findings) = crate::talos::unit::verify(dir, options)?;
        if args.against_config
            && let Some(report) = &report
        {
            findings.extend(drift(project, report, dir)?);
        }
        if findings.is_empty() {
            ctx.printer.status(&format!("{shown}: ok"));
        } else {
            clean = false;
            for finding in &findings {
                ctx.printer.stdout(&format!("{shown}/{finding}\n"))?;
            }
        }
    }
    Ok(if clean { Outcome::Done } else { Outcome::Findings })
}

/// Profiles that the current talos.toml and talos.lock would render differently.
fn drift(
    project: &Project,
    report: &crate::talos::report::Report,
    dir: &std::path::Path,
) -> anyhow::Result<Vec<String>> {
    let drifted = |why: anyhow::Error| {
        Ok(vec![format!(
            "{}: the current config cannot render this unit: {why:#}",
            crate::talos::checksums::REPORT
        )])
    };
    let arch = match Arch::parse(&report.arch) {
        Ok(arch) => arch,
        Err(err) => return drifted(err),
    };
    let variant = match project.config.variant(&report.variant) {
        Ok(variant) => variant,
        Err(err) => return drifted(err),
    };
    let lock = project.lock()?;
    let mut findings = Vec::new();
    for &kind in &report.kinds {
        let path = crate::talos::names::profile_path(kind);
        let now = match crate::talos::render::profile(&project.config, lock, arch, variant, kind) {
            Ok(now) => now,
            Err(err) => return drifted(err),
        };
        if std::fs::read(dir.join(&path)).ok().as_deref() != Some(now.as_bytes()) {
            findings
                .push(format!("{path}: differs from what talos.toml and talos.lock render now"));
        }
    }
    Ok(findings)
}
