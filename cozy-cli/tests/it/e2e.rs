//! Opt-in end-to-end run against a real cluster with Flux and a cozystack-style platform:
//! `COZY_E2E_KUBECONFIG=~/.kube/config COZY_E2E_ROOT=/path/to/platform COZY_E2E_PACKAGE=cilium
//! cargo test --test it e2e`. Without those variables it does nothing (no cluster here).

use std::path::PathBuf;

use crate::support::{Project, real_tool};

#[test]
fn show_diff_apply_resume_against_a_real_cluster() {
    #[expect(
        clippy::disallowed_methods,
        reason = "the opt-in switch is the test's own environment"
    )]
    let (Ok(kubeconfig), Ok(root), Ok(package)) = (
        std::env::var("COZY_E2E_KUBECONFIG"),
        std::env::var("COZY_E2E_ROOT"),
        std::env::var("COZY_E2E_PACKAGE"),
    ) else {
        return;
    };
    let t = Project::new().real("helm").real("kubectl").real("git");
    let root = PathBuf::from(root);
    let helm = real_tool("helm").display().to_string();
    let envs = [("KUBECONFIG", kubeconfig.as_str()), ("COZY_HELM", helm.as_str())];
    let args = |verb: &str, extra: &[&str]| -> Vec<String> {
        let mut all: Vec<String> =
            ["pkg", verb, &package, "--kubeconfig", &kubeconfig].map(str::to_owned).to_vec();
        all.extend(extra.iter().map(|arg| (*arg).to_owned()));
        all
    };
    let show = t.cozy_in(&root, args("show", &[]), &envs);
    show.code(0);
    assert!(show.stdout.contains("helm.toolkit.fluxcd.io/name:"), "{}", show.stdout);
    let diff = t.cozy_in(&root, args("diff", &[]), &envs);
    assert!(diff.code == 0 || diff.code == 1, "{}", diff.stderr);
    t.cozy_in(&root, args("apply", &["--yes", "--resume"]), &envs).code(0);
    let status = t.cozy_in(&root, args("status", &[]), &envs);
    status.code(0);
    assert!(status.stdout.contains("false"), "the HelmRelease is resumed: {}", status.stdout);
}
