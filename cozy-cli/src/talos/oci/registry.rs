//! OCI distribution registries over HTTP (spec 5.8): manifests by tag or digest, blobs, tag
//! lists, `HEAD` and `PUT` of manifests. The only network user of `cozy talos`.
//!
//! Everything fetched is checked: a manifest fetched by digest must hash to it, one fetched by
//! tag must hash to its `Docker-Content-Digest` (when the registry sends one), a blob must hash
//! to its digest, and a manifest may not exceed [`MAX_MANIFEST_BYTES`].
//!
//! Transport rules: plain `http://` only for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`)
//! and [`Options::insecure_hosts`]; any other `http://` URL — a redirect, a token realm — is
//! refused before connecting. Redirects are followed here (at most 10), not by reqwest, so
//! `Authorization` is only ever sent to the origin it was issued for. `429`, `5xx`, timeouts and
//! dropped connections are retried with exponential backoff. Proxy variables are ignored.
//!
//! Auth: a `401` with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` makes the client ask
//! the realm for a token — anonymously, or with Basic credentials from
//! `~/.docker/config.json` (`auths.<host>.auth`) or, for `ghcr.io`, [`Options::github_token`] —
//! and retry with it. Tokens are cached per (host, scope) for the life of the [`Client`].

mod auth;
mod reference;
mod transport;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context as _, anyhow, bail};
use reqwest::header;
use reqwest::{Method, StatusCode, Url};
use sha2::{Digest as _, Sha256};

pub use reference::Reference;
use reference::check_digest;
use transport::{Call, DOCKER_CONTENT_DIGEST, Reply, check_status, host_of};

/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker manifest list (schema 2).
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// Docker image manifest (schema 2).
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// The `Accept` header of every manifest request, exactly as spec 5.8 lists it.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
/// The largest manifest or index accepted (4 MiB, as the distribution spec suggests).
pub const MAX_MANIFEST_BYTES: u64 = 4 << 20;

const DEFAULT_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_TAG_PAGES: usize = 1000;
const MAX_TAG_PAGE_BYTES: u64 = 16 << 20;

/// How a [`Client`] connects and authenticates.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Hosts (`host` or `host:port`) reached over plain `http://` although not loopback
    /// (`--insecure-registry`).
    pub insecure_hosts: Vec<String>,
    /// Retry backoff base, doubled after each retry (tests: 1 ms); 500 ms when unset.
    pub retry_delay: Option<Duration>,
    /// HOME for `~/.docker/config.json` credentials: the file read is
    /// `<dir>/.docker/config.json`, and only when credentials are asked for (a malformed file
    /// then fails only a Basic challenge, or a token endpoint that refuses anonymous users).
    /// No credentials are read when unset.
    pub docker_config: Option<PathBuf>,
    /// Password for the Basic credentials sent to `ghcr.io`'s token endpoint (`GITHUB_TOKEN`),
    /// used when the docker config has none for `ghcr.io`.
    pub github_token: Option<String>,
}

/// A blocking registry client. Cheap to share by reference; tokens are cached inside.
pub struct Client {
    http: reqwest::blocking::Client,
    options: Options,
    retry_delay: Duration,
    /// (registry, scope) → the `Authorization` value that worked.
    tokens: Mutex<HashMap<(String, String), String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("options", &self.options.insecure_hosts)
            .finish_non_exhaustive()
    }
}

/// A manifest or index as the registry served it.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// Its media type (the document's `mediaType`, else the response's `Content-Type`).
    pub media_type: String,
    /// `sha256:<hex>` of `bytes`.
    pub digest: String,
    /// The exact bytes served.
    pub bytes: Vec<u8>,
    /// The bytes parsed.
    pub json: serde_json::Value,
}

impl Manifest {
    /// Whether this is an OCI index or a Docker manifest list.
    #[must_use]
    pub fn is_index(&self) -> bool {
        self.media_type == OCI_INDEX
            || self.media_type == DOCKER_MANIFEST_LIST
            || self.json.get("manifests").is_some_and(serde_json::Value::is_array)
    }
}

/// What a `HEAD` of a manifest tells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// Media type.
    pub media_type: String,
    /// `sha256:<hex>`.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
}

/// `sha256:<hex>` of `bytes`.
#[must_use]
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl Client {
    /// A client with `options`: connect timeout 15 s, 60 s per read, no proxy, no automatic
    /// redirects.
    ///
    /// # Errors
    /// When the HTTP client cannot be built.
    pub fn new(options: Options) -> anyhow::Result<Client> {
        let http = reqwest::blocking::Client::builder()
            .user_agent(concat!("cozy/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_mins(1))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .context("cannot start the HTTP client")?;
        let retry_delay = options.retry_delay.unwrap_or(DEFAULT_RETRY_DELAY);
        Ok(Client { http, options, retry_delay, tokens: Mutex::new(HashMap::new()) })
    }

    /// The manifest at `r`, by tag or digest, integrity-checked.
    ///
    /// # Errors
    /// Network, HTTP status, size, digest or JSON errors, naming the URL.
    pub fn manifest(&self, r: &Reference) -> anyhow::Result<Manifest> {
        let url = self.url(r, &format!("manifests/{}", r.reference()))?;
        let reply = self.registry_call(
            r,
            &url,
            Method::GET,
            Some(MANIFEST_ACCEPT),
            None,
            MAX_MANIFEST_BYTES,
        )?;
        let digest = sha256_digest(&reply.body);
        if let Some(wanted) = &r.digest {
            if *wanted != digest {
                bail!("GET {url}: the manifest hashes to {digest}, not to the requested {wanted}");
            }
        } else if let Some(announced) = reply.header(DOCKER_CONTENT_DIGEST)
            && announced.starts_with("sha256:")
            && announced != digest
        {
            bail!(
                "GET {url}: the manifest hashes to {digest}, but Docker-Content-Digest says {announced}"
            );
        }
        let json: serde_json::Value = serde_json::from_slice(&reply.body)
            .with_context(|| format!("GET {url}: the manifest is not JSON"))?;
        let media_type = json
            .get("mediaType")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .or_else(|| reply.header(header::CONTENT_TYPE).map(media_type_of))
            .unwrap_or_else(|| {
                if json.get("manifests").is_some() { OCI_INDEX } else { OCI_MANIFEST }.to_owned()
            });
        Ok(Manifest { media_type, digest, bytes: reply.body, json })
    }

    /// An index/list is resolved to the manifest for `os/arch` (variant ignored unless given as
    /// `os/arch/variant`); a plain manifest is returned when its config is for that platform.
    ///
    /// # Errors
    /// As [`Client::manifest`]; when the index has no such platform (listing those it has),
    /// or its descriptor's size differs from the manifest served; when a plain manifest's
    /// config names another platform.
    pub fn manifest_for_platform(&self, r: &Reference, platform: &str) -> anyhow::Result<Manifest> {
        let wanted = Platform::parse(platform)?;
        let top = self.manifest(r)?;
        if !top.is_index() {
            let (config, have) = self.config_platform(r, &top)?;
            if !wanted.matches(&have) {
                bail!("{r}: the image is for {have} (config {config}), not for {platform}");
            }
            return Ok(top);
        }
        let descriptors = index_descriptors(&top, r)?;
        let chosen =
            descriptors.iter().find(|d| d.platform.as_ref().is_some_and(|p| wanted.matches(p)));
        let Some(chosen) = chosen else {
            let have: Vec<String> = descriptors
                .iter()
                .filter_map(|d| d.platform.as_ref())
                .map(Platform::to_string)
                .collect();
            bail!(
                "{r}: the index has no manifest for {platform} (it has: {})",
                list_or_none(&have)
            );
        };
        let manifest = self.manifest(&r.with_digest(&chosen.digest))?;
        if let Some(size) = chosen.size
            && size != manifest.bytes.len() as u64
        {
            bail!(
                "{r}: the index says {} has {size} bytes, the registry served {}",
                chosen.digest,
                manifest.bytes.len()
            );
        }
        if manifest.is_index() {
            bail!(
                "{r}: the {platform} entry {} is itself an index (nested indexes are not supported)",
                chosen.digest
            );
        }
        Ok(manifest)
    }

    /// `os/arch[/variant]` of every manifest of an index, in order, without duplicates and
    /// without `unknown/unknown` attestation entries; for a single manifest, its config's
    /// platform.
    ///
    /// # Errors
    /// As [`Client::manifest`] and [`Client::blob`]; a config without `os`/`architecture`.
    pub fn platforms(&self, r: &Reference) -> anyhow::Result<Vec<String>> {
        let top = self.manifest(r)?;
        if top.is_index() {
            let mut seen = HashSet::new();
            let platforms = index_descriptors(&top, r)?
                .into_iter()
                .filter_map(|d| d.platform)
                .filter(|p| p.os != "unknown")
                .map(|p| p.to_string())
                .filter(|p| seen.insert(p.clone()))
                .collect();
            return Ok(platforms);
        }
        let (_, platform) = self.config_platform(r, &top)?;
        Ok(vec![platform.to_string()])
    }

    /// The config digest of image manifest `manifest` and the platform its config names.
    fn config_platform(
        &self,
        r: &Reference,
        manifest: &Manifest,
    ) -> anyhow::Result<(String, Platform)> {
        let config = manifest
            .json
            .pointer("/config/digest")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| anyhow!("{r}: the manifest has no `config.digest`"))?;
        let limit = manifest
            .json
            .pointer("/config/size")
            .and_then(serde_json::Value::as_u64)
            .map_or(MAX_MANIFEST_BYTES, |size| size.min(MAX_MANIFEST_BYTES));
        let bytes = self.blob(r, config, limit)?;
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{r}: config {config} is not JSON"))?;
        let platform = Platform::from_json(&json)
            .ok_or_else(|| anyhow!("{r}: config {config} has no `os` and `architecture`"))?;
        Ok((config.to_owned(), platform))
    }

    /// The blob `digest` of `r`'s repository, sha256-verified; reading stops with an error
    /// once the registry sends more than `max_bytes` (pass the descriptor's size).
    ///
    /// # Errors
    /// Network, HTTP status, size or digest errors, naming the URL.
    pub fn blob(&self, r: &Reference, digest: &str, max_bytes: u64) -> anyhow::Result<Vec<u8>> {
        check_digest(digest).map_err(|why| anyhow!("{r}: cannot fetch blob: {why}"))?;
        let url = self.url(r, &format!("blobs/{digest}"))?;
        let reply = self.registry_call(r, &url, Method::GET, None, None, max_bytes)?;
        let actual = sha256_digest(&reply.body);
        if actual != digest {
            bail!("GET {url}: the blob hashes to {actual}, not to {digest}");
        }
        Ok(reply.body)
    }

    /// Every tag of `r`'s repository, in the registry's order, following
    /// `Link: <…>; rel="next"` pages.
    ///
    /// # Errors
    /// Network, HTTP status or JSON errors, naming the URL; a page loop.
    pub fn tags(&self, r: &Reference) -> anyhow::Result<Vec<String>> {
        let mut url = self.url(r, "tags/list")?;
        let mut tags = Vec::new();
        let mut seen = HashSet::new();
        for _ in 0..MAX_TAG_PAGES {
            let reply = self.registry_call(
                r,
                &url,
                Method::GET,
                Some("application/json"),
                None,
                MAX_TAG_PAGE_BYTES,
            )?;
            let page: TagList = serde_json::from_slice(&reply.body)
                .with_context(|| format!("GET {url}: expected `{{\"tags\": [...]}}`"))?;
            tags.extend(page.tags.unwrap_or_default());
            let next = reply
                .headers
                .get_all(header::LINK)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(next_link);
            let Some(next) = next else {
                return Ok(tags);
            };
            let next = url
                .join(&next)
                .with_context(|| format!("GET {url}: bad `Link` target `{next}`"))?;
            if next.origin() != url.origin() {
                bail!(
                    "GET {url}: the `Link` header points to `{next}`, outside the registry `{}`; refusing to follow it",
                    r.registry
                );
            }
            if !seen.insert(next.to_string()) {
                bail!("GET {url}: the `Link` header points back to {next}");
            }
            url = next;
        }
        bail!("{r}: more than {MAX_TAG_PAGES} pages of tags")
    }

    /// Media type, digest and size of the manifest at `r`, from a `HEAD` (falling back to a
    /// `GET` when the registry omits a header).
    ///
    /// # Errors
    /// Network or HTTP status errors, naming the URL; a digest other than the one asked for.
    pub fn head_manifest(&self, r: &Reference) -> anyhow::Result<Descriptor> {
        let url = self.url(r, &format!("manifests/{}", r.reference()))?;
        let reply = self.registry_call(
            r,
            &url,
            Method::HEAD,
            Some(MANIFEST_ACCEPT),
            None,
            MAX_MANIFEST_BYTES,
        )?;
        let digest = reply.header(DOCKER_CONTENT_DIGEST).filter(|d| check_digest(d).is_ok());
        let media_type = reply.header(header::CONTENT_TYPE).map(media_type_of);
        let size = reply.header(header::CONTENT_LENGTH).and_then(|s| s.parse::<u64>().ok());
        let descriptor =
            if let (Some(digest), Some(media_type), Some(size)) = (digest, media_type, size) {
                Descriptor { media_type, digest: digest.to_owned(), size }
            } else {
                let manifest = self.manifest(r)?;
                Descriptor {
                    media_type: manifest.media_type,
                    digest: manifest.digest,
                    size: manifest.bytes.len() as u64,
                }
            };
        if let Some(wanted) = &r.digest
            && *wanted != descriptor.digest
        {
            bail!("HEAD {url}: the registry answers digest {}, not {wanted}", descriptor.digest);
        }
        Ok(descriptor)
    }

    /// PUTs `bytes` as a manifest of `media_type` at `r`'s tag (else its digest) and returns
    /// the manifest's digest, checked against the registry's `Docker-Content-Digest`.
    ///
    /// # Errors
    /// Network or HTTP status errors, naming the URL; a manifest over
    /// [`MAX_MANIFEST_BYTES`]; a digest disagreement.
    pub fn put_manifest(
        &self,
        r: &Reference,
        media_type: &str,
        bytes: &[u8],
    ) -> anyhow::Result<String> {
        let digest = sha256_digest(bytes);
        if bytes.len() as u64 > MAX_MANIFEST_BYTES {
            bail!(
                "{r}: the manifest has {} bytes, more than the 4 MiB registries accept",
                bytes.len()
            );
        }
        if let Some(wanted) = &r.digest
            && *wanted != digest
        {
            bail!("{r}: the manifest to push hashes to {digest}, not to {wanted}");
        }
        let target = match (&r.tag, &r.digest) {
            (Some(tag), _) => tag.clone(),
            (None, Some(wanted)) => wanted.clone(),
            (None, None) => bail!("{r}: pushing a manifest needs a tag or a digest"),
        };
        let url = self.url(r, &format!("manifests/{target}"))?;
        let reply = self.registry_call(
            r,
            &url,
            Method::PUT,
            Some(media_type),
            Some(bytes),
            MAX_MANIFEST_BYTES,
        )?;
        if let Some(announced) = reply.header(DOCKER_CONTENT_DIGEST)
            && announced.starts_with("sha256:")
            && announced != digest
        {
            bail!(
                "PUT {url}: the registry stored {announced}, but the manifest hashes to {digest}"
            );
        }
        Ok(digest)
    }

    // ---- registry requests: URLs, auth ----

    fn url(&self, r: &Reference, path: &str) -> anyhow::Result<Url> {
        let scheme = if self.plain_http_allowed(host_of(&r.registry), &r.registry) {
            "http"
        } else {
            "https"
        };
        let text = format!("{scheme}://{}/v2/{}/{path}", r.registry, r.repository);
        Url::parse(&text).with_context(|| format!("{r}: cannot form the URL `{text}`"))
    }

    /// A request to the registry of `r` (`url` must be on the registry's origin): sends a
    /// cached token, answers a `401` challenge of the registry itself once, and fails on any
    /// unsuccessful status. For `PUT` (a push), `accept` is the `Content-Type`. A successful
    /// body over `limit` bytes is an error, raised as soon as it is exceeded.
    ///
    /// Tokens and credentials are bound to the registry's origin: a redirect target (blob
    /// storage) never receives them, and its own `401` is an error, never answered.
    fn registry_call(
        &self,
        r: &Reference,
        url: &Url,
        method: Method,
        accept: Option<&str>,
        body: Option<&[u8]>,
        limit: u64,
    ) -> anyhow::Result<Reply> {
        let base = self.url(r, "")?;
        if url.origin() != base.origin() {
            bail!("{method} {url}: not on the registry `{}`; refusing to send it", r.registry);
        }
        let push = method == Method::PUT;
        let scope =
            format!("repository:{}:{}", r.repository, if push { "pull,push" } else { "pull" });
        let key = (r.registry.clone(), scope.clone());
        let cached = self.lock_tokens().get(&key).cloned();
        let (accept, content_type) = if push { (None, accept) } else { (accept, None) };
        let mut call = Call {
            method,
            url: url.clone(),
            accept,
            content_type,
            body,
            auth: cached.map(|value| (base.clone(), value)),
            limit: Some(limit),
        };
        let foreign_401 = |reply: &Reply| {
            (reply.status == StatusCode::UNAUTHORIZED && reply.url.origin() != base.origin())
                .then(|| {
                    anyhow!(
                        "{} {url}: HTTP 401 from `{}`, where the registry `{}` redirected; not sending credentials there",
                        call.method,
                        reply.url,
                        r.registry
                    )
                })
        };
        let mut reply = self.exchange(&call)?;
        if let Some(err) = foreign_401(&reply) {
            return Err(err);
        }
        if reply.status == StatusCode::UNAUTHORIZED {
            let value = self.authorize(r, &call, &reply, &scope)?;
            self.lock_tokens().insert(key, value.clone());
            call.auth = Some((base.clone(), value));
            reply = self.exchange(&call)?;
            if let Some(err) = foreign_401(&reply) {
                return Err(err);
            }
        }
        check_status(&call, reply, &r.registry)
    }

    fn lock_tokens(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), String>> {
        // A poisoned cache only means another thread panicked mid-insert; the map is still valid.
        self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The media type of a `Content-Type` value (parameters dropped).
fn media_type_of(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_owned()
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

#[derive(serde::Deserialize)]
struct TagList {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// The target of the `rel="next"` link in one `Link` header value.
fn next_link(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        let params_end = rest[end..].find('<').map_or(rest.len(), |i| end + i);
        let params = &rest[end + 1..params_end];
        let is_next = params.split(';').any(|param| {
            param.trim().split_once('=').is_some_and(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(target.to_owned());
        }
        rest = &rest[params_end..];
    }
    None
}

/// `os/architecture[/variant]`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Platform {
    os: String,
    architecture: String,
    variant: Option<String>,
}

impl Platform {
    fn parse(text: &str) -> anyhow::Result<Platform> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: (*os).to_owned(),
                architecture: (*arch).to_owned(),
                variant: None,
            }),
            [os, arch, variant] if !os.is_empty() && !arch.is_empty() && !variant.is_empty() => {
                Ok(Platform {
                    os: (*os).to_owned(),
                    architecture: (*arch).to_owned(),
                    variant: Some((*variant).to_owned()),
                })
            }
            _ => bail!("`{text}`: expected a platform `os/arch` or `os/arch/variant`"),
        }
    }

    fn from_json(json: &serde_json::Value) -> Option<Platform> {
        let text =
            |key: &str| json.get(key).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
        Some(Platform {
            os: text("os")?.to_owned(),
            architecture: text("architecture")?.to_owned(),
            variant: text("variant").map(str::to_owned),
        })
    }

    /// Whether `other` is this platform; the variant counts only when this one has one.
    fn matches(&self, other: &Platform) -> bool {
        self.os == other.os
            && self.architecture == other.architecture
            && (self.variant.is_none() || self.variant == other.variant)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(variant) = &self.variant {
            write!(f, "/{variant}")?;
        }
        Ok(())
    }
}

/// One entry of an index's `manifests`.
struct IndexEntry {
    digest: String,
    size: Option<u64>,
    platform: Option<Platform>,
}

fn index_descriptors(index: &Manifest, r: &Reference) -> anyhow::Result<Vec<IndexEntry>> {
    let entries = index
        .json
        .get("manifests")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| anyhow!("{r}: the index {} has no `manifests` array", index.digest))?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let digest =
                entry.get("digest").and_then(serde_json::Value::as_str).ok_or_else(|| {
                    anyhow!("{r}: index {}: `manifests[{i}]` has no `digest`", index.digest)
                })?;
            check_digest(digest)
                .map_err(|why| anyhow!("{r}: index {}: `manifests[{i}]`: {why}", index.digest))?;
            Ok(IndexEntry {
                digest: digest.to_owned(),
                size: entry.get("size").and_then(serde_json::Value::as_u64),
                platform: entry.get("platform").and_then(Platform::from_json),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        assert_eq!(
            next_link(r#"</v2/a/tags/list?last=b&n=2>; rel="next""#).as_deref(),
            Some("/v2/a/tags/list?last=b&n=2")
        );
        assert_eq!(
            next_link(r#"<https://x/prev>; rel="prev", <https://x/next>; rel=next"#).as_deref(),
            Some("https://x/next")
        );
        assert_eq!(next_link(r#"<https://x/prev>; rel="prev""#), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn platforms_match_variants_only_when_asked() {
        let arm64 = Platform::parse("linux/arm64").unwrap();
        let v8 = Platform::parse("linux/arm64/v8").unwrap();
        assert!(arm64.matches(&v8));
        assert!(v8.matches(&v8));
        assert!(!v8.matches(&arm64));
        assert!(!arm64.matches(&Platform::parse("linux/amd64").unwrap()));
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("linux//v8").is_err());
    }
}
