//! `set_scalar` on existing nodes: only the scalar's bytes change.

use super::{assert_spliced, set};

#[test]
fn comments_before_after_and_on_the_line_stay() {
    let old = "# head of the file\n\
               image:\n  # the tag, written by make image\n  tag: v1 # pinned\n  # foot comment\n\
               other: 1\n# end\n";
    let new = set(old, "image.tag", "v2");
    assert_eq!(
        new,
        "# head of the file\nimage:\n  # the tag, written by make image\n  tag: v2 # pinned\n  \
         # foot comment\nother: 1\n# end\n"
    );
    assert_spliced(old, &new, "v1", "v2");
}

#[test]
fn nested_mappings() {
    let old = "a:\n  b:\n    c:\n      d: old\n    e: 1\nf: 2\n";
    assert_eq!(set(old, "a.b.c.d", "new"), "a:\n  b:\n    c:\n      d: new\n    e: 1\nf: 2\n");
    assert_eq!(set(old, ".a.b.e", "x"), "a:\n  b:\n    c:\n      d: old\n    e: x\nf: 2\n");
}

#[test]
fn keys_with_dashes_and_dots() {
    let old = "keycloak-operator:\n  image:\n    tag: v1\nannotations:\n  example.com/x: \"a\"\n  \
               a.b: c\n";
    let new = set(old, "keycloak-operator.image.tag", "v2@sha256:00");
    assert_spliced(old, &new, "v1", "v2@sha256:00");
    let new = set(old, "annotations.\"example.com/x\"", "b");
    assert_spliced(old, &new, "\"a\"", "\"b\"");
    let new = set(old, "annotations.\"a.b\"", "d");
    assert_spliced(old, &new, "c\n", "d\n");
}

#[test]
fn quoted_keys_in_the_file_match_plain_path_segments() {
    let old = "\"redis-operator\":\n  'image':\n    \"tag\": v1\n";
    assert_eq!(
        set(old, "redis-operator.image.tag", "v2"),
        "\"redis-operator\":\n  'image':\n    \"tag\": v2\n"
    );
}

#[test]
fn list_indices() {
    let old = "a:\n- x\n- [1, [2, 3]]\n- b:\n  - c: 1\n  - c: 2\n    d: old\n";
    assert_spliced(old, &set(old, "a[0]", "w"), "- x", "- w");
    assert_spliced(old, &set(old, "a[1][1][0]", "9"), "[2, 3]", "[\"9\", 3]");
    assert_spliced(old, &set(old, "a[2].b[1].d", "new"), "old", "new");
    assert_eq!(set("- a\n- b\n", "[1]", "c"), "- a\n- c\n");
}

#[test]
fn block_sequence_plain_scalars_containing_colons() {
    let old = "extraArgs:\n- --migrate-image=repo:v1@sha256:aa\n- a:b\n";
    let new = set(old, "extraArgs[0]", "--migrate-image=ghcr.io/x/kamaji:v2@sha256:bb");
    assert_eq!(new, "extraArgs:\n- --migrate-image=ghcr.io/x/kamaji:v2@sha256:bb\n- a:b\n");
    assert_eq!(
        set(old, "extraArgs[1]", "c:d"),
        "extraArgs:\n- --migrate-image=repo:v1@sha256:aa\n- c:d\n"
    );
}

#[test]
fn anchors_and_aliases_elsewhere_stay() {
    let old = "base: &base\n  x: 1\nuse:\n  <<: *base\n  y: 2\nname: &n old\nref: *n\nother: v1\n";
    assert_spliced(old, &set(old, "other", "v2"), "v1", "v2");
    assert_spliced(old, &set(old, "use.y", "3"), "y: 2", "y: \"3\"");
}

#[test]
fn an_anchored_scalar_without_aliases_keeps_its_anchor() {
    assert_eq!(set("a: &x old # c\nb: 1\n", "a", "new"), "a: &x new # c\nb: 1\n");
    assert_eq!(set("a: !!str old\n", "a", "new"), "a: !!str new\n");
}

#[test]
fn flow_mappings_and_sequences() {
    let old = "m: {p: q, r: [1, 2], s: \"t\"}\nl: [a, 'b']\n";
    assert_spliced(old, &set(old, "m.p", "z"), "p: q", "p: z");
    assert_spliced(old, &set(old, "m.r[1]", "x"), "1, 2", "1, x");
    assert_spliced(old, &set(old, "m.s", "u"), "\"t\"", "\"u\"");
    assert_spliced(old, &set(old, "l[1]", "c"), "'b'", "'c'");
    // Flow indicators need quotes inside flow collections only.
    assert_spliced(old, &set(old, "l[0]", "x,y"), "[a,", "[\"x,y\",");
    assert_eq!(set("a: b\n", "a", "x,y"), "a: x,y\n");
    // Multi-line flow collections keep their layout.
    let old = "m: {\n  a: 1,\n  b: 2,\n}\n";
    assert_eq!(set(old, "m.b", "x"), "m: {\n  a: 1,\n  b: x,\n}\n");
}

#[test]
fn single_double_and_plain_styles_are_kept() {
    let old = "d: \"sha256:aa\"\ns: 'digest=sha256:aa'\np: v1\n";
    assert_spliced(old, &set(old, "d", "sha256:bb"), "\"sha256:aa\"", "\"sha256:bb\"");
    assert_spliced(
        old,
        &set(old, "s", "digest=sha256:bb"),
        "'digest=sha256:aa'",
        "'digest=sha256:bb'",
    );
    assert_spliced(old, &set(old, "p", "v2"), "v1", "v2");
}

#[test]
fn quoted_styles_escape_what_they_must() {
    assert_eq!(set("a: \"x\"\n", "a", "say \"hi\" \\o/"), "a: \"say \\\"hi\\\" \\\\o/\"\n");
    assert_eq!(set("a: \"x\"\n", "a", "tab\there\u{1}"), "a: \"tab\\there\\x01\"\n");
    assert_eq!(set("a: 'x'\n", "a", "it's"), "a: 'it''s'\n");
    assert_eq!(set("a: 'x'\n", "a", "true"), "a: 'true'\n");
    // Single quotes cannot hold a line break on one line: double quotes instead.
    assert_eq!(set("a: 'x'\n", "a", "two\nlines"), "a: \"two\\nlines\"\n");
}

#[test]
fn plain_values_that_need_quotes_become_double_quoted() {
    let cases = [
        ("true", "\"true\""),
        ("False", "\"False\""),
        ("yes", "\"yes\""),
        ("on", "\"on\""),
        ("y", "\"y\""),
        ("null", "\"null\""),
        ("~", "\"~\""),
        ("", "\"\""),
        ("1", "\"1\""),
        ("-1", "\"-1\""),
        ("1.0", "\"1.0\""),
        ("1e3", "\"1e3\""),
        (".5", "\".5\""),
        ("0x1F", "\"0x1F\""),
        ("0o17", "\"0o17\""),
        ("017", "\"017\""),
        ("1_000", "\"1_000\""),
        ("1:30", "\"1:30\""),
        (".inf", "\".inf\""),
        ("-.Inf", "\"-.Inf\""),
        (".NaN", "\".NaN\""),
        ("2024-01-02", "\"2024-01-02\""),
        ("<<", "\"<<\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("a: b", "\"a: b\""),
        ("a:", "\"a:\""),
        ("a #b", "\"a #b\""),
        ("- x", "\"- x\""),
        ("-", "\"-\""),
        ("? x", "\"? x\""),
        (":", "\":\""),
        ("[x]", "\"[x]\""),
        ("{x}", "\"{x}\""),
        (",x", "\",x\""),
        ("#x", "\"#x\""),
        ("&x", "\"&x\""),
        ("*x", "\"*x\""),
        ("!x", "\"!x\""),
        ("|x", "\"|x\""),
        (">x", "\">x\""),
        ("'x", "\"'x\""),
        ("\"x", "\"\\\"x\""),
        ("%x", "\"%x\""),
        ("@x", "\"@x\""),
        ("`x", "\"`x\""),
        ("---", "\"---\""),
        ("two\nlines", "\"two\\nlines\""),
        ("tab\t", "\"tab\\t\""),
        ("\u{feff}bom", "\"\\uFEFFbom\""),
    ];
    for (value, written) in cases {
        assert_eq!(
            set("a: old # c\n", "a", value),
            format!("a: {written} # c\n"),
            "value {value:?}"
        );
    }
}

#[test]
fn plain_values_that_read_as_strings_stay_plain() {
    for value in [
        "v1.2.3",
        "1.2.3",
        "ghcr.io/cozystack/cozystack/cilium:1.17.4@sha256:0123abcd",
        "--migrate-image=a:b",
        "-x",
        "?x",
        ":x",
        "a#b",
        "a:b",
        "yes-no",
        "nullable",
        "0xZZ",
        "ünïcödé",
        "x y",
        "it's \"fine\"",
    ] {
        assert_eq!(set("a: old\n", "a", value), format!("a: {value}\n"), "value {value:?}");
    }
}

#[test]
fn empty_values_get_the_value_after_the_colon() {
    assert_eq!(set("a:\nb: 1\n", "a", "v"), "a: v\nb: 1\n");
    assert_eq!(set("a:   # note\nb: 1\n", "a", "v"), "a: v   # note\nb: 1\n");
    assert_eq!(set("a: &x\nb: 1\n", "a", "v"), "a: &x v\nb: 1\n");
    assert_eq!(set("\"a\":\n", "a", "v"), "\"a\": v\n");
    assert_eq!(set("a:", "a", "true"), "a: \"true\"");
    assert_eq!(set("l:\n- \n-\n- x\n", "l[0]", "v"), "l:\n- v\n-\n- x\n");
    assert_eq!(set("l:\n- \n-\n- x\n", "l[1]", "v"), "l:\n- \n- v\n- x\n");
    assert_eq!(set("m: {a: , b: 1}\n", "m.a", "v"), "m: {a: v , b: 1}\n");
}

#[test]
fn null_values_are_replaced() {
    assert_eq!(set("a: ~\n", "a", "v"), "a: v\n");
    assert_eq!(set("a: null # unset\n", "a", "v"), "a: v # unset\n");
}

#[test]
fn block_scalars_become_double_quoted_on_the_header_line() {
    let old = "a: | # header comment\n  line one\n  line two\n\nb: >-\n  folded\n  text\nc: 1\n";
    assert_eq!(set(old, "a", "v"), "a: \"v\" # header comment\n\nb: >-\n  folded\n  text\nc: 1\n");
    assert_eq!(
        set(old, "b", "two\nlines"),
        "a: | # header comment\n  line one\n  line two\n\nb: \"two\\nlines\"\nc: 1\n"
    );
    assert_eq!(set("k: &a |2\n    x\n   y\nn: 1", "k", "v"), "k: &a \"v\"\nn: 1");
    assert_eq!(set("l:\n- |\n  x\n- y\n", "l[0]", "v"), "l:\n- \"v\"\n- y\n");
    assert_eq!(set("a: |\nb: 1\n", "a", "v"), "a: \"v\"\nb: 1\n");
    // Properties on the list before a block scalar item.
    assert_eq!(set("k: &s\n- |\n  x\n- y\n", "k[0]", "v"), "k: &s\n- \"v\"\n- y\n");
    assert_eq!(set("k: !!seq\n  - >\n    z\n", "k[0]", "v"), "k: !!seq\n  - \"v\"\n");
    // A less indented comment ends the block; it stays.
    let old = "a:\n  d: |\n      lit\n\n    # comment\n  e: 1\n";
    assert_eq!(set(old, "a.d", "v"), "a:\n  d: \"v\"\n\n    # comment\n  e: 1\n");
}

#[test]
fn multi_line_scalars_become_one_line() {
    assert_eq!(set("a: foo\n  bar\nb: 1\n", "a", "v"), "a: v\nb: 1\n");
    assert_eq!(set("a: \"foo\n  bar\" # c\nb: 1\n", "a", "v"), "a: \"v\" # c\nb: 1\n");
    assert_eq!(set("a: 'foo\n\n  bar'\nb: 1\n", "a", "v"), "a: 'v'\nb: 1\n");
}

#[test]
fn crlf_line_endings_stay() {
    let old = "# c\r\nimage:\r\n  tag: v1 # t\r\n  digest: \"sha256:aa\"\r\n";
    let new = set(old, "image.digest", "sha256:bb");
    assert_eq!(new, "# c\r\nimage:\r\n  tag: v1 # t\r\n  digest: \"sha256:bb\"\r\n");
    assert_spliced(old, &set(old, "image.tag", "v2"), "v1", "v2");
    assert_eq!(set("a: |\r\n  x\r\n  y\r\nb: 1\r\n", "a", "v"), "a: \"v\"\r\nb: 1\r\n");
}

#[test]
fn a_missing_final_line_break_stays_missing() {
    assert_eq!(set("a: 1\nb: old", "b", "new"), "a: 1\nb: new");
    assert_eq!(set("a: 1\nb: 'old'", "b", "new"), "a: 1\nb: 'new'");
    assert_eq!(set("a: 1\nb: |\n  old", "b", "new"), "a: 1\nb: \"new\"");
}

#[test]
fn only_the_first_document_is_edited() {
    let old = "--- # first\na: 1\n---\na: 2\n...\n";
    assert_eq!(set(old, "a", "x"), "--- # first\na: x\n---\na: 2\n...\n");
    let old = "%YAML 1.2\n---\na: 1\n";
    assert_eq!(set(old, "a", "x"), "%YAML 1.2\n---\na: x\n");
}

#[test]
fn non_ascii_text_before_the_target_keeps_offsets_right() {
    let old = "ключ: значение # комментарий\n絵文字: \"🙂\"\nimage:\n  tag: v1\n";
    assert_spliced(old, &set(old, "image.tag", "v2"), "v1", "v2");
    assert_spliced(old, &set(old, "絵文字", "🙃"), "\"🙂\"", "\"🙃\"");
    assert_spliced(old, &set(old, "ключ", "ёж"), "значение", "ёж");
}

#[test]
fn setting_the_same_value_changes_nothing() {
    let old = "a: \"x\" # c\nb: 'y'\nc: z\n";
    assert_eq!(set(old, "a", "x"), old);
    assert_eq!(set(old, "b", "y"), old);
    assert_eq!(set(old, "c", "z"), old);
}

#[test]
fn a_byte_order_mark_stays() {
    assert_eq!(set("\u{feff}a: 1\n", "a", "x"), "\u{feff}a: x\n");
    // yaml_serde (libyaml-rs) misreads a byte order mark followed by more lines as several
    // documents, so the check refuses such edits instead of guessing.
    let err = super::set_err("\u{feff}a: 1\nb: 2\n", "a", "x", false);
    assert!(err.message.starts_with("cannot set `a`: invalid YAML"), "{err:?}");
}
