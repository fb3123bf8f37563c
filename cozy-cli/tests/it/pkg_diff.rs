//! `cozy pkg diff`: `--rev` with real git and real helm (random values masked, exit codes as
//! diff(1)), and the cluster diff with helm and kubectl test doubles.

use crate::support::Project;

const TEMPLATE: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-auth\nstringData:\n  password: {{ randAlphaNum 16 | quote }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n  token: {{ uuidv4 | quote }}\n";

fn repo() -> Project {
    let t = Project::new()
        .real("git")
        .real("helm")
        .file("cozy.toml", "[workspace]\n[render]\nkube_version = \"v1.33.4\"\n")
        .file("packages/apps/cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 0.0.0\n")
        .file("packages/apps/cache/values.yaml", "replicas: 2\n")
        .file("packages/apps/cache/templates/all.yaml", TEMPLATE)
        .file("packages/system/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "initial"]);
    t
}

#[test]
fn rev_diff_shows_real_changes_and_masks_random_values() {
    let t = repo();
    let out = t.cozy(["pkg", "diff", "--rev", "HEAD", "cache"]);
    out.code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "packages/apps/cache: no differences\n");

    let t = t.file("packages/apps/cache/values.yaml", "replicas: 3\n");
    let out = t.cozy(["pkg", "diff", "--rev", "HEAD"]);
    out.code(1);
    // The Secret's random password and the ConfigMap's uuid differ in every render: masked.
    assert_eq!(
        out.stdout,
        "packages/apps/cache:\ntenant-cache, cache, ConfigMap (v1) has changed:\n@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n-  replicas: '2'\n+  replicas: '3'\n   token: ~ <nondeterministic>\n kind: ConfigMap\n metadata:\n0 added, 1 changed, 0 removed\n"
    );
}

#[test]
fn rev_range_between_commits_and_json_output() {
    let t = repo().file("packages/apps/cache/values.yaml", "replicas: 5\n");
    t.git(&["commit", "-qam", "five replicas"]);
    let out = t.cozy(["pkg", "diff", "--rev", "HEAD~1..HEAD", "cache", "--output", "json"]);
    out.code(1);
    let entries = out.json();
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["key"], "tenant-cache, cache, ConfigMap (v1)");
    assert_eq!(entries[0]["change"], "changed");
    assert!(
        entries[0]["diff"].as_str().unwrap().contains("+  replicas: '5'"),
        "{}",
        entries[0]["diff"]
    );
    let out = t.cozy(["pkg", "diff", "--rev", "no-such-rev", "cache"]);
    out.code(2);
    assert!(out.stderr.contains("`git archive no-such-rev` failed"), "{}", out.stderr);
}

#[test]
fn cluster_diff_against_the_installed_release() {
    let t = Project::new()
        .file("packages/system/demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
        .script(
            "kubectl",
            r#"case "$*" in
  *"get helmreleases"*) echo '{"metadata":{"name":"demo","namespace":"cozy-demo"},"spec":{"values":{"a":1}}}' ;;
  *"api-versions"*) echo v1 ;;
  *"version"*) echo '{"serverVersion":{"gitVersion":"v1.32.5"}}' ;;
esac"#,
        )
        .script(
            "helm",
            r#"case "$1" in
  template) printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: "2"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\ndata:\n  password: bmV3\n' ;;
  get) if [ -f "$COZY_FAKE_DIR/installed" ]; then cat "$COZY_FAKE_DIR/installed"; else echo 'Error: release: not found' >&2; exit 1; fi ;;
esac"#,
        );
    std::fs::write(
        t.fake_dir().join("installed"),
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: cozy-demo\ndata:\n  a: \"1\"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: demo\n  labels:\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: cozy-demo\ndata:\n  password: b2xk\n",
    )
    .unwrap();
    let out = t.cozy(["pkg", "diff", "demo", "-U", "1"]);
    out.code(1);
    assert!(out.stdout.contains("cozy-demo, demo, ConfigMap (v1) has changed:\n@@ -2,3 +2,3 @@\n data:\n-  a: '1'\n+  a: '2'\n kind: ConfigMap\n"), "{}", out.stdout);
    assert!(out.stdout.contains("cozy-demo, demo, Secret (v1) has changed:"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("bmV3") && out.stdout.contains("<redacted sha256:"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("0 added, 2 changed, 0 removed\n"), "{}", out.stdout);
    let shown = t.cozy(["pkg", "diff", "demo", "--show-secrets"]);
    assert!(shown.stdout.contains("+  password: bmV3"), "{}", shown.stdout);

    std::fs::remove_file(t.fake_dir().join("installed")).unwrap();
    let out = t.cozy(["pkg", "diff", "demo"]);
    out.code(1);
    assert!(
        out.stderr.contains("release demo is not installed; everything is new"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.ends_with("2 added, 0 changed, 0 removed\n"), "{}", out.stdout);
}
