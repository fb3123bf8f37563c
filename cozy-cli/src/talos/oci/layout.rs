//! OCI image layouts and manifests (spec 5.2): `oci-layout`, `index.json`, the descriptor a
//! reference or platform selects, indexes down to an image manifest, and the manifest's config
//! and layers. Shared by `oci:`, `oci-archive:` and `docker://`.
//!
//! Every blob read is checked against its descriptor's digest and size; digests other than
//! well-formed sha256 are refused before they become paths.

use std::fmt;

use anyhow::{Context as _, bail};
use serde_json::Value;

use crate::talos::oci::archive::{
    Blobs, Image, Layer, Location, diff_ids, digest_hex, list, parse_config,
};
use crate::talos::oci::registry;

/// `os/arch[/variant]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Platform {
    os: String,
    architecture: String,
    variant: Option<String>,
}

impl Platform {
    pub(super) fn parse(text: &str) -> anyhow::Result<Platform> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [os, arch] | [os, arch, _] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).to_owned(),
                architecture: (*arch).to_owned(),
                variant: parts.get(2).filter(|v| !v.is_empty()).map(|v| (*v).to_owned()),
            }),
            _ => bail!("platform `{text}`: expected `os/arch` or `os/arch/variant`"),
        }
    }

    /// Whether a descriptor's `platform` object (or a config) is this platform (variant only
    /// when asked).
    pub(super) fn matches(&self, platform: &Value) -> bool {
        platform["os"].as_str() == Some(&self.os)
            && platform["architecture"].as_str() == Some(&self.architecture)
            && self.variant.as_ref().is_none_or(|v| platform["variant"].as_str() == Some(v))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

pub(super) fn open_oci_layout(
    blobs: Blobs,
    reference: Option<&str>,
    platform: &Platform,
) -> anyhow::Result<Image> {
    let layout = blobs
        .read_small(&Location::Path("oci-layout".to_owned()), None, None)
        .context("not an OCI image layout (no readable `oci-layout`)")?;
    let layout: Value = serde_json::from_slice(&layout).context("`oci-layout` is not JSON")?;
    if layout["imageLayoutVersion"].as_str() != Some("1.0.0") {
        bail!(
            "`oci-layout`: `imageLayoutVersion` is {}, expected \"1.0.0\"",
            layout["imageLayoutVersion"]
        );
    }
    let index = blobs.read_small(&Location::Path("index.json".to_owned()), None, None)?;
    let index: Value = serde_json::from_slice(&index).context("`index.json` is not JSON")?;
    let descriptors = descriptors_of(&index, "index.json")?;
    let candidates: Vec<&Value> = match reference {
        Some(position) if position.starts_with('@') => {
            let n: usize = position[1..]
                .parse()
                .with_context(|| format!("`{position}`: expected `@N`, an image number"))?;
            vec![descriptors.get(n).with_context(|| {
                format!("`{position}`: `index.json` lists {} image(s)", descriptors.len())
            })?]
        }
        Some(reference) => {
            let found: Vec<&Value> =
                descriptors.iter().filter(|d| ref_name(d) == Some(reference)).collect();
            if found.is_empty() {
                let names: Vec<String> =
                    descriptors.iter().filter_map(|d| ref_name(d).map(str::to_owned)).collect();
                bail!("no image named `{reference}` in `index.json` (it has: {})", list(&names));
            }
            found
        }
        None => descriptors.iter().collect(),
    };
    let descriptor = match candidates.as_slice() {
        [only] => *only,
        _ => pick_platform(&candidates, platform).with_context(|| {
            let names: Vec<String> =
                candidates.iter().filter_map(|d| ref_name(d).map(str::to_owned)).collect();
            format!(
                "`index.json` lists {} images and none is for {platform}; pick one with `:REF` \
                 or `:@N` (names: {})",
                candidates.len(),
                list(&names)
            )
        })?,
    };
    let manifest = resolve_to_manifest(&blobs, descriptor, platform)?;
    image_from_manifest(blobs, &manifest)
}

/// Follows indexes (at most 4 deep) down to an image manifest, picking `platform`.
fn resolve_to_manifest(
    blobs: &Blobs,
    descriptor: &Value,
    platform: &Platform,
) -> anyhow::Result<Value> {
    let mut descriptor = descriptor.clone();
    for _ in 0..4 {
        let digest = descriptor_digest(&descriptor)?;
        let bytes = blobs.read_small(
            &blobs.locate(&digest)?,
            Some(&digest),
            descriptor["size"].as_u64(),
        )?;
        let document: Value =
            serde_json::from_slice(&bytes).with_context(|| format!("blob {digest} is not JSON"))?;
        let media_type = descriptor["mediaType"].as_str().or(document["mediaType"].as_str());
        let is_index = media_type
            .is_some_and(|t| t.contains("index") || t.contains("manifest.list"))
            || (media_type.is_none() && document.get("manifests").is_some());
        if !is_index {
            return Ok(document);
        }
        let manifests = descriptors_of(&document, &digest)?;
        let candidates: Vec<&Value> = manifests.iter().collect();
        descriptor = pick_platform(&candidates, platform)
            .with_context(|| {
                let available: Vec<String> = manifests
                    .iter()
                    .map(|d| {
                        let p = &d["platform"];
                        let mut text = format!(
                            "{}/{}",
                            p["os"].as_str().unwrap_or("?"),
                            p["architecture"].as_str().unwrap_or("?")
                        );
                        if let Some(variant) = p["variant"].as_str() {
                            text.push('/');
                            text.push_str(variant);
                        }
                        text
                    })
                    .collect();
                format!("index {digest} has no image for {platform} (it has: {})", list(&available))
            })?
            .clone();
    }
    bail!("indexes nest more than 4 deep")
}

fn pick_platform<'a>(candidates: &[&'a Value], platform: &Platform) -> Option<&'a Value> {
    candidates.iter().copied().find(|d| platform.matches(&d["platform"]))
}

fn descriptors_of<'a>(index: &'a Value, what: &str) -> anyhow::Result<&'a Vec<Value>> {
    index["manifests"].as_array().with_context(|| format!("`{what}` has no `manifests` array"))
}

fn ref_name(descriptor: &Value) -> Option<&str> {
    descriptor["annotations"]["org.opencontainers.image.ref.name"].as_str()
}

fn descriptor_digest(descriptor: &Value) -> anyhow::Result<String> {
    let digest = descriptor["digest"]
        .as_str()
        .with_context(|| format!("descriptor without a `digest`: {descriptor}"))?;
    digest_hex(digest)?;
    Ok(digest.to_owned())
}

/// Config and layers of an image manifest (OCI or Docker v2 schema 2).
pub(super) fn image_from_manifest(blobs: Blobs, manifest: &Value) -> anyhow::Result<Image> {
    let config_descriptor = &manifest["config"];
    let config_digest = descriptor_digest(config_descriptor).context("manifest `config`")?;
    let config_bytes = blobs.read_small(
        &blobs.locate(&config_digest)?,
        Some(&config_digest),
        config_descriptor["size"].as_u64(),
    )?;
    let config = parse_config(&config_bytes, &config_digest)?;
    let descriptors = manifest["layers"].as_array().context("manifest has no `layers` array")?;
    let diff_ids = diff_ids(&config, descriptors.len())?;
    let mut layers = Vec::new();
    for (position, (descriptor, diff_id)) in descriptors.iter().zip(diff_ids).enumerate() {
        let digest =
            descriptor_digest(descriptor).with_context(|| format!("manifest layer {position}"))?;
        let location = blobs.locate(&digest)?;
        if let (Blobs::Tar(index), Location::Path(name)) = (&blobs, &location) {
            index.member(name).with_context(|| format!("layer {position}"))?;
        }
        layers.push(Layer {
            index: position,
            name: digest.clone(),
            digest: Some(digest),
            diff_id,
            size: descriptor["size"].as_u64(),
            location,
            digest_from_name: false,
        });
    }
    Ok(Image { source: String::new(), config_bytes, config, layers, blobs })
}

pub(super) fn open_registry(
    text: &str,
    platform: &Platform,
    options: registry::Options,
) -> anyhow::Result<Image> {
    let reference = registry::Reference::parse(text)?;
    let client = registry::Client::new(options)?;
    let manifest = client.manifest_for_platform(&reference, &platform.to_string())?;
    let blobs = Blobs::Registry { client: Box::new(client), reference };
    image_from_manifest(blobs, &manifest.json)
}
