//! `cozy generate`: README parameters and values.schema.json for packages or single files.

use std::path::Path;

use rayon::prelude::*;

use crate::cli::{DialectArg, GenerateArgs};
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::fsx;
use crate::generate::{self, FileRef, Job, Output};
use crate::select::{self, WhenEmpty};
use crate::values::Dialect;

/// Generates (or with `--check`, compares) every selected package's files.
pub(super) fn run(ctx: &Ctx, args: &GenerateArgs) -> anyhow::Result<Outcome> {
    let jobs = if args.is_standalone() {
        vec![standalone_job(ctx, args)?]
    } else {
        workspace_jobs(ctx, args)?
    };
    let forced = args.dialect.map(|dialect| match dialect {
        DialectArg::Cozyvalues => Dialect::Cozyvalues,
        DialectArg::Bitnami => Dialect::Bitnami,
    });
    let results: Vec<(Job, Result<Vec<Output>, String>)> = jobs
        .into_par_iter()
        .map(|mut job| {
            job.dialect = forced.or(job.dialect);
            let result = generate::render(&job);
            (job, result)
        })
        .collect();

    let (mut changed, mut fresh, mut failed) = (0, 0, 0);
    for (job, result) in &results {
        let outputs = match result {
            Ok(outputs) => outputs,
            Err(message) => {
                failed += 1;
                ctx.printer.error(&anyhow::anyhow!("{message}"));
                continue;
            }
        };
        let stale: Vec<&Output> = outputs.iter().filter(|output| output.changes()).collect();
        if stale.is_empty() {
            fresh += 1;
            continue;
        }
        changed += 1;
        for output in stale {
            if args.check {
                ctx.printer.stdout(&ctx.printer.diff(
                    &output.file.shown,
                    output.old.as_deref().unwrap_or(""),
                    &output.new,
                ))?;
            } else if let Err(err) = write(ctx, output) {
                failed += 1;
                ctx.printer.error(&err.context(format!("{}: generation was not saved", job.label)));
            }
        }
    }
    let verb = if args.check { "stale" } else { "updated" };
    if results.len() > 1 || failed > 0 {
        ctx.printer.status(&format!(
            "{} packages: {changed} {verb}, {fresh} fresh, {failed} failed",
            results.len()
        ));
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "generation failed for {failed} of {} packages",
            results.len()
        ))
        .into());
    }
    Ok(if args.check && changed > 0 { Outcome::Findings } else { Outcome::Done })
}

/// Writes every output that changes a file (used by `generate`, `pkg update`'s
/// `then = ["generate"]` and `pkg new`).
pub(super) fn write_changed(ctx: &Ctx, outputs: &[Output]) -> anyhow::Result<()> {
    for output in outputs.iter().filter(|output| output.changes()) {
        write(ctx, output)?;
    }
    Ok(())
}

fn write(ctx: &Ctx, output: &Output) -> anyhow::Result<()> {
    if let Some(parent) = output.file.path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| anyhow::anyhow!("cannot create `{}`: {err}", parent.display()))?;
    }
    fsx::write_atomic(&output.file.path, output.new.as_bytes())?;
    ctx.printer.status(&format!("wrote {}", output.file.shown));
    Ok(())
}

fn standalone_job(ctx: &Ctx, args: &GenerateArgs) -> anyhow::Result<Job> {
    let select = &args.select;
    if !select.packages.is_empty()
        || select.all
        || !select.kind.is_empty()
        || select.changed_since.is_some()
    {
        return Err(Failure::new("package selection and file flags (-v/-s/-r/-g) cannot be combined")
            .hint("use `cozy generate PKG…` for packages, or `cozy generate -v values.yaml -s … -r …` for files")
            .into());
    }
    let file =
        |path: &Path| FileRef { path: ctx.cwd.join(path), shown: path.display().to_string() };
    let values = file(args.values.as_deref().unwrap_or(Path::new("values.yaml")));
    Ok(Job {
        label: values.shown.clone(),
        values,
        dialect: None,
        schema: args.schema.as_deref().map(file),
        readme: args.readme.as_deref().map(file),
        go_types: args.go_types.as_deref().map(|path| {
            (file(path), args.module.clone(), args.group_name.clone(), args.version_name.clone())
        }),
        config: args.config.as_deref().map(file),
    })
}

fn workspace_jobs(ctx: &Ctx, args: &GenerateArgs) -> anyhow::Result<Vec<Job>> {
    let workspace = ctx.workspace()?;
    let explicit = !args.select.packages.is_empty();
    let mut jobs = Vec::new();
    for index in select::select(ctx, &workspace, None, &args.select, WhenEmpty::CurrentPackage)? {
        let package = workspace.package(index);
        if package.manifest.generate.as_ref().is_some_and(|settings| settings.rd) {
            ctx.printer.warning(&format!(
                "{}: `[generate] rd` (the ApplicationDefinition of hack/update-crd.sh) is not written by this cozy yet",
                package.manifest_rel()
            ));
        }
        match generate::plan(package).map_err(Failure::new)? {
            Some(job) => jobs.push(job),
            // A package named explicitly must support the verb (lifecycle.md §11); with
            // `--all`, `--kind` or `--changed-since`, packages without it are skipped.
            None if explicit => {
                return Err(Failure::new(format!("{}: nothing to generate", package.rel))
                    .hint("values.yaml has no `@param` annotations and cozy.toml has no `[generate]` table")
                    .into());
            }
            None => {}
        }
    }
    Ok(jobs)
}
