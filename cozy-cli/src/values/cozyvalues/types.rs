//! Type expressions: the schema/Go grammar, built-in atoms, Go names and README text helpers.

/// A parsed type expression (schema/Go side).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    Ptr(Box<Ty>),
    List(Box<Ty>),
    Map(Box<Ty>),
    Atom(String),
}

impl Ty {
    /// Parses a (trimmed) type expression: one optional leading `*`, then a collection or an
    /// atom; a `*` right after `[]` / `map[..]` is dropped. Collections nested deeper than
    /// [`MAX_NESTING`] are kept whole as one (undefined) atom.
    pub(crate) fn parse(text: &str) -> Ty {
        let (pointer, mut rest) = match text.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut lists = Vec::new();
        loop {
            if let Some(elem) = rest.strip_prefix("[]") {
                lists.push(true);
                rest = elem.strip_prefix('*').unwrap_or(elem);
            } else if let Some(after) = rest.strip_prefix("map[")
                && let Some(close) = after.find(']')
            {
                lists.push(false);
                let elem = &after[close + 1..];
                rest = elem.strip_prefix('*').unwrap_or(elem);
            } else {
                break;
            }
        }
        if lists.len() > MAX_NESTING {
            return Ty::Atom(text.to_owned());
        }
        let mut ty = Ty::Atom(rest.to_owned());
        for list in lists.into_iter().rev() {
            ty = if list { Ty::List(Box::new(ty)) } else { Ty::Map(Box::new(ty)) };
        }
        if pointer { Ty::Ptr(Box::new(ty)) } else { ty }
    }

    /// Without one leading pointer.
    pub(crate) fn deref(&self) -> &Ty {
        match self {
            Ty::Ptr(inner) => inner,
            other => other,
        }
    }

    /// The atom at the bottom of the expression.
    pub(crate) fn atom(&self) -> &str {
        let mut ty = self;
        loop {
            match ty {
                Ty::Ptr(inner) | Ty::List(inner) | Ty::Map(inner) => ty = inner,
                Ty::Atom(name) => return name,
            }
        }
    }
}

/// How deeply `[]`/`map[]` may nest in one type expression.
pub(crate) const MAX_NESTING: usize = 16;

/// How deeply typedefs may nest in each other.
pub(crate) const MAX_TYPEDEF_DEPTH: usize = 64;

/// Built-in atoms of the schema/Go side.
pub(crate) const PRIMITIVES: &[&str] = &[
    "string",
    "bool",
    "int",
    "int32",
    "int64",
    "float32",
    "float64",
    "quantity",
    "intOrString",
    "duration",
    "time",
    "object",
    "emptyobject",
];

/// String format aliases (`{"type":"string","format":F}`).
pub(crate) const FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "date-time",
];

/// Names that mean a typedef of that name when one exists, else free-form `object`.
pub(crate) const SPECIAL: &[&str] = &["resources", "request", "limit"];

/// Whether `name` is a format alias.
pub(crate) fn is_format(name: &str) -> bool {
    FORMATS.contains(&name)
}

/// Whether `name` is a schema-side built-in (primitive or format alias).
pub(crate) fn is_builtin(name: &str) -> bool {
    PRIMITIVES.contains(&name) || is_format(name)
}

/// Go identifier for a key or type name: upper-case the first character and every character
/// after `_` or `-`, dropping those.
pub(crate) fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        if c == '_' || c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Go type name of a declared type: `camel`, with `Config`/`ConfigSpec` renamed.
pub(crate) fn go_type_name(name: &str) -> String {
    let camel = camel(name);
    if camel == "Config" || camel == "ConfigSpec" { format!("Values{camel}") } else { camel }
}

/// README primitives: the built-ins plus `date-time`, optionally behind one `*`.
pub(crate) fn readme_primitive(text: &str) -> bool {
    let bare = text.strip_prefix('*').unwrap_or(text);
    is_builtin(bare)
}

/// README `elem()`: on the first whitespace-free token, the part after `[]`, else after a
/// leading `*`, else after the last `]` of `map[…]`, else the token.
pub(crate) fn readme_elem(text: &str) -> &str {
    let token = text.split_whitespace().next().unwrap_or("");
    if let Some(rest) = token.strip_prefix("[]") {
        rest
    } else if let Some(rest) = token.strip_prefix('*') {
        rest
    } else if token.starts_with("map[") {
        token.rfind(']').map_or(token, |i| &token[i + 1..])
    } else {
        token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        assert_eq!(Ty::parse("*bool"), Ty::Ptr(Box::new(Ty::Atom("bool".into()))));
        assert_eq!(Ty::parse("[]*int"), Ty::List(Box::new(Ty::Atom("int".into()))));
        assert_eq!(
            Ty::parse("map[string][]X"),
            Ty::Map(Box::new(Ty::List(Box::new(Ty::Atom("X".into())))))
        );
        assert_eq!(Ty::parse("**int"), Ty::Ptr(Box::new(Ty::Atom("*int".into()))));
        assert_eq!(Ty::parse("?T"), Ty::Atom("?T".into()));
        let deep = "[]".repeat(MAX_NESTING + 1) + "int";
        assert_eq!(Ty::parse(&deep), Ty::Atom(deep.clone()));
    }

    #[test]
    fn names() {
        assert_eq!(camel("tls"), "Tls");
        assert_eq!(camel("s3AccessKey"), "S3AccessKey");
        assert_eq!(camel("max_connections"), "MaxConnections");
        assert_eq!(go_type_name("Config"), "ValuesConfig");
        assert_eq!(go_type_name("configSpec"), "ValuesConfigSpec");
        assert_eq!(readme_elem("map[string]User"), "User");
        assert_eq!(readme_elem("[]*E"), "*E");
        assert_eq!(readme_elem("*Foo default=1"), "Foo");
    }
}
