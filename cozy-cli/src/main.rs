//! The `cozy` binary: everything lives in the library so tests and xtask can reach it.
fn main() -> std::process::ExitCode {
    cozy::run(std::env::args_os())
}
