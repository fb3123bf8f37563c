//! `delete_key`: the key's lines go, everything else stays.

use super::{assert_spliced, delete};

#[test]
fn a_leaf_among_siblings() {
    let old = "a: 1\nb: 2 # c\nc: 3\n";
    assert_eq!(delete(old, "a"), "b: 2 # c\nc: 3\n");
    assert_spliced(old, &delete(old, "b"), "b: 2 # c\n", "");
    assert_eq!(delete(old, "c"), "a: 1\nb: 2 # c\n");
}

#[test]
fn a_nested_block_and_its_deeper_trailing_comments() {
    let old = "# head of b\nb:\n  c: 2\n  # about c\n\n  # more about c\n\n# head of d\nd: 3\n";
    assert_eq!(delete(old, "b"), "# head of b\n\n# head of d\nd: 3\n");
    // Comments at the key's own column belong to the next key and stay.
    let old = "image:\n  repository: r\n  tag: v1\n  # pullPolicy: Always\nnext: 1\n";
    assert_eq!(
        delete(old, "image.tag"),
        "image:\n  repository: r\n  # pullPolicy: Always\nnext: 1\n"
    );
    assert_eq!(delete(old, "image"), "next: 1\n");
}

#[test]
fn a_key_whose_value_is_a_block_scalar_or_list() {
    let old = "a: |\n  text\n\n  more\nb:\n- x\n- y: 1\n  z: 2\nc: 3\n";
    assert_eq!(delete(old, "a"), "b:\n- x\n- y: 1\n  z: 2\nc: 3\n");
    assert_eq!(delete(old, "b"), "a: |\n  text\n\n  more\nc: 3\n");
    assert_eq!(delete(old, "b[1].y"), "a: |\n  text\n\n  more\nb:\n- x\n- z: 2\nc: 3\n");
    assert_eq!(delete(old, "b[1].z"), "a: |\n  text\n\n  more\nb:\n- x\n- y: 1\nc: 3\n");
}

#[test]
fn the_last_line_without_a_line_break() {
    assert_eq!(delete("a: 1\nb: 2", "b"), "a: 1");
    assert_eq!(delete("a: 1\r\nb:\r\n  c: 2", "b"), "a: 1");
    assert_eq!(delete("a: 1\nb: 2", "a"), "b: 2");
    assert_eq!(delete("a: 1  # c\n\n  \nb: 2", "b"), "a: 1  # c");
}

#[test]
fn the_only_key_leaves_an_empty_mapping() {
    assert_eq!(delete("a: 1 # c\n", "a"), "{} # c\n");
    assert_eq!(delete("x:\n  a: 1\ny: 2\n", "x.a"), "x:\n  {}\ny: 2\n");
    assert_eq!(delete("l:\n- a: 1\n- b: 2\n", "l[0].a"), "l:\n- {}\n- b: 2\n");
}

#[test]
fn flow_mappings() {
    let old = "m: {a: 1, b: [2], c: 3} # c\n";
    assert_eq!(delete(old, "m.a"), "m: {b: [2], c: 3} # c\n");
    assert_eq!(delete(old, "m.b"), "m: {a: 1, c: 3} # c\n");
    assert_eq!(delete(old, "m.c"), "m: {a: 1, b: [2]} # c\n");
    assert_eq!(delete("m: {a: 1}\n", "m.a"), "m: {}\n");
}

#[test]
fn crlf_line_endings() {
    let old = "a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\nz: 0\r\n";
    assert_eq!(delete(old, "b.c"), "a: 1\r\nb:\r\n  d: 3\r\nz: 0\r\n");
    assert_eq!(delete(old, "b"), "a: 1\r\nz: 0\r\n");
}

#[test]
fn keys_with_dashes_dots_and_quotes() {
    let old = "keycloak-operator:\n  image:\n    tag: v1\n    \"registry\": ghcr.io\nann:\n  example.com/x: y\n  k: v\n";
    assert_spliced(
        old,
        &delete(old, "keycloak-operator.image.registry"),
        "    \"registry\": ghcr.io\n",
        "",
    );
    assert_spliced(old, &delete(old, "ann.\"example.com/x\""), "  example.com/x: y\n", "");
}

#[test]
fn anchors_elsewhere_stay() {
    let old = "base: &b\n  x: 1\nuse: *b\ndrop: 2\n";
    assert_eq!(delete(old, "drop"), "base: &b\n  x: 1\nuse: *b\n");
}

#[test]
fn only_the_first_document() {
    assert_eq!(delete("a: 1\nb: 2\n---\na: 3\n", "a"), "b: 2\n---\na: 3\n");
}
