//! The README-side parser (§3.4, §6) and the Type column (§6.4).

use std::collections::HashMap;

use super::lexer::{Annotation, Tag};
use super::types::{readme_elem, readme_primitive};

/// A `@param` as the README parser records it.
#[derive(Debug)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) description: String,
}

/// A typedef field as the README parser records it; `ty` carries ` default=X` when annotated.
#[derive(Debug)]
pub(super) struct Field {
    pub(super) name: String,
    pub(super) ty: String,
    pub(super) description: String,
    pub(super) line: usize,
}

/// The README parser's view of the annotations.
#[derive(Debug, Default)]
pub(super) struct Model {
    pub(super) sections: Vec<(String, Vec<usize>)>,
    pub(super) params: Vec<Param>,
    pub(super) typedefs: HashMap<String, Vec<Field>>,
    pub(super) enums: HashMap<String, String>,
}

impl Model {
    pub(super) fn new(annotations: &[Annotation]) -> Model {
        let mut model = Model::default();
        let mut current: Option<String> = None;
        for annotation in annotations {
            match &annotation.tag {
                Tag::Section(title) => {
                    model.sections.push((title.clone(), Vec::new()));
                    current = None;
                }
                Tag::Param(decl) => {
                    if model.sections.is_empty() {
                        model.sections.push(("Parameters".to_owned(), Vec::new()));
                    }
                    let index = model.params.len();
                    model.params.push(Param {
                        name: decl.name.clone(),
                        ty: decl.ty.clone(),
                        description: decl.description.clone(),
                    });
                    if let Some((_, params)) = model.sections.last_mut() {
                        params.push(index);
                    }
                    current = None;
                }
                Tag::Typedef(name) => {
                    model.typedefs.entry(name.clone()).or_default();
                    current = Some(name.clone());
                }
                Tag::Field(decl) => {
                    let Some(fields) = current.as_ref().and_then(|t| model.typedefs.get_mut(t))
                    else {
                        continue;
                    };
                    if fields.iter().any(|f| f.name == decl.name) {
                        continue;
                    }
                    let ty = match &decl.default {
                        Some(default) => format!("{} default={default}", decl.ty),
                        None => decl.ty.clone(),
                    };
                    fields.push(Field {
                        name: decl.name.clone(),
                        ty,
                        description: decl.description.clone(),
                        line: annotation.line,
                    });
                }
                Tag::Enum { ty, name } => {
                    model.enums.insert(name.clone(), ty.clone());
                    current = None;
                }
                _ => {}
            }
        }
        model
    }

    pub(super) fn fields(&self, typedef: &str) -> &[Field] {
        self.typedefs.get(typedef).map_or(&[], Vec::as_slice)
    }

    pub(super) fn has_fields(&self, typedef: &str) -> bool {
        !self.fields(typedef).is_empty()
    }

    pub(super) fn is_enum(&self, name: &str) -> bool {
        self.enums.contains_key(name)
    }

    /// The Type column (§6.4) for a type text.
    pub(super) fn type_column(&self, text: &str) -> String {
        let t = text.split([' ', '\t']).next().unwrap_or("");
        if t == "emptyobject" {
            return "object".to_owned();
        }
        if t == "*emptyobject" {
            return "*object".to_owned();
        }
        if let Some(x) = t.strip_prefix('*') {
            if x.starts_with("[]") || x.starts_with("map[") {
                return self.type_column(x);
            }
            if let Some(base) = self.enums.get(x) {
                return format!("*{base}");
            }
            if !readme_primitive(x) {
                return "*object".to_owned();
            }
            return t.to_owned();
        }
        if readme_primitive(readme_elem(t)) {
            return t.replace("emptyobject", "object");
        }
        if let Some(x) = t.strip_prefix("[]") {
            return match self.enums.get(x) {
                Some(base) => format!("[]{base}"),
                None => "[]object".to_owned(),
            };
        }
        if t.starts_with("map[") {
            return "map[string]object".to_owned();
        }
        self.enums.get(t).cloned().unwrap_or_else(|| "object".to_owned())
    }
}
