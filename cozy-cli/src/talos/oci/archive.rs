//! Image sources in skopeo's transport syntax and one reader for all of them (spec 5.2).
//!
//! `docker-archive:PATH[:REF]` (go-containerregistry, legacy `docker save`/skopeo and Docker ≥ 25
//! dialects), `oci-archive:PATH[:REF]`, `oci:DIR[:REF]` and `docker://REF` all open into an
//! [`Image`]: the config JSON, the ordered layer list, and a layer opener whose reader sniffs the
//! compression (gzip, zstd or a plain tar) and checks, while streaming, the stored blob's sha256
//! against its name or descriptor and the uncompressed sha256 against `config.rootfs.diff_ids`.
//!
//! Invariants: archives are never loaded whole; their tar is indexed once (member offsets) and
//! members are read by seeking. Manifests, indexes and configs are at most [`MAX_JSON_BYTES`].
//! Member names that are absolute or contain `..` make the archive unreadable. Links between
//! members are followed one level and never leave the archive. Only `docker://` touches the
//! network, through `oci::registry`. The layer reader is `oci::layer`; OCI indexes and
//! manifests (`oci:`, `oci-archive:`, `docker://`) are `oci::layout`.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde::Deserialize;
use serde_json::Value;

pub use crate::talos::oci::layer::LayerReader;
use crate::talos::oci::layout::{self, Platform};
use crate::talos::oci::registry;

/// Largest manifest, index or config accepted (4 MiB).
pub const MAX_JSON_BYTES: u64 = 4 * 1024 * 1024;

/// The platform picked from an index when none is given.
pub const DEFAULT_PLATFORM: &str = "linux/amd64";

/// Where an image comes from, in skopeo's transport syntax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// `docker-archive:PATH[:REF]`: a `docker save`-style tar; `REF` picks among `RepoTags`
    /// (or `@N`, the N-th image).
    DockerArchive {
        /// The tar file.
        path: PathBuf,
        /// The requested tag, or `@N`.
        reference: Option<String>,
    },
    /// `oci-archive:PATH[:REF]`: an OCI image layout inside a tar.
    OciArchive {
        /// The tar file.
        path: PathBuf,
        /// The `org.opencontainers.image.ref.name` to pick, or `@N`.
        reference: Option<String>,
    },
    /// `oci:DIR[:REF]`: an OCI image layout directory.
    Oci {
        /// The layout directory.
        dir: PathBuf,
        /// The `org.opencontainers.image.ref.name` to pick, or `@N`.
        reference: Option<String>,
    },
    /// `docker://REF`: an image in a registry.
    Docker {
        /// The image reference (`ghcr.io/owner/name:tag`).
        reference: String,
    },
}

impl Source {
    /// Parses `docker-archive:PATH[:REF]`, `oci-archive:PATH[:REF]`, `oci:DIR[:REF]` or
    /// `docker://REF`. As in skopeo, the path ends at the first `:` after the transport.
    ///
    /// # Errors
    /// When the transport is unknown or the path or reference is empty; the message names the
    /// input.
    pub fn parse(text: &str) -> anyhow::Result<Source> {
        let expected = "expected `docker-archive:PATH[:REF]`, `oci-archive:PATH[:REF]`, \
                        `oci:DIR[:REF]` or `docker://REF`";
        if let Some(reference) = text.strip_prefix("docker://") {
            if reference.is_empty() {
                bail!("image source `{text}`: the reference after `docker://` is empty");
            }
            return Ok(Source::Docker { reference: reference.to_owned() });
        }
        let Some((transport, rest)) = text.split_once(':') else {
            bail!("image source `{text}` has no transport; {expected}");
        };
        let (path, reference) = match rest.split_once(':') {
            Some((path, reference)) => (path, Some(reference)),
            None => (rest, None),
        };
        if path.is_empty() {
            bail!("image source `{text}`: the path after `{transport}:` is empty");
        }
        if reference == Some("") {
            bail!("image source `{text}`: the reference after the path is empty");
        }
        let path = PathBuf::from(path);
        let reference = reference.map(str::to_owned);
        match transport {
            "docker-archive" => Ok(Source::DockerArchive { path, reference }),
            "oci-archive" => Ok(Source::OciArchive { path, reference }),
            "oci" => Ok(Source::Oci { dir: path, reference }),
            _ => bail!("image source `{text}`: unknown transport `{transport}`; {expected}"),
        }
    }
}

impl std::str::FromStr for Source {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Source> {
        Source::parse(text)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (transport, path, reference) = match self {
            Source::Docker { reference } => return write!(f, "docker://{reference}"),
            Source::DockerArchive { path, reference } => ("docker-archive", path, reference),
            Source::OciArchive { path, reference } => ("oci-archive", path, reference),
            Source::Oci { dir, reference } => ("oci", dir, reference),
        };
        write!(f, "{transport}:{}", path.display())?;
        if let Some(reference) = reference {
            write!(f, ":{reference}")?;
        }
        Ok(())
    }
}

/// How [`Image::open`] picks a platform and reaches registries.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// `os/arch[/variant]` to pick from an index ([`DEFAULT_PLATFORM`] when `None`); ignored by
    /// docker-archives, which hold one config per image.
    pub platform: Option<String>,
    /// How `docker://` sources connect.
    pub registry: registry::Options,
}

/// One layer of an [`Image`], bottom first.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Position in the image, 0 = bottom.
    pub index: usize,
    /// Where the blob lives, for messages: a member path or a blob digest.
    pub name: String,
    /// `sha256:<hex>` the stored blob must hash to, when the format names it.
    pub digest: Option<String>,
    /// `sha256:<hex>` of the uncompressed tar, from `config.rootfs.diff_ids`.
    pub diff_id: String,
    /// Stored size in bytes, when known before reading.
    pub size: Option<u64>,
    pub(super) location: Location,
    /// `digest` comes from a member name, which some writers derive from the uncompressed
    /// tar: the uncompressed sha256 then satisfies it too.
    pub(super) digest_from_name: bool,
}

/// An opened image: config, layers, and a way to read them.
pub struct Image {
    pub(super) source: String,
    pub(super) config_bytes: Vec<u8>,
    pub(super) config: Value,
    pub(super) layers: Vec<Layer>,
    pub(super) blobs: Blobs,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image")
            .field("source", &self.source)
            .field("layers", &self.layers)
            .finish_non_exhaustive()
    }
}

impl Image {
    /// Opens `source`: reads and checks its manifest and config; layers are read on demand.
    ///
    /// # Errors
    /// When the archive, layout or registry cannot be read, a JSON document is malformed or too
    /// large, a member name is unsafe, the reference or platform matches nothing, or a
    /// manifest or config does not hash to its name.
    pub fn open(source: &Source, options: &OpenOptions) -> anyhow::Result<Image> {
        let platform = Platform::parse(options.platform.as_deref().unwrap_or(DEFAULT_PLATFORM))?;
        let opened = match source {
            Source::DockerArchive { path, reference } => TarIndex::build(path)
                .and_then(|index| open_docker_archive(Blobs::Tar(index), reference.as_deref())),
            Source::OciArchive { path, reference } => TarIndex::build(path).and_then(|index| {
                layout::open_oci_layout(Blobs::Tar(index), reference.as_deref(), &platform)
            }),
            Source::Oci { dir, reference } => {
                if !dir.is_dir() {
                    bail!("`{}` is not a directory", dir.display());
                }
                layout::open_oci_layout(Blobs::Dir(dir.clone()), reference.as_deref(), &platform)
            }
            Source::Docker { reference } => {
                layout::open_registry(reference, &platform, options.registry.clone())
            }
        };
        let mut image = opened.with_context(|| format!("cannot read image `{source}`"))?;
        // A layout's only image is taken without an index to pick from: its config must be
        // for the platform asked for. (Registries check this themselves; docker-archives hold
        // one config per image and ignore the platform.)
        if options.platform.is_some()
            && matches!(source, Source::Oci { .. } | Source::OciArchive { .. })
            && !platform.matches(&image.config)
        {
            let field = |key: &str| image.config[key].as_str().unwrap_or("?").to_owned();
            bail!(
                "cannot read image `{source}`: its config is for {}/{}, not for {platform}",
                field("os"),
                field("architecture")
            );
        }
        image.source = source.to_string();
        Ok(image)
    }

    /// The source this image was opened from, as the user wrote it (normalized).
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The config JSON.
    #[must_use]
    pub fn config(&self) -> &Value {
        &self.config
    }

    /// The config's exact bytes.
    #[must_use]
    pub fn config_bytes(&self) -> &[u8] {
        &self.config_bytes
    }

    /// The layers, bottom (first applied) first.
    #[must_use]
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// A reader of layer `index`'s uncompressed tar. It checks the blob digest and the diff_id
    /// when it reaches the end; call [`LayerReader::finish`] after a tar parser stopped early.
    ///
    /// # Errors
    /// When the index is out of range or the blob cannot be opened.
    pub fn open_layer(&self, index: usize) -> anyhow::Result<LayerReader<'_>> {
        let layer =
            self.layers.get(index).with_context(|| format!("the image has no layer {index}"))?;
        let raw = self
            .blobs
            .open(&layer.location, layer.size)
            .with_context(|| format!("cannot open layer {index} (`{}`)", layer.name))?;
        LayerReader::new(layer, raw)
    }
}

/// Where a layer's blob is, inside its image's [`Blobs`].
#[derive(Clone, Debug)]
pub(super) enum Location {
    /// A tar member (already resolved through links) or a layout-relative file.
    Path(String),
    /// A registry blob.
    Digest(String),
}

/// The blobs of one image: a tar indexed by member, a layout directory, or a registry
/// repository.
pub(super) enum Blobs {
    Tar(TarIndex),
    Dir(PathBuf),
    Registry { client: Box<registry::Client>, reference: registry::Reference },
}

impl Blobs {
    /// Opens a blob for streaming. A registry blob is downloaded whole, and at most `size`
    /// bytes of it (its descriptor's size, which registry blobs must have).
    pub(super) fn open(
        &self,
        location: &Location,
        size: Option<u64>,
    ) -> anyhow::Result<Box<dyn Read + '_>> {
        match (self, location) {
            (Blobs::Tar(index), Location::Path(name)) => {
                let member = index.member(name)?;
                Ok(Box::new(index.open(member)?))
            }
            (Blobs::Dir(dir), Location::Path(name)) => {
                let path = dir.join(name);
                let file = File::open(&path)
                    .with_context(|| format!("cannot open `{}`", path.display()))?;
                Ok(Box::new(BufReader::new(file)))
            }
            (Blobs::Registry { client, reference }, Location::Digest(digest)) => {
                let size = size.with_context(|| {
                    format!("blob {digest}: its descriptor has no `size`, needed to download it")
                })?;
                Ok(Box::new(io::Cursor::new(client.blob(reference, digest, size)?)))
            }
            _ => unreachable!("a location always matches the kind of its image's blobs"),
        }
    }

    /// Reads a small blob (manifest, index, config, `oci-layout`): at most [`MAX_JSON_BYTES`],
    /// and equal to `digest` (and `size`) when given.
    pub(super) fn read_small(
        &self,
        location: &Location,
        digest: Option<&str>,
        size: Option<u64>,
    ) -> anyhow::Result<Vec<u8>> {
        let name = match location {
            Location::Path(name) | Location::Digest(name) => name,
        };
        if let Some(size) = size
            && size > MAX_JSON_BYTES
        {
            bail!("`{name}` is {size} bytes, more than the {MAX_JSON_BYTES} allowed");
        }
        if let (Blobs::Tar(index), Location::Path(name)) = (self, location) {
            let member = index.member(name)?;
            if member.size > MAX_JSON_BYTES {
                bail!("`{name}` is {} bytes, more than the {MAX_JSON_BYTES} allowed", member.size);
            }
        }
        let mut bytes = Vec::new();
        self.open(location, Some(size.unwrap_or(MAX_JSON_BYTES)))?
            .take(MAX_JSON_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read `{name}`"))?;
        if bytes.len() as u64 > MAX_JSON_BYTES {
            bail!("`{name}` is more than the {MAX_JSON_BYTES} bytes allowed");
        }
        if let Some(size) = size
            && size != bytes.len() as u64
        {
            bail!("`{name}` is {} bytes, but its descriptor says {size}", bytes.len());
        }
        if let Some(digest) = digest {
            let actual = super::registry::sha256_digest(&bytes);
            if actual != digest {
                bail!("`{name}` hashes to {actual}, but its name or descriptor says {digest}");
            }
        }
        Ok(bytes)
    }

    /// Where blob `digest` lives: `blobs/sha256/<hex>` in a layout, the digest in a registry.
    pub(super) fn locate(&self, digest: &str) -> anyhow::Result<Location> {
        let hex = digest_hex(digest)?;
        Ok(match self {
            Blobs::Registry { .. } => Location::Digest(digest.to_owned()),
            Blobs::Tar(_) | Blobs::Dir(_) => Location::Path(format!("blobs/sha256/{hex}")),
        })
    }
}

/// The members of a tar file, by normalized name, with their data offsets.
pub(super) struct TarIndex {
    path: PathBuf,
    members: HashMap<String, Member>,
}

#[derive(Clone, Debug)]
pub(super) struct Member {
    kind: tar::EntryType,
    offset: u64,
    size: u64,
    link: Option<String>,
}

impl TarIndex {
    /// Walks the tar's headers once (seeking over data) and records every member.
    fn build(path: &Path) -> anyhow::Result<TarIndex> {
        let file = File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
        let mut archive = tar::Archive::new(BufReader::new(file));
        let mut members = HashMap::new();
        let entries = archive
            .entries_with_seek()
            .with_context(|| format!("`{}` is not a tar archive", path.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("`{}`: malformed tar", path.display()))?;
            let raw_name = String::from_utf8(entry.path_bytes().into_owned()).map_err(|_| {
                anyhow::anyhow!(
                    "`{}`: member at offset {} has a name that is not UTF-8",
                    path.display(),
                    entry.raw_header_position()
                )
            })?;
            let Some(name) = normalize_member(&raw_name)
                .with_context(|| format!("`{}`: member `{raw_name}`", path.display()))?
            else {
                continue;
            };
            let link = match entry.link_name_bytes() {
                Some(bytes) => Some(String::from_utf8(bytes.into_owned()).map_err(|_| {
                    anyhow::anyhow!("`{}`: link target of `{name}` is not UTF-8", path.display())
                })?),
                None => None,
            };
            let member = Member {
                kind: entry.header().entry_type(),
                offset: entry.raw_file_position(),
                size: entry.size(),
                link,
            };
            members.insert(name, member);
        }
        Ok(TarIndex { path: path.to_owned(), members })
    }

    /// The regular file `name`, through one symlink or hardlink.
    pub(super) fn member(&self, name: &str) -> anyhow::Result<&Member> {
        let archive = self.path.display();
        let member = self
            .members
            .get(name)
            .with_context(|| format!("`{archive}` has no member `{name}`"))?;
        let member = match member.kind {
            tar::EntryType::Symlink | tar::EntryType::Link => {
                let target = member.link.as_deref().unwrap_or_default();
                let base = if member.kind == tar::EntryType::Symlink {
                    name.rsplit_once('/').map_or("", |(dir, _)| dir)
                } else {
                    ""
                };
                let resolved = resolve_link(base, target).with_context(|| {
                    format!("`{archive}`: link `{name}` -> `{target}` leaves the archive")
                })?;
                let target_member = self.members.get(&resolved).with_context(|| {
                    format!("`{archive}`: link `{name}` -> `{target}`: no member `{resolved}`")
                })?;
                if !is_regular(target_member.kind) {
                    bail!(
                        "`{archive}`: link `{name}` -> `{target}` does not lead to a regular file"
                    );
                }
                target_member
            }
            kind if is_regular(kind) => member,
            _ => bail!("`{archive}`: member `{name}` is not a regular file"),
        };
        Ok(member)
    }

    /// A reader of `member`'s data, by seeking the file.
    fn open(&self, member: &Member) -> anyhow::Result<impl Read + use<>> {
        let mut file = File::open(&self.path)
            .with_context(|| format!("cannot open `{}`", self.path.display()))?;
        file.seek(SeekFrom::Start(member.offset))
            .with_context(|| format!("cannot seek in `{}`", self.path.display()))?;
        Ok(BufReader::new(file).take(member.size))
    }
}

fn is_regular(kind: tar::EntryType) -> bool {
    matches!(kind, tar::EntryType::Regular | tar::EntryType::Continuous)
}

/// A member name without `./` and trailing `/`; `None` for the archive root; an error for
/// absolute names and names with `..`.
fn normalize_member(name: &str) -> anyhow::Result<Option<String>> {
    if name.starts_with('/') {
        bail!("absolute member names are not allowed");
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => bail!("member names with `..` are not allowed"),
            part => parts.push(part),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

/// `target` taken relative to directory `base` (both archive-relative), normalized; `None`
/// when it climbs above the archive root or is absolute.
fn resolve_link(base: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// One image of a docker-archive's `manifest.json`.
#[derive(Debug, Deserialize)]
struct ArchiveManifest {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
}

fn open_docker_archive(blobs: Blobs, reference: Option<&str>) -> anyhow::Result<Image> {
    let Blobs::Tar(index) = &blobs else {
        unreachable!("docker-archives are tars");
    };
    if !index.members.contains_key("manifest.json") {
        bail!("no `manifest.json` in the archive: not a docker-archive");
    }
    let bytes = blobs.read_small(&Location::Path("manifest.json".to_owned()), None, None)?;
    let entries: Vec<ArchiveManifest> = serde_json::from_slice(&bytes)
        .context("`manifest.json` is not a docker-archive manifest")?;
    let tags = |entry: &ArchiveManifest| entry.repo_tags.clone().unwrap_or_default();
    let chosen = match reference {
        Some(position) if position.starts_with('@') => {
            let n: usize = position[1..]
                .parse()
                .with_context(|| format!("`{position}`: expected `@N`, an image number"))?;
            entries.get(n).with_context(|| {
                format!("`{position}`: the archive holds {} image(s)", entries.len())
            })?
        }
        Some(reference) => {
            let wanted = normalize_repo_tag(reference);
            entries
                .iter()
                .find(|entry| tags(entry).iter().any(|tag| normalize_repo_tag(tag) == wanted))
                .with_context(|| {
                    let all: Vec<String> = entries.iter().flat_map(tags).collect();
                    format!("no image tagged `{reference}` in the archive (it has: {})", list(&all))
                })?
        }
        None => match entries.as_slice() {
            [only] => only,
            [] => bail!("`manifest.json` lists no image"),
            _ => {
                let all: Vec<String> = entries.iter().flat_map(tags).collect();
                bail!(
                    "the archive holds {} images; pick one with `:REF` or `:@N` (tags: {})",
                    entries.len(),
                    list(&all)
                );
            }
        },
    };
    let config_name = normalize_member(&chosen.config)
        .with_context(|| format!("`manifest.json`: config `{}`", chosen.config))?
        .context("`manifest.json`: empty config path")?;
    let config_claim = digest_in_name(&resolved_name(index, &config_name));
    let config_bytes =
        blobs.read_small(&Location::Path(config_name.clone()), config_claim.as_deref(), None)?;
    let config = parse_config(&config_bytes, &config_name)?;
    let diff_ids = diff_ids(&config, chosen.layers.len())?;
    let mut layers = Vec::new();
    for (position, (raw_name, diff_id)) in chosen.layers.iter().zip(diff_ids).enumerate() {
        let name = normalize_member(raw_name)
            .with_context(|| format!("`manifest.json`: layer {position} `{raw_name}`"))?
            .with_context(|| format!("`manifest.json`: layer {position} has an empty path"))?;
        let member = index.member(&name)?;
        let resolved = resolved_name(index, &name);
        layers.push(Layer {
            index: position,
            digest: digest_in_name(&resolved),
            name,
            diff_id,
            size: Some(member.size),
            location: Location::Path(resolved),
            digest_from_name: true,
        });
    }
    Ok(Image { source: String::new(), config_bytes, config, layers, blobs })
}

/// The name a member's data is stored under, after following one link.
fn resolved_name(index: &TarIndex, name: &str) -> String {
    match index.members.get(name) {
        Some(member) if matches!(member.kind, tar::EntryType::Symlink | tar::EntryType::Link) => {
            let base = if member.kind == tar::EntryType::Symlink {
                name.rsplit_once('/').map_or("", |(dir, _)| dir)
            } else {
                ""
            };
            resolve_link(base, member.link.as_deref().unwrap_or_default())
                .unwrap_or_else(|| name.to_owned())
        }
        _ => name.to_owned(),
    }
}

/// The digest a member name claims: `sha256:<hex>`, `<hex>.json`, `<hex>.tar`, `<hex>.tar.gz`,
/// `<hex>` or `…/sha256/<hex>`.
fn digest_in_name(name: &str) -> Option<String> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let hex = base
        .strip_prefix("sha256:")
        .or_else(|| base.strip_suffix(".tar.gz"))
        .or_else(|| base.strip_suffix(".tar"))
        .or_else(|| base.strip_suffix(".json"))
        .unwrap_or(base);
    is_sha256_hex(hex).then(|| format!("sha256:{hex}"))
}

/// `busybox` → `docker.io/library/busybox:latest`; hosts and tags kept.
fn normalize_repo_tag(reference: &str) -> String {
    let first = reference.split('/').next().unwrap_or_default();
    let has_host = reference.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost");
    let mut full = if has_host {
        reference.to_owned()
    } else if reference.contains('/') {
        format!("docker.io/{reference}")
    } else {
        format!("docker.io/library/{reference}")
    };
    let last = full.rsplit('/').next().unwrap_or_default();
    if !last.contains(':') && !last.contains('@') {
        full.push_str(":latest");
    }
    full
}

pub(super) fn parse_config(bytes: &[u8], name: &str) -> anyhow::Result<Value> {
    let config: Value =
        serde_json::from_slice(bytes).with_context(|| format!("config `{name}` is not JSON"))?;
    if !config.is_object() {
        bail!("config `{name}` is not a JSON object");
    }
    Ok(config)
}

/// `config.rootfs.diff_ids`, checked: `type` is `layers`, one well-formed digest per layer.
pub(super) fn diff_ids(config: &Value, layers: usize) -> anyhow::Result<Vec<String>> {
    let rootfs = &config["rootfs"];
    if let Some(kind) = rootfs["type"].as_str()
        && kind != "layers"
    {
        bail!("config `rootfs.type` is `{kind}`, expected `layers`");
    }
    let ids = rootfs["diff_ids"].as_array().context("config has no `rootfs.diff_ids`")?;
    if ids.len() != layers {
        bail!("config lists {} diff_ids but the manifest {layers} layers", ids.len());
    }
    ids.iter()
        .enumerate()
        .map(|(position, id)| {
            let id = id
                .as_str()
                .with_context(|| format!("config `rootfs.diff_ids[{position}]` is not a string"))?;
            digest_hex(id).with_context(|| format!("config `rootfs.diff_ids[{position}]`"))?;
            Ok(id.to_owned())
        })
        .collect()
}

/// The hex of a `sha256:<64 lowercase hex>` digest; other algorithms and shapes are errors
/// (a digest becomes a path, so nothing else may pass).
pub(super) fn digest_hex(digest: &str) -> anyhow::Result<&str> {
    match digest.split_once(':') {
        Some(("sha256", hex)) if is_sha256_hex(hex) => Ok(hex),
        Some(("sha256", _)) => bail!("`{digest}` is not a sha256 digest (64 lowercase hex digits)"),
        Some((algorithm, _)) => {
            bail!("`{digest}`: digest algorithm `{algorithm}` is not supported")
        }
        None => bail!("`{digest}` is not a digest (`sha256:<hex>`)"),
    }
}

fn is_sha256_hex(hex: &str) -> bool {
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(super) fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.iter().map(|item| format!("`{item}`")).collect::<Vec<_>>().join(", ")
    }
}
