//! The tool's config.json: comment marker, tag and modifier names, Parameters title pattern.
//!
//! A config replaces the defaults wholesale. A missing key reads as the JavaScript value
//! `undefined`, which the tool splices into its patterns as the text `undefined`; a group that is
//! missing or null (`"tags": null`) makes the tool crash, so parsing rejects it.

use serde_json::Value;

use crate::values::Error;

/// The readme-generator config (`-c config.json`); `Config::default()` is the tool's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// `comments`: how metadata comments start.
    pub comments: Comments,
    /// `tags`: the `@param`-style tags.
    pub tags: Tags,
    /// `modifiers`: the names inside `[...]` after a parameter name.
    pub modifiers: Modifiers,
    /// `regexp`: patterns used on the README.
    pub regexp: Regexp,
}

/// `comments` in config.json.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comments {
    /// `comments.format`, a regular-expression fragment (`##`).
    pub format: String,
}

/// `tags` in config.json; each is a regular-expression fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tags {
    /// `tags.param` (`@param`).
    pub param: String,
    /// `tags.section` (`@section`).
    pub section: String,
    /// `tags.descriptionStart` (`@descriptionStart`).
    pub description_start: String,
    /// `tags.descriptionEnd` (`@descriptionEnd`).
    pub description_end: String,
    /// `tags.skip` (`@skip`).
    pub skip: String,
    /// `tags.extra` (`@extra`).
    pub extra: String,
}

/// `modifiers` in config.json.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modifiers {
    /// `modifiers.array` (`array`).
    pub array: ModifierName,
    /// `modifiers.object` (`object`).
    pub object: ModifierName,
    /// `modifiers.string` (`string`).
    pub string: ModifierName,
    /// `modifiers.nullable` (`nullable`).
    pub nullable: ModifierName,
    /// `modifiers.default` (`default`), a regular-expression fragment followed by `:`.
    pub default: ModifierName,
}

/// One modifier name from config.json.
///
/// The tool compares modifiers with the name in two ways: through a template string, which
/// turns any JSON value into text (`undefined` for a missing key), and with `===`, which only
/// a JSON string can pass. Both views are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModifierName {
    /// The name as text, the way `` `${name}` `` renders it.
    pub text: String,
    /// Whether config.json gave a string (so `modifier === name` can hold).
    pub is_string: bool,
}

/// `regexp` in config.json.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Regexp {
    /// `regexp.paramsSectionTitle`, a regular-expression fragment (`Parameters`).
    pub params_section_title: String,
}

impl Default for Comments {
    fn default() -> Comments {
        Comments { format: "##".to_owned() }
    }
}

impl Default for Tags {
    fn default() -> Tags {
        Tags {
            param: "@param".to_owned(),
            section: "@section".to_owned(),
            description_start: "@descriptionStart".to_owned(),
            description_end: "@descriptionEnd".to_owned(),
            skip: "@skip".to_owned(),
            extra: "@extra".to_owned(),
        }
    }
}

impl Default for Modifiers {
    fn default() -> Modifiers {
        Modifiers {
            array: ModifierName::from("array"),
            object: ModifierName::from("object"),
            string: ModifierName::from("string"),
            nullable: ModifierName::from("nullable"),
            default: ModifierName::from("default"),
        }
    }
}

impl Default for Regexp {
    fn default() -> Regexp {
        Regexp { params_section_title: "Parameters".to_owned() }
    }
}

impl From<&str> for ModifierName {
    fn from(name: &str) -> ModifierName {
        ModifierName { text: name.to_owned(), is_string: true }
    }
}

impl ModifierName {
    /// `modifier === name`.
    pub(crate) fn is(&self, modifier: &str) -> bool {
        self.is_string && self.text == modifier
    }
}

impl Config {
    /// Parses a config.json.
    pub fn parse(json: &str) -> Result<Config, Error> {
        let root: Value = serde_json::from_str(json)
            .map_err(|err| Error::values(None, None, format!("invalid config.json: {err}")))?;
        let comments = group(&root, "comments")?;
        let tags = group(&root, "tags")?;
        let modifiers = group(&root, "modifiers")?;
        let regexp = group(&root, "regexp")?;
        let text = |group: &Value, key: &str| template(group.get(key));
        let name = |key: &str| ModifierName {
            text: template(modifiers.get(key)),
            is_string: modifiers.get(key).is_some_and(Value::is_string),
        };
        Ok(Config {
            comments: Comments { format: text(comments, "format") },
            tags: Tags {
                param: text(tags, "param"),
                section: text(tags, "section"),
                description_start: text(tags, "descriptionStart"),
                description_end: text(tags, "descriptionEnd"),
                skip: text(tags, "skip"),
                extra: text(tags, "extra"),
            },
            modifiers: Modifiers {
                array: name("array"),
                object: name("object"),
                string: name("string"),
                nullable: name("nullable"),
                default: name("default"),
            },
            regexp: Regexp { params_section_title: text(regexp, "paramsSectionTitle") },
        })
    }
}

/// `config[key]`, which the tool dereferences again: undefined or null would crash it.
fn group<'a>(root: &'a Value, key: &str) -> Result<&'a Value, Error> {
    match root.get(key) {
        None | Some(Value::Null) => Err(Error::values(
            None,
            None,
            format!("invalid config.json: `{key}` is missing (the tool would crash)"),
        )),
        Some(value) => Ok(value),
    }
}

/// `` `${value}` `` for a JSON value; a missing key is `undefined`.
fn template(value: Option<&Value>) -> String {
    match value {
        None => "undefined".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::Bool(value)) => value.to_string(),
        Some(Value::Number(number)) => {
            number.as_f64().map_or_else(|| number.to_string(), super::js::number_to_string)
        }
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| if item.is_null() { String::new() } else { template(Some(item)) })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_owned(),
    }
}
