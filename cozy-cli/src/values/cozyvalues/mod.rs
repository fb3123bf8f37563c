//! The cozyvalues-gen v1.6.0 dialect: values.yaml → README tables, values.schema.json, Go types.
//!
//! Spec: `values-cozyvalues.md`. Two parsers read the same annotation lines, as upstream does:
//! the README side (`readme*`) and the schema/Go side (`model`); they differ in how `@field`
//! lines attach and in which YAML reading they use.

mod defaults;
mod go;
mod json;
mod lexer;
mod model;
mod readme;
mod readme_check;
mod readme_model;
mod readme_rows;
mod readme_values;
mod schema;
mod types;
mod yaml_value;

#[cfg(test)]
mod tests;

use crate::values::Error;

/// The schema/Go model of `values` after the checks that make upstream fail.
fn checked_model(values: &str) -> Result<model::Model, Error> {
    let model = model::Model::new(&lexer::annotations(values))?;
    model.check()?;
    Ok(model)
}

/// The YAML 1.1 reading of values.yaml for defaults; unparsable YAML gives no defaults.
fn schema_yaml(values: &str) -> json::Json {
    yaml_value::parse(values)
        .ok()
        .and_then(|node| yaml_value::reading_v11(&node))
        .unwrap_or(json::Json::Obj(Vec::new()))
}

/// values.schema.json bytes for an annotated values.yaml (`cozyvalues-gen -s`).
pub fn schema(values: &str) -> Result<String, Error> {
    let model = checked_model(values)?;
    schema::generate(&model, &schema_yaml(values))
}

/// `readme` with its Parameters section regenerated from `values` (`cozyvalues-gen -r`).
pub fn update_readme(values: &str, readme: &str) -> Result<String, Error> {
    readme::update(&lexer::annotations(values), values, readme)
}

/// Go types (`cozyvalues-gen -g`) for package `module`, group and version for the header marker.
pub fn go_types(values: &str, module: &str, group: &str, version: &str) -> Result<String, Error> {
    let model = checked_model(values)?;
    go::generate(&model, &schema_yaml(values), &go::Header { module, group, version })
}
