//! `cozy generate`: workspace and standalone modes, `--check`, many packages in one run,
//! failures that leave files untouched. The byte-exact conformance of each dialect is tested
//! in `values::*` against the corpus; here the corpus files only feed realistic packages.

use std::path::{Path, PathBuf};

use crate::support::{Project, repo_root};

fn fixture(rel: &str) -> String {
    let path = repo_root().join("tests/fixtures/values").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// `apps/<name>` from the cozyvalues corpus fixtures, as a package of a fresh project.
fn with_corpus_app(t: Project, name: &str) -> Project {
    let dir = format!("packages/apps/{name}");
    t.chart(&format!("apps/{name}"), "0.0.0")
        .file(
            &format!("{dir}/values.yaml"),
            &fixture(&format!("cozyvalues/apps/{name}/values.yaml")),
        )
        .file(
            &format!("{dir}/values.schema.json"),
            &fixture(&format!("cozyvalues/apps/{name}/values.schema.json")),
        )
        .file(&format!("{dir}/README.md"), &fixture(&format!("cozyvalues/apps/{name}/README.md")))
}

/// The README with the body of its `## Parameters` section (up to the next `## ` heading)
/// removed.
fn strip_parameters(readme: &str) -> String {
    let heading = "## Parameters\n";
    let start =
        readme.find(heading).expect("corpus READMEs have a Parameters section") + heading.len();
    let end = readme[start..].find("\n## ").map_or(readme.len(), |offset| start + offset + 1);
    format!("{}{}", &readme[..start], &readme[end..])
}

fn read(t: &Project, rel: &str) -> String {
    std::fs::read_to_string(t.root().join(rel)).unwrap()
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    names.sort();
    names
}

#[test]
fn fresh_package_is_left_alone() {
    let t = with_corpus_app(Project::new(), "bucket");
    let out = t.cozy(["generate", "bucket"]);
    out.code(0);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    t.cozy(["generate", "--check", "bucket"]).code(0);
}

#[test]
fn check_shows_a_diff_and_writes_nothing_then_generate_restores() {
    let t = with_corpus_app(Project::new(), "redis");
    let readme = read(&t, "packages/apps/redis/README.md");
    let schema = read(&t, "packages/apps/redis/values.schema.json");
    let t = t.file("packages/apps/redis/README.md", &strip_parameters(&readme));
    std::fs::remove_file(t.root().join("packages/apps/redis/values.schema.json")).unwrap();

    let out = t.cozy(["generate", "--check", "redis"]);
    out.code(1);
    assert!(
        out.stdout
            .contains("--- a/packages/apps/redis/README.md\n+++ b/packages/apps/redis/README.md\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("+++ b/packages/apps/redis/values.schema.json\n"),
        "{}",
        out.stdout
    );
    assert!(!t.root().join("packages/apps/redis/values.schema.json").exists());
    assert_eq!(read(&t, "packages/apps/redis/README.md"), strip_parameters(&readme));

    // Inside the package, no argument is needed.
    let out = t.cozy_in(&t.root().join("packages/apps/redis"), ["generate"], &[]);
    out.code(0);
    assert_eq!(
        out.stderr,
        "wrote packages/apps/redis/values.schema.json\nwrote packages/apps/redis/README.md\n"
    );
    assert_eq!(read(&t, "packages/apps/redis/README.md"), readme);
    assert_eq!(read(&t, "packages/apps/redis/values.schema.json"), schema);
    assert_eq!(
        entries(&t.root().join("packages/apps/redis")).len(),
        4,
        "no temporary files are left"
    );
    t.cozy(["generate", "--check", "redis"]).code(0);
}

#[test]
fn all_packages_in_one_run_and_a_broken_one_does_not_stop_the_others() {
    let t = with_corpus_app(with_corpus_app(Project::new(), "redis"), "postgres")
        .chart("apps/broken", "0.0.0")
        .file(
            "packages/apps/broken/values.yaml",
            "## @param {string} name - Name\nname: [unterminated\n",
        )
        .file("packages/apps/broken/README.md", "# broken\n\n## Parameters\n")
        .chart("system/plain", "1.0.0")
        .file("packages/system/plain/values.yaml", "replicas: 1\n");
    std::fs::remove_file(t.root().join("packages/apps/redis/values.schema.json")).unwrap();
    std::fs::remove_file(t.root().join("packages/apps/postgres/values.schema.json")).unwrap();

    let out = t.cozy(["generate", "--all"]);
    out.code(2);
    assert!(t.root().join("packages/apps/redis/values.schema.json").exists());
    assert!(t.root().join("packages/apps/postgres/values.schema.json").exists());
    assert!(!t.root().join("packages/apps/broken/values.schema.json").exists());
    assert_eq!(read(&t, "packages/apps/broken/README.md"), "# broken\n\n## Parameters\n");
    let errors: Vec<&str> = out.stderr.lines().filter(|line| line.starts_with("error:")).collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(errors[0].starts_with("error: packages/apps/broken/values.yaml:"), "{}", out.stderr);
    assert!(out.stderr.contains("3 packages: 2 updated, 0 fresh, 1 failed\n"), "{}", out.stderr);
    assert_eq!(errors[1], "error: generation failed for 1 of 3 packages");
}

#[test]
fn explicit_package_without_annotations_is_an_error() {
    let t = Project::new()
        .chart("system/plain", "1.0.0")
        .file("packages/system/plain/values.yaml", "replicas: 1\n");
    let out = t.cozy(["generate", "plain"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: packages/system/plain: nothing to generate\nhint: values.yaml has no `@param` annotations and cozy.toml has no `[generate]` table\n"
    );
    let out = t.cozy(["generate"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: no package selected\n"), "{}", out.stderr);
}

#[test]
fn standalone_mode_takes_the_replaced_tools_flags() {
    let t = Project::new()
        .file("work/values.yaml", &fixture("cozyvalues/apps/bucket/values.yaml"))
        .file("work/README.md", &strip_parameters(&fixture("cozyvalues/apps/bucket/README.md")));
    let work = t.root().join("work");
    let out = t.cozy_in(
        &work,
        ["generate", "-v", "values.yaml", "-s", "values.schema.json", "-r", "README.md"],
        &[],
    );
    out.code(0);
    assert_eq!(
        read(&t, "work/values.schema.json"),
        fixture("cozyvalues/apps/bucket/values.schema.json")
    );
    assert_eq!(read(&t, "work/README.md"), fixture("cozyvalues/apps/bucket/README.md"));
    let out = t.cozy_in(
        &work,
        [
            "generate",
            "--check",
            "--values",
            "values.yaml",
            "--schema",
            "values.schema.json",
            "--readme",
            "README.md",
        ],
        &[],
    );
    out.code(0);
    // Either output may be omitted.
    std::fs::remove_file(work.join("values.schema.json")).unwrap();
    t.cozy_in(&work, ["generate", "-v", "values.yaml", "-r", "README.md"], &[]).code(0);
    assert!(!work.join("values.schema.json").exists());
}

#[test]
fn standalone_and_selection_do_not_mix() {
    let t = Project::new();
    let out = t.cozy(["generate", "--all", "-s", "x.json"]);
    out.code(2);
    assert!(
        out.stderr.starts_with(
            "error: package selection and file flags (-v/-s/-r/-g) cannot be combined\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn readme_without_parameters_section_names_the_readme() {
    let t = Project::new()
        .file("values.yaml", &fixture("cozyvalues/apps/bucket/values.yaml"))
        .file("README.md", "# bucket\n\nNo tables here.\n");
    let out =
        t.cozy(["generate", "-v", "values.yaml", "-s", "values.schema.json", "-r", "README.md"]);
    out.code(2);
    assert!(out.stderr.starts_with("error: README.md"), "{}", out.stderr);
    assert!(!t.root().join("values.schema.json").exists(), "a failing job writes nothing");
}

#[test]
fn bitnami_dialect_is_detected_and_byte_identical_to_readme_generator() {
    // Golden outputs made by readme-generator-for-helm 2.7.0 (tests/fixtures/values/bitnami/make-golden.sh).
    let t = Project::new()
        .chart("system/linstor-gui", "0.1.0")
        .file("packages/system/linstor-gui/values.yaml", &fixture("bitnami/basic/values.yaml"))
        .file("packages/system/linstor-gui/README.md", &fixture("bitnami/basic/README.in.md"));
    let out = t.cozy(["generate", "linstor-gui"]);
    out.code(0);
    assert_eq!(
        read(&t, "packages/system/linstor-gui/README.md"),
        fixture("bitnami/basic/README.md")
    );
    assert_eq!(
        read(&t, "packages/system/linstor-gui/values.schema.json"),
        fixture("bitnami/basic/values.schema.json")
    );
    t.cozy(["generate", "--check", "linstor-gui"]).code(0);
    // Forcing the other dialect reads the file by cozyvalues-gen's rules, which reject it.
    let out = t.cozy(["generate", "--check", "--dialect", "cozyvalues", "linstor-gui"]);
    out.code(2);
    assert!(
        out.stderr.starts_with("error: packages/system/linstor-gui/values.yaml:"),
        "{}",
        out.stderr
    );
}
