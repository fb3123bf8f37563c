//! The merged filesystem of an image's layers (spec 5.3): listing, export, and file contents.
//!
//! The walk is go-containerregistry's `mutate.Extract` (what `crane export` runs): layers from the
//! top down, the first occurrence of a path wins, a non-directory hides everything below its path
//! in lower layers, a directory does not hide its children, whiteout entries are never emitted,
//! and the output order is top layer first. On top of that, as the OCI image spec says:
//!
//! - `.wh..wh..opq` in directory `D` hides everything under `D` from lower layers, while `D`'s
//!   entries from its own and higher layers stay;
//! - a whiteout (`.wh.NAME`) or opaque marker acts on *lower* layers only: it is applied once its
//!   layer has been read, so the order of entries inside a layer does not matter, and
//!   "delete `D`, then recreate it" in one layer keeps the new `D` and drops the old contents;
//! - a whiteout or a non-directory at a path that a higher layer made a directory hides the
//!   lower contents of that directory (crane keeps them; umoci, like the OCI spec, does not).
//!
//! Other `.wh..wh.*` names (aufs metadata) are dropped. For well-formed layers without opaque
//! markers the result is exactly crane's. Paths lose leading `/` and `./` and trailing `/`;
//! entries with `..` make the image unreadable.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};

use anyhow::{Context as _, bail};

use crate::talos::oci::archive::Image;

/// What an entry is; [`Kind::letter`] is its column in listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `f`: a regular file.
    File,
    /// `d`: a directory.
    Dir,
    /// `l`: a symbolic link.
    Symlink,
    /// `h`: a hard link to another path.
    Hardlink,
    /// `c`: a character device.
    CharDevice,
    /// `b`: a block device.
    BlockDevice,
    /// `p`: a named pipe (FIFO).
    Fifo,
}

impl Kind {
    /// The one-letter type of listings: `f` file, `d` directory, `l` symlink, `h` hard link,
    /// `c` character device, `b` block device, `p` FIFO.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            Kind::File => 'f',
            Kind::Dir => 'd',
            Kind::Symlink => 'l',
            Kind::Hardlink => 'h',
            Kind::CharDevice => 'c',
            Kind::BlockDevice => 'b',
            Kind::Fifo => 'p',
        }
    }
}

/// One entry of the merged filesystem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Normalized path: relative, no `./`, no trailing `/`.
    pub path: String,
    /// What it is.
    pub kind: Kind,
    /// Data size in bytes (0 for everything but files).
    pub size: u64,
    /// Permission bits from the tar header.
    pub mode: u32,
    /// A symlink's target as written, or a hard link's target path (normalized).
    pub link: Option<String>,
    /// The layer it comes from (0 = bottom).
    pub layer: usize,
}

/// The merged filesystem's entries, in crane order (top layer first).
#[derive(Clone, Debug, Default)]
pub struct Merged {
    entries: Vec<Entry>,
    // Invariant: maps every entry's path to its position in `entries`.
    by_path: HashMap<String, usize>,
}

impl Merged {
    /// Entries in crane order.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `path` (normalized the same way as entries), if any.
    #[must_use]
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let path = normalize(path).ok()??;
        self.by_path.get(&path).map(|&i| &self.entries[i])
    }

    /// The `--list` text: one `TYPE SIZE PATH` line per entry, sorted by path (bytewise), where
    /// `TYPE` is [`Kind::letter`].
    #[must_use]
    pub fn listing(&self) -> String {
        let mut sorted: Vec<&Entry> = self.entries.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        sorted.iter().fold(String::new(), |mut out, entry| {
            out.push(entry.kind.letter());
            out.push(' ');
            out.push_str(&entry.size.to_string());
            out.push(' ');
            out.push_str(&entry.path);
            out.push('\n');
            out
        })
    }

    fn push(&mut self, entry: Entry) {
        self.by_path.insert(entry.path.clone(), self.entries.len());
        self.entries.push(entry);
    }
}

/// Merges every layer (reading each once and checking its digests).
///
/// # Errors
/// When a layer cannot be read, is not a tar, fails its digest checks, or holds an entry with
/// `..`; the message names the layer and entry.
pub fn merge(image: &Image) -> anyhow::Result<Merged> {
    Ok(merge_capturing(image, &[])?.0)
}

/// Writes the merged filesystem as one tar stream in crane order: fresh GNU headers with the
/// entry's type, mode, uid/gid, owner names, mtime, size, link and device numbers (PAX records
/// such as xattrs are not carried over), cleaned names without trailing `/`.
///
/// Two passes: every layer is read and its digests checked (as [`merge`] does) before the
/// first byte is written, so a corrupt layer never reaches `out`.
///
/// # Errors
/// As [`merge`], or when writing fails.
pub fn export(image: &Image, out: impl Write) -> anyhow::Result<()> {
    merge(image)?;
    let mut builder = tar::Builder::new(out);
    walk(image, None, &mut |entry, header, data| {
        let mut fresh = tar::Header::new_gnu();
        // A sparse member is written expanded, so it is a plain file in the export (a GNU
        // sparse type without its map would corrupt the stream).
        let entry_type = match header.entry_type() {
            tar::EntryType::GNUSparse | tar::EntryType::Continuous => tar::EntryType::Regular,
            other => other,
        };
        fresh.set_entry_type(entry_type);
        fresh.set_mode(entry.mode);
        fresh.set_uid(header.uid().unwrap_or(0));
        fresh.set_gid(header.gid().unwrap_or(0));
        fresh.set_mtime(header.mtime().unwrap_or(0));
        if let Ok(Some(name)) = header.username() {
            let _ = fresh.set_username(name);
        }
        if let Ok(Some(name)) = header.groupname() {
            let _ = fresh.set_groupname(name);
        }
        if let (Ok(Some(major)), Ok(Some(minor))) = (header.device_major(), header.device_minor()) {
            let _ = fresh.set_device_major(major);
            let _ = fresh.set_device_minor(minor);
        }
        fresh.set_size(entry.size);
        let written = match (&entry.kind, &entry.link) {
            (Kind::Symlink | Kind::Hardlink, Some(target)) => {
                builder.append_link(&mut fresh, &entry.path, target)
            }
            _ => builder.append_data(&mut fresh, &entry.path, data.take(entry.size)),
        };
        written.with_context(|| format!("cannot write `{}` to the exported tar", entry.path))
    })?;
    builder.into_inner().context("cannot finish the exported tar")?.flush()?;
    Ok(())
}

/// The contents of regular files of the merged filesystem, by the paths asked for. Symlinks
/// (in any component) are followed inside the image; hard links lead to the file they name as
/// seen from their own layer.
///
/// # Errors
/// As [`merge`]; also when a path is missing, is not a file, or its links loop or dangle.
pub fn read_files(image: &Image, paths: &[&str]) -> anyhow::Result<BTreeMap<String, Vec<u8>>> {
    let wanted: Vec<String> =
        paths.iter().filter_map(|path| normalize(path).ok().flatten()).collect();
    let (merged, mut captured) = merge_capturing(image, &wanted)?;
    let mut files = BTreeMap::new();
    // Paths that are not plain files at the top need a second look: (layer, path) → asked names.
    let mut second: HashMap<(usize, String), Vec<String>> = HashMap::new();
    for &asked in paths {
        let path = normalize(asked)
            .with_context(|| format!("`{asked}`"))?
            .with_context(|| format!("`{asked}` is the image root, not a file"))?;
        if let Some(data) = captured.remove(&path) {
            files.insert(asked.to_owned(), data);
            continue;
        }
        let (layer, target) = locate_file(image, &merged, &path)
            .with_context(|| format!("`{asked}` in image `{}`", image.source()))?;
        second.entry((layer, target)).or_default().push(asked.to_owned());
    }
    if !second.is_empty() {
        for (key, data) in read_raw(image, &second)? {
            for asked in &second[&key] {
                files.insert(asked.clone(), data.clone());
            }
        }
    }
    if let Some(missing) = paths.iter().find(|asked| !files.contains_key(**asked)) {
        bail!("`{missing}`: its data was not found in the layer that holds it");
    }
    Ok(files)
}

/// The contents of one file of the merged filesystem (see [`read_files`]).
///
/// # Errors
/// As [`read_files`].
pub fn cat(image: &Image, path: &str) -> anyhow::Result<Vec<u8>> {
    let mut files = read_files(image, &[path])?;
    Ok(files.remove(path).unwrap_or_default())
}

/// Merges and, in the same pass, keeps the data of the entries of `wanted` (normalized paths)
/// that are regular files in the merged view; links are not followed (see [`read_files`]).
///
/// # Errors
/// As [`merge`].
pub fn merge_capturing(
    image: &Image,
    wanted: &[String],
) -> anyhow::Result<(Merged, BTreeMap<String, Vec<u8>>)> {
    let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();
    let mut merged = Merged::default();
    let mut captured = BTreeMap::new();
    walk(image, None, &mut |entry, _, data| {
        if entry.kind == Kind::File && wanted.contains(entry.path.as_str()) {
            captured.insert(entry.path.clone(), read_capped(entry, data)?);
        }
        merged.push(entry.clone());
        Ok(())
    })?;
    Ok((merged, captured))
}

type Visit<'v> = dyn FnMut(&Entry, &tar::Header, &mut dyn Read) -> anyhow::Result<()> + 'v;

/// The merge walk over layers `0..=top` (all when `None`), top first; calls `visit` for each
/// emitted entry with its original header and data.
fn walk(image: &Image, top: Option<usize>, visit: &mut Visit<'_>) -> anyhow::Result<()> {
    let count = top.map_or(image.layers().len(), |top| top + 1);
    // Path → whether it hides what is below it (non-directory or tombstone).
    let mut seen: HashMap<String, bool> = HashMap::new();
    let mut opaque: HashSet<String> = HashSet::new();
    for index in (0..count).rev() {
        let layer = &image.layers()[index];
        let context = || format!("layer {index} (`{}`)", layer.name);
        let mut reader = image.open_layer(index)?;
        let mut whiteouts = Vec::new();
        let mut opaques = Vec::new();
        {
            let mut archive = tar::Archive::new(TarGuard::new(&mut reader));
            for item in archive.entries().with_context(context)? {
                let mut item = item.with_context(|| format!("{}: malformed tar", context()))?;
                let Some(entry) = read_entry(&item, index).with_context(context)? else {
                    continue;
                };
                let (dir, base) = split(&entry.path);
                if let Some(name) = base.strip_prefix(".wh.") {
                    if name == ".wh..opq" {
                        opaques.push(dir.to_owned());
                    } else if !name.starts_with(".wh.") {
                        whiteouts.push(join(dir, name));
                    }
                    continue;
                }
                if hidden(&seen, &opaque, &entry.path) {
                    continue;
                }
                if let Some(&blocks) = seen.get(&entry.path) {
                    // A higher directory over this non-directory: the replacement happened
                    // here, so what lower layers hold under the path is gone.
                    if !blocks && entry.kind != Kind::Dir {
                        opaques.push(entry.path);
                    }
                    continue;
                }
                seen.insert(entry.path.clone(), entry.kind != Kind::Dir);
                let header = item.header().clone();
                visit(&entry, &header, &mut item)?;
            }
        }
        reader.finish()?;
        for path in whiteouts {
            if hidden(&seen, &opaque, &path) {
                continue;
            }
            match seen.get(&path) {
                None => {
                    seen.insert(path, true);
                }
                Some(false) => {
                    opaque.insert(path);
                }
                Some(true) => {}
            }
        }
        opaque.extend(opaques);
    }
    Ok(())
}

/// Whether a higher layer hid `path`: an ancestor is a non-directory or tombstone, or opaque.
fn hidden(seen: &HashMap<String, bool>, opaque: &HashSet<String>, path: &str) -> bool {
    let mut end = path.len();
    while let Some(slash) = path[..end].rfind('/') {
        let ancestor = &path[..slash];
        if seen.get(ancestor) == Some(&true) || opaque.contains(ancestor) {
            return true;
        }
        end = slash;
    }
    opaque.contains("")
}

/// The merged-view entry for a tar member; `None` for the root and global PAX headers.
fn read_entry<R: Read>(item: &tar::Entry<'_, R>, layer: usize) -> anyhow::Result<Option<Entry>> {
    let raw = String::from_utf8(item.path_bytes().into_owned()).map_err(|_| {
        anyhow::anyhow!(
            "entry at offset {} has a name that is not UTF-8",
            item.raw_header_position()
        )
    })?;
    let header = item.header();
    let kind = match header.entry_type() {
        tar::EntryType::Regular | tar::EntryType::Continuous | tar::EntryType::GNUSparse => {
            Kind::File
        }
        tar::EntryType::Directory => Kind::Dir,
        tar::EntryType::Symlink => Kind::Symlink,
        tar::EntryType::Link => Kind::Hardlink,
        tar::EntryType::Char => Kind::CharDevice,
        tar::EntryType::Block => Kind::BlockDevice,
        tar::EntryType::Fifo => Kind::Fifo,
        tar::EntryType::XGlobalHeader => return Ok(None),
        other => bail!("entry `{raw}` has tar type {:?}, which images do not use", other.as_byte()),
    };
    let Some(path) = normalize(&raw).with_context(|| format!("entry `{raw}`"))? else {
        return Ok(None);
    };
    let link = match kind {
        Kind::Symlink | Kind::Hardlink => {
            let target = item
                .link_name_bytes()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .unwrap_or_default();
            if kind == Kind::Hardlink {
                let normalized = normalize(&target)
                    .with_context(|| format!("hard link `{raw}` -> `{target}`"))?
                    .with_context(|| format!("hard link `{raw}` points at the root"))?;
                Some(normalized)
            } else {
                Some(target)
            }
        }
        _ => None,
    };
    let size = if kind == Kind::File { item.size() } else { 0 };
    Ok(Some(Entry { path, kind, size, mode: header.mode().unwrap_or(0), link, layer }))
}

/// A path without leading `/` or `./` and trailing `/`; `None` for the root; `..` is an error.
fn normalize(path: &str) -> anyhow::Result<Option<String>> {
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => bail!("paths with `..` are not allowed"),
            part => parts.push(part),
        }
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

/// The regular file `path` leads to, following symlinks in every component (at most 40) and
/// one hard link: (the layer holding the data, its path there).
fn locate_file(image: &Image, merged: &Merged, path: &str) -> anyhow::Result<(usize, String)> {
    let resolved = resolve_symlinks(merged, path)?;
    let entry = merged.get(&resolved).with_context(|| {
        if resolved == path {
            "no such file in the image".to_owned()
        } else {
            format!("leads to `{resolved}`, which is not in the image")
        }
    })?;
    match entry.kind {
        Kind::File => Ok((entry.layer, entry.path.clone())),
        Kind::Hardlink => {
            let target = entry.link.clone().unwrap_or_default();
            // The data is whatever `target` was as seen from the link's own layer.
            let mut below = Merged::default();
            walk(image, Some(entry.layer), &mut |e, _, _| {
                below.push(e.clone());
                Ok(())
            })?;
            let found = below
                .get(&target)
                .with_context(|| format!("hard link to `{target}`, which is not in the image"))?;
            if found.kind != Kind::File {
                bail!("hard link to `{target}`, which is not a regular file");
            }
            Ok((found.layer, found.path.clone()))
        }
        kind => bail!("is not a regular file (type `{}`)", kind.letter()),
    }
}

/// `path` with every symlink component replaced by its target, inside the image root.
fn resolve_symlinks(merged: &Merged, path: &str) -> anyhow::Result<String> {
    let mut pending: Vec<String> = path.split('/').rev().map(str::to_owned).collect();
    let mut done: Vec<String> = Vec::new();
    let mut hops = 0;
    while let Some(part) = pending.pop() {
        match part.as_str() {
            "" | "." => continue,
            ".." => {
                done.pop();
                continue;
            }
            _ => {}
        }
        done.push(part);
        let current = done.join("/");
        let Some(entry) = merged.get(&current) else { continue };
        if entry.kind != Kind::Symlink {
            continue;
        }
        hops += 1;
        if hops > 40 {
            bail!("too many levels of symbolic links");
        }
        let target = entry.link.clone().unwrap_or_default();
        done.pop();
        if target.starts_with('/') {
            done.clear();
        }
        pending.extend(target.split('/').rev().map(str::to_owned));
    }
    Ok(done.join("/"))
}

/// Reads the data of specific (layer, path) members straight from their layers (first
/// occurrence in the layer, as in the merge).
fn read_raw<T>(
    image: &Image,
    wanted: &HashMap<(usize, String), T>,
) -> anyhow::Result<HashMap<(usize, String), Vec<u8>>> {
    let mut layers: Vec<usize> = wanted.keys().map(|(layer, _)| *layer).collect();
    layers.sort_unstable();
    layers.dedup();
    let mut found = HashMap::new();
    for index in layers {
        let mut reader = image.open_layer(index)?;
        {
            let mut archive = tar::Archive::new(TarGuard::new(&mut reader));
            let entries = archive.entries().with_context(|| format!("layer {index}"))?;
            for item in entries {
                let mut item = item.with_context(|| format!("layer {index}: malformed tar"))?;
                let Some(entry) = read_entry(&item, index)? else { continue };
                let key = (index, entry.path);
                if entry.kind == Kind::File
                    && wanted.contains_key(&key)
                    && !found.contains_key(&key)
                {
                    let bytes = read_capped(&Entry { path: key.1.clone(), ..entry }, &mut item)?;
                    found.insert(key, bytes);
                }
            }
        }
        reader.finish()?;
    }
    Ok(found)
}

/// The largest file whose contents are read into memory (`--cat`, the installer checks).
pub const MAX_CAPTURED_FILE_BYTES: u64 = 512 << 20;

/// The data of file `entry`, refused before reading when its header declares more than
/// [`MAX_CAPTURED_FILE_BYTES`].
fn read_capped(entry: &Entry, data: &mut dyn Read) -> anyhow::Result<Vec<u8>> {
    let what = || format!("layer {}: `{}`", entry.layer, entry.path);
    if entry.size > MAX_CAPTURED_FILE_BYTES {
        bail!(
            "{}: its tar header declares {} bytes, more than the {MAX_CAPTURED_FILE_BYTES} that may be read into memory",
            what(),
            entry.size
        );
    }
    let mut bytes = Vec::new();
    data.take(entry.size)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read its data", what()))?;
    Ok(bytes)
}

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

/// The largest GNU long name (`L`), long link (`K`) or PAX (`x`) entry accepted: the tar crate
/// reads those whole into memory.
pub const MAX_TAR_EXTENSION_BYTES: u64 = 64 << 10;

/// Where a [`TarGuard`] is in the tar stream.
#[derive(Debug)]
enum GuardState {
    /// Collecting a 512-byte header.
    Header,
    /// Collecting a GNU sparse extension block; the entry's data (padded) follows.
    SparseExt { data: u64 },
    /// Passing an entry's data and padding; a PAX entry's data is kept.
    Data { left: u64, pax: bool },
    /// End of the archive, or a block the tar crate will refuse itself: bytes pass unchecked.
    Done,
}

/// A reader between a layer and `tar::Archive` that walks the tar headers as the crate does
/// (sizes, PAX `size` overrides, GNU sparse extension blocks) and fails as soon as an
/// extension entry the crate would read whole declares more than [`MAX_TAR_EXTENSION_BYTES`],
/// before any of its data is read.
struct TarGuard<R> {
    inner: R,
    state: GuardState,
    /// The header or extension block being collected, or a PAX entry's data.
    block: Vec<u8>,
    /// Offset in the uncompressed tar.
    offset: u64,
    /// `size` of the pending PAX entry, for the next entry that is not an extension.
    pax_size: Option<u64>,
    /// The declared size of the PAX entry whose data is being kept.
    pax_len: usize,
}

impl<R: Read> TarGuard<R> {
    fn new(inner: R) -> TarGuard<R> {
        TarGuard {
            inner,
            state: GuardState::Header,
            block: Vec::new(),
            offset: 0,
            pax_size: None,
            pax_len: 0,
        }
    }

    fn room(&self) -> u64 {
        match self.state {
            GuardState::Header | GuardState::SparseExt { .. } => 512 - self.block.len() as u64,
            GuardState::Data { left, .. } => left,
            GuardState::Done => u64::MAX,
        }
    }

    fn advance(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.offset += bytes.len() as u64;
        match &mut self.state {
            GuardState::Header => {
                self.block.extend_from_slice(bytes);
                if self.block.len() == 512 {
                    let block = std::mem::take(&mut self.block);
                    self.state = self.header(&block, self.offset - 512)?;
                }
            }
            GuardState::SparseExt { data } => {
                let data = *data;
                self.block.extend_from_slice(bytes);
                if self.block.len() == 512 {
                    let extended = self.block[504] != 0;
                    self.block.clear();
                    if !extended {
                        self.state = data_state(data, false);
                    }
                }
            }
            GuardState::Data { left, pax } => {
                *left -= bytes.len() as u64;
                if *pax {
                    self.block.extend_from_slice(bytes);
                }
                if *left == 0 {
                    if *pax {
                        self.block.truncate(self.pax_len);
                        self.pax_size = pax_size(&self.block);
                        self.block.clear();
                    }
                    self.state = GuardState::Header;
                }
            }
            GuardState::Done => {}
        }
        Ok(())
    }

    /// What follows the header `block` found at `at`.
    fn header(&mut self, block: &[u8], at: u64) -> std::io::Result<GuardState> {
        if block.iter().all(|&b| b == 0) {
            return Ok(GuardState::Done);
        }
        let header = tar::Header::from_byte_slice(block);
        let sum: u32 =
            block[..148].iter().chain(&block[156..]).map(|&b| u32::from(b)).sum::<u32>() + 8 * 32;
        let Ok(size) = header.entry_size() else { return Ok(GuardState::Done) };
        if header.cksum().ok() != Some(sum) {
            return Ok(GuardState::Done);
        }
        let kind = header.entry_type();
        let recognized = header.as_gnu().is_some() || header.as_ustar().is_some();
        let extension =
            kind.is_gnu_longname() || kind.is_gnu_longlink() || kind.is_pax_local_extensions();
        if recognized && extension {
            if size > MAX_TAR_EXTENSION_BYTES {
                let what = match kind.as_byte() {
                    b'L' => "GNU long name (`L`)",
                    b'K' => "GNU long link (`K`)",
                    _ => "PAX extended header (`x`)",
                };
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the {what} entry at offset {at} declares {size} bytes, more than the {MAX_TAR_EXTENSION_BYTES} allowed"
                    ),
                ));
            }
            // At most 64 KiB: fits.
            self.pax_len = usize::try_from(size).unwrap_or(0);
            return Ok(data_state(size, kind.is_pax_local_extensions()));
        }
        let pax = self.pax_size.take();
        let size =
            if extension || kind.is_pax_global_extensions() { size } else { pax.unwrap_or(size) };
        if kind.is_gnu_sparse() && header.as_gnu().is_some_and(tar::GnuHeader::is_extended) {
            return Ok(GuardState::SparseExt { data: size });
        }
        Ok(data_state(size, false))
    }
}

/// Passing `size` bytes of entry data and the padding to 512.
fn data_state(size: u64, pax: bool) -> GuardState {
    match size.div_ceil(512).checked_mul(512) {
        Some(0) => GuardState::Header,
        Some(left) => GuardState::Data { left, pax },
        // The crate refuses such a size itself.
        None => GuardState::Done,
    }
}

/// The PAX `size` record as the tar crate reads it: the first `size` key, if it parses.
fn pax_size(data: &[u8]) -> Option<u64> {
    for record in tar::PaxExtensions::new(data) {
        let record = record.ok()?;
        if record.key() == Ok("size") {
            return record.value().ok()?.parse().ok();
        }
    }
    None
}

impl<R: Read> Read for TarGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = usize::try_from(self.room()).unwrap_or(usize::MAX);
        let want = buf.len().min(room);
        if want == 0 {
            return Ok(0);
        }
        let got = self.inner.read(&mut buf[..want])?;
        self.advance(&buf[..got])?;
        Ok(got)
    }
}
