//! Conformance against the cozystack corpus, error cases, Go types and a no-panic property.

use std::fs;
use std::path::{Path, PathBuf};

use super::{go_types, schema, update_readme};
use crate::values::{Error, Source};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/values/cozyvalues")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("expected", "actual")
        .to_string()
}

/// Package directories `<kind>/<name>` holding a values.yaml.
fn packages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for kind in ["apps", "extra", "system"] {
        let Ok(entries) = fs::read_dir(fixtures().join(kind)) else { continue };
        for entry in entries.flatten() {
            if entry.path().join("values.yaml").is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out
}

fn case_name(dir: &Path) -> String {
    dir.strip_prefix(fixtures()).unwrap_or(dir).display().to_string()
}

/// The README with the body of its Parameters section removed.
fn strip_parameters(readme: &str) -> String {
    let lines: Vec<&str> = readme.split('\n').collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("## Parameters")) else {
        return readme.to_owned();
    };
    let end = lines
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, l)| l.starts_with("##") && !l.starts_with("###"))
        .map_or(lines.len(), |(i, _)| i);
    let mut out: Vec<&str> = lines[..=start].to_vec();
    out.extend(&lines[end..]);
    out.join("\n")
}

#[test]
fn corpus_conformance() {
    let mut failures = Vec::new();
    let (mut schemas, mut readmes) = (0, 0);
    for dir in packages() {
        let name = case_name(&dir);
        let values = read(&dir.join("values.yaml"));
        let schema_path = dir.join("values.schema.json");
        if schema_path.is_file() {
            schemas += 1;
            let expected = read(&schema_path);
            match schema(&values) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!("{name}: schema\n{}", diff(&expected, &actual)));
                }
                Err(err) => failures.push(format!("{name}: schema: {err}")),
            }
        }
        let readme_path = dir.join("README.md");
        if readme_path.is_file() {
            readmes += 1;
            let expected = read(&readme_path);
            match update_readme(&values, &expected) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!("{name}: README\n{}", diff(&expected, &actual)));
                }
                Err(err) => failures.push(format!("{name}: README: {err}")),
            }
            let stripped = strip_parameters(&expected);
            assert_ne!(stripped, expected, "{name}: no Parameters tables to strip");
            match update_readme(&values, &stripped) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => {
                    failures.push(format!(
                        "{name}: README from stripped\n{}",
                        diff(&expected, &actual)
                    ));
                }
                Err(err) => failures.push(format!("{name}: README from stripped: {err}")),
            }
        }
    }
    assert_eq!((schemas, readmes), (32, 31), "fixture set changed");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// `module:` from a go fixture's ORIGIN file.
fn origin_module(dir: &Path) -> String {
    read(&dir.join("ORIGIN"))
        .lines()
        .find_map(|line| line.strip_prefix("module: "))
        .unwrap_or_else(|| panic!("{}: ORIGIN has no module", dir.display()))
        .to_owned()
}

#[test]
fn go_types_match_committed_files() {
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures().join("go"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    assert!(dirs.len() >= 3, "go fixtures missing");
    for dir in dirs {
        let name = case_name(&dir);
        let values = read(&dir.join("values.yaml"));
        let expected = read(&dir.join("types.go"));
        match go_types(&values, &origin_module(&dir), "apps.cozystack.io", "v1alpha1") {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!("{name}\n{}", diff(&expected, &actual))),
            Err(err) => failures.push(format!("{name}: {err}")),
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Error cases and silently ignored input.

const README: &str = "# Chart\n\n## Parameters\n\nold\n\n## Other\n\ntext\n";

fn values_error(line: usize, key: &str, message: &str) -> Error {
    Error::values(Some(line), Some(key), message)
}

fn schema_json(values: &str) -> serde_json::Value {
    let text = schema(values).unwrap_or_else(|err| panic!("schema: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("schema is not JSON: {err}\n{text}"))
}

fn readme_rows(values: &str) -> Vec<String> {
    let text = update_readme(values, README).unwrap_or_else(|err| panic!("readme: {err}"));
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>()[1..5].join(" | "))
        .collect()
}

fn keys(value: &serde_json::Value) -> Vec<&str> {
    value.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
}

#[test]
fn unknown_type_is_fatal_for_schema_and_go() {
    let values = "## @param {int} replicas - Replicas.\nreplicas: 1\n\n## @param {quantty} size - Size.\nsize: 1Gi\n";
    let expected = values_error(4, "size", "unknown type `quantty`");
    assert_eq!(schema(values), Err(expected.clone()));
    assert_eq!(go_types(values, "m", "g", "v"), Err(expected));
    assert_eq!(
        update_readme(values, README),
        Err(values_error(5, "size", "type `quantty` has no schema"))
    );
    assert_eq!(
        expected_display(&values_error(4, "size", "unknown type `quantty`")),
        "values.yaml:4: `size`: unknown type `quantty`"
    );
}

fn expected_display(err: &Error) -> String {
    err.to_string()
}

#[test]
fn unknown_type_in_a_field_names_the_typedef() {
    let values = "## @typedef {struct} Pool - A pool.\n## @field {Sizes} size - Size.\n\n## @param {Pool} pool - Pool.\npool: {}\n";
    assert_eq!(schema(values), Err(values_error(2, "Pool.size", "unknown type `Sizes`")));
}

#[test]
fn undefined_param_type_fails_readme_only_when_the_yaml_has_the_key() {
    let values = "## @param {Missing} foo - Foo.\n";
    assert_eq!(schema(values), Err(values_error(1, "foo", "unknown type `Missing`")));
    assert_eq!(readme_rows(values), ["`foo` | Foo. | `object` | `{}`"]);
    let with_key = "## @param {Missing} foo - Foo.\nfoo:\n  a: 1\n";
    assert_eq!(
        update_readme(with_key, README),
        Err(values_error(2, "foo", "type `Missing` has no schema"))
    );
}

#[test]
fn enum_without_values_and_question_mark_types_are_undefined() {
    let values = "## @enum {string} Mode - Mode.\n\n## @param {Mode} mode - Mode.\nmode: a\n";
    assert_eq!(schema(values), Err(values_error(3, "mode", "unknown type `Mode`")));
    // The README knows the enum even without values.
    assert_eq!(readme_rows(values), ["`mode` | Mode. | `string` | `a`"]);
    let values = "## @param {?string} name - Name.\n";
    assert_eq!(schema(values), Err(values_error(1, "name", "unknown type `?string`")));
}

#[test]
fn field_without_typedef_is_dropped_by_both_parsers() {
    let values = "## @field {string} name - Name.\n## @param {string} host - Host.\nhost: x\n";
    let json = schema_json(values);
    assert_eq!(keys(&json["properties"]), ["host"]);
    assert_eq!(readme_rows(values), ["`host` | Host. | `string` | `x`"]);
}

#[test]
fn field_after_param_attaches_to_the_last_typedef_only_in_the_schema() {
    let values = "## @typedef {struct} Db - Db.\n## @field {string} name - Name.\n## @param {Db} db - Database.\ndb: {}\n## @field {int} port - Port.\n";
    let json = schema_json(values);
    assert_eq!(keys(&json["properties"]["db"]["properties"]), ["name", "port"]);
    assert_eq!(
        readme_rows(values),
        ["`db` | Database. | `object` | `{}`", "`db.name` | Name. | `string` | `\"\"`"]
    );
}

#[test]
fn yaml_key_without_param_fails_readme_and_is_ignored_by_schema() {
    let values = "## @param {string} host - Host.\nhost: x\n\nstray: 1\n";
    assert_eq!(
        update_readme(values, README),
        Err(values_error(4, "stray", "parameter is not defined in schema"))
    );
    assert_eq!(keys(&schema_json(values)["properties"]), ["host"]);
}

#[test]
fn yaml_key_that_is_not_a_field_fails_readme() {
    let values = "## @typedef {struct} Db - Db.\n## @field {string} name - Name.\n\n## @param {Db} db - Database.\ndb:\n  name: x\n  port: 5432\n";
    assert_eq!(
        update_readme(values, README),
        Err(values_error(7, "db.port", "field is not defined in schema"))
    );
    let listed = "## @typedef {struct} Db - Db.\n## @field {string} name - Name.\n\n## @param {[]Db} dbs - Databases.\ndbs:\n  - name: x\n  - nam: y\n";
    assert_eq!(
        update_readme(listed, README),
        Err(values_error(7, "dbs[1].nam", "field is not defined in schema"))
    );
    assert!(schema(listed).is_ok());
}

#[test]
fn duplicate_params_two_rows_one_property_at_the_later_place() {
    let values = "## @param {int} a=3 - First a.\n## @param {string} b - B.\nb: x\n## @param {int} a - Second a.\na: 1\n";
    assert_eq!(
        readme_rows(values),
        [
            "`a` | First a. | `int` | `1`",
            "`b` | B. | `string` | `x`",
            "`a` | Second a. | `int` | `1`"
        ]
    );
    let json = schema_json(values);
    assert_eq!(keys(&json["properties"]), ["b", "a"]);
    assert_eq!(json["properties"]["a"]["description"], "Second a.");
    // The earlier annotation default is kept when the later declaration has none.
    assert_eq!(json["properties"]["a"]["default"], 3);
}

#[test]
fn duplicate_fields_first_wins_in_readme_last_in_schema() {
    let values = "## @typedef {struct} T - T.\n## @field {string} x - First.\n## @field {int} x - Second.\n\n## @param {T} t - T.\nt: {}\n";
    assert_eq!(
        readme_rows(values),
        ["`t` | T. | `object` | `{}`", "`t.x` | First. | `string` | `\"\"`"]
    );
    let x = &schema_json(values)["properties"]["t"]["properties"]["x"];
    assert_eq!((x["description"].as_str(), x["type"].as_str()), (Some("Second."), Some("integer")));
}

#[test]
fn invalid_yaml_fails_readme_and_leaves_schema_without_defaults() {
    let values = "## @param {string} host - Host.\nhost: x\nlist: [a, b\n";
    let err = update_readme(values, README).expect_err("invalid YAML");
    assert_eq!((err.file, err.line, err.key.as_deref()), (Source::Values, Some(4), None));
    assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    let json = schema_json(values);
    assert_eq!(keys(&json["properties"]["host"]), ["description", "type"]);
}

#[test]
fn duplicate_yaml_keys_fail_readme() {
    let values = "## @param {string} host - Host.\nhost: x\nhost: y\n";
    let err = update_readme(values, README).expect_err("duplicate key");
    assert_eq!(
        (err.line, err.message.as_str()),
        (Some(3), "invalid YAML: mapping key \"host\" already defined at line 2")
    );
}

#[test]
fn readme_without_parameters_section_is_an_error() {
    let values = "## @param {string} host - Host.\nhost: x\n";
    assert_eq!(
        update_readme(values, "# Chart\n\n# Parameters\n\n## Params\n"),
        Err(Error::readme(None, "no `## Parameters` section"))
    );
    // `###` works too; the section then ends at the next `###` heading, not at `####`.
    let readme = "# Chart\n### Parameters and more\nold\n#### Sub\nold\n### Next\n";
    assert_eq!(
        update_readme(values, readme).as_deref(),
        Ok(
            "# Chart\n### Parameters and more\n\n### Parameters\n\n| Name   | Description | Type     | Value |\n| ------ | ----------- | -------- | ----- |\n| `host` | Host.       | `string` | `x`   |\n\n\n### Next\n"
        )
    );
}

#[test]
fn recursive_typedefs_are_rejected() {
    let values = "## @typedef {struct} Node - Node.\n## @field {[]Node} [children] - Children.\n\n## @param {Node} root - Root.\nroot: {}\n";
    assert_eq!(schema(values), Err(values_error(2, "Node", "recursive typedef")));
    assert_eq!(update_readme(values, README), Err(values_error(2, "Node", "recursive typedef")));
}

#[test]
fn go_name_collisions_are_rejected() {
    let values = "## @param {string} foo_bar - A.\n## @param {string} fooBar - B.\n";
    assert_eq!(
        schema(values),
        Err(values_error(2, "fooBar", "keys `foo_bar` and `fooBar` give the same Go field name"))
    );
    let types = "## @typedef {struct} foo_bar - A.\n## @typedef {struct} FooBar - B.\n## @param {foo_bar} a - A.\n";
    let err = schema(types).expect_err("type collision");
    assert_eq!(err.message, "type names `FooBar` and `foo_bar` give the same Go name");
}

#[test]
fn bad_extension_yaml_and_bad_annotation_default_are_fatal() {
    let values = "## @param {string} a - A.\n## @x-cozystack-options {source: [\n";
    let err = schema(values).expect_err("bad extension");
    assert_eq!((err.line, err.key.as_deref()), (Some(2), Some("a")));
    assert!(err.message.starts_with("invalid `@x-cozystack-options` value: "), "{}", err.message);
    let values = "## @param {int} n=[a - N.\n";
    assert_eq!(schema(values), Err(values_error(1, "n", "default `[a` is not valid YAML")));
    // On a string key the text is used as is.
    assert_eq!(schema_json("## @param {string} s=[a - S.\n")["properties"]["s"]["default"], "[a");
}

#[test]
fn malformed_and_foreign_lines_are_ignored() {
    let values = "\
## @param image.tag Some text
## @param {string} noSeparator Some text
## @param {string} spaced=a b - Spaced.
##@param {string} nospace - No space.
## @param {string} [<key>] - Key.
## @typedef {stringSlice} Urls - Urls.
## @value stray
## @unknown {string} x - y
## @section
## @param {string} ok - Ok.
ok: x
";
    assert_eq!(keys(&schema_json(values)["properties"]), ["ok"]);
    assert_eq!(readme_rows(values), ["`ok` | Ok. | `string` | `x`"]);
}

#[test]
fn corpus_inputs_without_outputs_never_fail_on_foreign_syntax() {
    for name in ["kubevirt-cdi", "multus", "linstor-gui"] {
        let values = read(&fixtures().join("system").join(name).join("values.yaml"));
        let text = schema(&values).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert!(text.contains("\"properties\": {\n\n  }"), "{name}: bitnami lines must be ignored");
    }
    let values = read(&fixtures().join("system/vm-default-images/values.yaml"));
    assert!(schema(&values).is_ok());
    assert!(go_types(&values, "images", "g", "v").is_ok());
}

// ---------------------------------------------------------------------------------------------
// Rules the corpus does not exercise (expected values follow the spec, not the implementation).

const BUILTINS_SCHEMA: &str = r#"{
  "title": "Chart Values",
  "type": "object",
  "properties": {
    "a": {
      "description": "A.",
      "type": "integer",
      "format": "int32",
      "default": 5
    },
    "ratio": {
      "description": "Ratio.",
      "type": "number",
      "default": 0.5
    },
    "link": {
      "description": "Link.",
      "type": "string",
      "format": "uri"
    },
    "links": {
      "description": "Links.",
      "type": "array",
      "default": [],
      "items": {
        "type": "string"
      }
    },
    "wait": {
      "description": "Wait.",
      "type": "string"
    },
    "at": {
      "description": "At.",
      "type": "string",
      "format": "date-time"
    },
    "empty": {
      "description": "Empty.",
      "type": "object"
    },
    "port": {
      "description": "Port.",
      "default": 80,
      "anyOf": [
        {
          "type": "integer"
        },
        {
          "type": "string"
        }
      ],
      "x-kubernetes-int-or-string": true
    },
    "res": {
      "description": "Res.",
      "type": "object",
      "x-kubernetes-preserve-unknown-fields": true
    }
  }
}
"#;

#[test]
fn builtin_atoms_formats_and_special_names() {
    let expected = BUILTINS_SCHEMA;
    let values = "\
## @param {int32} a - A.
a: 5
## @param {float64} ratio - Ratio.
ratio: 0.5
## @param {*uri} link - Link.
## @param {[]uri} links - Links.
links: []
## @param {duration} wait - Wait.
## @param {time} at - At.
## @param {emptyobject} empty - Empty.
empty: {a: 1}
## @param {intOrString} port - Port.
port: 80
## @param {resources} res - Res.
";
    let actual = schema(values).expect("schema");
    assert_eq!(actual, expected, "\n{}", diff(expected, &actual));

    let go = go_types(values, "demo", "apps.cozystack.io", "v1alpha1").expect("go");
    for needle in [
        "import (\n\t\"k8s.io/apimachinery/pkg/apis/meta/v1\"\n\tk8sRuntime \"k8s.io/apimachinery/pkg/runtime\"\n\tintstr \"k8s.io/apimachinery/pkg/util/intstr\"\n)\n",
        "\t// Link.\n\t// +kubebuilder:validation:Format=uri\n\tLink *string `json:\"link,omitempty\"`\n",
        "\t// +kubebuilder:default:={}\n\tLinks []string `json:\"links,omitempty\"`\n",
        "\t// +kubebuilder:default:=0.5\n\tRatio float64 `json:\"ratio\"`\n",
        "\tWait metav1.Duration `json:\"wait\"`\n",
        "\tAt metav1.Time `json:\"at\"`\n",
        "\t// Empty.\n\tEmpty Emptyobject `json:\"empty\"`\n",
        "\tPort intstr.IntOrString `json:\"port\"`\n",
        "\tRes k8sRuntime.RawExtension `json:\"res\"`\n",
        "}\n\ntype Emptyobject struct {\n}\n",
    ] {
        assert!(go.contains(needle), "missing {needle:?} in\n{go}");
    }

    assert_eq!(
        readme_rows(values),
        [
            "`a` | A. | `int32` | `5`",
            "`ratio` | Ratio. | `float64` | `0.500000`",
            "`link` | Link. | `*uri` | `null`",
            "`links` | Links. | `[]uri` | `[]`",
            "`wait` | Wait. | `duration` | `{}`",
            "`at` | At. | `time` | `{}`",
            "`empty` | Empty. | `object` | `{\"a\":1}`",
            "`port` | Port. | `intOrString` | `80`",
            "`res` | Res. | `object` | `{}`",
        ]
    );
}

#[test]
fn resources_alias_prefers_a_typedef() {
    let values = "## @typedef {struct} Resources - R.\n## @field {quantity} [cpu] - CPU.\n\n## @param {resources} res - Res.\nres: {}\n";
    let json = schema_json(values);
    assert_eq!(keys(&json["properties"]["res"]["properties"]), ["cpu"]);
    let go = go_types(values, "m", "g", "v").expect("go");
    assert!(go.contains("\tRes Resources `json:\"res\"`\n"), "{go}");
}

#[test]
fn constraints_examples_and_extensions() {
    let values = r#"## @param {int} replicas - Replicas.
## @minimum 1
## @maximum 1.5
## @exclusiveMaximum
## @x-b {k: [1, 2]}
## @x-a "text"
## @example 3
## @example 'three'
## @example {"z": 1, "a": [true]}
## @example notjson
replicas: 2
## @param {string} name - Name.
## @minLength 1
## @maxLength 63
## @pattern ^[a-z]+$
## @minItems 1
## @param {[]string} tags - Tags.
## @minItems 1
## @maxItems 3
## @param {quantity} size - Size.
## @minimum 1
## @pattern ^x$
## @param {object} raw - Raw.
## @x-kubernetes-preserve-unknown-fields false
"#;
    let json = schema_json(values);
    let p = &json["properties"];
    assert_eq!(
        keys(&p["replicas"]),
        ["description", "type", "default", "exclusiveMaximum", "minimum", "examples", "x-a", "x-b"]
    );
    assert_eq!(p["replicas"]["minimum"], 1);
    assert_eq!(
        p["replicas"]["examples"],
        serde_json::json!([3, "three", {"a": [true], "z": 1}, "notjson"])
    );
    assert_eq!(p["replicas"]["x-b"], serde_json::json!({"k": [1, 2]}));
    assert_eq!(keys(&p["name"]), ["description", "type", "maxLength", "minLength", "pattern"]);
    assert_eq!(p["name"]["pattern"], "^[a-z]+$");
    assert_eq!(keys(&p["tags"]), ["description", "type", "maxItems", "minItems", "items"]);
    assert_eq!(p["size"]["pattern"].as_str().map(|s| s.starts_with("^(\\+|-)?")), Some(true));
    assert!(p["size"].get("minimum").is_none());
    // An extension named like a standard key replaces it in place.
    assert_eq!(keys(&p["raw"]), ["description", "type", "x-kubernetes-preserve-unknown-fields"]);
    assert_eq!(p["raw"]["x-kubernetes-preserve-unknown-fields"], false);

    // Go keeps every marker; the schema library drops the misfits.
    let go = go_types(values, "m", "g", "v").expect("go");
    for needle in [
        "\t// +kubebuilder:default:=2\n\t// +kubebuilder:validation:Minimum=1\n\t// +kubebuilder:validation:Maximum=1.5\n\t// +kubebuilder:validation:ExclusiveMaximum=true\n\tReplicas int",
        "\t// +kubebuilder:validation:MinLength=1\n\t// +kubebuilder:validation:MaxLength=63\n\t// +kubebuilder:validation:Pattern=\"^[a-z]+$\"\n\t// +kubebuilder:validation:MinItems=1\n\tName string",
        "\t// +kubebuilder:validation:Minimum=1\n\t// +kubebuilder:validation:Pattern=\"^x$\"\n\tSize resource.Quantity",
    ] {
        assert!(go.contains(needle), "missing {needle:?} in\n{go}");
    }
}

#[test]
fn default_quirks() {
    let values = r#"## @param {string} s - S.
s: 1000000
## @param {string} q='x' - Q.
## @param {quantity} cpu - CPU.
cpu: "1"
## @param {bool} flag - Flag.
flag: yes
## @param {object} obj - Obj.
obj: []
## @param {[]string} list - List.
list: []
## @param {quantity} empty - Empty.
empty: ""
## @param {object} nested - Nested.
nested:
  a: null
  b: [x, 1]
  c: []
  d: 1.5
## @param {string} nul - Nul.
nul: ~
"#;
    let p = schema_json(values)["properties"].clone();
    assert_eq!(p["s"]["default"], "1e+06");
    assert_eq!(p["q"]["default"], "'x'");
    assert_eq!(p["cpu"]["default"], 1);
    assert_eq!(p["flag"]["default"], true);
    assert_eq!(p["obj"]["default"], serde_json::json!({}));
    assert_eq!(p["list"]["default"], serde_json::json!([]));
    assert!(p["empty"].get("default").is_none());
    assert_eq!(
        p["nested"]["default"],
        serde_json::json!({"a": "<nil>", "b": ["x", "1"], "c": {}, "d": 1.5})
    );
    assert!(p["nul"].get("default").is_none());

    let go = go_types(values, "m", "g", "v").expect("go");
    for needle in [
        "// +kubebuilder:default:=\"1e+06\"\n\tS string",
        "// +kubebuilder:default:=\"'x'\"\n\tQ string",
        "// +kubebuilder:default:=1\n\tCpu resource.Quantity",
        "// +kubebuilder:default:=true\n\tFlag bool",
        "// +kubebuilder:default:={}\n\tObj k8sRuntime.RawExtension",
        "// +kubebuilder:default:={}\n\tList []string",
        "// Empty.\n\tEmpty resource.Quantity",
        "// +kubebuilder:default:={\"a\":<nil>,\"b\":{\"x\",1},\"c\":{},\"d\":1.5}\n\tNested",
        "// Nul.\n\tNul string",
    ] {
        assert!(go.contains(needle), "missing {needle:?} in\n{go}");
    }

    // The README reads YAML 1.2: `yes` stays a string.
    assert_eq!(
        readme_rows(values),
        [
            "`s` | S. | `string` | `1000000`",
            "`q` | Q. | `string` | `\"\"`",
            "`cpu` | CPU. | `quantity` | `1`",
            "`flag` | Flag. | `bool` | `yes`",
            "`obj` | Obj. | `object` | `[]`",
            "`list` | List. | `[]string` | `[]`",
            "`empty` | Empty. | `quantity` | `\"\"`",
            "`nested` | Nested. | `object` | `{\"a\":null,\"b\":[\"x\",1],\"c\":[],\"d\":1.5}`",
            "`nul` | Nul. | `string` | `\"\"`",
        ]
    );
}

#[test]
fn descriptions_follow_controller_tools_rules_and_go_escaping() {
    let values = "## @param {string} a - TODO fix\n## @param {string} b - +marker like\n## @param {string} c - ---\n## @param {string} d - <a> & \"b\"\n## @param {string} e\n";
    let p = schema_json(values)["properties"].clone();
    for key in ["a", "b", "c", "e"] {
        assert!(p[key].get("description").is_none(), "{key}");
    }
    assert_eq!(p["d"]["description"], "<a> & \"b\"");
    assert!(
        schema(values).expect("schema").contains(r#""description": "\u003ca\u003e \u0026 \"b\"","#)
    );
    let go = go_types(values, "m", "g", "v").expect("go");
    assert!(go.contains("\t// TODO fix\n\tA string `json:\"a\"`\n"), "{go}");
    // Fields without comment lines are aligned like gofmt does.
    assert!(
        go.contains("\t// <a> & \"b\"\n\tD string `json:\"d\"`\n\tE string `json:\"e\"`\n"),
        "{go}"
    );
}

#[test]
fn go_alignment_names_and_order() {
    let values = "## @typedef {struct} Config - Renamed.\n## @field {string} [a]\n## @field {int} longer_name\n## @field {*bool} b\n\n## @typedef {struct} Alpha - A.\n\n## @enum {string} Zeta - Z.\n## @value \"x/y\"\n## @value b\n\n## @param {Config} config - Config.\nconfig: {}\n## @param {Zeta} zeta\n";
    let go = go_types(values, "demo", "grp", "v9").expect("go");
    let expected = "// Code generated by values-gen. DO NOT EDIT.
// +kubebuilder:object:generate=true
// +groupName=grp
// +versionName=v9
package demo

import (
\t\"k8s.io/apimachinery/pkg/apis/meta/v1\"
)

// +kubebuilder:object:root=true
type Config struct {
\tv1.TypeMeta   `json:\",inline\"`
\tv1.ObjectMeta `json:\"metadata,omitempty\"`
\tSpec          ConfigSpec `json:\"spec,omitempty\"`
}

type ConfigSpec struct {
\t// Config.
\t// +kubebuilder:default:={}
\tConfig ValuesConfig `json:\"config\"`
\tZeta   Zeta         `json:\"zeta\"`
}

type Alpha struct {
}

type ValuesConfig struct {
\tA          string `json:\"a,omitempty\"`
\tB          *bool  `json:\"b,omitempty\"`
\tLongerName int    `json:\"longer_name\"`
}

// +kubebuilder:validation:Enum=\"x/y\";\"b\"
type Zeta string
";
    assert_eq!(go, expected, "\n{}", diff(expected, &go));
}

#[test]
fn readme_value_and_type_rules() {
    let values = r#"## @enum {string} Mode - Mode.
## @value a
## @value b
## @typedef {struct} Item - Item.
## @field {string} [name] - Name.
## @field {int} n="10" - N.
## @field {string} e="" - E.
## @field {string} [q]='x' - Q.
## @field {[]string} [tags] - Tags.
## @field {map[string]string} [labels] - Labels.
## @field {*Mode} [mode] - Mode.
## @param {Mode} mode - Mode param.
## @param {*Mode} pmode - Pointer mode.
## @param {[]Mode} modes - Modes.
## @param {map[string]Mode} mmodes - Map modes.
## @param {*Item} pitem - Pointer item.
## @param {map[string]Item} items - Items.
## @param {[]*Item} refs - Refs.
## @param {[]*int} ints - Ints.
ints: [1, 2]
## @param {*[]string} plist - Pointer list.
plist: [a]
## @param {*emptyobject} pe - Pe.
## @param {Item} item - Item.
item:
  name: x
"#;
    let fields = |prefix: &str, name: &str| {
        vec![
            format!("`{prefix}.name` | Name. | `string` | `{name}`"),
            format!("`{prefix}.n` | N. | `int` | `10`"),
            format!("`{prefix}.e` | E. | `string` | `{{}}`"),
            format!("`{prefix}.q` | Q. | `string` | `{{}}`"),
            format!("`{prefix}.tags` | Tags. | `[]string` | `[]`"),
            format!("`{prefix}.labels` | Labels. | `map[string]string` | `{{}}`"),
            format!("`{prefix}.mode` | Mode. | `*string` | `null`"),
        ]
    };
    let mut expected = vec![
        "`mode` | Mode param. | `string` | `{}`".to_owned(),
        "`pmode` | Pointer mode. | `*string` | `null`".to_owned(),
        "`modes` | Modes. | `[]string` | `[]`".to_owned(),
        "`mmodes` | Map modes. | `map[string]object` | `{}`".to_owned(),
        "`pitem` | Pointer item. | `*object` | `null`".to_owned(),
    ];
    expected.extend(fields("pitem", "\"\""));
    expected.push("`items` | Items. | `map[string]object` | `{...}`".to_owned());
    expected.extend(fields("items[name]", "\"\""));
    expected.extend([
        "`refs` | Refs. | `[]object` | `[]`".to_owned(),
        "`ints` | Ints. | `[]*int` | `[1, 2]`".to_owned(),
        "`plist` | Pointer list. | `[]string` | `[...]`".to_owned(),
        "`pe` | Pe. | `*object` | `null`".to_owned(),
        "`item` | Item. | `object` | `{}`".to_owned(),
    ]);
    expected.extend(fields("item", "x"));
    assert_eq!(readme_rows(values), expected);
}

#[test]
fn readme_layout_without_sections_and_with_empty_ones() {
    let values = "## @param {string} a - A.\n## @section Empty\n## @section Second\n## @param {bool} b - B.\nb: true\n";
    let out = update_readme(values, "## Parameters\nold\n").expect("readme");
    assert_eq!(
        out,
        "## Parameters\n\n### Parameters\n\n| Name | Description | Type     | Value |\n| ---- | ----------- | -------- | ----- |\n| `a`  | A.          | `string` | `\"\"`  |\n\n\n### Empty\n\n| Name | Description | Type | Value |\n| ---- | ----------- | ---- | ----- |\n\n\n### Second\n\n| Name | Description | Type   | Value  |\n| ---- | ----------- | ------ | ------ |\n| `b`  | B.          | `bool` | `true` |\n\n"
    );
    assert_eq!(
        update_readme("# nothing\n", "## Parameters\nold\n## Next").as_deref(),
        Ok("## Parameters\n\n## Next")
    );
}

#[test]
fn schema_of_a_file_without_params() {
    assert_eq!(
        schema("# just yaml\na: 1\n").as_deref(),
        Ok(
            "{\n  \"title\": \"Chart Values\",\n  \"type\": \"object\",\n  \"properties\": {\n\n  }\n}\n"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// No input makes the generators panic.

/// Lines to build inputs from: every corpus values.yaml line plus annotation fragments.
fn line_pool() -> Vec<String> {
    let mut pool: Vec<String> = packages()
        .iter()
        .flat_map(|dir| {
            read(&dir.join("values.yaml")).lines().map(str::to_owned).collect::<Vec<_>>()
        })
        .collect();
    pool.extend(
        [
            "## @param {[]*X} x - y",
            "## @param {map[string]*[]int} m=[] - y",
            "## @field {**Y} [f]={a: [} - y",
            "## @typedef {struct} X - x",
            "## @typedef {object} Y",
            "## @enum {int} E - e",
            "## @value \"\"",
            "## @x-a {",
            "## @example {\"a\":",
            "## @minimum -99999999999999999999999.5",
            "## @maxLength 99999999999999999999999",
            "## @pattern (",
            "a: &x [1, *x]",
            "<<: {a: 1}",
            "? [a]\n: b",
            "- - - [",
            "k: !tag {a: 1}",
            "k: .inf",
            "k: 0x_1F",
            "\t\u{feff}k: \"\\u0000\"",
        ]
        .map(str::to_owned),
    );
    pool
}

fn mutate(pool: &[String], ops: &[(usize, u8, String, usize)]) -> String {
    let mut lines = Vec::new();
    for (index, kind, noise, at) in ops {
        let line = &pool[index % pool.len()];
        let cut = |s: &str, n: usize| -> String {
            let n = n % (s.len() + 1);
            let n = (0..=n).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
            s[..n].to_owned()
        };
        lines.push(match kind % 6 {
            0 => line.clone(),
            1 => cut(line, *at),
            2 => {
                let head = cut(line, *at);
                format!("{head}{noise}{}", &line[head.len()..])
            }
            3 => noise.clone(),
            4 => format!("{}{line}", " ".repeat(at % 9)),
            _ => format!("## @param {{{noise}}} {} - {line}", cut(line, *at)),
        });
    }
    lines.join("\n")
}

#[test]
fn never_panics_on_mutated_input() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    let pool = line_pool();
    let noise = prop_oneof![
        "[ -~]{0,10}",
        "[\\[\\]{}*:#@\"'|\\- \t\u{2014}\u{e9}\r]{0,10}",
        any::<String>(),
    ];
    let ops =
        proptest::collection::vec((any::<usize>(), any::<u8>(), noise, any::<usize>()), 0..40);
    let mut runner =
        TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let result = runner.run(&ops, |ops| {
        let values = mutate(&pool, &ops);
        let _ = schema(&values);
        let _ = update_readme(&values, README);
        let _ = go_types(&values, "m", "g", "v");
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    use std::fmt::Write as _;
    let mut values = String::new();
    for i in 0..100 {
        let _ = writeln!(
            values,
            "## @typedef {{struct}} T{i} - T.\n## @field {{T{}}} [next] - Next.",
            i + 1
        );
    }
    values.push_str("## @typedef {struct} T100 - End.\n## @param {T0} root - Root.\n");
    let err = schema(&values).expect_err("too deep");
    assert_eq!(err.message, "typedefs nest too deeply");
    let err = update_readme(&values, README).expect_err("too deep");
    assert_eq!(err.message, "typedefs nest too deeply");
    let deep = format!("## @param {{{}int}} x - X.\n", "[]".repeat(5000));
    assert_eq!(schema(&deep).map_err(|e| e.line), Err(Some(1)));
    assert!(update_readme(&deep, README).is_ok());
}
