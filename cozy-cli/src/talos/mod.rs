//! Talos boot assets and installer images (`cozy talos`), after `../shared/specs/talos.md`.
//!
//! Pure core: `config`, `lock`, `digests`, `names`, `render`, `layout`, `checksums`, `report`,
//! `pe`, `initramfs`, `oci` (image archives, layouts, flattening; `oci::registry` is the only
//! network user). `build`, `push` and `matchbox` are the only parts that run tools.

pub mod build;
pub mod checksums;
pub mod config;
pub mod digests;
pub mod initramfs;
pub mod installer;
pub mod lock;
pub mod matchbox;
pub mod names;
pub mod oci;
pub mod pe;
pub mod project;
pub mod push;
pub mod render;
pub mod report;
pub mod unit;
pub mod update;
