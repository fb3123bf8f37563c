//! Builders of image layers, docker-archives (three dialects), OCI layouts and oci-archives.
//!
//! Every builder is deterministic: tar headers carry mtime 0, uid/gid 0 and fixed modes, gzip
//! headers carry mtime 0, JSON keeps insertion order, so the same input gives the same bytes.
//! The writers fill `config.rootfs` (`type: layers`, `diff_ids`) from the layers; everything else
//! in the config is the caller's.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

/// How a layer blob is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// A plain tar.
    None,
    /// gzip (`1f 8b`).
    Gzip,
    /// zstd (`28 b5 2f fd`).
    Zstd,
}

/// One member of a layer tar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A regular file.
    File {
        /// Path inside the layer, relative (`usr/bin/x`).
        path: String,
        /// Its contents.
        data: Vec<u8>,
        /// Permission bits (`0o644`).
        mode: u32,
    },
    /// A directory (mode 0755; written with a trailing `/`).
    Dir {
        /// Path inside the layer.
        path: String,
    },
    /// A symbolic link.
    Symlink {
        /// Path inside the layer.
        path: String,
        /// The link's target, as written.
        target: String,
    },
    /// A hard link to an earlier member.
    Hardlink {
        /// Path inside the layer.
        path: String,
        /// The path of the linked member.
        target: String,
    },
    /// A whiteout: an empty `DIR/.wh.NAME` file that deletes `path` from lower layers.
    Whiteout {
        /// The deleted path (`DIR/NAME`).
        path: String,
    },
    /// An opaque whiteout: `DIR/.wh..wh..opq`, hiding everything under `dir` in lower layers.
    Opaque {
        /// The opaque directory.
        dir: String,
    },
}

/// A layer tar from `entries`, in order: mtime 0, uid/gid 0, ustar/GNU headers.
///
/// # Panics
/// When an entry's path cannot be stored (absolute, `..`, NUL): a bug in the test.
#[must_use]
pub fn layer_tar(entries: &[Entry]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for entry in entries {
        match entry {
            Entry::File { path, data, mode } => {
                append(&mut builder, tar::EntryType::Regular, path, *mode, data, None);
            }
            Entry::Dir { path } => {
                let path = format!("{}/", path.trim_end_matches('/'));
                append(&mut builder, tar::EntryType::Directory, &path, 0o755, b"", None);
            }
            Entry::Symlink { path, target } => {
                append(&mut builder, tar::EntryType::Symlink, path, 0o777, b"", Some(target));
            }
            Entry::Hardlink { path, target } => {
                append(&mut builder, tar::EntryType::Link, path, 0o644, b"", Some(target));
            }
            Entry::Whiteout { path } => {
                let (dir, name) =
                    path.rsplit_once('/').map_or(("", path.as_str()), |(d, n)| (d, n));
                let member = join(dir, &format!(".wh.{name}"));
                append(&mut builder, tar::EntryType::Regular, &member, 0o644, b"", None);
            }
            Entry::Opaque { dir } => {
                let member = join(dir.trim_end_matches('/'), ".wh..wh..opq");
                append(&mut builder, tar::EntryType::Regular, &member, 0o644, b"", None);
            }
        }
    }
    builder.into_inner().expect("writing a tar to a Vec cannot fail")
}

/// A tar whose member names are written byte for byte (no validation, ≤ 100 bytes each), for
/// hostile-input tests: `("../x", data)` or `("/abs", data)`. Regular files, mode 0644.
///
/// # Panics
/// When a name is longer than 100 bytes.
#[must_use]
pub fn tar_raw(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in members {
        let mut header = tar::Header::new_old();
        assert!(name.len() <= 100, "tar_raw: name `{name}` longer than 100 bytes");
        header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        header.set_size(data.len() as u64);
        header.set_cksum();
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(512), 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// A layer: its uncompressed tar and how it is stored.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The uncompressed tar (its sha256 is the diff_id).
    pub tar: Vec<u8>,
    /// How the blob is stored.
    pub compression: Compression,
}

impl Layer {
    /// A layer holding `entries`, stored with `compression`.
    #[must_use]
    pub fn new(entries: &[Entry], compression: Compression) -> Layer {
        Layer { tar: layer_tar(entries), compression }
    }

    /// The stored blob: the tar, compressed as asked.
    #[must_use]
    pub fn blob(&self) -> Vec<u8> {
        compress(&self.tar, self.compression)
    }

    /// `sha256:<hex>` of the uncompressed tar.
    #[must_use]
    pub fn diff_id(&self) -> String {
        sha256(&self.tar)
    }

    fn media_type(&self) -> &'static str {
        match self.compression {
            Compression::None => "application/vnd.oci.image.layer.v1.tar",
            Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
            Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
        }
    }
}

/// An image: a config (without `rootfs`, which the writers fill) and its layers, bottom first.
#[derive(Clone, Debug)]
pub struct Image {
    /// The config JSON; `rootfs.diff_ids` is filled by the writers.
    pub config: Value,
    /// Layers, bottom (first applied) first.
    pub layers: Vec<Layer>,
}

impl Image {
    /// The config as the writers store it: `rootfs` replaced by `{type: layers, diff_ids}`.
    #[must_use]
    pub fn config_bytes(&self) -> Vec<u8> {
        let mut config = self.config.clone();
        if !config.is_object() {
            config = json!({});
        }
        let diff_ids: Vec<Value> = self.layers.iter().map(|l| Value::from(l.diff_id())).collect();
        config["rootfs"] = json!({ "type": "layers", "diff_ids": diff_ids });
        serde_json::to_vec(&config).expect("a JSON value serializes")
    }
}

/// `data` compressed with `compression` (gzip with mtime 0; zstd at the fastest level).
#[must_use]
pub fn compress(data: &[u8], compression: Compression) -> Vec<u8> {
    match compression {
        Compression::None => data.to_vec(),
        Compression::Gzip => {
            let mut encoder =
                flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::default());
            encoder.write_all(data).expect("writing to a Vec cannot fail");
            encoder.finish().expect("writing to a Vec cannot fail")
        }
        Compression::Zstd => {
            ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
        }
    }
}

/// `sha256:<hex>` of `data`.
#[must_use]
pub fn sha256(data: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(data)))
}

/// go-containerregistry `tarball.Write`: config member `sha256:<hex>`, layers `<hex>.tar.gz`
/// (hex of the stored blob, whatever its compression), `manifest.json` last, every member a
/// regular file with mode 0644.
#[must_use]
pub fn docker_archive_gcr(image: &Image, repo_tag: &str) -> Vec<u8> {
    let config = image.config_bytes();
    let config_name = sha256(&config);
    let mut members: Vec<(String, Vec<u8>)> = vec![(config_name.clone(), config)];
    let mut layer_names = Vec::new();
    for layer in &image.layers {
        let blob = layer.blob();
        let name = format!("{}.tar.gz", hex_of(&sha256(&blob)));
        layer_names.push(name.clone());
        members.push((name, blob));
    }
    let manifest =
        json!([{ "Config": config_name, "RepoTags": [repo_tag], "Layers": layer_names }]);
    members.push(("manifest.json".to_owned(), to_json(&manifest)));
    tar_of(&members.iter().map(|(n, d)| Member::File(n, d)).collect::<Vec<_>>())
}

/// Legacy `docker save` / skopeo 1.9 `docker-archive:`: uncompressed `<diffid>.tar` layers
/// (whatever the layer's compression), `<hex>.json` config, `<id>/layer.tar` symlinks to
/// `../<diffid>.tar` with `<id>/json` and `<id>/VERSION`, `manifest.json`, `repositories`.
/// `RepoTags` is normalized to `docker.io/…` as skopeo writes it.
#[must_use]
pub fn docker_archive_legacy(image: &Image, repo_tag: &str) -> Vec<u8> {
    let config = image.config_bytes();
    let config_hex = hex_of(&sha256(&config)).to_owned();
    let repo_tag = normalize_repo_tag(repo_tag);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut legacy: Vec<(String, String, Vec<u8>)> = Vec::new(); // (id, link target, json)
    let mut layer_names = Vec::new();
    let mut parent = String::new();
    for layer in &image.layers {
        let diff_hex = hex_of(&layer.diff_id()).to_owned();
        let name = format!("{diff_hex}.tar");
        files.push((name.clone(), layer.tar.clone()));
        layer_names.push(name.clone());
        let id = hex_of(&sha256(format!("{parent} {diff_hex}").as_bytes())).to_owned();
        let mut v1 = json!({ "id": id, "created": "1970-01-01T00:00:00Z" });
        if !parent.is_empty() {
            v1["parent"] = Value::from(parent.clone());
        }
        legacy.push((id.clone(), format!("../{name}"), to_json(&v1)));
        parent = id;
    }
    let mut members: Vec<Member<'_>> = files.iter().map(|(n, d)| Member::File(n, d)).collect();
    let config_name = format!("{config_hex}.json");
    members.push(Member::File(&config_name, &config));
    let legacy_names: Vec<(String, String, String, String)> = legacy
        .iter()
        .map(|(id, _, _)| {
            (
                format!("{id}/"),
                format!("{id}/layer.tar"),
                format!("{id}/json"),
                format!("{id}/VERSION"),
            )
        })
        .collect();
    for ((_, target, v1), (dir, layer_tar, json_name, version)) in legacy.iter().zip(&legacy_names)
    {
        members.push(Member::Dir(dir));
        members.push(Member::Symlink(layer_tar, target));
        members.push(Member::File(json_name, v1));
        members.push(Member::File(version, b"1.0"));
    }
    let manifest =
        to_json(&json!([{ "Config": config_name, "RepoTags": [repo_tag], "Layers": layer_names }]));
    members.push(Member::File("manifest.json", &manifest));
    let (repo, tag) = split_repo_tag(&repo_tag);
    let repositories = to_json(&json!({ repo: { tag: parent } }));
    members.push(Member::File("repositories", &repositories));
    tar_of(&members)
}

/// Docker Engine ≥ 25 `docker save`: an OCI layout (`blobs/sha256/…`, `index.json`,
/// `oci-layout`) plus `manifest.json` whose `Config` and `Layers` are `blobs/sha256/<hex>`
/// paths, and `repositories`. Layers are stored with their own compression.
#[must_use]
pub fn docker_archive_moby25(image: &Image, repo_tag: &str) -> Vec<u8> {
    let repo_tag = normalize_repo_tag(repo_tag);
    let mut files = BTreeMap::new();
    let manifest = write_image(&mut files, image);
    let config_digest = manifest.json["config"]["digest"].as_str().unwrap_or_default().to_owned();
    let layer_paths: Vec<String> = manifest.json["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| blob_path(l["digest"].as_str().unwrap_or_default()))
        .collect();
    let (_, tag) = split_repo_tag(&repo_tag);
    let mut descriptor = manifest.descriptor();
    descriptor["annotations"] = json!({
        "io.containerd.image.name": repo_tag,
        "org.opencontainers.image.ref.name": tag,
    });
    let index = to_json(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [descriptor],
    }));
    let docker_manifest = to_json(&json!([{
        "Config": blob_path(&config_digest),
        "RepoTags": [repo_tag],
        "Layers": layer_paths,
    }]));
    let (repo, tag) = split_repo_tag(&repo_tag);
    let top = hex_of(&manifest.digest).to_owned();
    let repositories = to_json(&json!({ repo: { tag: top } }));
    let mut members: Vec<Member<'_>> = vec![Member::Dir("blobs/"), Member::Dir("blobs/sha256/")];
    members.extend(files.iter().map(|(n, d)| Member::File(n, d)));
    members.push(Member::File("index.json", &index));
    members.push(Member::File("manifest.json", &docker_manifest));
    members.push(Member::File("oci-layout", OCI_LAYOUT.as_bytes()));
    members.push(Member::File("repositories", &repositories));
    tar_of(&members)
}

/// An OCI image layout in `dir`: `oci-layout`, `index.json` with one descriptor annotated
/// `org.opencontainers.image.ref.name` = `ref_name`, pointing at the image's manifest (one
/// platform) or at an image index of one manifest per platform (`os/arch[/variant]`).
///
/// # Panics
/// On IO errors: a bug or a full disk in a test.
pub fn oci_layout(dir: &Path, images: &[(&str, &Image)], ref_name: &str) {
    for (name, data) in layout_files(images, ref_name) {
        let path = dir.join(&name);
        std::fs::create_dir_all(path.parent().expect("a layout file has a parent"))
            .expect("create the layout's directories");
        #[allow(clippy::disallowed_methods, reason = "test doubles write fixtures directly")]
        std::fs::write(&path, data).expect("write a layout file");
    }
}

/// The layout of [`oci_layout`] inside a tar (`blobs/`, `blobs/sha256/…`, `index.json`,
/// `oci-layout`), as skopeo's `oci-archive:` writes it.
#[must_use]
pub fn oci_archive(images: &[(&str, &Image)], ref_name: &str) -> Vec<u8> {
    let files = layout_files(images, ref_name);
    let mut members: Vec<Member<'_>> = vec![Member::Dir("blobs/"), Member::Dir("blobs/sha256/")];
    members.extend(files.iter().map(|(n, d)| Member::File(n, d)));
    tar_of(&members)
}

/// The `oci-layout` file's contents.
pub const OCI_LAYOUT: &str = r#"{"imageLayoutVersion":"1.0.0"}"#;

/// Every file of an OCI layout holding `images` under `ref_name`, by relative path, sorted.
#[must_use]
pub fn layout_files(images: &[(&str, &Image)], ref_name: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut manifests = Vec::new();
    for (platform, image) in images {
        let manifest = write_image(&mut files, image);
        let mut descriptor = manifest.descriptor();
        descriptor["platform"] = platform_json(platform);
        manifests.push(descriptor);
    }
    let mut top = if manifests.len() == 1 {
        manifests.pop().expect("one manifest")
    } else {
        let index = to_json(&json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests,
        }));
        let digest = put_blob(&mut files, index.clone());
        json!({
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": digest,
            "size": index.len(),
        })
    };
    top["annotations"] = json!({ "org.opencontainers.image.ref.name": ref_name });
    let index = to_json(&json!({ "schemaVersion": 2, "manifests": [top] }));
    files.insert("index.json".to_owned(), index);
    files.insert("oci-layout".to_owned(), OCI_LAYOUT.as_bytes().to_vec());
    files
}

struct WrittenManifest {
    digest: String,
    size: usize,
    json: Value,
}

impl WrittenManifest {
    fn descriptor(&self) -> Value {
        json!({
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": self.digest,
            "size": self.size,
        })
    }
}

/// Puts the config, layer blobs and an OCI manifest of `image` into `files`.
fn write_image(files: &mut BTreeMap<String, Vec<u8>>, image: &Image) -> WrittenManifest {
    let config = image.config_bytes();
    let config_size = config.len();
    let config_digest = put_blob(files, config);
    let layers: Vec<Value> = image
        .layers
        .iter()
        .map(|layer| {
            let blob = layer.blob();
            let size = blob.len();
            json!({ "mediaType": layer.media_type(), "digest": put_blob(files, blob), "size": size })
        })
        .collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": config_digest,
            "size": config_size,
        },
        "layers": layers,
    });
    let bytes = to_json(&manifest);
    let size = bytes.len();
    let digest = put_blob(files, bytes);
    WrittenManifest { digest, size, json: manifest }
}

fn put_blob(files: &mut BTreeMap<String, Vec<u8>>, data: Vec<u8>) -> String {
    let digest = sha256(&data);
    files.insert(blob_path(&digest), data);
    digest
}

fn blob_path(digest: &str) -> String {
    format!("blobs/sha256/{}", hex_of(digest))
}

fn platform_json(platform: &str) -> Value {
    let mut parts = platform.split('/');
    let os = parts.next().unwrap_or_default();
    let arch = parts.next().unwrap_or_default();
    let mut value = json!({ "architecture": arch, "os": os });
    if let Some(variant) = parts.next() {
        value["variant"] = Value::from(variant);
    }
    value
}

/// `busybox:1` → `docker.io/library/busybox:1`; `ghcr.io/x/y:t` unchanged.
fn normalize_repo_tag(repo_tag: &str) -> String {
    let first = repo_tag.split('/').next().unwrap_or_default();
    let has_host = repo_tag.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_host {
        repo_tag.to_owned()
    } else if repo_tag.contains('/') {
        format!("docker.io/{repo_tag}")
    } else {
        format!("docker.io/library/{repo_tag}")
    }
}

/// `host/repo:tag` → (`host/repo`, `tag`); `latest` when there is no tag.
fn split_repo_tag(repo_tag: &str) -> (String, String) {
    let slash = repo_tag.rfind('/').map_or(0, |i| i + 1);
    match repo_tag[slash..].rfind(':') {
        Some(colon) => {
            (repo_tag[..slash + colon].to_owned(), repo_tag[slash + colon + 1..].to_owned())
        }
        None => (repo_tag.to_owned(), "latest".to_owned()),
    }
}

enum Member<'a> {
    File(&'a str, &'a [u8]),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
}

/// An outer archive: regular files 0644, directories 0755, mtime 0.
fn tar_of(members: &[Member<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for member in members {
        match member {
            Member::File(name, data) => {
                append(&mut builder, tar::EntryType::Regular, name, 0o644, data, None);
            }
            Member::Dir(name) => {
                append(&mut builder, tar::EntryType::Directory, name, 0o755, b"", None);
            }
            Member::Symlink(name, target) => {
                append(&mut builder, tar::EntryType::Symlink, name, 0o777, b"", Some(target));
            }
        }
    }
    builder.into_inner().expect("writing a tar to a Vec cannot fail")
}

fn append(
    builder: &mut tar::Builder<Vec<u8>>,
    kind: tar::EntryType,
    path: &str,
    mode: u32,
    data: &[u8],
    link: Option<&str>,
) {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_uid(0);
    header.set_gid(0);
    header.set_mtime(0);
    header.set_size(data.len() as u64);
    let result = match link {
        Some(target) => builder.append_link(&mut header, path, target),
        None => builder.append_data(&mut header, path, data),
    };
    result.unwrap_or_else(|err| panic!("cannot store `{path}` in a tar: {err}"));
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

fn to_json(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("a JSON value serializes")
}

fn hex_of(digest: &str) -> &str {
    digest.strip_prefix("sha256:").unwrap_or(digest)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
