//! `cozy pkg new`: packages from the repository's `templates/`, generated and listed.

use crate::support::{Project, repo_root};

fn with_templates() -> Project {
    let mut t = Project::new().file("cozy.toml", "[workspace]\n");
    for entry in walkdir::WalkDir::new(repo_root().join("templates")).min_depth(1) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(repo_root()).unwrap().to_str().unwrap().to_owned();
            t = t.file(&rel, &std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    t
}

#[test]
fn new_app_is_generated_and_listed() {
    let t = with_templates();
    let out = t.cozy(["pkg", "new", "apps/cache"]);
    out.code(0);
    assert_eq!(
        out.stderr,
        "created packages/apps/cache from templates/app\nwrote packages/apps/cache/values.schema.json\nwrote packages/apps/cache/README.md\n"
    );
    let chart = std::fs::read_to_string(t.root().join("packages/apps/cache/Chart.yaml")).unwrap();
    assert!(chart.starts_with("apiVersion: v2\nname: cache\n"), "{chart}");
    t.cozy(["generate", "--check", "cache"]).code(0);
    let listed = t.cozy(["pkg", "list", "-o", "json"]);
    assert_eq!(listed.json_paths(), ["packages/apps/cache"]);
    assert_eq!(listed.json()[0]["mode"], "app");
}

#[test]
fn refuses_to_overwrite_and_bad_names() {
    let t = with_templates();
    t.cozy(["pkg", "new", "system/my-operator"]).code(0);
    let before =
        std::fs::read_to_string(t.root().join("packages/system/my-operator/values.yaml")).unwrap();
    let out = t.cozy(["pkg", "new", "system/my-operator", "--template", "app"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: packages/system/my-operator already exists; cozy pkg new never overwrites\n"
    );
    assert_eq!(
        std::fs::read_to_string(t.root().join("packages/system/my-operator/values.yaml")).unwrap(),
        before
    );
    let out = t.cozy(["pkg", "new", "Apps/Bad_Name"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: `Apps/Bad_Name` is not KIND/NAME"), "{}", out.stderr);
    let out = t.cozy(["pkg", "new", "apps/x", "--template", "nope"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: no template `templates/nope`"), "{}", out.stderr);
}
