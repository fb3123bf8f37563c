//! The cozyvalues-gen dialect (values-cozyvalues.md). Being written; the API below is the
//! contract with `commands/generate.rs`.

use crate::values::Error;

/// values.schema.json bytes for an annotated values.yaml (`cozyvalues-gen -s`).
pub fn schema(_values: &str) -> Result<String, Error> {
    Err(Error::values(None, None, "the cozyvalues dialect is not implemented yet"))
}

/// `readme` with its Parameters section regenerated from `values` (`cozyvalues-gen -r`).
pub fn update_readme(_values: &str, _readme: &str) -> Result<String, Error> {
    Err(Error::values(None, None, "the cozyvalues dialect is not implemented yet"))
}

/// Go types (`cozyvalues-gen -g`) for package `module`, group and version for the header marker.
pub fn go_types(
    _values: &str,
    _module: &str,
    _group: &str,
    _version: &str,
) -> Result<String, Error> {
    Err(Error::values(None, None, "the cozyvalues dialect is not implemented yet"))
}
