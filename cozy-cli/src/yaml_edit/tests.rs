//! Tests for the surgical YAML editor.

use super::*;

#[test]
fn smoke() {
    let cases: &[(&str, &str, &str, bool)] = &[
        ("a: 1 # c\nb:\n  c: \"x\"\n", "b.c", "y", false),
        ("a: 1 # c\nb:\n  c: \"x\"\n", "b.d", "y", true),
        ("a: 1 # c\nb:\n  c: \"x\"\n", "b.d.e.f", "true", true),
        (
            "l:\n- a:b\n- --migrate-image=repo:v1@sha256:ab\n",
            "l[1]",
            "--migrate-image=r:v2@sha256:cd",
            false,
        ),
        ("d: | # hdr\n  lit\n  more\n\ne: 1\n", "d", "new", false),
        ("e:\nf: 1\n", "e", "v", false),
        ("e:   # c\nf: 1\n", "e.x", "v", true),
        ("e: ~  # c\nf: 1\n", "e.x", "v", true),
        ("m: {p: q, r: [1, 2]}\n", "m.r[1]", "x,y", false),
        ("a: 1\r\nb:\r\n  c: x\r\n", "b.d", "v", true),
        ("a: 1\nb: 2", "b", "3", false),
        ("", "a.b", "v", true),
        ("# only", "a.b", "v", true),
        ("- a: 1\n  b: 2\n", "[0].c", "v", true),
        ("a: &x 1\nb: *x\n", "a", "2", false),
        ("a: &x 1\nb: *x\n", "b", "2", false),
        ("o: 'it''s'\n", "o", "don't", false),
    ];
    for (text, path, value, create) in cases {
        println!(
            "--- {path} = {value:?} create={create}\n{text}\n=>\n{:?}",
            set_scalar(text, path, value, *create).map(|s| s)
        );
    }
    let dels: &[(&str, &str)] = &[
        ("a: 1\nb:\n  c: 2\n  # deeper\n# head of d\nd: 3\n", "b"),
        ("a: 1\nb: 2", "b"),
        ("a: 1\n", "a"),
        ("l:\n- name: x\n  image: y\n", "l[0].name"),
        ("m: {a: 1, b: 2, c: 3}\n", "m.b"),
        ("m: {a: 1, b: 2, c: 3}\n", "m.a"),
        ("m: {a: 1}\n", "m.a"),
    ];
    for (text, path) in dels {
        println!("--- del {path}\n{text}\n=>\n{:?}", delete_key(text, path));
    }
}
