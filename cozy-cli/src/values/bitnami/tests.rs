//! Tests of the bitnami dialect: golden cases from the real tool, unit tests, a no-panic property.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::js::{Js, number_to_string};
use super::{Config, schema, update_readme};
use crate::values::{Error, Source};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/values/bitnami")
}

fn read(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|bytes| String::from_utf8(bytes).expect("fixtures are UTF-8"))
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// `expected-error.txt` (written by make-golden.sh) and `expected-cozy-error.txt` (by hand):
/// lines `STAGE: TEXT`, grouped by stage.
fn stage_lines(text: Option<String>) -> BTreeMap<String, Vec<String>> {
    let mut stages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.unwrap_or_default().lines() {
        if let Some((stage, rest)) = line.split_once(": ") {
            stages.entry(stage.to_owned()).or_default().push(rest.to_owned());
        }
    }
    stages
}

/// Checks that cozy's error means what the tool's error says; `Err` explains a mismatch.
fn same_failure(tool: &[String], cozy: &Error) -> Result<(), String> {
    let exception = tool.iter().find(|line| line.contains("Error: ")).cloned().unwrap_or_default();
    let metadata_errors: Vec<&String> =
        tool.iter().filter(|line| line.starts_with("ERROR: ")).collect();
    let key = cozy.key.as_deref().unwrap_or_default();
    let ok = if exception == "Error: ERROR: Wrong metadata!" {
        let first = metadata_errors.first().map_or("", |line| line.as_str());
        if let Some(expected) = first.strip_prefix("ERROR: Missing metadata for key: ") {
            key == expected && cozy.message.starts_with("missing metadata")
        } else if let Some(expected) =
            first.strip_prefix("ERROR: Metadata provided for non existing key: ")
        {
            key == expected && cozy.message.starts_with("metadata provided for non existing key")
        } else {
            false
        }
    } else if let Some(rest) = exception.strip_prefix("Error: Unknown modifier: ") {
        let (modifier, param) = rest.rsplit_once(" for parameter ").unwrap_or_default();
        key == param && cozy.message == format!("unknown modifier `{modifier}`")
    } else if let Some(list) =
        exception.strip_prefix("Error: Invalid type 'nil' for the following values: ")
    {
        key == list.split(", ").next().unwrap_or_default() && cozy.message.contains(list)
    } else if exception == "Error: ERROR: error getting current Parameters section from README" {
        cozy.file == Source::Readme
    } else if exception.starts_with("YAMLParseError: ") {
        cozy.file == Source::Values && cozy.message.starts_with("invalid YAML")
    } else if exception.starts_with("TypeError: ") {
        cozy.message.ends_with("which makes readme-generator crash")
    } else {
        false
    };
    if ok {
        Ok(())
    } else {
        Err(format!("the tool failed with {tool:?}, cozy with `{cozy}` ({cozy:?})"))
    }
}

struct Outcome {
    cases: usize,
    outputs: usize,
    failures: Vec<String>,
}

/// Compares one stage's result with the golden file or the recorded failure.
fn compare_stage(
    outcome: &mut Outcome,
    case: &str,
    stage: &str,
    result: Result<String, Error>,
    golden: Option<String>,
    tool_errors: &BTreeMap<String, Vec<String>>,
    cozy_errors: &BTreeMap<String, Vec<String>>,
) {
    outcome.outputs += 1;
    match (result, golden) {
        (Ok(actual), Some(expected)) => {
            if actual != expected {
                outcome.failures.push(format!(
                    "{case} ({stage}): output differs\n{}",
                    diff(&expected, &actual)
                ));
            }
        }
        (Err(err), None) => {
            let tool = tool_errors.get(stage).map(Vec::as_slice).unwrap_or_default();
            if let Err(why) = same_failure(tool, &err) {
                outcome.failures.push(format!("{case} ({stage}): {why}"));
            }
            let expected = cozy_errors.get(stage).and_then(|lines| lines.first());
            if expected != Some(&err.to_string()) {
                outcome.failures.push(format!(
                    "{case} ({stage}): expected-cozy-error.txt says {expected:?}, cozy says `{err}`"
                ));
            }
        }
        (Ok(actual), None) => outcome.failures.push(format!(
            "{case} ({stage}): the tool failed with {:?} but cozy succeeded:\n{actual}",
            tool_errors.get(stage)
        )),
        (Err(err), Some(_)) => {
            outcome
                .failures
                .push(format!("{case} ({stage}): the tool succeeded but cozy failed: {err}"));
        }
    }
}

#[test]
fn conformance_with_readme_generator_2_7_0() {
    let mut case_dirs: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("the fixtures directory exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.join("values.yaml").is_file())
        .collect();
    case_dirs.sort();
    let mut outcome = Outcome { cases: 0, outputs: 0, failures: Vec::new() };
    for dir in &case_dirs {
        let case = dir.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_owned();
        outcome.cases += 1;
        let values = read(&dir.join("values.yaml")).expect("values.yaml");
        let readme_in = read(&dir.join("README.in.md")).expect("README.in.md");
        let config = match read(&dir.join("config.json")) {
            Some(json) => Config::parse(&json).expect("config.json parses"),
            None => Config::default(),
        };
        let tool_errors = stage_lines(read(&dir.join("expected-error.txt")));
        let cozy_errors = stage_lines(read(&dir.join("expected-cozy-error.txt")));
        let golden_readme = read(&dir.join("README.md"));

        let result = update_readme(&values, &readme_in, &config);
        compare_stage(
            &mut outcome,
            &case,
            "readme",
            result,
            golden_readme.clone(),
            &tool_errors,
            &cozy_errors,
        );
        let result = schema(&values, &config);
        let golden_schema = read(&dir.join("values.schema.json"));
        compare_stage(
            &mut outcome,
            &case,
            "schema",
            result,
            golden_schema,
            &tool_errors,
            &cozy_errors,
        );

        // Running over its own output again: the same README, except where the tool is not
        // idempotent (README.rerun.md holds its second result then).
        if let Some(first) = golden_readme {
            let expected = read(&dir.join("README.rerun.md")).unwrap_or_else(|| first.clone());
            let result = update_readme(&values, &first, &config);
            compare_stage(
                &mut outcome,
                &case,
                "rerun",
                result,
                Some(expected),
                &tool_errors,
                &cozy_errors,
            );
        }
    }
    assert!(outcome.cases > 0, "no cases found in {}", cases_dir().display());
    assert!(
        outcome.failures.is_empty(),
        "{} of {} outputs in {} cases differ from readme-generator 2.7.0:\n\n{}",
        outcome.failures.len(),
        outcome.outputs,
        outcome.cases,
        outcome.failures.join("\n\n")
    );
}

const README: &str = "# Chart\n\n## Parameters\n\n## Next\n";

#[test]
fn numbers_print_like_javascript() {
    let cases = [
        (1.0, "1"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (1e-6, "0.000001"),
        (123_456_789.123_456_79, "123456789.12345679"),
        (-1.5e-10, "-1.5e-10"),
        (12_345_678_901_234_567_890.0, "12345678901234567000"),
        (f64::INFINITY, "Infinity"),
        (f64::NAN, "NaN"),
        (5e-324, "5e-324"),
        (1.797_693_134_862_315_7e308, "1.7976931348623157e+308"),
    ];
    for (number, expected) in cases {
        assert_eq!(number_to_string(number), expected, "{number:e}");
    }
}

#[test]
fn core_schema_scalars() {
    use super::core_schema::core_scalar;
    assert_eq!(core_scalar("017"), Js::Num(17.0));
    assert_eq!(core_scalar("0o17"), Js::Num(15.0));
    assert_eq!(core_scalar("0x1F"), Js::Num(31.0));
    assert_eq!(core_scalar("1."), Js::Num(1.0));
    assert_eq!(core_scalar(".5"), Js::Num(0.5));
    assert_eq!(core_scalar("+.5"), Js::Num(0.5));
    assert_eq!(core_scalar("1.e2"), Js::Num(100.0));
    assert_eq!(core_scalar("-0x1F"), Js::Str("-0x1F".to_owned()));
    assert_eq!(core_scalar("0b1"), Js::Str("0b1".to_owned()));
    assert_eq!(core_scalar("1_000"), Js::Str("1_000".to_owned()));
    assert_eq!(core_scalar("+.nan"), Js::Str("+.nan".to_owned()));
    assert_eq!(core_scalar("yes"), Js::Str("yes".to_owned()));
    assert_eq!(core_scalar("~"), Js::Null);
    assert_eq!(core_scalar("True"), Js::Bool(true));
    assert_eq!(core_scalar("tRUE"), Js::Str("tRUE".to_owned()));
}

#[test]
fn lodash_paths() {
    use super::lodash::string_to_path;
    let path = |text: &str| string_to_path(text);
    assert_eq!(path("a.b[0].c"), ["a", "b", "0", "c"]);
    assert_eq!(path("a..b"), ["a", "", "b"]);
    assert_eq!(path(".a"), ["", "a"]);
    assert_eq!(path("a."), ["a", ""]);
    assert_eq!(path(r#"a["b.c"].d"#), ["a", "b.c", "d"]);
    assert_eq!(path("a[-1.5]"), ["a", "-1.5"]);
    assert_eq!(path("a[]"), ["a", ""]);
}

#[test]
fn config_fragments_keep_javascript_meaning() {
    use super::jsregex::{compile, translate};
    let regex =
        |fragment: &str| compile(&translate(fragment).expect("translates")).expect("compiles");
    // `.` stops at CR and U+2028; `\s` includes U+FEFF but not U+0085.
    assert!(!regex("^a.b$").is_match("a\rb"));
    assert!(!regex("^a.b$").is_match("a\u{2028}b"));
    assert!(regex("^a\\sb$").is_match("a\u{feff}b"));
    assert!(!regex("^a\\sb$").is_match("a\u{85}b"));
    // `\d` and `\w` are ASCII only; a `{` that is no quantifier is a literal.
    assert!(!regex("^\\d$").is_match("٣"));
    assert!(!regex("^\\w$").is_match("é"));
    assert!(regex("^a{$").is_match("a{"));
    assert!(regex("^a{2}$").is_match("aa"));
    assert!(regex("^[a-c&&]$").is_match("&"));
    assert!(translate("(?=x)").is_err());
    assert!(translate("(a)\\1").is_err());
}

#[test]
fn config_defaults_match_the_shipped_config() {
    let shipped = r###"{
      "comments": { "format": "##" },
      "tags": { "param": "@param", "section": "@section", "descriptionStart": "@descriptionStart",
                "descriptionEnd": "@descriptionEnd", "skip": "@skip", "extra": "@extra" },
      "modifiers": { "array": "array", "object": "object", "string": "string",
                     "nullable": "nullable", "default": "default" },
      "regexp": { "paramsSectionTitle": "Parameters" }
    }"###;
    assert_eq!(Config::parse(shipped).expect("parses"), Config::default());
}

#[test]
fn config_missing_keys_read_undefined_and_missing_groups_fail() {
    let config =
        Config::parse(r#"{"comments": {}, "tags": {}, "modifiers": {"array": 5}, "regexp": {}}"#)
            .expect("parses");
    assert_eq!(config.comments.format, "undefined");
    assert_eq!(config.modifiers.array.text, "5");
    assert!(!config.modifiers.array.is_string);
    let err =
        Config::parse(r#"{"comments": {}, "tags": {}, "modifiers": {}}"#).expect_err("no regexp");
    assert!(err.message.contains("`regexp`"), "{err}");
    assert!(Config::parse("{").is_err());
}

#[test]
fn check_errors_name_the_line_and_key() {
    let values = "## @section S\n## @param a A\na: 1\nb:\n  c: 2\n## @param ghost G\n";
    let err = schema(values, &Config::default()).expect_err("b.c has no metadata");
    assert_eq!((err.line, err.key.as_deref()), (Some(5), Some("b.c")));
    assert_eq!(
        err.to_string(),
        "values.yaml:5: `b.c`: missing metadata (and 1 more: line 6: `ghost`: \
         metadata provided for non existing key)"
    );
}

#[test]
fn unknown_modifiers_name_the_parameter_line() {
    let values = "## @section S\n## @param a [bogus] A\na: 1\n";
    let err = update_readme(values, README, &Config::default()).expect_err("unknown modifier");
    assert_eq!(err.to_string(), "values.yaml:2: `a`: unknown modifier `bogus`");
}

#[test]
fn readme_without_parameters_header_fails() {
    let values = "## @section S\n## @param a A\na: 1\n";
    let err = update_readme(values, "# Chart\n", &Config::default()).expect_err("no header");
    assert_eq!(err.file, Source::Readme);
}

#[test]
fn generated_readme_is_stable() {
    let values = "## @section S\n## @param a A\na: [x, y]\n## @param b B\nb: {}\n";
    let once = update_readme(values, README, &Config::default()).expect("renders");
    let twice = update_readme(values, &once, &Config::default()).expect("renders again");
    assert_eq!(once, twice);
}

/// Lines a values.yaml can be made of, valid or not.
fn values_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("## @section S".to_owned()),
        Just("## @descriptionStart".to_owned()),
        Just("## @descriptionEnd".to_owned()),
        Just("##".to_owned()),
        "## @param [a-c.\\[\\]0-9]{1,6}( \\[[a-z:, ]{0,12}\\])? [a-z ]{0,8}",
        "## @(skip|extra) [a-c.]{1,4}",
        "[a-c]{1,2}: [a-z0-9.~\"'\\[\\]{}, -]{0,8}",
        "  [a-c]{1,2}: [a-z0-9]{0,3}",
        "  - [a-z0-9{}:]{0,4}",
        "[a-c]{1,2}:",
        "(---|\\.\\.\\.|&a|\\*a|!!str|<<: \\*a|\t|\r|\u{2028}|\u{feff}|é)",
    ]
}

fn readme_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("## Parameters".to_owned()),
        Just("### Parameters".to_owned()),
        Just("## Next".to_owned()),
        Just(String::new()),
        Just("| a | b |".to_owned()),
        "[#| a-z\u{a0}\r]{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_input_never_panics(
        values in prop::collection::vec(values_line(), 0..14),
        readme in prop::collection::vec(readme_line(), 0..8),
        title in "[A-Za-z()|\\\\.*\\[\\]{}]{0,6}",
    ) {
        let values = values.join("\n");
        let readme = readme.join("\n");
        let mut config = Config::default();
        let _ = schema(&values, &config);
        let _ = update_readme(&values, &readme, &config);
        config.regexp.params_section_title = title;
        let _ = update_readme(&values, &readme, &config);
    }

    #[test]
    fn arbitrary_bytes_never_panic(values in "\\PC{0,60}", readme in "\\PC{0,30}") {
        let _ = schema(&values, &Config::default());
        let _ = update_readme(&values, &readme, &Config::default());
        let _ = Config::parse(&values);
    }
}
