//! `checksums.sha256` of a unit (spec §4.7): GNU `sha256sum` text format, paths relative to the
//! unit, sorted by path bytes, covering every regular file but itself and the build report.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

/// The file name inside a unit.
pub const FILE: &str = "checksums.sha256";
/// The report, excluded from the checksums because it carries a timestamp.
pub const REPORT: &str = "validation/build-report.txt";

/// sha256 (lowercase hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> anyhow::Result<(String, u64)> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    hash_reader(&mut file).with_context(|| format!("cannot read {}", path.display()))
}

/// sha256 (lowercase hex) and byte count of everything `reader` yields.
pub fn hash_reader(reader: &mut dyn Read) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let read = reader.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        size += read as u64;
    }
    Ok((format!("{:x}", hasher.finalize()), size))
}

/// The file's text for `path → sha256 hex` entries (the map keeps them sorted by path bytes).
#[must_use]
pub fn render(entries: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, hash) in entries {
        assert!(
            !path.contains([' ', '\\', '\n']),
            "unit paths are generated and never need GNU escaping: {path:?}"
        );
        out.push_str(hash);
        out.push_str("  ");
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// Parses the file strictly: `<64 hex>  <path>` or `<64 hex> *<path>`, one per line, no
/// duplicates. Errors name the line.
pub fn parse(text: &str) -> anyhow::Result<BTreeMap<String, String>> {
    let mut entries = BTreeMap::new();
    for (index, line) in text.split_terminator('\n').enumerate() {
        let number = index + 1;
        let bad = || anyhow::anyhow!("{FILE} line {number}: `{line}` is not `<sha256>  <path>`");
        if line.len() < 67 || !line.is_char_boundary(64) {
            return Err(bad());
        }
        let (hash, rest) = line.split_at(64);
        if !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(bad());
        }
        let path = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")).ok_or_else(bad)?;
        if path.is_empty() || path.starts_with('/') || path.split('/').any(|part| part == "..") {
            return Err(bad());
        }
        if entries.insert(path.to_owned(), hash.to_owned()).is_some() {
            anyhow::bail!("{FILE} line {number}: `{path}` is listed twice");
        }
    }
    if !text.is_empty() && !text.ends_with('\n') {
        anyhow::bail!("{FILE}: the last line is not newline-terminated");
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip_and_reject_bad_lines() {
        let entries = BTreeMap::from([
            ("profiles/kernel.yaml".to_owned(), "a".repeat(64)),
            ("boot/vmlinuz".to_owned(), "b".repeat(64)),
        ]);
        let text = render(&entries);
        assert_eq!(
            text,
            format!("{}  boot/vmlinuz\n{}  profiles/kernel.yaml\n", "b".repeat(64), "a".repeat(64))
        );
        assert_eq!(parse(&text).unwrap(), entries);
        let binary = text.replace("  boot", " *boot");
        assert_eq!(parse(&binary).unwrap(), entries);
        for bad in [
            format!("{}  x\n", "A".repeat(64)),
            format!("{} x\n", "a".repeat(64)),
            format!("{}  ../x\n", "a".repeat(64)),
            format!("{text}{}  boot/vmlinuz\n", "c".repeat(64)),
            text.trim_end().to_owned(),
            format!("{}é  x\n", "a".repeat(63)),
        ] {
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn gnu_sha256sum_accepts_what_render_writes() {
        let dir = tempfile::tempdir().unwrap();
        let mut entries = BTreeMap::new();
        for (path, data) in
            [("boot/vmlinuz", &b"kernel"[..]), ("profiles/kernel.yaml", b"arch: amd64\n")]
        {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            crate::fsx::write_atomic(&full, data).unwrap();
            entries.insert(path.to_owned(), hash_file(&full).unwrap().0);
        }
        crate::fsx::write_atomic(&dir.path().join(FILE), render(&entries).as_bytes()).unwrap();
        let runner = crate::tool::Runner::new(
            crate::output::Printer::new(
                crate::output::Verbosity::Quiet,
                crate::output::ColorChoice::Never,
            ),
            false,
            "cozy test",
        );
        let out = runner
            .program("sha256sum")
            .args(["-c", "--strict", FILE])
            .dir(dir.path())
            .read()
            .unwrap();
        assert_eq!(out, "boot/vmlinuz: OK\nprofiles/kernel.yaml: OK\n");
    }
}
