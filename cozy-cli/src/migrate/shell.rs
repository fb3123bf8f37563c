//! Shell and sed helpers: word splitting, sed scripts and BRE-to-regex conversion.

/// Splits a command line into words with shell quoting rules; `None` when quoting is unbalanced.
#[must_use]
pub fn words(line: &str) -> Option<Vec<String>> {
    shell_words::split(line).ok()
}

/// Is `word` the in-place sed program (`sed -i`, `$(SED_INPLACE)`)? Returns how many words it took.
#[must_use]
pub fn sed_inplace(words: &[String]) -> Option<usize> {
    match words {
        [first, ..] if first == "$(SED_INPLACE)" => Some(1),
        [sed, flag, ..] if sed == "sed" && flag == "-i" => Some(2),
        _ => None,
    }
}

/// One sed command of the forms migrate understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SedCommand {
    /// `/re/d`: delete matching lines (regex already converted).
    Delete(String),
    /// `s/re/with/[g]`: regex converted, replacement unescaped, whether `g` was given.
    Substitute {
        /// The converted regex.
        regex: String,
        /// The replacement text.
        with: String,
        /// The `g` flag.
        global: bool,
    },
}

/// Parses one sed script; `Err` says why it is not migratable.
pub fn sed_command(script: &str) -> Result<SedCommand, String> {
    let script = script.trim();
    if let Some(body) = script.strip_prefix('/') {
        let re = body
            .strip_suffix("/d")
            .ok_or_else(|| format!("sed script `{script}` is not `/re/d` or `s/re/with/`"))?;
        return Ok(SedCommand::Delete(bre_to_regex(re)?));
    }
    let rest = script
        .strip_prefix('s')
        .ok_or_else(|| format!("sed script `{script}` is not `/re/d` or `s/re/with/`"))?;
    let delim = rest.chars().next().ok_or("empty sed `s` command")?;
    let parts = split_unescaped(&rest[delim.len_utf8()..], delim);
    let [re, with, flags] = parts.as_slice() else {
        return Err(format!("sed script `{script}` is not `s{delim}re{delim}with{delim}flags`"));
    };
    if !flags.chars().all(|c| c == 'g') {
        return Err(format!("sed flags `{flags}` are not supported"));
    }
    if with.contains('&') || with.contains("\\1") || with.contains("\\2") {
        return Err("sed replacement uses `&` or back-references".into());
    }
    let with = with.replace(&format!("\\{delim}"), &delim.to_string());
    if with.contains('\\') {
        return Err("sed replacement has escapes".into());
    }
    Ok(SedCommand::Substitute { regex: bre_to_regex(re)?, with, global: !flags.is_empty() })
}

fn split_unescaped(text: &str, delim: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                let last = parts.last_mut().expect("never empty");
                last.push('\\');
                last.push(next);
            }
        } else if c == delim {
            parts.push(String::new());
        } else {
            parts.last_mut().expect("never empty").push(c);
        }
    }
    parts
}

/// Converts a POSIX basic regular expression to Rust `regex` syntax; groups, intervals and
/// alternation are refused.
pub fn bre_to_regex(bre: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = bre.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('.' | '*' | '[' | ']' | '^' | '$' | '\\')) => {
                    out.push('\\');
                    out.push(e);
                }
                Some(e @ ('(' | ')' | '{' | '}' | '+' | '?' | '|' | '0'..='9')) => {
                    return Err(format!("sed regex `{bre}` uses `\\{e}`"));
                }
                Some(other) => out.push_str(&regex::escape(&other.to_string())),
                None => return Err(format!("sed regex `{bre}` ends in a backslash")),
            },
            '(' | ')' | '{' | '}' | '+' | '?' | '|' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

/// True when `regex` (Rust syntax) matches only its literal text.
#[must_use]
pub fn is_literal(regex: &str) -> bool {
    regex::escape(&unescape_literal(regex)) == regex
}

/// The literal text of a regex that [`is_literal`].
#[must_use]
pub fn unescape_literal(regex: &str) -> String {
    let mut out = String::new();
    let mut chars = regex.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sed_scripts() {
        assert_eq!(
            sed_command("/Used in iptables/d"),
            Ok(SedCommand::Delete("Used in iptables".into()))
        );
        assert_eq!(
            sed_command(r"/a\.b\/c: (x)/d"),
            Ok(SedCommand::Delete(r"a\.b/c: \(x\)".into()))
        );
        assert_eq!(
            sed_command("s|namespace: cdi|namespace: cozy-x|g"),
            Ok(SedCommand::Substitute {
                regex: "namespace: cdi".into(),
                with: "namespace: cozy-x".into(),
                global: true
            })
        );
        assert!(sed_command(r"s/\(a\)/\1/").unwrap_err().contains("back-references"));
        assert!(sed_command(r"s/\(a\)/b/").unwrap_err().contains("uses"));
        assert!(sed_command("1i foo").is_err());
        assert!(sed_command("s/a/b/2").is_err());
    }

    #[test]
    fn literals() {
        assert!(is_literal(r"a\.b"));
        assert!(!is_literal("a.*"));
        assert_eq!(unescape_literal(r"a\.b"), "a.b");
    }
}
