//! Tests for the surgical YAML editor: byte-exact edits, errors, realistic values files and
//! property tests.

mod create;
mod delete;
mod errors;
mod paths;
mod props;
mod realistic;
mod set;

use super::{Error, delete_key, set_scalar};

/// `set_scalar` without creating keys, which must succeed.
fn set(text: &str, path: &str, value: &str) -> String {
    set_scalar(text, path, value, false).unwrap_or_else(|err| panic!("set {path}: {err:?}"))
}

/// `set_scalar` creating keys, which must succeed.
fn create(text: &str, path: &str, value: &str) -> String {
    set_scalar(text, path, value, true).unwrap_or_else(|err| panic!("create {path}: {err:?}"))
}

/// `delete_key`, which must succeed.
fn delete(text: &str, path: &str) -> String {
    delete_key(text, path).unwrap_or_else(|err| panic!("delete {path}: {err:?}"))
}

/// `set_scalar`, which must fail.
fn set_err(text: &str, path: &str, value: &str, create: bool) -> Error {
    match set_scalar(text, path, value, create) {
        Ok(new) => panic!("set {path} should fail, gave {new:?}"),
        Err(err) => err,
    }
}

/// Asserts that `new` is `old` with its only occurrence of `from` replaced by `to`: the bytes
/// before and after are compared one by one.
#[track_caller]
fn assert_spliced(old: &str, new: &str, from: &str, to: &str) {
    assert_eq!(old.matches(from).count(), 1, "{from:?} must occur once in the old text");
    let at = old.find(from).unwrap_or_default();
    assert_eq!(new.len(), old.len() - from.len() + to.len(), "length of {new:?}");
    assert_eq!(new.as_bytes()[..at], old.as_bytes()[..at], "prefix of {new:?}");
    assert_eq!(&new[at..at + to.len()], to, "replacement in {new:?}");
    assert_eq!(
        new.as_bytes()[at + to.len()..],
        old.as_bytes()[at + from.len()..],
        "suffix of {new:?}"
    );
}
