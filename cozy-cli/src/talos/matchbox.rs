//! `cozy talos matchbox`: the matchbox PXE image of built units, one image per variant with one
//! platform per architecture, built from a minimal staged context (spec §6.4).

use std::path::Path;

use anyhow::Context as _;

use crate::cli::TalosMatchboxArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::talos::config::{Arch, Kind};
use crate::talos::names;
use crate::talos::project::Project;
use crate::tool::Tool;

/// Where the package keeps matchbox's `groups/` and `profiles/` (copied verbatim).
pub const MATCHBOX_DIR: &str = "images/matchbox";

/// The Dockerfile of the staged context.
#[must_use]
pub fn dockerfile(base: &str) -> String {
    format!(
        "FROM {base}\nARG TARGETARCH\nCOPY ${{TARGETARCH}}/initramfs.xz /var/lib/matchbox/assets/initramfs.xz\nCOPY ${{TARGETARCH}}/vmlinuz /var/lib/matchbox/assets/vmlinuz\nCOPY ${{TARGETARCH}}/groups /var/lib/matchbox/groups\nCOPY ${{TARGETARCH}}/profiles /var/lib/matchbox/profiles\n"
    )
}

/// Runs `cozy talos matchbox`.
pub fn run(ctx: &Ctx, project: &Project, args: &TalosMatchboxArgs) -> anyhow::Result<Outcome> {
    let settings = crate::talos::push::settings(
        project,
        args.target.registry.as_ref(),
        args.target.tag.as_ref(),
        args.builder.as_ref(),
    )?;
    let lock = project.lock()?;
    let config = &project.config;
    // PLATFORM (hack/common-envs.mk) picks the architectures when --arch does not.
    let arches: Vec<String> = match (&settings.platform, args.units.arch.is_empty()) {
        (Some(platforms), true) => platforms
            .split(',')
            .map(|p| p.trim().trim_start_matches("linux/").to_owned())
            .filter(|a| !a.is_empty())
            .collect(),
        _ => args.units.arch.clone(),
    };
    let units = config.units(&arches, &args.units.variant)?;
    let source = project.dir.join(MATCHBOX_DIR);
    let runner = ctx.runner("");
    preflight(project, &runner, settings.builder.as_deref(), &units)?;
    for (variant, arches) in crate::talos::config::by_variant(&units) {
        let variant = variant.name.as_str();
        let staged = tempfile::tempdir().context("cannot create a temporary build context")?;
        let context = staged.path();
        crate::fsx::write_atomic(
            &context.join("Dockerfile"),
            dockerfile(&config.matchbox.base).as_bytes(),
        )?;
        for &arch in &arches {
            stage_arch(project, context, arch, variant, &source)?;
        }
        let name = if variant == "default" {
            "matchbox".to_owned()
        } else {
            format!("matchbox-{variant}")
        };
        let repo = format!("{}/{name}", settings.registry);
        let platforms: Vec<String> = arches.iter().map(|a| format!("linux/{a}")).collect();
        let metadata = context.join("matchbox.json");
        let mut call = runner
            .cmd(Tool::Docker)
            .args(["buildx", "build", "-f"])
            .arg(context.join("Dockerfile"))
            .arg(context)
            .args(["--platform", &platforms.join(",")]);
        // OCI_EXPORT_DIR (fork PRs): one tag, written as an OCI archive instead of pushed, as
        // `cozy pkg image` does.
        let export = settings
            .oci_export_dir
            .as_deref()
            .map(|dir| format!("{}/{name}.oci.tar", dir.trim_end_matches('/')));
        let tags = match &export {
            Some(_) => vec![settings.image_tag.clone()],
            None => crate::talos::push::tags(&settings, &lock.talos_version),
        };
        for tag in tags {
            call = call.args(["--tag".to_owned(), format!("{repo}:{tag}")]);
        }
        if let Some(dest) = &export {
            call = call.args(["--output".to_owned(), format!("type=oci,dest={dest}")]);
        }
        let push = if export.is_some() { "--push=false" } else { "--push=true" };
        call = call
            .args(["--provenance=false", push, "--load=false", "--label"])
            .arg(format!("org.opencontainers.image.source={}", settings.source_label))
            .arg("--metadata-file")
            .arg(&metadata);
        if let Some(builder) = &settings.builder {
            call = call.args(["--builder", builder]);
        }
        call.mutates().read()?;
        if ctx.dry_run {
            continue;
        }
        let digest =
            crate::image::build::digest_from_metadata(&crate::fsx::read_to_string(&metadata)?)
                .map_err(|err| anyhow::anyhow!(err))?;
        let reference = format!("{repo}:{}@{digest}", settings.image_tag);
        if let Some(dest) = &export {
            ctx.printer.status(&format!("exported {reference} to {dest}"));
            continue;
        }
        ctx.printer.stdout(&format!("{reference}\n"))?;
        if variant == "default" {
            let tag_file = project.root.join("packages/extra/bootbox/images/matchbox.tag");
            if tag_file.parent().is_some_and(Path::is_dir) {
                crate::fsx::write_atomic(&tag_file, format!("{reference}\n").as_bytes())?;
                ctx.printer.status(&format!("wrote {}", project.show(&tag_file)));
            }
        }
    }
    Ok(Outcome::Done)
}

/// Checks before anything is built: matchbox's `groups/` and `profiles/` exist, the builder
/// (when given) has a node for every unit's platform, and every unit's boot files exist.
fn preflight(
    project: &Project,
    runner: &crate::tool::Runner,
    builder: Option<&str>,
    units: &[crate::talos::config::Unit<'_>],
) -> anyhow::Result<()> {
    let source = project.dir.join(MATCHBOX_DIR);
    for dir in ["groups", "profiles"] {
        if !source.join(dir).is_dir() {
            anyhow::bail!(
                "{} is missing; matchbox needs its groups/ and profiles/",
                project.show(&source.join(dir))
            );
        }
    }
    if let Some(builder) = builder {
        let inspect = runner.cmd(Tool::Docker).args(["buildx", "inspect", builder]).read()?;
        let platforms = builder_platforms(&inspect);
        for unit in units {
            let wanted = format!("linux/{}", unit.arch);
            if !platforms.contains(&wanted) {
                anyhow::bail!(
                    "buildx builder `{builder}` has no {wanted} platform (it has: {}); add a node with `docker buildx create --append --name {builder} --platform {wanted} …`",
                    if platforms.is_empty() { "none".to_owned() } else { platforms.join(", ") }
                );
            }
        }
    }
    // Every unit's boot files first: a missing one fails before any image is built.
    for unit in units {
        for kind in [Kind::Kernel, Kind::Initramfs] {
            let path = project
                .unit_dir(unit.arch, &unit.variant.name)
                .join(names::unit_path(kind, unit.arch));
            if !path.is_file() {
                anyhow::bail!(
                    "{} is missing; run `cozy talos build --arch {} --variant {} --kind kernel,initramfs` first",
                    project.show(&path),
                    unit.arch,
                    unit.variant.name
                );
            }
        }
    }
    Ok(())
}

/// The platforms of every node of `docker buildx inspect` output (`Platforms: linux/amd64*,
/// linux/386` per node; `*` marks platforms set by the user), in order, without duplicates.
fn builder_platforms(inspect: &str) -> Vec<String> {
    let mut platforms: Vec<String> = Vec::new();
    for line in inspect.lines() {
        let Some(list) = line.trim().strip_prefix("Platforms:") else { continue };
        for platform in list.split(',') {
            let platform = platform.trim().trim_end_matches('*').to_owned();
            if !platform.is_empty() && !platforms.contains(&platform) {
                platforms.push(platform);
            }
        }
    }
    platforms
}

/// `<ctx>/<arch>/{vmlinuz, initramfs.xz, groups/, profiles/}` from the built unit.
fn stage_arch(
    project: &Project,
    context: &Path,
    arch: Arch,
    variant: &str,
    source: &Path,
) -> anyhow::Result<()> {
    let unit = project.unit_dir(arch, variant);
    let dest = context.join(arch.as_str());
    std::fs::create_dir_all(&dest)?;
    for (kind, name) in [(Kind::Kernel, "vmlinuz"), (Kind::Initramfs, "initramfs.xz")] {
        let from = unit.join(names::unit_path(kind, arch));
        std::fs::copy(&from, dest.join(name))
            .with_context(|| format!("cannot copy {}", from.display()))?;
    }
    let console =
        project.config.matchbox.console.get(&arch).cloned().unwrap_or_else(|| "ttyS0".to_owned());
    for dir in ["groups", "profiles"] {
        std::fs::create_dir_all(dest.join(dir))?;
        for entry in std::fs::read_dir(source.join(dir))? {
            let entry = entry?;
            if !entry.file_type()?.is_file() {
                continue;
            }
            let text = crate::fsx::read_to_string(&entry.path())?;
            // Upstream's profile says console=ttyS0; an architecture with another console gets
            // it there, and a profile without that argument cannot silently keep the wrong one.
            let text = if dir == "profiles" && console != "ttyS0" {
                if !text.contains("\"console=ttyS0\"") {
                    anyhow::bail!(
                        "{} has no \"console=ttyS0\" argument to replace with console={console} for {arch}",
                        project.show(&entry.path())
                    );
                }
                text.replace("\"console=ttyS0\"", &format!("\"console={console}\""))
            } else {
                text
            };
            crate::fsx::write_scratch(&dest.join(dir).join(entry.file_name()), text.as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_platforms_cover_every_node() {
        let inspect = "Name:          cozy\nDriver:        kubernetes\n\nNodes:\nName:      cozy-amd64\nStatus:    running\nPlatforms: linux/amd64*, linux/amd64/v2, linux/386\n\nName:      cozy-arm64\nStatus:    running\nPlatforms: linux/arm64*\n";
        assert_eq!(
            builder_platforms(inspect),
            ["linux/amd64", "linux/amd64/v2", "linux/386", "linux/arm64"]
        );
        assert!(builder_platforms("Name: x\nPlatforms:\n").is_empty());
    }
}
