//! `--changed-since REF` with real git: direct hits, reverse dependents through `charts/`
//! symlinks, `file://` dependencies and `[deps] inputs`, full-rebuild globs.

use crate::support::Project;

/// library/cozy-lib used by apps/postgres (charts/ symlink) and apps/redis (file:// dependency);
/// system/dashboard lists apps/postgres's values as an input; system/cilium is unrelated.
fn platform() -> Project {
    let t = Project::new()
        .real("git")
        .file("cozy.toml", "[workspace]\nfull_rebuild = [\"hack/common-envs.mk\", \"api/**\"]\n")
        .file("packages/library/cozy-lib/Chart.yaml", "apiVersion: v2\nname: cozy-lib\nversion: 0.1.0\ntype: library\n")
        .file("packages/library/cozy-lib/templates/_helpers.tpl", "{{- define \"x\" -}}{{- end -}}\n")
        .chart("apps/postgres", "0.0.0")
        .symlink("packages/apps/postgres/charts/cozy-lib", "../../../library/cozy-lib")
        .file("packages/apps/postgres/values.yaml", "replicas: 2\n")
        .file(
            "packages/apps/redis/Chart.yaml",
            "apiVersion: v2\nname: redis\nversion: 0.0.0\ndependencies:\n- name: cozy-lib\n  version: 0.1.0\n  repository: file://../../library/cozy-lib\n",
        )
        .chart("system/dashboard", "0.1.0")
        .file("packages/system/dashboard/cozy.toml", "[deps]\ninputs = [\"../../apps/postgres/*.yaml\"]\n")
        .chart("system/cilium", "1.16.3")
        .file("docs/guide.md", "# guide\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "initial"]);
    t.git(&["checkout", "-qb", "feature"]);
    t
}

fn changed(t: &Project, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["pkg", "list", "-o", "json", "--changed-since", "main"];
    args.extend_from_slice(extra);
    let out = t.cozy(&args);
    out.code(0);
    out.json_paths()
}

#[test]
fn library_change_selects_the_library_and_every_dependent() {
    let t = platform().file(
        "packages/library/cozy-lib/templates/_helpers.tpl",
        "{{- define \"y\" -}}{{- end -}}\n",
    );
    t.git(&["commit", "-qam", "change the library"]);
    assert_eq!(
        changed(&t, &[]),
        [
            "packages/apps/postgres",
            "packages/apps/redis",
            "packages/library/cozy-lib",
            "packages/system/dashboard"
        ]
    );
    // Dependents are listed with the library in `dependencies`.
    let out = t.cozy(["pkg", "list", "-o", "json", "redis"]);
    assert_eq!(out.json()[0]["dependencies"], serde_json::json!(["cozy-lib"]));
}

#[test]
fn declared_inputs_select_their_owner() {
    let t = platform().file("packages/apps/postgres/values.yaml", "replicas: 3\n");
    t.git(&["commit", "-qam", "more replicas"]);
    assert_eq!(changed(&t, &[]), ["packages/apps/postgres", "packages/system/dashboard"]);
}

#[test]
fn unrelated_and_docs_changes() {
    let t = platform().file("docs/guide.md", "# guide v2\n");
    t.git(&["commit", "-qam", "docs"]);
    assert_eq!(changed(&t, &[]), Vec::<String>::new());
    let out = t.cozy(["pkg", "list", "--changed-since", "main"]);
    out.code(0);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "no packages selected\n");
    assert_eq!(t.cozy(["pkg", "list", "-o", "json", "--changed-since", "main"]).stdout, "[]\n");
}

#[test]
fn uncommitted_and_untracked_changes_count_unless_committed_only() {
    let t = platform().file("packages/system/cilium/values.yaml", "new: file\n");
    assert_eq!(changed(&t, &[]), ["packages/system/cilium"]);
    assert_eq!(changed(&t, &["--committed"]), Vec::<String>::new());
    let t = platform().file(
        "packages/system/cilium/Chart.yaml",
        "apiVersion: v2\nname: cilium\nversion: 1.16.4\n",
    );
    assert_eq!(changed(&t, &[]), ["packages/system/cilium"]);
}

#[test]
fn full_rebuild_glob_selects_everything_within_the_kind_filter() {
    let t = platform().file("api/types.go", "package api\n");
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "api"]);
    assert_eq!(changed(&t, &["--kind", "apps"]), ["packages/apps/postgres", "packages/apps/redis"]);
    assert_eq!(changed(&t, &[]).len(), 5);
}

#[test]
fn changed_since_combines_with_names() {
    let t = platform().file("packages/apps/redis/values.yaml", "a: 1\n");
    assert_eq!(changed(&t, &["cilium"]), ["packages/apps/redis", "packages/system/cilium"]);
}

#[test]
fn bad_reference_shows_the_git_command_and_its_stderr() {
    let t = platform();
    let out = t.cozy(["pkg", "list", "--changed-since", "no-such-branch"]);
    out.code(2);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines[0], "error: failed to list the files changed since `no-such-branch`");
    assert_eq!(
        lines[1],
        "  caused by: `git -C [ROOT] diff --name-only --relative no-such-branch...HEAD` failed with exit status 128"
    );
    assert_eq!(lines[2], "--- stderr");
    assert!(
        lines[3].starts_with("fatal: ambiguous argument 'no-such-branch...HEAD'"),
        "{}",
        out.stderr
    );
}

/// A platform shaped like cozystack's image units, for the build-matrix cases of
/// hack/build-matrix.sh (lifecycle.md §13).
fn units() -> Project {
    let image = |ci: bool| {
        format!(
            "[build]\nci = {ci}\n[[image]]\nname = \"x\"\nwrite = [{{ file = \"images/x.tag\", text = \"{{ref}}\" }}]\n"
        )
    };
    let t = Project::new()
        .real("git")
        .file(
            "cozy.toml",
            "[workspace]\n[build]\nunits = [\"packages/apps/mariadb\", \"packages/system/dashboard\", \"packages/system/objectstorage-controller\"]\n[select.image]\nfull_rebuild = [\"packages/library/**\", \"hack/common-envs.mk\"]\n",
        )
        .chart("apps/mariadb", "0.0.0")
        .file("packages/apps/mariadb/cozy.toml", &image(true))
        .chart("apps/postgres", "0.0.0")
        .file("packages/apps/postgres/values.yaml", "a: 1\n")
        .chart("system/dashboard", "0.0.0")
        .file("packages/system/dashboard/cozy.toml", &image(true))
        .chart("system/objectstorage-controller", "0.0.0")
        .file("packages/system/objectstorage-controller/cozy.toml", &format!("[deps]\ninputs = [\"../seaweedfs/**\"]\n{}", image(true)))
        .chart("system/seaweedfs", "0.0.0")
        .chart("system/kilo", "0.0.0")
        .file("packages/system/kilo/cozy.toml", &image(false))
        .chart("core/talos", "0.0.0")
        .file("packages/library/cozy-lib/Chart.yaml", "apiVersion: v2\nname: cozy-lib\nversion: 0.1.0\ntype: library\n")
        .file("docs/readme.md", "docs\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "initial"]);
    t
}

fn matrix(t: &Project) -> String {
    let out = t.cozy(["pkg", "list", "--changed-since", "HEAD", "--for", "image", "-o", "paths"]);
    out.code(0);
    out.stdout
}

#[test]
fn image_build_matrix_like_build_matrix_sh() {
    let t = units();
    assert_eq!(matrix(&t), "[]\n");
    let t = t
        .file("docs/readme.md", "more docs\n")
        .file("packages/core/talos/values.yaml", "x: 1\n")
        .file("packages/apps/postgres/values.yaml", "a: 2\n");
    assert_eq!(
        matrix(&t),
        "[]\n",
        "docs, talos (no image unit) and postgres values (no image) select nothing"
    );
    let t = t.file("packages/system/dashboard/values.yaml", "b: 1\n");
    assert_eq!(matrix(&t), "[\"packages/system/dashboard\"]\n");
    let t = t.file("packages/system/seaweedfs/values.yaml", "c: 1\n");
    assert_eq!(
        matrix(&t),
        "[\"packages/system/dashboard\",\"packages/system/objectstorage-controller\"]\n"
    );
    let t = t.file("packages/library/cozy-lib/templates/_x.tpl", "{{/* x */}}\n");
    assert_eq!(
        matrix(&t),
        "[\"packages/apps/mariadb\",\"packages/system/dashboard\",\"packages/system/objectstorage-controller\"]\n",
        "a library change rebuilds every unit, in units order; kilo is not in the CI set"
    );
}
