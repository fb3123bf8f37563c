//! `cozy pkg image`: build every `[[image]]` of the selected packages with `docker buildx`,
//! then write the new references back. All write-backs of an image are computed before any
//! file is written; a failed build writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::ImageArgs;
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::graph;
use crate::image::build::{self, Plan};
use crate::image::settings::{Overrides, Settings};
use crate::manifest::Image;
use crate::select::WhenEmpty;
use crate::tool::{Runner, Tool};
use crate::update::template;
use crate::update::vars::Vars;
use crate::workspace::{Package, Workspace};

/// Builds the selected packages' images, one after another.
pub(super) fn run(ctx: &Ctx, args: &ImageArgs) -> anyhow::Result<Outcome> {
    let mut selection = args.select.clone();
    selection.verb = Some("image".to_owned());
    let super::Selection { workspace, selected, .. } =
        super::selection(ctx, &selection, WhenEmpty::CurrentPackage)?;
    let runner = ctx.runner("");
    let overrides = Overrides {
        registry: args.target.registry.clone(),
        image_tag: args.target.tag.clone(),
        push: if args.no_push { Some(false) } else { args.push.then_some(true) },
        load: args.load.then_some(true),
        builder: args.builder.clone(),
        platform: args.platform.clone(),
        cozystack_version: args.cozystack_version.clone(),
    };
    let defaults = workspace.manifest().defaults.clone().unwrap_or_default();
    let describe = || {
        let call = runner
            .cmd(Tool::Git)
            .arg("-C")
            .arg(workspace.root())
            .args(["describe", "--tags", "--match", "v*"]);
        call.read().ok().map(|text| text.trim().to_owned()).filter(|text| !text.is_empty())
    };
    let settings = Settings::resolve(&overrides, &defaults, describe).map_err(Failure::new)?;
    let with_images: Vec<&Package> = selected
        .iter()
        .map(|&index| workspace.package(index))
        .filter(|package| !package.manifest.images.is_empty())
        .collect();
    if with_images.is_empty() {
        if !args.select.packages.is_empty() {
            return Err(Failure::new("the selected packages declare no `[[image]]`").into());
        }
        ctx.printer.status("no package with `[[image]]` selected");
        return Ok(Outcome::Done);
    }
    ctx.printer.status(&format!(
        "building into {} with tag {} (push={}, load={}{})",
        settings.registry,
        settings.image_tag,
        u8::from(settings.push),
        u8::from(settings.load),
        settings
            .oci_export_dir
            .as_deref()
            .map(|dir| format!(", OCI archives in {dir}"))
            .unwrap_or_default()
    ));
    let mut failed = 0;
    let mut built = 0;
    for package in with_images {
        for image in &package.manifest.images {
            built += 1;
            if let Err(err) = build_one(ctx, &runner, &workspace, package, image, &settings) {
                failed += 1;
                ctx.printer.error(&err.context(format!(
                    "{}: image `{}` was not built; nothing was written",
                    package.rel, image.name
                )));
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!("{failed} of {built} images failed")).into());
    }
    Ok(Outcome::Done)
}

fn build_one(
    ctx: &Ctx,
    runner: &Runner,
    workspace: &Workspace,
    package: &Package,
    image: &Image,
    settings: &Settings,
) -> anyhow::Result<()> {
    // Files `prepare` copies into the context are removed again however the build ends.
    let _prepared = Prepared::run(workspace, package, &image.prepare, ctx.dry_run)?;
    let vars = Vars::new(package.manifest.vars.clone());
    let base = |name: &str, extra: &BTreeMap<&str, String>| -> Result<String, String> {
        template::render(name, |key| {
            if let Some(value) = extra.get(key) {
                return Ok(value.clone());
            }
            match key {
                "registry" => Ok(settings.registry.clone()),
                "cache_registry" => Ok(settings.cache_registry.clone()),
                "image_tag" => Ok(settings.image_tag.clone()),
                "package" => Ok(package.name.clone()),
                "group" => Ok(package.kind.clone()),
                "cozystack_version" => settings
                    .cozystack_version
                    .clone()
                    .ok_or_else(|| "COZYSTACK_VERSION is not set and `git describe --tags --match 'v*'` found no tag; pass `--cozystack-version`".to_owned()),
                other => match other.strip_prefix("var:") {
                    Some(var) => vars.get(var, &package.dir),
                    None => Err(format!("unknown placeholder `{{{other}}}`")),
                },
            }
        })
    };
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let metadata = scratch.path().join("metadata.json");
    let context = location(package, image.context.as_deref().unwrap_or("."));
    let file = image.file.as_deref().map(|file| location(package, file));
    let render = |text: &str| base(text, &BTreeMap::new());
    let Plan { repository, tag, args } = build::plan(
        image,
        settings,
        &context,
        file.as_deref(),
        &metadata.to_string_lossy(),
        &render,
    )
    .map_err(Failure::new)?;
    runner
        .cmd(Tool::Docker)
        .args(&args)
        .dir(&package.dir)
        .mutates()
        .read()
        .context("docker buildx build failed")?;

    let digest = if ctx.dry_run {
        "<digest>".to_owned()
    } else {
        let text = std::fs::read_to_string(&metadata).context("buildx wrote no metadata file")?;
        build::digest_from_metadata(&text).map_err(Failure::new)?
    };
    let reference = format!("{repository}:{tag}@{digest}");
    let placeholders = BTreeMap::from([
        ("repository", repository),
        ("tag", tag),
        ("digest", digest),
        ("ref", reference.clone()),
    ]);
    // Every write of this image, applied in memory first, per file in order:
    // path → (shown, contents on disk, contents after the writes so far).
    let mut files: BTreeMap<PathBuf, (String, Option<String>, Option<String>)> = BTreeMap::new();
    for write in &image.write {
        let value = base(build::write_template(write), &placeholders).map_err(Failure::new)?;
        let rel = build::write_file(write);
        let path = graph::normalize(&package.dir.join(rel));
        let shown = workspace.relative(&path).ok_or_else(|| {
            Failure::new(format!("write target `{rel}` is outside the repository"))
        })?;
        let (_, _, current) = files.entry(path.clone()).or_insert_with(|| {
            let on_disk = std::fs::read_to_string(&path).ok();
            (shown.clone(), on_disk.clone(), on_disk)
        });
        let updated = build::apply_write(write, current.as_deref(), &value)
            .map_err(|err| Failure::new(format!("{shown}: {err}")))?;
        *current = Some(updated);
        if ctx.dry_run {
            ctx.printer.status(&format!("would write {shown}: {}", describe_write(write, &value)));
        }
    }
    if ctx.dry_run {
        return Ok(());
    }
    for (path, (shown, old, new)) in &files {
        if let Some(new) = new.as_deref().filter(|new| old.as_deref() != Some(*new)) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            crate::fsx::write_atomic(path, new.as_bytes())?;
            ctx.printer.status(&format!("wrote {shown}"));
        }
    }
    run_after(runner, package, image)?;
    ctx.printer.status(&format!("{}: {reference}", package.rel));
    Ok(())
}

/// Runs `[[image]] after` steps (e.g. `gzip`) in the package directory.
fn run_after(runner: &Runner, package: &Package, image: &Image) -> anyhow::Result<()> {
    if image.after.is_empty() {
        return Ok(());
    }
    let client = crate::chart_repo::Client::new(0, std::time::Duration::from_millis(1), None)
        .map_err(Failure::new)?;
    let endpoints = crate::update::session::Endpoints::from_env();
    let mut session = crate::update::session::Session {
        runner,
        client: &client,
        endpoints: &endpoints,
        stage: package.dir.clone(),
        package: package.rel.clone(),
        vars: Vars::new(package.manifest.vars.clone()),
        old_lock: None,
        locked: false,
        max_bytes: crate::archive::DEFAULT_MAX_BYTES,
        new_lock: crate::update::lock::Lock::default(),
        notes: Vec::new(),
    };
    for (index, step) in image.after.iter().enumerate() {
        crate::update::run_step(&mut session, index + 1, step).map_err(|err| {
            Failure::new(format!(
                "`after` step {} (`{}`): {err}",
                index + 1,
                crate::update::kind(step)
            ))
        })?;
    }
    Ok(())
}

/// Files copied into a build context by `[[image]] prepare`, removed on drop when `cleanup`.
struct Prepared {
    created: Vec<PathBuf>,
}

impl Prepared {
    fn run(
        workspace: &Workspace,
        package: &Package,
        steps: &[crate::manifest::Prepare],
        dry_run: bool,
    ) -> anyhow::Result<Prepared> {
        let mut prepared = Prepared { created: Vec::new() };
        for step in steps {
            match step.kind {
                crate::manifest::PrepareKind::Copy => {
                    let (Some(from), Some(to)) = (&step.from, &step.to) else {
                        return Err(Failure::new("a `prepare` copy needs `from` and `to`").into());
                    };
                    let sources = expand(workspace, package, from)?;
                    let target_dir = graph::normalize(&package.dir.join(to));
                    if dry_run {
                        continue;
                    }
                    std::fs::create_dir_all(&target_dir)
                        .with_context(|| format!("cannot create `{}`", target_dir.display()))?;
                    for source in sources {
                        let target = target_dir.join(source.file_name().unwrap_or_default());
                        std::fs::copy(&source, &target)
                            .with_context(|| format!("cannot copy `{}`", source.display()))?;
                        if step.cleanup {
                            prepared.created.push(target);
                        }
                    }
                }
                crate::manifest::PrepareKind::Remove => {
                    for path in &step.paths {
                        if !dry_run {
                            crate::update::fetch::remove_path(&package.dir.join(path))
                                .map_err(Failure::new)?;
                        }
                    }
                }
            }
        }
        Ok(prepared)
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        for path in &self.created {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The files a `prepare` `from` names: a path, or a glob whose directory part is literal.
fn expand(workspace: &Workspace, package: &Package, pattern: &str) -> anyhow::Result<Vec<PathBuf>> {
    let full = graph::normalize(&package.dir.join(pattern));
    if workspace.relative(&full).is_none() {
        return Err(Failure::new(format!(
            "`prepare` source `{pattern}` is outside the repository"
        ))
        .into());
    }
    let name = full.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    if !name.contains(['*', '?', '[']) {
        return Ok(vec![full]);
    }
    let dir = full.parent().map(Path::to_path_buf).unwrap_or_default();
    let matcher = globset::Glob::new(&name)
        .map_err(|err| Failure::new(format!("`{pattern}`: {err}")))?
        .compile_matcher();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read `{}`", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file() && path.file_name().is_some_and(|file| matcher.is_match(file))
        })
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(Failure::new(format!("`prepare` source `{pattern}` matches no file")).into());
    }
    Ok(found)
}

fn describe_write(write: &crate::manifest::Write, value: &str) -> String {
    match write {
        crate::manifest::Write::Key { key, .. } => format!("`{key}` = {value}"),
        crate::manifest::Write::Text { .. } => value.to_owned(),
        crate::manifest::Write::Regex { regex, .. } => {
            format!("lines matching `{regex}` → {value}")
        }
    }
}

/// A context or Dockerfile path as docker sees it from the package directory: relative to the
/// package, or to the repository root when it starts with `//`.
fn location(package: &Package, path: &str) -> String {
    match path.strip_prefix("//") {
        Some(from_root) => {
            let depth = Path::new(&package.rel).components().count();
            let up = vec![".."; depth].join("/");
            if from_root.is_empty() { up } else { format!("{up}/{from_root}") }
        }
        None => path.to_owned(),
    }
}
