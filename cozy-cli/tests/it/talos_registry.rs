//! The registry client of `cozy talos` (spec 5.8): against the in-process [`FakeRegistry`] and
//! scripted loopback servers always, against Debian's real `docker-registry` loaded with real
//! `skopeo` in the `test-real-tools` tier (spec 7.3).

use std::io::Read as _;
use std::time::Duration;

use base64::Engine as _;
use cozy::talos::oci::registry::{Client, Options, Reference};

use crate::support::http_server::{HttpServer, Reply, Scripted};
use crate::support::registry::{FakeRegistry, OCI_INDEX, OciLayout, digest_of, write_oci_layout};

const SPIN: &str = "ghcr.io/siderolabs/spin:v0.25.1@sha256:1111111111111111111111111111111111111111111111111111111111111111\n";
const TAILSCALE: &str = "ghcr.io/siderolabs/tailscale:1.98.5@sha256:2222222222222222222222222222222222222222222222222222222222222222\n";

fn client() -> Client {
    Client::new(Options { retry_delay: Some(Duration::from_millis(1)), ..Options::default() })
        .unwrap()
}

fn reference(text: &str) -> Reference {
    Reference::parse(text).unwrap()
}

/// The extensions image of spec 2.5: amd64 and arm64, each a single layer holding
/// `image-digests` (the arm64 one lists only spin, so the test sees which one it read).
fn extensions_layout(dir: &std::path::Path) -> OciLayout {
    let amd64 = format!("{SPIN}{TAILSCALE}");
    write_oci_layout(
        dir,
        "v1.13.6",
        &[
            ("linux/amd64", &[("image-digests", amd64.as_bytes())]),
            ("linux/arm64", &[("image-digests", SPIN.as_bytes())]),
        ],
    )
}

/// The file `name` inside a gzip tar layer.
#[track_caller]
fn file_in_layer(layer: &[u8], name: &str) -> Vec<u8> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(layer));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().to_str() == Some(name) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            return bytes;
        }
    }
    panic!("no `{name}` in the layer");
}

/// `/image-digests` of `r` for linux/amd64, read the way `cozy talos update` reads it.
fn image_digests(client: &Client, r: &Reference) -> Vec<u8> {
    let manifest = client.manifest_for_platform(r, "linux/amd64").unwrap();
    let layer = manifest.json["layers"][0]["digest"].as_str().unwrap();
    let size = manifest.json["layers"][0]["size"].as_u64().unwrap();
    file_in_layer(&client.blob(r, layer, size).unwrap(), "image-digests")
}

#[test]
fn bearer_challenge_fetches_a_token_once_and_reads_index_manifest_blob() {
    let dir = tempfile::tempdir().unwrap();
    let layout = extensions_layout(dir.path());
    let registry = FakeRegistry::start();
    registry.add_layout("siderolabs/extensions", &layout);
    registry.require_token("t0ken");
    let client = client();
    let r = reference(&format!("{}/siderolabs/extensions:v1.13.6", registry.host()));

    let manifest = client.manifest_for_platform(&r, "linux/amd64").unwrap();
    assert_eq!(manifest.digest, layout.images[0].manifest_digest);
    assert_eq!(manifest.media_type, "application/vnd.oci.image.manifest.v1+json");
    assert_eq!(image_digests(&client, &r), format!("{SPIN}{TAILSCALE}").into_bytes());
    assert_eq!(client.platforms(&r).unwrap(), ["linux/amd64", "linux/arm64"]);
    let arm64 = client.manifest_for_platform(&r, "linux/arm64").unwrap();
    assert_eq!(arm64.digest, layout.images[1].manifest_digest);

    let requests = registry.requests();
    let tokens: Vec<_> = requests.iter().filter(|q| q.path.starts_with("/token")).collect();
    assert_eq!(tokens.len(), 1, "one token for the whole run: {requests:#?}");
    assert_eq!(
        tokens[0].path,
        "/token?service=fake&scope=repository%3Asiderolabs%2Fextensions%3Apull"
    );
    assert_eq!(tokens[0].authorization, None, "anonymous without credentials");
    // Only the very first registry request went without the token.
    let v2: Vec<_> = requests.iter().filter(|q| q.path.starts_with("/v2/")).collect();
    assert_eq!(v2[0].authorization, None);
    assert!(v2[1..].iter().all(|q| q.authorization.as_deref() == Some("Bearer t0ken")), "{v2:#?}");
    for q in &v2 {
        if q.path.contains("/manifests/") {
            assert_eq!(
                q.header("accept"),
                Some(
                    "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
                )
            );
        }
    }
}

#[test]
fn token_requests_carry_docker_config_credentials() {
    let registry = FakeRegistry::start();
    registry.add_manifest("a/b", Some("v1"), OCI_INDEX, br#"{"schemaVersion":2,"manifests":[]}"#);
    registry.require_token("t");
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".docker")).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("robot:s3cret");
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, registry.host()),
    )
    .unwrap();
    let client = Client::new(Options {
        docker_config: Some(home.path().to_owned()),
        retry_delay: Some(Duration::from_millis(1)),
        ..Options::default()
    })
    .unwrap();
    client.manifest(&reference(&format!("{}/a/b:v1", registry.host()))).unwrap();
    let requests = registry.requests();
    let token = requests.iter().find(|q| q.path.starts_with("/token")).unwrap();
    assert_eq!(token.authorization, Some(format!("Basic {auth}")));
    assert!(
        requests
            .iter()
            .filter(|q| q.path.starts_with("/v2/"))
            .all(|q| q.authorization.as_deref() != Some(&format!("Basic {auth}"))),
        "the password goes to the token endpoint only"
    );
}

#[test]
fn blob_redirect_to_another_origin_drops_authorization() {
    let dir = tempfile::tempdir().unwrap();
    let layout = extensions_layout(dir.path());
    let blobs = layout.blobs.clone();
    let cdn =
        HttpServer::handler(move |request| match blobs.get(request.path.trim_start_matches('/')) {
            Some(bytes) => Reply::status(200).body(bytes.clone()),
            None => Reply::status(404),
        });
    let registry = FakeRegistry::start();
    registry.add_layout("siderolabs/extensions", &layout);
    registry.require_token("secret-token");
    registry.redirect_blobs_to(&cdn.url());
    let client = client();
    let r = reference(&format!("{}/siderolabs/extensions:v1.13.6", registry.host()));

    assert_eq!(image_digests(&client, &r), format!("{SPIN}{TAILSCALE}").into_bytes());

    let at_registry: Vec<_> =
        registry.requests().into_iter().filter(|q| q.path.contains("/blobs/")).collect();
    assert_eq!(at_registry.len(), 1);
    assert_eq!(at_registry[0].authorization.as_deref(), Some("Bearer secret-token"));
    let at_cdn = cdn.requests();
    assert_eq!(at_cdn.len(), 1, "{at_cdn:#?}");
    assert_eq!(at_cdn[0].path, format!("/{}", layout.images[0].layer_digest));
    assert_eq!(at_cdn[0].authorization, None, "Authorization leaked to the redirect target");
}

#[test]
fn tags_follow_link_pagination() {
    let registry = FakeRegistry::start();
    let tags = ["v1.12.0", "v1.13.5", "v1.13.6", "v1.14.0-alpha.1", "latest"];
    for tag in tags {
        registry.add_manifest("siderolabs/imager", Some(tag), OCI_INDEX, tag.as_bytes());
    }
    registry.page_size(2);
    let r = reference(&format!("{}/siderolabs/imager", registry.host()));
    assert_eq!(client().tags(&r).unwrap(), tags);
    let pages: Vec<_> = registry.requests().into_iter().map(|q| q.path).collect();
    assert_eq!(
        pages,
        [
            "/v2/siderolabs/imager/tags/list",
            "/v2/siderolabs/imager/tags/list?n=2&last=v1.13.5",
            "/v2/siderolabs/imager/tags/list?n=2&last=v1.14.0-alpha.1",
        ]
    );
}

#[test]
fn digest_mismatches_are_rejected() {
    let body =
        br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#.to_vec();
    let other = digest_of(b"something else");
    let (answer, wrong) = (body.clone(), other.clone());
    let server = HttpServer::handler(move |request| {
        let reply = Reply::status(200).body(answer.clone());
        if request.path.ends_with("/manifests/v1") {
            reply.header("docker-content-digest", &wrong)
        } else {
            reply
        }
    });
    let host = server.url().trim_start_matches("http://").to_owned();
    let client = client();

    let err = format!("{:#}", client.manifest(&reference(&format!("{host}/a/b:v1"))).unwrap_err());
    assert!(
        err.contains(&format!(
            "the manifest hashes to {}, but Docker-Content-Digest says {other}",
            digest_of(&body)
        )),
        "{err}"
    );
    assert!(err.contains(&format!("GET {}/v2/a/b/manifests/v1", server.url())), "{err}");

    let err =
        format!("{:#}", client.manifest(&reference(&format!("{host}/a/b@{other}"))).unwrap_err());
    assert!(err.contains(&format!("not to the requested {other}")), "{err}");

    let r = reference(&format!("{host}/a/b:v2"));
    assert_eq!(
        client.manifest(&r).unwrap().digest,
        digest_of(&body),
        "no header: the computed digest"
    );
    let err = format!("{:#}", client.blob(&r, &other, 1 << 20).unwrap_err());
    assert!(
        err.contains(&format!("the blob hashes to {}, not to {other}", digest_of(&body))),
        "{err}"
    );
}

#[test]
fn too_many_requests_and_server_errors_are_retried_with_backoff() {
    let registry = FakeRegistry::start();
    registry.add_manifest("a/b", Some("v1"), OCI_INDEX, b"{}");
    registry
        .server()
        .script("/v2/a/b/tags/list", vec![Scripted::Status(429), Scripted::Status(503)]);
    let r = reference(&format!("{}/a/b", registry.host()));
    assert_eq!(client().tags(&r).unwrap(), ["v1"]);
    assert_eq!(registry.requests().len(), 3);

    registry.server().script("/v2/a/b/tags/list", vec![Scripted::Status(502); 6]);
    let err = format!("{:#}", client().tags(&r).unwrap_err());
    assert_eq!(
        err,
        format!(
            "GET http://{}/v2/a/b/tags/list: gave up after 5 attempts: HTTP 502 Bad Gateway",
            registry.host()
        )
    );
    assert_eq!(registry.requests().len(), 3 + 5);
}

#[test]
fn a_registry_that_does_not_answer_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = reference(&format!("127.0.0.1:{port}/a/b:v1"));
    let err = format!("{:#}", client().manifest(&r).unwrap_err());
    let url =
        format!("GET http://127.0.0.1:{port}/v2/a/b/manifests/v1: gave up after 5 attempts: ");
    assert!(err.starts_with(&url), "{err}");
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    let server = HttpServer::handler(|request| {
        if request.path.contains("/blobs/") {
            Reply::status(307).header("location", "http://192.0.2.1/blob")
        } else {
            Reply::status(401)
                .header("www-authenticate", r#"Bearer realm="http://192.0.2.1/token",service="x""#)
        }
    });
    let host = server.url().trim_start_matches("http://").to_owned();
    let r = reference(&format!("{host}/a/b:v1"));
    let client = client();
    let err = format!("{:#}", client.blob(&r, &digest_of(b"x"), 1).unwrap_err());
    assert!(err.contains("refusing plain http to `http://192.0.2.1/blob`"), "{err}");
    let err = format!("{:#}", client.manifest(&r).unwrap_err());
    assert!(err.contains("refusing plain http to `http://192.0.2.1/token?service=x&scope=repository%3Aa%2Fb%3Apull`"), "{err}");
    assert_eq!(server.requests().len(), 2, "no retries of a refusal");
}

#[test]
fn errors_name_the_url_the_status_and_the_registry_message() {
    let registry = FakeRegistry::start();
    let dir = tempfile::tempdir().unwrap();
    registry.add_layout("siderolabs/extensions", &extensions_layout(dir.path()));
    let client = client();
    let err = format!(
        "{:#}",
        client
            .manifest(&reference(&format!("{}/siderolabs/extensions:v9", registry.host())))
            .unwrap_err()
    );
    assert_eq!(
        err,
        format!(
            "GET http://{}/v2/siderolabs/extensions/manifests/v9: HTTP 404 Not Found: MANIFEST_UNKNOWN: manifest unknown",
            registry.host()
        )
    );
    let r = reference(&format!("{}/siderolabs/extensions:v1.13.6", registry.host()));
    let err = format!("{:#}", client.manifest_for_platform(&r, "linux/riscv64").unwrap_err());
    assert_eq!(
        err,
        format!(
            "{r}: the index has no manifest for linux/riscv64 (it has: linux/amd64, linux/arm64)"
        )
    );
}

#[test]
fn manifests_over_four_mib_are_refused() {
    let server = HttpServer::handler(|_| Reply::status(200).body(vec![b' '; (4 << 20) + 1]));
    let host = server.url().trim_start_matches("http://").to_owned();
    let err =
        format!("{:#}", client().manifest(&reference(&format!("{host}/a/b:big"))).unwrap_err());
    assert!(err.ends_with("manifests/big: the answer is larger than 4194304 bytes"), "{err}");
}

#[test]
fn put_and_head_manifest() {
    let registry = FakeRegistry::start();
    registry.require_token("push-token");
    let index = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#;
    let r = reference(&format!("{}/cozy/talos:v1", registry.host()));
    let client = client();
    let digest = client.put_manifest(&r, OCI_INDEX, index).unwrap();
    assert_eq!(digest, digest_of(index));
    let head = client.head_manifest(&r).unwrap();
    assert_eq!(
        (head.media_type.as_str(), head.digest.as_str(), head.size),
        (OCI_INDEX, digest.as_str(), index.len() as u64)
    );
    let put = registry
        .requests()
        .into_iter()
        .find(|q| q.method == "PUT" && q.authorization.is_some())
        .unwrap();
    assert_eq!(put.header("content-type"), Some(OCI_INDEX));
    assert_eq!(put.body, index);
    let token = registry.requests().into_iter().find(|q| q.path.starts_with("/token")).unwrap();
    assert!(
        token.path.ends_with("scope=repository%3Acozy%2Ftalos%3Apull%2Cpush"),
        "{}",
        token.path
    );
}

// ---- the real tier: Debian's docker-registry and skopeo (spec 7.3) ----

#[cfg(feature = "test-real-tools")]
mod real {
    use super::*;
    use crate::support::registry::{
        DOCKER_MANIFEST, Registry, require_tool, skopeo_copy_digest, write_docker_archive,
    };

    #[test]
    fn skopeo_pushed_index_reads_back_byte_for_byte() {
        let registry = Registry::start();
        let dir = tempfile::tempdir().unwrap();
        let layout = extensions_layout(&dir.path().join("layout"));
        registry.push_layout(&layout, "siderolabs/extensions");
        let client = client();
        let r = reference(&format!("{}/siderolabs/extensions:v1.13.6", registry.host()));

        let manifest = client.manifest_for_platform(&r, "linux/amd64").unwrap();
        assert_eq!(manifest.digest, layout.images[0].manifest_digest, "--preserve-digests");
        assert_eq!(image_digests(&client, &r), format!("{SPIN}{TAILSCALE}").into_bytes());
        assert_eq!(client.platforms(&r).unwrap(), ["linux/amd64", "linux/arm64"]);
        assert_eq!(client.tags(&r).unwrap(), ["v1.13.6"]);
        let head = client.head_manifest(&r).unwrap();
        assert_eq!(
            (head.media_type.as_str(), head.digest.as_str()),
            (OCI_INDEX, layout.index_digest.as_str())
        );

        // An index of our own, PUT at another tag, agrees with HEAD and GET.
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": layout.images.iter().rev().map(|image| {
                let (os, arch) = image.platform.split_once('/').unwrap();
                serde_json::json!({
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": image.manifest_digest,
                    "size": image.manifest.len(),
                    "platform": {"architecture": arch, "os": os},
                })
            }).collect::<Vec<_>>(),
        }))
        .unwrap();
        let copy = r.with_tag("v1.13.6-copy");
        let digest = client.put_manifest(&copy, OCI_INDEX, &index).unwrap();
        assert_eq!(digest, digest_of(&index));
        let head = client.head_manifest(&copy).unwrap();
        assert_eq!((head.digest.as_str(), head.size), (digest.as_str(), index.len() as u64));
        assert_eq!(client.manifest(&r.with_digest(&digest)).unwrap().bytes, index);
        assert_eq!(client.platforms(&copy).unwrap(), ["linux/arm64", "linux/amd64"]);
        let mut tags = client.tags(&r).unwrap();
        tags.sort(); // docker-registry lists in directory order
        assert_eq!(tags, ["v1.13.6", "v1.13.6-copy"]);
    }

    #[test]
    fn skopeo_digestfile_of_a_docker_archive_matches_head() {
        let registry = Registry::start();
        let dir = tempfile::tempdir().unwrap();
        let client = client();
        let mut descriptors = Vec::new();
        for (arch, format) in [("amd64", None), ("arm64", Some("oci"))] {
            let archive = dir.path().join(format!("installer-{arch}.tar"));
            let config = write_docker_archive(
                &archive,
                "ghcr.io/siderolabs/installer:v1.13.6",
                &format!("linux/{arch}"),
                &[("usr/bin/installer", b"#!/bin/sh\n"), ("usr/install/marker", arch.as_bytes())],
            );
            let source = format!("docker-archive:{}", archive.display());
            let dest = registry.docker(&format!("cozy/talos:v1-{arch}"));
            let mut args = vec![source.as_str(), dest.as_str()];
            if let Some(format) = format {
                args.splice(0..0, ["--format", format]);
            }
            let digest = skopeo_copy_digest(&args);
            let r = reference(&format!("{}/cozy/talos:v1-{arch}", registry.host()));
            let head = client.head_manifest(&r).unwrap();
            assert_eq!(head.digest, digest, "HEAD agrees with skopeo's digest file");
            let expected_type = if format.is_some() {
                "application/vnd.oci.image.manifest.v1+json"
            } else {
                DOCKER_MANIFEST
            };
            assert_eq!(head.media_type, expected_type);
            let manifest = client.manifest(&r).unwrap();
            assert_eq!(manifest.digest, digest);
            assert_eq!(
                manifest.json["config"]["digest"],
                config.as_str(),
                "skopeo keeps the config"
            );
            assert_eq!(client.platforms(&r).unwrap(), [format!("linux/{arch}")]);
            descriptors.push(serde_json::json!({
                "mediaType": head.media_type,
                "digest": head.digest,
                "size": head.size,
                "platform": {"architecture": arch, "os": "linux"},
            }));
        }
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": descriptors,
        }))
        .unwrap();
        let r = reference(&format!("{}/cozy/talos:v1", registry.host()));
        assert_eq!(client.put_manifest(&r, OCI_INDEX, &index).unwrap(), digest_of(&index));
        assert_eq!(client.platforms(&r).unwrap(), ["linux/amd64", "linux/arm64"]);
        let arm64 = client.manifest_for_platform(&r, "linux/arm64").unwrap();
        assert_eq!(arm64.media_type, "application/vnd.oci.image.manifest.v1+json");
        let mut tags = client.tags(&r).unwrap();
        tags.sort(); // docker-registry lists in directory order
        assert_eq!(tags, ["v1", "v1-amd64", "v1-arm64"]);
    }

    #[test]
    #[should_panic(expected = "apt-get install -y --no-install-recommends cozy-no-such-package")]
    fn a_missing_real_tool_fails_with_the_install_hint() {
        require_tool("cozy-no-such-tool", "cozy-no-such-package");
    }
}

/// A registry that wants `Bearer sekrit` (served by its own `/token`) and answers every other
/// request with `answer`.
fn token_registry(answer: impl Fn(&str) -> Reply + Send + Sync + 'static) -> HttpServer {
    HttpServer::handler(move |request| {
        let host = request.header("host").unwrap_or("127.0.0.1").to_owned();
        if request.path.starts_with("/token") {
            return Reply::status(200).body(r#"{"token":"sekrit"}"#);
        }
        if request.authorization.as_deref() != Some("Bearer sekrit") {
            return Reply::status(401).header(
                "www-authenticate",
                &format!(r#"Bearer realm="http://{host}/token",service="x""#),
            );
        }
        answer(&request.path)
    })
}

#[test]
fn a_tags_link_to_another_origin_is_refused_and_gets_no_token() {
    let other = HttpServer::handler(|_| Reply::status(200).body(r#"{"tags":["stolen"]}"#));
    let target = format!("{}/v2/a/b/tags/list?last=v1", other.url());
    let link = format!(r#"<{target}>; rel="next""#);
    let registry = token_registry(move |_| {
        Reply::status(200).header("link", &link).body(r#"{"tags":["v1"]}"#)
    });
    let host = registry.url().trim_start_matches("http://").to_owned();
    let err = format!("{:#}", client().tags(&reference(&format!("{host}/a/b"))).unwrap_err());
    assert!(err.contains(&format!("the `Link` header points to `{target}`")), "{err}");
    assert!(other.requests().is_empty(), "the other host was contacted: {:#?}", other.requests());
}

#[test]
fn a_401_from_a_redirect_target_is_not_answered_with_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let layout = extensions_layout(dir.path());
    let storage = HttpServer::handler(|request| {
        let host = request.header("host").unwrap_or("127.0.0.1").to_owned();
        if request.path.starts_with("/token") {
            return Reply::status(200).body(r#"{"token":"storage-token"}"#);
        }
        Reply::status(401)
            .header("www-authenticate", &format!(r#"Bearer realm="http://{host}/token""#))
    });
    let registry = FakeRegistry::start();
    registry.add_layout("siderolabs/extensions", &layout);
    registry.redirect_blobs_to(&storage.url());
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".docker")).unwrap();
    let auth = base64::engine::general_purpose::STANDARD.encode("robot:s3cret");
    std::fs::write(
        home.path().join(".docker/config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, registry.host()),
    )
    .unwrap();
    let client = Client::new(Options {
        docker_config: Some(home.path().to_owned()),
        github_token: Some("ghp_x".into()),
        retry_delay: Some(Duration::from_millis(1)),
        ..Options::default()
    })
    .unwrap();
    let r = reference(&format!("{}/siderolabs/extensions:v1.13.6", registry.host()));
    let layer = &layout.images[0].layer_digest;
    let err = format!("{:#}", client.blob(&r, layer, 1 << 20).unwrap_err());
    let final_url = format!("{}/{layer}", storage.url());
    assert!(err.contains(&format!("HTTP 401 from `{final_url}`")), "{err}");
    let at_storage = storage.requests();
    assert!(at_storage.iter().all(|q| q.authorization.is_none()), "{at_storage:#?}");
    assert!(at_storage.iter().all(|q| !q.path.starts_with("/token")), "{at_storage:#?}");
}

#[test]
fn blobs_stop_at_their_descriptor_size() {
    let big = vec![7u8; 64 << 10];
    let registry = FakeRegistry::start();
    let digest = registry.add_blob(&big);
    let r = reference(&format!("{}/a/b", registry.host()));
    let err = format!("{:#}", client().blob(&r, &digest, 1000).unwrap_err());
    assert!(err.ends_with("the answer is larger than 1000 bytes"), "{err}");
    assert_eq!(client().blob(&r, &digest, big.len() as u64).unwrap(), big);
}

#[test]
fn a_single_manifest_for_another_platform_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let layout = extensions_layout(dir.path());
    let registry = FakeRegistry::start();
    registry.add_layout("siderolabs/extensions", &layout);
    let arm64 = &layout.images[1];
    registry.add_manifest(
        "siderolabs/extensions",
        Some("arm64-only"),
        crate::support::registry::OCI_MANIFEST,
        &arm64.manifest,
    );
    let r = reference(&format!("{}/siderolabs/extensions:arm64-only", registry.host()));
    let client = client();
    let err = format!("{:#}", client.manifest_for_platform(&r, "linux/amd64").unwrap_err());
    assert_eq!(
        err,
        format!(
            "{r}: the image is for linux/arm64 (config {}), not for linux/amd64",
            arm64.config_digest
        )
    );
    assert_eq!(
        client.manifest_for_platform(&r, "linux/arm64").unwrap().digest,
        arm64.manifest_digest
    );
}

#[test]
fn a_malformed_docker_config_does_not_stop_anonymous_pulls() {
    let registry = FakeRegistry::start();
    registry.add_manifest("a/b", Some("v1"), OCI_INDEX, br#"{"schemaVersion":2,"manifests":[]}"#);
    registry.require_token("t");
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".docker")).unwrap();
    std::fs::write(home.path().join(".docker/config.json"), "{not json").unwrap();
    let client = Client::new(Options {
        docker_config: Some(home.path().to_owned()),
        retry_delay: Some(Duration::from_millis(1)),
        ..Options::default()
    })
    .unwrap();
    client.manifest(&reference(&format!("{}/a/b:v1", registry.host()))).unwrap();
    let token = registry.requests().into_iter().find(|q| q.path.starts_with("/token")).unwrap();
    assert_eq!(token.authorization, None);
}
