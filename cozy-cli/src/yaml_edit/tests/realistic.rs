//! The image write-backs of `pkg image` on values files shaped like Cozystack's.

use super::{assert_spliced, create, set};

const OLD_DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const NEW_DIGEST: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

const CILIUM: &str = r#"cilium:
  hubble:
    enabled: false
  # Overridden by `make image`; keep repository, tag and digest together.
  image:
    repository: ghcr.io/cozystack/cozystack/cilium
    tag: 1.17.4
    digest: "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    useDigest: true
  envoy:
    enabled: false # envoy runs as a DaemonSet elsewhere
  k8sServiceHost: localhost
  extraConfig:
    enable-policy-secrets-sync: "true"
    policy-secrets-namespace: cozy-cilium
"#;

#[test]
fn cilium_repository_tag_and_digest() {
    let new = set(CILIUM, "cilium.image.repository", "registry.example.org/mirror/cilium");
    assert_spliced(
        CILIUM,
        &new,
        "ghcr.io/cozystack/cozystack/cilium\n",
        "registry.example.org/mirror/cilium\n",
    );
    let new = set(&new, "cilium.image.tag", "1.17.5");
    let new = set(&new, "cilium.image.digest", NEW_DIGEST);
    let expected = CILIUM
        .replace("ghcr.io/cozystack/cozystack/cilium\n", "registry.example.org/mirror/cilium\n")
        .replace("tag: 1.17.4", "tag: 1.17.5")
        .replace(OLD_DIGEST, NEW_DIGEST);
    assert_eq!(new, expected);
    // A tag that reads as a number is quoted, as yq's strenv would.
    let new = set(CILIUM, "cilium.image.tag", "1.18");
    assert_spliced(CILIUM, &new, "tag: 1.17.4", "tag: \"1.18\"");
}

const KAMAJI: &str = "kamaji:
  etcd:
    deploy: false
  image:
    pullPolicy: IfNotPresent
    tag: v1.0.0@sha256:1111111111111111111111111111111111111111111111111111111111111111
    repository: ghcr.io/cozystack/cozystack/kamaji
  resources:
    limits:
      cpu: 200m
      memory: 500Mi
  extraArgs:
  - --migrate-image=ghcr.io/cozystack/cozystack/kamaji:v1.0.0@sha256:1111111111111111111111111111111111111111111111111111111111111111
  - --datastore=default # the shared etcd
";

#[test]
fn kamaji_tag_and_migrate_argument() {
    let tag = format!("v1.1.0@{NEW_DIGEST}");
    let new = set(KAMAJI, "kamaji.image.tag", &tag);
    let new = set(
        &new,
        "kamaji.extraArgs[0]",
        &format!("--migrate-image=ghcr.io/cozystack/cozystack/kamaji:{tag}"),
    );
    assert_eq!(new, KAMAJI.replace(&format!("v1.0.0@{OLD_DIGEST}"), &tag));
    assert!(
        new.contains("\n  - --migrate-image=ghcr.io/cozystack/cozystack/kamaji:v1.1.0@sha256:2222")
    );
}

const INSTALLER: &str = "cozystackOperator:
  # Deployment variant (talos, generic, hosted)
  variant: talos
  image: ghcr.io/cozystack/cozystack/cozystack-operator:v1.0.0@sha256:1111111111111111111111111111111111111111111111111111111111111111
  platformSourceUrl: 'oci://ghcr.io/cozystack/cozystack/cozystack-packages'
  platformSourceRef: 'digest=sha256:1111111111111111111111111111111111111111111111111111111111111111'
";

#[test]
fn installer_operator_image_and_platform_source() {
    let new = set(
        INSTALLER,
        "cozystackOperator.platformSourceUrl",
        "oci://registry.example.org/cozystack-packages",
    );
    assert_spliced(
        INSTALLER,
        &new,
        "'oci://ghcr.io/cozystack/cozystack/cozystack-packages'",
        "'oci://registry.example.org/cozystack-packages'",
    );
    let new = set(&new, "cozystackOperator.platformSourceRef", &format!("digest={NEW_DIGEST}"));
    assert!(new.contains(&format!("  platformSourceRef: 'digest={NEW_DIGEST}'\n")));
    let image = format!("ghcr.io/cozystack/cozystack/cozystack-operator:v1.1.0@{NEW_DIGEST}");
    let new = set(INSTALLER, "cozystackOperator.image", &image);
    assert_spliced(
        INSTALLER,
        &new,
        &format!("cozystack-operator:v1.0.0@{OLD_DIGEST}"),
        &format!("cozystack-operator:v1.1.0@{NEW_DIGEST}"),
    );
}

const CHART_GLOBALS: &str = "keycloak-operator:
  image:
    registry: ghcr.io
    repository: cozystack/cozystack/keycloak-operator
    tag: v26.0.0@sha256:1111111111111111111111111111111111111111111111111111111111111111
kube-ovn:
  global:
    registry:
      address: ghcr.io/cozystack/cozystack
    images:
      kubeovn:
        repository: kubeovn
        tag: v1.14.5@sha256:1111111111111111111111111111111111111111111111111111111111111111
";

#[test]
fn dashed_chart_keys_and_globals() {
    let new = set(CHART_GLOBALS, "keycloak-operator.image.tag", &format!("v26.1.0@{NEW_DIGEST}"));
    assert_spliced(
        CHART_GLOBALS,
        &new,
        &format!("v26.0.0@{OLD_DIGEST}"),
        &format!("v26.1.0@{NEW_DIGEST}"),
    );
    let new = set(CHART_GLOBALS, "kube-ovn.global.registry.address", "registry.example.org/mirror");
    assert_spliced(
        CHART_GLOBALS,
        &new,
        "ghcr.io/cozystack/cozystack\n",
        "registry.example.org/mirror\n",
    );
    let new =
        set(CHART_GLOBALS, "kube-ovn.global.images.kubeovn.tag", &format!("v1.14.6@{NEW_DIGEST}"));
    assert_spliced(
        CHART_GLOBALS,
        &new,
        &format!("v1.14.5@{OLD_DIGEST}"),
        &format!("v1.14.6@{NEW_DIGEST}"),
    );
}

#[test]
fn writing_all_keys_of_a_package_that_only_had_a_tag() {
    // keycloak-operator's fix (lifecycle §5.6): write registry, repository and tag, creating
    // what is missing.
    let old = "keycloak-operator:\n  image:\n    tag: v1@sha256:aa\n  replicas: 1\n";
    let new = create(old, "keycloak-operator.image.registry", "registry.example.org");
    let new = create(&new, "keycloak-operator.image.repository", "mirror/keycloak-operator");
    let new = set(&new, "keycloak-operator.image.tag", "v2@sha256:bb");
    assert_eq!(
        new,
        "keycloak-operator:\n  image:\n    tag: v2@sha256:bb\n    registry: registry.example.org\n    \
         repository: mirror/keycloak-operator\n  replicas: 1\n"
    );
}

#[test]
fn single_image_line_with_a_trailing_comment() {
    let old = "backupController:\n  image: ghcr.io/cozystack/cozystack/backup-controller:v1.0.0@sha256:aa # set by make image\n  replicas: 2\n";
    let new = set(
        old,
        "backupController.image",
        "ghcr.io/cozystack/cozystack/backup-controller:v1.1.0@sha256:bb",
    );
    assert_spliced(old, &new, "v1.0.0@sha256:aa", "v1.1.0@sha256:bb");
}
