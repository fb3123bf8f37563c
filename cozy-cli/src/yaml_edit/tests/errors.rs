//! Every refusal: the message names the path, the line points at the problem.

use super::super::Error;
use super::{delete_key, set_err};

#[track_caller]
fn assert_error(err: &Error, line: Option<usize>, message: &str) {
    assert_eq!((err.line, err.message.as_str()), (line, message));
    assert!(!message.ends_with('.') && message.starts_with(char::is_lowercase));
}

#[test]
fn missing_keys_without_create() {
    let old = "a:\n  b:\n    c: 1\n";
    assert_error(&set_err(old, "a.b.x", "v", false), Some(2), "key `a.b.x` not found");
    assert_error(&set_err(old, "a.x.y", "v", false), Some(1), "key `a.x.y` not found");
    assert_error(&set_err(old, "x", "v", false), Some(1), "key `x` not found");
    assert_error(&set_err("a:\n", "a.b", "v", false), Some(1), "key `a.b` not found");
    assert_error(&set_err("", "a", "v", false), None, "key `a` not found");
}

#[test]
fn list_indices_out_of_range_or_to_create() {
    let old = "l:\n- a\n- b\n";
    let message = "index `l[2]` not found: `l` has 2 items";
    assert_error(&set_err(old, "l[2]", "v", false), Some(2), message);
    assert_error(&set_err(old, "l[2]", "v", true), Some(2), message);
    let message = "cannot create `m[0]`: list items are never created, only mapping keys";
    assert_error(&set_err(old, "m[0]", "v", true), None, message);
    let message = "cannot create `m.n[0].o`: list items are never created, only mapping keys";
    assert_error(&set_err(old, "m.n[0].o", "v", true), None, message);
    assert_error(
        &set_err("", "[0]", "v", true),
        None,
        "cannot create `[0]`: list items are never created, only mapping keys",
    );
}

#[test]
fn targets_that_are_not_scalars() {
    let old = "m:\n  k: 1\nl: [1]\nx: &x 1\ny: *x\n";
    assert_error(
        &set_err(old, "m", "v", false),
        Some(2),
        "cannot set `m`: the value is a mapping, not a scalar",
    );
    assert_error(
        &set_err(old, "l", "v", true),
        Some(3),
        "cannot set `l`: the value is a list, not a scalar",
    );
    let message = "cannot set `y`: the value is an alias; edit the anchored node instead";
    assert_error(&set_err(old, "y", "v", false), Some(5), message);
}

#[test]
fn paths_through_the_wrong_kind_of_node() {
    let old = "a: text\nl:\n- 1\nm:\n  k: 1\nr: &r {k: 1}\ns: *r\n";
    let message = "cannot follow `a.b`: `a` is a scalar, not a mapping";
    assert_error(&set_err(old, "a.b", "v", true), Some(1), message);
    let message = "cannot follow `l.k`: `l` is a list, not a mapping";
    assert_error(&set_err(old, "l.k", "v", true), Some(3), message);
    let message = "cannot follow `m[0]`: `m` is a mapping, not a list";
    assert_error(&set_err(old, "m[0]", "v", false), Some(5), message);
    let message = "cannot follow `s.k`: `s` is an alias; edit the anchored node instead";
    assert_error(&set_err(old, "s.k", "v", false), Some(7), message);
    let message = "cannot follow `[0]`: the document is a mapping, not a list";
    assert_error(&set_err(old, "[0]", "v", false), Some(1), message);
    let message = "cannot follow `a`: the document is a list, not a mapping";
    assert_error(&set_err("- 1\n", "a", "v", true), Some(1), message);
}

#[test]
fn creating_below_an_empty_list_item_or_an_empty_document() {
    let message = "cannot create `l[0].k`: `l[0]` is an empty value outside a block mapping";
    assert_error(&set_err("l:\n- \n", "l[0].k", "v", true), Some(2), message);
    let message = "cannot create `k`: the document is an empty value outside a block mapping";
    assert_error(&set_err("---\n", "k", "v", true), Some(2), message);
}

#[test]
fn an_anchor_with_aliases_cannot_change() {
    let old = "a: &x 1\nb: *x\n";
    let message = "the edit of `a` would change other values (an alias of the node, a tag or an \
                   unusual layout); the text was left as it is";
    assert_error(&set_err(old, "a", "2", false), Some(1), message);
}

#[test]
fn a_custom_tag_cannot_hold_a_plain_string() {
    let err = set_err("a: !secret x\n", "a", "y", false);
    assert!(err.message.starts_with("the edit of `a` would change other values"), "{err:?}");
}

#[test]
fn malformed_yaml() {
    let err = set_err("a: 1\nb: [1\n", "a", "v", false);
    assert_eq!(err.line, Some(3));
    assert!(err.message.starts_with("cannot set `a`: invalid YAML: "), "{err:?}");
    let err = set_err("a: 1\n  b: 2\n", "a", "v", false);
    assert_eq!(err.line, Some(2));
    assert!(err.message.starts_with("cannot set `a`: invalid YAML: "), "{err:?}");
    let err = set_err("a: 1\na: 2\n", "a", "v", false);
    assert!(err.message.starts_with("cannot set `a`: invalid YAML: duplicate entry"), "{err:?}");
    // A later document's error is reported too.
    let err = set_err("a: 1\n---\nb: [\n", "a", "v", false);
    assert_eq!(err.line, Some(4));
    assert!(err.message.starts_with("cannot set `a`: invalid YAML: "), "{err:?}");
}

#[test]
fn deep_nesting_is_refused() {
    // The parser's own recursion limit or ours (256 levels) stops it; either way an error.
    let old = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
    let err = set_err(&old, "a", "v", false);
    assert_eq!(err.line, Some(1));
    assert!(err.message.starts_with("cannot set `a`: "), "{err:?}");
    assert!(err.message.contains("recursion limit") || err.message.contains("nesting deeper"));
}

#[test]
fn invalid_paths() {
    for (path, why) in [
        ("", "it is empty"),
        (".", "it is empty"),
        ("a..b", "empty key"),
        ("a.", "empty key at the end"),
        ("a[x]", "a list index must be a non-negative number"),
        ("a[-1]", "a list index must be a non-negative number"),
        ("a[1", "unterminated `[`"),
        ("\"a", "unterminated quoted key"),
        ("a]b", "a key containing `]` or `\"` must be double-quoted"),
        ("\"a\"b", "expected `.` or `[` after a key"),
        ("a[0]b", "expected `.` or `[` after a key"),
    ] {
        let err = set_err("a: 1\n", path, "v", true);
        assert_error(&err, None, &format!("invalid path `{path}`: {why}"));
    }
}

#[test]
fn delete_errors() {
    let old = "a:\n  b: 1\nl:\n- x\n? c\n: 1\n";
    let err = delete_key(old, "a.x").unwrap_err();
    assert_error(&err, Some(1), "key `a.x` not found");
    let err = delete_key(old, "l[0]").unwrap_err();
    assert_error(
        &err,
        None,
        "cannot delete `l[0]`: it names a list item; only mapping keys are deleted",
    );
    let err = delete_key(old, "c").unwrap_err();
    assert_error(&err, Some(5), "cannot delete `c`: explicit `?` keys are not supported");
    let err = delete_key(old, "l.x").unwrap_err();
    assert_error(&err, Some(4), "cannot follow `l.x`: `l` is a list, not a mapping");
    let err = delete_key("", "a").unwrap_err();
    assert_error(&err, None, "key `a` not found");
    let err = delete_key("a: [\n", "a").unwrap_err();
    assert!(err.message.starts_with("cannot delete `a`: invalid YAML: "), "{err:?}");
}

#[test]
fn a_new_key_after_a_keep_block_scalar_is_refused() {
    // The new line would take the kept trailing line breaks away from the scalar.
    let err = set_err("m:\n  a: |+\n    x\n\nz: 1\n", "m.b", "v", true);
    assert!(err.message.starts_with("the edit of `m.b` would change other values"), "{err:?}");
}
