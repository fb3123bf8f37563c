//! `cozy pkg image` with a docker test double that records argv and writes the buildx
//! metadata file, and `cozy pkg lint`.

use crate::support::{Project, repo_root};

const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

const VALUES: &str = "# cilium overrides\ncilium:\n  image:\n    repository: ghcr.io/cozystack/cozystack/cilium # built here\n    tag: 1.16.3\n    digest: \"sha256:0000000000000000000000000000000000000000000000000000000000000000\"\n  kubeProxyReplacement: true\n";

fn project() -> Project {
    let t = Project::new()
        .file("cozy.toml", "[workspace]\n[defaults]\nregistry = \"registry.example/cozy\"\n")
        .chart("system/cilium", "0.0.0")
        .file("packages/system/cilium/values.yaml", VALUES)
        .file("packages/system/cilium/charts/cilium/Chart.yaml", "apiVersion: v2\nname: cilium\nversion: 1.16.5\n")
        .file(
            "packages/system/cilium/cozy.toml",
            r#"[vars]
cilium_version = { chart = "charts/cilium", field = "version" }

[[image]]
name = "cilium"
context = "images/cilium"
version_tag = "{var:cilium_version}"
build_args = { VERSION = "v{var:cilium_version}" }
write = [
  { file = "values.yaml", key = "cilium.image.repository", value = "{repository}" },
  { file = "values.yaml", key = "cilium.image.tag", value = "{tag}" },
  { file = "values.yaml", key = "cilium.image.digest", value = "{digest}" },
  { file = "images/cilium.tag", text = "{ref}" },
  { file = "../kamaji/values.yaml", key = "kamaji.extraArgs[0]", value = "--cilium-image={ref}" },
]
"#,
        )
        .chart("system/kamaji", "0.0.0")
        .file("packages/system/kamaji/values.yaml", "kamaji:\n  extraArgs:\n  - --cilium-image=old:v0@sha256:00\n  - --other\n")
        .script(
            "docker",
            r#"while [ $# -gt 0 ]; do [ "$1" = --metadata-file ] && meta=$2; shift; done
[ -f "$COZY_FAKE_DIR/fail" ] && { echo 'ERROR: failed to solve: process "/bin/sh -c make" did not complete' >&2; exit 1; }
if [ -f "$COZY_FAKE_DIR/no-digest" ]; then echo '{"buildx.build.ref":"x"}' > "$meta"; else printf '{"containerimage.digest":"%s"}' "$(cat "$COZY_FAKE_DIR/digest")" > "$meta"; fi"#,
        );
    std::fs::write(t.fake_dir().join("digest"), DIGEST).unwrap();
    t
}

fn read(t: &Project, rel: &str) -> String {
    std::fs::read_to_string(t.root().join(rel)).unwrap()
}

fn image(t: &Project, args: &[&str], envs: &[(&str, &str)]) -> crate::support::Outcome {
    let mut full = vec!["pkg", "image"];
    full.extend_from_slice(args);
    t.cozy_in(t.root(), full, envs)
}

#[test]
fn builds_with_the_standard_recipe_and_writes_back_every_shape() {
    let t = project();
    let out = image(
        &t,
        &["cilium"],
        &[("IMAGE_TAG", "pr-7-abc"), ("PUBLISH_VERSIONED", "1"), ("COZYSTACK_VERSION", "v1.6.0")],
    );
    out.code(0);
    let calls = t.calls();
    assert_eq!(calls.len(), 1);
    let args = calls[0].join(" ");
    let metadata = calls[0].iter().position(|arg| arg == "--metadata-file").unwrap() + 1;
    assert_eq!(
        args.replace(&calls[0][metadata], "[METADATA]"),
        "docker buildx build images/cilium --build-arg VERSION=v1.16.5 --tag registry.example/cozy/cilium:pr-7-abc --tag registry.example/cozy/cilium:1.16.5 --cache-from type=registry,ref=registry.example/cozy/cilium:buildcache --metadata-file [METADATA] --provenance=false --push=1 --load=0 --label org.opencontainers.image.source=https://github.com/cozystack/cozystack"
    );
    assert!(!calls[0][metadata].contains("packages/"), "the metadata file is outside the tree");
    let reference = format!("registry.example/cozy/cilium:pr-7-abc@{DIGEST}");
    assert_eq!(
        read(&t, "packages/system/cilium/values.yaml"),
        VALUES
            .replace("ghcr.io/cozystack/cozystack/cilium", "registry.example/cozy/cilium")
            .replace("tag: 1.16.3", "tag: pr-7-abc")
            .replace(
                "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                DIGEST
            )
    );
    assert_eq!(read(&t, "packages/system/cilium/images/cilium.tag"), format!("{reference}\n"));
    assert_eq!(
        read(&t, "packages/system/kamaji/values.yaml"),
        format!("kamaji:\n  extraArgs:\n  - --cilium-image={reference}\n  - --other\n")
    );
    assert!(
        out.stderr.starts_with(
            "building into registry.example/cozy with tag pr-7-abc (push=1, load=0)\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn environment_switches_and_flags() {
    let t = project();
    let out = image(
        &t,
        &["cilium", "--no-push", "--builder", "remote"],
        &[
            ("REGISTRY", "ghcr.io/me"),
            ("PUBLISH_FLOATING", "1"),
            ("WRITE_CACHE", "1"),
            ("SBOM", "1"),
            ("PLATFORM", "linux/amd64,linux/arm64"),
            ("BUILDX_EXTRA_ARGS", "--progress=plain --no-cache"),
        ],
    );
    out.code(0);
    let args = t.calls()[0].join(" ");
    for expected in [
        "--tag ghcr.io/me/cilium:dev --tag ghcr.io/me/cilium:latest",
        "--cache-to type=registry,ref=ghcr.io/me/cilium:buildcache,mode=max,oci-mediatypes=true,image-manifest=true",
        "--push=0 --load=0",
        "--sbom=true --builder=remote --platform=linux/amd64,linux/arm64 --progress=plain --no-cache",
    ] {
        assert!(args.contains(expected), "missing `{expected}` in {args}");
    }

    let out = image(&t, &["cilium"], &[("OCI_EXPORT_DIR", "out")]);
    out.code(2);
    assert!(
        out.stderr.contains("OCI_EXPORT_DIR must be an absolute path, not `out`"),
        "{}",
        out.stderr
    );
    let out = image(&t, &["cilium"], &[("OCI_EXPORT_DIR", "/srv/oci")]);
    out.code(0);
    let args = t.calls().last().unwrap().join(" ");
    assert!(
        args.contains("--output type=oci,dest=/srv/oci/cilium.oci.tar")
            && args.contains("--push=0"),
        "{args}"
    );
}

#[test]
fn failures_write_nothing() {
    let t = project();
    let before = (
        read(&t, "packages/system/cilium/values.yaml"),
        read(&t, "packages/system/kamaji/values.yaml"),
    );
    let unchanged = |t: &Project| {
        assert_eq!(
            (
                read(t, "packages/system/cilium/values.yaml"),
                read(t, "packages/system/kamaji/values.yaml")
            ),
            before
        );
        assert!(!t.root().join("packages/system/cilium/images/cilium.tag").exists());
    };

    std::fs::write(t.fake_dir().join("no-digest"), "").unwrap();
    let out = image(&t, &["cilium"], &[]);
    out.code(2);
    assert!(out.stderr.contains("buildx recorded no `containerimage.digest`"), "{}", out.stderr);
    unchanged(&t);
    std::fs::remove_file(t.fake_dir().join("no-digest")).unwrap();

    std::fs::write(t.fake_dir().join("fail"), "").unwrap();
    let out = image(&t, &["cilium"], &[]);
    out.code(2);
    assert!(out.stderr.contains("did not complete"), "{}", out.stderr);
    assert!(
        out.stderr.contains("image `cilium` was not built; nothing was written"),
        "{}",
        out.stderr
    );
    unchanged(&t);
    std::fs::remove_file(t.fake_dir().join("fail")).unwrap();

    // A write that cannot be applied (a missing key) stops all writes of the image.
    let t = t.file("packages/system/kamaji/values.yaml", "kamaji: {}\n");
    let out = image(&t, &["cilium"], &[]);
    out.code(2);
    assert!(
        out.stderr.contains("packages/system/kamaji/values.yaml:")
            && out.stderr.contains("kamaji.extraArgs"),
        "{}",
        out.stderr
    );
    assert_eq!(read(&t, "packages/system/cilium/values.yaml"), before.0);
}

#[test]
fn dry_run_prints_the_build_and_the_writes() {
    let t = project();
    let out = image(&t, &["--dry-run", "cilium"], &[]);
    out.code(0);
    assert!(out.stderr.contains("$ docker buildx build images/cilium --build-arg 'VERSION=v1.16.5' --tag registry.example/cozy/cilium:dev"), "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "would write packages/system/cilium/values.yaml: `cilium.image.digest` = <digest>\n"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("would write packages/system/cilium/images/cilium.tag: registry.example/cozy/cilium:dev@<digest>\n"), "{}", out.stderr);
    assert!(t.calls().is_empty());
    assert_eq!(read(&t, "packages/system/cilium/values.yaml"), VALUES);
}

#[test]
fn cozystack_version_must_be_known_when_used() {
    let t = project().file(
        "packages/system/cilium/cozy.toml",
        "[[image]]\nname = \"cilium\"\ncontext = \"//\"\nfile = \"images/cilium/Dockerfile\"\nversion_tag = \"v{cozystack_version}\"\nwrite = [{ file = \"values.yaml\", key = \"cilium.image.tag\", value = \"{tag}\" }]\n",
    );
    let out = image(&t, &["cilium"], &[]);
    out.code(2);
    assert!(out.stderr.contains("COZYSTACK_VERSION is not set and `git describe --tags --match 'v*'` found no tag; pass `--cozystack-version`"), "{}", out.stderr);
    let out =
        image(&t, &["cilium", "--cozystack-version", "v1.6.0"], &[("PUBLISH_VERSIONED", "1")]);
    out.code(0);
    let args = t.calls().last().unwrap().join(" ");
    assert!(args.starts_with("docker buildx build ../../.. --file images/cilium/Dockerfile --tag registry.example/cozy/cilium:dev --tag registry.example/cozy/cilium:v1.6.0 "), "{args}");
}

#[test]
fn lint_finds_two_producers_and_disallowed_targets() {
    let t = project().chart("system/other", "0.0.0").file(
        "packages/system/other/cozy.toml",
        "[[image]]\nname = \"other\"\nwrite = [\n  { file = \"../cilium/values.yaml\", key = \"cilium.image.tag\", value = \"{tag}\" },\n  { file = \"templates/deploy.yaml\", regex = \"image: .*\", replace = \"image: {ref}\" },\n]\n",
    );
    let out = t.cozy(["pkg", "lint"]);
    out.code(1);
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        errors,
        [
            "error: packages/system/other/cozy.toml: image `other` writes `packages/system/other/templates/deploy.yaml`, which is not values.yaml, images/*.tag or a declared `[image_refs] extra_files` entry",
            "error: packages/system/cilium/values.yaml `cilium.image.tag` has 2 producers: packages/system/cilium image `cilium`, packages/system/other image `other`",
        ]
    );
    let t = t.file("cozy.toml", "[workspace]\n[image_refs]\nextra_files = [\"packages/system/other/templates/deploy.yaml\"]\n");
    let out = t.cozy(["pkg", "lint"]);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn demo_platform_passes_lint() {
    let t = Project::new();
    let out = t.cozy_in(&repo_root(), ["pkg", "lint"], &[]);
    out.code(0);
}

#[test]
fn builder_create_wraps_buildx_create() {
    let t = Project::new().fake("docker");
    let out = t.cozy([
        "builder",
        "create",
        "--namespace",
        "buildkit",
        "--replicas",
        "2",
        "--platform",
        "linux/amd64,linux/arm64",
        "--use",
    ]);
    out.code(0);
    assert_eq!(
        t.calls(),
        [[
            "docker",
            "buildx",
            "create",
            "--name",
            "cozy",
            "--driver",
            "kubernetes",
            "--driver-opt",
            "namespace=buildkit,replicas=2",
            "--platform",
            "linux/amd64,linux/arm64",
            "--use",
            "--bootstrap"
        ]]
    );
}

#[test]
fn prepare_copies_into_the_context_and_cleans_up_and_after_steps_run() {
    let t = project()
        .real("gzip")
        .chart("core/platform", "0.0.0")
        .file("packages/system/etcd-operator-crds/Chart.yaml", "apiVersion: v2\nname: etcd-operator-crds\nversion: 0.1.0\n")
        .file("packages/system/etcd-operator-crds/templates/a.yaml", "kind: CustomResourceDefinition\n")
        .file("packages/system/etcd-operator-crds/templates/b.yaml", "kind: CustomResourceDefinition\n")
        .file("packages/core/platform/values.yaml", "migrations:\n  image: old\n")
        .file("packages/core/platform/files/components.yaml", "image: x\n")
        .file(
            "packages/core/platform/cozy.toml",
            r#"[[image]]
name = "platform-migrations"
context = "images/migrations"
prepare = [{ kind = "copy", from = "../../system/etcd-operator-crds/templates/*.yaml", to = "images/migrations/etcd-operator-crds/", cleanup = true }]
write = [{ file = "values.yaml", key = "migrations.image", value = "{ref}" }]
after = [{ kind = "gzip", src = "files/components.yaml", dest = "files/components.gz" }]
"#,
        )
        .script(
            "docker",
            r#"while [ $# -gt 0 ]; do [ "$1" = --metadata-file ] && meta=$2; shift; done
ls images/migrations/etcd-operator-crds > "$COZY_FAKE_DIR/context-listing"
printf '{"containerimage.digest":"%s"}' "$(cat "$COZY_FAKE_DIR/digest")" > "$meta""#,
        );
    let out = t.cozy(["pkg", "image", "platform"]);
    out.code(0);
    assert_eq!(
        std::fs::read_to_string(t.fake_dir().join("context-listing")).unwrap(),
        "a.yaml\nb.yaml\n"
    );
    assert!(
        !t.root()
            .join("packages/core/platform/images/migrations/etcd-operator-crds/a.yaml")
            .exists(),
        "prepare cleaned up"
    );
    assert_eq!(
        read(&t, "packages/core/platform/values.yaml"),
        format!("migrations:\n  image: registry.example/cozy/platform-migrations:dev@{DIGEST}\n")
    );
    assert!(t.root().join("packages/core/platform/files/components.gz").is_file());
}

#[test]
fn demo_cilium_argv_under_environment_combinations() {
    let t = Project::new();
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[],
            "docker buildx build images/cilium --tag ghcr.io/cozystack/cozystack/cilium:dev --cache-from 'type=registry,ref=ghcr.io/cozystack/cozystack/cilium:buildcache' --metadata-file [META] '--provenance=false' '--push=1' '--load=0' --label 'org.opencontainers.image.source=https://github.com/cozystack/cozystack'",
        ),
        (
            &[
                ("IMAGE_TAG", "pr-9-f00"),
                ("PUBLISH_VERSIONED", "1"),
                ("WRITE_CACHE", "1"),
                ("REGISTRY", "iad.ocir.io/x/cozystack"),
            ],
            "docker buildx build images/cilium --tag iad.ocir.io/x/cozystack/cilium:pr-9-f00 --tag iad.ocir.io/x/cozystack/cilium:1.16.3 --cache-from 'type=registry,ref=iad.ocir.io/x/cozystack/cilium:buildcache' --cache-to 'type=registry,ref=iad.ocir.io/x/cozystack/cilium:buildcache,mode=max,oci-mediatypes=true,image-manifest=true' --metadata-file [META] '--provenance=false' '--push=1' '--load=0' --label 'org.opencontainers.image.source=https://github.com/cozystack/cozystack'",
        ),
        (
            &[
                ("OCI_EXPORT_DIR", "/srv/oci"),
                ("PUBLISH_FLOATING", "1"),
                ("PLATFORM", "linux/arm64"),
                ("BUILDER", "k8s"),
            ],
            "docker buildx build images/cilium --tag ghcr.io/cozystack/cozystack/cilium:dev --output 'type=oci,dest=/srv/oci/cilium.oci.tar' --cache-from 'type=registry,ref=ghcr.io/cozystack/cozystack/cilium:buildcache' --metadata-file [META] '--provenance=false' '--push=0' '--load=0' --label 'org.opencontainers.image.source=https://github.com/cozystack/cozystack' '--builder=k8s' '--platform=linux/arm64'",
        ),
    ];
    let metadata = regex::Regex::new(r"--metadata-file \S+").unwrap();
    for (envs, expected) in cases {
        let out = t.cozy_in(&repo_root(), ["--dry-run", "pkg", "image", "cilium"], envs);
        out.code(0);
        let line = out
            .stderr
            .lines()
            .find(|line| line.starts_with("$ docker"))
            .expect("the build is printed");
        assert_eq!(metadata.replace(&line[2..], "--metadata-file [META]"), expected, "{envs:?}");
    }
}
