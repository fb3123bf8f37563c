//! Writing a string as a YAML scalar: plain when that reads back as the same string under
//! YAML 1.1 and 1.2 resolvers, else single- or double-quoted.

use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::RegexSet;

/// The quoting style of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    Plain,
    Single,
    Double,
}

/// `value` as a scalar in the `preferred` style when it can be written that way, else
/// double-quoted. `flow` says whether the scalar sits inside a flow collection.
pub(super) fn render(value: &str, preferred: Style, flow: bool) -> String {
    match preferred {
        Style::Plain if plain_ok(value, flow) => value.to_owned(),
        Style::Single if single_ok(value) => format!("'{}'", value.replace('\'', "''")),
        _ => double_quoted(value),
    }
}

/// A mapping key for a new entry: plain when safe, else double-quoted.
pub(super) fn render_key(key: &str) -> String {
    render(key, Style::Plain, false)
}

/// Plain scalars that a YAML 1.1 or 1.2 (core schema) resolver reads as something other than a
/// string: null, booleans (including 1.1's yes/no/on/off/y/n), integers (decimal, octal, hex,
/// binary, base 60), floats, infinities, NaN, timestamps, the merge key and 1.1's `=`.
static NON_STRING: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"^(~|null|Null|NULL)$",
        r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        r"^[-+]?(0|[1-9][0-9_]*)$",
        r"^[-+]?0[0-7_]+$",
        r"^[-+]?0o[0-7_]+$",
        r"^[-+]?0x[0-9a-fA-F_]+$",
        r"^[-+]?0b[01_]+$",
        r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$",
        r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$",
        r"^[-+]?[0-9][0-9_]*(\.[0-9_]*)?[eE][-+]?[0-9]+$",
        r"^[-+]?\.(inf|Inf|INF)$",
        r"^\.(nan|NaN|NAN)$",
        r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        r"^(<<|=)$",
    ])
    .expect("the resolver patterns are valid")
});

/// Whether `c` may appear unescaped in a YAML scalar (printable, not a line break other than
/// the ones quoting handles, not a byte order mark).
pub(super) fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Whether `value` written plain reads back as exactly this string.
pub(super) fn plain_ok(value: &str, flow: bool) -> bool {
    let Some(first) = value.chars().next() else { return false };
    let second = value[first.len_utf8()..].chars().next();
    let flow_indicator = |c: char| matches!(c, ',' | '[' | ']' | '{' | '}');
    let safe_follower =
        |c: Option<char>| c.is_some_and(|c| c != ' ' && !(flow && flow_indicator(c)));
    let starts_ok = match first {
        '-' => safe_follower(second),
        // libyaml reads `[?x]` as a mapping and refuses `[:x]`.
        '?' | ':' => !flow && safe_follower(second),
        ',' | '[' | ']' | '{' | '}' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
        | '@' | '`' | ' ' => false,
        _ => true,
    };
    starts_ok
        && value.chars().all(printable)
        && !value.ends_with([' ', ':'])
        && !value.contains(": ")
        && !value.contains(" #")
        && !(flow && (value.contains(flow_indicator) || value.contains(":?")))
        && !value.starts_with("---")
        && !value.starts_with("...")
        && !NON_STRING.is_match(value)
}

/// Whether `value` can be written single-quoted on one line.
pub(super) fn single_ok(value: &str) -> bool {
    value.chars().all(|c| c == '\t' || printable(c))
}

/// `value` double-quoted, escaping `\`, `"` and every non-printable character.
pub(super) fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\0' => out.push_str("\\0"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{0B}' => out.push_str("\\v"),
            '\u{0C}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1B}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xFF => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}
