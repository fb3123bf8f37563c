//! The runner, seen through `--changed-since` (the one tool call of `pkg list`): a missing tool,
//! `COZY_<TOOL>` overrides, `-v` echoes, and test doubles recording argv.

use crate::support::Project;

fn tree() -> Project {
    Project::new().chart("system/cilium", "1.16.3").chart("apps/postgres", "0.0.0")
}

#[test]
fn missing_tool_names_the_override_and_the_command() {
    let t = tree().missing("git");
    let out = t.cozy(["pkg", "list", "--changed-since", "main"]);
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: failed to list the files changed since `main`\n  caused by: git not found on PATH (or COZY_GIT), needed for `cozy pkg list --changed-since`\n"
    );
}

#[test]
fn override_must_be_executable() {
    let t = tree().missing("git");
    let out = t.cozy_in(
        t.root(),
        ["pkg", "list", "--changed-since", "main"],
        &[("COZY_GIT", "/nonexistent/git")],
    );
    out.code(2);
    assert!(
        out.stderr.contains("COZY_GIT is `/nonexistent/git`, which is not an executable file; git is needed for `cozy pkg list --changed-since`"),
        "{}",
        out.stderr
    );
}

#[test]
fn test_double_records_calls_and_verbose_echoes_them() {
    let t = tree().fake("git");
    t.answer("git", "diff", "packages/system/cilium/values.yaml\n", "", 0);
    t.answer("git", "ls-files", "packages/apps/postgres/new.yaml\n", "", 0);
    let out = t.cozy(["-v", "pkg", "list", "-o", "json", "--changed-since", "origin/main"]);
    out.code(0);
    assert_eq!(out.json_paths(), ["packages/apps/postgres", "packages/system/cilium"]);
    assert_eq!(
        out.stderr,
        "$ git -C [ROOT] diff --name-only --relative origin/main...HEAD\n\
         $ git -C [ROOT] diff --name-only --relative HEAD\n\
         $ git -C [ROOT] ls-files --others --exclude-standard\n"
    );
    let root = t.root().to_str().unwrap().to_owned();
    assert_eq!(
        t.calls(),
        [
            vec!["git", "-C", &root, "diff", "--name-only", "--relative", "origin/main...HEAD"],
            vec!["git", "-C", &root, "diff", "--name-only", "--relative", "HEAD"],
            vec!["git", "-C", &root, "ls-files", "--others", "--exclude-standard"],
        ]
    );
}

#[test]
fn override_by_name_is_looked_up_on_path_and_dry_run_still_reads() {
    // `--dry-run` skips only commands that change something; git diff still runs.
    let t = tree().fake("git").missing("git").fake("git-2.47");
    t.answer("git-2.47", "diff", "packages/system/cilium/Chart.yaml\n", "", 0);
    let out = t.cozy_in(
        t.root(),
        ["--dry-run", "pkg", "list", "-o", "json", "--committed", "--changed-since", "main"],
        &[("COZY_GIT", "git-2.47")],
    );
    out.code(0);
    assert_eq!(out.json_paths(), ["packages/system/cilium"]);
    assert_eq!(t.calls().len(), 1);
    assert_eq!(t.calls()[0][0], "git-2.47");
}

#[test]
fn tripwire_stops_unfaked_tools() {
    // Without `.fake` or `.real`, git is a tripwire that exits 127 with its own message.
    let t = tree();
    let out = t.cozy(["pkg", "list", "--changed-since", "main"]);
    out.code(2);
    assert!(
        out.stderr.contains(
            "failed with exit status 127\n--- stderr\ngit called, but this test did not fake it"
        ),
        "{}",
        out.stderr
    );
}
