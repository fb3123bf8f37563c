//! Annotation lines: the cozyvalues-gen tag patterns and the classification of each line.
//!
//! Lines are split on `\n` and trimmed; a pattern must match the whole trimmed line, and a line
//! that matches none is not an annotation (silently ignored). Character classes are ASCII like
//! Go's RE2 (`\w` = `[0-9A-Za-z_]`, `\s` = `[\t\n\f\r ]`).

use std::sync::LazyLock;

use regex::Regex;

/// `@param` / `@field` / `@property` declaration parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decl {
    /// The type expression between the braces, untrimmed.
    pub(crate) ty: String,
    /// The key, brackets stripped.
    pub(crate) name: String,
    /// Written as `[name]`.
    pub(crate) optional: bool,
    /// The `name=DEFAULT` text, quotes kept.
    pub(crate) default: Option<String>,
    /// Everything after ` - `.
    pub(crate) description: String,
}

/// What an annotation line says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    Section(String),
    Param(Decl),
    Field(Decl),
    Typedef(String),
    Enum { ty: String, name: String },
    Value(String),
    Immutable,
    Extension { key: String, value: String },
    Example(String),
    Minimum(String),
    Maximum(String),
    ExclusiveMinimum,
    ExclusiveMaximum,
    MinLength(String),
    MaxLength(String),
    Pattern(String),
    MinItems(String),
    MaxItems(String),
}

/// An annotation with its 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub(crate) line: usize,
    pub(crate) tag: Tag,
}

const S: &str = r"[\t\n\f\r ]";
const W: &str = "[0-9A-Za-z_]";
const D: &str = "[0-9]";

/// The annotation default alternatives (tried left to right).
fn default_pattern() -> String {
    format!(
        r#""[^"]*"|'[^']*'|\{{[^}}]*\}}|\[[^\]]*\]|true|false|null|-?{D}+(?:\.{D}+)?|[^\t\n\f\r ]+"#
    )
}

fn tag_regex(body: &str) -> Regex {
    let pattern = format!("^#+{S}+@{body}$");
    Regex::new(&pattern).expect("annotation patterns are valid")
}

fn decl_regex(tags: &str) -> Regex {
    tag_regex(&format!(
        r"{tags}{S}+\{{([^}}]+)\}}{S}+(\[?{W}+\]?)(?:=({default}))?(?:{S}+-{S}+(.*))?",
        default = default_pattern()
    ))
}

static SECTION: LazyLock<Regex> = LazyLock::new(|| tag_regex(&format!("section{S}+(.*)")));
static PARAM: LazyLock<Regex> = LazyLock::new(|| decl_regex("param"));
static FIELD: LazyLock<Regex> = LazyLock::new(|| decl_regex("(?:field|property)"));
static TYPEDEF: LazyLock<Regex> = LazyLock::new(|| {
    tag_regex(&format!(r"typedef{S}+\{{(?:struct|object)\}}{S}+({W}+)(?:{S}+-{S}+(.*))?"))
});
static ENUM: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!(r"enum{S}+\{{([^}}]+)\}}{S}+({W}+)(?:{S}+-{S}+(.*))?")));
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    tag_regex(&format!(r#"value{S}+(?:"([^"]+)"|'([^']+)'|([-0-9A-Za-z_.]+))(?:{S}+-{S}+(.*))?"#))
});
static IMMUTABLE: LazyLock<Regex> = LazyLock::new(|| tag_regex(&format!("immutable{S}*")));
static EXTENSION: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!(r"(x-[A-Za-z0-9][0-9A-Za-z_-]*){S}+(.+)")));
static EXAMPLE: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!("example{S}+({}){S}*", default_pattern())));
static NUMBER_TAG: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!(r"(minimum|maximum){S}+(-?{D}+(?:\.{D}+)?){S}*")));
static COUNT_TAG: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!("(minLength|maxLength|minItems|maxItems){S}+({D}+){S}*")));
static FLAG_TAG: LazyLock<Regex> =
    LazyLock::new(|| tag_regex(&format!("(exclusiveMinimum|exclusiveMaximum){S}*")));
static PATTERN: LazyLock<Regex> = LazyLock::new(|| tag_regex(&format!("pattern{S}+(.+)")));

fn group(caps: &regex::Captures<'_>, i: usize) -> String {
    caps.get(i).map_or_else(String::new, |m| m.as_str().to_owned())
}

fn decl(caps: &regex::Captures<'_>) -> Decl {
    let raw = group(caps, 2);
    let optional = raw.starts_with('[') && raw.ends_with(']');
    let name = raw.strip_prefix('[').unwrap_or(&raw);
    let name = name.strip_suffix(']').unwrap_or(name).to_owned();
    Decl {
        ty: group(caps, 1),
        name,
        optional,
        default: caps.get(3).map(|m| m.as_str().to_owned()),
        description: group(caps, 4),
    }
}

/// Classifies one trimmed line.
pub(crate) fn classify(line: &str) -> Option<Tag> {
    if !line.starts_with('#') || !line.contains('@') {
        return None;
    }
    if let Some(caps) = PARAM.captures(line) {
        return Some(Tag::Param(decl(&caps)));
    }
    if let Some(caps) = FIELD.captures(line) {
        return Some(Tag::Field(decl(&caps)));
    }
    if let Some(caps) = VALUE.captures(line) {
        let value = (1..=3).find_map(|i| caps.get(i)).map_or("", |m| m.as_str());
        return Some(Tag::Value(value.to_owned()));
    }
    if let Some(caps) = SECTION.captures(line) {
        return Some(Tag::Section(group(&caps, 1)));
    }
    if let Some(caps) = TYPEDEF.captures(line) {
        return Some(Tag::Typedef(group(&caps, 1)));
    }
    if let Some(caps) = ENUM.captures(line) {
        return Some(Tag::Enum { ty: group(&caps, 1), name: group(&caps, 2) });
    }
    if IMMUTABLE.is_match(line) {
        return Some(Tag::Immutable);
    }
    if let Some(caps) = EXTENSION.captures(line) {
        return Some(Tag::Extension { key: group(&caps, 1), value: group(&caps, 2) });
    }
    if let Some(caps) = EXAMPLE.captures(line) {
        return Some(Tag::Example(group(&caps, 1)));
    }
    if let Some(caps) = NUMBER_TAG.captures(line) {
        let value = group(&caps, 2);
        return Some(if &caps[1] == "minimum" { Tag::Minimum(value) } else { Tag::Maximum(value) });
    }
    if let Some(caps) = COUNT_TAG.captures(line) {
        let value = group(&caps, 2);
        return Some(match &caps[1] {
            "minLength" => Tag::MinLength(value),
            "maxLength" => Tag::MaxLength(value),
            "minItems" => Tag::MinItems(value),
            _ => Tag::MaxItems(value),
        });
    }
    if let Some(caps) = FLAG_TAG.captures(line) {
        return Some(if &caps[1] == "exclusiveMinimum" {
            Tag::ExclusiveMinimum
        } else {
            Tag::ExclusiveMaximum
        });
    }
    if let Some(caps) = PATTERN.captures(line) {
        return Some(Tag::Pattern(group(&caps, 1).trim().to_owned()));
    }
    None
}

/// Every annotation of a values.yaml, in file order.
pub(crate) fn annotations(values: &str) -> Vec<Annotation> {
    values
        .split('\n')
        .enumerate()
        .filter_map(|(i, line)| classify(line.trim()).map(|tag| Annotation { line: i + 1, tag }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(line: &str) -> Option<Decl> {
        match classify(line) {
            Some(Tag::Param(decl)) => Some(decl),
            _ => None,
        }
    }

    #[test]
    fn param_forms() {
        let d = param("## @param {string} [storagePool] - Selects a pool.").expect("matches");
        assert_eq!((d.ty.as_str(), d.name.as_str(), d.optional), ("string", "storagePool", true));
        assert_eq!(d.description, "Selects a pool.");
        let d = param(r#"## @param {ResourcesPreset} resourcesPreset="t1.micro" - Preset."#)
            .expect("matches");
        assert_eq!(d.default.as_deref(), Some(r#""t1.micro""#));
        let d = param("## @param {bool} [logSerialConsole]=false - x").expect("matches");
        assert_eq!(
            (d.name.as_str(), d.optional, d.default.as_deref()),
            ("logSerialConsole", true, Some("false"))
        );
        let d = param("## @param {int} replicas").expect("matches");
        assert_eq!(d.description, "");
        assert_eq!(param("## @param image.tag Some text"), None);
        assert_eq!(param("## @param {string} foo Some text"), None);
        assert_eq!(param("## @param {string} foo=a b - text"), None);
        assert_eq!(param("##@param {string} foo - text"), None);
        assert_eq!(param("## @param {string} [<key>] - text"), None);
    }

    #[test]
    fn other_tags() {
        assert_eq!(classify("## @section"), None);
        assert_eq!(classify("## @section  Common"), Some(Tag::Section("Common".into())));
        assert_eq!(classify("## @typedef {stringSlice} X - y"), None);
        assert_eq!(classify("## @typedef {struct} X - y"), Some(Tag::Typedef("X".into())));
        assert_eq!(classify("## @value a/b"), None);
        assert_eq!(classify(r#"## @value "a/b""#), Some(Tag::Value("a/b".into())));
        assert_eq!(classify("## @value t1.nano"), Some(Tag::Value("t1.nano".into())));
        assert_eq!(classify("## @immutable"), Some(Tag::Immutable));
        assert_eq!(
            classify("## @x-cozystack-options {source: storageclass}"),
            Some(Tag::Extension {
                key: "x-cozystack-options".into(),
                value: "{source: storageclass}".into()
            })
        );
        assert_eq!(classify("## @maxLength 63"), Some(Tag::MaxLength("63".into())));
        assert_eq!(classify("## @minimum -1.5"), Some(Tag::Minimum("-1.5".into())));
        assert_eq!(classify("## @pattern ^a+$"), Some(Tag::Pattern("^a+$".into())));
        assert_eq!(classify("## @example 'x y'"), Some(Tag::Example("'x y'".into())));
    }
}
