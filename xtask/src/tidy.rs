//! House rules checked by `cargo test`: every Rust file opens with `//!`, no `dbg!` or `todo!`.

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_file_has_a_module_doc_and_no_debug_leftovers() {
        let root = crate::project_root();
        let mut files = Vec::new();
        for dir in ["cozy-cli/src", "cozy-cli/tests", "xtask/src"] {
            rust_files(&root.join(dir), &mut files);
        }
        let mut problems = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let rel = file.strip_prefix(&root).unwrap().display().to_string();
            if !text.starts_with("//!") {
                problems.push(format!("{rel}: does not start with a `//!` module doc"));
            }
            for (needle, what) in [(concat!("dbg", "!("), "dbg!"), (concat!("todo", "!("), "todo!")]
            {
                if text.contains(needle) {
                    problems.push(format!("{rel}: contains {what}"));
                }
            }
        }
        assert!(files.len() > 10, "found only {} files", files.len());
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
