//! Finds where one xz stream ends without decompressing it, so the bytes after it stay unread.
//!
//! `lzma_rs::xz_decompress` wants its input to end right after the stream footer. [`XzStream`]
//! passes the bytes of exactly one stream through and then reports end of file. It walks the
//! container (xz file format 1.2.1): the 12-byte stream header; blocks (a header whose length is
//! in its first byte, LZMA2 chunks whose headers carry their sizes, padding to 4, the check);
//! the index (a zero byte, varints, padding, CRC32); the 12-byte footer. Reads are cut at the
//! next field whose value decides what follows, so nothing past the footer is ever requested.
//! Checksums and the meaning of the fields are left to the decoder.

use std::io::{self, Read};

const HEADER_MAGIC: &[u8; 6] = b"\xfd7zXZ\0";

/// The most one block may decompress to, summed over its LZMA2 chunk headers: lzma-rs holds a
/// whole block in memory, so a larger one is refused before the decoder reaches it.
pub(super) const MAX_BLOCK_BYTES: u64 = 1 << 30;

#[derive(Debug)]
enum State {
    StreamHeader,
    BlockStart,
    BlockHeader { left: u64 },
    ChunkControl,
    ChunkHeader { control: u8, len: usize },
    ChunkData { left: u64 },
    BlockPadding { left: u64 },
    BlockCheck { left: u64 },
    IndexCount,
    IndexRecords { varints_left: u64 },
    IndexPadding { left: u64 },
    IndexCrc { left: u64 },
    Footer { left: u64 },
    Done,
}

/// A reader yielding exactly one xz stream of `inner`.
pub(super) struct XzStream<R> {
    inner: R,
    state: State,
    /// Bytes of the field being collected (stream header, chunk header, varint).
    field: Vec<u8>,
    check_len: u64,
    /// Bytes of the current block or index so far, for their padding to 4.
    unit_len: u64,
    /// Total bytes passed through.
    offset: u64,
    /// Uncompressed bytes the current block's chunk headers announced so far.
    block_out: u64,
}

impl<R: Read> XzStream<R> {
    pub(super) fn new(inner: R) -> XzStream<R> {
        XzStream {
            inner,
            state: State::StreamHeader,
            field: Vec::new(),
            check_len: 0,
            unit_len: 0,
            offset: 0,
            block_out: 0,
        }
    }

    /// True once the footer has passed through.
    pub(super) fn done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// How many bytes may pass before the walker must look at one.
    fn room(&self) -> u64 {
        match &self.state {
            State::StreamHeader => 12 - self.field.len() as u64,
            State::ChunkHeader { len, .. } => (*len - self.field.len()) as u64,
            State::BlockHeader { left }
            | State::ChunkData { left }
            | State::BlockPadding { left }
            | State::BlockCheck { left }
            | State::IndexPadding { left }
            | State::IndexCrc { left }
            | State::Footer { left } => *left,
            State::BlockStart
            | State::ChunkControl
            | State::IndexCount
            | State::IndexRecords { .. } => 1,
            State::Done => 0,
        }
    }

    /// Moves the walker over `bytes`, which never exceed [`Self::room`].
    fn advance(&mut self, bytes: &[u8]) -> io::Result<()> {
        let len = bytes.len() as u64;
        let at = self.offset;
        self.offset += len;
        match &mut self.state {
            State::StreamHeader => self.stream_header(bytes, at)?,
            State::BlockStart => {
                self.unit_len = 1;
                self.block_out = 0;
                self.state = if bytes[0] == 0 {
                    State::IndexCount
                } else {
                    State::BlockHeader { left: (u64::from(bytes[0]) + 1) * 4 - 1 }
                };
            }
            State::BlockHeader { left } | State::ChunkData { left } => {
                self.unit_len += len;
                *left -= len;
                if *left == 0 {
                    self.state = State::ChunkControl;
                }
            }
            State::ChunkControl => {
                self.unit_len += 1;
                let control = bytes[0];
                self.state = match control {
                    0x00 => self.block_end(),
                    0x01 | 0x02 => State::ChunkHeader { control, len: 2 },
                    0x80..=0xbf => State::ChunkHeader { control, len: 4 },
                    0xc0..=0xff => State::ChunkHeader { control, len: 5 },
                    _ => {
                        let what = format!("invalid LZMA2 chunk control byte {control:#04x}");
                        return Err(invalid(at, &what));
                    }
                };
            }
            State::ChunkHeader { control, len: header_len } => {
                let (control, header_len) = (*control, *header_len);
                self.unit_len += len;
                self.field.extend_from_slice(bytes);
                if self.field.len() == header_len {
                    // Uncompressed chunks give their size in bytes 1-2, LZMA chunks their
                    // compressed size in bytes 3-4; both store size - 1, big-endian.
                    // LZMA chunks give their uncompressed size - 1 in the control byte's low 5
                    // bits and bytes 1-2.
                    let high = if control < 0x80 { 0 } else { 2 };
                    let size = u16::from_be_bytes([self.field[high], self.field[high + 1]]);
                    let out = if control < 0x80 {
                        u64::from(size) + 1
                    } else {
                        (u64::from(control & 0x1f) << 16
                            | u64::from(u16::from_be_bytes([self.field[0], self.field[1]])))
                            + 1
                    };
                    self.block_out += out;
                    if self.block_out > MAX_BLOCK_BYTES {
                        let what = format!(
                            "an xz block announcing more than {MAX_BLOCK_BYTES} uncompressed bytes \
                             (lzma-rs holds a block in memory)"
                        );
                        // The chunk's control byte, just before its header fields.
                        let control_at = (at + len).saturating_sub(header_len as u64 + 1);
                        return Err(invalid(control_at, &what));
                    }
                    self.field.clear();
                    self.state = State::ChunkData { left: u64::from(size) + 1 };
                }
            }
            State::IndexCount | State::IndexRecords { .. } => self.index_byte(bytes[0], at)?,
            State::BlockPadding { left }
            | State::BlockCheck { left }
            | State::IndexPadding { left }
            | State::IndexCrc { left }
            | State::Footer { left } => {
                *left -= len;
                let finished = *left == 0;
                if matches!(self.state, State::Footer { .. }) {
                    self.field.extend_from_slice(bytes);
                }
                if finished {
                    self.state = match self.state {
                        State::BlockPadding { .. } => self.after_padding(),
                        State::IndexPadding { .. } => State::IndexCrc { left: 4 },
                        State::IndexCrc { .. } => State::Footer { left: 12 },
                        State::Footer { .. } if !self.field.ends_with(b"YZ") => {
                            return Err(invalid(at, "no xz stream footer magic"));
                        }
                        State::Footer { .. } => State::Done,
                        _ => State::BlockStart,
                    };
                }
            }
            State::Done => {}
        }
        Ok(())
    }

    fn stream_header(&mut self, bytes: &[u8], at: u64) -> io::Result<()> {
        self.field.extend_from_slice(bytes);
        if self.field.len() < 12 {
            return Ok(());
        }
        if &self.field[..6] != HEADER_MAGIC {
            return Err(invalid(at, "no xz stream header magic"));
        }
        self.check_len = match self.field[7] & 0x0f {
            0 => 0,
            1..=3 => 4,
            4..=6 => 8,
            7..=9 => 16,
            10..=12 => 32,
            _ => 64,
        };
        self.field.clear();
        self.state = State::BlockStart;
        Ok(())
    }

    /// One byte of the index's varints: the record count, then two per record.
    fn index_byte(&mut self, byte: u8, at: u64) -> io::Result<()> {
        self.unit_len += 1;
        self.field.push(byte);
        if byte & 0x80 != 0 {
            if self.field.len() == 9 {
                return Err(invalid(at, "xz index varint longer than 9 bytes"));
            }
            return Ok(());
        }
        let left = match self.state {
            State::IndexCount => varint(&self.field)
                .ok_or_else(|| invalid(at, "bad xz index record count"))?
                .saturating_mul(2),
            State::IndexRecords { varints_left } => varints_left - 1,
            _ => 0,
        };
        self.field.clear();
        self.state = self.records(left);
        Ok(())
    }

    fn block_end(&self) -> State {
        match pad4(self.unit_len) {
            0 => self.after_padding(),
            left => State::BlockPadding { left },
        }
    }

    fn after_padding(&self) -> State {
        match self.check_len {
            0 => State::BlockStart,
            left => State::BlockCheck { left },
        }
    }

    fn records(&self, varints_left: u64) -> State {
        if varints_left > 0 {
            return State::IndexRecords { varints_left };
        }
        match pad4(self.unit_len) {
            0 => State::IndexCrc { left: 4 },
            left => State::IndexPadding { left },
        }
    }
}

impl<R: Read> Read for XzStream<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = usize::try_from(self.room()).unwrap_or(usize::MAX);
        let want = buf.len().min(room);
        if want == 0 {
            return Ok(0);
        }
        let got = self.inner.read(&mut buf[..want])?;
        if got == 0 {
            return Ok(0);
        }
        self.advance(&buf[..got])?;
        Ok(got)
    }
}

fn varint(bytes: &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (index, byte) in bytes.iter().enumerate() {
        value |= u64::from(byte & 0x7f).checked_shl(u32::try_from(7 * index).ok()?)?;
    }
    Some(value)
}

fn pad4(len: u64) -> u64 {
    (4 - len % 4) % 4
}

fn invalid(offset: u64, what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("{what} at xz stream offset {offset:#x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_announcing_more_than_a_gib_are_refused_before_their_data() {
        // Stream header, a minimal block header, then LZMA chunks each announcing 2 MiB from
        // one compressed byte: 512 of them make exactly 1 GiB, the 513th is one chunk too many.
        let mut xz = HEADER_MAGIC.to_vec();
        xz.extend([0, 1, 0, 0, 0, 0]);
        xz.extend([1, 0, 0, 0, 0, 0, 0, 0]);
        let chunk = [0xff_u8, 0xff, 0xff, 0x00, 0x00, 0x5d, 0x00];
        let first_header_at = xz.len();
        for _ in 0..600 {
            xz.extend(chunk);
        }
        let mut sink = Vec::new();
        let err = io::copy(&mut XzStream::new(xz.as_slice()), &mut sink).unwrap_err();
        let at = first_header_at + 512 * chunk.len();
        assert_eq!(
            err.to_string(),
            format!(
                "an xz block announcing more than 1073741824 uncompressed bytes (lzma-rs holds a \
                 block in memory) at xz stream offset {at:#x}"
            )
        );
        assert!(sink.len() < at + 8, "stopped at the offending chunk header");
    }
}
