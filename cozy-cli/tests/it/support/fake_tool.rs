//! Test doubles for external tools, written as small shell scripts.
//!
//! A double records its argv (NUL between arguments, `\036` between calls, so JSON and spaces
//! survive) and answers from `<tool>.<sub>.{stdout,stderr,code}` in the fake directory, where
//! `<sub>` is the first argument that is not an option (skipping the value of `-C`, `-n`,
//! `--namespace`, `--kubeconfig`, `--context`).

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

const FAKE: &str = r#"#!/bin/sh
# Test double for `@TOOL@`, written by the cozy test harness: records argv, answers from files.
PATH=/usr/local/bin:/usr/bin:/bin
{ printf '%s\0' @TOOL@ "$@"; printf '\036'; } >> "$COZY_FAKE_LOG"
sub=""; skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -C|-n|--namespace|--kubeconfig|--context) skip=1 ;;
    -*) ;;
    *) sub=$a; break ;;
  esac
done
f="$COZY_FAKE_DIR/@TOOL@.$sub"
[ -f "$f.stdout" ] && cat "$f.stdout"
[ -f "$f.stderr" ] && cat "$f.stderr" >&2
exit "$(cat "$f.code" 2>/dev/null || echo 0)"
"#;

const TRIPWIRE: &str = r#"#!/bin/sh
# Tripwire written by the cozy test harness: this test did not fake `@TOOL@`.
echo "@TOOL@ called, but this test did not fake it" >&2
exit 127
"#;

fn write_script(bin: &Path, tool: &str, template: &str) {
    let path = bin.join(tool);
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, template.replace("@TOOL@", tool)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Writes the tripwire for `tool`.
pub fn write_tripwire(bin: &Path, tool: &str) {
    write_script(bin, tool, TRIPWIRE);
}

/// Writes the recording double for `tool`.
pub fn write_fake(bin: &Path, tool: &str) {
    write_script(bin, tool, FAKE);
}

/// Writes a recording double that then runs `body`.
pub fn write_script_double(bin: &Path, tool: &str, body: &str) {
    let template = format!(
        "#!/bin/sh\n# Test double for `@TOOL@`, written by the cozy test harness: records argv, then acts as the test scripted.\nPATH=/usr/local/bin:/usr/bin:/bin\n{{ printf '%s\\0' @TOOL@ \"$@\"; printf '\\036'; }} >> \"$COZY_FAKE_LOG\"\n{body}\n"
    );
    write_script(bin, tool, &template);
}

/// Scripts the double's answer for one subcommand.
pub fn write_answer(fake_dir: &Path, tool: &str, sub: &str, stdout: &str, stderr: &str, code: i32) {
    let path = |stream: &str| fake_dir.join(format!("{tool}.{sub}.{stream}"));
    std::fs::write(path("stdout"), stdout).unwrap();
    std::fs::write(path("stderr"), stderr).unwrap();
    std::fs::write(path("code"), code.to_string()).unwrap();
}

/// The recorded calls, in order.
pub fn read_calls(log: &Path) -> Vec<Vec<String>> {
    let Ok(bytes) = std::fs::read(log) else { return Vec::new() };
    String::from_utf8(bytes)
        .unwrap()
        .split('\u{1e}')
        .filter(|call| !call.is_empty())
        .map(|call| call.trim_end_matches('\0').split('\0').map(str::to_owned).collect())
        .collect()
}
