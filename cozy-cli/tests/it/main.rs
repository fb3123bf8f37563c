//! The one integration-test binary: runs the real `cozy` in a sandbox (see `support`).
#![allow(unreachable_pub, reason = "the test binary is its own crate; `pub` marks what tests use")]
#![allow(clippy::disallowed_methods, reason = "tests start processes and write fixtures directly")]

mod basics;
mod changed_since;
mod chart_repo;
mod dashboards;
mod e2e;
mod generate;
mod pkg_cluster;
mod pkg_diff;
mod pkg_image;
mod pkg_list;
mod pkg_migrate;
mod pkg_new;
mod pkg_show;
mod pkg_update;
mod support;
mod talos_build;
mod talos_inspect;
mod talos_publish;
mod talos_registry;
mod tools;
