//! OCI and Docker image formats: archives and layouts on disk, registries over HTTP, and the
//! merged filesystem of an image's layers.

pub mod archive;
pub mod flatten;
pub mod layer;
mod layout;
pub mod registry;
