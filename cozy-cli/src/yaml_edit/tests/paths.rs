//! The path syntax.

use super::super::{Segment, display_path, parse_path};

fn key(name: &str) -> Segment {
    Segment::Key(name.to_owned())
}

#[test]
fn parses_keys_indices_and_quoted_keys() {
    let cases = [
        ("a", vec![key("a")]),
        (".a.b", vec![key("a"), key("b")]),
        ("a.b[0].c", vec![key("a"), key("b"), Segment::Index(0), key("c")]),
        ("a[0][12]", vec![key("a"), Segment::Index(0), Segment::Index(12)]),
        ("[3]", vec![Segment::Index(3)]),
        ("[3].a", vec![Segment::Index(3), key("a")]),
        ("keycloak-operator.image.tag", vec![key("keycloak-operator"), key("image"), key("tag")]),
        ("annotations.\"example.com/x\"", vec![key("annotations"), key("example.com/x")]),
        ("\"a\\\"b\\\\c\"[1]", vec![key("a\"b\\c"), Segment::Index(1)]),
        ("\"\".x", vec![key(""), key("x")]),
        ("a b.ü", vec![key("a b"), key("ü")]),
    ];
    for (path, segments) in cases {
        assert_eq!(parse_path(path), Ok(segments), "{path}");
    }
}

#[test]
fn display_round_trips() {
    for path in
        ["a.b[0].c", "a[0][1]", "annotations.\"example.com/x\"", "\"a\\\"b\"", "[2]", "\"\""]
    {
        let segments = parse_path(path).unwrap_or_default();
        assert_eq!(display_path(&segments), path);
    }
}
