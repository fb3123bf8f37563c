//! `cozy pkg list`: discovery, release identity, selection and the error cases.

use serde_json::json;

use crate::support::Project;

/// A tree as an unmigrated checkout has it: Chart.yaml files and nothing else.
fn charts_only() -> Project {
    Project::new()
        .chart("system/cilium", "1.16.3")
        .chart("system/bucket", "0.1.0")
        .chart("apps/bucket", "0.0.0")
        .chart("apps/postgres", "0.0.0")
        .chart("extra/info", "0.0.0")
        .chart("core/installer", "0.0.0")
        .file(
            "packages/library/cozy-lib/Chart.yaml",
            "apiVersion: v2\nname: cozy-lib\nversion: 0.1.0\ntype: library\n",
        )
        // Vendored charts are not packages.
        .chart("system/cilium/charts/cilium", "1.16.3")
        // A directory without Chart.yaml is not a package.
        .file("packages/system/README.md", "# system\n")
}

#[test]
fn charts_only_tree_lists_every_package_with_default_identity() {
    let t = charts_only();
    let out = t.cozy(["pkg", "list", "--output", "json"]);
    out.code(0);
    assert_eq!(out.stderr, "");
    let identity = |item: &serde_json::Value| {
        json!([
            item["kind"],
            item["name"],
            item["path"],
            item["release"],
            item["namespace"],
            item["mode"],
            item["release_origin"],
            item["chart_version"]
        ])
    };
    let rows: Vec<_> = out.json().as_array().unwrap().iter().map(identity).collect();
    assert_eq!(
        rows,
        [
            json!(["apps", "bucket", "packages/apps/bucket", null, null, "app", "caller", "0.0.0"]),
            json!([
                "apps",
                "postgres",
                "packages/apps/postgres",
                null,
                null,
                "app",
                "caller",
                "0.0.0"
            ]),
            json!([
                "core",
                "installer",
                "packages/core/installer",
                "installer",
                "cozy-installer",
                "helmrelease",
                "convention",
                "0.0.0"
            ]),
            json!(["extra", "info", "packages/extra/info", null, null, "app", "caller", "0.0.0"]),
            json!([
                "library",
                "cozy-lib",
                "packages/library/cozy-lib",
                null,
                null,
                "none",
                "convention",
                "0.1.0"
            ]),
            json!([
                "system",
                "bucket",
                "packages/system/bucket",
                "bucket",
                "cozy-bucket",
                "helmrelease",
                "convention",
                "0.1.0"
            ]),
            json!([
                "system",
                "cilium",
                "packages/system/cilium",
                "cilium",
                "cozy-cilium",
                "helmrelease",
                "convention",
                "1.16.3"
            ]),
        ]
    );
}

#[test]
fn table_is_aligned() {
    let t = Project::new().chart("system/cilium", "1.16.3").chart("apps/postgres", "0.0.0");
    let out = t.cozy(["pkg", "list"]);
    out.code(0);
    assert_eq!(
        out.stdout,
        "KIND    NAME      RELEASE  NAMESPACE    VERSION  PATH\n\
         apps    postgres  -        -            0.0.0    packages/apps/postgres\n\
         system  cilium    cilium   cozy-cilium  1.16.3   packages/system/cilium\n"
    );
}

#[test]
fn identity_from_manifest_and_platform_sources() {
    let t = Project::new()
        .chart("system/hetzner-robotlb", "0.1.0")
        .chart("system/vpa-crds", "0.1.0")
        .chart("core/platform", "0.0.0")
        .file("packages/system/vpa-crds/cozy.toml", "schema = 1\n[release]\nname = \"vertical-pod-autoscaler-crds\"\n")
        .file(
            "packages/core/platform/sources/robotlb.yaml",
            "apiVersion: cozystack.io/v1alpha1\nkind: PackageSource\nmetadata:\n  name: cozystack.robotlb\nspec:\n  variants:\n  - name: default\n    components:\n    - name: robotlb\n      path: system/hetzner-robotlb\n      install:\n        namespace: cozy-hetzner-robotlb\n",
        );
    let out = t.cozy(["pkg", "list", "-o", "json", "--kind", "system"]);
    out.code(0);
    let items = out.json();
    assert_eq!(items[0]["release"], "robotlb");
    assert_eq!(items[0]["namespace"], "cozy-hetzner-robotlb");
    assert_eq!(items[0]["release_origin"], "platform");
    assert_eq!(items[1]["release"], "vertical-pod-autoscaler-crds");
    assert_eq!(items[1]["namespace"], "cozy-vpa-crds");
    assert_eq!(items[1]["release_origin"], "manifest");
}

#[test]
fn selection_by_name_path_and_directory() {
    let t = charts_only();
    let paths = |args: &[&str]| {
        let mut full = vec!["pkg", "list", "-o", "json"];
        full.extend_from_slice(args);
        let out = t.cozy(&full);
        out.code(0);
        out.json_paths()
    };
    assert_eq!(paths(&["cilium"]), ["packages/system/cilium"]);
    assert_eq!(
        paths(&["system/bucket", "packages/apps/bucket/"]),
        ["packages/apps/bucket", "packages/system/bucket"]
    );
    assert_eq!(
        paths(&["--kind", "apps", "--kind", "extra"]),
        ["packages/apps/bucket", "packages/apps/postgres", "packages/extra/info"]
    );
    assert_eq!(paths(&["--all", "--kind", "core"]), ["packages/core/installer"]);
    let inside = t.cozy_in(
        &t.root().join("packages/system/cilium/charts/cilium"),
        ["pkg", "list", "-o", "json", "."],
        &[],
    );
    inside.code(0);
    assert_eq!(inside.json_paths(), ["packages/system/cilium"]);
}

#[test]
fn unknown_name_suggests_close_ones() {
    let t = charts_only();
    let out = t.cozy(["pkg", "list", "cilum"]);
    out.code(2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: no package named `cilum`\nhint: did you mean `cilium`?\nhint: `cozy pkg list` shows every package\n"
    );
    let out = t.cozy(["pkg", "list", "zzzz"]);
    assert_eq!(
        out.stderr,
        "error: no package named `zzzz`\nhint: `cozy pkg list` shows every package\n"
    );
}

#[test]
fn ambiguous_name_lists_both_paths() {
    let out = charts_only().cozy(["pkg", "list", "bucket"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: `bucket` is ambiguous: packages/apps/bucket, packages/system/bucket\nhint: name it by path, e.g. `apps/bucket`\n"
    );
}

#[test]
fn unknown_kind_and_path() {
    let t = charts_only();
    let out = t.cozy(["pkg", "list", "--kind", "sytem"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: no packages of kind `sytem`\nhint: kinds here: apps, core, extra, library, system\n"
    );
    let out = t.cozy(["pkg", "list", "system/nope"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: no package at `system/nope`\n"), "{}", out.stderr);
}

#[test]
fn malformed_manifest_is_exit_2_with_file_line_and_key() {
    let t = charts_only().file(
        "packages/system/cilium/cozy.toml",
        "schema = 1\n\n[build]\nci = true\n\n[[imagez]]\nname = \"cilium\"\n",
    );
    let out = t.cozy(["pkg", "list"]);
    out.code(2);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: packages/system/cilium/cozy.toml:6:3: unknown field `imagez`, expected one of `schema`, `release`, `vars`, `update`, `build`, `image`, `generate`, `test`, `render`, `deps`\n"
    );

    let t = charts_only().file("packages/system/cilium/cozy.toml", "[[update.step]]\nkind = \"helm-pull\"\nchart = \"cilium\"\n  version = \"1.16\"\n  repoo = \"x\"\n");
    let out = t.cozy(["pkg", "list"]);
    out.code(2);
    assert!(
        out.stderr.starts_with("error: packages/system/cilium/cozy.toml:5:3: unknown field `repoo`, expected one of `repo`, `oci`"),
        "{}",
        out.stderr
    );

    let t =
        charts_only().file("packages/apps/postgres/cozy.toml", "[release]\nmode = \"tenant\"\n");
    let out = t.cozy(["pkg", "list"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: packages/apps/postgres/cozy.toml:2:8: unknown variant `tenant`, expected one of `helmrelease`, `app`, `plain`, `none`\n"
    );
}

#[test]
fn malformed_workspace_manifest_is_exit_2() {
    let t = charts_only().file("cozy.toml", "[workspace]\nname = \"demo\"\nful_rebuild = []\n");
    let out = t.cozy(["pkg", "list"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: cozy.toml:3:1: unknown field `ful_rebuild`, expected one of `name`, `full_rebuild`, `kube_context`\n"
    );
}

#[test]
fn broken_chart_is_reported_and_the_rest_listed() {
    let t = charts_only()
        .file("packages/system/broken/Chart.yaml", "apiVersion: v2\nname: broken\n")
        .file("packages/system/garbled/Chart.yaml", "apiVersion: v2\nname: [garbled\n");
    let out = t.cozy(["pkg", "list"]);
    out.code(1);
    assert_eq!(out.stdout.lines().count(), 10, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "system   broken     broken     cozy-broken     -        packages/system/broken\n"
        ),
        "{}",
        out.stdout
    );
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors[0], "error: packages/system/broken/Chart.yaml:1:1: missing field `version`");
    assert!(
        errors[1].starts_with("error: packages/system/garbled/Chart.yaml:3:1: "),
        "{}",
        out.stderr
    );
    assert_eq!(errors.len(), 2);

    let out = t.cozy(["pkg", "list", "-o", "json"]);
    out.code(1);
    let items = out.json();
    let broken = items.as_array().unwrap().iter().find(|item| item["name"] == "broken").unwrap();
    assert_eq!(broken["error"], "packages/system/broken/Chart.yaml:1:1: missing field `version`");
    assert_eq!(broken["chart_version"], serde_json::Value::Null);
    let fine = items.as_array().unwrap().iter().find(|item| item["name"] == "cilium").unwrap();
    assert!(fine.get("error").is_none());
}

#[test]
fn not_inside_a_repository() {
    let t = Project::new().file("notes.txt", "nothing here\n");
    let out = t.cozy(["pkg", "list"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: not inside a cozy repository: looked for a `cozy.toml` with a `[workspace]` table or a `packages/<kind>/<name>/Chart.yaml` in `[ROOT]` and every parent directory\n\
         hint: run cozy inside a platform repository, or point at one with `-C DIR`\n"
    );
    let out = t.cozy(["-C", "no-such-dir", "pkg", "list"]);
    out.code(2);
    assert!(
        out.stderr.starts_with("error: cannot change to directory `[ROOT]/no-such-dir`"),
        "{}",
        out.stderr
    );
}

#[test]
fn workspace_manifest_marks_the_root_above_a_nested_checkout() {
    // The nearest `[workspace]` wins over a nearer directory that merely holds packages.
    let t = Project::new()
        .file("cozy.toml", "[workspace]\nname = \"outer\"\n")
        .chart("system/outer", "1.0.0")
        .chart("vendor/nested/packages/system/inner", "1.0.0");
    let out =
        t.cozy_in(&t.root().join("packages/vendor/nested"), ["pkg", "list", "-o", "json"], &[]);
    out.code(0);
    assert_eq!(out.json_paths(), ["packages/system/outer"]);
}

#[test]
fn color_only_when_asked_or_forced() {
    let t = Project::new().chart("system/cilium", "1.0.0");
    let plain = t.cozy(["pkg", "list"]);
    assert!(!plain.stdout.contains('\u{1b}'), "{:?}", plain.stdout);
    let always = t.cozy(["--color", "always", "pkg", "list"]);
    assert!(always.stdout.starts_with("\u{1b}[1mKIND"), "{:?}", always.stdout);
    // The harness sets NO_COLOR=1, which beats FORCE_COLOR; an empty NO_COLOR does not count.
    let forced = t.cozy_in(t.root(), ["pkg", "list"], &[("FORCE_COLOR", "1")]);
    assert!(!forced.stdout.contains('\u{1b}'), "{:?}", forced.stdout);
    let forced = t.cozy_in(t.root(), ["pkg", "list"], &[("FORCE_COLOR", "1"), ("NO_COLOR", "")]);
    assert!(forced.stdout.contains('\u{1b}'), "{:?}", forced.stdout);
}
