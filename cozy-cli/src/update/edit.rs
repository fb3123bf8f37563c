//! Steps that edit the staged tree: `patch`, `replace`, `dockerfile-arg`, `yaml-set`,
//! `yaml-delete`, `assert`, `copy`, `move`, `remove`, `gzip` and `run`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::fsx;
use crate::manifest::{Expect, PatchTool, Scalar};
use crate::tool::Tool;
use crate::update::fetch::{create_parent, remove_path};
use crate::update::session::Session;

#[expect(clippy::too_many_arguments, reason = "one parameter per manifest field of the step")]
/// `patch`: apply patch files (sorted when given by glob) in `dir`.
pub fn patch(
    session: &Session<'_>,
    file: Option<&str>,
    glob: Option<&str>,
    strip: Option<u32>,
    forward: Option<bool>,
    dir: Option<&str>,
    target: Option<&str>,
    tool: Option<PatchTool>,
) -> Result<(), String> {
    let patches = files(session, file, glob)?;
    let work = session.path(dir.unwrap_or("."))?;
    let strip = format!("-p{}", strip.unwrap_or(1));
    for patch in patches {
        let call = match tool.unwrap_or(PatchTool::Patch) {
            PatchTool::Patch => {
                let mut call = session.runner.cmd(Tool::Patch).args([
                    "--no-backup-if-mismatch",
                    "--batch",
                    &strip,
                ]);
                if forward.unwrap_or(true) {
                    call = call.arg("--forward");
                }
                call = call.arg("-i").arg(&patch);
                if let Some(target) = target {
                    call = call.arg(session.path(target)?);
                }
                call
            }
            PatchTool::GitApply => {
                session.runner.cmd(Tool::Git).args(["apply", &strip]).arg(&patch)
            }
        };
        call.dir(&work).read().map_err(|err| format!("{err:#}"))?;
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one parameter per manifest field of the step")]
/// `replace`: literal or regex replacement and line deletion, with an expected match count.
pub fn replace(
    session: &Session<'_>,
    file: Option<&str>,
    glob: Option<&str>,
    literal: Option<&str>,
    regex: Option<&str>,
    with: Option<&str>,
    delete_lines: &[String],
    expect: Option<&Expect>,
) -> Result<(), String> {
    let with = with.map(|text| session.render(text, None)).transpose()?.unwrap_or_default();
    let pattern = match (literal, regex) {
        (Some(literal), None) => {
            Some(Regex::new(&regex::escape(literal)).map_err(|err| err.to_string())?)
        }
        (None, Some(regex)) => {
            Some(Regex::new(regex).map_err(|err| format!("invalid regex `{regex}`: {err}"))?)
        }
        (None, None) if !delete_lines.is_empty() => None,
        _ => return Err("set one of `literal` and `regex`, or `delete_lines`".to_owned()),
    };
    let deletions = delete_lines
        .iter()
        .map(|line| Regex::new(line).map_err(|err| format!("invalid regex `{line}`: {err}")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut count = 0usize;
    for path in files(session, file, glob)? {
        let text = read(&path)?;
        let mut new = text.clone();
        if let Some(pattern) = &pattern {
            count += pattern.find_iter(&new).count();
            new = if literal.is_some() {
                pattern.replace_all(&new, regex::NoExpand(&with)).into_owned()
            } else {
                pattern.replace_all(&new, with.as_str()).into_owned()
            };
        }
        if !deletions.is_empty() {
            let before = new.split_inclusive('\n').count();
            new = new
                .split_inclusive('\n')
                .filter(|line| !deletions.iter().any(|re| re.is_match(line)))
                .collect();
            count += before - new.split_inclusive('\n').count();
        }
        if new != text {
            write(&path, &new)?;
        }
    }
    check_count(expect, count)
}

/// `dockerfile-arg`: set the default of `ARG NAME=…`.
pub fn dockerfile_arg(
    session: &Session<'_>,
    file: &str,
    arg: &str,
    value: &str,
) -> Result<(), String> {
    let value = session.render(value, None)?;
    let path = session.path(file)?;
    let text = read(&path)?;
    let pattern = Regex::new(&format!(r"(?m)^(\s*ARG\s+{}=)(.*?)(\r?)$", regex::escape(arg)))
        .map_err(|err| err.to_string())?;
    if !pattern.is_match(&text) {
        return Err(format!("`{file}` has no `ARG {arg}=…` line"));
    }
    let new = pattern.replace_all(&text, |captures: &regex::Captures<'_>| {
        format!("{}{value}{}", &captures[1], &captures[3])
    });
    write(&path, &new)
}

/// `yaml-set`: one scalar, every other byte kept.
pub fn yaml_set(
    session: &Session<'_>,
    file: &str,
    key: &str,
    value: &Scalar,
    create: bool,
) -> Result<(), String> {
    // Like yq's `strenv`, the value is a string: text that reads as a number or bool is quoted.
    let value = match value {
        Scalar::String(text) => session.render(text, None)?,
        Scalar::Integer(_) | Scalar::Float(_) | Scalar::Bool(_) => {
            return Err(format!(
                "`{key}`: `value` must be a string; numbers and booleans are not supported by this cozy yet"
            ));
        }
    };
    let path = session.path(file)?;
    let new = crate::yaml_edit::set_scalar(&read(&path)?, key, &value, create)
        .map_err(|err| yaml_error(file, &err))?;
    write(&path, &new)
}

/// `yaml-delete`: one key and its value.
pub fn yaml_delete(session: &Session<'_>, file: &str, key: &str) -> Result<(), String> {
    let path = session.path(file)?;
    let new =
        crate::yaml_edit::delete_key(&read(&path)?, key).map_err(|err| yaml_error(file, &err))?;
    write(&path, &new)
}

/// `assert`: a file contains (or lacks) a text, or a variable has a value.
pub fn assert(
    session: &Session<'_>,
    file: Option<&str>,
    contains: Option<&str>,
    absent: Option<&str>,
    var: Option<&str>,
    equals: Option<&str>,
) -> Result<(), String> {
    if let Some(file) = file {
        let text = read(&session.path(file)?)?;
        if let Some(needle) = contains
            && !text.contains(needle)
        {
            return Err(format!("`{file}` does not contain `{needle}`"));
        }
        if let Some(needle) = absent
            && text.contains(needle)
        {
            return Err(format!("`{file}` still contains `{needle}`"));
        }
    }
    if let (Some(var), Some(expected)) = (var, equals) {
        let actual = session.vars.get(var, &session.stage)?;
        let expected = session.render(expected, None)?;
        if actual != expected {
            return Err(format!("variable `{var}` is `{actual}`, expected `{expected}`"));
        }
    }
    Ok(())
}

/// `copy` or `move` (`remove_source`) of a file, directory or glob.
pub fn copy(
    session: &Session<'_>,
    from: &str,
    to: &str,
    remove_source: bool,
) -> Result<(), String> {
    let sources = files_or_dirs(session, from)?;
    let target = session.path(to)?;
    let into_dir = to.ends_with('/') || sources.len() > 1 || target.is_dir();
    for source in sources {
        let destination = if into_dir {
            target.join(source.file_name().unwrap_or_default())
        } else {
            target.clone()
        };
        create_parent(&destination)?;
        remove_path(&destination)?;
        if remove_source {
            std::fs::rename(&source, &destination)
                .map_err(|err| format!("cannot move `{}`: {err}", source.display()))?;
        } else if source.is_dir() {
            crate::update::stage::copy_tree(&source, &destination)
                .map_err(|err| format!("{err:#}"))?;
        } else {
            std::fs::copy(&source, &destination)
                .map_err(|err| format!("cannot copy `{}`: {err}", source.display()))?;
        }
    }
    Ok(())
}

/// `remove`: paths (never through symlinks).
pub fn remove(session: &Session<'_>, paths: &[String]) -> Result<(), String> {
    for rel in paths {
        remove_path(&session.path(rel)?)?;
    }
    Ok(())
}

/// `gzip`: `gzip -nc SRC > DEST`, byte-identical to the files make wrote.
pub fn gzip(session: &Session<'_>, src: &str, dest: &str) -> Result<(), String> {
    let output = session
        .runner
        .cmd(Tool::Gzip)
        .arg("-nc")
        .arg(session.path(src)?)
        .output()
        .map_err(|err| format!("{err:#}"))?;
    let Some(output) = output else { return Ok(()) };
    if !output.status.success() {
        return Err(format!(
            "`gzip -nc {src}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let target = session.path(dest)?;
    create_parent(&target)?;
    fsx::write_atomic(&target, &output.stdout).map_err(|err| format!("{err:#}"))
}

/// `run`: a program in the staging copy (the escape hatch).
pub fn run(
    session: &Session<'_>,
    argv: &[String],
    env: &BTreeMap<String, String>,
) -> Result<(), String> {
    let rendered =
        argv.iter().map(|arg| session.render(arg, None)).collect::<Result<Vec<_>, _>>()?;
    let (program, arguments) = rendered.split_first().ok_or("`run` needs a non-empty `argv`")?;
    let mut call = session.runner.program(program).args(arguments).dir(&session.stage);
    for (key, value) in env {
        call = call.env(key, session.render(value, None)?);
    }
    call.read().map(|_| ()).map_err(|err| format!("{err:#}"))
}

fn check_count(expect: Option<&Expect>, count: usize) -> Result<(), String> {
    let Some(expect) = expect else { return Ok(()) };
    let ok = match expect {
        Expect::Count(wanted) => usize::try_from(*wanted).is_ok_and(|wanted| wanted == count),
        Expect::Compare(text) => {
            let text = text.trim();
            let (op, number) = ["<=", ">=", "==", "<", ">", "="]
                .iter()
                .find_map(|op| text.strip_prefix(op).map(|rest| (*op, rest.trim())))
                .unwrap_or(("==", text));
            let number: usize = number
                .parse()
                .map_err(|_| format!("`expect = \"{text}\"` is not a comparison like \">=1\""))?;
            match op {
                "<=" => count <= number,
                ">=" => count >= number,
                "<" => count < number,
                ">" => count > number,
                _ => count == number,
            }
        }
    };
    if ok {
        Ok(())
    } else {
        let wanted = match expect {
            Expect::Count(n) => n.to_string(),
            Expect::Compare(text) => text.clone(),
        };
        Err(format!("expected {wanted} matches, found {count}"))
    }
}

/// The files named by `file` or matched by `glob` (sorted), inside the staging copy.
fn files(
    session: &Session<'_>,
    file: Option<&str>,
    glob: Option<&str>,
) -> Result<Vec<PathBuf>, String> {
    match (file, glob) {
        (Some(file), None) => {
            let path = session.path(file)?;
            if path.is_file() { Ok(vec![path]) } else { Err(format!("`{file}` does not exist")) }
        }
        (None, Some(glob)) => {
            let found: Vec<PathBuf> =
                matching(session, glob)?.into_iter().filter(|path| path.is_file()).collect();
            if found.is_empty() { Err(format!("`{glob}` matches no file")) } else { Ok(found) }
        }
        _ => Err("set exactly one of `file` and `glob`".to_owned()),
    }
}

fn files_or_dirs(session: &Session<'_>, pattern: &str) -> Result<Vec<PathBuf>, String> {
    if !pattern.contains(['*', '?', '[', '{']) {
        let path = session.path(pattern)?;
        return if path.exists() {
            Ok(vec![path])
        } else {
            Err(format!("`{pattern}` does not exist"))
        };
    }
    let found = matching(session, pattern)?;
    if found.is_empty() { Err(format!("`{pattern}` matches nothing")) } else { Ok(found) }
}

fn matching(session: &Session<'_>, glob: &str) -> Result<Vec<PathBuf>, String> {
    session.path(glob)?;
    let matcher = globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|err| format!("invalid glob `{glob}`: {err}"))?
        .compile_matcher();
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&session.stage)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|entry| {
            entry.path().strip_prefix(&session.stage).is_ok_and(|rel| matcher.is_match(rel))
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    found.sort();
    Ok(found)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read `{}`: {err}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fsx::write_atomic(path, text.as_bytes()).map_err(|err| format!("{err:#}"))
}

fn yaml_error(file: &str, err: &crate::yaml_edit::Error) -> String {
    match err.line {
        Some(line) => format!("`{file}`:{line}: {}", err.message),
        None => format!("`{file}`: {}", err.message),
    }
}
