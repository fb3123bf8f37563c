//! `cozy pkg image`: docker buildx builds from `[[image]]` tables and the write-backs of the
//! resulting references (lifecycle.md §1, §5, §10).

pub mod build;
pub mod settings;
