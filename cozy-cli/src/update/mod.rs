//! `cozy pkg update`: run a package's declared steps in a staging copy and replace the package
//! only when all of them succeed (lifecycle.md §4, §10.2).

pub mod edit;
pub mod fetch;
pub mod lock;
pub mod session;
pub mod stage;
pub mod template;
pub mod vars;

use crate::manifest::Step;
use crate::update::fetch::{ArchiveStep, HelmPull};
use crate::update::session::Session;
use crate::update::stage::{Change, Stage};

/// What one package's update did (or, under `--dry-run`, would do).
#[derive(Debug)]
pub struct Report {
    /// Version moves, e.g. `cilium 1.16.3 → 1.16.5`.
    pub notes: Vec<String>,
    /// Changed files, relative to the package.
    pub changes: Vec<(String, Change)>,
}

/// Runs `steps` against a staging copy of `package_dir`; replaces the package only when all
/// succeed and `dry_run` is off. The error names the step.
pub fn run(
    mut session: Session<'_>,
    stage: Stage,
    steps: &[Step],
    dry_run: bool,
) -> anyhow::Result<Report> {
    for (index, step) in steps.iter().enumerate() {
        let number = index + 1;
        run_step(&mut session, number, step).map_err(|message| {
            anyhow::anyhow!("{}: step {number} (`{}`): {message}", session.package, kind(step))
        })?;
    }
    if !session.new_lock.sources.is_empty() {
        session.new_lock.version = 1;
        let path = stage.path().join(lock::FILE);
        crate::fsx::write_atomic(&path, session.new_lock.render().as_bytes())?;
    }
    let changes = stage.changes()?;
    if !dry_run && !changes.is_empty() {
        stage.commit()?;
    }
    Ok(Report { notes: session.notes, changes })
}

/// Runs one step (1-based `number`) against `session`'s tree.
pub fn run_step(session: &mut Session<'_>, number: usize, step: &Step) -> Result<(), String> {
    match step {
        Step::HelmPull { .. } | Step::Download { .. } | Step::Archive { .. } => {
            run_fetch(session, number, step)
        }
        _ => run_edit(session, step),
    }
}

fn run_fetch(session: &mut Session<'_>, number: usize, step: &Step) -> Result<(), String> {
    match step {
        Step::HelmPull {
            repo,
            oci,
            chart,
            version,
            digest,
            dest,
            expect_version,
            remove,
            clean,
            as_var,
        } => {
            if digest.is_some() {
                return Err("pulling by `digest` is not supported by this cozy yet".to_owned());
            }
            let pull = HelmPull {
                repo: repo.as_deref(),
                oci: oci.as_deref(),
                chart,
                version: version.as_ref(),
                dest: dest.as_deref(),
                expect_version: expect_version.as_deref(),
                remove,
                clean,
                as_var: as_var.as_deref(),
            };
            fetch::helm_pull(session, number, &pull)
        }
        Step::Download { url, version, dest, clean, as_var } => {
            fetch::download(session, number, url, version.as_ref(), dest, clean, as_var.as_deref())
        }
        Step::Archive {
            github,
            url,
            git_ref,
            subpath,
            dest,
            keep,
            fallback_branch,
            clean,
            as_var,
        } => {
            if fallback_branch.is_some() {
                return Err("`fallback_branch` is not supported by this cozy yet".to_owned());
            }
            let spec = ArchiveStep {
                github: github.as_deref(),
                url: url.as_deref(),
                git_ref: git_ref.as_ref(),
                subpath: subpath.as_deref(),
                dest,
                keep,
                clean,
                as_var: as_var.as_deref(),
            };
            fetch::archive(session, number, &spec)
        }
        _ => Err(format!("`{}` is not a fetching step", kind(step))),
    }
}

fn run_edit(session: &Session<'_>, step: &Step) -> Result<(), String> {
    match step {
        Step::Patch { file, glob, strip, forward, dir, target, tool } => edit::patch(
            session,
            file.as_deref(),
            glob.as_deref(),
            *strip,
            *forward,
            dir.as_deref(),
            target.as_deref(),
            *tool,
        ),
        Step::Replace { file, glob, literal, regex, with, delete_lines, expect } => edit::replace(
            session,
            file.as_deref(),
            glob.as_deref(),
            literal.as_deref(),
            regex.as_deref(),
            with.as_deref(),
            delete_lines,
            expect.as_ref(),
        ),
        Step::DockerfileArg { file, arg, value } => edit::dockerfile_arg(session, file, arg, value),
        Step::YamlSet { file, path, value, create } => {
            edit::yaml_set(session, file, path, value, create.unwrap_or(false))
        }
        Step::YamlDelete { file, path } => edit::yaml_delete(session, file, path),
        Step::Assert { file, contains, absent, var, equals } => edit::assert(
            session,
            file.as_deref(),
            contains.as_deref(),
            absent.as_deref(),
            var.as_deref(),
            equals.as_deref(),
        ),
        Step::Copy { from, to } => edit::copy(session, from, to, false),
        Step::Move { from, to } => edit::copy(session, from, to, true),
        Step::Remove { paths } => edit::remove(session, paths),
        Step::Gzip { src, dest } => edit::gzip(session, src, dest),
        Step::Run { argv, env } => edit::run(session, argv, env),
        _ => Err(format!("step kind `{}` is not supported by this cozy yet", kind(step))),
    }
}

/// The `kind` of a step, as written in cozy.toml.
#[must_use]
pub fn kind(step: &Step) -> &'static str {
    match step {
        Step::HelmPull { .. } => "helm-pull",
        Step::Archive { .. } => "archive",
        Step::Download { .. } => "download",
        Step::Kustomize { .. } => "kustomize",
        Step::Patch { .. } => "patch",
        Step::CheckPatch { .. } => "check-patch",
        Step::Replace { .. } => "replace",
        Step::EnsureText { .. } => "ensure-text",
        Step::DockerfileArg { .. } => "dockerfile-arg",
        Step::YamlSet { .. } => "yaml-set",
        Step::YamlDelete { .. } => "yaml-delete",
        Step::DropDocs { .. } => "drop-docs",
        Step::KeepDocs { .. } => "keep-docs",
        Step::CrdKeep { .. } => "crd-keep",
        Step::Copy { .. } => "copy",
        Step::Move { .. } => "move",
        Step::Remove { .. } => "remove",
        Step::Gzip { .. } => "gzip",
        Step::Assert { .. } => "assert",
        Step::Run { .. } => "run",
    }
}
