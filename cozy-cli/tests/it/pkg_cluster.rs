//! `cozy pkg apply | suspend | resume | delete | status` and the post-renderer, with kubectl
//! and helm test doubles that record every call.

use crate::support::Project;

const HR: &str = r#"{"metadata":{"name":"demo","namespace":"cozy-demo"},"spec":{"suspend":true,"values":{"a":1}},"status":{"conditions":[{"type":"Ready","status":"False","message":"upgrade retries exhausted"}]}}"#;

fn cluster(helm_version: &str) -> Project {
    let t = Project::new()
        .file("packages/system/demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
        .file("packages/system/demo/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n")
        .script(
            "kubectl",
            r#"case "$*" in
  *"get helmreleases"*) cat "$COZY_FAKE_DIR/hr.json" ;;
  *"config current-context"*) echo kind-dev ;;
esac"#,
        )
        .script(
            "helm",
            r#"case "$1" in
  version) echo "$COZY_FAKE_HELM_VERSION" ;;
  upgrade) [ -n "$HELM_PLUGINS" ] && cp "$HELM_PLUGINS/cozy-flux-labels/plugin.yaml" "$COZY_FAKE_DIR/plugin.yaml"; while [ $# -gt 0 ]; do [ "$1" = --values ] && cp "$2" "$COZY_FAKE_DIR/values.yaml"; shift; done ;;
esac"#,
        );
    std::fs::write(t.fake_dir().join("hr.json"), HR).unwrap();
    std::fs::write(t.fake_dir().join("version"), helm_version).unwrap();
    t
}

fn run(t: &Project, args: &[&str], version: &str) -> crate::support::Outcome {
    t.cozy_in(t.root(), args, &[("COZY_FAKE_HELM_VERSION", version)])
}

fn verbs(t: &Project) -> Vec<String> {
    t.calls()
        .iter()
        .map(|call| call.iter().take(3).cloned().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn suspend_resume_and_delete_patch_like_flux() {
    let t = cluster("v4.1.4+g05fa379");
    let out = run(&t, &["pkg", "suspend", "demo"], "");
    out.code(0);
    assert_eq!(out.stderr, "HelmRelease cozy-demo/demo suspended\n");
    let out = run(&t, &["pkg", "resume", "demo", "--context", "prod"], "");
    out.code(0);
    let calls = t.calls();
    assert_eq!(
        calls[0],
        [
            "kubectl",
            "patch",
            "helmreleases.helm.toolkit.fluxcd.io",
            "demo",
            "--namespace",
            "cozy-demo",
            "--type=merge",
            "--patch",
            r#"{"spec":{"suspend":true}}"#,
            "--field-manager=flux-client-side-apply"
        ]
    );
    assert_eq!(calls[1][..4], ["kubectl", "--context", "prod", "patch"]);
    assert_eq!(calls[1][10], r#"{"spec":{"suspend":null}}"#);

    let out = run(&t, &["pkg", "delete", "demo"], "");
    out.code(0);
    assert_eq!(
        verbs(&t)[2..],
        ["kubectl patch helmreleases.helm.toolkit.fluxcd.io", "helm uninstall demo"]
    );
    assert!(
        out.stderr.contains("release cozy-demo/demo uninstalled; its HelmRelease stays suspended"),
        "{}",
        out.stderr
    );
}

#[test]
fn dry_run_prints_the_changes_and_makes_none() {
    let t = cluster("");
    let out = run(&t, &["--dry-run", "pkg", "delete", "demo"], "");
    out.code(0);
    assert_eq!(
        out.stderr,
        "$ kubectl patch helmreleases.helm.toolkit.fluxcd.io demo --namespace cozy-demo '--type=merge' --patch '{\"spec\":{\"suspend\":true}}' '--field-manager=flux-client-side-apply'\n$ helm uninstall demo --namespace cozy-demo\n"
    );
    assert!(t.calls().is_empty(), "{:?}", t.calls());
}

#[test]
fn status_table() {
    let t = cluster("");
    let out = run(&t, &["pkg", "status", "demo"], "");
    out.code(0);
    assert_eq!(
        out.stdout,
        "PACKAGE               RELEASE         SUSPENDED  READY  MESSAGE\npackages/system/demo  cozy-demo/demo  true       False  upgrade retries exhausted\n"
    );
}

#[test]
fn apply_guards_the_context() {
    let t = cluster("").file("cozy.toml", "[workspace]\nkube_context = \"prod\"\n");
    let out = run(&t, &["pkg", "apply", "demo"], "v3.18.0");
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: kube context `kind-dev` is not the one this workspace pins (`prod`)\nhint: switch context, pass `--context`, or confirm with `--yes`\n"
    );
    let t = cluster("");
    let out = run(&t, &["pkg", "apply", "demo"], "v3.18.0");
    out.code(2);
    assert!(out.stderr.starts_with("error: refusing to apply to kube context `kind-dev` from a non-interactive run without `--context`\n"), "{}", out.stderr);
    assert!(
        !verbs(&t)
            .iter()
            .any(|call| call.starts_with("kubectl patch") || call.starts_with("helm upgrade"))
    );
}

#[test]
fn apply_with_helm3_uses_cozy_as_post_renderer_and_resumes() {
    let t = cluster("");
    let out =
        run(&t, &["pkg", "apply", "demo", "--context", "kind-dev", "--resume"], "v3.18.0+gcc58e3f");
    out.code(0);
    assert_eq!(
        out.stderr,
        "applying packages/system/demo as demo in namespace cozy-demo on context kind-dev\n"
    );
    assert_eq!(
        verbs(&t),
        [
            "kubectl --context kind-dev",
            "kubectl --context kind-dev",
            "helm version --short",
            "helm upgrade --install",
            "kubectl --context kind-dev"
        ]
    );
    let calls = t.calls();
    assert_eq!(calls[1][3..6], ["patch", "helmreleases.helm.toolkit.fluxcd.io", "demo"]);
    let upgrade = &calls[3];
    let renderer = upgrade.iter().position(|arg| arg == "--post-renderer").unwrap();
    assert!(upgrade[renderer + 1].ends_with("/cozy"), "{upgrade:?}");
    assert_eq!(
        upgrade[renderer + 2..],
        [
            "--post-renderer-args",
            "__post-render",
            "--post-renderer-args",
            "--name=demo",
            "--post-renderer-args",
            "--namespace=cozy-demo"
        ]
    );
    assert_eq!(std::fs::read_to_string(t.fake_dir().join("values.yaml")).unwrap(), "a: 1\n");
    assert_eq!(calls[4][10], r#"{"spec":{"suspend":null}}"#);
}

#[test]
fn apply_with_helm4_installs_a_post_renderer_plugin_and_leaves_the_release_suspended() {
    let t = cluster("");
    let out = run(&t, &["pkg", "apply", "demo", "--yes"], "v4.1.4+g05fa379");
    out.code(0);
    assert!(out.stderr.ends_with("HelmRelease cozy-demo/demo stays suspended; hand it back to Flux with `cozy pkg resume demo`\n"), "{}", out.stderr);
    let upgrade = t.calls().into_iter().find(|call| call[1] == "upgrade").unwrap();
    assert!(
        upgrade.windows(2).any(|pair| pair == ["--post-renderer", "cozy-flux-labels"]),
        "{upgrade:?}"
    );
    let plugin = std::fs::read_to_string(t.fake_dir().join("plugin.yaml")).unwrap();
    assert!(
        plugin.starts_with("apiVersion: v1\ntype: postrenderer/v1\nname: cozy-flux-labels\n"),
        "{plugin}"
    );
    assert!(
        plugin.contains("args: [\"__post-render\", \"--name=demo\", \"--namespace=cozy-demo\"]"),
        "{plugin}"
    );
}

#[test]
fn post_renderer_labels_stdin() {
    let t = Project::new();
    let out = t.cozy_with_stdin(
        t.root(),
        ["__post-render", "--name", "demo", "--namespace", "cozy-demo"],
        &[],
        "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n",
    );
    out.code(0);
    assert_eq!(
        out.stdout,
        "---\n# Source: demo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    helm.toolkit.fluxcd.io/name: demo\n    helm.toolkit.fluxcd.io/namespace: cozy-demo\n"
    );
}
