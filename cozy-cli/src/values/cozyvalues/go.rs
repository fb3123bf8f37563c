//! Go types (`cozyvalues-gen -g`, §8.2): structs, enums, kubebuilder markers, gofmt alignment.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::defaults::{self, FieldValues};
use super::json::{self, Json};
use super::model::{Atom, Model, Prop};
use super::types::{self, Ty, camel, go_type_name};
use crate::values::Error;

/// Package and header marker values.
pub(super) struct Header<'a> {
    pub(super) module: &'a str,
    pub(super) group: &'a str,
    pub(super) version: &'a str,
}

const META: &str = "k8s.io/apimachinery/pkg/apis/meta/v1";

/// Go type text of a type expression; records the imports it needs (path → alias).
fn go_type(model: &Model, ty: &Ty, imports: &mut BTreeMap<&'static str, &'static str>) -> String {
    match ty {
        Ty::Ptr(inner) => format!("*{}", go_type(model, inner, imports)),
        Ty::List(inner) => format!("[]{}", go_type(model, inner, imports)),
        Ty::Map(inner) => format!("map[string]{}", go_type(model, inner, imports)),
        Ty::Atom(name) => match model.atom(name) {
            Atom::Builtin(builtin) => builtin_go(builtin, imports),
            Atom::Typedef(key) | Atom::Enum(key) => go_type_name(key),
            Atom::Object | Atom::Undefined => builtin_go("object", imports),
        },
    }
}

fn builtin_go(name: &str, imports: &mut BTreeMap<&'static str, &'static str>) -> String {
    match name {
        "string" | "bool" | "int" | "int32" | "int64" | "float32" | "float64" => name.to_owned(),
        "quantity" => {
            imports.insert("k8s.io/apimachinery/pkg/api/resource", "resource ");
            "resource.Quantity".to_owned()
        }
        "intOrString" => {
            imports.insert("k8s.io/apimachinery/pkg/util/intstr", "intstr ");
            "intstr.IntOrString".to_owned()
        }
        // The meta/v1 path is already imported without alias, so `metav1` stays unresolved
        // (upstream's output, kept as is).
        "duration" => "metav1.Duration".to_owned(),
        "time" => "metav1.Time".to_owned(),
        "object" => {
            imports.insert("k8s.io/apimachinery/pkg/runtime", "k8sRuntime ");
            "k8sRuntime.RawExtension".to_owned()
        }
        "emptyobject" => go_type_name("emptyobject"),
        _ => "string".to_owned(),
    }
}

/// One struct field: comment/marker lines, then name, type and tag.
struct FieldLines {
    comments: Vec<String>,
    name: String,
    ty: String,
    tag: String,
}

/// Renders fields with gofmt alignment: runs of fields without comment lines between them
/// share column widths.
fn render_fields(fields: &[FieldLines]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < fields.len() {
        let mut end = i + 1;
        while end < fields.len() && fields[end].comments.is_empty() {
            end += 1;
        }
        let block = &fields[i..end];
        let name_width = block.iter().map(|f| f.name.len()).max().unwrap_or(0);
        let type_width = block.iter().map(|f| f.ty.len()).max().unwrap_or(0);
        for (j, field) in block.iter().enumerate() {
            if j == 0 {
                for comment in &field.comments {
                    out.push_str("\t// ");
                    out.push_str(comment);
                    out.push('\n');
                }
            }
            let _ = writeln!(
                out,
                "\t{:<name_width$} {:<type_width$} {}",
                field.name, field.ty, field.tag
            );
        }
        i = end;
    }
    out
}

struct Generator<'a> {
    model: &'a Model,
    yaml: &'a Json,
    fields: FieldValues,
    imports: BTreeMap<&'static str, &'static str>,
}

impl Generator<'_> {
    fn field(&mut self, owner: Option<&str>, prop: &Prop) -> Result<FieldLines, Error> {
        let mut comments = Vec::new();
        if !prop.description.is_empty() {
            comments.push(prop.description.clone());
        }
        if let Ty::Atom(atom) = prop.ty.deref()
            && types::is_format(atom)
        {
            comments.push(format!("+kubebuilder:validation:Format={atom}"));
        }
        let yaml = match owner {
            None => defaults::get(self.yaml, &prop.name),
            Some(typedef) => self.fields.get(&(typedef.to_owned(), prop.name.clone())),
        };
        if let Some(default) = defaults::compute(self.model, owner, prop, yaml)? {
            comments.push(format!("+kubebuilder:default:={}", default.go_literal()));
        }
        let c = &prop.constraints;
        let v = "+kubebuilder:validation:";
        if let Some(m) = c.minimum {
            comments.push(format!("{v}Minimum={}", json::go_float_v(m)));
        }
        if let Some(m) = c.maximum {
            comments.push(format!("{v}Maximum={}", json::go_float_v(m)));
        }
        if c.exclusive_minimum {
            comments.push(format!("{v}ExclusiveMinimum=true"));
        }
        if c.exclusive_maximum {
            comments.push(format!("{v}ExclusiveMaximum=true"));
        }
        if let Some(n) = c.min_length {
            comments.push(format!("{v}MinLength={n}"));
        }
        if let Some(n) = c.max_length {
            comments.push(format!("{v}MaxLength={n}"));
        }
        if let Some(p) = &c.pattern {
            comments.push(format!("{v}Pattern={}", json::go_quote(p)));
        }
        if let Some(n) = c.min_items {
            comments.push(format!("{v}MinItems={n}"));
        }
        if let Some(n) = c.max_items {
            comments.push(format!("{v}MaxItems={n}"));
        }
        if prop.immutable {
            comments.push(format!(
                "{v}XValidation:rule=\"self == oldSelf\",message=\"{} is immutable\"",
                prop.name
            ));
        }
        let ty = go_type(self.model, &prop.ty, &mut self.imports);
        let omitempty =
            prop.optional || ty.starts_with("[]") || ty.starts_with("map[") || ty.starts_with('*');
        let tag = format!("`json:\"{}{}\"`", prop.name, if omitempty { ",omitempty" } else { "" });
        Ok(FieldLines { comments, name: camel(&prop.name), ty, tag })
    }
}

/// The whole `-g` file.
pub(super) fn generate(model: &Model, yaml: &Json, header: &Header<'_>) -> Result<String, Error> {
    let mut generator = Generator {
        model,
        yaml,
        fields: defaults::field_values(model, yaml),
        imports: BTreeMap::new(),
    };
    let mut blocks = Vec::new();
    blocks.push(
        "// +kubebuilder:object:root=true\ntype Config struct {\n\tv1.TypeMeta   `json:\",inline\"`\n\tv1.ObjectMeta `json:\"metadata,omitempty\"`\n\tSpec          ConfigSpec `json:\"spec,omitempty\"`\n}"
            .to_owned(),
    );
    let mut spec = Vec::new();
    for param in &model.params {
        spec.push(generator.field(None, param)?);
    }
    blocks.push(format!("type ConfigSpec struct {{\n{}}}", render_fields(&spec)));
    for name in model.go_structs() {
        let mut fields = Vec::new();
        if let Some(node) = model.nodes.get(name) {
            for field in node.fields.values() {
                fields.push(generator.field(Some(name), field)?);
            }
        }
        blocks.push(format!("type {} struct {{\n{}}}", go_type_name(name), render_fields(&fields)));
    }
    for (name, def) in model.go_enums() {
        let values: Vec<String> = def.values.iter().map(|v| json::go_quote(v)).collect();
        let base = go_type(model, &Ty::parse(&def.base), &mut generator.imports);
        blocks.push(format!(
            "// +kubebuilder:validation:Enum={}\ntype {} {base}",
            values.join(";"),
            go_type_name(name)
        ));
    }
    let mut imports = generator.imports;
    imports.insert(META, "");
    let import_lines: String =
        imports.iter().map(|(path, alias)| ["\t", alias, "\"", path, "\"\n"].concat()).collect();
    Ok(format!(
        "// Code generated by values-gen. DO NOT EDIT.\n// +kubebuilder:object:generate=true\n// +groupName={}\n// +versionName={}\npackage {}\n\nimport (\n{import_lines})\n\n{}\n",
        header.group,
        header.version,
        header.module,
        blocks.join("\n\n")
    ))
}
