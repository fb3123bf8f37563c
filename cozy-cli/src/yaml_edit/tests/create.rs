//! `set_scalar` with `create = true`: missing mapping keys are added as block lines.

use super::{assert_spliced, create, set};

#[test]
fn an_existing_path_is_just_set() {
    let old = "a:\n  b: 1\n";
    assert_eq!(create(old, "a.b", "2"), set(old, "a.b", "2"));
}

#[test]
fn a_new_key_goes_after_the_last_entry_at_the_siblings_column() {
    let old = "image:\n  repository: r # c\n  tag: v1 # t\n  # a foot comment\nother: 1\n";
    let new = create(old, "image.digest", "sha256:aa");
    assert_spliced(old, &new, "tag: v1 # t\n", "tag: v1 # t\n  digest: sha256:aa\n");
}

#[test]
fn new_keys_at_the_root() {
    assert_eq!(create("a: 1\n# tail\n", "b", "v"), "a: 1\nb: v\n# tail\n");
    assert_eq!(create("a: 1", "b", "v"), "a: 1\nb: v");
    assert_eq!(create("a: 1\n", "b.c.d", "v"), "a: 1\nb:\n  c:\n    d: v\n");
}

#[test]
fn new_keys_at_several_depths() {
    let old = "a:\n  b:\n    c: 1\nz: 0\n";
    assert_eq!(create(old, "a.b.d", "v"), "a:\n  b:\n    c: 1\n    d: v\nz: 0\n");
    assert_eq!(create(old, "a.e.f", "v"), "a:\n  b:\n    c: 1\n  e:\n    f: v\nz: 0\n");
    assert_eq!(
        create(old, "a.b.x.w.z", "v"),
        "a:\n  b:\n    c: 1\n    x:\n      w:\n        z: v\nz: 0\n"
    );
}

#[test]
fn the_last_entry_may_end_in_a_nested_block() {
    let old = "a:\n  b:\n    c: |\n      text\n\n  d:\n  - x\n  - y: 1\n# next\nz: 0\n";
    assert_eq!(
        create(old, "a.e", "v"),
        "a:\n  b:\n    c: |\n      text\n\n  d:\n  - x\n  - y: 1\n  e: v\n# next\nz: 0\n"
    );
}

#[test]
fn the_documents_indent_step_is_followed() {
    let old = "a:\n    b: 1\n";
    assert_eq!(create(old, "c.d", "v"), "a:\n    b: 1\nc:\n    d: v\n");
    assert_eq!(create(old, "a.x.w", "v"), "a:\n    b: 1\n    x:\n        w: v\n");
}

#[test]
fn a_bare_null_value_becomes_a_mapping() {
    assert_eq!(create("a:\nb: 1\n", "a.c", "v"), "a:\n  c: v\nb: 1\n");
    assert_eq!(create("a:   # note\nb: 1\n", "a.c", "v"), "a:   # note\n  c: v\nb: 1\n");
    assert_eq!(create("a: ~ # note\n", "a.c.d", "v"), "a: # note\n  c:\n    d: v\n");
    assert_eq!(create("x:\n  a: null\n", "x.a.c", "v"), "x:\n  a:\n    c: v\n");
}

#[test]
fn keys_inside_list_items() {
    let old = "l:\n- name: a\n  image: x\n- name: b\n";
    assert_eq!(create(old, "l[0].tag", "v"), "l:\n- name: a\n  image: x\n  tag: v\n- name: b\n");
    assert_eq!(create(old, "l[1].tag", "v"), "l:\n- name: a\n  image: x\n- name: b\n  tag: v\n");
}

#[test]
fn keys_that_need_quotes_are_double_quoted() {
    assert_eq!(create("a: 1\n", "true", "v"), "a: 1\n\"true\": v\n");
    assert_eq!(create("a: 1\n", "\"x: y\"", "v"), "a: 1\n\"x: y\": v\n");
    assert_eq!(
        create("a: 1\n", "a-b.\"example.com/x\"", "1"),
        "a: 1\na-b:\n  example.com/x: \"1\"\n"
    );
}

#[test]
fn flow_mappings_get_the_key_inside_the_braces() {
    assert_eq!(create("a: {x: 1}\n", "a.k", "v"), "a: {x: 1, k: v}\n");
    assert_eq!(create("a: {}\n", "a.k", "v"), "a: {k: v}\n");
    assert_eq!(create("a: {x: 1} # c\n", "a.k.l", "x,y"), "a: {x: 1, k: {l: \"x,y\"}} # c\n");
}

#[test]
fn crlf_and_missing_final_line_break() {
    assert_eq!(create("a:\r\n  b: 1\r\n", "a.c", "v"), "a:\r\n  b: 1\r\n  c: v\r\n");
    assert_eq!(create("a:\r\n  b: 1", "a.c.d", "v"), "a:\r\n  b: 1\r\n  c:\r\n    d: v");
}

#[test]
fn a_text_without_a_document_gets_one() {
    assert_eq!(create("", "a.b", "v"), "a:\n  b: v\n");
    assert_eq!(create("# only a comment", "a", "v"), "# only a comment\na: v\n");
    assert_eq!(create("# c\r\n", "a", "v"), "# c\r\na: v\r\n");
}

#[test]
fn the_first_document_gets_the_key() {
    let old = "a: 1\n---\nb: 2\n";
    assert_eq!(create(old, "c", "v"), "a: 1\nc: v\n---\nb: 2\n");
}
