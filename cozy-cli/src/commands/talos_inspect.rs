//! `cozy talos inspect SOURCE`: look inside an image without a container (spec 5.7).

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::Context as _;

use crate::cli::TalosInspectArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::talos::installer::{self, InstallerCheck};
use crate::talos::oci::archive::{Image, OpenOptions, Source};
use crate::talos::oci::flatten;

/// Runs `cozy talos inspect`.
pub(super) fn run(ctx: &Ctx, args: &TalosInspectArgs) -> anyhow::Result<Outcome> {
    let source = Source::parse(&args.source)?;
    let options = OpenOptions {
        platform: args.platform.clone(),
        registry: crate::talos::update::registry_options(&args.insecure_registry),
    };
    let image = Image::open(&source, &options)?;
    if args.config {
        let mut text = serde_json::to_string_pretty(image.config())?;
        text.push('\n');
        ctx.printer.stdout(&text)?;
    } else if args.list {
        ctx.printer.stdout(&flatten::merge(&image)?.listing())?;
    } else if args.export {
        let mut out = std::io::stdout().lock();
        flatten::export(&image, &mut out)?;
    } else if let Some(path) = &args.cat {
        let data = flatten::cat(&image, path)?;
        let mut out = std::io::stdout().lock();
        out.write_all(&data).and_then(|()| out.flush()).context("cannot write to stdout")?;
    } else if args.talos {
        let arch = args.platform.as_deref().and_then(|p| p.split('/').nth(1));
        let check = installer::check(&image, arch, None)?;
        ctx.printer.stdout(&render(&check))?;
        if !check.findings.is_empty() {
            return Ok(Outcome::Findings);
        }
    }
    Ok(Outcome::Done)
}

/// `key: value` lines: `arch`, `talos-version`, one `file` per file, `kernel-machine`,
/// `extensions`, one `finding` per finding.
fn render(check: &InstallerCheck) -> String {
    let mut out = String::new();
    let or_none = |text: &str| if text.is_empty() { "(none)".to_owned() } else { text.to_owned() };
    let _ = writeln!(out, "arch: {}", or_none(&check.arch));
    let _ = writeln!(out, "talos-version: {}", or_none(&check.talos_version));
    for file in &check.files {
        let _ = writeln!(out, "file: {file}");
    }
    let machine = match check.kernel_machine {
        Some(machine) => format!("{machine:#06x}"),
        None => "(unknown)".to_owned(),
    };
    let _ = writeln!(out, "kernel-machine: {machine}");
    let extensions = match &check.extensions {
        Some(names) if names.is_empty() => "(empty extensions.yaml)".to_owned(),
        Some(names) => names.join(", "),
        None => "(no extensions.yaml)".to_owned(),
    };
    let _ = writeln!(out, "extensions: {extensions}");
    for finding in &check.findings {
        let _ = writeln!(out, "finding: {finding}");
    }
    out
}
