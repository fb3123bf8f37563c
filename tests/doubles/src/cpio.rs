//! newc (`070701`) cpio archives, as the Linux initramfs format uses them.
//!
//! Each entry is a 110-byte ASCII header (magic and 13 eight-digit hex fields), the NUL-terminated
//! name padded so header plus name is a multiple of 4, then the data padded to 4. The archive
//! ends with the `TRAILER!!!` entry. Everything is deterministic: inode numbers count from 1,
//! owner 0:0, mtime 0.

/// A newc archive of `entries` (path, data), then `TRAILER!!!`.
///
/// A path is stored as given (no leading `/`). A path ending in `/` becomes a directory (mode
/// 040755, the slash dropped, data ignored); every other path a regular file with mode 0100644.
#[must_use]
pub fn newc(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, (path, data)) in entries.iter().enumerate() {
        let inode = u32::try_from(index + 1).expect("fewer than 4 billion entries");
        match path.strip_suffix('/') {
            Some(dir) => entry(&mut out, dir, 0o040_755, 2, inode, &[]),
            None => entry(&mut out, path, 0o100_644, 1, inode, data),
        }
    }
    entry(&mut out, "TRAILER!!!", 0, 1, 0, &[]);
    out
}

fn entry(out: &mut Vec<u8>, name: &str, mode: u32, nlink: u32, inode: u32, data: &[u8]) {
    let size = u32::try_from(data.len()).expect("cpio entries stay below 4 GiB");
    let name_size = u32::try_from(name.len() + 1).expect("short names");
    let fields = [inode, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, name_size, 0];
    out.extend_from_slice(b"070701");
    for field in fields {
        out.extend_from_slice(format!("{field:08x}").as_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad4(out);
    out.extend_from_slice(data);
    pad4(out);
}

fn pad4(out: &mut Vec<u8>) {
    out.resize(out.len().next_multiple_of(4), 0);
}
