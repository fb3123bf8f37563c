//! Rendering releases: composing values like Flux, adding Flux's labels, and comparing
//! rendered manifests (lifecycle.md §3, §12). Pure.

pub mod diff;
pub mod labels;
pub mod manifest;
pub mod values;
