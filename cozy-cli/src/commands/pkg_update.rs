//! `cozy pkg update`: run each selected package's update steps transactionally.

use std::time::Duration;

use anyhow::Context as _;

use crate::chart_repo::Client;
use crate::cli::UpdateArgs;
use crate::context::Ctx;
use crate::env;
use crate::error::{Failure, Outcome};
use crate::manifest::Verb;
use crate::select::{self, WhenEmpty};
use crate::update::lock::{self, Lock};
use crate::update::session::{Endpoints, Session};
use crate::update::stage::{Change, Stage};
use crate::update::vars::Vars;
use crate::workspace::Package;
use crate::{generate, update};

/// Updates the selected packages, one after another; a failing package does not stop the rest.
pub(super) fn run(ctx: &Ctx, args: &UpdateArgs) -> anyhow::Result<Outcome> {
    let workspace = ctx.workspace()?;
    let explicit = !args.select.packages.is_empty();
    let selected = select::select(ctx, &workspace, None, &args.select, WhenEmpty::CurrentPackage)?;
    let runner = ctx.runner("");
    let client = client()?;
    let endpoints = Endpoints::from_env();
    let (mut updated, mut failed) = (0usize, 0usize);
    for index in selected {
        let package = workspace.package(index);
        let Some(settings) = package
            .manifest
            .update
            .as_ref()
            .filter(|update| !update.steps.is_empty() || update.note.is_some())
        else {
            if explicit {
                return Err(Failure::new(format!("{}: nothing to update", package.rel))
                    .hint("its cozy.toml has no `[[update.step]]`")
                    .into());
            }
            continue;
        };
        if let Some(note) = &settings.note {
            ctx.printer.status(&format!("{}: {note}", package.rel));
            continue;
        }
        let session = |stage: &Stage| -> anyhow::Result<Session<'_>> {
            Ok(Session {
                runner: &runner,
                client: &client,
                endpoints: &endpoints,
                stage: stage.path().to_owned(),
                package: package.rel.clone(),
                vars: Vars::new(package.manifest.vars.clone()),
                old_lock: read_lock(package)?,
                locked: args.locked,
                max_bytes: args.max_archive_size,
                new_lock: Lock::default(),
                notes: Vec::new(),
            })
        };
        let result = Stage::new(&package.dir)
            .and_then(|stage| session(&stage).map(|session| (stage, session)))
            .and_then(|(stage, session)| update::run(session, stage, &settings.steps, ctx.dry_run));
        match result {
            Ok(report) => {
                updated += 1;
                report_package(ctx, package, &report);
                if !ctx.dry_run
                    && settings.then.contains(&Verb::Generate)
                    && let Err(err) = regenerate(ctx, package)
                {
                    failed += 1;
                    ctx.printer.error(&err);
                }
            }
            Err(err) => {
                failed += 1;
                ctx.printer.error(
                    &err.context(format!("{}: not updated; the package is unchanged", package.rel)),
                );
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "update failed for {failed} of {} packages",
            updated + failed
        ))
        .into());
    }
    Ok(Outcome::Done)
}

fn report_package(ctx: &Ctx, package: &Package, report: &update::Report) {
    let verb = if ctx.dry_run { "would change" } else { "changed" };
    let notes = if report.notes.is_empty() {
        String::new()
    } else {
        format!("{}; ", report.notes.join(", "))
    };
    let files = match report.changes.len() {
        0 => "no file changed".to_owned(),
        1 => format!("1 file {verb}"),
        count => format!("{count} files {verb}"),
    };
    ctx.printer.status(&format!("{}: {notes}{files}", package.rel));
    if ctx.dry_run || ctx.printer.echoes_commands() {
        for (path, change) in &report.changes {
            let mark = match change {
                Change::Added => "+",
                Change::Changed => "~",
                Change::Removed => "-",
            };
            ctx.printer.status(&format!("  {mark} {path}"));
        }
    }
}

fn read_lock(package: &Package) -> anyhow::Result<Option<Lock>> {
    let path = package.dir.join(lock::FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = crate::fsx::read_to_string(&path)?;
    Lock::parse(&text, &format!("{}/{}", package.rel, lock::FILE))
        .map(Some)
        .map_err(|err| Failure::new(err).into())
}

fn regenerate(ctx: &Ctx, package: &Package) -> anyhow::Result<()> {
    let job = generate::plan(package).map_err(Failure::new)?.ok_or_else(|| {
        Failure::new(format!(
            "{}: `[update] then = [\"generate\"]`, but there is nothing to generate",
            package.rel
        ))
    })?;
    super::generate::write_changed(ctx, &generate::render(&job).map_err(Failure::new)?)
}

fn client() -> anyhow::Result<Client> {
    let delay = env::var(env::HTTP_RETRY_DELAY_MS).and_then(|ms| ms.parse().ok()).unwrap_or(500);
    let credentials = env::var(env::REPO_USERNAME)
        .map(|user| (user, env::var(env::REPO_PASSWORD).unwrap_or_default()));
    Client::new(3, Duration::from_millis(delay), credentials)
        .map_err(Failure::new)
        .context("cannot set up HTTP")
}
