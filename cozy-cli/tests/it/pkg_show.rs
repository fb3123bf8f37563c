//! `cozy pkg show`: `--plain` against real helm (the output must equal raw `helm template`),
//! and the HelmRelease path with a kubectl test double: Flux's value precedence and labels.

use std::process::Command;

use crate::support::{Project, real_tool};

const CHART: &str = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";
const TEMPLATE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  # a comment helm keeps\n  labels:\n    app: demo\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  domain: {{ (.Values._cluster | default dict).domain | default \"none\" | quote }}\n  tag: {{ .Values.image.tag | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n";

fn demo() -> Project {
    Project::new()
        .file("cozy.toml", "[workspace]\n[render]\nkube_version = \"v1.33.4\"\n")
        .file("packages/system/demo/Chart.yaml", CHART)
        .file("packages/system/demo/values.yaml", "replicas: 1\nimage:\n  tag: v1\n")
        .file("packages/system/demo/values-talos.yaml", "image:\n  tag: v1-talos\n")
        .file("packages/system/demo/templates/cm.yaml", TEMPLATE)
}

#[test]
fn plain_output_equals_raw_helm_template() {
    let t = demo().real("helm").file("extra.yaml", "replicas: 5\n");
    let out =
        t.cozy(["pkg", "show", "demo", "--plain", "-f", "extra.yaml", "--set", "image.tag=v2"]);
    out.code(0);
    let raw = Command::new(real_tool("helm"))
        .args(["template", "demo"])
        .arg(t.root().join("packages/system/demo"))
        .args(["--namespace", "cozy-demo", "--no-hooks", "--kube-version", "v1.33.4", "-f"])
        .arg(t.root().join("extra.yaml"))
        .args(["--set", "image.tag=v2"])
        .env("HOME", t.root())
        .output()
        .unwrap();
    assert!(raw.status.success(), "{}", String::from_utf8_lossy(&raw.stderr));
    assert_eq!(out.stdout, String::from_utf8(raw.stdout).unwrap());
    assert!(
        out.stdout.contains("replicas: \"5\"")
            && out.stdout.contains("tag: \"v2\"")
            && out.stdout.contains("kube: \"v1.33.4\""),
        "{}",
        out.stdout
    );
}

#[test]
fn plain_output_with_helm_3_equals_raw_helm_3_template() {
    let helm3 = crate::support::repo_root().join(".tools/helm3/helm");
    assert!(
        helm3.is_file(),
        "run scripts/install-test-tools.sh (installs helm 3.18 into .tools/helm3)"
    );
    let t = demo();
    let out = t.cozy_in(
        t.root(),
        ["pkg", "show", "demo", "--plain"],
        &[("COZY_HELM", helm3.to_str().unwrap())],
    );
    out.code(0);
    let raw = Command::new(&helm3)
        .args(["template", "demo"])
        .arg(t.root().join("packages/system/demo"))
        .args(["--namespace", "cozy-demo", "--no-hooks", "--kube-version", "v1.33.4"])
        .env("HOME", t.root())
        .output()
        .unwrap();
    assert!(raw.status.success(), "{}", String::from_utf8_lossy(&raw.stderr));
    assert_eq!(out.stdout, String::from_utf8(raw.stdout).unwrap());
}

#[test]
fn apps_need_a_name_and_library_charts_refuse() {
    let t = demo()
        .file("packages/apps/pg/Chart.yaml", "apiVersion: v2\nname: pg\nversion: 0.0.0\n")
        .file(
            "packages/library/lib/Chart.yaml",
            "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
        );
    let out = t.cozy(["pkg", "show", "pg", "--plain"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: packages/apps/pg: no release name and namespace\nhint: apps are instantiated per tenant: pass `--name NAME --namespace NAMESPACE`\n"), "{}", out.stderr);
    let out = t.cozy(["pkg", "show", "lib"]);
    out.code(2);
    assert!(
        out.stderr.starts_with("error: packages/library/lib: not installable"),
        "{}",
        out.stderr
    );
}

/// A HelmRelease as kubectl prints it: valuesFiles by annotation, valuesFrom a Secret, values.
const HELMRELEASE: &str = r#"{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"demo","namespace":"cozy-demo","annotations":{"cozyhr.cozystack.io/values-files":"values.yaml, values-talos.yaml"}},"spec":{"valuesFrom":[{"kind":"Secret","name":"cozystack-values"}],"values":{"replicas":3}}}"#;
/// `cozystack-values` with `values.yaml: "_cluster: {domain: cozy.local}\nreplicas: 2\n"`.
const SECRET: &str = r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"cozystack-values"},"data":{"values.yaml":"X2NsdXN0ZXI6IHtkb21haW46IGNvenkubG9jYWx9CnJlcGxpY2FzOiAyCg=="}}"#;

fn with_cluster(t: Project) -> Project {
    // The kubectl double serves the HelmRelease, the Secret and the server's capabilities.
    let t = t.script(
        "kubectl",
        r#"case "$*" in
  *"get helmreleases.helm.toolkit.fluxcd.io demo"*) cat "$COZY_FAKE_DIR/hr.json" ;;
  *"get secret cozystack-values"*) cat "$COZY_FAKE_DIR/secret.json" ;;
  *"get "*) echo 'Error from server (NotFound): not found' >&2; exit 1 ;;
  *"api-versions"*) printf 'v1\napps/v1\nmonitoring.coreos.com/v1\n' ;;
  *"api-resources"*) printf 'NAME              SHORTNAMES   APIVERSION                 NAMESPACED   KIND             VERBS\nservicemonitors                monitoring.coreos.com/v1   true         ServiceMonitor   get,list\n' ;;
  *"version"*) echo '{"serverVersion":{"gitVersion":"v1.32.5"}}' ;;
esac"#,
    );
    std::fs::write(t.fake_dir().join("hr.json"), HELMRELEASE).unwrap();
    std::fs::write(t.fake_dir().join("secret.json"), SECRET).unwrap();
    t
}

#[test]
fn helmrelease_values_compose_like_flux_and_labels_are_added() {
    // helm cannot reach a cluster here, so a double plays `helm template`: it keeps the chart's
    // values.yaml and the user values it was given, and prints a fixed stream.
    let t = with_cluster(demo()).script(
        "helm",
        r#"chart=$3; while [ $# -gt 0 ]; do [ "$1" = --values ] && cp "$2" "$COZY_FAKE_DIR/user-values.yaml"; shift; done
cp "$chart/values.yaml" "$COZY_FAKE_DIR/chart-values.yaml"
printf -- '---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: "1"\n'"#,
    );
    let out = t.cozy(["pkg", "show", "demo"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: cozy-demo\ndata:\n  a: \"1\"\n"
    );
    let read = |name: &str| std::fs::read_to_string(t.fake_dir().join(name)).unwrap();
    // valuesFiles are the chart defaults (values-talos merged over values.yaml) ...
    assert_eq!(read("chart-values.yaml"), "replicas: 1\nimage:\n  tag: v1-talos\n");
    // ... and spec.values beats valuesFrom.
    assert_eq!(read("user-values.yaml"), "_cluster:\n  domain: cozy.local\nreplicas: 3\n");
    let calls = t.calls();
    let helm = calls.iter().find(|call| call[0] == "helm").unwrap();
    assert!(helm.windows(2).any(|pair| pair == ["--kube-version", "v1.32.5"]), "{helm:?}");
    assert!(
        helm.windows(2).any(|pair| pair == ["--api-versions", "monitoring.coreos.com/v1"]),
        "{helm:?}"
    );
    assert!(
        helm.contains(&"--dry-run=server".to_owned()) && helm.contains(&"--no-hooks".to_owned()),
        "{helm:?}"
    );
}

#[test]
fn missing_helmrelease_and_secret_are_clear_errors() {
    let t = with_cluster(demo());
    std::fs::write(
        t.fake_dir().join("hr.json"),
        HELMRELEASE.replace("cozystack-values", "missing-values"),
    )
    .unwrap();
    let out = t.cozy(["pkg", "show", "demo"]);
    out.code(2);
    assert!(
        out.stderr.contains("could not resolve Secret chart values reference 'cozy-demo/missing-values' with key 'values.yaml': resource not found"),
        "{}",
        out.stderr
    );
    let out = t.cozy(["pkg", "show", "demo", "--name", "other"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: HelmRelease `cozy-demo/other` (helm.toolkit.fluxcd.io) not found\nhint: render from the package alone with `--plain`\n"), "{}", out.stderr);
}

#[test]
fn target_path_references_beat_spec_values() {
    let t = with_cluster(demo()).script(
        "kubectl",
        r#"case "$*" in
  *"get helmreleases.helm.toolkit.fluxcd.io demo"*) echo '{"metadata":{"name":"demo","namespace":"cozy-demo"},"spec":{"valuesFrom":[{"kind":"ConfigMap","name":"cluster","valuesKey":"domain","targetPath":"_cluster.domain"},{"kind":"ConfigMap","name":"missing","optional":true}],"values":{"_cluster":{"domain":"from-spec","keep":true},"replicas":3}}}' ;;
  *"get configmap cluster"*) echo '{"data":{"domain":"cozy.example"}}' ;;
  *"get "*) echo 'Error from server (NotFound): not found' >&2; exit 1 ;;
  *"api-versions"*) echo v1 ;;
  *"version"*) echo '{"serverVersion":{"gitVersion":"v1.32.5"}}' ;;
esac"#,
    )
    .script("helm", r#"while [ $# -gt 0 ]; do [ "$1" = --values ] && cp "$2" "$COZY_FAKE_DIR/user-values.yaml"; shift; done"#);
    t.cozy(["pkg", "show", "demo"]).code(0);
    assert_eq!(
        std::fs::read_to_string(t.fake_dir().join("user-values.yaml")).unwrap(),
        "_cluster:\n  domain: cozy.example\n  keep: true\nreplicas: 3\n"
    );
}
