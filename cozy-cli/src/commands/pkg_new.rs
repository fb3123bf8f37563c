//! `cozy pkg new KIND/NAME`: a package from `templates/<template>/`, then `generate`.

use std::path::Path;

use anyhow::Context as _;

use crate::cli::NewArgs;
use crate::context::Ctx;
use crate::error::{Failure, Outcome};
use crate::workspace::Workspace;
use crate::{fsx, generate};

/// Creates the package; refuses to touch an existing directory.
pub(super) fn run(ctx: &Ctx, args: &NewArgs) -> anyhow::Result<Outcome> {
    let workspace = ctx.workspace()?;
    let (kind, name) = args
        .package
        .trim_start_matches("packages/")
        .split_once('/')
        .filter(|(kind, name)| valid(kind) && valid(name))
        .ok_or_else(|| {
            Failure::new(format!(
                "`{}` is not KIND/NAME (lowercase letters, digits and dashes)",
                args.package
            ))
        })?;
    let template_name = args.template.clone().unwrap_or_else(|| {
        if matches!(kind, "apps" | "extra") { "app" } else { "system" }.to_owned()
    });
    let source = workspace.root().join("templates").join(&template_name);
    if !source.is_dir() {
        return Err(Failure::new(format!("no template `templates/{template_name}`"))
            .hint("templates are directories under `templates/` at the repository root")
            .into());
    }
    let rel = format!("packages/{kind}/{name}");
    let target = workspace.root().join(&rel);
    if target.exists() {
        return Err(
            Failure::new(format!("{rel} already exists; cozy pkg new never overwrites")).into()
        );
    }
    // Only these two are placeholders: values annotations use `{int}`, `{string}` … and Helm
    // templates `{{ … }}`, which all stay as written.
    let render = |text: &str| text.replace("{package}", name).replace("{group}", kind);
    // Read everything first, so an unreadable template creates nothing.
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&source).min_depth(1).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot read `{}`", source.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative =
            entry.path().strip_prefix(&source).context("walkdir stays below its root")?.to_owned();
        let text = fsx::read_to_string(entry.path())?;
        files.push((relative, render(&text)));
    }
    for (relative, text) in &files {
        let path = target.join(relative);
        create_parent(&path)?;
        fsx::write_atomic(&path, text.as_bytes())?;
    }
    ctx.printer.status(&format!("created {rel} from templates/{template_name}"));
    let workspace = Workspace::load(workspace.root())?;
    let package = workspace
        .packages()
        .iter()
        .find(|package| package.rel == rel)
        .context("the new package is discovered")?;
    if let Some(job) = generate::plan(package).map_err(Failure::new)? {
        super::generate::write_changed(ctx, &generate::render(&job).map_err(Failure::new)?)?;
    }
    Ok(Outcome::Done)
}

fn valid(part: &str) -> bool {
    !part.is_empty()
        && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !part.starts_with('-')
}

fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    Ok(())
}
