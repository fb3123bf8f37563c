//! The bitnami readme-generator dialect (values-bitnami.md). Being written; the API below is
//! the contract with `commands/generate.rs`.

use crate::values::Error;

/// The readme-generator config (`-c config.json`); `Config::default()` is the tool's default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {}

impl Config {
    /// Parses a config.json.
    pub fn parse(_json: &str) -> Result<Config, Error> {
        Err(Error::values(None, None, "the bitnami dialect is not implemented yet"))
    }
}

/// values.schema.json bytes (`readme-generator -s`).
pub fn schema(_values: &str, _config: &Config) -> Result<String, Error> {
    Err(Error::values(None, None, "the bitnami dialect is not implemented yet"))
}

/// `readme` with its Parameters section regenerated (`readme-generator -r`).
pub fn update_readme(_values: &str, _readme: &str, _config: &Config) -> Result<String, Error> {
    Err(Error::values(None, None, "the bitnami dialect is not implemented yet"))
}
