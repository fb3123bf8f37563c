//! The bitnami readme-generator dialect (values-bitnami.md): readme-generator-for-helm 2.7.0.
//!
//! Pure: the functions take file contents and return file contents or an [`Error`] naming the
//! line and key. The pipeline follows the tool step by step, quirks included:
//!
//! 1. [`yaml`] (with [`core_schema`]) parses values.yaml into JavaScript values; [`leaves`] flattens them into the
//!    real keys; [`comments`] reads the metadata comments.
//! 2. [`check`] compares the two (a mismatch fails both outputs).
//! 3. [`model`] gives every parameter its value and applies modifiers.
//! 4. [`readme`] (with [`table`]) splices the Parameters section; [`schema`] builds
//!    values.schema.json, serialised by [`json`].

mod check;
mod comments;
mod config;
mod core_schema;
mod js;
mod json;
mod jsregex;
mod leaves;
mod lodash;
mod model;
mod patterns;
mod readme;
mod schema;
mod table;
mod yaml;

#[cfg(test)]
mod tests;

pub use config::{Comments, Config, ModifierName, Modifiers, Regexp, Tags};

use crate::values::Error;
use comments::Metadata;
use model::Resolved;
use patterns::Patterns;
use readme::RenderSection;

/// values.schema.json bytes (`readme-generator -s`).
pub fn schema(values: &str, config: &Config) -> Result<String, Error> {
    let patterns = patterns::for_config(config);
    let (_, params) = prepare(values, &patterns)?;
    let default = patterns.default.as_ref().map_err(Clone::clone)?;
    let params = model::apply_modifiers(&params, config, default)?;
    schema::render(&params, config)
}

/// `readme` with its Parameters section regenerated (`readme-generator -r`).
pub fn update_readme(values: &str, readme: &str, config: &Config) -> Result<String, Error> {
    let patterns = patterns::for_config(config);
    let (metadata, params) = prepare(values, &patterns)?;
    let default = patterns.default.as_ref().map_err(Clone::clone)?;
    let mut sections = Vec::with_capacity(metadata.sections.len());
    for section in &metadata.sections {
        let members: Vec<Resolved> =
            section.params.iter().map(|&index| params[index].clone()).collect();
        sections.push(RenderSection {
            title: &section.title,
            description_lines: &section.description_lines,
            rows: model::apply_modifiers(&members, config, default)?,
        });
    }
    let header = patterns.header.as_ref().map_err(Clone::clone)?;
    readme::update(readme, &sections, header)
}

/// Parses and checks values.yaml: its metadata and every parameter joined with its value.
fn prepare(values: &str, patterns: &Patterns) -> Result<(Metadata, Vec<Resolved>), Error> {
    let document = yaml::load(values)?;
    let leaves = leaves::leaves(&document)?;
    let comment_patterns = patterns.comments.as_ref().map_err(Clone::clone)?;
    let metadata = comments::parse(values, comment_patterns);
    check::check(&leaves, &metadata.params)?;
    let params = model::combine(&metadata.params, &leaves);
    Ok((metadata, params))
}
