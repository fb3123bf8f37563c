//! Conformance against the cozystack corpus, error cases, Go types and a no-panic property.

use std::fs;
use std::path::{Path, PathBuf};

use super::{go_types, schema, update_readme};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/values/cozyvalues")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected", "actual")
        .to_string()
}

/// Package directories `<kind>/<name>` holding a values.yaml.
fn packages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for kind in ["apps", "extra", "system"] {
        let Ok(entries) = fs::read_dir(fixtures().join(kind)) else { continue };
        for entry in entries.flatten() {
            if entry.path().join("values.yaml").is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

fn case_name(dir: &Path) -> String {
    dir.strip_prefix(fixtures()).unwrap_or(dir).display().to_string()
}

/// The README with the body of its Parameters section removed.
fn strip_parameters(readme: &str) -> String {
    let lines: Vec<&str> = readme.split('\n').collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("## Parameters")) else {
        return readme.to_owned();
    };
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| l.starts_with("##") && !l.starts_with("###"))
        .map_or(lines.len(), |(i, _)| i);
    let mut out: Vec<&str> = lines[..=start].to_vec();
    out.extend(&lines[end..]);
    out.join("\n")
}

#[test]
fn corpus_conformance() {
    let mut failures = Vec::new();
    let (mut schemas, mut readmes) = (0, 0);
    for dir in packages() {
        let name = case_name(&dir);
        let values = read(&dir.join("values.yaml"));
        let schema_path = dir.join("values.schema.json");
        if schema_path.is_file() {
            schemas += 1;
            let expected = read(&schema_path);
            match schema(&values) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!("{name}: schema\n{}", diff(&expected, &actual)))
                }
                Err(err) => failures.push(format!("{name}: schema: {err}")),
            }
        }
        let readme_path = dir.join("README.md");
        if readme_path.is_file() {
            readmes += 1;
            let expected = read(&readme_path);
            match update_readme(&values, &expected) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!("{name}: README\n{}", diff(&expected, &actual)))
                }
                Err(err) => failures.push(format!("{name}: README: {err}")),
            }
            let stripped = strip_parameters(&expected);
            assert_ne!(stripped, expected, "{name}: no Parameters tables to strip");
            match update_readme(&values, &stripped) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!(
                        "{name}: README from stripped\n{}",
                        diff(&expected, &actual)
                    ));
                }
                Err(err) => failures.push(format!("{name}: README from stripped: {err}")),
            }
        }
    }
    assert_eq!((schemas, readmes), (32, 31), "fixture set changed");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// `module:` from a go fixture's ORIGIN file.
fn origin_module(dir: &Path) -> String {
    read(&dir.join("ORIGIN"))
        .lines()
        .find_map(|line| line.strip_prefix("module: "))
        .unwrap_or_else(|| panic!("{}: ORIGIN has no module", dir.display()))
        .to_owned()
}

#[test]
fn go_types_match_committed_files() {
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures().join("go"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    assert!(dirs.len() >= 3, "go fixtures missing");
    for dir in dirs {
        let name = case_name(&dir);
        let values = read(&dir.join("values.yaml"));
        let expected = read(&dir.join("types.go"));
        match go_types(&values, &origin_module(&dir), "apps.cozystack.io", "v1alpha1") {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!("{name}\n{}", diff(&expected, &actual))),
            Err(err) => failures.push(format!("{name}: {err}")),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
