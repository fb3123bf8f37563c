//! `cozy talos push`: the installer images of built units to a registry with skopeo, one
//! repository per variant, and an OCI index when several architectures were built (spec §6.3).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::TalosPushArgs;
use crate::context::Ctx;
use crate::error::Outcome;
use crate::image::settings::{Overrides, Settings};
use crate::talos::config::{Arch, Kind};
use crate::talos::names;
use crate::talos::oci::registry::{Client, Reference};
use crate::talos::project::Project;
use crate::tool::Tool;

/// The repository a variant's installer goes to: `$REGISTRY/talos` for `default`,
/// `$REGISTRY/talos-<variant>` otherwise.
#[must_use]
pub fn repository(registry: &str, variant: &str) -> String {
    if variant == "default" {
        format!("{registry}/talos")
    } else {
        format!("{registry}/talos-{variant}")
    }
}

/// The settings of hack/common-envs.mk, flags first.
pub fn settings(
    project: &Project,
    registry: Option<&String>,
    tag: Option<&String>,
    builder: Option<&String>,
) -> anyhow::Result<Settings> {
    let overrides = Overrides {
        registry: registry.cloned(),
        image_tag: tag.cloned(),
        builder: builder.cloned(),
        ..Overrides::default()
    };
    Settings::resolve(&overrides, &project.defaults, || None).map_err(|err| anyhow::anyhow!(err))
}

/// The tags to publish: `IMAGE_TAG`, plus the Talos version with `PUBLISH_VERSIONED=1`, plus
/// `latest` with `PUBLISH_FLOATING=1`.
#[must_use]
pub fn tags(settings: &Settings, talos_version: &str) -> Vec<String> {
    let mut tags = vec![settings.image_tag.clone()];
    if settings.publish_versioned {
        tags.push(talos_version.to_owned());
    }
    if settings.publish_floating {
        tags.push("latest".to_owned());
    }
    // `IMAGE_TAG` may itself be the version or `latest`: push each tag once, first place kept.
    let mut unique = Vec::with_capacity(tags.len());
    for tag in tags {
        if !unique.contains(&tag) {
            unique.push(tag);
        }
    }
    unique
}

/// Runs `cozy talos push`.
pub fn run(ctx: &Ctx, project: &Project, args: &TalosPushArgs) -> anyhow::Result<Outcome> {
    let settings =
        settings(project, args.target.registry.as_ref(), args.target.tag.as_ref(), None)?;
    let lock = project.lock()?;
    let variants = installers(project, args, &ctx.printer)?;
    let runner = ctx.runner("");
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;
    let client = Client::new(crate::talos::update::registry_options(&args.insecure_registry))?;
    let tags = tags(&settings, &lock.talos_version);
    for (variant, arches) in &variants {
        let repo = repository(&settings.registry, variant);
        if let Some(dir) = &settings.oci_export_dir {
            let name =
                if *variant == "default" { "talos".to_owned() } else { format!("talos-{variant}") };
            let target = Path::new(dir).join(format!("{name}.oci.tar"));
            if !ctx.dry_run {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {dir}"))?;
            }
            if let [(_, tarball)] = arches.as_slice() {
                runner
                    .cmd(Tool::Skopeo)
                    .arg("copy")
                    .arg(format!("docker-archive:{}", tarball.display()))
                    .arg(format!("oci-archive:{}:{}", target.display(), settings.image_tag))
                    .mutates()
                    .read()?;
            } else {
                // One layout per variant: a shared one would leak the blobs of one variant
                // into the archive of the next.
                let layout = scratch.path().join(format!("oci-layout-{variant}"));
                export_multi_arch(&runner, &layout, arches, &settings.image_tag, &target)?;
            }
            if !ctx.dry_run {
                ctx.printer.status(&format!("exported {}", target.display()));
            }
            continue;
        }
        let mut pushed = Vec::new();
        for tag in &tags {
            if let [(_, tarball)] = arches.as_slice() {
                let digest = skopeo_copy(
                    &runner,
                    scratch.path(),
                    tarball,
                    &format!("{repo}:{tag}"),
                    false,
                    &args.insecure_registry,
                )?;
                pushed.push(format!("{repo}:{tag}@{digest}"));
                continue;
            }
            let mut manifests = Vec::new();
            for (arch, tarball) in arches {
                let target = format!("{repo}:{tag}-{arch}");
                let digest = skopeo_copy(
                    &runner,
                    scratch.path(),
                    tarball,
                    &target,
                    true,
                    &args.insecure_registry,
                )?;
                pushed.push(format!("{target}@{digest}"));
                manifests.push((*arch, target, digest));
            }
            let index_ref = format!("{repo}:{tag}");
            let digest = put_index(ctx, &client, &runner, &index_ref, &manifests)?;
            pushed.push(format!("{index_ref}@{digest}"));
        }
        if ctx.dry_run {
            continue;
        }
        let record = project.out_dir().join("push").join(format!("talos-{variant}.txt"));
        let parent = record.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", project.show(parent)))?;
        let text: String = pushed.iter().flat_map(|line| [line.as_str(), "\n"]).collect();
        crate::fsx::write_atomic(&record, text.as_bytes())?;
        ctx.printer.stdout(&text)?;
    }
    Ok(Outcome::Done)
}

/// One variant's installer tarballs, one per architecture.
type Installers = Vec<(Arch, PathBuf)>;

/// The installer tarball of every selected unit, grouped by variant. Without `--arch`, the
/// architectures that were built (upstream CI builds amd64 only); a selected unit that was not
/// built is an error naming what to build.
fn installers<'p>(
    project: &'p Project,
    args: &TalosPushArgs,
    printer: &crate::output::Printer,
) -> anyhow::Result<Vec<(&'p str, Installers)>> {
    let tarball = |arch: Arch, variant: &str| {
        project.unit_dir(arch, variant).join(names::unit_path(Kind::Installer, arch))
    };
    let mut units = project.config.units(&args.units.arch, &args.units.variant)?;
    if args.units.arch.is_empty() {
        let (built, missing): (Vec<crate::talos::config::Unit<'_>>, Vec<_>) =
            units.iter().partition(|u| tarball(u.arch, &u.variant.name).is_file());
        if !built.is_empty() {
            for unit in missing {
                printer.warning(&format!(
                    "{}/{} was not built; pushing the other architectures only (name them with --arch to require them)",
                    unit.arch, unit.variant.name
                ));
            }
            units = built;
        }
    }
    let mut variants = Vec::new();
    for (variant, arches) in crate::talos::config::by_variant(&units) {
        let mut list = Vec::new();
        for arch in arches {
            let path = tarball(arch, &variant.name);
            if !path.is_file() {
                anyhow::bail!(
                    "{} is missing; run `cozy talos build --arch {arch} --variant {} --kind installer` first",
                    project.show(&path),
                    variant.name
                );
            }
            let report_path =
                project.unit_dir(arch, &variant.name).join(crate::talos::checksums::REPORT);
            let version = crate::fsx::read_to_string(&report_path)
                .and_then(|text| crate::talos::report::Report::parse(&text))
                .map(|report| report.talos_version)
                .with_context(|| {
                    format!("cannot read the build report of {arch}/{}", variant.name)
                })?;
            let locked = &project.lock()?.talos_version;
            if &version != locked {
                anyhow::bail!(
                    "{arch}/{} was built for Talos {version}, but talos.lock is for {locked}; rebuild it before pushing",
                    variant.name
                );
            }
            list.push((arch, path));
        }
        variants.push((variant.name.as_str(), list));
    }
    Ok(variants)
}

/// `skopeo copy [--format oci] docker-archive:<tar> docker://<target> --digestfile <f>`;
/// returns the pushed manifest digest.
fn skopeo_copy(
    runner: &crate::tool::Runner,
    scratch: &Path,
    tarball: &Path,
    target: &str,
    oci: bool,
    insecure: &[String],
) -> anyhow::Result<String> {
    let digest_file = scratch.join(format!("digest-{:08x}", fastrand::u32(..)));
    let mut call = runner.cmd(Tool::Skopeo).arg("copy");
    if oci {
        call = call.args(["--format", "oci"]);
    }
    let host = target.split('/').next().unwrap_or_default();
    let loopback = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == *name || host.starts_with(&format!("{name}:")));
    if loopback || insecure.iter().any(|h| h == host) {
        call = call.arg("--dest-tls-verify=false");
    }
    call.arg(format!("docker-archive:{}", tarball.display()))
        .arg(format!("docker://{target}"))
        .arg("--digestfile")
        .arg(&digest_file)
        .mutates()
        .read()?;
    if runner.is_dry_run() {
        return Ok("sha256:<digest>".to_owned());
    }
    let digest = crate::fsx::read_to_string(&digest_file)?.trim().to_owned();
    if !digest.starts_with("sha256:") || digest.len() != 71 {
        anyhow::bail!("skopeo wrote `{digest}` as the digest of {target}");
    }
    Ok(digest)
}

/// PUTs an OCI image index over the per-arch manifests; falls back to
/// `docker buildx imagetools create` when the registry refuses it.
fn put_index(
    ctx: &Ctx,
    client: &Client,
    runner: &crate::tool::Runner,
    index_ref: &str,
    manifests: &[(Arch, String, String)],
) -> anyhow::Result<String> {
    if ctx.dry_run {
        ctx.printer.command(&format!(
            "PUT OCI image index {index_ref} ({})",
            manifests.iter().map(|(_, m, _)| m.as_str()).collect::<Vec<_>>().join(", ")
        ));
        return Ok("sha256:<digest>".to_owned());
    }
    let mut descriptors = Vec::new();
    for (arch, reference, digest) in manifests {
        // By digest: the index covers exactly what skopeo pushed, even if the tag moved since.
        let head = client
            .head_manifest(&Reference::parse(reference)?.with_digest(digest))
            .with_context(|| format!("cannot read back {reference}@{digest}"))?;
        descriptors.push(serde_json::json!({
            "mediaType": head.media_type,
            "digest": head.digest,
            "size": head.size,
            "platform": { "architecture": arch.as_str(), "os": "linux" },
        }));
    }
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": descriptors,
    });
    let bytes = serde_json::to_vec(&index)?;
    let reference = Reference::parse(index_ref)?;
    match client.put_manifest(&reference, "application/vnd.oci.image.index.v1+json", &bytes) {
        Ok(digest) => Ok(digest),
        Err(err) => {
            ctx.printer.warning(&format!("the registry refused the OCI index ({err:#}); using `docker buildx imagetools create`"));
            let mut call =
                runner.cmd(Tool::Docker).args(["buildx", "imagetools", "create", "-t", index_ref]);
            for (_, manifest, _) in manifests {
                call = call.arg(manifest);
            }
            call.mutates().read()?;
            Ok(client.head_manifest(&reference)?.digest)
        }
    }
}

/// Several architectures into one oci-archive: skopeo converts each docker-archive into a shared
/// OCI layout (`<tag>-<arch>`), then cozy adds an image index over them and leaves it as the
/// layout's only top-level entry, annotated with `<tag>`, so
/// `skopeo copy --all oci-archive:<file> docker://…` pushes the whole index.
fn export_multi_arch(
    runner: &crate::tool::Runner,
    layout: &Path,
    arches: &[(Arch, PathBuf)],
    tag: &str,
    target: &Path,
) -> anyhow::Result<()> {
    const REF_NAME: &str = "org.opencontainers.image.ref.name";
    for (arch, tarball) in arches {
        runner
            .cmd(Tool::Skopeo)
            .args(["copy", "--format", "oci"])
            .arg(format!("docker-archive:{}", tarball.display()))
            .arg(format!("oci:{}:{tag}-{arch}", layout.display()))
            .mutates()
            .read()?;
    }
    if !layout.join("index.json").is_file() {
        return Ok(()); // --dry-run
    }
    let index_path = layout.join("index.json");
    let top: serde_json::Value = serde_json::from_str(&crate::fsx::read_to_string(&index_path)?)
        .context("skopeo wrote an index.json that is not JSON")?;
    let mut manifests = Vec::new();
    for (arch, _) in arches {
        let name = format!("{tag}-{arch}");
        let entry = top["manifests"]
            .as_array()
            .and_then(|list| list.iter().find(|m| m["annotations"][REF_NAME] == name.as_str()))
            .with_context(|| format!("skopeo's layout has no entry `{name}`"))?;
        let mut descriptor = entry.clone();
        if let Some(map) = descriptor.as_object_mut() {
            map.remove("annotations");
            map.insert(
                "platform".into(),
                serde_json::json!({"architecture": arch.as_str(), "os": "linux"}),
            );
        }
        manifests.push(descriptor);
    }
    let image_index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": manifests,
    }))?;
    let digest = crate::talos::oci::registry::sha256_digest(&image_index);
    let hex = digest.trim_start_matches("sha256:");
    crate::fsx::write_atomic(&layout.join("blobs/sha256").join(hex), &image_index)?;
    let new_top = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": digest,
            "size": image_index.len(),
            "annotations": { REF_NAME: tag },
        }],
    });
    crate::fsx::write_atomic(&index_path, &serde_json::to_vec(&new_top)?)?;
    // The layout as a tar, entries sorted, written beside the target and renamed into place.
    let parent = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let temp = crate::fsx::temp_file_in(parent)?;
    {
        let mut builder = tar::Builder::new(std::io::BufWriter::new(temp.as_file()));
        builder.mode(tar::HeaderMode::Deterministic);
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(layout)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect();
        files.sort();
        for file in files {
            let name = file.strip_prefix(layout).unwrap_or(&file);
            builder.append_path_with_name(&file, name)?;
        }
        builder.into_inner()?.flush()?;
    }
    temp.as_file().sync_all()?;
    temp.persist(target).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(())
}
