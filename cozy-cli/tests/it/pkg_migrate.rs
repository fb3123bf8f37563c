//! `cozy pkg migrate`: Makefiles written as cozy.toml, leftovers reported, files protected.

use crate::support::Project;

const MAKEFILE: &str = r#"CILIUM_TAG=$(shell awk '$$1 == "version:" {print $$2}' charts/cilium/Chart.yaml)

export NAME=cilium
export NAMESPACE=cozy-$(NAME)

include ../../../hack/common-envs.mk
include ../../../hack/package.mk

update:
	rm -rf charts
	helm repo add cilium https://helm.cilium.io/
	helm repo update cilium
	helm pull cilium/cilium --untar --untardir charts --version 1.19
	$(SED_INPLACE) -e '/Used in iptables/d' -e '/SYS_MODULE/d' charts/cilium/values.yaml
	patch --forward --no-backup-if-mismatch -p1 < patches/agent.diff

image:
	docker buildx build images/cilium \
		$(call image-tags,cilium,$(CILIUM_TAG)) \
		$(call cache-args,cilium) \
		--metadata-file images/cilium.json \
		$(BUILDX_ARGS)
	REPOSITORY="$(REGISTRY)/cilium" \
		yq -i '.cilium.image.repository = strenv(REPOSITORY)' values.yaml
	TAG=$(IMAGE_TAG) \
		yq -i '.cilium.image.tag = strenv(TAG)' values.yaml
	DIGEST=$$(yq e '."containerimage.digest"' images/cilium.json -o json -r) \
		yq -i '.cilium.image.digest = strenv(DIGEST)' values.yaml
	rm -f images/cilium.json

test:
	helm unittest .
"#;

const EXPECTED: &str = r#"# Migrated from Makefile by cozy pkg migrate
schema = 1

[release]
name = "cilium"
namespace = "cozy-cilium"

[vars.cilium_version]
chart = "charts/cilium"
field = "version"

[[update.step]]
kind = "helm-pull"
repo = "https://helm.cilium.io/"
chart = "cilium"
version = "1.19"
clean = ["charts"]

[[update.step]]
kind = "replace"
file = "charts/cilium/values.yaml"
delete_lines = ["Used in iptables", "SYS_MODULE"]

[[update.step]]
kind = "patch"
file = "patches/agent.diff"
strip = 1

[[image]]
name = "cilium"
context = "images/cilium"
version_tag = "{var:cilium_version}"

[[image.write]]
file = "values.yaml"
key = "cilium.image.repository"
value = "{repository}"

[[image.write]]
file = "values.yaml"
key = "cilium.image.tag"
value = "{tag}"

[[image.write]]
file = "values.yaml"
key = "cilium.image.digest"
value = "{digest}"

[test]
unittest = true
"#;

fn project() -> Project {
    Project::new()
        .file("cozy.toml", "[workspace]\n")
        .chart("system/cilium", "1.0.0")
        .file("packages/system/cilium/Makefile", MAKEFILE)
}

fn read(t: &Project, rel: &str) -> String {
    std::fs::read_to_string(t.root().join(rel)).unwrap()
}

#[test]
fn system_package_is_fully_migrated_and_idempotent() {
    let t = project();
    let out = t.cozy(["pkg", "migrate", "cilium"]);
    out.code(0);
    assert_eq!(
        out.stderr,
        "wrote packages/system/cilium/cozy.toml (fully migrated)\n1 packages: 1 fully migrated, 0 partly, 0 not\n"
    );
    let first = read(&t, "packages/system/cilium/cozy.toml");
    assert_eq!(first, EXPECTED);
    cozy::manifest::PackageManifest::parse(&first).unwrap();
    t.cozy(["pkg", "migrate", "cilium", "--force"]).code(0);
    assert_eq!(read(&t, "packages/system/cilium/cozy.toml"), first);
}

#[test]
fn leftovers_are_reported_with_their_line() {
    let t = project().chart("system/kamaji", "1.0.0").file(
        "packages/system/kamaji/Makefile",
        "export NAME=kamaji\n\nupdate:\n\trm -rf charts\n\tcurl -sSL https://x/a.tar.gz | tar -xzvf - --strip 1\n\ntest:\n\thelm unittest .\n",
    );
    let out = t.cozy(["pkg", "migrate", "kamaji", "cilium"]);
    out.code(1);
    assert_eq!(
        out.stderr,
        "wrote packages/system/cilium/cozy.toml (fully migrated)\n\
         warning: packages/system/kamaji/Makefile:5: [update] `curl -sSL https://x/a.tar.gz | tar -xzvf - --strip 1`: a shell pipeline or command list has no update step\n\
         wrote packages/system/kamaji/cozy.toml (partly migrated)\n\
         2 packages: 1 fully migrated, 1 partly, 0 not\n"
    );
    assert_eq!(
        read(&t, "packages/system/kamaji/cozy.toml"),
        "# Migrated from Makefile by cozy pkg migrate\nschema = 1\n\n[release]\nname = \"kamaji\"\n\n[[update.step]]\nkind = \"remove\"\npaths = [\"charts\"]\n\n[test]\nunittest = true\n"
    );
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let t = project();
    let out = t.cozy(["--dry-run", "pkg", "migrate", "cilium"]);
    out.code(0);
    assert_eq!(out.stdout, EXPECTED);
    assert_eq!(
        out.stderr,
        "would write packages/system/cilium/cozy.toml (fully migrated)\n1 packages: 1 fully migrated, 0 partly, 0 not\n"
    );
    assert!(!t.root().join("packages/system/cilium/cozy.toml").exists());
}

#[test]
fn existing_manifest_is_kept_without_force() {
    let t = project().file("packages/system/cilium/cozy.toml", "schema = 1\n");
    let out = t.cozy(["pkg", "migrate", "cilium"]);
    out.code(1);
    assert_eq!(
        out.stderr,
        "warning: packages/system/cilium/cozy.toml exists; left alone (use --force to overwrite)\n1 packages: 0 fully migrated, 0 partly, 1 not\n"
    );
    assert_eq!(read(&t, "packages/system/cilium/cozy.toml"), "schema = 1\n");
    t.cozy(["pkg", "migrate", "cilium", "--force"]).code(0);
    assert_eq!(read(&t, "packages/system/cilium/cozy.toml"), EXPECTED);
}

#[test]
fn lines_after_a_left_build_say_which_build_they_belong_to() {
    // An older recipe with hand-written `--tag` flags: the build is left, and so is everything
    // that belongs to it, each naming the build line rather than a misleading reason.
    let legacy = MAKEFILE.replace(
        "\t\t$(call image-tags,cilium,$(CILIUM_TAG)) \\\n",
        "\t\t--tag $(REGISTRY)/cilium:$(CILIUM_TAG) \\\n",
    );
    assert_ne!(legacy, MAKEFILE);
    let t = project().file("packages/system/cilium/Makefile", &legacy);
    let out = t.cozy(["pkg", "migrate", "cilium", "--dry-run"]);
    out.code(1);
    let build_line = legacy.lines().position(|l| l.contains("docker buildx build")).unwrap() + 1;
    let belongs =
        format!("belongs to the `docker buildx build` of line {build_line}, which was left");
    let followers: Vec<&str> = out.stderr.lines().filter(|l| l.contains(&belongs)).collect();
    assert_eq!(followers.len(), 4, "three write-backs and the rm: {}", out.stderr);
    assert!(out.stderr.contains("1 partly"), "{}", out.stderr);
}
