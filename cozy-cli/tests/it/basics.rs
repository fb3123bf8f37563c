//! `--version`, `--help`, `cozy schema`, and the demo platform from anywhere in the checkout.

use crate::support::{Project, repo_root};

#[test]
fn version_and_help() {
    let t = Project::new();
    let out = t.cozy(["--version"]);
    out.code(0);
    assert_eq!(out.stdout, format!("cozy {}\n", env!("CARGO_PKG_VERSION")));
    let out = t.cozy(["--help"]);
    out.code(0);
    for word in ["pkg", "schema", "-C <DIR>", "--dry-run", "--verbose"] {
        assert!(out.stdout.contains(word), "--help lacks {word}:\n{}", out.stdout);
    }
    t.cozy(["pkg", "lisst"]).code(2);
}

#[test]
fn schema_is_json_schema_of_the_manifest() {
    let t = Project::new();
    let out = t.cozy(["schema"]);
    out.code(0);
    let schema = out.json();
    assert_eq!(schema["title"], "cozy package manifest (PKG/cozy.toml)");
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["properties"]["image"].is_object());
    let out = t.cozy(["schema", "--workspace"]);
    out.code(0);
    assert_eq!(out.json()["required"], serde_json::json!(["workspace"]));
    let out = t.cozy(["schema", "--talos"]);
    out.code(0);
    let schema = out.json();
    assert_eq!(schema["title"], "cozy Talos build configuration (packages/core/talos/talos.toml)");
    assert!(schema["properties"]["variant"].is_object());
    t.cozy(["schema", "--talos", "--workspace"]).code(2);
}

#[test]
fn demo_platform_lists_from_any_subdirectory_and_with_dash_c() {
    let repo = repo_root();
    let t = Project::new();
    let from_root = t.cozy_in(&repo, ["pkg", "list"], &[]);
    from_root.code(0);
    let nested = t.cozy_in(&repo.join("packages/apps/postgres/templates"), ["pkg", "list"], &[]);
    nested.code(0);
    assert_eq!(nested.stdout, from_root.stdout);
    let elsewhere = t.cozy(["-C", repo.join("packages/system").to_str().unwrap(), "pkg", "list"]);
    elsewhere.code(0);
    assert_eq!(elsewhere.stdout, from_root.stdout);

    let lines: Vec<&str> = from_root.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["KIND", "NAME", "RELEASE", "NAMESPACE", "VERSION", "PATH"]
    );
    let cilium =
        lines.iter().find(|line| line.ends_with("packages/system/cilium")).expect("cilium row");
    assert_eq!(
        cilium.split_whitespace().collect::<Vec<_>>(),
        ["system", "cilium", "cilium", "cozy-cilium", "0.0.0", "packages/system/cilium"]
    );
    for kind in ["core", "system", "apps", "library"] {
        assert!(lines.iter().any(|line| line.starts_with(kind)), "no {kind} package in the demo");
    }
}

#[test]
fn demo_apps_depend_on_the_library() {
    let t = Project::new();
    let out = t.cozy_in(&repo_root(), ["pkg", "list", "--kind", "apps", "--output", "json"], &[]);
    out.code(0);
    for app in out.json().as_array().unwrap() {
        assert_eq!(app["dependencies"], serde_json::json!(["cozy-lib"]), "{app}");
        assert_eq!(app["mode"], "app");
    }
}

#[test]
fn demo_platform_generated_files_are_fresh() {
    let t = Project::new();
    let out = t.cozy_in(&repo_root(), ["generate", "--all", "--check"], &[]);
    out.code(0);
    assert_eq!(out.stdout, "", "run `cozy generate --all` in the demo platform");
}

#[test]
fn completions_for_each_shell() {
    let t = Project::new();
    for (shell, marker) in
        [("bash", "_cozy()"), ("zsh", "#compdef cozy"), ("fish", "complete -c cozy")]
    {
        let out = t.cozy(["completions", shell]);
        out.code(0);
        assert!(
            out.stdout.contains(marker),
            "{shell}: {}",
            &out.stdout[..out.stdout.len().min(200)]
        );
        assert!(out.stdout.contains("generate"), "{shell} completes subcommands");
    }
}
