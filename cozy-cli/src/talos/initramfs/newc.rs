//! A push parser for newc cpio streams that keeps only what [`super::Initramfs`] reports.
//!
//! Bytes arrive in chunks of any size (from a raw segment or a decompressor); file data is
//! skipped except `extensions.yaml`, which is collected up to [`EXTENSIONS_YAML_CAP`] and parsed
//! when complete. Offsets in errors count bytes of this stream (decompressed for compressed
//! segments).

use std::io;

use anyhow::{Context as _, bail};
use serde::Deserialize;

use super::{Extension, Initramfs};

/// The largest `extensions.yaml` read (Talos writes a few KiB).
pub(super) const EXTENSIONS_YAML_CAP: u64 = 1 << 20;
/// The largest entry name accepted (`PATH_MAX`).
const NAME_CAP: usize = 4096;
const HEADER_LEN: usize = 110;
const TRAILER: &str = "TRAILER!!!";
const TYPE_MASK: u32 = 0o170_000;
const REGULAR: u32 = 0o100_000;
const DIRECTORY: u32 = 0o040_000;

/// Where the stream's archives end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// An uncompressed segment: one archive, positioned at its first header; `feed` stops at
    /// the end of `TRAILER!!!` and leaves the rest to the caller.
    Raw,
    /// A decompressed segment: any number of archives separated by zero padding.
    Stream,
}

#[derive(Debug)]
enum State {
    /// Outside an archive: zero padding, or the first byte of the next header.
    Between,
    Header,
    Name {
        name_size: usize,
        file_size: u64,
        mode: u32,
    },
    Data {
        name: String,
        left: u64,
        pad: u64,
        capture: bool,
    },
    /// After the trailer of a raw archive.
    Ended,
}

/// The parser; errors stop it for good.
pub(super) struct Newc<'a> {
    found: &'a mut Initramfs,
    mode: Mode,
    state: State,
    /// Padding (or ignored trailer data) still to drop before `state` continues.
    skip: u64,
    /// Bytes consumed so far.
    offset: u64,
    /// Where the current entry's header started.
    entry_offset: u64,
    /// The header or name being collected.
    field: Vec<u8>,
    yaml: Vec<u8>,
    /// The first error, kept for the [`io::Write`] adapter, whose callers only see an io error.
    error: Option<anyhow::Error>,
}

impl<'a> Newc<'a> {
    pub(super) fn new(found: &'a mut Initramfs, mode: Mode) -> Newc<'a> {
        let state = match mode {
            Mode::Raw => State::Header,
            Mode::Stream => State::Between,
        };
        Newc {
            found,
            mode,
            state,
            skip: 0,
            offset: 0,
            entry_offset: 0,
            field: Vec::new(),
            yaml: Vec::new(),
            error: None,
        }
    }

    /// Consumes bytes; returns how many, which is fewer than `data.len()` only once a raw
    /// archive has ended.
    pub(super) fn feed(&mut self, data: &[u8]) -> anyhow::Result<usize> {
        let mut used = 0;
        while used < data.len() {
            let rest = &data[used..];
            let taken = self.step(rest)?;
            if taken == 0 && matches!(self.state, State::Ended) {
                break;
            }
            used += taken;
            self.offset += taken as u64;
        }
        Ok(used)
    }

    /// True between archives: a frame or stream of a compressed segment may end here.
    pub(super) fn at_boundary(&self) -> bool {
        self.skip == 0 && matches!(self.state, State::Between)
    }

    /// True once a raw archive's trailer has been read.
    pub(super) fn ended(&self) -> bool {
        self.skip == 0 && matches!(self.state, State::Ended)
    }

    /// Bytes consumed so far.
    pub(super) fn offset(&self) -> u64 {
        self.offset
    }

    /// Checks that the stream did not stop inside an entry.
    pub(super) fn finish(&mut self) -> anyhow::Result<()> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let done = match self.mode {
            Mode::Raw => self.ended(),
            Mode::Stream => self.at_boundary(),
        };
        if done {
            return Ok(());
        }
        let at = self.entry_offset;
        match &self.state {
            State::Data { name, .. } => {
                bail!("cpio data ends inside entry `{name}` (header at offset {at:#x})")
            }
            State::Between | State::Ended => bail!("cpio data ends inside padding"),
            State::Header | State::Name { .. } => {
                bail!("cpio data ends inside the entry header at offset {at:#x}")
            }
        }
    }

    /// Takes up to `rest.len()` bytes (at least one unless the archive has ended).
    fn step(&mut self, rest: &[u8]) -> anyhow::Result<usize> {
        if self.skip > 0 {
            let taken = rest.len().min(usize::try_from(self.skip).unwrap_or(usize::MAX));
            self.skip -= taken as u64;
            return Ok(taken);
        }
        match &mut self.state {
            State::Ended => Ok(0),
            State::Between => {
                let zeros = rest.iter().take_while(|&&byte| byte == 0).count();
                match rest.get(zeros) {
                    None => {}
                    Some(b'0') => self.state = State::Header,
                    Some(&other) => bail!(
                        "offset {:#x}: expected a cpio header (`070701`) or zero padding, found byte {other:#04x}",
                        self.offset + zeros as u64
                    ),
                }
                // A lone non-zero byte starts a header and is taken on the next step.
                Ok(zeros)
            }
            State::Header => {
                if self.field.is_empty() {
                    self.entry_offset = self.offset;
                }
                let taken = self.collect(rest, HEADER_LEN);
                if self.field.len() == HEADER_LEN {
                    self.header()?;
                }
                Ok(taken)
            }
            State::Name { name_size, file_size, mode } => {
                let (name_size, file_size, mode) = (*name_size, *file_size, *mode);
                let taken = self.collect(rest, name_size);
                if self.field.len() == name_size {
                    self.name(name_size, file_size, mode)?;
                }
                Ok(taken)
            }
            State::Data { left, pad, capture, .. } => {
                let taken = rest.len().min(usize::try_from(*left).unwrap_or(usize::MAX));
                if *capture {
                    self.yaml.extend_from_slice(&rest[..taken]);
                }
                *left -= taken as u64;
                if *left == 0 {
                    let (pad, capture) = (*pad, *capture);
                    if capture {
                        self.extensions()?;
                    }
                    self.skip = pad;
                    self.state = State::Header;
                }
                Ok(taken)
            }
        }
    }

    fn collect(&mut self, rest: &[u8], len: usize) -> usize {
        let taken = rest.len().min(len - self.field.len());
        self.field.extend_from_slice(&rest[..taken]);
        taken
    }

    fn header(&mut self) -> anyhow::Result<()> {
        let at = self.entry_offset;
        let header = std::mem::take(&mut self.field);
        if &header[..6] != b"070701" && &header[..6] != b"070702" {
            bail!(
                "offset {at:#x}: expected a newc cpio header (`070701` or `070702`), found {:?}",
                String::from_utf8_lossy(&header[..6])
            );
        }
        let field = |index: usize| -> anyhow::Result<u32> {
            let digits = &header[6 + 8 * index..6 + 8 * (index + 1)];
            let text = std::str::from_utf8(digits)
                .ok()
                .filter(|text| text.bytes().all(|byte| byte.is_ascii_hexdigit()));
            text.and_then(|text| u32::from_str_radix(text, 16).ok()).with_context(|| {
                format!(
                    "offset {at:#x}: cpio header field {index} is not 8 hex digits: {:?}",
                    String::from_utf8_lossy(digits)
                )
            })
        };
        let mode = field(1)?;
        let file_size = u64::from(field(6)?);
        let name_size = usize::try_from(field(11)?).unwrap_or(usize::MAX);
        if name_size == 0 || name_size > NAME_CAP {
            bail!("offset {at:#x}: cpio name size {name_size} is outside 1..={NAME_CAP}");
        }
        self.state = State::Name { name_size, file_size, mode };
        Ok(())
    }

    fn name(&mut self, name_size: usize, file_size: u64, mode: u32) -> anyhow::Result<()> {
        let raw = std::mem::take(&mut self.field);
        let name = String::from_utf8_lossy(raw.strip_suffix(b"\0").unwrap_or(&raw)).into_owned();
        let name_pad = pad4(HEADER_LEN as u64 + name_size as u64);
        let data_pad = pad4(file_size);
        if name == TRAILER {
            self.skip = name_pad + file_size + data_pad;
            self.state = match self.mode {
                Mode::Raw => State::Ended,
                Mode::Stream => State::Between,
            };
            return Ok(());
        }
        let capture = self.record(&name, mode, file_size)?;
        self.skip = name_pad;
        if file_size == 0 {
            if capture {
                self.extensions()?;
            }
            self.skip += data_pad;
            self.state = State::Header;
        } else {
            self.state = State::Data { name, left: file_size, pad: data_pad, capture };
        }
        Ok(())
    }

    /// Notes what the entry tells; returns whether to collect its data.
    fn record(&mut self, name: &str, mode: u32, file_size: u64) -> anyhow::Result<bool> {
        let path = name.trim_start_matches("./").trim_start_matches('/');
        let kind = mode & TYPE_MASK;
        if kind == DIRECTORY {
            return Ok(false);
        }
        match path {
            "init" => self.found.has_init = true,
            "rootfs.sqsh" => self.found.has_rootfs = true,
            "extensions.yaml" if kind == REGULAR => {
                if file_size > EXTENSIONS_YAML_CAP {
                    bail!(
                        "offset {:#x}: `extensions.yaml` is {file_size} bytes, more than the {EXTENSIONS_YAML_CAP}-byte cap",
                        self.entry_offset
                    );
                }
                self.yaml.clear();
                return Ok(true);
            }
            _ => {
                if let Some(file) = path.strip_prefix("kernel/x86/microcode/")
                    && kind == REGULAR
                    && !file.contains('/')
                    && std::path::Path::new(file)
                        .extension()
                        .is_some_and(|extension| extension.eq_ignore_ascii_case("bin"))
                {
                    self.found.microcode.push(file.to_owned());
                }
            }
        }
        Ok(false)
    }

    fn extensions(&mut self) -> anyhow::Result<()> {
        let yaml = std::mem::take(&mut self.yaml);
        let manifest: Manifest = serde_yaml::from_slice(&yaml).with_context(|| {
            format!(
                "`extensions.yaml` (cpio entry at offset {:#x}) is not a Talos extensions manifest",
                self.entry_offset
            )
        })?;
        // A later `extensions.yaml` replaces an earlier one, as it would when the kernel unpacks.
        self.found.extensions = Some(
            manifest
                .layers
                .unwrap_or_default()
                .into_iter()
                .map(|layer| Extension {
                    image: layer.image,
                    name: layer.metadata.name,
                    version: layer.metadata.version,
                })
                .collect(),
        );
        Ok(())
    }
}

impl io::Write for Newc<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_some() {
            return Err(io::Error::other("the cpio stream is already broken"));
        }
        match self.feed(buf) {
            Ok(used) if used == buf.len() => Ok(used),
            Ok(_) => {
                self.error = Some(anyhow::anyhow!("data after the end of the cpio archive"));
                Err(io::Error::other("cpio archive ended"))
            }
            Err(error) => {
                let message = format!("{error:#}");
                self.error = Some(error);
                Err(io::Error::other(message))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Newc<'_> {
    /// The error that broke a write, if any (the decompressor reports only an io error).
    pub(super) fn take_error(&mut self) -> Option<anyhow::Error> {
        self.error.take()
    }
}

/// `extensions.yaml`: only the fields cozy reports.
#[derive(Deserialize)]
struct Manifest {
    layers: Option<Vec<Layer>>,
}

#[derive(Deserialize)]
struct Layer {
    image: String,
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    name: String,
    #[serde(default)]
    version: String,
}

fn pad4(len: u64) -> u64 {
    (4 - len % 4) % 4
}
