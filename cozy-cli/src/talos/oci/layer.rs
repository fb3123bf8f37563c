//! A layer's uncompressed tar, streamed from its stored blob and checked on the way (spec 5.2).
//!
//! The compression is sniffed, never taken from names or media types: `1f 8b` gzip (members
//! concatenated), `28 b5 2f fd` zstd (frames concatenated, skippable frames skipped), anything
//! else a plain tar. Every stored byte is hashed and counted, every uncompressed byte hashed;
//! at the end of the stream the blob must match its size and digest (when known) and the
//! uncompressed tar its `config.rootfs.diff_ids` entry. A mismatch is an error naming the layer.

use std::io::{self, BufRead, BufReader, Read};

use anyhow::{Context as _, bail};
use sha2::{Digest as _, Sha256};

use crate::talos::oci::archive::Layer;

/// A layer's uncompressed tar, checked while it streams.
pub struct LayerReader<'a> {
    decoder: Decoder<'a>,
    diff: Sha256,
    layer: Layer,
    state: ReaderState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReaderState {
    Reading,
    Verified,
    Failed,
}

impl<'a> LayerReader<'a> {
    pub(super) fn new(layer: &Layer, raw: Box<dyn Read + 'a>) -> anyhow::Result<LayerReader<'a>> {
        let mut source = BufReader::with_capacity(
            64 * 1024,
            Hashing { inner: raw, hasher: Sha256::new(), bytes: 0 },
        );
        let head =
            source.fill_buf().with_context(|| format!("cannot read layer {}", layer.index))?;
        let decoder = if head.starts_with(&[0x1f, 0x8b]) {
            Decoder::Gzip(Box::new(flate2::bufread::MultiGzDecoder::new(source)))
        } else if head.starts_with(&ZSTD_MAGIC) {
            Decoder::Zstd(Box::new(ZstdFrames::new(source)))
        } else {
            Decoder::Plain(source)
        };
        Ok(LayerReader {
            decoder,
            diff: Sha256::new(),
            layer: layer.clone(),
            state: ReaderState::Reading,
        })
    }

    /// Reads what is left, then checks the blob digest and the diff_id.
    ///
    /// # Errors
    /// When reading fails or a digest does not match; the message names the layer.
    pub fn finish(mut self) -> anyhow::Result<()> {
        match self.state {
            ReaderState::Verified => return Ok(()),
            ReaderState::Failed => {
                bail!("layer {} (`{}`) failed to read", self.layer.index, self.layer.name)
            }
            ReaderState::Reading => {}
        }
        io::copy(&mut self, &mut io::sink()).with_context(|| {
            format!("cannot read layer {} (`{}`)", self.layer.index, self.layer.name)
        })?;
        Ok(())
    }

    fn verify(&mut self) -> Result<(), String> {
        let layer = &self.layer;
        let source = self.decoder.source_mut();
        // Trailing bytes after the compressed stream still belong to the blob.
        let mut rest = [0u8; 8192];
        loop {
            match source.read(&mut rest) {
                Ok(0) => break,
                Ok(_) => {}
                Err(err) => return Err(format!("layer {} (`{}`): {err}", layer.index, layer.name)),
            }
        }
        let hashing = source.get_mut();
        let blob = format!("sha256:{:x}", hashing.hasher.clone().finalize());
        let diff = format!("sha256:{:x}", self.diff.clone().finalize());
        if let Some(size) = layer.size
            && size != hashing.bytes
        {
            return Err(format!(
                "layer {} (`{}`): blob is {} bytes, but its descriptor says {size}",
                layer.index, layer.name, hashing.bytes
            ));
        }
        if let Some(expected) = &layer.digest
            && *expected != blob
            && !(layer.digest_from_name && *expected == diff)
        {
            return Err(format!(
                "layer {} (`{}`): blob sha256 is {blob}, but its name or descriptor says {expected}",
                layer.index, layer.name
            ));
        }
        if diff != layer.diff_id {
            return Err(format!(
                "layer {} (`{}`): uncompressed sha256 is {diff}, but config.rootfs.diff_ids[{}] \
                 says {}",
                layer.index, layer.name, layer.index, layer.diff_id
            ));
        }
        Ok(())
    }
}

impl Read for LayerReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.state {
            ReaderState::Verified => return Ok(0),
            ReaderState::Failed => {
                return Err(io::Error::other(format!(
                    "layer {} (`{}`) failed to read",
                    self.layer.index, self.layer.name
                )));
            }
            ReaderState::Reading => {}
        }
        if buf.is_empty() {
            // Not the end of the data: nothing was asked for.
            return Ok(0);
        }
        let read = match self.decoder.read(buf) {
            Ok(read) => read,
            Err(err) => {
                self.state = ReaderState::Failed;
                return Err(io::Error::new(
                    err.kind(),
                    format!("layer {} (`{}`): {err}", self.layer.index, self.layer.name),
                ));
            }
        };
        if read > 0 {
            self.diff.update(&buf[..read]);
            return Ok(read);
        }
        match self.verify() {
            Ok(()) => {
                self.state = ReaderState::Verified;
                Ok(0)
            }
            Err(message) => {
                self.state = ReaderState::Failed;
                Err(io::Error::new(io::ErrorKind::InvalidData, message))
            }
        }
    }
}

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

type Source64<'a> = BufReader<Hashing<'a>>;

enum Decoder<'a> {
    Plain(Source64<'a>),
    Gzip(Box<flate2::bufread::MultiGzDecoder<Source64<'a>>>),
    Zstd(Box<ZstdFrames<'a>>),
}

impl<'a> Decoder<'a> {
    fn source_mut(&mut self) -> &mut Source64<'a> {
        match self {
            Decoder::Plain(source) => source,
            Decoder::Gzip(decoder) => decoder.get_mut(),
            Decoder::Zstd(frames) => frames.source_mut(),
        }
    }
}

impl Read for Decoder<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(source) => source.read(buf),
            Decoder::Gzip(decoder) => decoder.read(buf),
            Decoder::Zstd(frames) => frames.read(buf),
        }
    }
}

/// Hashes and counts every byte read through it.
struct Hashing<'a> {
    inner: Box<dyn Read + 'a>,
    hasher: Sha256,
    bytes: u64,
}

impl Read for Hashing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hasher.update(&buf[..read]);
        self.bytes += read as u64;
        Ok(read)
    }
}

/// A sequence of zstd frames (skippable frames skipped), as `zstd -d` reads it.
struct ZstdFrames<'a> {
    source: Source64<'a>,
    decoder: ruzstd::decoding::FrameDecoder,
    in_frame: bool,
}

impl<'a> ZstdFrames<'a> {
    fn new(source: Source64<'a>) -> ZstdFrames<'a> {
        ZstdFrames { source, decoder: ruzstd::decoding::FrameDecoder::new(), in_frame: false }
    }

    fn source_mut(&mut self) -> &mut Source64<'a> {
        &mut self.source
    }

    /// Starts the next frame; `Ok(false)` at the end of the input.
    fn next_frame(&mut self) -> io::Result<bool> {
        loop {
            if self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            let mut magic = [0u8; 4];
            self.source.read_exact(&mut magic).map_err(|_| truncated_zstd())?;
            if (0x184D_2A50..=0x184D_2A5F).contains(&u32::from_le_bytes(magic)) {
                let mut length = [0u8; 4];
                self.source.read_exact(&mut length).map_err(|_| truncated_zstd())?;
                let length = u64::from(u32::from_le_bytes(length));
                let skipped = io::copy(&mut (&mut self.source).take(length), &mut io::sink())?;
                if skipped != length {
                    return Err(truncated_zstd());
                }
                continue;
            }
            if magic != ZSTD_MAGIC {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "bytes after a zstd frame are neither a zstd frame nor a skippable frame",
                ));
            }
            // The magic was consumed to look at it; the header parser reads it again first.
            self.decoder.init(io::Cursor::new(magic).chain(&mut self.source)).map_err(|err| {
                io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {err}"))
            })?;
            self.in_frame = true;
            return Ok(true);
        }
    }
}

fn truncated_zstd() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "zstd stream is truncated")
}

impl Read for ZstdFrames<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.in_frame {
                while self.decoder.can_collect() < buf.len() && !self.decoder.is_finished() {
                    let wanted = buf.len() - self.decoder.can_collect();
                    self.decoder
                        .decode_blocks(
                            &mut self.source,
                            ruzstd::decoding::BlockDecodingStrategy::UptoBytes(wanted),
                        )
                        .map_err(|err| {
                            io::Error::new(io::ErrorKind::InvalidData, format!("zstd: {err}"))
                        })?;
                }
                let read = self.decoder.read(buf)?;
                if read > 0 {
                    return Ok(read);
                }
                if let (Some(stored), Some(computed)) =
                    (self.decoder.get_checksum_from_data(), self.decoder.get_calculated_checksum())
                    && stored != computed
                {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "zstd: frame checksum does not match its content",
                    ));
                }
                self.in_frame = false;
            }
            if !self.next_frame()? {
                return Ok(0);
            }
        }
    }
}
