//! Metadata comments of values.yaml: `@param`, `@section`, `@descriptionStart`/`End`, `@skip`, `@extra`.
//!
//! Every line is tested against every tag pattern, in the tool's order, so one line can act
//! as several things (a `@param` inside a description block is also a description line).

use super::jsregex;
use super::patterns::CommentPatterns;

/// What a metadata line declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `@param`: a documented, checked value.
    Param,
    /// `@skip`: a subtree exempt from checking, README and schema.
    Skip,
    /// `@extra`: a README-only row.
    Extra,
}

/// One `@param`, `@skip` or `@extra` line.
#[derive(Clone, Debug)]
pub(crate) struct Param {
    pub(crate) kind: Kind,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) modifiers: Vec<String>,
    /// 1-based line in values.yaml.
    pub(crate) line: usize,
}

/// One `@section` with its description and the parameters that follow it.
#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub(crate) title: String,
    pub(crate) description_lines: Vec<String>,
    /// Indices into [`Metadata::params`], in file order.
    pub(crate) params: Vec<usize>,
}

/// All metadata of a values.yaml.
#[derive(Clone, Debug, Default)]
pub(crate) struct Metadata {
    pub(crate) sections: Vec<Section>,
    pub(crate) params: Vec<Param>,
}

/// Splits text into lines on `\n` and `\r\n` (JavaScript `split(/\r?\n/)`).
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect::<Vec<_>>()
}

/// Parses the metadata comments of values.yaml.
pub(crate) fn parse(values: &str, patterns: &CommentPatterns) -> Metadata {
    let mut metadata = Metadata::default();
    let mut current: Option<usize> = None;
    let mut in_description = false;
    for (index, line) in split_lines(values).into_iter().enumerate() {
        let number = index + 1;
        if let Some(captures) = patterns.param.captures(line) {
            let group = |i: usize| captures.get(i).map_or("", |m| m.as_str());
            let param = Param {
                kind: Kind::Param,
                name: group(1).to_owned(),
                description: group(3).to_owned(),
                modifiers: split_modifiers(group(2)),
                line: number,
            };
            metadata.add(param, current);
        }
        if let Some(captures) = patterns.section.captures(line) {
            let title = captures.get(1).map_or("", |m| m.as_str()).to_owned();
            metadata.sections.push(Section {
                title,
                description_lines: Vec::new(),
                params: Vec::new(),
            });
            current = Some(metadata.sections.len() - 1);
        }
        if current.is_some() && in_description && patterns.description_end.is_match(line) {
            in_description = false;
        }
        if let Some(section) = current
            && in_description
            && let Some(captures) = patterns.description_content.captures(line)
        {
            let text = captures.get(1).map_or("", |m| m.as_str()).to_owned();
            metadata.sections[section].description_lines.push(text);
        }
        if let Some(section) = current
            && !in_description
            && let Some(captures) = patterns.description_start.captures(line)
        {
            in_description = true;
            let first = captures.get(1).map_or("", |m| m.as_str());
            if !first.is_empty() {
                metadata.sections[section].description_lines.push(first.to_owned());
            }
        }
        if let Some(captures) = patterns.skip.captures(line) {
            let name = captures.get(1).map_or("", |m| m.as_str()).to_owned();
            let param = Param {
                kind: Kind::Skip,
                name,
                description: String::new(),
                modifiers: Vec::new(),
                line: number,
            };
            metadata.add(param, current);
        }
        if let Some(captures) = patterns.extra.captures(line) {
            let group = |i: usize| captures.get(i).map_or("", |m| m.as_str());
            let param = Param {
                kind: Kind::Extra,
                name: group(1).to_owned(),
                description: group(3).to_owned(),
                modifiers: Vec::new(),
                line: number,
            };
            metadata.add(param, current);
        }
    }
    metadata
}

impl Metadata {
    fn add(&mut self, param: Param, section: Option<usize>) {
        if let Some(section) = section {
            self.sections[section].params.push(self.params.len());
        }
        self.params.push(param);
    }
}

/// The modifier list of `[a, b]`: the text between the first `[` and the next `[` or `]`,
/// split on commas, empty items dropped before trimming.
fn split_modifiers(group: &str) -> Vec<String> {
    if group.is_empty() {
        return Vec::new();
    }
    let after_open = group.split('[').nth(1).unwrap_or("");
    let inside = after_open.split(']').next().unwrap_or("");
    inside.split(',').filter(|item| !item.is_empty()).map(|item| trim_js(item).to_owned()).collect()
}

/// JavaScript `String.prototype.trim` (whitespace and line terminators).
pub(crate) fn trim_js(text: &str) -> &str {
    text.trim_matches(|c: char| jsregex::is_space(c))
}
