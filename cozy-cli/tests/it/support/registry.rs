//! Registries for tests: a scripted in-process fake, Debian's real `docker-registry`, and
//! fixtures to load into them.
//!
//! Always available:
//! - [`write_oci_layout`] writes a multi-platform OCI image layout by hand (one gzip layer
//!   per platform, holding the files you give) and returns every digest it wrote
//!   ([`OciLayout`]).
//! - [`write_docker_archive`] writes a minimal `docker save`-style tarball (`manifest.json`,
//!   config, one layer).
//! - [`FakeRegistry`] is a loopback distribution API in this process (manifests, blobs, tags
//!   with `Link` pagination, optional Bearer token auth, optional blob redirects), built on
//!   [`HttpServer::handler`], for tests that must run without the real tools.
//!
//! With feature `test-real-tools` (the tier of spec 7.3/7.4):
//! - [`Registry::start`] runs the real `docker-registry` on `127.0.0.1:<free port>` with temp
//!   storage, delete enabled and no auth; it is killed when dropped.
//! - [`skopeo`] / [`skopeo_copy`] run the real skopeo with a throwaway accept-anything policy.
//! - [`require_tool`] finds a real tool or FAILS the test with the install hint (never skips).
//!
//! A typical real-tier test:
//! ```ignore
//! let registry = Registry::start();
//! let dir = tempfile::tempdir().unwrap();
//! let layout = write_oci_layout(&dir.path().join("layout"), "v1.13.6", &[
//!     ("linux/amd64", &[("image-digests", b"ghcr.io/…\n".as_slice())]),
//!     ("linux/arm64", &[("image-digests", b"ghcr.io/…\n".as_slice())]),
//! ]);
//! registry.push_layout(&layout, "siderolabs/extensions"); // skopeo copy --all --preserve-digests
//! // now `127.0.0.1:PORT/siderolabs/extensions:v1.13.6` is `layout.index_digest`
//! ```
#![allow(dead_code, reason = "shared helpers: not every build of the test binary uses each one")]

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};

use super::http_server::{HttpServer, Reply, Request};

/// OCI image index media type.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// OCI image manifest media type.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// Docker image manifest (schema 2) media type, what skopeo pushes from a docker-archive.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// OCI image config media type.
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// OCI gzip layer media type.
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

/// `sha256:<hex>` of `bytes`.
pub fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// A file to put in a layer: path inside the image (no leading `/`) and contents.
pub type File<'a> = (&'a str, &'a [u8]);

/// One platform's image of an [`OciLayout`].
#[derive(Clone, Debug)]
pub struct LayoutImage {
    /// `os/arch` or `os/arch/variant`.
    pub platform: String,
    /// The image manifest's digest.
    pub manifest_digest: String,
    /// The image manifest's bytes.
    pub manifest: Vec<u8>,
    /// The config blob's digest.
    pub config_digest: String,
    /// The (only) layer's digest, gzip-compressed.
    pub layer_digest: String,
    /// The sha256 of the uncompressed layer tar (the config's `diff_ids[0]`).
    pub diff_id: String,
}

/// What [`write_oci_layout`] wrote.
#[derive(Clone, Debug)]
pub struct OciLayout {
    /// The layout directory (holds `oci-layout`, `index.json`, `blobs/sha256/`).
    pub dir: PathBuf,
    /// The tag: `index.json`'s only entry is annotated `org.opencontainers.image.ref.name=<tag>`.
    pub tag: String,
    /// Digest of the image index that entry points at (what a registry serves for the tag).
    pub index_digest: String,
    /// The image index's bytes.
    pub index: Vec<u8>,
    /// One image per platform, in the order given.
    pub images: Vec<LayoutImage>,
    /// Every blob written (index, manifests, configs, layers), by digest.
    pub blobs: BTreeMap<String, Vec<u8>>,
}

impl OciLayout {
    /// `oci:<dir>:<tag>`, the skopeo source name.
    pub fn skopeo_name(&self) -> String {
        format!("oci:{}:{}", self.dir.display(), self.tag)
    }
}

/// Writes an OCI image layout at `dir` (created): an image index tagged `tag` with one image
/// per `(platform, files)` entry; each image has one gzip layer holding `files` (parent
/// directories added, mode 0644, mtime 0, root-owned) and a config with `os`,
/// `architecture`, `variant` and `rootfs.diff_ids`. Deterministic: the same input gives the
/// same digests.
#[track_caller]
pub fn write_oci_layout(dir: &Path, tag: &str, images: &[(&str, &[File<'_>])]) -> OciLayout {
    let mut blobs = BTreeMap::new();
    let mut written = Vec::new();
    let mut descriptors = Vec::new();
    for (platform, files) in images {
        let mut parts = platform.split('/');
        let (os, arch, variant) = (parts.next().unwrap(), parts.next().unwrap(), parts.next());
        let tar = layer_tar(files);
        let layer = gzip(&tar);
        let diff_id = digest_of(&tar);
        let mut config = serde_json::json!({
            "architecture": arch,
            "os": os,
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        });
        if let Some(variant) = variant {
            config["variant"] = variant.into();
        }
        let config = serde_json::to_vec(&config).unwrap();
        let manifest = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": digest_of(&config), "size": config.len()},
            "layers": [{"mediaType": OCI_LAYER_GZIP, "digest": digest_of(&layer), "size": layer.len()}],
        }))
        .unwrap();
        let mut platform_json = serde_json::json!({"architecture": arch, "os": os});
        if let Some(variant) = variant {
            platform_json["variant"] = variant.into();
        }
        descriptors.push(serde_json::json!({
            "mediaType": OCI_MANIFEST,
            "digest": digest_of(&manifest),
            "size": manifest.len(),
            "platform": platform_json,
        }));
        written.push(LayoutImage {
            platform: (*platform).to_owned(),
            manifest_digest: digest_of(&manifest),
            manifest: manifest.clone(),
            config_digest: digest_of(&config),
            layer_digest: digest_of(&layer),
            diff_id,
        });
        for blob in [config, layer, manifest] {
            blobs.insert(digest_of(&blob), blob);
        }
    }
    let index = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": descriptors,
    }))
    .unwrap();
    let index_digest = digest_of(&index);
    blobs.insert(index_digest.clone(), index.clone());
    let top = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": OCI_INDEX,
        "manifests": [{
            "mediaType": OCI_INDEX,
            "digest": index_digest,
            "size": index.len(),
            "annotations": {"org.opencontainers.image.ref.name": tag},
        }],
    });
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&top).unwrap()).unwrap();
    for (digest, bytes) in &blobs {
        std::fs::write(dir.join("blobs/sha256").join(&digest["sha256:".len()..]), bytes).unwrap();
    }
    OciLayout {
        dir: dir.to_owned(),
        tag: tag.to_owned(),
        index_digest,
        index,
        images: written,
        blobs,
    }
}

/// A tar of `files`, with parent directories, deterministic headers and no end padding tricks.
pub fn layer_tar(files: &[File<'_>]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut dirs = std::collections::BTreeSet::new();
    for (path, contents) in files {
        let mut parent = String::new();
        for part in path.split('/').collect::<Vec<_>>().split_last().unwrap().1 {
            parent = format!("{parent}{part}/");
            if dirs.insert(parent.clone()) {
                let mut header = tar::Header::new_ustar();
                header.set_entry_type(tar::EntryType::Directory);
                header.set_mode(0o755);
                header.set_mtime(0);
                header.set_size(0);
                builder.append_data(&mut header, &parent, std::io::empty()).unwrap();
            }
        }
        let mut header = tar::Header::new_ustar();
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_size(contents.len() as u64);
        builder.append_data(&mut header, path, *contents).unwrap();
    }
    builder.into_inner().unwrap()
}

/// `bytes` gzip-compressed (mtime 0, so deterministic).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Writes a minimal docker-archive (`docker save` layout, as go-containerregistry writes it)
/// at `path`: config `<hex>.json` with `os`/`architecture`, one uncompressed layer
/// `<hex>.tar` holding `files`, and `manifest.json` last with `RepoTags: [repo_tag]`.
/// Returns the config digest (which a registry keeps unchanged after a skopeo push).
#[track_caller]
pub fn write_docker_archive(
    path: &Path,
    repo_tag: &str,
    platform: &str,
    files: &[File<'_>],
) -> String {
    let (os, arch) = platform.split_once('/').unwrap();
    let layer = layer_tar(files);
    let config = serde_json::to_vec(&serde_json::json!({
        "architecture": arch,
        "os": os,
        "config": {},
        "rootfs": {"type": "layers", "diff_ids": [digest_of(&layer)]},
    }))
    .unwrap();
    let config_name = format!("{}.json", &digest_of(&config)["sha256:".len()..]);
    let layer_name = format!("{}.tar", &digest_of(&layer)["sha256:".len()..]);
    let manifest = serde_json::to_vec(&serde_json::json!([{
        "Config": config_name,
        "RepoTags": [repo_tag],
        "Layers": [layer_name],
    }]))
    .unwrap();
    let mut builder = tar::Builder::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in
        [(&config_name, &config), (&layer_name, &layer), (&"manifest.json".to_owned(), &manifest)]
    {
        let mut header = tar::Header::new_ustar();
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_size(bytes.len() as u64);
        builder.append_data(&mut header, name, bytes.as_slice()).unwrap();
    }
    builder.into_inner().unwrap().flush().unwrap();
    digest_of(&config)
}

// ---- the in-process fake ----

#[derive(Default)]
struct FakeState {
    blobs: BTreeMap<String, Vec<u8>>,
    /// (repository, tag or digest) → (media type, bytes).
    manifests: BTreeMap<(String, String), (String, Vec<u8>)>,
    /// repository → tags, in the order added.
    tags: BTreeMap<String, Vec<String>>,
    token: Option<String>,
    page_size: Option<usize>,
    blob_redirect: Option<String>,
}

/// A loopback distribution API in this process (see the module docs): `GET /v2/`,
/// `GET`/`HEAD`/`PUT` of manifests (by tag or digest; `PUT` answers `201` and tags it),
/// `GET` of blobs, `tags/list`, and `GET /token` when a token is required. Every request is
/// recorded; scripts on [`FakeRegistry::server`] (e.g. a `429` first) take precedence.
pub struct FakeRegistry {
    state: Arc<Mutex<FakeState>>,
    server: HttpServer,
}

impl FakeRegistry {
    /// An empty registry, without auth.
    pub fn start() -> FakeRegistry {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let server = {
            let state = Arc::clone(&state);
            HttpServer::handler(move |request| answer(&mut state.lock().unwrap(), request))
        };
        FakeRegistry { state, server }
    }

    /// `127.0.0.1:PORT`, the registry part of references.
    pub fn host(&self) -> String {
        self.server.url().trim_start_matches("http://").to_owned()
    }

    /// The server underneath: its requests and scripts.
    pub fn server(&self) -> &HttpServer {
        &self.server
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    /// From now on `/v2/<repo>/…` without `Authorization: Bearer <token>` gets `401` with
    /// `WWW-Authenticate: Bearer realm="http://HOST/token",service="fake",scope="repository:<repo>:pull"`
    /// (`pull,push` for `PUT`); `GET /token` answers `{"token": "<token>"}`.
    pub fn require_token(&self, token: &str) {
        self.state.lock().unwrap().token = Some(token.to_owned());
    }

    /// `tags/list` answers at most `n` tags per page, with a `Link: <…>; rel="next"` header.
    pub fn page_size(&self, n: usize) {
        self.state.lock().unwrap().page_size = Some(n);
    }

    /// Blob GETs answer `307` to `<base>/<digest>` instead of the bytes.
    pub fn redirect_blobs_to(&self, base: &str) {
        self.state.lock().unwrap().blob_redirect = Some(base.to_owned());
    }

    /// Stores a blob (blobs are shared by all repositories); returns its digest.
    pub fn add_blob(&self, bytes: &[u8]) -> String {
        let digest = digest_of(bytes);
        self.state.lock().unwrap().blobs.insert(digest.clone(), bytes.to_vec());
        digest
    }

    /// Stores a manifest in `repo`, reachable by digest and (when given) by `tag`.
    pub fn add_manifest(
        &self,
        repo: &str,
        tag: Option<&str>,
        media_type: &str,
        bytes: &[u8],
    ) -> String {
        let digest = digest_of(bytes);
        let mut state = self.state.lock().unwrap();
        let value = (media_type.to_owned(), bytes.to_vec());
        state.manifests.insert((repo.to_owned(), digest.clone()), value.clone());
        if let Some(tag) = tag {
            state.manifests.insert((repo.to_owned(), tag.to_owned()), value);
            let tags = state.tags.entry(repo.to_owned()).or_default();
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        digest
    }

    /// Loads a layout: every blob, every image manifest by digest, and the index at
    /// `repo:<layout.tag>`.
    pub fn add_layout(&self, repo: &str, layout: &OciLayout) {
        for (digest, bytes) in &layout.blobs {
            if *digest != layout.index_digest {
                self.add_blob(bytes);
            }
        }
        for image in &layout.images {
            self.add_manifest(repo, None, OCI_MANIFEST, &image.manifest);
        }
        self.add_manifest(repo, Some(&layout.tag), OCI_INDEX, &layout.index);
    }
}

fn answer(state: &mut FakeState, request: &Request) -> Reply {
    let (path, query) = request.path.split_once('?').unwrap_or((&request.path, ""));
    let host = request.header("host").unwrap_or("127.0.0.1");
    if path == "/token" {
        return match &state.token {
            Some(token) => json_reply(&serde_json::json!({ "token": token })),
            None => Reply::status(404),
        };
    }
    if path == "/v2/" {
        return Reply::status(200);
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return Reply::status(404);
    };
    let (repo, kind, target) = if let Some(repo) = rest.strip_suffix("/tags/list") {
        (repo, "tags", "")
    } else if let Some((repo, target)) = rest.split_once("/manifests/") {
        (repo, "manifests", target)
    } else if let Some((repo, target)) = rest.split_once("/blobs/") {
        (repo, "blobs", target)
    } else {
        return Reply::status(404);
    };
    if let Some(token) = &state.token
        && request.authorization.as_deref() != Some(&format!("Bearer {token}"))
    {
        let action = if request.method == "PUT" { "pull,push" } else { "pull" };
        return Reply::status(401).header(
            "www-authenticate",
            &format!(r#"Bearer realm="http://{host}/token",service="fake",scope="repository:{repo}:{action}""#),
        );
    }
    match (request.method.as_str(), kind) {
        ("GET", "tags") => tags_page(state, repo, query),
        ("GET" | "HEAD", "manifests") => {
            match state.manifests.get(&(repo.to_owned(), target.to_owned())) {
                Some((media_type, bytes)) => Reply::status(200)
                    .header("content-type", media_type)
                    .header("docker-content-digest", &digest_of(bytes))
                    .body(bytes.clone()),
                None => error_reply(404, "MANIFEST_UNKNOWN", "manifest unknown"),
            }
        }
        ("PUT", "manifests") => {
            let media_type = request.header("content-type").unwrap_or("").to_owned();
            let digest = digest_of(&request.body);
            let value = (media_type, request.body.clone());
            state.manifests.insert((repo.to_owned(), digest.clone()), value.clone());
            if !target.starts_with("sha256:") {
                state.manifests.insert((repo.to_owned(), target.to_owned()), value);
                let tags = state.tags.entry(repo.to_owned()).or_default();
                if !tags.iter().any(|t| t == target) {
                    tags.push(target.to_owned());
                }
            }
            Reply::status(201).header("docker-content-digest", &digest)
        }
        ("GET", "blobs") => match (&state.blob_redirect, state.blobs.get(target)) {
            (_, None) => error_reply(404, "BLOB_UNKNOWN", "blob unknown to registry"),
            (Some(base), Some(_)) => {
                Reply::status(307).header("location", &format!("{base}/{target}"))
            }
            (None, Some(bytes)) => Reply::status(200).body(bytes.clone()),
        },
        _ => Reply::status(405),
    }
}

fn tags_page(state: &FakeState, repo: &str, query: &str) -> Reply {
    let Some(all) = state.tags.get(repo) else {
        return error_reply(404, "NAME_UNKNOWN", "repository name not known to registry");
    };
    let last = query.split('&').find_map(|pair| pair.strip_prefix("last="));
    let start =
        last.map_or(0, |last| all.iter().position(|t| t == last).map_or(all.len(), |i| i + 1));
    let size = state.page_size.unwrap_or(usize::MAX);
    let page: Vec<&String> = all.iter().skip(start).take(size).collect();
    let mut reply = json_reply(&serde_json::json!({ "name": repo, "tags": page }));
    if start + page.len() < all.len() {
        let last = page.last().map_or("", |t| t.as_str());
        reply = reply
            .header("link", &format!(r#"</v2/{repo}/tags/list?n={size}&last={last}>; rel="next""#));
    }
    reply
}

fn json_reply(value: &serde_json::Value) -> Reply {
    Reply::status(200)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(value).unwrap())
}

fn error_reply(status: u16, code: &str, message: &str) -> Reply {
    let body = serde_json::json!({"errors": [{"code": code, "message": message, "detail": {}}]});
    Reply::status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
}

// ---- the real registry and skopeo (tier `test-real-tools`) ----

#[cfg(feature = "test-real-tools")]
pub use real::*;

#[cfg(feature = "test-real-tools")]
mod real {
    use std::io::{Read as _, Write as _};
    use std::net::{TcpListener, TcpStream};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Output, Stdio};
    use std::time::{Duration, Instant};

    use super::OciLayout;

    /// The real `tool`, or a test FAILURE naming the Debian package to install: an enabled
    /// tier never skips.
    #[track_caller]
    pub fn require_tool(tool: &str, package: &str) -> PathBuf {
        which::which(tool).unwrap_or_else(|_| {
            panic!(
                "`{tool}` is needed by the test-real-tools tier but is not on PATH; install it: \
                 `apt-get update && apt-get install -y --no-install-recommends {package}` \
                 (or run scripts/install-test-tools.sh)"
            )
        })
    }

    /// Debian's `docker-registry` serving on `127.0.0.1:<port>` from a temp directory; killed
    /// (by PID) when dropped.
    pub struct Registry {
        child: Child,
        port: u16,
        dir: tempfile::TempDir,
    }

    impl Registry {
        /// Starts a registry with its own config — `http.addr: 127.0.0.1:<free port>`,
        /// filesystem storage in a temp dir, `storage.delete.enabled: true`, no `auth`
        /// section (never the package's `/etc/docker/registry/config.yml`) — and waits until
        /// `GET /v2/` answers 200. Fails the test with the install hint when the tool is
        /// missing, or with the registry's log when it does not come up.
        #[track_caller]
        pub fn start() -> Registry {
            let program = require_tool("docker-registry", "docker-registry");
            let mut last_log = String::new();
            // A free port can be taken between probing and binding: try a few.
            for _ in 0..3 {
                let dir = tempfile::tempdir().unwrap();
                let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
                let config = format!(
                    "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n",
                    dir.path().join("storage").display()
                );
                std::fs::write(dir.path().join("config.yml"), config).unwrap();
                let log = std::fs::File::create(dir.path().join("registry.log")).unwrap();
                let child = Command::new(&program)
                    .arg("serve")
                    .arg(dir.path().join("config.yml"))
                    .current_dir(dir.path())
                    .env_clear()
                    .env("HOME", dir.path())
                    .env("PATH", "/usr/bin:/bin")
                    .stdin(Stdio::null())
                    .stdout(log.try_clone().unwrap())
                    .stderr(log)
                    .spawn()
                    .unwrap_or_else(|err| panic!("cannot start {}: {err}", program.display()));
                let mut registry = Registry { child, port, dir };
                if registry.wait_ready() {
                    return registry;
                }
                last_log = std::fs::read_to_string(registry.dir.path().join("registry.log"))
                    .unwrap_or_default();
            }
            panic!("docker-registry did not answer GET /v2/ on 127.0.0.1; its log:\n{last_log}");
        }

        fn wait_ready(&mut self) -> bool {
            let deadline = Instant::now() + Duration::from_secs(15);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return false;
                }
                if get_v2(self.port).is_some_and(|status| status == 200) {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            false
        }

        /// `127.0.0.1:PORT`, the registry part of references.
        pub fn host(&self) -> String {
            format!("127.0.0.1:{}", self.port)
        }

        /// `http://127.0.0.1:PORT`.
        pub fn url(&self) -> String {
            format!("http://{}", self.host())
        }

        /// `docker://127.0.0.1:PORT/<repo_tag>`, a skopeo destination.
        pub fn docker(&self, repo_tag: &str) -> String {
            format!("docker://{}/{repo_tag}", self.host())
        }

        /// Pushes `layout` (all platforms, digests preserved) to `<repo>:<layout.tag>`:
        /// `skopeo copy --all --preserve-digests oci:<dir>:<tag> docker://HOST/<repo>:<tag>`.
        #[track_caller]
        pub fn push_layout(&self, layout: &OciLayout, repo: &str) {
            skopeo_copy(&[
                "--all",
                "--preserve-digests",
                &layout.skopeo_name(),
                &self.docker(&format!("{repo}:{}", layout.tag)),
            ]);
        }

        /// The registry's log so far (for assertion messages).
        pub fn log(&self) -> String {
            std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
        }
    }

    impl Drop for Registry {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// The status of `GET /v2/` on 127.0.0.1:`port`, if anything answers.
    fn get_v2(port: u16) -> Option<u16> {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        write!(stream, "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
            .ok()?;
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer.split_whitespace().nth(1)?.parse().ok()
    }

    /// Runs the real skopeo with `args` after the global flag `--policy <tmp>/policy.json`
    /// (`{"default":[{"type":"insecureAcceptAnything"}]}`), in a clean environment (temp
    /// `HOME` and `TMPDIR`, `PATH=/usr/bin:/bin`, no proxies, no `REGISTRY_AUTH_FILE`).
    /// Copies to `docker://` get `--dest-tls-verify=false` appended, from `docker://`
    /// `--src-tls-verify=false`, unless `args` already say so. Returns the raw output.
    #[track_caller]
    pub fn skopeo(args: &[&str]) -> Output {
        let program = require_tool("skopeo", "skopeo");
        let home = tempfile::tempdir().unwrap();
        let policy = home.path().join("policy.json");
        std::fs::write(&policy, r#"{"default":[{"type":"insecureAcceptAnything"}]}"#).unwrap();
        let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        if args.first() == Some(&"copy") {
            let operands: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let to_registry = operands.last().is_some_and(|a| a.starts_with("docker://"));
            let from_registry =
                operands.len() >= 3 && operands[operands.len() - 2].starts_with("docker://");
            if to_registry && !args.iter().any(|a| a.starts_with("--dest-tls-verify")) {
                all.push("--dest-tls-verify=false".into());
            }
            if from_registry && !args.iter().any(|a| a.starts_with("--src-tls-verify")) {
                all.push("--src-tls-verify=false".into());
            }
        }
        Command::new(&program)
            .arg("--policy")
            .arg(&policy)
            .args(&all)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", "/usr/bin:/bin")
            .env("TMPDIR", home.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()))
    }

    /// `skopeo copy ARGS` (see [`skopeo`] for the flags added); fails the test with skopeo's
    /// stderr unless it succeeds. Returns stdout.
    #[track_caller]
    pub fn skopeo_copy(args: &[&str]) -> String {
        let mut all = vec!["copy"];
        all.extend_from_slice(args);
        let output = skopeo(&all);
        assert!(
            output.status.success(),
            "skopeo {} failed ({}):\n{}",
            all.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// `skopeo copy --digestfile <tmp> ARGS` and the digest it wrote (`sha256:<hex>`).
    #[track_caller]
    pub fn skopeo_copy_digest(args: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("digest");
        let file_arg = file.to_str().unwrap().to_owned();
        let mut all = vec!["--digestfile", file_arg.as_str()];
        all.extend_from_slice(args);
        skopeo_copy(&all);
        read_trimmed(&file)
    }

    fn read_trimmed(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap().trim().to_owned()
    }
}
