//! `cozy talos update`: resolve the extension references of a Talos release from the registry
//! and write `talos.lock` (and the checked-in profiles), spec §2.5.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;

use crate::cli::TalosUpdateArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::talos::config::{Arch, Kind};
use crate::talos::digests;
use crate::talos::lock::{self, Lock, LockedExtension};
use crate::talos::oci::archive::{Image, OpenOptions, Source};
use crate::talos::oci::registry::{self, Client, Reference};
use crate::talos::project::Project;

/// The kinds upstream checks in under `images/talos/profiles/`, in its PROFILES order.
pub const UPSTREAM_PROFILES: [Kind; 6] =
    [Kind::Initramfs, Kind::Kernel, Kind::Iso, Kind::Installer, Kind::Nocloud, Kind::Metal];

/// Where the checked-in profiles live inside the package.
pub const PROFILES_DIR: &str = "images/talos/profiles";

/// Registry options from the command line and the environment.
#[must_use]
pub fn registry_options(insecure: &[String]) -> registry::Options {
    registry::Options {
        insecure_hosts: insecure.to_vec(),
        retry_delay: crate::env::var(crate::env::HTTP_RETRY_DELAY_MS)
            .and_then(|ms| ms.parse().ok())
            .map(Duration::from_millis),
        docker_config: crate::env::var_os("HOME").map(Into::into),
        github_token: crate::env::var(crate::env::GITHUB_TOKEN).filter(|t| !t.is_empty()),
    }
}

/// Runs `cozy talos update`.
pub fn run(ctx: &Ctx, project: &Project, args: &TalosUpdateArgs) -> anyhow::Result<Outcome> {
    let options = registry_options(&args.insecure_registry);
    let client = Client::new(options.clone())?;
    let config = &project.config;
    let version = match (&args.talos_version, args.latest) {
        (Some(version), _) => version.clone(),
        (None, true) => latest(&client, &config.talos.imager)?,
        (None, false) => config.talos.version.clone(),
    };
    semver::Version::parse(version.trim_start_matches('v'))
        .ok()
        .filter(|_| version.starts_with('v'))
        .with_context(|| format!("Talos version `{version}` is not `vX.Y.Z`"))?;
    let index_text = format!("{}:{version}", config.talos.extensions_index);
    let index_ref = Reference::parse(&index_text)?;
    let index = client.manifest(&index_ref).with_context(|| format!("cannot read {index_text}"))?;
    let pinned_index = format!("{index_text}@{}", index.digest);
    ctx.printer.status(&format!("reading /image-digests from {pinned_index}"));
    let image = Image::open(
        &Source::Docker { reference: pinned_index.clone() },
        &OpenOptions { platform: Some("linux/amd64".to_owned()), registry: options },
    )?;
    let files = crate::talos::oci::flatten::read_files(&image, &["image-digests"])?;
    let bytes = files
        .get("image-digests")
        .with_context(|| format!("{pinned_index} has no /image-digests file"))?;
    let text = std::str::from_utf8(bytes).context("/image-digests is not UTF-8")?;
    let lines = digests::parse(text)?;
    let mut extension = BTreeMap::new();
    for name in config.all_extensions() {
        let line = digests::select(&lines, &name)?;
        let reference = Reference::parse(&line.reference)?;
        let platforms = client
            .platforms(&reference)
            .with_context(|| format!("cannot read the platforms of {}", line.reference))?;
        extension.insert(name, LockedExtension { reference: line.reference.clone(), platforms });
    }
    // A unit whose arch an extension lacks fails here, not halfway through a build.
    for variant in &config.variants {
        for arch in config.arches_of(variant) {
            for name in config.extensions_of(arch, variant) {
                let platform = format!("linux/{arch}");
                if !extension[&name].platforms.contains(&platform) {
                    anyhow::bail!(
                        "extension `{name}` ({}) has no {platform} image, but unit {arch}/{} uses it; exclude it in [arch.{arch}]",
                        extension[&name].reference,
                        variant.name
                    );
                }
            }
        }
    }
    check_matchbox_base(&client, config)?;
    let imager_tag = format!("{}:{version}", config.talos.imager);
    let imager = if args.pin_tools {
        let digest = client.manifest(&Reference::parse(&imager_tag)?)?.digest;
        format!("{imager_tag}@{digest}")
    } else {
        imager_tag
    };
    let new_lock = Lock {
        schema: 1,
        talos_version: version.clone(),
        imager,
        installer: format!("{}:{version}", config.talos.installer),
        extensions_index: pinned_index,
        image_digests_sha256: crate::chart_repo::sha256_hex(bytes),
        extension,
    };
    write_outputs(ctx, project, &new_lock, &version, args)
}

/// The matchbox image is built for every arch of `[build] arches` on top of `[matchbox] base`,
/// so the base must be an index holding each of them (spec 6.4 preflight): fail here rather
/// than halfway through a multi-platform build.
fn check_matchbox_base(
    client: &Client,
    config: &crate::talos::config::Config,
) -> anyhow::Result<()> {
    let base = &config.matchbox.base;
    let platforms = client
        .platforms(&Reference::parse(base)?)
        .with_context(|| format!("cannot read the platforms of the [matchbox] base `{base}`"))?;
    for arch in &config.build.arches {
        let platform = format!("linux/{arch}");
        if !platforms.contains(&platform) {
            anyhow::bail!(
                "[matchbox] base `{base}` has no {platform} image (it has: {}); set it to a multi-platform index (a manifest list) holding every arch of [build] arches",
                platforms.join(", ")
            );
        }
    }
    Ok(())
}

/// The highest `vX.Y.Z` tag of the imager.
fn latest(client: &Client, imager: &str) -> anyhow::Result<String> {
    let tags = client.tags(&Reference::parse(imager)?)?;
    tags.iter()
        .filter_map(|tag| {
            let rest = tag.strip_prefix('v')?;
            let plain = rest.split('.').count() == 3
                && rest.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            plain.then(|| semver::Version::parse(rest).ok().map(|v| (v, tag.clone()))).flatten()
        })
        .max()
        .map(|(_, tag)| tag)
        .with_context(|| format!("{imager} has no `vX.Y.Z` tag"))
}

fn write_outputs(
    ctx: &Ctx,
    project: &Project,
    new_lock: &Lock,
    version: &str,
    args: &TalosUpdateArgs,
) -> anyhow::Result<Outcome> {
    let mut outputs: Vec<(std::path::PathBuf, String)> = Vec::new();
    let config_path = project.dir.join(crate::talos::config::FILE);
    let mut config = project.config.clone();
    if version != project.config.talos.version {
        let text = set_talos_version(&project.config_text, &project.config.talos.version, version)
            .with_context(|| {
                format!("cannot set [talos] version in {}", project.show(&config_path))
            })?;
        config = crate::talos::config::Config::parse(&text)
            .map_err(|err| anyhow::anyhow!(err.at(&project.show(&config_path))))?;
        outputs.push((config_path, text));
    }
    outputs.push((project.dir.join(lock::FILE), new_lock.render()));
    let profiles_dir = project.dir.join(PROFILES_DIR);
    let variant = config.variant("default");
    for kind in UPSTREAM_PROFILES {
        let path = profiles_dir.join(format!("{kind}.yaml"));
        if args.write_profiles || path.is_file() {
            let variant = variant.as_ref().map_err(|err| {
                anyhow::anyhow!("{err}; profiles are rendered for variant `default`")
            })?;
            let text =
                crate::talos::render::profile(&config, new_lock, Arch::Amd64, variant, kind)?;
            outputs.push((path, text));
        }
    }
    let changed: Vec<&(std::path::PathBuf, String)> = outputs
        .iter()
        .filter(|(path, text)| std::fs::read(path).ok().as_deref() != Some(text.as_bytes()))
        .collect();
    if args.check {
        for (path, text) in &changed {
            let old = std::fs::read_to_string(path).unwrap_or_default();
            ctx.printer.stdout(&ctx.printer.diff(&project.show(path), &old, text))?;
        }
        if changed.is_empty() {
            ctx.printer.status("talos.lock and the profiles are up to date");
            return Ok(Outcome::Done);
        }
        ctx.printer
            .status(&format!("{} file(s) would change; run `cozy talos update`", changed.len()));
        return Ok(Outcome::Findings);
    }
    if ctx.dry_run {
        for (path, _) in &changed {
            ctx.printer.status(&format!("would write {}", project.show(path)));
        }
        return Ok(Outcome::Done);
    }
    for (path, text) in &changed {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", project.show(parent)))?;
        }
        crate::fsx::write_atomic(path, text.as_bytes())?;
        ctx.printer.status(&format!("wrote {}", project.show(path)));
    }
    if changed.is_empty() {
        ctx.printer.status("talos.lock and the profiles are up to date");
    }
    Ok(Outcome::Done)
}

/// `talos.toml` with `[talos] version` replaced, every other byte kept.
fn set_talos_version(text: &str, old: &str, version: &str) -> anyhow::Result<String> {
    let mut in_talos = false;
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            // A table header may carry a comment: `[talos]  # pinned`.
            in_talos = trimmed.split('#').next().unwrap_or_default().trim() == "[talos]";
        }
        let key = trimmed.split('=').next().unwrap_or("").trim();
        if in_talos && !done && key == "version" {
            let old = format!("\"{old}\"");
            if !line.contains(&old) {
                anyhow::bail!("the `version` line under [talos] does not read {old}");
            }
            out.push_str(&line.replacen(&old, &format!("\"{version}\""), 1));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        anyhow::bail!("no `version = …` line under [talos]");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_version_keeps_everything_else() {
        let text = "schema = 1\n[talos] # pinned\nversion = \"v1.13.5\"   # pinned\nimager = \"x\"\n[[variant]]\nversion = \"no\"\n";
        assert_eq!(
            set_talos_version(text, "v1.13.5", "v1.13.6").unwrap(),
            "schema = 1\n[talos] # pinned\nversion = \"v1.13.6\"   # pinned\nimager = \"x\"\n[[variant]]\nversion = \"no\"\n"
        );
        assert!(set_talos_version("[talos]\n", "v0", "v1").is_err());
    }
}
