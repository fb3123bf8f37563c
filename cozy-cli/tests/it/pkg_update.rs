//! `cozy pkg update` against a real chart repository on 127.0.0.1: steps, the lock file,
//! `--locked`, `--dry-run`, and failures that leave the package byte-identical.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::Project;
use crate::support::chart_repo::{chart_tgz, publish, tgz};
use crate::support::http_server::{HttpServer, Scripted};

const CILIUM_STEPS: &str = r#"schema = 1

[vars]
cilium_version = { chart = "charts/demo", field = "version" }

[[update.step]]
kind = "helm-pull"
repo = "@REPO@"
chart = "demo"
version = "1.16"

[[update.step]]
kind = "replace"
file = "charts/demo/values.yaml"
delete_lines = ["Used in iptables"]
expect = 1

[[update.step]]
kind = "dockerfile-arg"
file = "images/demo/Dockerfile"
arg = "VERSION"
value = "v{var:cilium_version}"

[[update.step]]
kind = "assert"
file = "charts/demo/values.yaml"
absent = "iptables"
"#;

fn repo_with(versions: &[&str]) -> (tempfile::TempDir, HttpServer) {
    let dir = tempfile::tempdir().unwrap();
    publish(dir.path(), "demo", versions);
    let server = HttpServer::serve(dir.path().to_owned());
    (dir, server)
}

fn package(server: &HttpServer, manifest: &str) -> Project {
    Project::new()
        .chart("system/cilium", "0.0.0")
        .file("packages/system/cilium/cozy.toml", &manifest.replace("@REPO@", &server.url()))
        .file(
            "packages/system/cilium/images/demo/Dockerfile",
            "ARG VERSION=v1.16.0\nFROM quay.io/demo:${VERSION}\n",
        )
        .file(
            "packages/system/cilium/charts/demo/Chart.yaml",
            "apiVersion: v2\nname: demo\nversion: 1.16.3\n",
        )
        .file("packages/system/cilium/charts/demo/stale.yaml", "old\n")
}

fn update(t: &Project, args: &[&str]) -> crate::support::Outcome {
    let mut full = vec!["pkg", "update"];
    full.extend_from_slice(args);
    t.cozy_in(t.root(), full, &[("COZY_HTTP_RETRY_DELAY_MS", "1")])
}

/// Every file under `dir` with its bytes (symlinks by target), for byte-identity checks.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().display().to_string();
        if entry.file_type().is_symlink() {
            files.insert(
                rel,
                std::fs::read_link(entry.path()).unwrap().display().to_string().into_bytes(),
            );
        } else if entry.file_type().is_file() {
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        } else {
            files.insert(rel, b"<dir>".to_vec());
        }
    }
    files
}

fn read(t: &Project, rel: &str) -> String {
    std::fs::read_to_string(t.root().join("packages/system/cilium").join(rel)).unwrap()
}

#[test]
fn pulls_within_the_constraint_edits_and_locks() {
    let (_dir, server) = repo_with(&["1.15.9", "1.16.3", "1.16.5", "1.17.0"]);
    let t = package(&server, CILIUM_STEPS);
    let out = update(&t, &["cilium"]);
    out.code(0);
    assert_eq!(out.stderr, "packages/system/cilium: demo 1.16.3 → 1.16.5; 6 files changed\n");
    assert_eq!(read(&t, "charts/demo/values.yaml"), "image:\n  tag: v1.16.5\nreplicas: 1\n");
    assert!(!t.root().join("packages/system/cilium/charts/demo/stale.yaml").exists());
    assert_eq!(
        read(&t, "images/demo/Dockerfile"),
        "ARG VERSION=v1.16.5\nFROM quay.io/demo:${VERSION}\n"
    );
    let lock = read(&t, "cozy.lock");
    assert!(lock.contains(&format!("url = \"{}/demo-1.16.5.tgz\"", server.url())), "{lock}");
    assert!(lock.contains("version = \"1.16.5\""), "{lock}");
    let paths: Vec<String> = server.requests().into_iter().map(|request| request.path).collect();
    assert_eq!(paths, ["/index.yaml", "/demo-1.16.5.tgz"]);
    let leftovers: Vec<_> = std::fs::read_dir(t.root().join("packages/system"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no staging directory is left: {leftovers:?}");

    // A second run changes nothing.
    let out = update(&t, &["cilium"]);
    out.code(0);
    assert_eq!(out.stderr, "packages/system/cilium: demo 1.16.5 (unchanged); no file changed\n");
}

#[test]
fn locked_fetches_exactly_the_recorded_source() {
    let (dir, server) = repo_with(&["1.16.3", "1.16.5"]);
    let t = package(&server, CILIUM_STEPS);
    update(&t, &["cilium"]).code(0);
    publish(dir.path(), "demo", &["1.16.3", "1.16.5", "1.16.7"]);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    let out = update(&t, &["--locked", "cilium"]);
    out.code(0);
    assert_eq!(out.stderr, "packages/system/cilium: demo 1.16.5 (unchanged); no file changed\n");
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);

    // The same URL now serves other bytes: --locked refuses them.
    std::fs::write(
        dir.path().join("demo-1.16.5.tgz"),
        chart_tgz("demo", "1.16.5", &[("values.yaml", "tampered: true\n")]),
    )
    .unwrap();
    let out = update(&t, &["--locked", "cilium"]);
    out.code(2);
    assert!(
        out.stderr.contains(&format!(
            "step 1 (`helm-pull`): {}/demo-1.16.5.tgz: sha256 is ",
            server.url()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);

    // A plain update moves within the constraint, to the newest release the index lists.
    let out = update(&t, &["cilium"]);
    out.code(0);
    assert!(
        out.stderr.starts_with("packages/system/cilium: demo 1.16.5 → 1.16.7; "),
        "{}",
        out.stderr
    );
    assert!(read(&t, "cozy.lock").contains("version = \"1.16.7\""));
}

#[test]
fn a_failing_step_leaves_the_package_byte_identical() {
    let (_dir, server) = repo_with(&["1.16.5"]);
    let manifest = format!(
        "{CILIUM_STEPS}\n[[update.step]]\nkind = \"replace\"\nfile = \"charts/demo/values.yaml\"\nliteral = \"not there\"\nwith = \"x\"\nexpect = 1\n"
    );
    let t = package(&server, &manifest);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    let out = update(&t, &["cilium"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: packages/system/cilium: not updated; the package is unchanged\n  caused by: packages/system/cilium: step 5 (`replace`): expected 1 matches, found 0\nerror: update failed for 1 of 1 packages\n"
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);
}

#[test]
fn digest_mismatch_and_http_errors_name_the_url() {
    let (dir, server) = repo_with(&["1.16.5"]);
    let t = package(&server, CILIUM_STEPS);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    std::fs::write(dir.path().join("demo-1.16.5.tgz"), chart_tgz("demo", "1.16.5", &[])).unwrap();
    let out = update(&t, &["cilium"]);
    out.code(2);
    assert!(
        out.stderr.contains(&format!("{}/demo-1.16.5.tgz: sha256 is ", server.url())),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(", but the index says "), "{}", out.stderr);
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);

    server.script(
        "/index.yaml",
        vec![
            Scripted::Status(500),
            Scripted::Status(500),
            Scripted::Status(500),
            Scripted::Status(500),
        ],
    );
    let out = update(&t, &["cilium"]);
    out.code(2);
    assert!(
        out.stderr.contains(&format!(
            "GET {}/index.yaml: HTTP 500 Internal Server Error (after 4 attempts)",
            server.url()
        )),
        "{}",
        out.stderr
    );
    std::fs::remove_file(dir.path().join("index.yaml")).unwrap();
    let out = update(&t, &["cilium"]);
    assert!(
        out.stderr.contains(&format!("GET {}/index.yaml: HTTP 404 Not Found", server.url())),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);
}

#[test]
fn dry_run_shows_the_plan_and_writes_nothing() {
    let (_dir, server) = repo_with(&["1.16.5"]);
    let t = package(&server, CILIUM_STEPS);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    let out = update(&t, &["--dry-run", "cilium"]);
    out.code(0);
    assert_eq!(
        out.stderr,
        "packages/system/cilium: demo 1.16.3 → 1.16.5; 6 files would change\n  ~ charts/demo/Chart.yaml\n  - charts/demo/stale.yaml\n  + charts/demo/templates/cm.yaml\n  + charts/demo/values.yaml\n  + cozy.lock\n  ~ images/demo/Dockerfile\n"
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);
}

#[test]
fn hostile_archive_is_refused_by_entry_name() {
    let dir = tempfile::tempdir().unwrap();
    let evil = tgz(&[
        ("demo/Chart.yaml".into(), "apiVersion: v2\nname: demo\nversion: 1.16.9\n".into()),
        ("demo/../../../../evil".into(), "x".into()),
    ]);
    std::fs::write(dir.path().join("demo-1.16.9.tgz"), &evil).unwrap();
    std::fs::write(
        dir.path().join("index.yaml"),
        "apiVersion: v1\nentries:\n  demo:\n  - version: 1.16.9\n    urls: [demo-1.16.9.tgz]\n",
    )
    .unwrap();
    let server = HttpServer::serve(dir.path().to_owned());
    let t = package(&server, CILIUM_STEPS);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    let out = update(&t, &["cilium"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "archive entry `demo/../../../../evil` climbs out of the destination with `..`"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);
}

#[test]
fn download_archive_patch_gzip_copy_move_remove_and_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("org/tool/archive")).unwrap();
    std::fs::write(
        dir.path().join("org/tool/archive/v2.0.0.tar.gz"),
        tgz(&[
            ("tool-2.0.0/deploy/crds.yaml".into(), "kind: CustomResourceDefinition\n".into()),
            (
                "tool-2.0.0/deploy/manifest.yaml".into(),
                "namespace: tool-system\nimage: tool:v2.0.0\n".into(),
            ),
            ("tool-2.0.0/README.md".into(), "upstream readme\n".into()),
        ]),
    )
    .unwrap();
    std::fs::write(dir.path().join("operator-v2.0.0.yaml"), "kind: Deployment\nname: operator\n")
        .unwrap();
    let server = HttpServer::serve(dir.path().to_owned());
    let manifest = r#"
[[update.step]]
kind = "archive"
github = "org/tool"
ref = "v2.0.0"
subpath = "deploy"
dest = "files"
as = "tool_ref"

[[update.step]]
kind = "download"
url = "@REPO@/operator-{version}.yaml"
version = { var = "tool_ref" }
dest = "templates/operator.yaml"

[[update.step]]
kind = "patch"
file = "patches/namespace.diff"
strip = 1

[[update.step]]
kind = "gzip"
src = "files/manifest.yaml"
dest = "files/manifest.yaml.gz"

[[update.step]]
kind = "move"
from = "files/crds.yaml"
to = "crds/"

[[update.step]]
kind = "copy"
from = "files/*.yaml"
to = "backup/"

[[update.step]]
kind = "remove"
paths = ["backup"]

[[update.step]]
kind = "run"
argv = ["hack/stamp.sh", "{var:tool_ref}"]
"#;
    let t = Project::new()
        .real("patch")
        .real("gzip")
        .chart("system/tool", "0.0.0")
        .file("packages/system/tool/cozy.toml", &manifest.replace("@REPO@", &server.url()))
        .file(
            "packages/system/tool/patches/namespace.diff",
            "--- a/files/manifest.yaml\n+++ b/files/manifest.yaml\n@@ -1,2 +1,2 @@\n-namespace: tool-system\n+namespace: cozy-tool\n image: tool:v2.0.0\n",
        )
        .file("packages/system/tool/hack/stamp.sh", "#!/bin/sh\necho \"tool $1\" > STAMP\n");
    std::fs::set_permissions(
        t.root().join("packages/system/tool/hack/stamp.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let out = t.cozy_in(
        t.root(),
        ["pkg", "update", "tool"],
        &[("COZY_GITHUB_URL", &server.url()), ("COZY_HTTP_RETRY_DELAY_MS", "1")],
    );
    out.code(0);
    let pkg = t.root().join("packages/system/tool");
    let read = |rel: &str| std::fs::read_to_string(pkg.join(rel)).unwrap();
    assert_eq!(read("files/manifest.yaml"), "namespace: cozy-tool\nimage: tool:v2.0.0\n");
    assert_eq!(read("crds/crds.yaml"), "kind: CustomResourceDefinition\n");
    assert!(!pkg.join("files/crds.yaml").exists());
    assert!(!pkg.join("backup").exists());
    assert!(!pkg.join("files/README.md").exists(), "only `subpath` is taken");
    assert_eq!(read("templates/operator.yaml"), "kind: Deployment\nname: operator\n");
    assert_eq!(read("STAMP"), "tool v2.0.0\n");
    let gz = std::fs::read(pkg.join("files/manifest.yaml.gz")).unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    assert_eq!(&gz[4..8], &[0, 0, 0, 0], "gzip -n writes no timestamp");
    let lock = read("cozy.lock");
    assert!(lock.contains("kind = \"archive\"") && lock.contains("version = \"v2.0.0\""), "{lock}");
    assert!(
        lock.contains(&format!("url = \"{}/org/tool/archive/v2.0.0.tar.gz\"", server.url())),
        "{lock}"
    );
}

#[test]
fn packages_without_steps() {
    let t = Project::new().chart("system/plain", "1.0.0").chart("system/noop", "1.0.0").file(
        "packages/system/noop/cozy.toml",
        "[update]\nnote = \"Nothing to update: the chart is written here\"\n",
    );
    let out = t.cozy(["pkg", "update", "plain"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: packages/system/plain: nothing to update\nhint: its cozy.toml has no `[[update.step]]`\n"
    );
    let out = t.cozy(["pkg", "update", "--all"]);
    out.code(0);
    assert_eq!(out.stderr, "packages/system/noop: Nothing to update: the chart is written here\n");
}

#[test]
fn oci_charts_come_through_helm_pull() {
    // The helm double plays `helm pull oci://… --destination DIR --version V`: it drops the
    // prepared chart archive into DIR.
    let t = Project::new()
        .script("helm", "while [ $# -gt 0 ]; do [ \"$1\" = --destination ] && dest=$2; shift; done\ncp \"$COZY_FAKE_DIR/chart.tgz\" \"$dest/redis-operator-3.3.5.tgz\"")
        .chart("system/redis-operator", "0.0.0")
        .file(
            "packages/system/redis-operator/cozy.toml",
            "[[update.step]]\nkind = \"helm-pull\"\noci = \"oci://ghcr.io/example/charts/redis-operator\"\nchart = \"redis-operator\"\nversion = \"3.3.5\"\nexpect_version = \"3.3.5\"\n",
        );
    std::fs::write(
        t.fake_dir().join("chart.tgz"),
        chart_tgz("redis-operator", "3.3.5", &[("values.yaml", "a: 1\n")]),
    )
    .unwrap();
    let out = t.cozy(["-v", "pkg", "update", "redis-operator"]);
    out.code(0);
    assert!(
        out.stderr
            .contains("$ helm pull oci://ghcr.io/example/charts/redis-operator --destination "),
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("packages/system/redis-operator: redis-operator 3.3.5 (new); 3 files changed\n  + charts/redis-operator/Chart.yaml\n  + charts/redis-operator/values.yaml\n  + cozy.lock\n"), "{}", out.stderr);
    let calls = t.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(&calls[0][..3], ["helm", "pull", "oci://ghcr.io/example/charts/redis-operator"]);
    assert_eq!(&calls[0][5..], ["--version", "3.3.5"]);
    let lock =
        std::fs::read_to_string(t.root().join("packages/system/redis-operator/cozy.lock")).unwrap();
    assert!(lock.contains("url = \"oci://ghcr.io/example/charts/redis-operator\""), "{lock}");

    // --locked pulls the locked version again and checks its sha256.
    std::fs::write(
        t.fake_dir().join("chart.tgz"),
        chart_tgz("redis-operator", "3.3.5", &[("values.yaml", "a: 2\n")]),
    )
    .unwrap();
    let out = t.cozy(["pkg", "update", "--locked", "redis-operator"]);
    out.code(2);
    assert!(
        out.stderr.contains("oci://ghcr.io/example/charts/redis-operator: sha256 is "),
        "{}",
        out.stderr
    );
}

#[test]
fn git_apply_patches_and_then_generate() {
    let t = Project::new()
        .real("git")
        .chart("apps/cache", "0.0.0")
        .file(
            "packages/apps/cache/cozy.toml",
            "[update]\nthen = [\"generate\"]\n\n[[update.step]]\nkind = \"patch\"\ntool = \"git-apply\"\nfile = \"patches/replicas.diff\"\n",
        )
        .file("packages/apps/cache/values.yaml", "## @param {int} replicas - Number of replicas\nreplicas: 2\n")
        .file("packages/apps/cache/README.md", "# cache\n\n## Parameters\n")
        .file(
            "packages/apps/cache/patches/replicas.diff",
            "--- a/values.yaml\n+++ b/values.yaml\n@@ -1,2 +1,2 @@\n ## @param {int} replicas - Number of replicas\n-replicas: 2\n+replicas: 3\n",
        );
    let out = t.cozy(["pkg", "update", "cache"]);
    out.code(0);
    let pkg = t.root().join("packages/apps/cache");
    assert_eq!(
        std::fs::read_to_string(pkg.join("values.yaml")).unwrap(),
        "## @param {int} replicas - Number of replicas\nreplicas: 3\n"
    );
    let readme = std::fs::read_to_string(pkg.join("README.md")).unwrap();
    assert!(readme.contains("| `replicas` | Number of replicas | `int` | `3`   |"), "{readme}");
    assert!(pkg.join("values.schema.json").is_file());
    assert_eq!(
        out.stderr,
        "packages/apps/cache: 1 file changed\nwrote packages/apps/cache/values.schema.json\nwrote packages/apps/cache/README.md\n"
    );
}

#[test]
fn archive_size_cap_and_credentials_from_the_environment() {
    let (_dir, server) = repo_with(&["1.16.5"]);
    let t = package(&server, CILIUM_STEPS);
    let before = snapshot(&t.root().join("packages/system/cilium"));
    let out = t.cozy_in(
        t.root(),
        ["pkg", "update", "--max-archive-size", "100", "cilium"],
        &[("COZY_HTTP_RETRY_DELAY_MS", "1")],
    );
    out.code(2);
    assert!(
        out.stderr.contains("archive is larger than 100 bytes when decompressed"),
        "{}",
        out.stderr
    );
    assert_eq!(snapshot(&t.root().join("packages/system/cilium")), before);

    let out = t.cozy_in(
        t.root(),
        ["-v", "pkg", "update", "cilium"],
        &[("COZY_REPO_USERNAME", "robot"), ("COZY_REPO_PASSWORD", "s3cret-value")],
    );
    out.code(0);
    assert!(!out.stderr.contains("s3cret-value") && !out.stdout.contains("s3cret-value"));
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .rev()
            .take(2)
            .all(|request| request.authorization.as_deref()
                == Some("Basic cm9ib3Q6czNjcmV0LXZhbHVl")),
        "{requests:?}"
    );
}

#[test]
fn yaml_set_and_delete_keep_every_other_byte() {
    let values = "# Upstream defaults, trimmed.\nimage:\n  repository: ghcr.io/example/hami # pinned by cozy\n  tag: \"v2.8.0\"\nhami-dra:\n  enabled: true\n  replicas: 2\nreplicas: 1\n";
    let t = Project::new().chart("system/hami", "0.0.0").file("packages/system/hami/values.yaml", values).file(
        "packages/system/hami/cozy.toml",
        "[[update.step]]\nkind = \"yaml-set\"\nfile = \"values.yaml\"\npath = \"image.tag\"\nvalue = \"v{package}-2.9.0\"\n\n[[update.step]]\nkind = \"yaml-delete\"\nfile = \"values.yaml\"\npath = \"hami-dra\"\n\n[[update.step]]\nkind = \"yaml-set\"\nfile = \"values.yaml\"\npath = \"scheduler.port\"\nvalue = \"8443\"\ncreate = true\n",
    );
    let out = t.cozy(["pkg", "update", "hami"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.root().join("packages/system/hami/values.yaml")).unwrap(),
        "# Upstream defaults, trimmed.\nimage:\n  repository: ghcr.io/example/hami # pinned by cozy\n  tag: \"vhami-2.9.0\"\nreplicas: 1\nscheduler:\n  port: \"8443\"\n"
    );
    let t = t.file("packages/system/hami/cozy.toml", "[[update.step]]\nkind = \"yaml-set\"\nfile = \"values.yaml\"\npath = \"image.digest\"\nvalue = \"sha256:00\"\n");
    let out = t.cozy(["pkg", "update", "hami"]);
    out.code(2);
    assert!(out.stderr.contains("step 1 (`yaml-set`): `values.yaml`:"), "{}", out.stderr);
    assert!(out.stderr.contains("image.digest"), "{}", out.stderr);
}
