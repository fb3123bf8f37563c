//! `cozy talos update | push | matchbox` end to end (spec 2.4, 2.5, 6.3, 6.4): `update` against
//! the in-process [`FakeRegistry`] (and Debian's real registry in the `test-real-tools` tier),
//! `push` with a recording `skopeo` double (and the real skopeo and registry), `matchbox` with a
//! `docker` double that keeps the staged build context for inspection.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::support::registry::{FakeRegistry, File, OCI_INDEX, OciLayout, write_oci_layout};
use crate::support::{Outcome, Project, repo_root};

const PKG: &str = "packages/core/talos";
const VERSION: &str = "v1.13.5";

/// Every extension the demo's talos.toml uses, with the tag its image-digests line carries.
const USED: [(&str, &str); 11] = [
    ("amd-ucode", "20260519"),
    ("amdgpu", "20260519-v1.13.5"),
    ("bnx2-bnx2x", "20260519"),
    ("intel-ice-firmware", "20260519"),
    ("i915", "20260519-v1.13.5"),
    ("intel-ucode", "20260519"),
    ("qlogic-firmware", "20260519"),
    ("drbd", "9.3.2-v1.13.5"),
    ("zfs", "2.4.3-v1.13.5"),
    ("spin", "v0.25.1"),
    ("tailscale", "1.98.5"),
];

/// Lines of image-digests the config does not use (selection must skip them).
const UNUSED: [(&str, &str); 2] = [("gasket-driver", "97aeba58-v1.5.3"), ("spin-extra", "v1")];

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

// ---- update ----

/// A registry (fake or real) loaded with what `cozy talos update` reads: one multi-platform
/// image per extension, the extensions index of each Talos version, the matchbox base.
struct Upstream {
    host: String,
    dir: tempfile::TempDir,
    /// name → the image-digests line (without newline).
    lines: BTreeMap<String, String>,
    /// Layouts to load, as (repository, layout).
    layouts: Vec<(String, OciLayout)>,
    matchbox_base: String,
}

impl Upstream {
    /// Extension images for every name of `USED` and `UNUSED` on `platforms`, except those
    /// `overrides` gives other platforms.
    fn new(host: &str, overrides: &[(&str, &[&str])]) -> Upstream {
        let dir = tempfile::tempdir().unwrap();
        let mut upstream = Upstream {
            host: host.to_owned(),
            dir,
            lines: BTreeMap::new(),
            layouts: Vec::new(),
            matchbox_base: String::new(),
        };
        for (name, tag) in USED.iter().chain(UNUSED.iter()) {
            let platforms: &[&str] = overrides
                .iter()
                .find(|(n, _)| n == name)
                .map_or(&["linux/amd64", "linux/arm64"], |(_, p)| p);
            let manifest = format!("name: {name}\nversion: {tag}\n");
            let files: [File<'_>; 1] = [("manifest.yaml", manifest.as_bytes())];
            let images: Vec<(&str, &[File<'_>])> =
                platforms.iter().map(|p| (*p, files.as_slice())).collect();
            let layout = write_oci_layout(&upstream.dir.path().join(name), tag, &images);
            upstream.lines.insert(
                (*name).to_owned(),
                format!("{host}/siderolabs/{name}:{tag}@{}", layout.index_digest),
            );
            upstream.layouts.push((format!("siderolabs/{name}"), layout));
        }
        let base = write_oci_layout(
            &upstream.dir.path().join("matchbox"),
            "v0.11.0",
            &[
                ("linux/amd64", &[("usr/bin/matchbox", b"amd64".as_slice())]),
                ("linux/arm64", &[("usr/bin/matchbox", b"arm64".as_slice())]),
            ],
        );
        upstream.matchbox_base = format!("{host}/poseidon/matchbox:v0.11.0@{}", base.index_digest);
        upstream.layouts.push(("poseidon/matchbox".to_owned(), base));
        upstream
    }

    /// image-digests with the given lines, in the order given (upstream: TARGETS order).
    fn digests(&self, names: &[&str]) -> String {
        names.iter().flat_map(|name| [self.lines[*name].as_str(), "\n"]).collect()
    }

    /// The default image-digests: every used and unused extension once.
    fn all_digests(&self) -> String {
        let names: Vec<&str> = UNUSED.iter().chain(USED.iter()).map(|(n, _)| *n).collect();
        self.digests(&names)
    }

    /// Adds the extensions index for `version` holding `digests` for linux/amd64 (linux/arm64
    /// holds a different, valid file, so reading the wrong platform shows in the lock).
    fn index(&mut self, version: &str, digests: &str) -> OciLayout {
        let arm64 = self.digests(&["spin"]);
        let layout = write_oci_layout(
            &self.dir.path().join(format!("extensions-{version}")),
            version,
            &[
                (
                    "linux/amd64",
                    &[
                        ("descriptions.yaml", b"spin: Spin\n".as_slice()),
                        ("image-digests", digests.as_bytes()),
                    ],
                ),
                ("linux/arm64", &[("image-digests", arm64.as_bytes())]),
            ],
        );
        self.layouts.push(("siderolabs/extensions".to_owned(), layout.clone()));
        layout
    }

    fn load_into(&self, registry: &FakeRegistry) {
        for (repo, layout) in &self.layouts {
            registry.add_layout(repo, layout);
        }
    }

    /// The lock `update` must write for `version`, the index `index` and `names` selected.
    fn lock(&self, version: &str, index: &OciLayout, digests: &str, imager_pin: &str) -> String {
        let host = &self.host;
        let mut text = format!(
            "# Generated by `cozy talos update`; do not edit.\nschema = 1\ntalos_version = \"{version}\"\nimager = \"{host}/siderolabs/imager:{version}{imager_pin}\"\ninstaller = \"{host}/siderolabs/installer:{version}\"\nextensions_index = \"{host}/siderolabs/extensions:{version}@{}\"\nimage_digests_sha256 = \"{}\"\n",
            index.index_digest,
            sha256_hex(digests.as_bytes())
        );
        let mut used: Vec<&str> = USED.iter().map(|(n, _)| *n).collect();
        used.sort_unstable();
        for name in used {
            let line = &self.lines[name];
            write!(
                text,
                "\n[extension.{name}]\nref = \"{line}\"\nplatforms = [\"linux/amd64\", \"linux/arm64\"]\n"
            )
            .unwrap();
        }
        text
    }
}

/// The demo's `packages/core/talos` (config, lock, matchbox files) with every upstream
/// reference moved to `host`.
fn talos_project(host: &str, matchbox_base: &str) -> Project {
    let source = repo_root().join(PKG);
    let mut project = Project::new();
    for file in [
        "Chart.yaml",
        "talos.lock",
        "images/matchbox/groups/default.json",
        "images/matchbox/profiles/default.json",
    ] {
        project = project.file(&format!("{PKG}/{file}"), &read(&source.join(file)));
    }
    let config = read(&source.join("talos.toml"))
        .replace("\"ghcr.io/siderolabs/", &format!("\"{host}/siderolabs/"));
    assert!(config.contains(&format!("extensions_index = \"{host}/siderolabs/extensions\"")));
    let config = format!("{config}\n[matchbox]\nbase = \"{matchbox_base}\"\n");
    project.file(&format!("{PKG}/talos.toml"), &config)
}

fn update(project: &Project, args: &[&str]) -> Outcome {
    let mut all = vec!["talos", "update"];
    all.extend_from_slice(args);
    project.cozy_in(project.root(), all, &[("COZY_HTTP_RETRY_DELAY_MS", "1")])
}

/// A fake registry serving everything for `VERSION`, and a project pointing at it.
fn fake_setup(
    overrides: &[(&str, &[&str])],
) -> (FakeRegistry, Upstream, OciLayout, String, Project) {
    let registry = FakeRegistry::start();
    let mut upstream = Upstream::new(&registry.host(), overrides);
    let digests = upstream.all_digests();
    let index = upstream.index(VERSION, &digests);
    upstream.load_into(&registry);
    let project = talos_project(&registry.host(), &upstream.matchbox_base);
    (registry, upstream, index, digests, project)
}

fn lock_path(project: &Project) -> PathBuf {
    project.root().join(PKG).join("talos.lock")
}

#[test]
fn update_writes_the_lock_exactly_and_check_agrees() {
    let (registry, upstream, index, digests, project) = fake_setup(&[]);
    let out = update(&project, &[]);
    out.code(0);
    assert_eq!(out.stdout, "", "results only; status lines go to stderr");
    let lock = read(&lock_path(&project));
    assert_eq!(lock, upstream.lock(VERSION, &index, &digests, ""));
    // The amd64 image of the index is what was read (its layer, never arm64's).
    let requests: Vec<String> = registry.requests().iter().map(|r| r.path.clone()).collect();
    let amd64 = &index.images[0];
    let arm64 = &index.images[1];
    assert!(requests.iter().any(|p| p.ends_with(&format!("/blobs/{}", amd64.layer_digest))));
    assert!(!requests.iter().any(|p| p.ends_with(&format!("/blobs/{}", arm64.layer_digest))));
    // Unused extensions are not looked at.
    assert!(!requests.iter().any(|p| p.contains("gasket-driver")), "{requests:?}");
    // No profiles are checked in yet, so none are written without --write-profiles.
    assert!(!project.root().join(PKG).join("images/talos").exists());

    let out = update(&project, &["--check"]);
    out.code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(read(&lock_path(&project)), lock);

    // A stale lock is a "no" answer with a diff, and --check writes nothing.
    std::fs::write(
        lock_path(&project),
        lock.replace(
            "linux/arm64\"]\n\n[extension.bnx2",
            "linux/arm64\"]\n\n# edited\n[extension.bnx2",
        ),
    )
    .unwrap();
    let stale = read(&lock_path(&project));
    let out = update(&project, &["--check"]);
    out.code(1);
    assert!(out.stdout.contains("-# edited\n"), "{}", out.stdout);
    assert!(
        out.stderr.contains("1 file(s) would change; run `cozy talos update`"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&lock_path(&project)), stale);
}

#[test]
fn update_write_profiles_renders_the_six_upstream_files_and_check_sees_edits() {
    let (_registry, upstream, _index, _digests, project) = fake_setup(&[]);
    update(&project, &["--write-profiles"]).code(0);
    let dir = project.root().join(PKG).join("images/talos/profiles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "initramfs.yaml",
            "installer.yaml",
            "iso.yaml",
            "kernel.yaml",
            "metal.yaml",
            "nocloud.yaml"
        ]
    );
    for kind in ["initramfs", "kernel", "iso", "installer", "nocloud", "metal"] {
        let text = read(&dir.join(format!("{kind}.yaml")));
        let rendered = project.cozy(["talos", "render", "--arch", "amd64", "--kind", kind]);
        assert_eq!(
            text,
            rendered.code(0).stdout,
            "{kind}: the file is what render prints for amd64/default"
        );
        assert!(text.contains("\narch: amd64\n"), "{kind}");
        assert!(!text.contains("spin"), "{kind}: default has no extras");
        if kind != "kernel" {
            assert!(
                text.contains(&format!("    - imageRef: {}\n", upstream.lines["amd-ucode"])),
                "{kind}:\n{text}"
            );
        }
    }
    let installer = read(&dir.join("installer.yaml"));
    assert!(
        installer.contains(&format!(
            "    imageRef: \"{}/siderolabs/installer:{VERSION}\"\n",
            upstream.host
        )),
        "{installer}"
    );
    update(&project, &["--check"]).code(0);

    // Editing a checked-in profile is drift.
    std::fs::write(dir.join("iso.yaml"), installer.clone() + "# local edit\n").unwrap();
    let out = update(&project, &["--check"]);
    out.code(1);
    assert!(out.stdout.contains("images/talos/profiles/iso.yaml"), "{}", out.stdout);
    // A plain update repairs it (checked-in profiles are kept up to date without the flag).
    update(&project, &[]).code(0);
    update(&project, &["--check"]).code(0);
}

#[test]
fn update_talos_version_rewrites_only_that_line_of_talos_toml() {
    let registry = FakeRegistry::start();
    let mut upstream = Upstream::new(&registry.host(), &[]);
    let digests = upstream.all_digests();
    upstream.index(VERSION, &digests);
    let index = upstream.index("v1.13.6", &digests);
    upstream.load_into(&registry);
    let project = talos_project(&registry.host(), &upstream.matchbox_base);
    let config_path = project.root().join(PKG).join("talos.toml");
    let before = read(&config_path);

    let dry = project.cozy_in(
        project.root(),
        ["--dry-run", "talos", "update", "--talos-version", "v1.13.6"],
        &[("COZY_HTTP_RETRY_DELAY_MS", "1")],
    );
    dry.code(0);
    assert!(dry.stderr.contains("would write packages/core/talos/talos.toml\n"), "{}", dry.stderr);
    assert!(dry.stderr.contains("would write packages/core/talos/talos.lock\n"), "{}", dry.stderr);
    assert_eq!(read(&config_path), before, "--dry-run writes nothing");

    update(&project, &["--talos-version", "v1.13.6"]).code(0);
    let after = read(&config_path);
    assert_eq!(
        after,
        before.replace(
            "version = \"v1.13.5\"                                # the lock",
            "version = \"v1.13.6\"                                # the lock"
        )
    );
    assert_ne!(after, before);
    assert_eq!(read(&lock_path(&project)), upstream.lock("v1.13.6", &index, &digests, ""));
    update(&project, &["--check"]).code(0);

    let out = update(&project, &["--talos-version", "1.13.6"]);
    assert!(out.code(2).stderr.contains("`1.13.6` is not `vX.Y.Z`"), "{}", out.stderr);
    let out = update(&project, &["--talos-version", "v1.99.0"]);
    out.code(2);
    assert!(out.stderr.contains("siderolabs/extensions:v1.99.0"), "{}", out.stderr);
    assert_eq!(read(&config_path), after, "a failed update writes nothing");
}

#[test]
fn update_latest_picks_the_highest_release_tag_across_pages() {
    let registry = FakeRegistry::start();
    let mut upstream = Upstream::new(&registry.host(), &[]);
    let digests = upstream.all_digests();
    let index = upstream.index("v1.13.10", &digests);
    upstream.load_into(&registry);
    for tag in [
        "v1.9.0",
        "v1.13.5",
        "v1.13.10",
        "latest",
        "v1.14.0-alpha.1",
        "v1.13.6",
        "v2.0",
        "v1.12.99-rc",
    ] {
        registry.add_manifest("siderolabs/imager", Some(tag), OCI_INDEX, format!("{{\"schemaVersion\":2,\"mediaType\":\"{OCI_INDEX}\",\"manifests\":[],\"annotations\":{{\"t\":\"{tag}\"}}}}").as_bytes());
    }
    registry.page_size(2);
    let project = talos_project(&registry.host(), &upstream.matchbox_base);

    update(&project, &["--latest", "--pin-tools"]).code(0);
    let imager_digest = crate::support::registry::digest_of(format!("{{\"schemaVersion\":2,\"mediaType\":\"{OCI_INDEX}\",\"manifests\":[],\"annotations\":{{\"t\":\"v1.13.10\"}}}}").as_bytes());
    assert_eq!(
        read(&lock_path(&project)),
        upstream.lock("v1.13.10", &index, &digests, &format!("@{imager_digest}"))
    );
    assert!(read(&project.root().join(PKG).join("talos.toml")).contains("version = \"v1.13.10\""));
    let pages = registry
        .requests()
        .iter()
        .filter(|r| r.path.contains("/siderolabs/imager/tags/list"))
        .count();
    assert_eq!(pages, 4, "8 tags, 2 per page");
}

#[test]
fn update_fails_on_a_missing_or_doubled_extension_and_writes_nothing() {
    let registry = FakeRegistry::start();
    let mut upstream = Upstream::new(&registry.host(), &[]);
    let without: Vec<&str> = USED.iter().map(|(n, _)| *n).filter(|n| *n != "tailscale").collect();
    let missing = upstream.digests(&without);
    upstream.index("v1.13.7", &missing);
    let twice = format!(
        "{}{}/other/tailscale:1.0.0@sha256:{}\n",
        upstream.all_digests(),
        registry.host(),
        "e".repeat(64)
    );
    upstream.index("v1.13.8", &twice);
    let malformed = format!("{}not a reference\n", upstream.all_digests());
    upstream.index("v1.13.9", &malformed);
    upstream.load_into(&registry);
    let project = talos_project(&registry.host(), &upstream.matchbox_base);
    let lock = read(&lock_path(&project));
    let config = read(&project.root().join(PKG).join("talos.toml"));

    let out = update(&project, &["--talos-version", "v1.13.7"]);
    assert!(
        out.code(2).stderr.contains("image-digests has no extension `tailscale`"),
        "{}",
        out.stderr
    );
    let out = update(&project, &["--talos-version", "v1.13.8"]);
    out.code(2);
    assert!(out.stderr.contains("image-digests has 2 lines for `tailscale`"), "{}", out.stderr);
    assert!(out.stderr.contains("/other/tailscale:1.0.0@"), "{}", out.stderr);
    let out = update(&project, &["--talos-version", "v1.13.9"]);
    assert!(out.code(2).stderr.contains("`not a reference` is not"), "{}", out.stderr);
    assert_eq!(read(&lock_path(&project)), lock);
    assert_eq!(read(&project.root().join(PKG).join("talos.toml")), config);
}

#[test]
fn update_fails_when_an_extension_lacks_an_arch_a_unit_needs() {
    // zfs is used by every unit, so arm64/default is the first unit that misses it.
    let (_registry, _upstream, _index, _digests, project) =
        fake_setup(&[("zfs", &["linux/amd64"])]);
    let lock = read(&lock_path(&project));
    let out = update(&project, &[]);
    out.code(2);
    assert!(out.stderr.contains("extension `zfs`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("has no linux/arm64 image, but unit arm64/default uses it"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&lock_path(&project)), lock);

    // amd-ucode is excluded on arm64, so an amd64-only image is fine.
    let (_registry, upstream, index, digests, project) =
        fake_setup(&[("amd-ucode", &["linux/amd64"])]);
    update(&project, &[]).code(0);
    let expected = upstream.lock(VERSION, &index, &digests, "").replace(
        &format!(
            "{}\"\nplatforms = [\"linux/amd64\", \"linux/arm64\"]",
            upstream.lines["amd-ucode"]
        ),
        &format!("{}\"\nplatforms = [\"linux/amd64\"]", upstream.lines["amd-ucode"]),
    );
    assert_eq!(read(&lock_path(&project)), expected);
}

#[test]
fn update_checks_the_matchbox_base_covers_the_build_arches() {
    let registry = FakeRegistry::start();
    let mut upstream = Upstream::new(&registry.host(), &[]);
    let digests = upstream.all_digests();
    upstream.index(VERSION, &digests);
    upstream.load_into(&registry);
    let amd64_only = write_oci_layout(
        &upstream.dir.path().join("matchbox-amd64"),
        "v0.11.0-amd64",
        &[("linux/amd64", &[("usr/bin/matchbox", b"amd64".as_slice())])],
    );
    registry.add_layout("poseidon/matchbox", &amd64_only);
    let base =
        format!("{}/poseidon/matchbox:v0.11.0-amd64@{}", registry.host(), amd64_only.index_digest);
    let project = talos_project(&registry.host(), &base);
    let lock = read(&lock_path(&project));
    let out = update(&project, &[]);
    out.code(2);
    assert!(
        out.stderr.contains(&format!("[matchbox] base `{base}` has no linux/arm64 image")),
        "{}",
        out.stderr
    );
    assert_eq!(read(&lock_path(&project)), lock);
}

#[test]
fn update_gets_a_bearer_token_when_the_registry_asks() {
    let (registry, upstream, index, digests, project) = fake_setup(&[]);
    registry.require_token("t0ken");
    update(&project, &[]).code(0);
    assert_eq!(read(&lock_path(&project)), upstream.lock(VERSION, &index, &digests, ""));
    let requests = registry.requests();
    assert!(requests.iter().any(|r| r.path.starts_with("/token?")), "a token was fetched");
    assert!(
        requests
            .iter()
            .filter(|r| r.path.starts_with("/v2/siderolabs/") && r.authorization.is_some())
            .all(|r| r.authorization.as_deref() == Some("Bearer t0ken"))
    );
}

// ---- push ----

/// Upstream's pinned matchbox base (what the demo config uses by default).
const MATCHBOX_BASE: &str = "quay.io/poseidon/matchbox:v0.11.0@sha256:06bcdae85335fd00e8277b007b55cfb49d96a0114628c0f70db2b92b079d246a";

/// A skopeo double: records argv and writes, to the `--digestfile` path, the digest the test
/// prepared for the `docker://` destination (see [`prepare_digest`]), else `sha256:` + the
/// sha256 of the destination (so every push has its own known digest).
const SKOPEO_DOUBLE: &str = r#"target=""; file=""; prev=""
for a in "$@"; do
  [ "$prev" = "--digestfile" ] && file=$a
  case "$a" in docker://*) target=${a#docker://} ;; esac
  prev=$a
done
key=$(printf '%s' "$target" | sha256sum | cut -d' ' -f1)
if [ -n "$file" ] && [ -f "$COZY_FAKE_DIR/digest.$key" ]; then
  cp "$COZY_FAKE_DIR/digest.$key" "$file"
elif [ -n "$file" ]; then
  printf 'sha256:%s\n' "$key" > "$file"
fi
exit 0"#;

/// The digest [`SKOPEO_DOUBLE`] reports for a push to `target`.
fn fake_digest(target: &str) -> String {
    format!("sha256:{}", sha256_hex(target.as_bytes()))
}

/// Makes [`SKOPEO_DOUBLE`] report `digest` for a push to `target`.
fn prepare_digest(project: &Project, target: &str, digest: &str) {
    let file = project.fake_dir().join(format!("digest.{}", sha256_hex(target.as_bytes())));
    std::fs::write(file, format!("{digest}\n")).unwrap();
}

/// The demo package (upstream references) with `skopeo` scripted by `skopeo`.
fn push_project(skopeo: &str) -> Project {
    talos_project("ghcr.io", MATCHBOX_BASE).script("skopeo", skopeo)
}

/// Writes `bytes` as the installer of unit (`arch`, `variant`); returns its path.
fn write_installer(project: &Project, arch: &str, variant: &str, bytes: &[u8]) -> PathBuf {
    let path = project
        .root()
        .join(format!("_out/assets/talos/{arch}/{variant}/installer/installer-{arch}.tar"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    write_report(project, arch, variant, "v1.13.5");
    path
}

/// The build report `push` reads the unit's Talos version from.
fn write_report(project: &Project, arch: &str, variant: &str, version: &str) {
    let report = cozy::talos::report::Report {
        talos_version: version.to_owned(),
        arch: arch.to_owned(),
        variant: variant.to_owned(),
        role: None,
        kinds: vec![cozy::talos::config::Kind::Installer],
        git_revision: "unknown".into(),
        git_dirty: "unknown".into(),
        config_sha256: "0".repeat(64),
        lock_sha256: "0".repeat(64),
        imager: "ghcr.io/siderolabs/imager:v1.13.5".into(),
        base_installer: "ghcr.io/siderolabs/installer:v1.13.5".into(),
        extensions_index: "ghcr.io/siderolabs/extensions:v1.13.5".into(),
        tools: vec![],
        extensions: vec![],
        profiles: vec![],
        artifacts: std::collections::BTreeMap::new(),
        checks: vec![],
        notes: vec![],
        generated_at: "1970-01-01T00:00:00Z".into(),
    };
    let path = project
        .root()
        .join(format!("_out/assets/talos/{arch}/{variant}/validation/build-report.txt"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, report.render()).unwrap();
}

fn push(project: &Project, args: &[&str], envs: &[(&str, &str)]) -> Outcome {
    let mut all = vec!["talos", "push"];
    all.extend_from_slice(args);
    let mut env = vec![("COZY_HTTP_RETRY_DELAY_MS", "1")];
    env.extend_from_slice(envs);
    project.cozy_in(project.root(), all, &env)
}

/// The `--digestfile` value of a recorded skopeo call (it lives in a temp dir).
fn digest_file_of(call: &[String]) -> String {
    let at = call.iter().position(|a| a == "--digestfile").expect("--digestfile");
    call[at + 1].clone()
}

#[test]
fn push_single_arch_runs_upstreams_skopeo_copy_per_tag_and_records_digests() {
    let project = push_project(SKOPEO_DOUBLE);
    let tarball = write_installer(&project, "amd64", "default", b"installer");
    let out = push(
        &project,
        &["--arch", "amd64"],
        &[
            ("REGISTRY", "ghcr.io/acme/cozystack"),
            ("IMAGE_TAG", "v0.40.0"),
            ("PUBLISH_VERSIONED", "1"),
            ("PUBLISH_FLOATING", "1"),
        ],
    );
    out.code(0);
    let calls = project.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    let source = format!("docker-archive:{}", tarball.display());
    for (call, tag) in calls.iter().zip(["v0.40.0", "v1.13.5", "latest"]) {
        let file = digest_file_of(call);
        assert_eq!(
            call,
            &[
                "skopeo".to_owned(),
                "copy".to_owned(),
                source.clone(),
                format!("docker://ghcr.io/acme/cozystack/talos:{tag}"),
                "--digestfile".to_owned(),
                file.clone(),
            ]
        );
        assert!(!file.starts_with(project.root().to_str().unwrap()), "never inside the tree");
    }
    let mut expected = String::new();
    for tag in ["v0.40.0", "v1.13.5", "latest"] {
        let target = format!("ghcr.io/acme/cozystack/talos:{tag}");
        writeln!(expected, "{target}@{}", fake_digest(&target)).unwrap();
    }
    assert_eq!(out.stdout, expected);
    assert_eq!(read(&project.root().join("_out/push/talos-default.txt")), expected);
    let unit: Vec<String> = walk(&project.root().join("_out/assets/talos/amd64/default"));
    assert_eq!(
        unit,
        ["installer/installer-amd64.tar", "validation/build-report.txt"],
        "the unit is never written to"
    );
}

#[test]
fn push_names_the_repository_after_the_variant_and_flags_win_over_env() {
    let project = push_project(SKOPEO_DOUBLE);
    let tarball = write_installer(&project, "arm64", "tailscale-spin", b"router installer");
    let out = push(
        &project,
        &[
            "--arch",
            "arm64",
            "--variant",
            "spin-tailscale",
            "--registry",
            "registry.example/x",
            "--tag",
            "pr-7",
        ],
        &[("REGISTRY", "ghcr.io/ignored"), ("IMAGE_TAG", "ignored")],
    );
    out.code(0);
    let target = "registry.example/x/talos-tailscale-spin:pr-7";
    assert_eq!(out.stdout, format!("{target}@{}\n", fake_digest(target)));
    assert_eq!(read(&project.root().join("_out/push/talos-tailscale-spin.txt")), out.stdout);
    let calls = project.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0][2], format!("docker-archive:{}", tarball.display()));
    assert_eq!(calls[0][3], format!("docker://{target}"));
}

#[test]
fn push_sends_each_tag_once_when_image_tag_is_latest() {
    let project = push_project(SKOPEO_DOUBLE);
    write_installer(&project, "amd64", "default", b"installer");
    let out = push(
        &project,
        &["--arch", "amd64"],
        &[
            ("REGISTRY", "ghcr.io/acme"),
            ("IMAGE_TAG", "latest"),
            ("PUBLISH_VERSIONED", "1"),
            ("PUBLISH_FLOATING", "1"),
        ],
    );
    out.code(0);
    let targets: Vec<String> = project.calls().iter().map(|call| call[3].clone()).collect();
    assert_eq!(
        targets,
        ["docker://ghcr.io/acme/talos:latest", "docker://ghcr.io/acme/talos:v1.13.5"]
    );
    assert_eq!(out.stdout.lines().count(), 2);
}

#[test]
fn push_of_an_unbuilt_unit_fails_before_pushing_anything() {
    let project = push_project(SKOPEO_DOUBLE);
    write_installer(&project, "amd64", "default", b"installer");
    let out = push(&project, &["--arch", "amd64,arm64"], &[("REGISTRY", "ghcr.io/acme")]);
    out.code(2);
    assert!(
        out.stderr.contains("_out/assets/talos/arm64/default/installer/installer-arm64.tar is missing; run `cozy talos build --arch arm64 --variant default --kind installer` first"),
        "{}",
        out.stderr
    );
    assert!(project.calls().is_empty(), "nothing was pushed");
    assert!(!project.root().join("_out/push").exists());
}

#[test]
fn push_without_arch_pushes_the_architectures_that_were_built() {
    let project = push_project(SKOPEO_DOUBLE);
    let tarball = write_installer(&project, "amd64", "default", b"installer");
    let out = push(&project, &[], &[("REGISTRY", "ghcr.io/acme"), ("IMAGE_TAG", "t1")]);
    out.code(0);
    let calls = project.calls();
    assert_eq!(calls.len(), 1, "only amd64 was built: {calls:?}");
    assert_eq!(calls[0][2], format!("docker-archive:{}", tarball.display()));
    assert_eq!(calls[0][3], "docker://ghcr.io/acme/talos:t1");
    assert!(
        out.stderr.contains("arm64/default was not built; pushing the other architectures only"),
        "{}",
        out.stderr
    );
    // Nothing built at all: the error names what to build.
    let empty = push_project(SKOPEO_DOUBLE);
    let out = push(&empty, &[], &[("REGISTRY", "ghcr.io/acme")]);
    assert!(out.code(2).stderr.contains("installer-amd64.tar is missing"), "{}", out.stderr);
}

#[test]
fn push_refuses_a_unit_built_for_another_talos_version() {
    let project = push_project(SKOPEO_DOUBLE);
    write_installer(&project, "amd64", "default", b"installer");
    write_report(&project, "amd64", "default", "v1.12.0");
    let out = push(&project, &["--arch", "amd64"], &[("REGISTRY", "ghcr.io/acme")]);
    assert!(
        out.code(2)
            .stderr
            .contains("amd64/default was built for Talos v1.12.0, but talos.lock is for v1.13.5"),
        "{}",
        out.stderr
    );
    assert!(project.calls().is_empty());
}

#[test]
fn push_dry_run_prints_the_commands_and_writes_nothing() {
    let project = push_project(SKOPEO_DOUBLE);
    let amd64 = write_installer(&project, "amd64", "default", b"a");
    write_installer(&project, "arm64", "default", b"b");
    let out = project.cozy_in(
        project.root(),
        ["--dry-run", "talos", "push", "--arch", "amd64"],
        &[("REGISTRY", "ghcr.io/acme"), ("IMAGE_TAG", "t1")],
    );
    out.code(0);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(&format!(
            "$ skopeo copy docker-archive:{} docker://ghcr.io/acme/talos:t1 --digestfile ",
            amd64.display().to_string().replace(project.root().to_str().unwrap(), "[ROOT]")
        )),
        "{}",
        out.stderr
    );
    let out = project.cozy_in(
        project.root(),
        ["--dry-run", "talos", "push"],
        &[("REGISTRY", "ghcr.io/acme"), ("IMAGE_TAG", "t1")],
    );
    out.code(0);
    assert!(out.stderr.contains("$ skopeo copy --format oci docker-archive:"), "{}", out.stderr);
    assert!(
        out.stderr.contains(" docker://ghcr.io/acme/talos:t1-arm64 --digestfile "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("PUT OCI image index ghcr.io/acme/talos:t1 (ghcr.io/acme/talos:t1-amd64, ghcr.io/acme/talos:t1-arm64)"),
        "{}",
        out.stderr
    );
    assert!(project.calls().is_empty());
    assert!(!project.root().join("_out/push").exists());
}

#[test]
fn push_multi_arch_puts_an_oci_index_over_the_per_arch_manifests() {
    let registry = FakeRegistry::start();
    let project = push_project(SKOPEO_DOUBLE);
    write_installer(&project, "amd64", "default", b"a");
    write_installer(&project, "arm64", "default", b"b");
    // What the per-arch skopeo copies would have left in the registry.
    let amd64 = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[],"a":1}"#;
    let arm64 = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[],"a":2}"#;
    let media = crate::support::registry::OCI_MANIFEST;
    let amd64_digest = registry.add_manifest("cozy/talos", Some("t1-amd64"), media, amd64);
    let arm64_digest = registry.add_manifest("cozy/talos", Some("t1-arm64"), media, arm64);
    let repo = format!("{}/cozy/talos", registry.host());
    prepare_digest(&project, &format!("{repo}:t1-amd64"), &amd64_digest);
    prepare_digest(&project, &format!("{repo}:t1-arm64"), &arm64_digest);
    // The tag moved after skopeo pushed: the index still covers what was pushed.
    registry.add_manifest("cozy/talos", Some("t1-arm64"), media, b"{}");
    let out = push(
        &project,
        &[],
        &[("REGISTRY", &format!("{}/cozy", registry.host())), ("IMAGE_TAG", "t1")],
    );
    out.code(0);
    let calls = project.calls();
    assert_eq!(calls.len(), 2);
    for (call, arch) in calls.iter().zip(["amd64", "arm64"]) {
        assert_eq!(
            &call[..7],
            [
                "skopeo",
                "copy",
                "--format",
                "oci",
                "--dest-tls-verify=false",
                &format!(
                    "docker-archive:{}",
                    project
                        .root()
                        .join(format!(
                            "_out/assets/talos/{arch}/default/installer/installer-{arch}.tar"
                        ))
                        .display()
                ),
                &format!("docker://{repo}:t1-{arch}"),
            ]
        );
    }
    let put = registry.requests().into_iter().find(|r| r.method == "PUT").expect("an index PUT");
    assert_eq!(put.path, "/v2/cozy/talos/manifests/t1");
    assert_eq!(put.header("content-type"), Some(OCI_INDEX));
    let index: serde_json::Value = serde_json::from_slice(&put.body).unwrap();
    assert_eq!(
        index,
        serde_json::json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {"mediaType": media, "digest": amd64_digest, "size": amd64.len(), "platform": {"architecture": "amd64", "os": "linux"}},
                {"mediaType": media, "digest": arm64_digest, "size": arm64.len(), "platform": {"architecture": "arm64", "os": "linux"}},
            ],
        })
    );
    let index_digest = crate::support::registry::digest_of(&put.body);
    assert_eq!(
        out.stdout,
        format!(
            "{repo}:t1-amd64@{amd64_digest}\n{repo}:t1-arm64@{arm64_digest}\n{repo}:t1@{index_digest}\n"
        )
    );
}

#[test]
fn push_falls_back_to_imagetools_when_the_registry_refuses_the_index() {
    let registry = FakeRegistry::start();
    let project = push_project(SKOPEO_DOUBLE).fake("docker");
    write_installer(&project, "amd64", "default", b"a");
    write_installer(&project, "arm64", "default", b"b");
    let media = crate::support::registry::OCI_MANIFEST;
    let repo = format!("{}/cozy/talos", registry.host());
    for (arch, n) in [("amd64", 1), ("arm64", 2)] {
        let bytes = format!("{{\"schemaVersion\":2,\"mediaType\":\"{media}\",\"n\":{n}}}");
        let digest = registry.add_manifest(
            "cozy/talos",
            Some(&format!("t1-{arch}")),
            media,
            bytes.as_bytes(),
        );
        prepare_digest(&project, &format!("{repo}:t1-{arch}"), &digest);
    }
    // What `imagetools create` leaves at the tag; the PUT before it is refused once.
    let made = registry.add_manifest(
        "cozy/talos",
        Some("t1"),
        OCI_INDEX,
        br#"{"schemaVersion":2,"manifests":[]}"#,
    );
    registry.server().script(
        "/v2/cozy/talos/manifests/t1",
        vec![crate::support::http_server::Scripted::Status(400)],
    );
    let out = push(
        &project,
        &[],
        &[("REGISTRY", &format!("{}/cozy", registry.host())), ("IMAGE_TAG", "t1")],
    );
    out.code(0);
    assert!(out.stderr.contains("warning: the registry refused the OCI index"), "{}", out.stderr);
    let docker: Vec<Vec<String>> =
        project.calls().into_iter().filter(|c| c[0] == "docker").collect();
    assert_eq!(
        docker,
        [[
            "docker".to_owned(),
            "buildx".to_owned(),
            "imagetools".to_owned(),
            "create".to_owned(),
            "-t".to_owned(),
            format!("{repo}:t1"),
            format!("{repo}:t1-amd64"),
            format!("{repo}:t1-arm64"),
        ]]
    );
    assert!(out.stdout.ends_with(&format!("{repo}:t1@{made}\n")), "{}", out.stdout);
}

fn walk(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

// ---- matchbox ----

const BUILD_DIGEST: &str =
    "sha256:abababababababababababababababababababababababababababababababab";

/// A docker double: records argv; `buildx inspect` prints `$COZY_FAKE_DIR/inspect.txt`;
/// `buildx build` copies its context (the argument after `-f FILE`) to
/// `$COZY_FAKE_DIR/context-<n>` and writes the buildx metadata file.
const DOCKER_DOUBLE: &str = r#"if [ "$1 $2" = "buildx inspect" ]; then
  cat "$COZY_FAKE_DIR/inspect.txt"
  exit 0
fi
if [ "$1 $2" = "buildx build" ]; then
  shift 2; ctx=""; meta=""
  while [ $# -gt 0 ]; do
    case "$1" in
      -f) shift 2; ctx=$1 ;;
      --metadata-file) meta=$2; shift ;;
    esac
    shift
  done
  n=$(ls -d "$COZY_FAKE_DIR"/context-* 2>/dev/null | wc -l)
  cp -R "$ctx" "$COZY_FAKE_DIR/context-$n"
  printf '{"buildx.build.ref":"x","containerimage.digest":"@DIGEST@"}' > "$meta"
  exit 0
fi
echo "unexpected docker call: $*" >&2
exit 3"#;

fn matchbox_project() -> Project {
    talos_project("ghcr.io", MATCHBOX_BASE)
        .script("docker", &DOCKER_DOUBLE.replace("@DIGEST@", BUILD_DIGEST))
}

/// Fake boot files of unit (`arch`, `variant`): matchbox only copies them.
fn write_boot(project: &Project, arch: &str, variant: &str) {
    let boot = project.root().join(format!("_out/assets/talos/{arch}/{variant}/boot"));
    std::fs::create_dir_all(&boot).unwrap();
    std::fs::write(boot.join("vmlinuz"), format!("kernel {arch} {variant}")).unwrap();
    std::fs::write(boot.join("initramfs.xz"), format!("initramfs {arch} {variant}")).unwrap();
}

fn matchbox(project: &Project, args: &[&str], envs: &[(&str, &str)]) -> Outcome {
    let mut all = vec!["talos", "matchbox"];
    all.extend_from_slice(args);
    project.cozy_in(project.root(), all, envs)
}

fn builds(project: &Project) -> Vec<Vec<String>> {
    project.calls().into_iter().filter(|c| c[1] == "buildx" && c[2] == "build").collect()
}

#[test]
fn matchbox_stages_a_minimal_context_and_builds_both_platforms() {
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    write_boot(&project, "arm64", "default");
    std::fs::create_dir_all(project.root().join("packages/extra/bootbox/images")).unwrap();
    let out = matchbox(
        &project,
        &[],
        &[
            ("REGISTRY", "ghcr.io/acme/cozystack"),
            ("IMAGE_TAG", "v0.40.0"),
            ("PUBLISH_VERSIONED", "1"),
        ],
    );
    out.code(0);
    let reference = format!("ghcr.io/acme/cozystack/matchbox:v0.40.0@{BUILD_DIGEST}\n");
    assert_eq!(out.stdout, reference);
    assert_eq!(read(&project.root().join("packages/extra/bootbox/images/matchbox.tag")), reference);

    let calls = project.calls();
    assert_eq!(calls.len(), 1, "no builder, no inspect: {calls:?}");
    let call = &calls[0];
    let ctx = call[5].clone();
    assert_eq!(
        call,
        &[
            "docker",
            "buildx",
            "build",
            "-f",
            &format!("{ctx}/Dockerfile"),
            &ctx,
            "--platform",
            "linux/amd64,linux/arm64",
            "--tag",
            "ghcr.io/acme/cozystack/matchbox:v0.40.0",
            "--tag",
            "ghcr.io/acme/cozystack/matchbox:v1.13.5",
            "--provenance=false",
            "--push=true",
            "--load=false",
            "--label",
            "org.opencontainers.image.source=https://github.com/cozystack/cozystack",
            "--metadata-file",
            &format!("{ctx}/matchbox.json"),
        ]
    );
    assert!(!ctx.starts_with(project.root().to_str().unwrap()), "never the repository");
    assert!(!Path::new(&ctx).exists(), "the staged context is removed");

    let staged = project.fake_dir().join("context-0");
    assert_eq!(
        walk(&staged),
        [
            "Dockerfile",
            "amd64/groups/default.json",
            "amd64/initramfs.xz",
            "amd64/profiles/default.json",
            "amd64/vmlinuz",
            "arm64/groups/default.json",
            "arm64/initramfs.xz",
            "arm64/profiles/default.json",
            "arm64/vmlinuz",
        ]
    );
    assert_eq!(
        read(&staged.join("Dockerfile")),
        format!(
            "FROM {MATCHBOX_BASE}\nARG TARGETARCH\nCOPY ${{TARGETARCH}}/initramfs.xz /var/lib/matchbox/assets/initramfs.xz\nCOPY ${{TARGETARCH}}/vmlinuz /var/lib/matchbox/assets/vmlinuz\nCOPY ${{TARGETARCH}}/groups /var/lib/matchbox/groups\nCOPY ${{TARGETARCH}}/profiles /var/lib/matchbox/profiles\n"
        )
    );
    for arch in ["amd64", "arm64"] {
        assert_eq!(read(&staged.join(arch).join("vmlinuz")), format!("kernel {arch} default"));
        assert_eq!(
            read(&staged.join(arch).join("initramfs.xz")),
            format!("initramfs {arch} default")
        );
    }
    let source = repo_root().join(PKG).join("images/matchbox");
    let profile = read(&source.join("profiles/default.json"));
    let groups = read(&source.join("groups/default.json"));
    assert_eq!(
        read(&staged.join("amd64/profiles/default.json")),
        profile,
        "amd64: upstream's file"
    );
    assert_eq!(read(&staged.join("amd64/groups/default.json")), groups);
    assert_eq!(read(&staged.join("arm64/groups/default.json")), groups);
    let arm64 = read(&staged.join("arm64/profiles/default.json"));
    assert_eq!(arm64, profile.replace("\"console=ttyS0\"", "\"console=ttyAMA0\""));
    assert_ne!(arm64, profile);
}

#[test]
fn matchbox_for_a_variant_has_its_own_repository_and_leaves_matchbox_tag_alone() {
    let project = matchbox_project();
    write_boot(&project, "arm64", "tailscale-spin");
    std::fs::create_dir_all(project.root().join("packages/extra/bootbox/images")).unwrap();
    let out = matchbox(
        &project,
        &[
            "--arch",
            "arm64",
            "--variant",
            "tailscale-spin",
            "--registry",
            "r.example/x",
            "--tag",
            "t2",
        ],
        &[("PUBLISH_FLOATING", "1")],
    );
    out.code(0);
    assert_eq!(out.stdout, format!("r.example/x/matchbox-tailscale-spin:t2@{BUILD_DIGEST}\n"));
    assert!(!project.root().join("packages/extra/bootbox/images/matchbox.tag").exists());
    let call = &builds(&project)[0];
    let at = call.iter().position(|a| a == "--platform").unwrap();
    assert_eq!(call[at + 1], "linux/arm64");
    let tags: Vec<&String> = call.windows(2).filter(|w| w[0] == "--tag").map(|w| &w[1]).collect();
    assert_eq!(
        tags,
        ["r.example/x/matchbox-tailscale-spin:t2", "r.example/x/matchbox-tailscale-spin:latest"]
    );
    assert_eq!(walk(&project.fake_dir().join("context-0")).len(), 5, "one arch staged");
}

#[test]
fn matchbox_with_oci_export_dir_writes_an_archive_and_pushes_nothing() {
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    std::fs::create_dir_all(project.root().join("packages/extra/bootbox/images")).unwrap();
    let out = matchbox(
        &project,
        &["--arch", "amd64"],
        &[("IMAGE_TAG", "pr-7"), ("PUBLISH_FLOATING", "1"), ("OCI_EXPORT_DIR", "/tmp/oci")],
    );
    out.code(0);
    assert_eq!(out.stdout, "", "nothing was pushed, so no reference is printed");
    assert!(out.stderr.contains("to /tmp/oci/matchbox.oci.tar"), "{}", out.stderr);
    assert!(!project.root().join("packages/extra/bootbox/images/matchbox.tag").exists());
    let call = &builds(&project)[0];
    let tags: Vec<&String> = call.windows(2).filter(|w| w[0] == "--tag").map(|w| &w[1]).collect();
    assert_eq!(tags, ["ghcr.io/cozystack/cozystack/matchbox:pr-7"]);
    let at = call.iter().position(|a| a == "--output").unwrap();
    assert_eq!(call[at + 1], "type=oci,dest=/tmp/oci/matchbox.oci.tar");
    assert!(call.contains(&"--push=false".to_owned()) && !call.contains(&"--push=true".to_owned()));
}

#[test]
fn matchbox_honours_platform_and_a_console_override_for_amd64() {
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    let toml = project.root().join(format!("{PKG}/talos.toml"));
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[matchbox.console]\namd64 = \"tty0\"\n")).unwrap();
    let out = matchbox(&project, &[], &[("PLATFORM", "linux/amd64")]);
    out.code(0);
    let call = &builds(&project)[0];
    let at = call.iter().position(|a| a == "--platform").unwrap();
    assert_eq!(call[at + 1], "linux/amd64", "PLATFORM picks the architectures");
    let staged = read(&project.fake_dir().join("context-0/amd64/profiles/default.json"));
    assert!(staged.contains("\"console=tty0\"") && !staged.contains("console=ttyS0"), "{staged}");
}

#[test]
fn matchbox_checks_the_builder_covers_every_platform() {
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    write_boot(&project, "arm64", "default");
    // The spec's two-node kubernetes builder: one platform per node.
    std::fs::write(
        project.fake_dir().join("inspect.txt"),
        "Name:          cozy\nDriver:        kubernetes\nLast Activity: 2026-01-01 00:00:00 +0000 UTC\n\nNodes:\nName:      cozy-amd64\nEndpoint:  kubernetes:///cozy?deployment=cozy-amd64\nStatus:    running\nPlatforms: linux/amd64*, linux/amd64/v2, linux/386\n\nName:      cozy-arm64\nEndpoint:  kubernetes:///cozy?deployment=cozy-arm64\nStatus:    running\nPlatforms: linux/arm64*\n",
    )
    .unwrap();
    let out = matchbox(&project, &[], &[("BUILDER", "cozy"), ("IMAGE_TAG", "t3")]);
    out.code(0);
    let calls = project.calls();
    assert_eq!(calls[0], ["docker", "buildx", "inspect", "cozy"]);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1][calls[1].len() - 2..], ["--builder", "cozy"]);
    assert_eq!(out.stdout, format!("ghcr.io/cozystack/cozystack/matchbox:t3@{BUILD_DIGEST}\n"));

    // A builder without an arm64 node fails before building.
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    write_boot(&project, "arm64", "default");
    std::fs::write(
        project.fake_dir().join("inspect.txt"),
        "Name:   local\nDriver: docker-container\n\nNodes:\nName:      local0\nStatus:    running\nPlatforms: linux/amd64, linux/amd64/v2, linux/386\n",
    )
    .unwrap();
    let out = matchbox(&project, &["--builder", "local"], &[("BUILDER", "ignored")]);
    out.code(2);
    assert!(
        out.stderr.contains("buildx builder `local` has no linux/arm64 platform (it has: linux/amd64, linux/amd64/v2, linux/386)"),
        "{}",
        out.stderr
    );
    assert_eq!(project.calls(), [["docker", "buildx", "inspect", "local"]]);
}

#[test]
fn matchbox_of_an_unbuilt_unit_fails_and_dry_run_builds_nothing() {
    let project = matchbox_project();
    write_boot(&project, "amd64", "default");
    let out = matchbox(&project, &[], &[]);
    out.code(2);
    assert!(
        out.stderr.contains("_out/assets/talos/arm64/default/boot/vmlinuz is missing; run `cozy talos build --arch arm64 --variant default --kind kernel,initramfs` first"),
        "{}",
        out.stderr
    );
    assert!(project.calls().is_empty());
    // Every unit is checked before the first image is built.
    write_boot(&project, "arm64", "default");
    let out = matchbox(&project, &["--arch", "arm64", "--variant", "default,tailscale-spin"], &[]);
    out.code(2);
    assert!(
        out.stderr.contains("_out/assets/talos/arm64/tailscale-spin/boot/vmlinuz is missing"),
        "{}",
        out.stderr
    );
    assert!(project.calls().is_empty(), "default was not built first");

    std::fs::create_dir_all(project.root().join("packages/extra/bootbox/images")).unwrap();
    let out = project.cozy_in(
        project.root(),
        ["--dry-run", "talos", "matchbox", "--arch", "amd64"],
        &[("IMAGE_TAG", "t4")],
    );
    out.code(0);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("$ docker buildx build -f "), "{}", out.stderr);
    assert!(out.stderr.contains(" --platform linux/amd64 --tag ghcr.io/cozystack/cozystack/matchbox:t4 '--provenance=false'"), "{}", out.stderr);
    assert!(project.calls().is_empty());
    assert!(!project.root().join("packages/extra/bootbox/images/matchbox.tag").exists());
}

// ---- the real registry and skopeo (tier `test-real-tools`) ----

#[cfg(feature = "test-real-tools")]
mod real {
    use std::io::Read as _;
    use std::path::Path;
    use std::time::Duration;

    use cozy::talos::oci::registry::{Client, Options, Reference};

    use super::{
        MATCHBOX_BASE, PKG, Upstream, VERSION, lock_path, push, read, talos_project, update,
    };
    use crate::support::Project;
    use crate::support::registry::{
        DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, Registry, require_tool, skopeo, skopeo_copy,
        write_docker_archive,
    };

    fn client() -> Client {
        Client::new(Options { retry_delay: Some(Duration::from_millis(1)), ..Options::default() })
            .unwrap()
    }

    fn reference(text: &str) -> Reference {
        Reference::parse(text).unwrap()
    }

    /// The demo package with the real skopeo behind a recording wrapper that adds an
    /// accept-anything `--policy`.
    fn skopeo_project() -> Project {
        let program = require_tool("skopeo", "skopeo");
        let project = talos_project("ghcr.io", MATCHBOX_BASE).script(
            "skopeo",
            &format!("exec {} --policy \"$COZY_FAKE_DIR/policy.json\" \"$@\"", program.display()),
        );
        std::fs::write(
            project.fake_dir().join("policy.json"),
            r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
        )
        .unwrap();
        project
    }

    /// A docker-archive installer for unit (`arch`, `variant`); returns its config digest.
    fn write_unit_installer(project: &Project, arch: &str, variant: &str) -> String {
        super::write_report(project, arch, variant, VERSION);
        let path = project
            .root()
            .join(format!("_out/assets/talos/{arch}/{variant}/installer/installer-{arch}.tar"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let efi = format!("uki {arch} {variant}");
        write_docker_archive(
            &path,
            &format!("ghcr.io/siderolabs/installer:{VERSION}"),
            &format!("linux/{arch}"),
            &[
                ("usr/bin/installer", b"#!installer\n".as_slice()),
                (&format!("usr/install/{arch}/vmlinuz.efi"), efi.as_bytes()),
            ],
        )
    }

    /// `repo:tag@digest` lines → (repo:tag, digest).
    fn pushed(stdout: &str) -> Vec<(String, String)> {
        stdout
            .lines()
            .map(|line| {
                let (name, digest) = line.split_once('@').unwrap();
                (name.to_owned(), digest.to_owned())
            })
            .collect()
    }

    #[test]
    fn update_reads_image_digests_from_the_real_registry() {
        let registry = Registry::start();
        let mut upstream = Upstream::new(&registry.host(), &[]);
        let digests = upstream.all_digests();
        let index = upstream.index(VERSION, &digests);
        for (repo, layout) in &upstream.layouts {
            registry.push_layout(layout, repo);
        }
        let project = talos_project(&registry.host(), &upstream.matchbox_base);
        update(&project, &["--write-profiles"]).code(0);
        assert_eq!(read(&lock_path(&project)), upstream.lock(VERSION, &index, &digests, ""));
        assert!(project.root().join(PKG).join("images/talos/profiles/metal.yaml").is_file());
        update(&project, &["--check"]).code(0);
    }

    #[test]
    fn push_single_arch_with_real_skopeo_lands_in_the_registry() {
        let registry = Registry::start();
        let project = skopeo_project();
        let config = write_unit_installer(&project, "amd64", "default");
        let prefix = format!("{}/cozy", registry.host());
        let out =
            push(&project, &["--arch", "amd64"], &[("REGISTRY", &prefix), ("IMAGE_TAG", "t1")]);
        out.code(0);
        let lines = pushed(&out.stdout);
        assert_eq!(lines.len(), 1, "{}", out.stdout);
        assert_eq!(lines[0].0, format!("{prefix}/talos:t1"));
        let client = client();
        let r = reference(&lines[0].0);
        let head = client.head_manifest(&r).unwrap();
        assert_eq!(head.digest, lines[0].1, "the recorded digest is what the registry serves");
        assert_eq!(head.media_type, DOCKER_MANIFEST, "upstream's plain copy: docker v2s2");
        let manifest = client.manifest(&r).unwrap();
        assert_eq!(manifest.json["config"]["digest"], config.as_str(), "config kept as is");
        assert_eq!(read(&project.root().join("_out/push/talos-default.txt")), out.stdout);
    }

    #[test]
    fn push_multi_arch_with_real_skopeo_makes_an_index_of_both_platforms() {
        let registry = Registry::start();
        let project = skopeo_project();
        let amd64_config = write_unit_installer(&project, "amd64", "default");
        let arm64_config = write_unit_installer(&project, "arm64", "default");
        let prefix = format!("{}/cozy", registry.host());
        let repo = format!("{prefix}/talos");
        let out = push(
            &project,
            &["--arch", "amd64,arm64"],
            &[("REGISTRY", &prefix), ("IMAGE_TAG", "t2"), ("PUBLISH_FLOATING", "1")],
        );
        out.code(0);
        let lines = pushed(&out.stdout);
        let names: Vec<&str> = lines.iter().map(|(name, _)| name.as_str()).collect();
        let expected: Vec<String> =
            ["t2-amd64", "t2-arm64", "t2", "latest-amd64", "latest-arm64", "latest"]
                .iter()
                .map(|tag| format!("{repo}:{tag}"))
                .collect();
        assert_eq!(names, expected);
        let client = client();
        for tag in ["t2", "latest"] {
            let r = reference(&format!("{repo}:{tag}"));
            let index = client.manifest(&r).unwrap();
            assert_eq!(index.media_type, OCI_INDEX);
            let recorded =
                &lines.iter().find(|(name, _)| *name == format!("{repo}:{tag}")).unwrap().1;
            assert_eq!(&index.digest, recorded);
            assert_eq!(client.platforms(&r).unwrap(), ["linux/amd64", "linux/arm64"]);
            for (arch, config) in [("amd64", &amd64_config), ("arm64", &arm64_config)] {
                let manifest = client.manifest_for_platform(&r, &format!("linux/{arch}")).unwrap();
                assert_eq!(manifest.media_type, OCI_MANIFEST, "per-arch copies use --format oci");
                assert_eq!(manifest.json["config"]["digest"], config.as_str());
                let per_arch = format!("{repo}:{tag}-{arch}");
                let recorded = &lines.iter().find(|(name, _)| *name == per_arch).unwrap().1;
                assert_eq!(&manifest.digest, recorded);
            }
        }
        let mut tags = client.tags(&reference(&repo)).unwrap();
        tags.sort();
        assert_eq!(tags, ["latest", "latest-amd64", "latest-arm64", "t2", "t2-amd64", "t2-arm64"]);
    }

    #[test]
    fn oci_export_single_arch_writes_an_archive_skopeo_can_read() {
        let project = skopeo_project();
        write_unit_installer(&project, "amd64", "default");
        let export = tempfile::tempdir().unwrap();
        let dir = export.path().to_str().unwrap();
        let out =
            push(&project, &["--arch", "amd64"], &[("OCI_EXPORT_DIR", dir), ("IMAGE_TAG", "t3")]);
        out.code(0);
        assert_eq!(out.stdout, "");
        let archive = export.path().join("talos.oci.tar");
        assert!(archive.is_file());
        let calls = project.calls();
        assert_eq!(calls.len(), 1);
        let tarball =
            project.root().join("_out/assets/talos/amd64/default/installer/installer-amd64.tar");
        assert_eq!(
            calls[0],
            [
                "skopeo".to_owned(),
                "copy".to_owned(),
                format!("docker-archive:{}", tarball.display()),
                format!("oci-archive:{}:t3", archive.display()),
            ],
            "upstream's export command"
        );
        let inspect = skopeo(&["inspect", &format!("oci-archive:{}", archive.display())]);
        assert!(inspect.status.success(), "{}", String::from_utf8_lossy(&inspect.stderr));
        let json: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        assert_eq!(json["Architecture"], "amd64");
        assert!(!project.root().join("_out/push").exists(), "nothing was pushed");
    }

    #[test]
    fn oci_export_multi_arch_is_one_index_that_skopeo_copies_whole() {
        let registry = Registry::start();
        let project = skopeo_project();
        write_unit_installer(&project, "amd64", "tailscale-spin");
        write_unit_installer(&project, "arm64", "tailscale-spin");
        write_unit_installer(&project, "amd64", "default");
        write_unit_installer(&project, "arm64", "default");
        let export = tempfile::tempdir().unwrap();
        let dir = export.path().to_str().unwrap();
        let out = push(
            &project,
            &["--variant", "default,tailscale-spin"],
            &[("OCI_EXPORT_DIR", dir), ("IMAGE_TAG", "t5")],
        );
        out.code(0);
        let mut names: Vec<String> = std::fs::read_dir(export.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["talos-tailscale-spin.oci.tar", "talos.oci.tar"]);
        let client = client();
        for (file, repo) in [
            ("talos.oci.tar", "cozy/talos"),
            ("talos-tailscale-spin.oci.tar", "cozy/talos-tailscale-spin"),
        ] {
            let archive = export.path().join(file);
            let files = tar_files(&archive);
            let top: serde_json::Value = serde_json::from_slice(&files["index.json"]).unwrap();
            let entries = top["manifests"].as_array().unwrap();
            assert_eq!(entries.len(), 1, "{file}: one top-level image: {top}");
            assert_eq!(entries[0]["mediaType"], OCI_INDEX);
            assert_eq!(entries[0]["annotations"]["org.opencontainers.image.ref.name"], "t5");
            let digest = entries[0]["digest"].as_str().unwrap();
            let blob = &files[&format!("blobs/sha256/{}", &digest["sha256:".len()..])];
            let index: serde_json::Value = serde_json::from_slice(blob).unwrap();
            let platforms: Vec<&serde_json::Value> =
                index["manifests"].as_array().unwrap().iter().map(|m| &m["platform"]).collect();
            assert_eq!(
                platforms,
                [
                    &serde_json::json!({"architecture": "amd64", "os": "linux"}),
                    &serde_json::json!({"architecture": "arm64", "os": "linux"})
                ]
            );
            // Every blob in the archive is reachable from the index: nothing of the other variant.
            let blobs = files.keys().filter(|k| k.starts_with("blobs/")).count();
            assert_eq!(blobs, 1 + 2 * 3, "{file}: index + 2 × (manifest, config, layer)");
            skopeo_copy(&[
                "--all",
                &format!("oci-archive:{}", archive.display()),
                &registry.docker(&format!("{repo}:t5")),
            ]);
            let r = reference(&format!("{}/{repo}:t5", registry.host()));
            assert_eq!(client.platforms(&r).unwrap(), ["linux/amd64", "linux/arm64"]);
            assert_eq!(client.manifest(&r).unwrap().digest, digest, "pushed as is");
        }
    }

    /// Every regular file of a tar, by path (leading `./` removed).
    fn tar_files(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        let mut archive = tar::Archive::new(std::fs::File::open(path).unwrap());
        let mut files = std::collections::BTreeMap::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = entry.path().unwrap().to_string_lossy().trim_start_matches("./").to_owned();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            files.insert(name, bytes);
        }
        files
    }
}
