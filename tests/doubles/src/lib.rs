//! Builders of small, deterministic, structurally real artifacts for cozy's tests, and the
//! `fake-docker` test double that plays the Talos imager with them.
//!
//! Nothing here is used by cozy itself; it exists so tests can build inputs that cozy's readers
//! must accept (or reject) without Docker, a registry or the real imager.

pub mod cpio;
pub mod initramfs;
pub mod installer;
pub mod oci;
pub mod pe;
